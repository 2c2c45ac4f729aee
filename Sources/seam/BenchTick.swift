import ArgumentParser
import Foundation
import SeamProtocol
import SeamSimulation
import SeamWorld

extension Seam {
    /// An in-process benchmark of one zone's tick: simulation step plus interest selection for every player,
    /// without the network. Used by docs/BENCHMARKS.md to show the cost grows linearly with players.
    struct BenchTick: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-tick",
            abstract: "Time one zone's tick (step + interest selection) in-process at N players.",
            discussion: """
                Example:
                  seam bench-tick --entities 1000 --entities 2000 --entities 4000
                """,
            shouldDisplay: false
        )

        @Option(help: "Players in the zone (repeatable).")
        var entities: [Int] = [1000, 2000, 4000]

        @Option(help: "Ticks to time per count (after 40 warm-up ticks).")
        var ticks: Int = 200

        @Option(help: "Map and zone to run.")
        var map: String = "Maps/continent.map"

        @Option(help: "Zone id.")
        var zone: String = "b2"

        @Option(help: "Others per snapshot (what a 1,200-byte full snapshot carries).")
        var limit: Int = 77

        func validate() throws {
            guard entities.allSatisfy({ (1...20000).contains($0) }) else { throw ValidationError("--entities must be in 1...20000") }
            guard ticks > 0 else { throw ValidationError("--ticks must be positive") }
        }

        func run() throws {
            let gameMap = try loadMap(map)
            let spec = try findZone(zone, in: gameMap, path: map)
            print("| players | tick mean ms | p50 | p99 | µs per player | visible per player |")
            print("|---|---|---|---|---|---|")
            for n in entities {
                var sim = ZoneSimulation(map: gameMap, zone: spec)
                var rng = SystemRandomNumberGenerator()
                for id in 1...n { sim.addPlayer(id: UInt32(id), name: "p\(id)") }
                var visible: [(index: Int, distanceSquared: Double)] = []
                var coins: [(id: UInt32, at: Vec2, distanceSquared: Double)] = []
                var times: [Double] = []
                var seen = 0
                for t in 0..<(ticks + 40) {
                    if t % 20 == 0 {
                        for p in sim.players {
                            sim.apply(InputCommand(moveX: Int8.random(in: -127...127, using: &rng),
                                                   moveY: Int8.random(in: -127...127, using: &rng)), sequence: UInt32(t + 1), to: p.id)
                        }
                    }
                    let start = monotonicNanos()
                    sim.step()
                    for i in sim.players.indices {
                        sim.visiblePlayers(from: i, limit: limit, into: &visible)
                        sim.visibleCoins(from: sim.players[i].position, into: &coins)
                        seen += visible.count
                    }
                    let elapsed = Double(monotonicNanos() - start) / 1e6
                    if t >= 40 { times.append(elapsed) }
                }
                times.sort()
                let mean = times.reduce(0, +) / Double(times.count)
                func pct(_ q: Double) -> Double { times[min(times.count - 1, Int(Double(times.count - 1) * q))] }
                print(String(format: "| %d | %.2f | %.2f | %.2f | %.2f | %.1f |", n, mean, pct(0.5), pct(0.99),
                             mean * 1000 / Double(n), Double(seen) / Double(n * (ticks + 40))))
            }
        }
    }
}
