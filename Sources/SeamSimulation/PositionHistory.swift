import SeamProtocol
import SeamWorld

/// Where every owned player and ghost was at each of the last `depth` ticks, for lag compensation:
/// a shot is judged against the world as the shooter saw it, up to a second ago.
///
/// Storage is one flat array of samples, `depth` per entity slot, indexed by `tick % depth`; a sample is
/// valid only if it carries the tick asked for, so stale entries never answer. Slots of entities not seen
/// for `depth` ticks are reused. Recording a tick costs one dictionary lookup per entity and no allocation
/// once the zone's population has been seen.
public struct PositionHistory: Sendable {
    public struct Sample: Sendable, Equatable {
        public var tick: UInt64
        public var position: Vec2
        public var alive: Bool
    }

    /// Ticks kept: a little over one second at 20 Hz.
    public static let depth = 24

    private var slotOf: [UInt32: Int] = [:]
    private var lastSeen: [UInt64] = []
    private var ids: [UInt32] = []
    private var samples: [Sample] = []
    private var free: [Int] = []
    private var lastPrune: UInt64 = 0

    public init() {}

    /// Entities with a slot (seen within the last `depth` ticks, roughly).
    public var tracked: Int { slotOf.count }

    /// Records `id` at `position` for `tick`.
    public mutating func record(_ id: UInt32, at position: Vec2, alive: Bool, tick: UInt64) {
        let slot: Int
        if let s = slotOf[id] {
            slot = s
        } else if let s = free.popLast() {
            slot = s
            slotOf[id] = s
            ids[s] = id
            for k in 0..<Self.depth { samples[s * Self.depth + k].tick = .max }
        } else {
            slot = lastSeen.count
            slotOf[id] = slot
            lastSeen.append(0)
            ids.append(id)
            samples.append(contentsOf: repeatElement(Sample(tick: .max, position: .zero, alive: false), count: Self.depth))
        }
        lastSeen[slot] = tick
        samples[slot * Self.depth + Int(tick % UInt64(Self.depth))] = Sample(tick: tick, position: position, alive: alive)
    }

    /// Frees the slots of entities not recorded for `depth` ticks; cheap to call every tick (works once per `depth`).
    public mutating func prune(now tick: UInt64) {
        guard tick >= lastPrune + UInt64(Self.depth) else { return }
        lastPrune = tick
        for slot in lastSeen.indices where lastSeen[slot] + UInt64(Self.depth) <= tick {
            guard slotOf[ids[slot]] == slot else { continue }  // already free
            slotOf[ids[slot]] = nil
            free.append(slot)
        }
    }

    /// The sample of `id` at exactly `tick`, if it was recorded and is still kept.
    public func sample(_ id: UInt32, tick: UInt64) -> Sample? {
        guard let slot = slotOf[id] else { return nil }
        let s = samples[slot * Self.depth + Int(tick % UInt64(Self.depth))]
        return s.tick == tick ? s : nil
    }

    /// Where `id` was at `time` (ticks, fractional): interpolated between the two recorded ticks around it;
    /// the nearer one alone when the other is missing; nil when neither was recorded (or is too old).
    public func position(of id: UInt32, at time: Double) -> Sample? {
        guard time >= 0 else { return nil }
        let t0 = UInt64(time.rounded(.down))
        let f = time - Double(t0)
        let a = sample(id, tick: t0)
        let b = f > 0 ? sample(id, tick: t0 + 1) : nil
        switch (a, b) {
        case (let a?, let b?):
            // A jump no walk explains (a respawn) is not interpolated: the later position, as clients show it.
            // Alive as in the later tick, as a client interpolating toward its newer snapshot shows it.
            if (b.position - a.position).lengthSquared > Wire.jumpTilesPerTick * Wire.jumpTilesPerTick { return b }
            return Sample(tick: t0, position: a.position + (b.position - a.position) * f, alive: b.alive)
        case (let a?, nil):
            return a
        case (nil, let b?):
            return b
        case (nil, nil):
            return nil
        }
    }
}

/// How far back a shot is judged (DESIGN §6): the zone's estimate of what the shooter saw is its round
/// trip (the snapshot's way out plus the input's way back) plus the client's interpolation delay; a claimed
/// view time is trusted within half the round trip plus the interpolation delay of that estimate, clamped
/// into that window otherwise, and never further back than `maxRewind`.
public struct RewindPolicy: Sendable, Equatable {
    /// The interpolation delay clients are expected to use, in ticks (the bots use 2: 100 ms).
    public var interpolationTicks: Double
    /// The furthest back a shot is ever judged, in ticks (at most `PositionHistory.depth - 1`).
    public var maxRewindTicks: Double

    public init(interpolationTicks: Double = 2, maxRewindTicks: Double = 10) {
        self.interpolationTicks = interpolationTicks
        self.maxRewindTicks = min(maxRewindTicks, Double(PositionHistory.depth - 1))
    }

    public enum Verdict: Sendable, Equatable {
        /// The claim was inside the window and is used as it is.
        case trusted
        /// No claim: the zone's estimate is used.
        case estimated
        /// The claim was outside the window (or past the maximum) and was moved to its nearest edge.
        case clamped
    }

    /// The time (ticks, fractional) to judge a shot fired at tick `now` by a client whose round trip is
    /// `roundTripTicks`, claiming it saw the world at `claim`.
    public func judgeTime(now: UInt64, claim: Double?, roundTripTicks: Double) -> (time: Double, verdict: Verdict) {
        let estimate = roundTripTicks + interpolationTicks
        let halfWidth = roundTripTicks / 2 + interpolationTicks
        let low = max(0, estimate - halfWidth)
        let high = min(estimate + halfWidth, maxRewindTicks)
        let nowTime = Double(now)
        guard let claim else { return (nowTime - min(max(estimate, 0), maxRewindTicks), .estimated) }
        let rewind = nowTime - claim
        if rewind >= low && rewind <= high { return (claim, .trusted) }
        return (nowTime - min(max(rewind, min(low, high)), high), .clamped)
    }
}

/// Counts of how shots were judged, for the zone's status lines and counters.
public struct RewindStats: Sendable, Equatable {
    public var trusted = 0
    public var estimated = 0
    public var clamped = 0
    /// Sum of rewinds in ticks (mean = total / shots).
    public var totalRewindTicks = 0.0
    /// Shots whose first target, as rewound, is dead now or frozen in a handoff now: no damage.
    public var targetDeadNow = 0
    public var targetFrozenNow = 0

    public init() {}

    public var shots: Int { trusted + estimated + clamped }

    /// Mean rewind in milliseconds at `tickRate`.
    public func meanRewindMs(tickRate: Int) -> Double {
        shots == 0 ? 0 : totalRewindTicks * 1000 / Double(tickRate) / Double(shots)
    }

    mutating func noteUnavailable(frozen: Bool) {
        if frozen { targetFrozenNow += 1 } else { targetDeadNow += 1 }
    }

    mutating func note(_ verdict: RewindPolicy.Verdict, rewind: Double) {
        switch verdict {
        case .trusted: trusted += 1
        case .estimated: estimated += 1
        case .clamped: clamped += 1
        }
        totalRewindTicks += rewind
    }
}
