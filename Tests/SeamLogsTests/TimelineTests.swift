import Foundation
import SeamLogs
import Testing

@Suite struct TimelineTests {
    @Test func mergedInTimeThenPhaseOrder() throws {
        let (t, malformed) = try JournalAnalysis.timeline(of: 1, in: try Fixtures.directory())
        #expect(malformed.count == 1)
        let seen = t.records.map { "\($0.zone):\($0.type):\($0.epoch.map(String.init) ?? "-")" }
        #expect(seen == [
            "west:join:-", "west:standby:1", "west:offer:2", "east:accept:2", "west:commit:2",
            // Same millisecond (1502): the offer comes before the accept.
            "east:offer:3", "west:accept:3", "east:commit:3",
            "west:offer:4", "west:in_doubt:4", "west:resolve:5",
        ])
    }

    @Test func ownerHistory() throws {
        let (t, _) = try JournalAnalysis.timeline(of: 1, in: try Fixtures.directory())
        let owners = t.owners
        #expect(owners.map(\.zone) == ["west", "east", "west", "west"])
        #expect(owners.map(\.epoch) == [1, 2, 3, 5])
        #expect(owners.map(\.startMs) == [1100, 1203, 1502, 7100])
        #expect(owners.map(\.endMs) == [1203, 1502, 7100, nil])
        #expect(owners.map(\.end) == ["handoff", "handoff", "resolve", nil])
    }

    @Test func leaveClosesOwnership() throws {
        let (t, _) = try JournalAnalysis.timeline(of: 2, in: try Fixtures.directory())
        #expect(t.records.map(\.type) == ["join", "offer", "reject", "abort", "leave"])
        #expect(t.owners == [.init(zone: "west", epoch: 1, startMs: 1600, endMs: 8100, end: "leave")])
    }

    @Test func textLinesShowOffsetsAndDetails() throws {
        let (t, _) = try JournalAnalysis.timeline(of: 1, in: try Fixtures.directory())
        let lines = t.textLines
        #expect(lines[0].hasPrefix("player 1: 11 records in 2 zones"))
        #expect(lines.contains { $0.contains("103") && $0.contains("accept") && $0.contains("west→east")
            && $0.contains("(34.300, 3.500)") && $0.contains("digest abc1") })
        #expect(lines.contains("owners:"))
        #expect(lines.last?.contains("still owned") == true)
    }

    @Test func unknownPlayerHasNoRecords() throws {
        let (t, _) = try JournalAnalysis.timeline(of: 99, in: try Fixtures.directory())
        #expect(t.records.isEmpty)
        #expect(t.textLines == ["player 99: no records"])
    }
}
