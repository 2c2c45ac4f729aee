import Histogram

/// The swarm's counters at one moment, to tell what happened within a phase.
public struct SwarmTally: Sendable, Equatable {
    public var handoffs = 0
    public var handoffsFailed = 0
    public var shotsFired = 0
    public var shotsConfirmed = 0
    public var kills = 0
    public var coinsPicked = 0
    public var disconnects = 0
    public var snapshots = 0

    public init() {}

    public static func - (a: SwarmTally, b: SwarmTally) -> SwarmTally {
        var d = SwarmTally()
        d.handoffs = a.handoffs - b.handoffs
        d.handoffsFailed = a.handoffsFailed - b.handoffsFailed
        d.shotsFired = a.shotsFired - b.shotsFired
        d.shotsConfirmed = a.shotsConfirmed - b.shotsConfirmed
        d.kills = a.kills - b.kills
        d.coinsPicked = a.coinsPicked - b.coinsPicked
        d.disconnects = a.disconnects - b.disconnects
        d.snapshots = a.snapshots - b.snapshots
        return d
    }
}

/// One phase of a run as it went: when, which mix, what the counters did, RTT and the zones' tick times.
public struct PhaseStats: Sendable {
    public let index: Int
    /// The mix as `NAME=W,...`.
    public let behaviors: String
    /// Seconds from the start of the run.
    public let start: Double
    public internal(set) var end: Double
    public internal(set) var atStart: SwarmTally
    public internal(set) var atEnd: SwarmTally
    /// RTT samples taken during the phase, in milliseconds.
    public internal(set) var rtt = Histogram<UInt64>(highestTrackableValue: 60_000, numberOfSignificantValueDigits: .three)
    /// Every zone's tick work reported during the phase, tick by tick, in microseconds.
    public internal(set) var zoneTickWork = ZoneLoad.histogram()
    /// The zone with the worst per-second tick p99 of the phase, and that p99.
    public internal(set) var worstZone: (id: String, micros: UInt32)?

    init(index: Int, behaviors: String, start: Double, tally: SwarmTally) {
        self.index = index
        self.behaviors = behaviors
        self.start = start
        end = start
        atStart = tally
        atEnd = tally
    }

    /// What the counters did in the phase.
    public var counts: SwarmTally { atEnd - atStart }
    public var seconds: Double { end - start }
}
