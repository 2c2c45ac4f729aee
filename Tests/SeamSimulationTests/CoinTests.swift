import SeamTesting
import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

@Suite struct CoinTests {
    @Test func coinsStartOnTheirSpotsWithGlobalIds() throws {
        let sim = try simulation(Maps.room)
        #expect(sim.coins.map(\.id) == [1, 2, 3, 4])
        #expect(sim.coins[0].place == .ground(Vec2(x: 7.5, y: 1.5)))
        #expect(sim.coins[3].place == .ground(Vec2(x: 12.5, y: 5.5)))
        let west = try simulation(Maps.split, zone: 0)
        let east = try simulation(Maps.split, zone: 1)
        #expect(west.coins.map(\.id) == [1, 2])
        #expect(east.coins.map(\.id) == [3])
    }

    @Test func pickupWhenTouching() throws {
        var sim = try simulation(Maps.room)
        sim.addPlayer(id: 7, name: "a")  // (1.5, 1.5); coin 1 at (7.5, 1.5)
        sim.step()
        #expect(sim.drainEvents().isEmpty)
        sim.apply(InputCommand(moveX: 127), sequence: 1, to: 7)
        var picked: SimEvent?
        for _ in 0..<40 where picked == nil {
            sim.step()
            let events = sim.drainEvents()
            picked = events.first
            let p = sim.players[0]
            let d = (p.position - Vec2(x: 7.5, y: 1.5)).length
            if picked == nil { #expect(d > sim.config.pickupRadius) } else { #expect(d <= sim.config.pickupRadius) }
        }
        #expect(picked == .pickup(player: 7, coin: 1, at: Vec2(x: 7.5, y: 1.5)))
        #expect(sim.carriedCoins(of: 7) == [1])
        #expect(sim.coins[0].place == .carried(by: 7))
        #expect(sim.digest.coinsCarried == 1 && sim.digest.coinsGround == 3)
    }

    @Test func pickupReportsTheCoinSpot() throws {
        var sim = try simulation(Maps.range)
        sim.addPlayer(id: 20, name: "a")  // (1.5, 1.5)
        sim.addPlayer(id: 10, name: "b")  // (14.5, 1.5), coin at (14.5, 2.5)
        sim.apply(InputCommand(moveY: 127), sequence: 1, to: 10)
        var events: [SimEvent] = []
        while events.isEmpty { sim.step(); events = sim.drainEvents() }
        #expect(events == [.pickup(player: 10, coin: 1, at: Vec2(x: 14.5, y: 2.5))])
    }

    @Test func removingAPlayerDropsItsCoinsWhereItStood() throws {
        var sim = try simulation(Maps.room)
        sim.addPlayer(id: 1, name: "a")
        sim.addPlayer(id: 2, name: "b")
        sim.apply(InputCommand(moveX: 127), sequence: 1, to: 1)
        while sim.player(1)!.coinCount == 0 { sim.step() }
        sim.apply(InputCommand(moveY: 127), sequence: 2, to: 1)
        for _ in 0..<3 { sim.step() }
        _ = sim.drainEvents()
        let at = sim.player(1)!.position
        sim.removePlayer(id: 1)
        #expect(sim.player(1) == nil)
        #expect(sim.players.map(\.id) == [2])
        #expect(sim.index(of: 2) == 0)
        #expect(sim.drainEvents() == [.drop(player: 1, coin: 1, at: at, cause: "leave")])
        #expect(sim.coins[0].place == .ground(at))
        #expect(sim.digest == (players: 1, coinsGround: 4, coinsCarried: 0))
        sim.removePlayer(id: 1)  // twice: no effect
        #expect(sim.drainEvents().isEmpty)
        sim.checkCoins(total: 4)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func coinsAreConservedUnderRandomPlay(seed: UInt64) throws {
        var config = SimulationConfig()
        config.respawnTicks = 20
        var sim = try simulation(Maps.room, config: config)
        let total = sim.coins.count
        var rng = SplitMix64(seed: seed)
        var nextId: UInt32 = 1
        var seq: UInt32 = 0
        var pickups = 0, drops = 0, kills = 0
        var events: [SimEvent] = []
        for _ in 0..<4000 {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 3 && sim.players.count < 8 {
                sim.addPlayer(id: nextId, name: "p\(nextId)")
                nextId += 1
            } else if roll < 5, let victim = sim.players.randomElement(using: &rng) {
                sim.removePlayer(id: victim.id)
                #expect(sim.player(victim.id) == nil)
            }
            seq += 1
            for p in sim.players where Bool.random(using: &rng) {
                let input = InputCommand(
                    moveX: Int8.random(in: .min ... .max, using: &rng), moveY: Int8.random(in: .min ... .max, using: &rng),
                    aim: UInt16.random(in: 0...65535, using: &rng), buttons: UInt8.random(in: 0...1, using: &rng))
                sim.apply(input, sequence: seq, to: p.id)
            }
            sim.step()
            sim.checkCoins(total: total)
            events.removeAll()
            sim.takeEvents(into: &events)
            for e in events {
                switch e {
                case .pickup: pickups += 1
                case .drop: drops += 1
                case .kill: kills += 1
                default: break
                }
            }
        }
        #expect(pickups > 0 && drops > 0)
        // Every pickup is matched by a drop, except the coins still carried.
        #expect(pickups - drops == sim.digest.coinsCarried)
        #expect(kills > 0)
    }
}
