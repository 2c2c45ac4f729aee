/// When each phase of a run starts and which behaviour each bot has in it: a pure function of the phases,
/// the number of bots and the seed, so a scenario is reproducible (up to network timing).
public struct PhasePlan: Sendable {
    public let phases: [SwarmPhase]
    /// Seconds from the start of the run at which each phase begins; the first is 0.
    public let starts: [Double]

    /// The config's phases, or one phase of its mix for its whole duration when it has none.
    public init(config: SwarmConfig) {
        self.init(phases: config.phases.isEmpty
                  ? [SwarmPhase(duration: config.duration, behaviors: config.behaviors)] : config.phases)
    }

    public init(phases: [SwarmPhase]) {
        precondition(!phases.isEmpty, "a plan needs at least one phase")
        self.phases = phases
        var starts: [Double] = []
        var t = 0.0
        for p in phases {
            starts.append(t)
            t += p.duration
        }
        self.starts = starts
    }

    /// Seconds from the start to the end of the last phase.
    public var duration: Double { starts[starts.count - 1] + phases[phases.count - 1].duration }

    /// The phase running `elapsed` seconds after the start; the last one goes on after its end.
    public func phase(at elapsed: Double) -> Int {
        var p = 0
        while p + 1 < starts.count && elapsed >= starts[p + 1] { p += 1 }
        return p
    }

    /// Each bot's behaviour in phase `index`: exactly proportional counts, shuffled with a seed derived from
    /// `seed` and the phase (phase 0 uses `seed` itself, so a run without phases is assigned as before).
    public func behaviors(ofPhase index: Int, count: Int, seed: UInt64) -> [Behavior] {
        phases[index].behaviors.assign(count: count, seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
    }
}
