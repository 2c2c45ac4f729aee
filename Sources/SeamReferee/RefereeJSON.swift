import SeamProtocol
/// A JSON value as the referee writes it: reports and evidence. Objects are written with sorted keys, so
/// two reports of the same input are byte for byte equal.
public enum RefereeJSON: Equatable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    /// Written with three decimals (positions in tiles, seconds).
    case number(Double)
    case string(String)
    case array([RefereeJSON])
    case object([String: RefereeJSON])

    /// The value as JSON text; `pretty` indents nested arrays and objects by two spaces.
    public func text(pretty: Bool = false) -> String {
        var out = ""
        write(to: &out, pretty: pretty, indent: 0)
        return out
    }

    /// The member `key` of an object, nil otherwise.
    public subscript(key: String) -> RefereeJSON? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    public var intValue: Int64? {
        if case .int(let v) = self { return v }
        return nil
    }

    public var stringValue: String? {
        if case .string(let v) = self { return v }
        return nil
    }

    public var arrayValue: [RefereeJSON]? {
        if case .array(let v) = self { return v }
        return nil
    }

    private func write(to out: inout String, pretty: Bool, indent: Int) {
        switch self {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let v): out += String(v)
        case .number(let v): out += RefereeJSON.decimal(v)
        case .string(let s): RefereeJSON.quote(s, to: &out)
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                item.write(to: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, key) in members.keys.sorted().enumerated() {
                if i > 0 { out += "," }
                if pretty { out += "\n" + String(repeating: " ", count: indent + 2) }
                RefereeJSON.quote(key, to: &out)
                out += pretty ? ": " : ":"
                members[key]!.write(to: &out, pretty: pretty, indent: indent + 2)
            }
            if pretty { out += "\n" + String(repeating: " ", count: indent) }
            out += "}"
        }
    }

    /// Three decimals, rounded to the nearest thousandth, as the journal writes positions.
    static func decimal(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        let milli = Int64((v * 1000).rounded())
        let sign = milli < 0 ? "-" : ""
        let a = milli.magnitude
        let frac = a % 1000
        let fracText = frac < 10 ? "00\(frac)" : frac < 100 ? "0\(frac)" : "\(frac)"
        return "\(sign)\(a / 1000).\(fracText)"
    }

    /// JSON string literal: the journal's own writer, so both escape alike.
    static func quote(_ s: String, to out: inout String) {
        JSON.string(s, to: &out)
    }
}
