/// What the simulator does to each direction of each relay: the parsed form of a spec such as
/// `latency=75ms,jitter=10ms,loss=1%,burst=0.5%/4,dup=0.5%,reorder=1%/50ms,seed=7`.
///
/// Every impairment applies to each direction separately (client → zone and zone → client), with its own
/// state and random stream, so `latency=75ms` adds 150 ms to a round trip. `docs/NETSIM.md` has the keys.
public struct ImpairmentSpec: Equatable, Sendable {
    /// Gilbert–Elliott burst loss with a lossless good state and an all-losing bad state.
    public struct BurstLoss: Equatable, Sendable {
        /// Probability that a packet in the good state starts a burst (the packet is the burst's first loss).
        public var enter: Double
        /// Mean burst length in packets (≥ 1): in a burst each further packet ends it with probability 1/length.
        public var meanLength: Double

        public init(enter: Double, meanLength: Double) {
            self.enter = enter
            self.meanLength = meanLength
        }

        /// The long-run fraction of packets the bursts drop: enter·L / (1 + enter·L).
        public var lossRate: Double { enter * meanLength / (1 + enter * meanLength) }
    }

    /// One-way delay added to every packet, in nanoseconds.
    public var latencyNanos: UInt64 = 0
    /// Each packet's delay is drawn uniformly in latency ± jitter, clipped at 0. Packets of one flow may
    /// overtake each other when jitter exceeds their spacing: that is real reordering, not counted as such.
    public var jitterNanos: UInt64 = 0
    /// Probability that a packet is dropped independently of the others.
    public var loss: Double = 0
    public var burst: BurstLoss?
    /// Probability that a packet is sent twice; the copy gets its own delay draw.
    public var duplicate: Double = 0
    /// Probability that a packet is held back `reorderDelayNanos` on top of its delay, so that later
    /// packets overtake it.
    public var reorder: Double = 0
    public var reorderDelayNanos: UInt64 = 50_000_000
    /// Most packets waiting in one direction of one relay; a packet arriving at a full queue is dropped.
    public var queueLimit: Int = 100_000
    /// Seed of every random decision; the same seed and the same packet sequence give the same decisions.
    public var seed: UInt64 = 1

    public init() {}

    /// The longest a packet can wait in the relay.
    public var maximumDelayNanos: UInt64 { latencyNanos + jitterNanos + (reorder > 0 ? reorderDelayNanos : 0) }

    /// True when the spec changes nothing: packets are relayed as they come.
    public var isPassThrough: Bool {
        latencyNanos == 0 && jitterNanos == 0 && loss == 0 && (burst?.enter ?? 0) == 0 && duplicate == 0 && reorder == 0
    }
}
