/// One journal line, parsed into the few fields the log tools use. Fields a record type does not carry
/// are nil. See docs/PROTOCOL.md, "Journal", and docs/LOGS.md.
public struct LogRecord: Equatable, Sendable {
    /// The record type: `start`, `join`, `leave`, `digest`, …, or a handoff phase such as `offer`.
    public var type: String
    /// The zone that wrote the record.
    public var zone: String
    /// The zone's tick when the record was written.
    public var tick: UInt64
    /// Wall-clock milliseconds since the Unix epoch.
    public var ms: Int64
    /// The player the record is about (`player` key), if any.
    public var player: UInt32?
    /// The handoff epoch (`epoch` key), if any.
    public var epoch: UInt32?
    /// The owner side of a handoff (`from` key).
    public var from: String?
    /// The other side of a handoff (`to` key).
    public var to: String?
    /// Position in tiles, if the record has one.
    public var x: Double?
    public var y: Double?
    /// The state digest of a handoff, as the hex string journaled.
    public var digest: String?
    /// `reason` of leave, stop and handoff records; `cause` of drop records.
    public var reason: String?
    /// `name` of join records.
    public var name: String?
    /// `coins_ground` and `coins_carried` of digest records.
    public var coinsGround: Int?
    public var coinsCarried: Int?
    /// Where the line came from: the file's name (not its path) and its 1-based line number.
    public var file: String
    public var line: Int

    /// A record with only the common fields; the rest are set by the caller.
    public init(type: String, zone: String, tick: UInt64, ms: Int64, file: String = "", line: Int = 0) {
        self.type = type; self.zone = zone; self.tick = tick; self.ms = ms; self.file = file; self.line = line
    }

    /// The record types that are handoff phases.
    public static let handoffPhases: Set<String> = [
        "standby", "offer", "accept", "commit", "reject", "abort", "in_doubt", "resolve",
    ]

    /// Whether the record is a handoff phase.
    public var isHandoff: Bool { LogRecord.handoffPhases.contains(type) }

    /// Whether `--follow` prints the record: handoff phases, joins and leaves.
    public var isFollowed: Bool { isHandoff || type == "join" || type == "leave" }

    /// Tie-break among records of the same millisecond: join, standby, offer, accept/reject,
    /// commit/abort/in_doubt, resolve, then anything else, leave last.
    public var phaseRank: Int {
        switch type {
        case "join": 0
        case "standby": 1
        case "offer": 2
        case "accept", "reject": 3
        case "commit", "abort", "in_doubt": 4
        case "resolve": 5
        case "leave": 7
        default: 6
        }
    }
}
