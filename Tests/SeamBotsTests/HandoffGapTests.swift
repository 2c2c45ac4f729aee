import Foundation
import Testing
@testable import SeamBots

/// The longest handoff gap is reported with the player, zone and time that find it in the journals.
@Suite struct HandoffGapTests {
    @Test func theLongestGapNamesItsPlayerZoneAndTime() throws {
        var s = SwarmStats()
        #expect(SwarmSummary.handoffs(s).hasSuffix("max 0 ms"), "no handoff, nothing named")
        s.elapsed = 12
        s.recordHandoffGap(ms: 40, player: 7, zone: "b1")
        s.elapsed = 130
        s.recordHandoffGap(ms: 31_935, player: 1_048_577, zone: "c3")
        s.elapsed = 200
        s.recordHandoffGap(ms: 900, player: 9, zone: "a2")
        #expect(s.handoffGap.totalCount == 3)
        #expect(s.longestHandoffGap == LongestGap(ms: 31_935, player: 1_048_577, zone: "c3", atSecond: 130))
        #expect(SwarmSummary.handoffs(s).hasSuffix("(player 1048577 to c3 at 130 s)"), "\(SwarmSummary.handoffs(s))")
        let handoffs = try #require(SwarmReport.json(stats: s, config: try config())["handoffs"] as? [String: Any])
        let longest = try #require(handoffs["longest_gap"] as? [String: Any])
        #expect(longest["player"] as? UInt32 == 1_048_577 && longest["zone"] as? String == "c3")
        #expect(longest["ms"] as? UInt64 == 31_935 && longest["at_s"] as? Double == 130)
    }

    func config() throws -> SwarmConfig {
        SwarmConfig(map: try BotTestMap.map(), targets: [], count: 1, behaviors: BehaviorMix(weights: [(.wander, 1)]))
    }
}
