/// What `seam logs DIR` reports: the result of `HandoffStatistics`. JSON keys in docs/LOGS.md.
public struct JournalSummary: Equatable, Sendable {
    /// Records, ticks and times of one zone.
    public struct Zone: Equatable, Sendable {
        public var zone: String
        public var records = 0
        public var firstTick: UInt64 = 0
        public var lastTick: UInt64 = 0
        public var firstMs: Int64 = 0
        public var lastMs: Int64 = 0
    }

    /// Joins and leaves across all zones.
    public struct Players: Equatable, Sendable {
        public var joined = 0
        public var left = 0
        /// Distinct player ids that joined.
        public var distinct = 0
        /// Leave records by `reason`.
        public var leaveReasons: [String: Int] = [:]
    }

    /// Handoff phases counted across all zones. `offered` is the number of handoffs attempted.
    public struct Handoffs: Equatable, Sendable {
        public var offered = 0
        public var accepted = 0
        public var committed = 0
        public var rejected = 0
        public var aborted = 0
        public var inDoubt = 0
        public var resolved = 0
        public var standby = 0
    }

    /// Handoffs in one direction of a border.
    public struct Direction: Equatable, Sendable {
        public var from: String
        public var to: String
        public var offers = 0
        public var accepts = 0
        public var commits = 0
        public var rejects = 0
        public var aborts = 0
        public var inDoubt = 0
    }

    /// One border: an unordered pair of zones, named `a|b` with the ids sorted.
    public struct Border: Equatable, Sendable {
        public var border: String
        /// Both directions, `a→b` first.
        public var directions: [Direction]
        /// accept.ms − offer.ms, matched by player and epoch.
        public var offerToAccept: LatencySummary
        /// commit.ms − offer.ms, matched by player and epoch.
        public var offerToCommit: LatencySummary
        public var aborts: Int { directions.reduce(0) { $0 + $1.aborts } }
        public var inDoubt: Int { directions.reduce(0) { $0 + $1.inDoubt } }
        public var rejects: Int { directions.reduce(0) { $0 + $1.rejects } }
    }

    /// The last digest of one zone.
    public struct Coins: Equatable, Sendable {
        public var zone: String
        public var tick: UInt64
        public var ms: Int64
        public var ground: Int
        public var carried: Int
        public var total: Int { ground + carried }
    }

    public var directory: String
    public var files: [String]
    public var malformed: MalformedLines
    /// Sorted by zone id.
    public var zones: [Zone]
    public var players: Players
    public var handoffs: Handoffs
    /// Sorted by border name.
    public var borders: [Border]
    /// Sorted by zone id; zones without a digest are missing.
    public var coins: [Coins]
    /// The sum of every zone's last digest total.
    public var coinsTotal: Int { coins.reduce(0) { $0 + $1.total } }
}
