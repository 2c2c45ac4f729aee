import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

/// A fire input aimed from `shooter` at `target`.
private func fire(_ sim: ZoneSimulation, _ shooter: UInt32, at target: UInt32) -> InputCommand {
    InputCommand(aim: aim(from: sim.player(shooter)!.position, to: sim.player(target)!.position), buttons: InputCommand.fire)
}

private func hits(_ events: [SimEvent]) -> [SimEvent] {
    events.filter { if case .hit = $0 { true } else { false } }
}

/// The shot rules judged against the present (no rewind): what LagCompensationTests builds on.
private func present() -> SimulationConfig {
    var c = SimulationConfig()
    c.lagCompensation = false
    return c
}

@Suite struct ShootingTests {
    /// Range map with A = 1 at (1.5, 1.5) and B = 2 at (14.5, 1.5), 13 tiles apart on an open row.
    func duel(_ config: SimulationConfig = present()) throws -> ZoneSimulation {
        var sim = try simulation(Maps.range, config: config)
        sim.addPlayer(id: 1, name: "a")
        sim.addPlayer(id: 2, name: "b")
        return sim
    }

    @Test func aShotHitsAPlayerInLine() throws {
        var sim = try duel()
        #expect(sim.player(1)!.position == Vec2(x: 1.5, y: 1.5) && sim.player(2)!.position == Vec2(x: 14.5, y: 1.5))
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 1, to: 1)
        sim.step()
        #expect(sim.drainEvents() == [.hit(shooter: 1, target: 2, shot: 1, damage: 25, health: 75)])
        #expect(sim.player(2)!.health == 75)
        #expect(sim.player(1)!.health == 100)
    }

    @Test func aMissAimedElsewhere() throws {
        var sim = try duel()
        sim.apply(InputCommand(aim: Quantize.angle(0.2), buttons: InputCommand.fire), sequence: 1, to: 1)
        sim.step()
        #expect(sim.drainEvents().isEmpty)
    }

    @Test func aWallBlocksTheShot() throws {
        var sim = try duel()
        sim.addPlayer(id: 3, name: "c")  // (1.5, 3.5)
        sim.addPlayer(id: 4, name: "d")  // (14.5, 3.5); wall tile (7, 3) between
        #expect(sim.player(4)!.position == Vec2(x: 14.5, y: 3.5))
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 1, to: 3)
        sim.apply(InputCommand(aim: 32768, buttons: InputCommand.fire), sequence: 1, to: 4)
        sim.step()
        #expect(sim.drainEvents().isEmpty)
        #expect(sim.player(3)!.health == 100 && sim.player(4)!.health == 100)
    }

    @Test func aimFollowsTheMapAxes() throws {
        // y grows downward, so a quarter turn clockwise from +x (aim 16384) points down and 49152 points up.
        var sim = try duel()
        sim.addPlayer(id: 3, name: "c")  // (1.5, 3.5), two tiles below A
        sim.apply(InputCommand(aim: 16384, buttons: InputCommand.fire), sequence: 1, to: 1)  // down: hits C
        sim.step()
        #expect(sim.drainEvents() == [.hit(shooter: 1, target: 3, shot: 1, damage: 25, health: 75)])
        sim.apply(InputCommand(aim: 49152, buttons: InputCommand.fire), sequence: 1, to: 3)  // up: hits A
        sim.step()
        #expect(sim.drainEvents() == [.hit(shooter: 3, target: 1, shot: 1, damage: 25, health: 75)])
    }

    @Test func rangeLimit() throws {
        // The target's circle starts at 13 - 0.45 = 12.55 tiles.
        var config = present()
        config.shotRange = 12.5
        var short = try duel(config)
        short.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 1, to: 1)
        short.step()
        #expect(short.drainEvents().isEmpty)
        config.shotRange = 12.6
        var long = try duel(config)
        long.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 1, to: 1)
        long.step()
        #expect(hits(long.drainEvents()).count == 1)
    }

    @Test func rangeEdgeAcrossAGridCell() throws {
        // Shooter at 1.5, target at 4.5: the circle is entered at 2.55 tiles, inside a 2.8 range, but the
        // target's centre lies in the next grid cell (cell size 4.5) beyond shooter + range = 4.3.
        let text = """
            seam-map 1
            name edge
            size 8 3
            zone main 0 0 8 3 7001
            tiles
            ########
            #S..S..#
            ########
            """
        var config = present()
        config.viewRadius = 9
        config.shotRange = 2.8
        var sim = try simulation(text, config: config)
        sim.addPlayer(id: 1, name: "a")
        sim.addPlayer(id: 2, name: "b")
        #expect(sim.player(2)!.position.x == 4.5)
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 1, to: 1)
        sim.step()
        #expect(sim.drainEvents() == [.hit(shooter: 1, target: 2, shot: 1, damage: 25, health: 75)])
    }

    @Test func cooldownLimitsTheRate() throws {
        var sim = try duel()
        var hitTicks: [UInt64] = []
        for seq in UInt32(1)...16 {
            sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: seq, to: 1)
            sim.step()
            if !hits(sim.drainEvents()).isEmpty { hitTicks.append(sim.tick) }
        }
        // A shot may come up to 2 ticks early, but the schedule advances from its due time: one per 5.
        #expect(hitTicks == [1, 4, 9, 14])
        #expect(sim.player(1)!.shotReadyTick == 21)
    }

    @Test func earlyShotsDoNotRaiseTheLongRunRate() throws {
        var config = present()
        config.maxHealth = 1_000_000
        var sim = try duel(config)
        var count = 0
        for seq in UInt32(1)...200 {
            sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: seq, to: 1)
            sim.step()
            count += hits(sim.drainEvents()).count
        }
        // Firing every tick for 200 ticks: 40 shots on the schedule, plus the one 2-tick head start.
        #expect(count == 41)
    }

    @Test func oneInputFiresAtMostOnce() throws {
        var sim = try duel()
        let input = InputCommand(aim: 0, buttons: InputCommand.fire)
        for _ in 0..<20 {
            sim.apply(input, sequence: 5, to: 1)  // the same input applied again, as a zone does without news
            sim.step()
        }
        var events = sim.drainEvents()
        #expect(events == [.hit(shooter: 1, target: 2, shot: 5, damage: 25, health: 75)])
        // A new sequence fires again (the cooldown has long passed).
        sim.apply(input, sequence: 6, to: 1)
        sim.step()
        events = sim.drainEvents()
        #expect(events == [.hit(shooter: 1, target: 2, shot: 6, damage: 25, health: 50)])
        // Without a new apply the input keeps repeating but never fires again.
        for _ in 0..<20 { sim.step() }
        #expect(sim.drainEvents().isEmpty)
    }

    @Test func sequenceZeroNeverFires() throws {
        var sim = try duel()
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 0, to: 1)
        sim.step()
        #expect(sim.drainEvents().isEmpty)
    }

    @Test func deathDropsCoinsCreditsOnceAndRespawns() throws {
        var sim = try duel()
        // B walks down onto the coin at (14.5, 2.5), then stands still.
        sim.apply(InputCommand(moveY: 127), sequence: 1, to: 2)
        while sim.player(2)!.coinCount == 0 { sim.step() }
        sim.apply(InputCommand(), sequence: 2, to: 2)
        for _ in 0..<5 { sim.step() }
        #expect(sim.player(2)!.velocity == .zero)
        _ = sim.drainEvents()
        let victimAt = sim.player(2)!.position

        var seq: UInt32 = 10
        var all: [SimEvent] = []
        var deathTick: UInt64 = 0
        for _ in 0..<40 {
            seq += 1
            sim.apply(fire(sim, 1, at: 2), sequence: seq, to: 1)
            sim.step()
            let events = sim.drainEvents()
            if events.contains(where: { if case .kill = $0 { true } else { false } }) { deathTick = sim.tick }
            all += events
            if deathTick != 0 { break }
        }
        #expect(deathTick != 0)
        let h = hits(all)
        #expect(h.count == 4)
        #expect(h.last == .hit(shooter: 1, target: 2, shot: seq, damage: 25, health: 0))
        let respawnTick = deathTick + sim.config.respawnTicks
        #expect(Array(all.suffix(3)) == [
            .kill(killer: 1, victim: 2, shot: seq),
            .died(player: 2, killer: 1, respawnTick: respawnTick),
            .drop(player: 2, coin: 1, at: victimAt, cause: "death"),
        ])
        var b = sim.player(2)!
        #expect(!b.alive && b.health == 0 && b.deaths == 1 && b.coinCount == 0 && b.respawnTick == respawnTick)
        #expect(sim.player(1)!.kills == 1)
        #expect(sim.coins[0].place == .ground(victimAt))

        // The corpse cannot be hit or killed again: each shot at it is void (the shooter is told why).
        for _ in 0..<30 {
            seq += 1
            sim.apply(InputCommand(aim: aim(from: sim.player(1)!.position, to: victimAt), buttons: InputCommand.fire),
                      sequence: seq, to: 1)
            sim.step()
            let events = sim.drainEvents()
            #expect(events.isEmpty || events == [.shotVoid(shooter: 1, shot: seq, reason: .targetDead)])
        }
        #expect(sim.player(1)!.kills == 1 && sim.player(2)!.deaths == 1)

        // Respawn exactly at respawnTick, at a spawn point, with full health.
        sim.apply(InputCommand(), sequence: seq + 1, to: 1)
        while sim.tick < respawnTick - 1 {
            sim.step()
            #expect(sim.drainEvents().isEmpty)
        }
        sim.step()
        b = sim.player(2)!
        #expect(b.alive && b.health == sim.config.maxHealth && b.velocity == .zero)
        let spawns = sim.map.spawns.map { Vec2(x: Double($0.x) + 0.5, y: Double($0.y) + 0.5) }
        #expect(spawns.contains(b.position))
        #expect(sim.drainEvents() == [.respawn(player: 2, at: b.position)])
        #expect(b.deaths == 1 && b.kills == 0)
    }

    @Test func bothKillEachOtherInTheSameTickAtMostOnce() throws {
        // Shots resolve in player order: the first to fire kills; the dead one no longer shoots.
        var config = present()
        config.shotDamage = 100
        var sim = try duel(config)
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire), sequence: 1, to: 1)
        sim.apply(InputCommand(aim: 32768, buttons: InputCommand.fire), sequence: 1, to: 2)
        sim.step()
        let events = sim.drainEvents()
        #expect(events == [
            .hit(shooter: 1, target: 2, shot: 1, damage: 100, health: 0),
            .kill(killer: 1, victim: 2, shot: 1),
            .died(player: 2, killer: 1, respawnTick: 1 + config.respawnTicks),
            .shotVoid(shooter: 2, shot: 1, reason: .shooterDead),
        ])
    }
}
