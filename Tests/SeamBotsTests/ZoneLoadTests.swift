import SeamBots
import SeamProtocol
import Testing

/// What the swarm makes of ZoneStatus messages: one sample per report however many bots receive it, the
/// newest report shown, and the figures in the JSON report.
@Suite struct ZoneLoadTests {
    /// A second of 20 ticks: 19 of `p50` µs and one of `longest`.
    func report(tick: UInt32, p50: UInt32, longest: UInt32, players: UInt16 = 10, flags: UInt8 = 0) -> ZoneStatusReport {
        ZoneStatusReport(zoneIndex: 1, tick: tick, tickMicros: Array(repeating: p50, count: 19) + [longest],
                         players: players, ghosts: 2, entityLimit: 128, flags: flags)
    }

    @Test func copiesAndOlderReportsAreNotCountedTwice() {
        var z = ZoneLoad(id: "b", index: 1)
        let taken = [
            z.note(report(tick: 40, p50: 1000, longest: 2000), at: 2),
            z.note(report(tick: 40, p50: 1000, longest: 2000), at: 2),
            z.note(report(tick: 20, p50: 9000, longest: 9000), at: 2),
            z.note(report(tick: 60, p50: 3000, longest: 4000, players: 30, flags: ZoneStatusReport.degrading), at: 3),
        ]
        #expect(taken == [true, false, false, true])
        #expect(z.reports == 2)
        #expect(z.latest?.tick == 60)
        #expect(z.playersPeak == 30)
        #expect(z.degradingReports == 1)
        #expect(z.tickMaxMicros == 4000)
        #expect(z.current(at: 5) != nil)
        #expect(z.current(at: 6) == nil, "silent for three seconds: shown as unknown")
    }

    @Test func ticksWrapAround() {
        var z = ZoneLoad(id: "b", index: 1)
        let first = z.note(report(tick: 0xFFFF_FFF0, p50: 1, longest: 1), at: 0)
        let afterWrap = z.note(report(tick: 4, p50: 1, longest: 1), at: 1)
        #expect(first && afterWrap)
    }

    @Test func runPercentilesComeFromEveryTickReported() {
        var z = ZoneLoad(id: "b", index: 1)
        // 100 seconds of 20 ticks of 1 ms, but for one tick of 60 ms in 5 of the seconds.
        for second in 1...100 {
            z.note(report(tick: UInt32(second * 20), p50: 1000, longest: second % 20 == 0 ? 60_000 : 1000), at: Double(second))
        }
        #expect(z.tickWork.totalCount == 2000)
        #expect(z.runTickP50Micros == 1000)
        // 5 of the 2,000 ticks (0.25%) took 60 ms: the run's p99 is 1 ms; but 5% of the seconds had a 60 ms
        // tick, so the p99 of the seconds' longest ticks is 60 ms.
        #expect(z.runTickP99Micros == 1000)
        #expect(z.runSecondMaxP99Micros >= 60_000 && z.runSecondMaxP99Micros < 60_100)
        #expect(z.tickMaxMicros == 60_000)
    }

    @Test func theReportHasZonesPhasesAndHandoffRates() throws {
        let map = try BotTestMap.map()
        let config = SwarmConfig(map: map, targets: [], count: 1, behaviors: try BehaviorMix(parsing: "wander"))
        var stats = SwarmStats()
        stats.zones = map.zones.map { ZoneLoad(id: $0.id, index: $0.index) }
        stats.zones[1].note(report(tick: 20, p50: 1500, longest: 2500, players: 7), at: 1)
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
