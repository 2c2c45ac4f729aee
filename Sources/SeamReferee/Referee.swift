/// Limits and tolerances of the checks.
public struct RefereeOptions: Equatable, Sendable {
    /// An offer must be settled (commit, abort or resolve at the owner) within this many seconds of its `ms`.
    /// A zone settles an offer left in doubt with a dead neighbour after its dead-after (20 s), counted from
    /// when it lost the link, which can be up to ~10 s after the neighbour's last answer: 40 s leaves room. (At
    /// 10 s, continent-3000 with links lost under overload had 120 offers settled by a Query after 10–27 s
    /// reported as players lost in handoff.)
    public var offerBoundSeconds: Double = 40
    /// Max player speed, tiles per second (SimulationConfig's default).
    public var maxSpeed: Double = 6
    /// Tiles added to `maxSpeed × Δt` before a move counts as too fast (rounding, pickup radius, a tick of skew).
    public var speedSlack: Double = 1.5
    /// Extra tiles allowed for `drop` positions: a dropped coin is clamped into the owner's territory, up to
    /// hysteresis + 1 tiles from where the player stood.
    public var dropClampSlack: Double = 3
    /// Ticks per second, used until a `start` record says otherwise.
    public var tickRate: Int = 20
    /// The map's number of coin spots (`--map`); cross-checked against the `start` records at the end.
    public var mapCoins: Int?
    /// How long (stream time, seconds) a player is remembered after it left, to catch late records for it.
    public var retentionSeconds: Double = 30
    /// How long (stream time, seconds) hits and kills are remembered to catch repeated ones.
    public var shotRetentionSeconds: Double = 10
    /// Violations kept per invariant (the rest are only counted).
    public var violationsPerInvariant: Int = 50
    /// Records kept as evidence per violation.
    public var evidencePerViolation: Int = 8

    public init(offerBoundSeconds: Double = 40, mapCoins: Int? = nil) {
        self.offerBoundSeconds = offerBoundSeconds
        self.mapCoins = mapCoins
    }
}

/// Sizes of the referee's internal tables, to watch that memory stays bounded.
public struct RefereeTableSizes: Equatable, Sendable {
    public var players = 0
    public var handoffs = 0
    public var coins = 0
    public var recentHits = 0
    public var recentKills = 0
    public var pendingDigestTicks = 0
    public var pendingFatalHits = 0
    public var zones = 0
}

/// The independent checker. It trusts nothing but the records it is fed, one at a time, in the order
/// `JournalSource` produces (by `ms`; offer before accept before commit on equal `ms`), and keeps only
/// per-player, per-coin and per-handoff state (pruned once settled), so it can run over long journals or live.
///
///     var referee = Referee(options: RefereeOptions(offerBoundSeconds: 40))
///     referee.check(record)                 // or: referee.check(object: jsonObject, source: "west.jsonl:12")
///     let report = referee.finish()         // end-of-input checks, then the report
public struct Referee: Sendable {
    public let options: RefereeOptions
    public internal(set) var checked = RefereeChecked()
    public internal(set) var malformed = MalformedLines()

    var zones: [String: ZoneState] = [:]
    var players: [UInt32: PlayerState] = [:]
    var handoffs: [HandoffKey: HandoffState] = [:]
    var coinTable: [UInt32: CoinState] = [:]
    var recentHits: [ShotKey: RefereeRecord] = [:]
    var recentKills: [ShotKey: RefereeRecord] = [:]
    /// Kills of forwarded hits credited by the shooter's zone (`hit_result` "killed").
    var recentCredits: [ShotKey: RefereeRecord] = [:]
    var pendingDigests: [UInt64: [String: RefereeRecord]] = [:]
    /// The last coin-conservation difference reported (a break is reported once, not every second).
    var lastCoinDelta = 0
    var tickRate: Int
    /// The newest `ms` seen: the stream's clock.
    var now: Int64 = Int64.min
    var lastSweep: Int64 = Int64.min
    var violations: [RefereeViolation] = []
    var counts: [Invariant: Int] = [:]
    var finished = false

    public init(options: RefereeOptions = RefereeOptions()) {
        self.options = options
        self.tickRate = max(1, options.tickRate)
    }

    /// Checks one record. Records must come in stream order (see `JournalSource`).
    public mutating func check(_ record: RefereeRecord) {
        checked.records += 1
        if record.ms > now { now = record.ms }
        if lastSweep == Int64.min { lastSweep = record.ms }
        if zones[record.zone] == nil {
            zones[record.zone] = ZoneState()
            checked.zones += 1
        }
        settleFatalHits(zone: record.zone, before: record.tick)
        switch record.type {
        case "start": onStart(record)
        case "stop": onStop(record)
        case "join": onJoin(record)
        case "leave": onLeave(record)
        case "pickup": onPickup(record)
        case "drop": onDrop(record)
        case "hit": onHit(record)
        case "kill": onKill(record)
        case "hit_result": onHitResult(record)
        case "respawn": onRespawn(record)
        case "positions": onPositions(record)
        case "digest": onDigest(record)
        case "standby": onStandby(record)
        case "offer": onOffer(record)
        case "accept": onAccept(record)
        case "commit": onCommit(record)
        case "abort": onAbort(record)
        case "resolve": onResolve(record)
        default: break  // reject, in_doubt, link, refuse and unknown types change nothing the checks follow
        }
        if now - lastSweep >= 1000 {
            sweep()
            lastSweep = now
        }
    }

    /// Parses a JSON object (one journal line) and checks it. A malformed object is counted (see
    /// `malformed`) and skipped; returns whether the object was a usable record.
    @discardableResult
    public mutating func check(object: [String: Any], source: String? = nil) -> Bool {
        do {
            let record = try RefereeRecord(object: object, source: source)
            check(record)
            return true
        } catch {
            noteMalformed("\(source ?? "record"): \(error.reason)")
            return false
        }
    }

    /// Counts a line that could not be read (never a violation).
    public mutating func noteMalformed(_ description: String) {
        malformed.note(description)
    }

    /// Adds lines a reader could not parse (e.g. `JournalSource.malformed`).
    public mutating func noteMalformed(_ lines: MalformedLines) {
        malformed.merge(lines)
    }

    /// Runs the end-of-input checks (offers never settled, players that vanished, uncredited kills, the map's
    /// coin total) and returns the final report. Call once, after the last record.
    public mutating func finish() -> RefereeReport {
        if !finished {
            finished = true
            finishChecks()
        }
        return report()
    }

    /// The report so far, without the end-of-input checks (for a live referee).
    public func report() -> RefereeReport {
        RefereeReport(violations: violations, violationCounts: counts, checked: checked, malformed: malformed,
                      final: finished)
    }

    public var tableSizes: RefereeTableSizes {
        var s = RefereeTableSizes()
        s.players = players.count
        s.handoffs = handoffs.count
        s.coins = coinTable.count
        s.recentHits = recentHits.count
        s.recentKills = recentKills.count
        s.pendingDigestTicks = pendingDigests.count
        s.pendingFatalHits = zones.values.reduce(0) { $0 + $1.pendingFatal.count }
        s.zones = zones.count
        return s
    }

    // MARK: Reporting

    mutating func violate(_ invariant: Invariant, _ explanation: String, _ evidence: [RefereeJSON]) {
        counts[invariant, default: 0] += 1
        guard counts[invariant]! <= options.violationsPerInvariant else { return }
        violations.append(RefereeViolation(invariant: invariant, explanation: explanation,
                                           evidence: Array(evidence.prefix(max(1, options.evidencePerViolation)))))
    }

    /// Evidence for records about one player (positions reduced to that player's entry).
    func ev(_ records: RefereeRecord?..., player: UInt32? = nil) -> [RefereeJSON] {
        records.compactMap { $0?.jsonValue(onlyPlayer: player) }
    }

    var offerBoundMs: Int64 { Int64((options.offerBoundSeconds * 1000).rounded()) }
}

// MARK: State

struct ZoneState: Sendable {
    var started = false
    var stopped = false
    var startCoins = 0
    var startRecord: RefereeRecord?
    /// `ms` of the latest `start` (a journal may hold several runs).
    var runStartMs: Int64 = Int64.min
    var lastDigestTick: UInt64?
    var lastDigest: RefereeRecord?
    /// Hits with health 0 waiting for their kill record (it follows in the same tick).
    var pendingFatal: [RefereeRecord] = []

    var isActive: Bool { started && !stopped }
}

struct PositionSample: Sendable {
    var x: Double
    var y: Double
    var tick: UInt64
    var record: RefereeRecord
}

struct PlayerState: Sendable {
    /// The zone that owns the player now (join, accept, dead-neighbour resolve); nil after a commit whose
    /// accept was not seen yet.
    var owner: String?
    var ownerEpoch: UInt32 = 0
    /// The record that made `owner` the owner.
    var ownerRecord: RefereeRecord?
    /// The zone that released the player by a commit while no accept was seen yet.
    var releasedBy: String?
    var releaseRecord: RefereeRecord?
    /// Zones already reported as showing the player active while not owning it (reported once each): zones
    /// that hold a second live copy.
    var flagged: Set<String> = []
    /// The player was live twice: its coin ids can no longer be followed per player (two copies share the id),
    /// so coin-id checks skip it (conservation by digests still applies).
    var duplicated = false

    var left = false
    var leftZone: String?
    var leftMs: Int64 = 0
    var leaveRecord: RefereeRecord?
    var reportedAfterLeave = false

    var maxOfferEpoch: UInt32 = 0
    var maxAcceptEpoch: UInt32 = 0
    var maxAcceptZone: String?
    var maxAcceptRecord: RefereeRecord?
    /// The latest offer or accept (evidence for epoch violations).
    var lastEpochRecord: RefereeRecord?
    /// Offers not settled yet.
    var openOffers: [HandoffKey] = []
    var lostInHandoff = false

    var carried: Set<UInt32> = []
    var position: PositionSample?
}

/// One handoff: the player, the offered epoch and the offering zone (a rejected epoch may be offered again
/// by another zone).
struct HandoffKey: Hashable, Sendable {
    var player: UInt32
    var epoch: UInt32
    var from: String
}

struct HandoffState: Sendable {
    var offer: RefereeRecord?
    var accept: RefereeRecord?
    /// The offer is waiting for its commit, abort or resolve.
    var offerOpen = false
    /// The tick at which the old owner let go of the player's coins (commit, or an abort after an accept).
    var releaseTick: UInt64?
    var lastMs: Int64
    /// Coins counted in both zones between accept and release.
    var coins: Int { accept?.coins ?? accept?.coinIDs?.count ?? 0 }
}

struct CoinState: Sendable {
    /// The carrying player, or nil when the coin lies on the ground.
    var holder: UInt32?
    /// The record that put it there.
    var record: RefereeRecord
}

struct ShotKey: Hashable, Sendable {
    var a: UInt32
    var b: UInt32
    var shot: UInt32
}
