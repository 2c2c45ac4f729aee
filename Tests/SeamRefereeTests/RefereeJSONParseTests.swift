import Foundation
@testable import SeamReferee
import Testing

/// The referee's own JSON reader: every value RFC 8259 allows, refusals of what it does not, and the same
/// records as through Foundation's `JSONSerialization` for journal lines of every type.
@Suite struct RefereeJSONParseTests {
    func parse(_ text: String) throws -> RefereeJSON { try RefereeJSON.parse(Array(text.utf8)) }

    @Test func valuesOfEveryKind() throws {
        #expect(try parse(" null ") == .null)
        #expect(try parse("true") == .bool(true))
        #expect(try parse("false") == .bool(false))
        #expect(try parse("0") == .int(0))
        #expect(try parse("-17") == .int(-17))
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        #expect(try parse("9223372036854775808") == .number(9223372036854775808.0), "past Int64: a double")
        #expect(try parse("1.5") == .number(1.5))
        #expect(try parse("-0.125e2") == .number(-12.5))
        #expect(try parse("2E-3") == .number(0.002))
        #expect(try parse("17.123") == .number(17.123), "correctly rounded, as strtod reads it")
        #expect(try parse("\"\"") == .string(""))
        #expect(try parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#) == .string("a\"b\\c/d\n\té😀"))
        #expect(try parse("\"zoné\"") == .string("zoné"))
        #expect(try parse("[]") == .array([]))
        #expect(try parse("{}") == .object([:]))
        #expect(try parse(#"{"a": [1, 2.5, "x", {"b": null}], "c" : true}"#)
                == .object(["a": .array([.int(1), .number(2.5), .string("x"), .object(["b": .null])]), "c": .bool(true)]))
        #expect(try parse(#"{"k":1,"k":2}"#) == .object(["k": .int(2)]), "the last of repeated keys")
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "[1,]", "[1 2]", "{\"a\" 1}", "{\"a\":1,}", "{1:2}", "01", "-", "1.", ".5", "1e", "+1",
        "\"abc", "\"a\u{01}b\"", #""\x""#, #""\ud800""#, #""\ud800\u0041""#, #""\u12""#, "[1] x", "{\"a\":1}}",
        String(repeating: "[", count: 65) + String(repeating: "]", count: 65),
    ])
    func refusals(_ text: String) {
        #expect(throws: MalformedRecord.self, "\(text.debugDescription)") { try parse(text) }
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: MalformedRecord.self) { try RefereeJSON.parse([0x22, 0xC3, 0x28, 0x22]) }
    }

    @Test func recordsAreWhatFoundationReads() throws {
        var h = History()
        h.start("west", coins: 3)
        h.join("west", 1001, History.p, x: 10.25)
        h.positions("west", 1020, [(History.p, 11.125), (History.q, 30.0)])
        h.leave("west", 1030, History.p)
        h.stop("west", 1040)
        let more = [
            #"{"type":"offer","zone":"west","tick":1005,"ms":1700000000250,"us":1700000000250123,"player":1048577,"epoch":2,"from":"west","to":"east","x":31.875,"y":1.5,"digest":"9f3a00c1d2e4b5a6","coins":2,"coin_ids":[4,9]}"#,
            #"{"type":"hit","zone":"east","tick":1006,"ms":1700000000300,"shooter":7,"target":8,"shot":3,"damage":25,"health":75,"from":"west"}"#,
            #"{"type":"kill","zone":"east","tick":1007,"ms":1700000000350,"killer":7,"victim":8,"shot":4}"#,
            #"{"type":"pickup","zone":"east","tick":1008,"ms":1700000000400,"player":7,"coin":12,"x":40.5,"y":2.25,"cause":"walk"}"#,
            #"{"type":"hit_result","zone":"west","tick":1009,"ms":1700000000450,"shooter":7,"target":8,"shot":5,"from":"east","outcome":"miss"}"#,
            #"{"type":"refuse","zone":"west","tick":1010,"ms":1700000000500,"message":"zone is full \"really\""}"#,
            #"{"type":"link","zone":"west","tick":1011,"ms":1700000000550,"neighbour":"east","state":"up"}"#,
        ]
        for line in h.lines + more {
            let ours = try RefereeRecord(line: Array(line.utf8), source: "t")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let foundations = try RefereeRecord(object: object, source: "t")
            #expect(ours == foundations, "\(line)")
        }
        let offer = try RefereeRecord(line: Array(more[0].utf8))
        #expect(offer.digest == 0x9f3a00c1d2e4b5a6 && offer.coinIDs == [4, 9] && offer.us == 1_700_000_000_250_123)
    }
}
