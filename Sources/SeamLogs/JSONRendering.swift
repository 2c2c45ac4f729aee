import Foundation

/// JSON output of the log tools. Keys are snake_case and documented in docs/LOGS.md; output is
/// pretty-printed with sorted keys so it is stable.
public enum LogJSON {
    /// Serializes a JSON-compatible value (dictionaries, arrays, strings, numbers, NSNull).
    public static func text(_ object: Any, pretty: Bool = true) -> String {
        var options: JSONSerialization.WritingOptions = [.sortedKeys, .withoutEscapingSlashes]
        if pretty { options.insert(.prettyPrinted) }
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: options) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    static func optional(_ value: Any?) -> Any { value ?? NSNull() }
}

extension LatencySummary {
    /// `count`, `p50`, `p90`, `p99`, `max` (null when `count` is 0).
    public var jsonObject: [String: Any] {
        ["count": count, "p50": LogJSON.optional(p50), "p90": LogJSON.optional(p90),
         "p99": LogJSON.optional(p99), "max": LogJSON.optional(max)]
    }
}

extension LogRecord {
    /// Every key always present, null when the record does not carry it.
    public var jsonObject: [String: Any] {
        ["type": type, "zone": zone, "tick": tick, "ms": ms, "player": LogJSON.optional(player),
         "epoch": LogJSON.optional(epoch), "from": LogJSON.optional(from), "to": LogJSON.optional(to),
         "x": LogJSON.optional(x), "y": LogJSON.optional(y), "digest": LogJSON.optional(digest),
         "reason": LogJSON.optional(reason), "name": LogJSON.optional(name)]
    }
}

extension JournalSummary {
    /// The summary as a JSON object (see docs/LOGS.md).
    public var jsonObject: [String: Any] {
        [
            "directory": directory,
            "files": files,
            "malformed": ["count": malformed.count, "first": LogJSON.optional(malformed.first)] as [String: Any],
            "zones": zones.map {
                ["zone": $0.zone, "records": $0.records, "first_tick": $0.firstTick, "last_tick": $0.lastTick,
                 "first_ms": $0.firstMs, "last_ms": $0.lastMs] as [String: Any]
            },
            "players": ["joined": players.joined, "left": players.left, "distinct": players.distinct,
                        "leave_reasons": players.leaveReasons] as [String: Any],
            "handoffs": ["offered": handoffs.offered, "accepted": handoffs.accepted,
                         "committed": handoffs.committed, "rejected": handoffs.rejected,
                         "aborted": handoffs.aborted, "in_doubt": handoffs.inDoubt,
                         "resolved": handoffs.resolved, "standby": handoffs.standby],
            "borders": borders.map { b in
                ["border": b.border,
                 "directions": b.directions.map {
                     ["from": $0.from, "to": $0.to, "offers": $0.offers, "accepts": $0.accepts,
                      "commits": $0.commits, "rejects": $0.rejects, "aborts": $0.aborts,
                      "in_doubt": $0.inDoubt] as [String: Any]
                 },
                 "offer_accept_ms": b.offerToAccept.jsonObject, "offer_commit_ms": b.offerToCommit.jsonObject,
                 "aborts": b.aborts, "rejects": b.rejects, "in_doubt": b.inDoubt] as [String: Any]
            },
            "coins": [
                "zones": coins.map {
                    ["zone": $0.zone, "tick": $0.tick, "ms": $0.ms, "ground": $0.ground, "carried": $0.carried,
                     "total": $0.total] as [String: Any]
                },
                "total": coinsTotal,
            ] as [String: Any],
        ]
    }
}

extension PlayerTimeline {
    /// The timeline as a JSON object (see docs/LOGS.md).
    public func jsonObject(malformed: MalformedLines) -> [String: Any] {
        let records = self.records
        let first = records.first?.ms ?? 0
        return [
            "player": player,
            "first_ms": LogJSON.optional(records.first?.ms),
            "records": records.map { r -> [String: Any] in
                var o = r.jsonObject
                o["offset_ms"] = r.ms - first
                return o
            },
            "owners": owners.map {
                ["zone": $0.zone, "epoch": LogJSON.optional($0.epoch), "start_ms": $0.startMs,
                 "end_ms": LogJSON.optional($0.endMs), "end": LogJSON.optional($0.end)] as [String: Any]
            },
            "malformed": ["count": malformed.count, "first": LogJSON.optional(malformed.first)] as [String: Any],
        ]
    }
}
