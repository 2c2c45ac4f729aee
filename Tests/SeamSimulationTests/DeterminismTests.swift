import SeamTesting
import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

private enum Action {
    case add(UInt32)
    case remove(UInt32)
    case input(UInt32, InputCommand, UInt32)
    case step
}

@Suite struct DeterminismTests {
    private func script(seed: UInt64, ticks: Int) -> [Action] {
        var rng = SplitMix64(seed: seed)
        var actions: [Action] = []
        var present: [UInt32] = []
        var next: UInt32 = 0x0010_0001
        for tick in 0..<ticks {
            let roll = Int.random(in: 0..<100, using: &rng)
            if roll < 4 && present.count < 10 {
                actions.append(.add(next)); present.append(next); next += 1
            } else if roll < 6 && !present.isEmpty {
                let i = Int.random(in: 0..<present.count, using: &rng)
                actions.append(.remove(present.remove(at: i)))
            }
            for id in present where Int.random(in: 0..<3, using: &rng) == 0 {
                let input = InputCommand(
                    moveX: Int8.random(in: .min ... .max, using: &rng), moveY: Int8.random(in: .min ... .max, using: &rng),
                    aim: UInt16.random(in: 0...65535, using: &rng), buttons: UInt8.random(in: 0...1, using: &rng))
                actions.append(.input(id, input, UInt32(tick + 1)))
            }
            actions.append(.step)
        }
        return actions
    }

    private func run(_ actions: [Action], on sim: inout ZoneSimulation, events: inout [SimEvent]) {
        for a in actions {
            switch a {
            case .add(let id): sim.addPlayer(id: id, name: "p\(id)")
            case .remove(let id): sim.removePlayer(id: id)
            case .input(let id, let input, let seq): sim.apply(input, sequence: seq, to: id)
            case .step: sim.step()
            }
            sim.takeEvents(into: &events)
        }
    }

    @Test(arguments: [UInt64(21), 22])
    func sameInputsSameWorld(seed: UInt64) throws {
        let actions = script(seed: seed, ticks: 3000)
        var a = try simulation(Maps.room), b = try simulation(Maps.room)
        var ea: [SimEvent] = [], eb: [SimEvent] = []
        // Run in chunks and compare along the way, so a divergence is caught near where it starts.
        var start = 0
        while start < actions.count {
            let end = min(actions.count, start + 500)
            run(Array(actions[start..<end]), on: &a, events: &ea)
            run(Array(actions[start..<end]), on: &b, events: &eb)
            #expect(a.players == b.players)
            #expect(a.coins == b.coins)
            #expect(a.tick == b.tick)
            start = end
        }
        #expect(ea == eb)
        #expect(ea.count > 50)
    }

    @Test func differentInputsDiverge() throws {
        var a = try simulation(Maps.room), b = try simulation(Maps.room)
        var ea: [SimEvent] = [], eb: [SimEvent] = []
        run(script(seed: 1, ticks: 500), on: &a, events: &ea)
        run(script(seed: 2, ticks: 500), on: &b, events: &eb)
        #expect(a.players != b.players)
    }

    @Test func stepToSkipsTicks() throws {
        var sim = try simulation(Maps.room)
        sim.step(to: 10)
        #expect(sim.tick == 10)
        sim.step()
        #expect(sim.tick == 11)
        let late = ZoneSimulation(map: sim.map, zone: sim.zone, startTick: 1_000_000)
        #expect(late.tick == 1_000_000)
    }
}
