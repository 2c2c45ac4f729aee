import SeamTesting
import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

@Suite struct MovementTests {
    @Test func speedNeverExceedsMaxAndNoPlayerEntersAWall() throws {
        var sim = try simulation(Maps.room)
        var rng = SplitMix64(seed: 11)
        for id in UInt32(1)...4 { sim.addPlayer(id: id, name: "p\(id)") }
        var seq: UInt32 = 0
        for _ in 0..<3000 {
            seq += 1
            for p in sim.players where Int.random(in: 0..<4, using: &rng) == 0 {
                let input = InputCommand(moveX: Int8.random(in: .min ... .max, using: &rng),
                                         moveY: Int8.random(in: .min ... .max, using: &rng))
                sim.apply(input, sequence: seq, to: p.id)
            }
            sim.step()
            for p in sim.players {
                #expect(p.velocity.length <= sim.config.maxSpeed + 1e-9)
                #expect(!overlapsWall(sim.map, p.position, r: sim.config.playerRadius), "\(p.position)")
                #expect(!sim.map.isWall(at: p.position))
                #expect(sim.zone.rect.contains(p.position))
            }
        }
    }

    @Test func accelerationIsBoundedInOpenSpace() throws {
        var sim = try simulation(Maps.open(size: 64))
        let config = sim.config
        let maxDelta = config.acceleration * config.tickSeconds
        var rng = SplitMix64(seed: 12)
        sim.addPlayer(id: 1, name: "a")
        var previous = Vec2.zero
        for seq in UInt32(1)...40 {
            let input = InputCommand(moveX: Int8.random(in: .min ... .max, using: &rng),
                                     moveY: Int8.random(in: .min ... .max, using: &rng))
            sim.apply(input, sequence: seq, to: 1)
            let before = sim.players[0].position
            sim.step()
            let p = sim.players[0]
            #expect((p.velocity - previous).length <= maxDelta + 1e-9)
            #expect(p.velocity.length <= config.maxSpeed + 1e-9)
            // Position integrates the new velocity (no wall nearby).
            #expect(((p.position - before) - p.velocity * config.tickSeconds).length < 1e-9)
            previous = p.velocity
        }
    }

    @Test func fullInputReachesMaxSpeedInThreeTicks() throws {
        var sim = try simulation(Maps.open(size: 64))
        sim.addPlayer(id: 1, name: "a")
        sim.apply(InputCommand(moveX: 127, moveY: 127), sequence: 1, to: 1)
        var speeds: [Double] = []
        for _ in 0..<4 {
            sim.step()
            speeds.append(sim.players[0].velocity.length)
        }
        #expect(abs(speeds[0] - 2) < 1e-9 && abs(speeds[1] - 4) < 1e-9)
        #expect(abs(speeds[2] - 6) < 1e-9 && abs(speeds[3] - 6) < 1e-9)
        // Releasing the stick decelerates at the same rate.
        sim.apply(InputCommand(), sequence: 2, to: 1)
        sim.step()
        #expect(abs(sim.players[0].velocity.length - 4) < 1e-9)
    }

    @Test(arguments: [(Int8(-127), Int8(0)), (0, -127), (127, 0), (0, 127)])
    func walkingIntoTheBorderStopsAtIt(_ move: (Int8, Int8)) throws {
        var sim = try simulation(Maps.room)
        sim.addPlayer(id: 1, name: "a")  // (1.5, 1.5)
        sim.addPlayer(id: 2, name: "b")  // (14.5, 6.5)
        let id: UInt32 = move.0 > 0 || move.1 > 0 ? 2 : 1
        sim.apply(InputCommand(moveX: move.0, moveY: move.1), sequence: 1, to: id)
        let r = sim.config.playerRadius
        for _ in 0..<60 {
            sim.step()
            let p = try #require(sim.player(id))
            #expect(!overlapsWall(sim.map, p.position, r: r))
        }
        let p = try #require(sim.player(id))
        let gap: Double = switch (move.0, move.1) {
        case (-127, _): p.position.x - (1 + r)
        case (127, _): (15 - r) - p.position.x
        case (_, -127): p.position.y - (1 + r)
        default: (7 - r) - p.position.y
        }
        #expect(gap >= 0 && gap < sim.config.maxSpeed * sim.config.tickSeconds, "gap \(gap)")
        // It stays put, pressing against the wall.
        let before = p.position
        for _ in 0..<10 { sim.step() }
        #expect(sim.player(id)!.position == before)
        if move.0 != 0 { #expect(sim.player(id)!.velocity.x == 0) } else { #expect(sim.player(id)!.velocity.y == 0) }
    }

    @Test func innerWallStopsAPlayer() throws {
        // split: walls at (7,3) and (8,3); west spawn (1,1). Walk down to row 3's band, then east.
        var sim = try simulation(Maps.split)
        sim.addPlayer(id: 1, name: "a")
        sim.apply(InputCommand(moveX: 0, moveY: 127), sequence: 1, to: 1)
        while sim.players[0].position.y < 3.0 { sim.step() }
        sim.apply(InputCommand(), sequence: 2, to: 1)
        for _ in 0..<5 { sim.step() }
        let y = sim.players[0].position.y
        #expect(y > 3.0 && y < 3.8)
        sim.apply(InputCommand(moveX: 127, moveY: 0), sequence: 3, to: 1)
        for _ in 0..<60 {
            sim.step()
            #expect(!overlapsWall(sim.map, sim.players[0].position, r: sim.config.playerRadius))
        }
        #expect(sim.players[0].position.x <= 7 - sim.config.playerRadius)
        #expect(sim.players[0].position.x > 7 - sim.config.playerRadius - 0.3)
    }

    @Test func zoneEdgeActsAsAWall() throws {
        let r = SimulationConfig().playerRadius
        var west = try simulation(Maps.split, zone: 0)
        west.addPlayer(id: 1, name: "w")  // (1.5, 1.5)
        west.apply(InputCommand(moveX: 127), sequence: 1, to: 1)
        for _ in 0..<80 {
            west.step()
            #expect(west.zone.rect.contains(west.players[0].position))
        }
        #expect(west.players[0].position.x == 8 - r)
        #expect(west.players[0].velocity.x == 0)

        var east = try simulation(Maps.split, zone: 1)
        east.addPlayer(id: 2, name: "e")  // (14.5, 5.5)
        east.apply(InputCommand(moveX: -127), sequence: 1, to: 2)
        for _ in 0..<80 {
            east.step()
            #expect(east.zone.rect.contains(east.players[0].position))
        }
        #expect(east.players[0].position.x == 8 + r)
        #expect(east.players[0].velocity.x == 0)
    }

    @Test func deadPlayersDoNotMove() throws {
        var sim = try simulation(Maps.range)
        sim.addPlayer(id: 1, name: "a")
        sim.addPlayer(id: 2, name: "b")
        sim.apply(InputCommand(moveX: -127), sequence: 1, to: 2)
        var seq: UInt32 = 1
        while sim.player(2)!.alive {
            seq += 1
            sim.apply(InputCommand(aim: aim(from: sim.player(1)!.position, to: sim.player(2)!.position), buttons: InputCommand.fire),
                      sequence: seq, to: 1)
            sim.step()
        }
        let at = sim.player(2)!.position
        for _ in 0..<10 { sim.step() }
        #expect(sim.player(2)!.position == at)
        #expect(sim.player(2)!.velocity == .zero)
    }
}
