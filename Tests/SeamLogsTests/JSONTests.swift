import Foundation
import SeamLogs
import Testing

@Suite struct JSONTests {
    func parse(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func summaryHasTheDocumentedKeys() throws {
        let dir = try Fixtures.directory()
        let o = try parse(LogJSON.text(try JournalAnalysis.summary(of: dir).jsonObject))
        #expect(Set(o.keys) == ["directory", "files", "malformed", "zones", "players", "handoffs", "borders", "coins"])
        let handoffs = try #require(o["handoffs"] as? [String: Any])
        #expect(Set(handoffs.keys) == ["offered", "accepted", "committed", "rejected", "aborted", "in_doubt",
                                       "resolved", "standby"])
        #expect(handoffs["offered"] as? Int == 4)
        let malformed = try #require(o["malformed"] as? [String: Any])
        #expect(malformed["count"] as? Int == 1 && malformed["first"] as? String == "west.jsonl:14")
        let zones = try #require(o["zones"] as? [[String: Any]])
        #expect(Set(zones[0].keys) == ["zone", "records", "first_tick", "last_tick", "first_ms", "last_ms"])
        let border = try #require((o["borders"] as? [[String: Any]])?.first)
        #expect(Set(border.keys) == ["border", "directions", "offer_accept_ms", "offer_commit_ms", "aborts",
                                     "rejects", "in_doubt"])
        let accept = try #require(border["offer_accept_ms"] as? [String: Any])
        #expect(Set(accept.keys) == ["count", "p50", "p90", "p99", "max"])
        #expect(accept["p90"] as? Int == 3)
        let direction = try #require((border["directions"] as? [[String: Any]])?.first)
        #expect(Set(direction.keys) == ["from", "to", "offers", "accepts", "commits", "rejects", "aborts", "in_doubt"])
        let coins = try #require(o["coins"] as? [String: Any])
        #expect(coins["total"] as? Int == 40)
        let coinZone = try #require((coins["zones"] as? [[String: Any]])?.first)
        #expect(Set(coinZone.keys) == ["zone", "tick", "ms", "ground", "carried", "total"])
        let players = try #require(o["players"] as? [String: Any])
        #expect(Set(players.keys) == ["joined", "left", "distinct", "leave_reasons"])
    }

    @Test func emptyLatenciesAreNull() throws {
        let o = try parse(LogJSON.text(LatencySummary([]).jsonObject))
        #expect(o["count"] as? Int == 0)
        #expect(o["p50"] is NSNull)
    }

    @Test func timelineHasTheDocumentedKeys() throws {
        let (t, malformed) = try JournalAnalysis.timeline(of: 1, in: try Fixtures.directory())
        let o = try parse(LogJSON.text(t.jsonObject(malformed: malformed)))
        #expect(Set(o.keys) == ["player", "first_ms", "records", "owners", "malformed"])
        let records = try #require(o["records"] as? [[String: Any]])
        #expect(records.count == 11)
        #expect(Set(records[0].keys) == ["type", "zone", "tick", "ms", "offset_ms", "player", "epoch", "from", "to",
                                         "x", "y", "digest", "reason", "name"])
        #expect(records[3]["type"] as? String == "accept" && records[3]["offset_ms"] as? Int == 103)
        #expect(records[0]["epoch"] is NSNull)
        let owners = try #require(o["owners"] as? [[String: Any]])
        #expect(Set(owners[0].keys) == ["zone", "epoch", "start_ms", "end_ms", "end"])
        #expect(owners.count == 4)
    }
}
