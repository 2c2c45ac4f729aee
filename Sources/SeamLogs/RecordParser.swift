import Foundation

/// Turns one journal line into a `LogRecord` with Foundation's JSONSerialization.
public enum RecordParser {
    /// Parses `line`; nil when it is not a JSON object with string `type` and `zone` and integer `tick`
    /// and `ms`, or when a handoff phase lacks `player`, `epoch`, `from` or `to`.
    public static func parse(_ line: Substring, file: String = "", lineNumber: Int = 0) -> LogRecord? {
        parse(Data(line.utf8), file: file, lineNumber: lineNumber)
    }

    /// Parses one line given as bytes (without its newline).
    public static func parse(_ data: Data, file: String = "", lineNumber: Int = 0) -> LogRecord? {
        guard let object = try? JSONSerialization.jsonObject(with: data),
              let o = object as? [String: Any],
              let type = o["type"] as? String, let zone = o["zone"] as? String,
              let tick = integer(o["tick"]).flatMap({ UInt64(exactly: $0) }),
              let ms = integer(o["ms"])
        else { return nil }
        var r = LogRecord(type: type, zone: zone, tick: tick, ms: ms, file: file, line: lineNumber)
        r.player = integer(o["player"]).flatMap { UInt32(exactly: $0) }
        r.epoch = integer(o["epoch"]).flatMap { UInt32(exactly: $0) }
        r.from = o["from"] as? String
        r.to = o["to"] as? String
        r.x = real(o["x"])
        r.y = real(o["y"])
        r.digest = o["digest"] as? String
        r.reason = (o["reason"] as? String) ?? (o["cause"] as? String)
        r.name = o["name"] as? String
        r.coinsGround = integer(o["coins_ground"]).map { Int($0) }
        r.coinsCarried = integer(o["coins_carried"]).map { Int($0) }
        if r.isHandoff, r.player == nil || r.epoch == nil || r.from == nil || r.to == nil { return nil }
        if type == "join" || type == "leave", r.player == nil { return nil }
        if type == "digest", r.coinsGround == nil || r.coinsCarried == nil { return nil }
        return r
    }

    /// An integral JSON number (booleans and fractions are not).
    static func integer(_ value: Any?) -> Int64? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        if let exact = Int64(exactly: n.doubleValue), n.doubleValue.magnitude < 9.0e15 { return exact }
        // Past 2^53 a Double is not exact: trust the integer value when the number is integral.
        return n.doubleValue.rounded() == n.doubleValue ? n.int64Value : nil
    }

    /// Any JSON number (booleans are not).
    static func real(_ value: Any?) -> Double? {
        guard let n = value as? NSNumber, !isBoolean(n) else { return nil }
        return n.doubleValue
    }

    /// JSONSerialization gives `true` and `false` as a dedicated NSNumber subclass.
    private static func isBoolean(_ n: NSNumber) -> Bool {
        ObjectIdentifier(type(of: n)) == booleanClass
    }

    private static let booleanClass = ObjectIdentifier(type(of: NSNumber(value: true)))
}
