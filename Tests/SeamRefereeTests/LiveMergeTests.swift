import Foundation
import Testing
@testable import SeamReferee

/// The live referee releases records in the order the offline one reads the journals, even when records
/// of one zone share a millisecond with another zone's handoff records.
@Suite struct LiveMergeTests {
    func record(_ type: String, _ zone: String, ms: Int64, player: UInt32 = 7) throws -> RefereeRecord {
        let line = "{\"type\":\"\(type)\",\"zone\":\"\(zone)\",\"tick\":1,\"ms\":\(ms),\"player\":\(player),"
            + "\"epoch\":2,\"from\":\"b\",\"to\":\"a\",\"x\":1.0,\"y\":1.0}"
        return try RefereeRecord(line: Array(line.utf8), source: zone)
    }

    /// Zone a accepts a player and at once journals a standby for it in the same millisecond in which zone b
    /// offered it: a sort by time and phase put a's standby before a's accept (a false single-owner
    /// violation); the merge keeps each zone's order, as the offline reading does.
    @Test func aZoneKeepsItsOwnOrderWithinAMillisecond() throws {
        let a = [try record("accept", "a", ms: 5), try record("standby", "a", ms: 5)]
        let b = [try record("offer", "b", ms: 5), try record("commit", "b", ms: 6)]
        let order = LiveMerge.queueOrder(["b", "a"])
        var merge = LiveMerge(zoneCount: 2)
        for r in b { merge.append(r, queue: order[0]) }
        for r in a { merge.append(r, queue: order[1]) }
        let released = merge.release(upTo: 100)
        #expect(released.map { "\($0.zone):\($0.type)" } == ["b:offer", "a:accept", "a:standby", "b:commit"])
        #expect(try offline(a: a, b: b) == released.map { "\($0.zone):\($0.type)" })
    }

    @Test func nothingLaterThanTheWatermarkIsReleased() throws {
        var merge = LiveMerge(zoneCount: 2)
        merge.append(try record("join", "a", ms: 10), queue: 0)
        merge.append(try record("join", "a", ms: 30), queue: 0)
        merge.append(try record("join", "b", ms: 20), queue: 1)
        #expect(merge.release(upTo: 25).map(\.ms) == [10, 20])
        #expect(merge.release(upTo: 25).isEmpty)
        merge.append(try record("leave", "b", ms: 31), queue: 1)
        #expect(merge.release(upTo: 40).map(\.ms) == [30, 31])
    }

    /// A zone whose records come late holds the others' back until it has sent a later one, so its `offer`
    /// is still checked before the neighbour's `accept` of the same player; a zone that falls further behind
    /// than the maximum hold holds nobody back past it, and one not streaming not at all.
    @Test func aLaggingZoneHoldsTheOthersBackUpToTheMaximumHold() throws {
        var merge = LiveMerge(zoneCount: 2)
        let streaming = [true, true]
        func watermark(_ now: Int64) -> Int64 { merge.watermark(now: now, delay: 300, maximumHold: 10_000, streaming: streaming) }
        merge.append(try record("accept", "a", ms: 1_005), queue: 0)
        merge.append(try record("join", "a", ms: 1_900), queue: 0)
        merge.append(try record("join", "b", ms: 900), queue: 1)
        // At 2,000 ms the fixed hold-back alone would release a's accept (1,005 <= 1,700); b's newest is 900.
        #expect(watermark(2_000) == 899)
        #expect(merge.release(upTo: watermark(2_000)).isEmpty)
        // b's late offer of the same player (1,004 ms) and a later record arrive: now the offer comes first.
        merge.append(try record("offer", "b", ms: 1_004), queue: 1)
        merge.append(try record("join", "b", ms: 1_950), queue: 1)
        #expect(merge.release(upTo: watermark(2_100)).map { "\($0.zone):\($0.type)" } == ["b:join", "b:offer", "a:accept"])
        // b stalls: a's records wait at most the maximum hold.
        merge.append(try record("join", "a", ms: 2_900), queue: 0)
        #expect(watermark(3_000) == 1_949)
        #expect(watermark(12_950) == 2_950)
        #expect(merge.release(upTo: watermark(12_950)).map(\.ms) == [1_900, 1_950, 2_900])
        // A zone not observed holds nobody back.
        #expect(merge.watermark(now: 3_000, delay: 300, maximumHold: 10_000, streaming: [true, false]) == 2_700)
    }

    /// The same records as journal files, read by `JournalSource`.
    func offline(a: [RefereeRecord], b: [RefereeRecord]) throws -> [String] {
        let dir = NSTemporaryDirectory() + "seam-merge-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (zone, records) in [("a", a), ("b", b)] {
            let lines = records.map { r in
                "{\"type\":\"\(r.type)\",\"zone\":\"\(zone)\",\"tick\":1,\"ms\":\(r.ms),\"player\":7,"
                    + "\"epoch\":2,\"from\":\"b\",\"to\":\"a\",\"x\":1.0,\"y\":1.0}"
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: dir + "/\(zone).jsonl", atomically: true, encoding: .utf8)
        }
        let source = try JournalSource(directory: dir)
        var out: [String] = []
        while let r = try source.next() { out.append("\(r.zone):\(r.type)") }
        return out
    }
}
