import Foundation

/// One player's entry of a `positions` record: `[id, x, y]`.
public struct PlayerPosition: Equatable, Sendable {
    public var player: UInt32
    public var x: Double
    public var y: Double

    public init(player: UInt32, x: Double, y: Double) {
        self.player = player; self.x = x; self.y = y
    }
}

/// Why a journal line is not a record the referee can use.
public struct MalformedRecord: Error, Equatable, Sendable, CustomStringConvertible {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// A journal record as the referee sees it: the common fields and every field any record type may carry
/// (nil when the record has none). Build one from a parsed JSON object with `init(object:source:)`, or from
/// a raw line with `init(line:source:)`. Only the fields the referee needs are kept; unknown keys are
/// ignored and unknown record types are accepted (and ignored by the checks).
@dynamicMemberLookup
public struct RefereeRecord: Equatable, Sendable {
    /// The record's fields. A record reads and writes them as its own (`record.player`); they live in one
    /// shared box, copied on the first write to a shared record, so that copying a record (into a merge
    /// queue, a player's state, evidence) costs a reference, not forty fields: the checker keeps several
    /// records per player and per handoff, and copying them was a sixth of its time.
    public struct Fields: Equatable, Sendable {
        public var type: String
        public var zone: String
        public var tick: UInt64
        public var ms: Int64
        /// Microseconds, when the journal has them (`us`); finer than `ms` for ordering zones' records.
        public var us: Int64?
        /// Where the record came from (`file:line`), shown with the evidence; nil for records fed live.
        public var source: String?

        public var player: UInt32?
        public var epoch: UInt32?
        public var from: String?
        public var to: String?
        public var x: Double?
        public var y: Double?
        /// The state digest of offer, accept and reject (parsed from its hex string).
        public var digest: UInt64?
        public var reason: String?
        /// `coins` of start (coins the zone owns at load) and of accept/commit (coins carried across).
        public var coins: Int?
        /// `coin_ids` of accept/commit: the ids of the coins the player carries.
        public var coinIDs: [UInt32]?
        public var coin: UInt32?
        public var cause: String?
        public var shooter: UInt32?
        public var target: UInt32?
        public var shot: UInt32?
        public var damage: Int?
        public var health: Int?
        public var killer: UInt32?
        public var victim: UInt32?
        /// `players` of a digest (a count).
        public var playerCount: Int?
        public var coinsGround: Int?
        public var coinsCarried: Int?
        /// `players` of a positions record.
        public var positions: [PlayerPosition]?
        /// `tick_rate` of start.
        public var tickRate: Int?
        public var map: String?
        public var neighbour: String?
        public var state: String?
    }

    final class Box: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    /// Never written while shared (`subscript(dynamicMember:)` copies first), so records stay values.
    private var box: Box

    public subscript<T>(dynamicMember key: WritableKeyPath<Fields, T>) -> T {
        get { box.fields[keyPath: key] }
        set {
            if !isKnownUniquelyReferenced(&box) { box = Box(box.fields) }
            box.fields[keyPath: key] = newValue
        }
    }

    public static func == (a: RefereeRecord, b: RefereeRecord) -> Bool {
        a.box === b.box || a.box.fields == b.box.fields
    }

    public init(type: String, zone: String, tick: UInt64, ms: Int64, source: String? = nil) {
        box = Box(Fields(type: type, zone: zone, tick: tick, ms: ms, source: source))
    }

    /// The handoff phases (their `type` is the phase name).
    public static let handoffPhases: Set<String> = [
        "standby", "offer", "accept", "commit", "reject", "abort", "in_doubt", "resolve",
    ]

    /// Parses one journal line (without its newline).
    public init(line: some Collection<UInt8>, source: String? = nil) throws(MalformedRecord) {
        guard case .object(let members) = try RefereeJSON.parse(line) else { throw MalformedRecord("not a JSON object") }
        try self.init(members: members, source: source)
    }

    /// Reads a record from a JSON object built by hand with Swift `Int`, `Double`, `String` and arrays (or
    /// as `JSONSerialization` gives it). Throws as `init(line:source:)` does.
    public init(object: [String: Any], source: String? = nil) throws(MalformedRecord) {
        guard case .object(let members) = RefereeJSON(any: object) else { throw MalformedRecord("not a JSON object") }
        try self.init(members: members, source: source)
    }

    /// Reads a record from a parsed JSON object. Throws when a common field or a field the record's type
    /// needs is missing or has the wrong type.
    init(members o: [String: RefereeJSON], source: String?) throws(MalformedRecord) {
        guard let type = o["type"]?.stringValue else { throw MalformedRecord("no \"type\"") }
        guard let zone = o["zone"]?.stringValue else { throw MalformedRecord("no \"zone\"") }
        guard let tick = Self.int(o["tick"]), tick >= 0 else { throw MalformedRecord("no \"tick\"") }
        guard let ms = Self.int(o["ms"]) else { throw MalformedRecord("no \"ms\"") }
        var f = Fields(type: type, zone: zone, tick: UInt64(tick), ms: ms, source: source)
        if let us = Self.int(o["us"]), us / 1000 == ms { f.us = us }

        func id(_ key: String) throws(MalformedRecord) -> UInt32 {
            guard let v = Self.int(o[key]), v >= 0, v <= Int64(UInt32.max) else {
                throw MalformedRecord("\(type) without a valid \"\(key)\"")
            }
            return UInt32(v)
        }
        func integer(_ key: String) throws(MalformedRecord) -> Int {
            guard let v = Self.int(o[key]) else { throw MalformedRecord("\(type) without a valid \"\(key)\"") }
            return Int(v)
        }
        func number(_ key: String) throws(MalformedRecord) -> Double {
            guard let v = Self.double(o[key]) else { throw MalformedRecord("\(type) without a valid \"\(key)\"") }
            return v
        }
        func text(_ key: String) throws(MalformedRecord) -> String {
            guard let v = o[key]?.stringValue else { throw MalformedRecord("\(type) without a valid \"\(key)\"") }
            return v
        }

        switch type {
        case "start":
            f.coins = try integer("coins")
            f.tickRate = Self.int(o["tick_rate"]).map { Int($0) }
            f.map = o["map"]?.stringValue
        case "join", "respawn":
            f.player = try id("player"); f.x = try number("x"); f.y = try number("y")
        case "leave":
            f.player = try id("player"); f.reason = o["reason"]?.stringValue
        case "pickup", "drop":
            f.player = try id("player"); f.coin = try id("coin"); f.x = try number("x"); f.y = try number("y")
            f.cause = o["cause"]?.stringValue
        case "hit":
            f.shooter = try id("shooter"); f.target = try id("target"); f.shot = try id("shot")
            f.damage = Self.int(o["damage"]).map { Int($0) }
            f.health = try integer("health")
            f.from = o["from"]?.stringValue
        case "kill":
            f.killer = try id("killer"); f.victim = try id("victim"); f.shot = try id("shot")
            f.from = o["from"]?.stringValue
        case "hit_forward":
            f.shooter = try id("shooter"); f.target = try id("target"); f.shot = try id("shot"); f.to = try text("to")
        case "hit_result":
            f.shooter = try id("shooter"); f.target = try id("target"); f.shot = try id("shot"); f.from = try text("from")
            f.reason = try text("outcome")
        case "digest":
            f.playerCount = Self.int(o["players"]).map { Int($0) }
            f.coinsGround = try integer("coins_ground"); f.coinsCarried = try integer("coins_carried")
        case "positions":
            guard let list = o["players"]?.arrayValue else { throw MalformedRecord("positions without \"players\"") }
            var entries: [PlayerPosition] = []
            entries.reserveCapacity(list.count)
            for item in list {
                guard let triple = item.arrayValue, triple.count == 3,
                      let p = Self.int(triple[0]), p >= 0, p <= Int64(UInt32.max),
                      let px = Self.double(triple[1]), let py = Self.double(triple[2])
                else { throw MalformedRecord("positions entry is not [id, x, y]") }
                entries.append(PlayerPosition(player: UInt32(p), x: px, y: py))
            }
            f.positions = entries
        case "stop":
            f.reason = o["reason"]?.stringValue
        case "link":
            f.neighbour = o["neighbour"]?.stringValue; f.state = o["state"]?.stringValue
        case "refuse":
            f.reason = o["message"]?.stringValue
        default:
            guard Self.handoffPhases.contains(type) else { break }
            f.player = try id("player"); f.epoch = try id("epoch")
            f.from = try text("from"); f.to = try text("to")
            f.x = try number("x"); f.y = try number("y")
            f.reason = o["reason"]?.stringValue
            if let hex = o["digest"] {
                guard let s = hex.stringValue, let d = UInt64(s, radix: 16) else {
                    throw MalformedRecord("\(type) with a digest that is not a hex string")
                }
                f.digest = d
            }
            if o["coins"] != nil { f.coins = try integer("coins") }
            if let raw = o["coin_ids"] {
                guard let list = raw.arrayValue else { throw MalformedRecord("\(type) with \"coin_ids\" not a list") }
                var ids: [UInt32] = []
                for item in list {
                    guard let v = Self.int(item), v >= 0, v <= Int64(UInt32.max) else {
                        throw MalformedRecord("\(type) with a bad coin id")
                    }
                    ids.append(UInt32(v))
                }
                f.coinIDs = ids
            }
        }
        box = Box(f)
    }

    /// An integer: a JSON integer, or a number with no fraction that fits.
    static func int(_ value: RefereeJSON?) -> Int64? {
        switch value {
        case .int(let v): return v
        case .number(let v): return v.rounded() == v && abs(v) < 9e18 ? Int64(v) : nil
        default: return nil
        }
    }

    static func double(_ value: RefereeJSON?) -> Double? {
        switch value {
        case .number(let v): return v.isFinite ? v : nil
        case .int(let v): return Double(v)
        default: return nil
        }
    }

    // MARK: Evidence

    /// The record as a JSON object with the journal's keys. With `onlyPlayer`, a positions record keeps only
    /// that player's entry (evidence stays small). `source` (`file:line`) is added when known.
    public func jsonValue(onlyPlayer: UInt32? = nil) -> RefereeJSON {
        let f = box.fields
        var o: [String: RefereeJSON] = [
            "type": .string(f.type), "zone": .string(f.zone), "tick": .int(Int64(f.tick)), "ms": .int(f.ms),
        ]
        func put(_ key: String, _ v: UInt32?) { if let v { o[key] = .int(Int64(v)) } }
        func put(_ key: String, _ v: Int?) { if let v { o[key] = .int(Int64(v)) } }
        func put(_ key: String, _ v: String?) { if let v { o[key] = .string(v) } }
        func put(_ key: String, _ v: Double?) { if let v { o[key] = .number(v) } }
        put("player", f.player); put("epoch", f.epoch); put("from", f.from); put("to", f.to)
        put("x", f.x); put("y", f.y)
        if let digest = f.digest { o["digest"] = .string(String(digest, radix: 16)) }
        if f.type == "refuse" { put("message", f.reason) } else { put("reason", f.reason) }
        put("coins", f.coins)
        if let coinIDs = f.coinIDs { o["coin_ids"] = .array(coinIDs.map { .int(Int64($0)) }) }
        put("coin", f.coin); put("cause", f.cause)
        put("shooter", f.shooter); put("target", f.target); put("shot", f.shot)
        put("damage", f.damage); put("health", f.health)
        put("killer", f.killer); put("victim", f.victim)
        put("players", f.playerCount)
        put("coins_ground", f.coinsGround); put("coins_carried", f.coinsCarried)
        if let positions = f.positions {
            let kept = onlyPlayer.map { p in positions.filter { $0.player == p } } ?? positions
            o["players"] = .array(kept.map { .array([.int(Int64($0.player)), .number($0.x), .number($0.y)]) })
        }
        put("tick_rate", f.tickRate); put("map", f.map); put("neighbour", f.neighbour); put("state", f.state)
        put("source", f.source)
        return .object(o)
    }

    /// A copy fit to keep as evidence: a positions record reduced to one player's entry.
    func evidenceCopy(player: UInt32? = nil) -> RefereeRecord {
        guard let positions = self.positions else { return self }
        var copy = self
        copy.positions = player.map { p in positions.filter { $0.player == p } } ?? []
        return copy
    }

    /// "zone tick N" for explanations.
    var place: String { "\(self.zone) at tick \(self.tick)" }
}

extension RefereeJSON {
    /// A JSON value from Swift values (`Int`, `Double`, `String`, `Bool`, arrays, `[String: Any]`, `NSNumber`,
    /// `NSNull`); anything else becomes `.null`.
    init(any value: Any) {
        switch value {
        case let v as String: self = .string(v)
        case let v as Int: self = .int(Int64(v))
        case let v as Int64: self = .int(v)
        case let v as Int32: self = .int(Int64(v))
        case let v as UInt32: self = .int(Int64(v))
        case let v as UInt64 where v <= UInt64(Int64.max): self = .int(Int64(v))
        case let v as Double: self = .number(v)
        case let v as Float: self = .number(Double(v))
        case let v as Bool: self = .bool(v)
        case let v as NSNumber:
            let i = v.int64Value
            self = Double(i) == v.doubleValue ? .int(i) : .number(v.doubleValue)
        case let v as [Any]: self = .array(v.map { RefereeJSON(any: $0) })
        case let v as [String: Any]: self = .object(v.mapValues { RefereeJSON(any: $0) })
        default: self = .null
        }
    }
}
