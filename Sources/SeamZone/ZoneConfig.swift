import Logging
import SeamNet
import SeamSimulation
import SeamWorld

/// Everything a zone server needs to start.
public struct ZoneConfig: Sendable {
    public var map: GameMap
    public var zone: ZoneSpec
    /// Where to bind; port 0 asks the system for a free port.
    public var bind: NetAddress
    /// Most players served at once; a few more peer slots exist so that a full zone can say so.
    public var capacity: Int = 1000
    public var simulation = SimulationConfig()
    /// Directory for the JSON Lines journal (`<zone>.jsonl`); nil for none.
    public var journalDirectory: String?
    /// Start of tick 0 in nanoseconds since the Unix epoch; every zone of a cluster shares it.
    public var epochNanos: UInt64?
    /// Seconds between status reports.
    public var statusInterval: Double = 5
    /// Per-snapshot byte budget; at most `Wire.maximumSnapshotBytes` so a snapshot is one datagram.
    public var snapshotBudget: Int = 1200
    /// Bytes a delta snapshot aims at: the nearest quarter of the entities and those that must be are always
    /// fresh; the others are refreshed by priority (nearer and longer-unsent first) while the delta fits,
    /// and carried (predicted by the client) otherwise. Halved twice under load. Never changes which
    /// entities a snapshot holds, so a snapshot is at most `snapshotBudget` bytes whatever this is.
    public var updateBudget: Int = 160
    /// Share of the tick period the zone's tick work may take before it degrades its snapshots (see
    /// `ZoneServer.adaptLoad`); it recovers a step per tick under 35/60 of this. 0.6 by default; lower it
    /// when many zones share few cores, so that busy zones leave the machine room for the others.
    public var tickBudget: Double = 0.6
    /// Delta-encode snapshots against the newest one the client acknowledged (`--no-delta` turns it off).
    public var deltas = true
    public var clock: any NanoClock = SystemClock()
    /// Neighbour zones (by map index) and where their zone servers listen. Links and handoffs go only to these.
    public var neighbours: [Int: NetAddress] = [:]
    /// Where clients reach each neighbour (standby and redirect endpoints); defaults to `neighbours`.
    public var clientEndpoints: [Int: NetAddress] = [:]
    /// The cluster secret (at least 16 bytes) that signs tokens and proves links; random when alone.
    public var secret: [UInt8] = []
    /// How far (tiles) a player may stand inside a neighbour's territory before it is handed over.
    public var hysteresis: Double = 2
    /// A neighbour whose link has been down this long is declared dead: its in-doubt players resume. It must
    /// outlast a link's healing (`ZoneServer.linkHealSeconds`): a neighbour alive but slow may have taken the
    /// player, and only a Query over the link back up can say so. At 5 s, continent-2000 on a starved machine
    /// resumed players their neighbour had taken (one end timed the link out, the other 5 s later).
    public var deadAfterSeconds: Double = 20
    /// How long a connect the zone answered may wait for the remote to finish it before its slot is freed
    /// (`NetHost.dropStaleHandshakes`): a handshake takes a round trip; ENet alone kept such slots 5 to 30 s,
    /// and continent-6000's hot zones, their standby connections given up by the hundred, ran out of slots
    /// for their neighbour links. Only while the zone's free slots are below its standby reserve
    /// (`freeSlotsBelowReserve`), and the remote is told (`full`).
    public var staleHandshakeMs: UInt32 = 3_000
    /// Faults to inject, to prove the referee catches them. Empty in any real run.
    public var faults: Set<ZoneFault> = []
    /// Peer slots for standby connections, on top of `capacity`; nil: `capacity` per neighbour, up to two
    /// (none without neighbours). A zone with several borders beside a crowd holds more standbys than it owns
    /// players: at one `capacity` the hot zones of continent-6000 ran out of slots, ENet ignored the connect
    /// attempts of new standbys (each retried with doubling timeouts: handshakes up to 16 s, 1,300-1,900
    /// standbys lost per 2 minutes, handoff gaps of seconds); at two, none lost and the slowest attach took
    /// 2 s. (Every slot costs a little at each network service, empty or not: ENet walks them all.)
    public var standbySlots: Int?
    /// When in each tick period the zone runs its tick, as a fraction of the period (0 ≤ phase < 1). Tick
    /// numbers stay the world clock's (tick n is still the interval [start(n), start(n + 1))); only the
    /// moment the work is done moves. 0 (the default): every zone of a cluster ticks at the same instant.
    /// Zones sharing a machine spread over the period (the fractional part of k × 0.618 for the zone at
    /// position k) queued less for the cores in a 16-zone run on 2 cores (RTT p50 217 → 98 ms), but both
    /// 10-minute runs with the spread lost one or two bots where the runs without lost none: off by default
    /// until that is understood (docs/BENCHMARKS.md, continent, seventh session).
    public var tickPhase: Double = 0

    /// The border band: a player within this distance of a neighbour's territory is ghosted to it and
    /// keeps a standby connection to it (to a corner-only neighbour, see `cornerStandbyBand`). At least the
    /// view radius plus the hysteresis.
    public var borderBand: Double { simulation.viewRadius + hysteresis }

    /// How near a neighbour that touches this territory only at a corner a player must be to keep a standby
    /// connection to it: 4 × hysteresis (8 tiles by default), not the border band. A player can enter that
    /// territory only through the corner square its movement bounds open (hysteresis + 1 each way), so
    /// farther out the connection is never used, and in a crowd where four zones meet it was one of every
    /// bot's three standby connections, each a peer every service of the zone walks.
    public var cornerStandbyBand: Double { min(borderBand, 4 * hysteresis) }

    public init(map: GameMap, zone: ZoneSpec, bind: NetAddress) {
        self.map = map
        self.zone = zone
        self.bind = bind
    }

    /// Peer slots beyond capacity, used only to refuse with a reason.
    static let spareSlots = 16

    /// Every peer slot the zone's host needs: players, standby connections, neighbour links, spares.
    var peerLimit: Int {
        min(4095, capacity + (standbySlots ?? capacity * min(neighbours.count, 2)) + neighbours.count + ZoneConfig.spareSlots)
    }
}

/// A deliberate bug a zone can be started with (`seam zone --fault NAME`), each breaking one invariant the
/// referee must catch. Off by default; never for a real run.
public enum ZoneFault: String, CaseIterable, Sendable {
    /// On commit, the player's coins also stay on the ground here: coins duplicated at the border.
    case duplicateCoin = "duplicate-coin"
    /// Accepts from neighbours are ignored: no commit, the player stays frozen here, lost in the handoff.
    case dropCommit = "drop-commit"
    /// After an offer the player resumes at once instead of waiting: live in two zones.
    case resumeEarly = "resume-early"
    /// Every 3 seconds one player jumps 12 tiles without a record.
    case teleport
    /// Every hit is applied and journaled twice.
    case doubleDamage = "double-damage"
    /// Every kill is credited and journaled twice.
    case doubleKill = "double-kill"
}
