import SeamTesting
import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

/// Interest selection: the ring search must return exactly the nearest players a brute-force scan finds.
@Suite struct InterestTests {
    /// `walk`: ticks the players wander from their spawn points first (few: a dense crowd, hundreds of
    /// players per grid cell).
    @Test(arguments: [(1, 120), (5, 120), (40, 120), (500, 120), (80, 3), (5, 3)])
    func ringSearchMatchesBruteForce(limit: Int, walk: Int) throws {
        let map = try GameMap.load(path: SimulationPaths.map("continent"))
        let zone = try #require(map.zone(id: "b2"))
        var sim = ZoneSimulation(map: map, zone: zone)
        var rng = SplitMix64(seed: UInt64(limit))
        for id in 1...300 { sim.addPlayer(id: UInt32(id), name: "p\(id)") }
        // Scatter players by walking them in random directions for a while.
        for _ in 0..<walk {
            for p in sim.players {
                let cmd = InputCommand(moveX: Int8.random(in: -127...127, using: &rng),
                                       moveY: Int8.random(in: -127...127, using: &rng))
                sim.apply(cmd, sequence: 0, to: p.id)
            }
            sim.step()
        }
        var found: [(index: Int, distanceSquared: Double)] = []
        let r2 = sim.config.viewRadius * sim.config.viewRadius
        for i in sim.players.indices {
            sim.visiblePlayers(from: i, limit: limit, into: &found)
            let me = sim.players[i].position
            var brute: [(index: Int, d2: Double)] = []
            for j in sim.players.indices where j != i {
                let d2 = (sim.players[j].position - me).lengthSquared
                if d2 <= r2 { brute.append((j, d2)) }
            }
            brute.sort { a, b in a.d2 < b.d2 || (a.d2 == b.d2 && a.index < b.index) }
            let expected: [Int] = brute.prefix(limit).map { $0.index }
            let got: [Int] = found.sorted { a, b in
                a.distanceSquared < b.distanceSquared || (a.distanceSquared == b.distanceSquared && a.index < b.index)
            }.map { $0.index }
            #expect(got == expected)
        }
    }
}

enum SimulationPaths {
    static func map(_ name: String) -> String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("Maps/\(name).map").path
    }
}

import Foundation
