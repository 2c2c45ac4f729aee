import SeamWorld

/// The decisions for one direction of one relay: which packets to drop, when to deliver the others, which
/// to duplicate or hold back. Pure: it takes the time as an argument and never touches a socket, so tests
/// run it in virtual time.
public struct Impairment: Sendable {
    public let spec: ImpairmentSpec
    public private(set) var counters = DirectionCounters()
    private var random: SplitMix64

    /// `stream` tells the directions and relays apart: each gets its own random sequence from one seed.
    public init(spec: ImpairmentSpec, stream: UInt64) {
        self.spec = spec
        random = SplitMix64(seed: spec.seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
    }

    /// Decides the fate of a packet of `bytes` bytes arriving at `now`. `burst` is the Gilbert–Elliott
    /// state of the packet's flow (one client's path): bursts hit consecutive packets of one flow.
    /// The packets it schedules count as queued until `delivered` or `failedToSend` is called for each.
    public mutating func judge(bytes: Int, now: UInt64, burst: inout BurstState) -> Fate {
        counters.receivedPackets += 1
        counters.receivedBytes += UInt64(bytes)
        if let b = spec.burst {
            if burst.inBurst {
                if unit() < 1 / b.meanLength { burst.inBurst = false }
            } else if b.enter > 0, unit() < b.enter {
                burst.inBurst = true
            }
            if burst.inBurst {
                counters.droppedBurst += 1
                return Fate(copies: 0, due: now, duplicateDue: now, drop: .burst)
            }
        }
        if spec.loss > 0, unit() < spec.loss {
            counters.droppedLoss += 1
            return Fate(copies: 0, due: now, duplicateDue: now, drop: .loss)
        }
        if counters.queueDepth >= spec.queueLimit {
            counters.droppedQueueFull += 1
            return Fate(copies: 0, due: now, duplicateDue: now, drop: .queueFull)
        }
        var fate = Fate(copies: 1, due: now + delay(), duplicateDue: now, drop: nil)
        if spec.reorder > 0, unit() < spec.reorder {
            fate.due += spec.reorderDelayNanos
            fate.heldBack = true
            counters.reordered += 1
        }
        if spec.duplicate > 0, counters.queueDepth + 1 < spec.queueLimit, unit() < spec.duplicate {
            fate.copies = 2
            fate.duplicateDue = now + delay()
            counters.duplicated += 1
        }
        counters.queueDepth += fate.copies
        counters.queueDepthMax = max(counters.queueDepthMax, counters.queueDepth)
        return fate
    }

    /// A scheduled packet of `bytes` bytes went out.
    public mutating func delivered(bytes: Int) {
        counters.queueDepth -= 1
        counters.deliveredPackets += 1
        counters.deliveredBytes += UInt64(bytes)
    }

    /// A scheduled packet could not be sent; it is lost.
    public mutating func failedToSend() {
        counters.queueDepth -= 1
        counters.sendErrors += 1
    }

    /// latency ± jitter, uniformly, never below zero.
    private mutating func delay() -> UInt64 {
        guard spec.jitterNanos > 0 else { return spec.latencyNanos }
        let spread = Double(2 * spec.jitterNanos) * unit()
        let d = Double(spec.latencyNanos) - Double(spec.jitterNanos) + spread
        return d <= 0 ? 0 : UInt64(d)
    }

    /// Uniform in [0, 1).
    private mutating func unit() -> Double {
        Double(random.next() >> 11) * 0x1p-53
    }
}

/// The Gilbert–Elliott state of one flow in one direction: inside a loss burst or not.
public struct BurstState: Sendable, Equatable {
    public var inBurst = false
    public init() {}
}

/// What becomes of one received packet.
public struct Fate: Sendable, Equatable {
    /// Why a packet was dropped.
    public enum Drop: Sendable, Equatable {
        /// Independent loss (`loss=`).
        case loss
        /// Inside a loss burst (`burst=`).
        case burst
        /// The direction's queue was full (`queue=`).
        case queueFull
    }

    /// Copies to deliver: 0 (dropped), 1, or 2 (duplicated).
    public var copies: Int
    /// When the packet is due (meaningful when `copies` ≥ 1).
    public var due: UInt64
    /// When the duplicate is due (meaningful when `copies` is 2).
    public var duplicateDue: UInt64
    public var drop: Drop?
    /// The packet was held back on purpose (`reorder=`).
    public var heldBack = false
}
