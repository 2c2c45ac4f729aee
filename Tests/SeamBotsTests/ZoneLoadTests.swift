import SeamBots
import SeamProtocol
import Testing

/// What the swarm makes of ZoneStatus messages: one sample per report however many bots receive it, the
/// newest report shown, and the figures in the JSON report.
@Suite struct ZoneLoadTests {
    func report(tick: UInt32, p50: UInt32, p99: UInt32, players: UInt16 = 10, flags: UInt8 = 0) -> ZoneStatusReport {
        ZoneStatusReport(zoneIndex: 1, tick: tick, ticks: 20, tickP50Micros: p50, tickP99Micros: p99,
                         tickMaxMicros: p99 + 100, players: players, ghosts: 2, entityLimit: 128, flags: flags)
    }

    @Test func copiesAndOlderReportsAreNotCountedTwice() {
        var z = ZoneLoad(id: "b", index: 1)
        let taken = [
            z.note(report(tick: 40, p50: 1000, p99: 2000), at: 2),
            z.note(report(tick: 40, p50: 1000, p99: 2000), at: 2),
            z.note(report(tick: 20, p50: 9000, p99: 9000), at: 2),
            z.note(report(tick: 60, p50: 3000, p99: 4000, players: 30, flags: ZoneStatusReport.degrading), at: 3),
        ]
        #expect(taken == [true, false, false, true])
        #expect(z.reports == 2)
        #expect(z.latest?.tick == 60)
        #expect(z.playersPeak == 30)
        #expect(z.degradingReports == 1)
        #expect(z.tickMaxMicros == 4100)
        #expect(z.current(at: 5) != nil)
        #expect(z.current(at: 6) == nil, "silent for three seconds: shown as unknown")
    }

    @Test func ticksWrapAround() {
        var z = ZoneLoad(id: "b", index: 1)
        let first = z.note(report(tick: 0xFFFF_FFF0, p50: 1, p99: 1), at: 0)
        let afterWrap = z.note(report(tick: 4, p50: 1, p99: 1), at: 1)
        #expect(first && afterWrap)
    }

    @Test func runPercentilesComeFromThePerSecondReports() {
        var z = ZoneLoad(id: "b", index: 1)
        for second in 1...100 {
            z.note(report(tick: UInt32(second * 20), p50: 1000, p99: second == 100 ? 50_000 : 2000), at: Double(second))
        }
        #expect(z.runTickP50Micros == 1000)
        // 99 of the 100 seconds had a p99 of 2 ms: the run's p99 of p99s is 2 ms, its max tick 50.1 ms.
        #expect(z.runTickP99Micros >= 2000 && z.runTickP99Micros < 2010)
        #expect(z.tickMaxMicros == 50_100)
    }

    @Test func theReportHasZonesPhasesAndHandoffRates() throws {
        let map = try BotTestMap.map()
        let config = SwarmConfig(map: map, targets: [], count: 1, behaviors: try BehaviorMix(parsing: "wander"))
        var stats = SwarmStats()
        stats.zones = map.zones.map { ZoneLoad(id: $0.id, index: $0.index) }
        stats.zones[1].note(report(tick: 20, p50: 1500, p99: 2500, players: 7), at: 1)
        stats.handoffs = 30
        stats.elapsed = 10
        stats.handoffsPerSecondMax = 9
        let json = SwarmReport.json(stats: stats, config: config)
        #expect(json["seam_report"] as? Int == 2)
        let zones = try #require(json["zones"] as? [[String: Any]])
        #expect(zones.map { $0["zone"] as? String } == ["b"], "zones bots were sent to or heard from")
        #expect(zones[0]["players_peak"] as? Int == 7)
        let tick = try #require(zones[0]["tick_ms"] as? [String: Any])
        #expect(tick["p50"] as? Double == 1.5)
        #expect(tick["p99"] as? Double == 2.5)
        let handoffs = try #require(json["handoffs"] as? [String: Any])
        #expect(handoffs["per_second"] as? Double == 3)
        #expect(handoffs["per_second_max"] as? Double == 9)
    }
}
