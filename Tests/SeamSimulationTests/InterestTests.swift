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

    /// With members of the current view favoured (measured at `viewHysteresis` times their distance), the
    /// search still returns exactly what a brute-force scan by that measure finds: favoured players kept
    /// beyond the view radius and ahead of slightly nearer newcomers.
    @Test(arguments: [5, 40, 80])
    func favouredMembersKeepTheirPlaceByTheHysteresisMeasure(limit: Int) throws {
        let map = try GameMap.load(path: SimulationPaths.map("continent"))
        let zone = try #require(map.zone(id: "b2"))
        var sim = ZoneSimulation(map: map, zone: zone)
        var rng = SplitMix64(seed: UInt64(limit) + 7)
        for id in 1...300 { sim.addPlayer(id: UInt32(id), name: "p\(id)") }
        for _ in 0..<120 {
            for p in sim.players {
                sim.apply(InputCommand(moveX: Int8.random(in: -127...127, using: &rng),
                                       moveY: Int8.random(in: -127...127, using: &rng)), sequence: 0, to: p.id)
            }
            sim.step()
        }
        let favour2 = ZoneSimulation.viewHysteresis * ZoneSimulation.viewHysteresis
        let favoured = { (j: Int) in j % 3 == 0 }
        let r2 = sim.config.viewRadius * sim.config.viewRadius
        var found: [(index: Int, distanceSquared: Double)] = []
        var beyondRadius = 0
        for i in sim.players.indices {
            sim.visiblePlayers(from: i, limit: limit, favouring: favoured, into: &found)
            let me = sim.players[i].position
            var brute: [(index: Int, measure: Double)] = []
            for j in sim.players.indices where j != i {
                let d2 = (sim.players[j].position - me).lengthSquared
                let measure = favoured(j) ? d2 * favour2 : d2
                if measure <= r2 { brute.append((j, measure)) }
            }
            brute.sort { a, b in a.measure < b.measure || (a.measure == b.measure && a.index < b.index) }
            let expected = Array(brute.prefix(limit))
            let got = found.sorted { a, b in
                a.distanceSquared < b.distanceSquared || (a.distanceSquared == b.distanceSquared && a.index < b.index)
            }
            #expect(got.map(\.index) == expected.map(\.index))
            #expect(got.map(\.distanceSquared) == expected.map(\.measure))
            beyondRadius += got.filter { (sim.players[$0.index].position - me).lengthSquared > r2 }.count
        }
        if limit >= 40 { #expect(beyondRadius > 0, "some favoured member beyond the view radius was kept") }
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
