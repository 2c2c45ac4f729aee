import Histogram

/// Everything the swarm counts, read by the dashboard every second and by the report at the end.
public struct SwarmStats: Sendable {
    public var target = 0
    public var connected = 0
    public var connectedPeak = 0
    public var disconnects = 0
    public var connectFailures = 0
    public var refused: [String: Int] = [:]
    public var shotsFired = 0
    public var shotsConfirmed = 0
    /// Shots the bots saw as hits in their interpolated view, and how many of those the zones confirmed;
    /// the same for targets that were ghosts (players of a neighbour zone seen across the border).
    public var clientHits = 0
    public var clientHitsConfirmed = 0
    public var borderClientHits = 0
    public var borderClientHitsConfirmed = 0
    /// Client hits the zone answered with "void" (`GameEvent.VoidReason` raw value → count): the target or the
    /// shooter had died while the shot was in flight, or the target was in a handoff.
    public var clientHitsVoid: [Int: Int] = [:]
    public var clientHitsVoidTotal: Int { clientHitsVoid.values.reduce(0, +) }
    public var borderClientHitsVoid = 0
    public var kills = 0
    public var deaths = 0
    public var coinsPicked = 0
    public var snapshots = 0
    public var snapshotBytes = 0
    public var snapshotBytesMax = 0
    public var snapshotEntities = 0
    public var deltaSnapshots = 0
    /// Deltas whose baseline the bot no longer had (or never had): skipped, never applied to a wrong frame.
    public var deltaFailures = 0
    /// Ghost snapshots not applied: not newer than the newest applied, or not a reset while the bot waits for
    /// one (after a change of owner).
    public var ghostsSkipped = 0
    /// Ghost snapshots applied (v6).
    public var ghostSnapshots = 0
    public var malformedFromZone = 0
    /// Owner switches (handoffs) the bots followed.
    public var handoffs = 0
    /// Handoffs that failed for the bot: an Attach refused, or the owner connection lost mid-handoff.
    public var handoffsFailed = 0
    /// Longest silence from the owner around each handoff: last snapshot of the old owner to the first
    /// of the new one, in milliseconds.
    public var handoffGap = Histogram<UInt64>(highestTrackableValue: 60_000, numberOfSignificantValueDigits: .three)
    /// The handoff with the longest gap: its player, the zone it moved to and when (seconds into the run), so
    /// a long one can be traced in the journals (`seam logs DIR --player ID`).
    public var longestHandoffGap: LongestGap?
    /// Standby (and redirect) connections the bots opened, how many their zone attached (Attached came
    /// back), and how many closed before attaching: refused by the zone (a disconnect with a code) or lost
    /// (ENet's timeout, or a close without a code). A handoff to a zone whose standby is not attached waits
    /// for it: these say whether long gaps come from there.
    public var standbysOpened = 0
    public var standbysAttached = 0
    public var standbysRefused = 0
    public var standbysLost = 0
    /// Attached standbys a Redirect to their zone replaced with a connection of its own (`Swarm.redirect`):
    /// standbys the zone had forgotten, or whose Owner was long overdue.
    public var standbysReplaced = 0
    /// Times a playing bot went `Swarm.stallNanos` (10 s) without a snapshot from its owner: a bot that lost
    /// track of its owner (each is logged with the bot's connections, up to a budget).
    public var stalls = 0
    /// Of those, how many went on to `Swarm.longStallNanos` (60 s).
    public var longStalls = 0
    /// Owner or Attached messages naming another player than the bot's own (ignored): connections crossed
    /// somewhere between the swarm and a zone.
    public var misdirected = 0
    /// From opening a standby connection to its Attached, in milliseconds, and the slowest one; and the first
    /// part of that, from opening to ENet's connect event (the handshake).
    public var standbyAttach = Histogram<UInt64>(highestTrackableValue: 60_000, numberOfSignificantValueDigits: .three)
    public var slowestStandbyAttach: LongestGap?
    public var standbyConnect = Histogram<UInt64>(highestTrackableValue: 60_000, numberOfSignificantValueDigits: .three)
    public var bytesIn: UInt64 = 0
    public var bytesOut: UInt64 = 0
    /// Sum over seconds of bots playing: the denominator of per-bot rates.
    public var connectedBotSeconds = 0.0
    public var elapsed = 0.0
    /// ENet's smoothed RTT of every playing bot, sampled once a second, in milliseconds.
    public var rtt = Histogram<UInt64>(highestTrackableValue: 60_000, numberOfSignificantValueDigits: .three)
    /// Rates over the last dashboard interval.
    public var bytesInPerBotPerSecondNow = 0.0
    public var bytesOutPerBotPerSecondNow = 0.0
    public var cpuPercentNow = 0.0
    public var residentMiB = 0.0
    public var cpuSeconds = 0.0
    /// The machine's CPUs over the last second and over the run: percent of their time busy with anything and
    /// percent stolen by the hypervisor (`MachineTimes`; 0 where /proc/stat is not readable).
    public var machineBusyPercentNow = 0.0
    public var machineStealPercentNow = 0.0
    public var machineBusyPercent = 0.0
    public var machineStealPercent = 0.0
    /// Every zone of the map, by index, with what its ZoneStatus messages said.
    public var zones: [ZoneLoad] = []
    /// Phases so far; the last one is running (or was running at the end).
    public var phases: [PhaseStats] = []
    /// Phases planned for the run.
    public var phaseCount = 1
    /// The swarm's own ticks: each sends every playing bot's input, `Swarm.tickRate` a second when the swarm
    /// keeps up. How late each began after its time (milliseconds), and the ticks given up when it fell more
    /// than five behind: a swarm waiting for a core shows here before its CPU figure says so.
    public var ticks = 0
    public var ticksSkipped = 0
    public var tickLateness = Histogram<UInt64>(highestTrackableValue: 60_000, numberOfSignificantValueDigits: .three)
    /// Seconds from the first connect to the end of play (before the goodbyes): the span of `ticks`.
    public var playSeconds = 0.0
    /// Swarm ticks over the last second.
    public var ticksPerSecondNow = 0.0
    /// Owner switches over the last second, and the most in any second of the run.
    public var handoffsPerSecondNow = 0.0
    public var handoffsPerSecondMax = 0.0

    public init() {}

    public var bytesInPerBotPerSecond: Double { connectedBotSeconds > 0 ? Double(bytesIn) / connectedBotSeconds : 0 }
    public var bytesOutPerBotPerSecond: Double { connectedBotSeconds > 0 ? Double(bytesOut) / connectedBotSeconds : 0 }
    public var refusedTotal: Int { refused.values.reduce(0, +) }
}

extension SwarmStats {
    /// The counters that phases compare.
    public var tally: SwarmTally {
        var t = SwarmTally()
        t.handoffs = handoffs
        t.handoffsFailed = handoffsFailed
        t.shotsFired = shotsFired
        t.shotsConfirmed = shotsConfirmed
        t.kills = kills
        t.coinsPicked = coinsPicked
        t.disconnects = disconnects
        t.snapshots = snapshots
        return t
    }

    /// Handoffs per second over the time bots played (from the first connect to the end).
    public var handoffsPerSecond: Double { elapsed > 0 ? Double(handoffs) / elapsed : 0 }

    /// The swarm's ticks per second over the play (20 when it kept up).
    public var ticksPerSecond: Double { playSeconds > 0 ? Double(ticks) / playSeconds : 0 }
}

/// A handoff's gap, with what it takes to find it in the journals.
public struct LongestGap: Sendable, Equatable {
    public var ms: UInt64
    public var player: UInt32
    public var zone: String
    public var atSecond: Double
    /// For a handoff gap: how much of it passed before the Owner that moved the bot arrived. The old owner
    /// stops sending at its commit; the new owner's Owner comes at once over a standby connection, but only
    /// after the connect and Attach of a redirect. Nil for a standby's attach.
    public var beforeOwnerMs: UInt64?

    public init(ms: UInt64, player: UInt32, zone: String, atSecond: Double, beforeOwnerMs: UInt64? = nil) {
        self.ms = ms; self.player = player; self.zone = zone; self.atSecond = atSecond
        self.beforeOwnerMs = beforeOwnerMs
    }
}

extension SwarmStats {
    /// Records one handoff's gap, of which `beforeOwnerMs` passed before the bot heard of the move: in the
    /// histogram, and as the longest when it is.
    public mutating func recordHandoffGap(ms: UInt64, beforeOwnerMs: UInt64, player: UInt32, zone: String) {
        handoffGap.record(min(ms, handoffGap.highestTrackableValue))
        if ms > (longestHandoffGap?.ms ?? 0) {
            longestHandoffGap = LongestGap(ms: ms, player: player, zone: zone, atSecond: elapsed,
                                           beforeOwnerMs: min(beforeOwnerMs, ms))
        }
    }

    /// Records one standby connection's time from opening to Attached: in the histogram (capped at its
    /// highest value), and as the slowest when it is.
    public mutating func recordStandbyAttach(ms: UInt64, player: UInt32, zone: String) {
        standbysAttached += 1
        standbyAttach.record(min(ms, standbyAttach.highestTrackableValue))
        if ms > (slowestStandbyAttach?.ms ?? 0) {
            slowestStandbyAttach = LongestGap(ms: ms, player: player, zone: zone, atSecond: elapsed)
        }
    }
}
