import Foundation
import Testing
@testable import SeamProtocol

private func line(_ event: JournalEvent, zone: String = "west", tick: UInt64 = 1234, ms: Int64 = 1_700_000_000_123) -> String {
    var out = ""
    JournalRecord(zone: zone, tick: tick, timeMs: ms, event: event).appendJSONLine(to: &out)
    return out
}

private func parse(_ line: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8))
    return try #require(object as? [String: Any])
}

private func number(_ any: Any?) -> Double? { (any as? NSNumber)?.doubleValue }

@Suite struct JournalRecordTests {
    static var all: [(JournalEvent, [String: Any])] { [
        (.start(map: "duel", tickRate: 20, coinsInZone: 20, capacity: 1000),
         ["v": 1, "map": "duel", "tick_rate": 20, "coins": 20, "capacity": 1000]),
        (.join(player: 1_048_577, name: "ann", x: 3.5, y: 1.25), ["player": 1_048_577, "name": "ann", "x": 3.5, "y": 1.25]),
        (.leave(player: 2_097_153, reason: "left"), ["player": 2_097_153, "reason": "left"]),
        (.pickup(player: 5, coin: 17, x: 12.5, y: 7.5), ["player": 5, "coin": 17, "x": 12.5, "y": 7.5]),
        (.drop(player: 5, coin: 17, x: 0.3, y: 31.7, cause: "death"),
         ["player": 5, "coin": 17, "x": 0.3, "y": 31.7, "cause": "death"]),
        (.hit(shooter: 1, target: 2, shot: 99, damage: 25, health: 75),
         ["shooter": 1, "target": 2, "shot": 99, "damage": 25, "health": 75]),
        (.kill(killer: 1, victim: 2, shot: 120), ["killer": 1, "victim": 2, "shot": 120]),
        (.respawn(player: 2, x: 60.5, y: 30.5), ["player": 2, "x": 60.5, "y": 30.5]),
        (.digest(players: 3, coinsGround: 18, coinsCarried: 2), ["players": 3, "coins_ground": 18, "coins_carried": 2]),
        (.refuse(peer: "127.0.0.1:50000", code: "wrongVersion", message: "protocol version 2 is not supported"),
         ["peer": "127.0.0.1:50000", "code": "wrongVersion", "message": "protocol version 2 is not supported"]),
        (.stop(reason: "stopped"), ["reason": "stopped"]),
    ] }

    @Test func everyEventIsOneParsableLineWithItsKeys() throws {
        var types: Set<String> = []
        for (event, fields) in Self.all {
            let text = line(event)
            #expect(text.hasSuffix("\n"))
            #expect(text.dropLast().contains("\n") == false)
            #expect(text.hasPrefix("{\"type\":\"\(event.typeName)\""))
            let object = try parse(text)
            #expect(object["type"] as? String == event.typeName)
            #expect(object["zone"] as? String == "west")
            #expect(number(object["tick"]) == 1234)
            #expect((object["ms"] as? NSNumber)?.int64Value == 1_700_000_000_123)
            #expect(Set(object.keys) == Set(["type", "zone", "tick", "ms"]).union(fields.keys), "\(text)")
            for (key, expected) in fields {
                if let s = expected as? String {
                    #expect(object[key] as? String == s, "\(key) in \(text)")
                } else {
                    let e = try #require(number(expected))
                    let got = try #require(number(object[key]), "\(key) in \(text)")
                    #expect(abs(got - e) < 1e-9, "\(key) in \(text)")
                }
            }
            types.insert(event.typeName)
        }
        #expect(types == ["start", "join", "leave", "pickup", "drop", "hit", "kill", "respawn", "digest", "refuse", "stop"])
    }

    @Test func positionsHaveThreeDecimals() {
        #expect(line(.respawn(player: 1, x: 1.5, y: 2)).contains("\"x\":1.500,\"y\":2.000"))
        #expect(line(.respawn(player: 1, x: 0.0004, y: 10.0625)).contains("\"x\":0.000,\"y\":10.063"))
        #expect(line(.respawn(player: 1, x: -1.25, y: 0.05)).contains("\"x\":-1.250,\"y\":0.050"))
        #expect(line(.pickup(player: 1, coin: 2, x: 1023.9999, y: 7)).contains("\"x\":1024.000"))
    }

    @Test func exactLine() {
        #expect(line(.kill(killer: 1_048_577, victim: 2_097_154, shot: 61), zone: "a1", tick: 7, ms: 42)
            == "{\"type\":\"kill\",\"zone\":\"a1\",\"tick\":7,\"ms\":42,\"killer\":1048577,\"victim\":2097154,\"shot\":61}\n")
        #expect(line(.start(map: "duel", tickRate: 20, coinsInZone: 20, capacity: 1000), zone: "west", tick: 0, ms: 1)
            == "{\"type\":\"start\",\"zone\":\"west\",\"tick\":0,\"ms\":1,\"v\":1,\"map\":\"duel\",\"tick_rate\":20,\"coins\":20,\"capacity\":1000}\n")
    }

    @Test func stringsAreEscaped() throws {
        var nasty = "quote\" backslash\\ slash/ newline\n return\r tab\t bell\u{07} nul\u{00} esc\u{1B} unit\u{1F} del\u{7F}"
        nasty += " é€🎮 \u{2028}"
        for event: JournalEvent in [
            .join(player: 1, name: nasty, x: 1, y: 1),
            .leave(player: 1, reason: nasty),
            .drop(player: 1, coin: 1, x: 1, y: 1, cause: nasty),
            .refuse(peer: nasty, code: nasty, message: nasty),
            .stop(reason: nasty),
            .start(map: nasty, tickRate: 20, coinsInZone: 0, capacity: 1),
        ] {
            let text = line(event, zone: nasty)
            #expect(text.filter { $0 == "\n" }.count == 1)
            #expect(!text.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
            #expect(text.contains("\\u0007") && text.contains("\\u0000") && text.contains("\\u001b") && text.contains("\\u001f"))
            let object = try parse(text)
            #expect(object["zone"] as? String == nasty)
            for key in ["name", "reason", "cause", "peer", "code", "message", "map"] where object[key] != nil {
                #expect(object[key] as? String == nasty, "\(key)")
            }
        }
    }

    @Test func linesAppend() throws {
        var out = ""
        for (event, _) in Self.all {
            JournalRecord(zone: "z", tick: 1, timeMs: 2, event: event).appendJSONLine(to: &out)
        }
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == Self.all.count + 1)
        #expect(lines.last == "")
        for l in lines.dropLast() { _ = try parse(String(l)) }
    }
}
