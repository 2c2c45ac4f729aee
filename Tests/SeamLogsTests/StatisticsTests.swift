import Foundation
import SeamLogs
import Testing

@Suite struct StatisticsTests {
    @Test func countsEverything() throws {
        let s = try JournalAnalysis.summary(of: try Fixtures.directory())
        #expect(s.files == ["east.jsonl", "west.jsonl"])
        #expect(s.zones.map(\.zone) == ["east", "west"])
        #expect(s.zones.map(\.records) == [7, 15])
        #expect(s.zones[1].firstTick == 0 && s.zones[1].lastTick == 160)
        #expect(s.players.joined == 2 && s.players.distinct == 2 && s.players.left == 1)
        #expect(s.players.leaveReasons == ["left": 1])
        let h = s.handoffs
        #expect(h.offered == 4 && h.accepted == 2 && h.committed == 2)
        #expect(h.rejected == 1 && h.aborted == 1 && h.inDoubt == 1 && h.resolved == 1 && h.standby == 1)
    }

    @Test func borderDirectionsAndLatencies() throws {
        let s = try JournalAnalysis.summary(of: try Fixtures.directory())
        try #require(s.borders.count == 1)
        let b = s.borders[0]
        #expect(b.border == "east|west")
        let ew = b.directions[0], we = b.directions[1]
        #expect(ew.from == "east" && ew.to == "west" && ew.offers == 1 && ew.accepts == 1 && ew.commits == 1)
        #expect(ew.rejects == 0 && ew.aborts == 0 && ew.inDoubt == 0)
        #expect(we.from == "west" && we.to == "east" && we.offers == 3 && we.accepts == 1 && we.commits == 1)
        #expect(we.rejects == 1 && we.aborts == 1 && we.inDoubt == 1)
        // accept − offer: 3 ms (epoch 2) and 0 ms (epoch 3); commit − offer: 5 ms and 8 ms.
        #expect(b.offerToAccept == LatencySummary([3, 0]))
        #expect(b.offerToAccept.count == 2 && b.offerToAccept.p50 == 0 && b.offerToAccept.p90 == 3)
        #expect(b.offerToAccept.p99 == 3 && b.offerToAccept.max == 3)
        #expect(b.offerToCommit.p50 == 5 && b.offerToCommit.p90 == 8 && b.offerToCommit.max == 8)
        #expect(b.aborts == 1 && b.inDoubt == 1 && b.rejects == 1)
    }

    @Test func coinsAtLastDigests() throws {
        let s = try JournalAnalysis.summary(of: try Fixtures.directory())
        #expect(s.coins.map(\.zone) == ["east", "west"])
        #expect(s.coins.map(\.total) == [20, 20])
        #expect(s.coins[1].tick == 160 && s.coins[1].ground == 19 && s.coins[1].carried == 1)
        #expect(s.coinsTotal == 40)
    }

    @Test func malformedLineIsCountedWithItsPlace() throws {
        let s = try JournalAnalysis.summary(of: try Fixtures.directory())
        #expect(s.malformed.count == 1)
        #expect(s.malformed.message == "1 malformed line skipped, first at west.jsonl:14")
        #expect(s.textLines.contains("1 malformed line skipped, first at west.jsonl:14"))
    }

    @Test func textSummaryReadsAtAGlance() throws {
        let lines = try JournalAnalysis.summary(of: try Fixtures.directory()).textLines
        #expect(lines.contains("handoffs: 4 offered, 2 committed, 1 aborted, 1 rejected, 1 in doubt (1 resolved)"))
        #expect(lines.contains("players: 2 joined (2 distinct), 1 left (left 1)"))
        #expect(lines.contains { $0.contains("east|west") && $0.contains("0/3/3/3") && $0.contains("5/8/8/8") })
        #expect(lines.contains { $0.hasPrefix("coins") && $0.hasSuffix("cluster total 40") })
    }

    @Test func percentilesAreNearestRank() {
        let values = (1...100).map { Int64($0) }
        #expect(Percentiles.value(50, ofSorted: values) == 50)
        #expect(Percentiles.value(90, ofSorted: values) == 90)
        #expect(Percentiles.value(99, ofSorted: values) == 99)
        #expect(Percentiles.value(100, ofSorted: values) == 100)
        #expect(Percentiles.value(50, ofSorted: [7]) == 7)
        #expect(Percentiles.value(50, ofSorted: []) == nil)
        #expect(LatencySummary([]).text == "-")
    }
}
