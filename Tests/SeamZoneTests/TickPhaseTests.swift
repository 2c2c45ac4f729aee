import SeamNet
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// Zones of one map tick at different moments of the period by default (each still numbers its ticks by the
/// world clock), so that zones sharing a machine do not all wake at once.
@Suite struct TickPhaseTests {
    @Test func theDefaultPhasesSpreadTheMapsZonesOverThePeriod() throws {
        let map = try GameMap.load(path: SeamProcess.mapPath("continent"))
        let phases = map.zones.map { zone in
            ZoneConfig(map: map, zone: zone, bind: NetAddress(host: 0, port: 0)).effectiveTickPhase
        }
        #expect(phases.count == 16)
        #expect(phases.allSatisfy { $0 >= 0 && $0 < 1 })
        // Sorted round the period, no two closer than half an even share (1/32 of the period here).
        let sorted = phases.sorted()
        let gaps = zip(sorted, sorted.dropFirst()).map { $1 - $0 } + [1 - sorted.last! + sorted.first!]
        #expect(gaps.min()! >= 0.5 / 16, "gaps \(gaps)")
        // A map of one zone ticks at the world clock's tick starts.
        #expect(ZoneConfig.defaultTickPhase(position: 0, of: 1) == 0)
    }

    @Test func aGivenPhaseWins() throws {
        let map = try GameMap.load(path: SeamProcess.mapPath("quad"))
        var config = ZoneConfig(map: map, zone: map.zones[1], bind: NetAddress(host: 0, port: 0))
        #expect(config.effectiveTickPhase > 0)
        config.tickPhase = 0
        #expect(config.effectiveTickPhase == 0)
    }
}
