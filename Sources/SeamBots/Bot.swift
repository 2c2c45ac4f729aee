import SeamNet
import SeamProtocol
import SeamWorld

/// One headless player. A value in the swarm's array; the swarm's loop owns it.
struct Bot {
    enum Phase: Equatable {
        /// Not yet started by the connect ramp.
        case waiting
        /// ENet connection under way.
        case connecting
        /// Connected, Hello sent, waiting for Welcome.
        case handshaking
        case playing
        /// Connection failed or was refused before playing.
        case failed
        /// Was playing and lost the connection.
        case gone
        /// Disconnected on purpose at the end of the run.
        case finished
    }

    let index: Int
    /// Changes at phase boundaries (`PhasePlan`).
    var behavior: Behavior
    /// The zone that owns the bot's player now.
    var zone: ZoneSpec
    let hostIndex: Int
    var rng: SplitMix64
    var phase = Phase.waiting
    /// The owner connection: inputs go here, snapshots from here are the truth.
    var peer: Peer?
    /// Standby connections by zone index (make before break); the old owner's connection joins them.
    var standbys: [UInt16: Peer] = [:]
    /// Connections still opening, with the token to Attach with once connected.
    var attaching: [Int: AttachToken] = [:]
    /// Standby (or redirect) connections not attached yet, by peer slot: when each was opened and to which
    /// zone (for the handshake and attach times in the report: `SwarmStats.standbyConnect`, `standbyAttach`).
    var standbysOpening: [Int: (sinceNanos: UInt64, zone: UInt16)] = [:]
    /// A connection opened with a Redirect's token beside an attached standby to the same zone (by zone
    /// index), which may be one the zone no longer knows: once it is attached it takes the standby's place
    /// (`Swarm.redirect`).
    var replacements: [UInt16: Peer] = [:]
    var playerId: UInt32 = 0
    /// Newest owner epoch seen: an Owner message with a lower one is stale.
    var epoch: UInt32 = 1
    /// After a switch of owner: when the last snapshot from the old owner arrived (for the gap), and when the
    /// Owner that switched it did (how much of the gap the bot had no snapshot before it heard of the move).
    var switchFromNanos: UInt64?
    var switchAtNanos: UInt64 = 0
    var lastSnapshotNanos: UInt64 = 0
    /// How many of the swarm's stall limits this silence has reached (`Bot.stalled(now:limits:)`).
    var stallLevel = 0
    /// Border-dance: which side of the border the bot is heading to.
    var danceOut = true
    var tickRate = 20

    // What the bot knows of itself, from the newest snapshot.
    var position = Vec2.zero
    var alive = true
    /// The tick of the first snapshot that showed the bot alive again after a death (0: never died).
    var aliveSinceTick: UInt32 = 0
    var newestTick: UInt32 = 0
    /// The tick acknowledged in inputs: the newest snapshot decoded from the current owner (0 = none:
    /// the owner then sends a full snapshot).
    var ackTick: UInt32 = 0
    /// Snapshots decoded from the current owner: the baselines of its deltas.
    var baselines = BaselineRing()
    var newestTickNanos: UInt64 = 0
    /// v6: the table the owner's ghost snapshots keep, and the bot's own last few positions (tick, x, y).
    var speaksGhosts = true
    var table = GhostTable()
    var selfTrail: [(tick: UInt32, x: UInt16, y: UInt16)] = []
    /// v5: the view of the last few frames.
    var view = InterpolationBuffer()
    /// The frame (in `baselines.frames`) whose coins the bot goes by: the newest it took, held in the pool
    /// (see `coins`).
    var coinFrame: Int?

    // Intent.
    var target: Vec2?
    var targetSince: UInt64 = 0
    var bestDistance = Double.infinity
    var sequence: UInt32 = 0
    var recent = InputCommands()
    var lastShotSequence: UInt32 = 0
    /// Shots the bot saw hit (by input sequence), waiting for the zone's confirmation; true if on a ghost.
    var clientHits: [UInt32: Bool] = [:]

    init(index: Int, behavior: Behavior, zone: ZoneSpec, hostIndex: Int, seed: UInt64) {
        self.index = index
        self.behavior = behavior
        self.zone = zone
        self.hostIndex = hostIndex
        rng = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
    }
}
