/// What a zone journals. Each record is one JSON object on one line; see docs/PROTOCOL.md, "Journal".
public enum JournalEvent: Equatable, Sendable {
    /// The zone started serving. `coinsInZone` is the number of coins the zone owns at map load.
    case start(map: String, tickRate: Int, coinsInZone: Int, capacity: Int)
    case join(player: UInt32, name: String, x: Double, y: Double)
    /// `reason`: "left" (the client said so), "disconnected" (ENet disconnect or timeout), "no client" (taken
    /// in a handoff, its client never attached), "refused", "shutdown".
    case leave(player: UInt32, reason: String)
    case pickup(player: UInt32, coin: UInt32, x: Double, y: Double)
    /// `cause`: "death" or "leave".
    case drop(player: UInt32, coin: UInt32, x: Double, y: Double, cause: String)
    /// `from`: the zone the shot was fired in, when it is not this one (a cross-border hit).
    case hit(shooter: UInt32, target: UInt32, shot: UInt32, damage: Int, health: Int, from: String? = nil)
    /// The kill and its credit to `killer`, exactly once per death.
    case kill(killer: UInt32, victim: UInt32, shot: UInt32, from: String? = nil)
    /// A shot fired here hit a ghost; the hit was sent to the zone `to` that owns (or owned) the target.
    case hitForward(shooter: UInt32, target: UInt32, shot: UInt32, to: String)
    /// The answer to a forwarded hit, journaled by the shooter's zone: `outcome` is "applied", "killed"
    /// (the shooter is credited with the kill here), "not owned", "in handoff" or "dead".
    case hitResult(shooter: UInt32, target: UInt32, shot: UInt32, outcome: String, from: String)
    case respawn(player: UInt32, x: Double, y: Double)
    /// Periodic totals, every second of ticks.
    case digest(players: Int, coinsGround: Int, coinsCarried: Int)
    /// A peer was refused and disconnected; `code` is a `RefuseCode` name.
    case refuse(peer: String, code: String, message: String)
    /// The zone stopped serving.
    case stop(reason: String)
    /// The link to neighbour `neighbour` came up or went down (`state`: "up" or "down"); while it is down
    /// the border with it is a wall.
    case link(neighbour: String, state: String)
    /// A handoff phase of `player` between zones `from` (owner) and `to`: standby, offer, accept, commit,
    /// reject, abort, in_doubt, resolve. `digest` is the player's state digest (offer and accept), `reason`
    /// says why for reject, abort and resolve.
    case handoff(phase: String, player: UInt32, epoch: UInt32, from: String, to: String, x: Double, y: Double,
                 digest: UInt64?, reason: String?, coins: Int? = nil, coinIds: [UInt32]? = nil)
    /// The zone changed how many others a snapshot carries (`entityLimit`, 128 = normal) or how many bytes
    /// of fresh entity states a delta may carry (`updateBudget`), or how often each client gets a snapshot
    /// (every `snapshotInterval` ticks, 1 = normal), because of its load.
    case load(entityLimit: Int, updateBudget: Int, snapshotInterval: Int, tickWorkMs: Double)
    /// Where every owned, alive, unfrozen player stands, once per second (with the digest), so a checker
    /// can bound each player's speed between samples.
    case positions([PlayerPosition])

    public var typeName: String {
        switch self {
        case .start: "start"
        case .join: "join"
        case .leave: "leave"
        case .pickup: "pickup"
        case .drop: "drop"
        case .hit: "hit"
        case .kill: "kill"
        case .hitForward: "hit_forward"
        case .hitResult: "hit_result"
        case .respawn: "respawn"
        case .digest: "digest"
        case .refuse: "refuse"
        case .stop: "stop"
        case .handoff(let phase, _, _, _, _, _, _, _, _, _, _): phase
        case .positions: "positions"
        case .load: "load"
        case .link: "link"
        }
    }
}

/// One journal line: the zone, the tick, wall-clock milliseconds since the Unix epoch, and the event.
public struct JournalRecord: Equatable, Sendable {
    public var zone: String
    public var tick: UInt64
    public var timeMs: Int64
    /// The same wall-clock time in microseconds, when known: orders records of different zones within one
    /// millisecond (an accept always comes after its offer in real time).
    public var timeUs: Int64?
    public var event: JournalEvent

    public init(zone: String, tick: UInt64, timeMs: Int64, timeUs: Int64? = nil, event: JournalEvent) {
        self.zone = zone; self.tick = tick; self.timeMs = timeMs; self.timeUs = timeUs; self.event = event
    }

    /// The record as one JSON line without its newline (what an observer's Record message carries).
    public var jsonLine: String {
        var line = ""
        appendJSONLine(to: &line)
        line.removeLast()
        return line
    }

    /// Appends the record as one JSON line, newline included.
    public func appendJSONLine(to out: inout String) {
        out += "{\"type\":\""
        out += event.typeName
        out += "\",\"zone\":"
        JSON.string(zone, to: &out)
        JSON.integer(",\"tick\":", tick, to: &out)
        JSON.integer(",\"ms\":", timeMs, to: &out)
        if let timeUs { JSON.integer(",\"us\":", timeUs, to: &out) }
        switch event {
        case .start(let map, let tickRate, let coins, let capacity):
            out += ",\"v\":1,\"map\":"
            JSON.string(map, to: &out)
            JSON.integer(",\"tick_rate\":", tickRate, to: &out)
            JSON.integer(",\"coins\":", coins, to: &out)
            JSON.integer(",\"capacity\":", capacity, to: &out)
        case .join(let player, let name, let x, let y):
            JSON.integer(",\"player\":", player, to: &out)
            out += ",\"name\":"
            JSON.string(name, to: &out)
            JSON.position(x, y, to: &out)
        case .leave(let player, let reason):
            JSON.integer(",\"player\":", player, to: &out)
            out += ",\"reason\":"
            JSON.string(reason, to: &out)
        case .pickup(let player, let coin, let x, let y):
            JSON.integer(",\"player\":", player, to: &out)
            JSON.integer(",\"coin\":", coin, to: &out)
            JSON.position(x, y, to: &out)
        case .drop(let player, let coin, let x, let y, let cause):
            JSON.integer(",\"player\":", player, to: &out)
            JSON.integer(",\"coin\":", coin, to: &out)
            JSON.position(x, y, to: &out)
            out += ",\"cause\":"
            JSON.string(cause, to: &out)
        case .hit(let shooter, let target, let shot, let damage, let health, let from):
            JSON.integer(",\"shooter\":", shooter, to: &out)
            JSON.integer(",\"target\":", target, to: &out)
            JSON.integer(",\"shot\":", shot, to: &out)
            JSON.integer(",\"damage\":", damage, to: &out)
            JSON.integer(",\"health\":", health, to: &out)
            if let from { out += ",\"from\":"; JSON.string(from, to: &out) }
        case .kill(let killer, let victim, let shot, let from):
            JSON.integer(",\"killer\":", killer, to: &out)
            JSON.integer(",\"victim\":", victim, to: &out)
            JSON.integer(",\"shot\":", shot, to: &out)
            if let from { out += ",\"from\":"; JSON.string(from, to: &out) }
        case .hitForward(let shooter, let target, let shot, let to):
            JSON.integer(",\"shooter\":", shooter, to: &out)
            JSON.integer(",\"target\":", target, to: &out)
            JSON.integer(",\"shot\":", shot, to: &out)
            out += ",\"to\":"
            JSON.string(to, to: &out)
        case .hitResult(let shooter, let target, let shot, let outcome, let from):
            JSON.integer(",\"shooter\":", shooter, to: &out)
            JSON.integer(",\"target\":", target, to: &out)
            JSON.integer(",\"shot\":", shot, to: &out)
            out += ",\"outcome\":"
            JSON.string(outcome, to: &out)
            out += ",\"from\":"
            JSON.string(from, to: &out)
        case .respawn(let player, let x, let y):
            JSON.integer(",\"player\":", player, to: &out)
            JSON.position(x, y, to: &out)
        case .digest(let players, let ground, let carried):
            JSON.integer(",\"players\":", players, to: &out)
            JSON.integer(",\"coins_ground\":", ground, to: &out)
            JSON.integer(",\"coins_carried\":", carried, to: &out)
        case .refuse(let peer, let code, let message):
            out += ",\"peer\":"
            JSON.string(peer, to: &out)
            out += ",\"code\":"
            JSON.string(code, to: &out)
            out += ",\"message\":"
            JSON.string(message, to: &out)
        case .stop(let reason):
            out += ",\"reason\":"
            JSON.string(reason, to: &out)
        case .link(let neighbour, let state):
            out += ",\"neighbour\":"
            JSON.string(neighbour, to: &out)
            out += ",\"state\":"
            JSON.string(state, to: &out)
        case .load(let limit, let budget, let interval, let work):
            JSON.integer(",\"entity_limit\":", limit, to: &out)
            JSON.integer(",\"update_budget\":", budget, to: &out)
            JSON.integer(",\"snapshot_interval\":", interval, to: &out)
            out += ",\"tick_work_ms\":"
            JSON.number(work, to: &out)
        case .positions(let list):
            out += ",\"players\":["
            for (k, p) in list.enumerated() {
                if k > 0 { out += "," }
                JSON.integer("[", p.player, to: &out)
                out += ","
                JSON.number(p.x, to: &out)
                out += ","
                JSON.number(p.y, to: &out)
                out += "]"
            }
            out += "]"
        case .handoff(_, let player, let epoch, let from, let to, let x, let y, let digest, let reason, let coins, let coinIds):
            JSON.integer(",\"player\":", player, to: &out)
            JSON.integer(",\"epoch\":", epoch, to: &out)
            out += ",\"from\":"
            JSON.string(from, to: &out)
            out += ",\"to\":"
            JSON.string(to, to: &out)
            JSON.position(x, y, to: &out)
            if let digest {
                // Hex string: JSON numbers lose precision past 2^53.
                out += ",\"digest\":\""
                out += String(digest, radix: 16)
                out += "\""
            }
            if let reason {
                out += ",\"reason\":"
                JSON.string(reason, to: &out)
            }
            if let coins { JSON.integer(",\"coins\":", coins, to: &out) }
            if let coinIds {
                out += ",\"coin_ids\":["
                for (k, id) in coinIds.enumerated() {
                    if k > 0 { out += "," }
                    JSON.integer(id, to: &out)
                }
                out += "]"
            }
        }
        out += "}\n"
    }
}

/// The little JSON writing the journal needs, without Foundation on the hot path.
public enum JSON {
    /// Appends `s` as a JSON string literal, escaping quotes, backslashes and control characters.
    public static func string(_ s: String, to out: inout String) {
        out += "\""
        // Nearly every string (zone ids, reasons, names) needs no escape: appended whole.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            out += s
            out += "\""
            return
        }
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// Appends an integer's decimal digits. (An interpolated literal built a temporary string first, on the heap
    /// once past 15 bytes: most of a record's fields went through one.)
    static func integer(_ v: some BinaryInteger, to out: inout String) {
        out += String(v)
    }

    /// Appends `key` (the literal text before the value, such as `,"tick":`) and the integer.
    static func integer(_ key: String, _ v: some BinaryInteger, to out: inout String) {
        out += key
        out += String(v)
    }

    /// Positions with three decimals: 1/1000 tile is finer than the wire's 1/64.
    static func position(_ x: Double, _ y: Double, to out: inout String) {
        out += ",\"x\":"
        number(x, to: &out)
        out += ",\"y\":"
        number(y, to: &out)
    }

    static func number(_ v: Double, to out: inout String) {
        let milli = Int((v * 1000).rounded())
        let a = abs(milli)
        let frac = a % 1000
        if milli < 0 { out += "-" }
        out += String(a / 1000)
        out += "."
        if frac < 100 { out += "0" }
        if frac < 10 { out += "0" }
        out += String(frac)
    }
}

/// A player's position in a `positions` record.
public struct PlayerPosition: Equatable, Sendable {
    public var player: UInt32
    public var x: Double
    public var y: Double
    public init(player: UInt32, x: Double, y: Double) {
        self.player = player; self.x = x; self.y = y
    }
}
