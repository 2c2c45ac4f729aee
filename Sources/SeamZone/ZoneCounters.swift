import SeamNet
import SeamSimulation
/// What a zone counted since it started. Refusals are counted per reason.
public struct ZoneCounters: Sendable, Equatable {
    public var connects = 0
    public var joins = 0
    public var leaves = 0
    public var refusedWrongVersion = 0
    public var refusedMalformed = 0
    public var refusedOversized = 0
    public var refusedFull = 0
    public var refusedUnexpected = 0
    public var refusedWrongChannel = 0
    /// Attach tokens refused: forged, expired, replayed, or for another zone or player.
    public var refusedBadToken = 0
    public var handoffsOut = 0
    public var handoffsIn = 0
    public var handoffsAborted = 0
    public var handoffsInDoubt = 0
    public var ticks: UInt64 = 0
    /// Ticks whose work ended after the next tick should have started.
    public var overruns = 0
    /// Ticks skipped because the zone fell more than `ZoneServer.maximumCatchUp` ticks behind.
    public var skippedTicks: UInt64 = 0
    public var snapshotsSent: UInt64 = 0
    public var snapshotBytes: UInt64 = 0
    /// Times the zone shrank its snapshots' entity limit under load.
    public var degradations = 0
    /// Owner connections lost while the client had another connection to this zone, which took their place
    /// (instead of the player leaving).
    public var ownersRebound = 0
    /// Owner connections lost within the client grace of the player's arrival with no other connection
    /// here: the player waited for its client instead of leaving.
    public var ownersAwaited = 0
    /// Attaches for a player this zone had handed on, answered with a Redirect to where it went.
    public var attachesRedirected = 0
    /// Redirects held back at a commit (the new owner had sent Owner over a standby) and sent later because
    /// the client was still heard from here: it never got that Owner.
    public var redirectsOnDemand = 0
    /// Snapshots sent as deltas to v5 clients, and ghost snapshots to v6 clients (the rest were full).
    public var deltasSent: UInt64 = 0
    public var ghostsSent: UInt64 = 0
    /// Entities put in snapshots, and how many of them were carried or repeated rather than fresh.
    public var entitiesSent: UInt64 = 0
    public var entitiesStale: UInt64 = 0
    public var sendFailures = 0
    /// Cross-border hits: sent to the target's owner, applied here for another zone's shooter, answered
    /// with a refusal (not owned, in handoff, dead), passed on after a handoff, seen twice (ignored), and
    /// forwarded hits that got no answer in time.
    public var remoteHitsForwarded = 0
    public var remoteHitsApplied = 0
    public var remoteHitsRefused = 0
    public var remoteHitsPassedOn = 0
    public var remoteHitDuplicates = 0
    public var remoteHitsTimedOut = 0
    /// Slots ENet held for connections a remote started and never finished, freed by the zone
    /// (`NetHost.dropStaleHandshakes`).
    public var staleHandshakesDropped = 0
    /// Connects still in their handshake dropped to leave a slot free for a neighbour link that is down.
    public var handshakesDroppedForLinks = 0

    public init() {}

    public var refused: Int {
        refusedWrongVersion + refusedMalformed + refusedOversized + refusedFull + refusedUnexpected
            + refusedWrongChannel + refusedBadToken
    }
}

/// A periodic report of a running zone, for status lines and tests.
public struct ZoneStatus: Sendable {
    public var zone: String
    public var tick: UInt64
    public var players: Int
    public var connectedPeers: Int
    /// ENet peer slots the zone holds now and at most since the last report: connected peers and those
    /// still disconnecting, which ENet no longer counts as connected but whose slots a connect cannot take
    /// yet (see `ZoneServer.slotsHeld`).
    public var slotsHeld = 0
    public var slotsHeldPeak = 0
    /// ENet's own view of the slots at the report (free, handshaking, connected, disconnecting).
    public var slots = NetHost.SlotCensus()
    public var counters: ZoneCounters
    /// Tick work time over the last interval, in milliseconds.
    public var tickP50Ms: Double
    public var tickP99Ms: Double
    public var tickMaxMs: Double
    /// The zone thread's CPU time in those ticks, in milliseconds: beside the wall times above, it tells a
    /// zone that works long from one that waits for a core (a machine shared with a swarm and fifteen more).
    public var tickCPUP50Ms = 0.0
    public var tickCPUP99Ms = 0.0
    public var bytesInPerSecond: Double
    public var bytesOutPerSecond: Double
    /// Datagrams a second each way, and the system calls a second that moved them (a batched socket reads
    /// up to 32 and sends up to 64 in one call).
    public var datagramsInPerSecond = 0.0
    public var datagramsOutPerSecond = 0.0
    public var receiveCallsPerSecond = 0.0
    public var sendCallsPerSecond = 0.0
    /// Since the zone started: datagrams too long for ENet, dropped unread; datagrams the system would not
    /// send (a full socket buffer), dropped.
    public var oversizeDropped: UInt64 = 0
    public var sendsRefused: UInt64 = 0
    public var coinsGround: Int
    public var coinsCarried: Int
    /// Most others a snapshot carries now (128 = not degrading).
    public var entityLimit = 128
    /// How shots were judged so far (lag compensation), and the tick rate that turns ticks into ms.
    public var rewind = RewindStats()
    public var tickRate = 20

    private var shotsPart: String {
        let mean = Int(rewind.meanRewindMs(tickRate: tickRate).rounded())
        return "shots \(rewind.shots) (clamped \(rewind.clamped), mean rewind \(mean)ms, on dead \(rewind.targetDeadNow), "
            + "on frozen \(rewind.targetFrozenNow)) "
            + "remote hits out \(counters.remoteHitsForwarded) in \(counters.remoteHitsApplied)"
    }
    /// 0 normally; 1 or 2 while far entities are refreshed less under load (update budget halved once or
    /// twice).
    public var farUpdateLevel = 0
    /// 1 normally; 2 or 3 while each client gets a snapshot every 2nd or 3rd tick under load.
    public var snapshotInterval = 1

    /// One line a person can read at a glance.
    public var line: String {
        func f(_ v: Double) -> String { String(Int((v * 10).rounded()) / 10) + "." + String(Int((v * 10).rounded()) % 10) }
        return "zone \(zone) tick \(tick) players \(players) peers \(connectedPeers) "
            + "(slots held \(slotsHeld), peak \(slotsHeldPeak); free \(slots.free), handshaking \(slots.handshaking), "
            + "disconnecting \(slots.disconnecting), stale handshakes dropped \(counters.staleHandshakesDropped), "
            + "for links \(counters.handshakesDroppedForLinks)) "
            + "tick p50 \(f(tickP50Ms))ms p99 \(f(tickP99Ms))ms max \(f(tickMaxMs))ms "
            + "(cpu p50 \(f(tickCPUP50Ms))ms p99 \(f(tickCPUP99Ms))ms) overruns \(counters.overruns) "
            + "in \(Int(bytesInPerSecond / 1024))KiB/s out \(Int(bytesOutPerSecond / 1024))KiB/s "
            + "(datagrams in \(Int(datagramsInPerSecond))/s by \(Int(receiveCallsPerSecond)) calls/s, "
            + "out \(Int(datagramsOutPerSecond))/s by \(Int(sendCallsPerSecond)) calls/s; "
            + "oversize dropped \(oversizeDropped), sends refused \(sendsRefused)) "
            + "coins \(coinsGround)+\(coinsCarried) refused \(counters.refused) "
            + "handoffs out \(counters.handoffsOut) in \(counters.handoffsIn) aborted \(counters.handoffsAborted) "
            + "owners rebound \(counters.ownersRebound) awaited \(counters.ownersAwaited) "
            + "attaches redirected \(counters.attachesRedirected) redirects on demand \(counters.redirectsOnDemand) "
            + shotsPart
            + (entityLimit < 128 || farUpdateLevel > 0 || snapshotInterval > 1
                ? " DEGRADING (update budget halved \(farUpdateLevel)x, snapshot every \(snapshotInterval) ticks, "
                    + "entity limit \(entityLimit))" : "")
    }
}
