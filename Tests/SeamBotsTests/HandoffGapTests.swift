import Foundation
import Testing
@testable import SeamBots

/// The longest handoff gap is reported with the player, zone and time that find it in the journals.
@Suite struct HandoffGapTests {
    @Test func theLongestGapNamesItsPlayerZoneAndTime() throws {
        var s = SwarmStats()
        #expect(SwarmSummary.handoffs(s).hasSuffix("max 0 ms; stalls 0 (0 past 60 s), misdirected 0"), "no handoff, nothing named")
        s.elapsed = 12
        s.recordHandoffGap(ms: 40, beforeOwnerMs: 0, player: 7, zone: "b1")
        s.elapsed = 130
        s.recordHandoffGap(ms: 31_935, beforeOwnerMs: 30_000, player: 1_048_577, zone: "c3")
        s.elapsed = 200
        s.recordHandoffGap(ms: 900, beforeOwnerMs: 20, player: 9, zone: "a2")
        #expect(s.handoffGap.totalCount == 3)
        #expect(s.longestHandoffGap
                == LongestGap(ms: 31_935, player: 1_048_577, zone: "c3", atSecond: 130, beforeOwnerMs: 30_000))
        #expect(SwarmSummary.handoffs(s).hasSuffix("(player 1048577 to c3 at 130 s, 30000 ms before the Owner); stalls 0 (0 past 60 s), misdirected 0"),
                "\(SwarmSummary.handoffs(s))")
        let handoffs = try #require(SwarmReport.json(stats: s, config: try config())["handoffs"] as? [String: Any])
        let longest = try #require(handoffs["longest_gap"] as? [String: Any])
        #expect(longest["player"] as? UInt32 == 1_048_577 && longest["zone"] as? String == "c3")
        #expect(longest["ms"] as? UInt64 == 31_935 && longest["at_s"] as? Double == 130)
        #expect(longest["before_owner_ms"] as? UInt64 == 30_000)
    }

    /// Standby attach times are reported with the slowest one's player, zone and time, beside the counts of
    /// standbys opened, attached, refused, lost and replaced.
    @Test func theSlowestStandbyAttachNamesItsPlayerZoneAndTime() throws {
        var s = SwarmStats()
        #expect(SwarmSummary.standbys(s) == "standbys: 0 opened, 0 attached, 0 refused, 0 lost, 0 replaced; attach p50 0 ms p99 0 ms "
                + "max 0 ms (connect p50 0 ms p99 0 ms max 0 ms)")
        s.standbysOpened = 5
        s.standbysRefused = 1
        s.standbysLost = 1
        s.standbysReplaced = 2
        s.elapsed = 30
        s.recordStandbyAttach(ms: 12, player: 3, zone: "a1")
        s.elapsed = 285
        s.recordStandbyAttach(ms: 2_640, player: 13_631_508, zone: "b3")
        s.recordStandbyAttach(ms: 90_000, player: 4, zone: "b3")
        s.standbyConnect.record(2_600)
        #expect(s.standbysAttached == 3)
        #expect(s.standbyAttach.max >= 60_000, "an attach past the histogram's range is kept at its top")
        #expect(s.slowestStandbyAttach == LongestGap(ms: 90_000, player: 4, zone: "b3", atSecond: 285))
        #expect(SwarmSummary.standbys(s).hasPrefix("standbys: 5 opened, 3 attached, 1 refused, 1 lost, 2 replaced; attach p50 "),
                "\(SwarmSummary.standbys(s))")
        let handoffs = try #require(SwarmReport.json(stats: s, config: try config())["handoffs"] as? [String: Any])
        let standbys = try #require(handoffs["standbys"] as? [String: Any])
        #expect(standbys["opened"] as? Int == 5 && standbys["attached"] as? Int == 3)
        #expect(standbys["refused"] as? Int == 1 && standbys["lost"] as? Int == 1 && standbys["replaced"] as? Int == 2)
        #expect((standbys["connect_ms"] as? [String: Any])?["max"] as? UInt64 ?? 0 >= 2_600)
        #expect(SwarmSummary.standbys(s).contains("(connect p50 "), "\(SwarmSummary.standbys(s))")
        let slowest = try #require(standbys["slowest_attach"] as? [String: Any])
        #expect(slowest["player"] as? UInt32 == 4 && slowest["zone"] as? String == "b3" && slowest["ms"] as? UInt64 == 90_000)
    }

    func config() throws -> SwarmConfig {
        SwarmConfig(map: try BotTestMap.map(), targets: [], count: 1, behaviors: BehaviorMix(weights: [(.wander, 1)]))
    }
}
