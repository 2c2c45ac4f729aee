import Foundation

extension ImpairmentSpec {
    /// The keys a spec may hold, in the order `description` writes them.
    public static let keys = ["latency", "jitter", "loss", "burst", "dup", "reorder", "queue", "seed"]

    /// Largest latency, jitter or reorder delay: keeps a packet's wait well under the relay's idle timeout.
    public static let maximumDelayNanos: UInt64 = 10_000_000_000

    /// Parses `key=value` parts separated by commas (spaces around them ignored; an empty spec relays
    /// untouched). Errors name the offending part and say what would be accepted.
    public init(parsing text: String) throws(NetSimError) {
        self.init()
        var seen = Set<String>()
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let part = raw.trimmingCharacters(in: .whitespaces)
            if part.isEmpty {
                if text.trimmingCharacters(in: .whitespaces).isEmpty { return }
                throw NetSimError(
                    .badSpec, "empty part in spec '\(text)': parts are key=value separated by single commas")
            }
            guard let eq = part.firstIndex(of: "=") else {
                throw NetSimError(.badSpec, "spec part '\(part)' is not key=value (e.g. latency=75ms)")
            }
            let key = String(part[..<eq])
            let value = String(part[part.index(after: eq)...])
            guard Self.keys.contains(key) else {
                throw NetSimError(
                    .badSpec,
                    "spec part '\(part)': unknown key '\(key)'; known keys: \(Self.keys.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else {
                throw NetSimError(.badSpec, "spec part '\(part)': key '\(key)' given twice")
            }
            let field = Field(part: part, key: key)
            switch key {
            case "latency": latencyNanos = try field.duration(value)
            case "jitter": jitterNanos = try field.duration(value)
            case "loss": loss = try field.percent(value)
            case "dup": duplicate = try field.percent(value)
            case "burst":
                let (first, second) = try field.pair(value, example: "burst=0.5%/4")
                let length = try field.number(second, what: "mean burst length (packets)")
                guard length >= 1, length <= 10_000 else {
                    throw field.error("the mean burst length must be in 1...10000 packets, got \(second)")
                }
                burst = BurstLoss(enter: try field.percent(first), meanLength: length)
            case "reorder":
                if value.contains("/") {
                    let (first, second) = try field.pair(value, example: "reorder=1%/50ms")
                    reorder = try field.percent(first)
                    reorderDelayNanos = try field.duration(second)
                } else {
                    reorder = try field.percent(value)
                }
            case "queue":
                guard let n = Int(value), (1...10_000_000).contains(n) else {
                    throw field.error("queue must be a whole number of packets in 1...10000000, got '\(value)'")
                }
                queueLimit = n
            case "seed":
                guard let n = UInt64(value) else {
                    throw field.error("seed must be a whole number in 0...2^64-1, got '\(value)'")
                }
                seed = n
            default:
                preconditionFailure("key \(key) is listed in ImpairmentSpec.keys but not parsed")
            }
        }
    }

    /// One `key=value` part being parsed, to word its errors.
    private struct Field {
        var part: String
        var key: String

        func error(_ detail: String) -> NetSimError {
            NetSimError(.badSpec, "spec part '\(part)': \(detail)")
        }

        func number(_ text: some StringProtocol, what: String) throws(NetSimError) -> Double {
            guard let x = Double(text), x.isFinite else { throw error("\(what) must be a number, got '\(text)'") }
            guard x >= 0 else { throw error("\(what) must not be negative, got '\(text)'") }
            return x
        }

        /// `75ms`, `0.2s`, `500us`: a unit is required, so that `latency=75` is not silently 75 s or 75 µs.
        func duration(_ text: some StringProtocol) throws(NetSimError) -> UInt64 {
            let units: [(String, Double)] = [("ms", 1e6), ("us", 1e3), ("s", 1e9)]
            guard let (unit, scale) = units.first(where: { text.hasSuffix($0.0) }) else {
                throw error("\(key) needs a unit: us, ms or s (e.g. \(key)=75ms), got '\(text)'")
            }
            let x = try number(text.dropLast(unit.count), what: key)
            let nanos = x * scale
            guard nanos <= Double(ImpairmentSpec.maximumDelayNanos) else {
                throw error("\(key) must be at most 10s, got '\(text)'")
            }
            return UInt64(nanos.rounded())
        }

        /// `1%`, `0.5%`: a probability written as a percentage in 0...100.
        func percent(_ text: some StringProtocol) throws(NetSimError) -> Double {
            guard text.hasSuffix("%") else {
                throw error("\(key) is a percentage and needs '%' (e.g. \(key)=1%), got '\(text)'")
            }
            let x = try number(text.dropLast(), what: key)
            guard x <= 100 else { throw error("\(key) must be in 0%...100%, got '\(text)'") }
            return x / 100
        }

        func pair(_ text: String, example: String) throws(NetSimError) -> (Substring, Substring) {
            let halves = text.split(separator: "/", omittingEmptySubsequences: false)
            guard halves.count == 2 else {
                throw error("expected two values separated by '/', as in \(example), got '\(text)'")
            }
            return (halves[0], halves[1])
        }
    }
}

extension ImpairmentSpec: CustomStringConvertible {
    /// The spec in the parser's syntax, every key that differs from the default plus the seed; parsing it
    /// gives back an equal spec.
    public var description: String {
        var parts: [String] = []
        if latencyNanos > 0 || isPassThrough { parts.append("latency=\(Self.format(duration: latencyNanos))") }
        if jitterNanos > 0 { parts.append("jitter=\(Self.format(duration: jitterNanos))") }
        if loss > 0 { parts.append("loss=\(Self.format(percent: loss))") }
        if let burst { parts.append("burst=\(Self.format(percent: burst.enter))/\(Self.format(burst.meanLength))") }
        if duplicate > 0 { parts.append("dup=\(Self.format(percent: duplicate))") }
        if reorder > 0 {
            parts.append("reorder=\(Self.format(percent: reorder))/\(Self.format(duration: reorderDelayNanos))")
        }
        if queueLimit != ImpairmentSpec().queueLimit { parts.append("queue=\(queueLimit)") }
        parts.append("seed=\(seed)")
        return parts.joined(separator: ",")
    }

    static func format(duration nanos: UInt64) -> String {
        if nanos % 1_000_000 == 0 { return "\(nanos / 1_000_000)ms" }
        if nanos % 1_000 == 0 { return "\(nanos / 1_000)us" }
        return "\(format(Double(nanos) / 1e3))us"
    }

    static func format(percent p: Double) -> String { "\(format(p * 100))%" }

    /// Up to 12 significant digits without trailing zeros: 0.5, 1, 0.25.
    static func format(_ x: Double) -> String { String(format: "%.12g", x) }
}
