/// Decides which members of a client's view get a **fresh** state in a snapshot; the others are
/// **carried**: the client predicts them forward from its baseline by their velocity, which costs half a
/// byte in a delta instead of a few (docs/PROTOCOL.md, "Delta snapshot").
///
/// Membership (which entities the client sees) is decided before, nearest first, and stays stable from
/// tick to tick; this only rations how often each member is refreshed. Priority of a member at squared
/// distance `d2`, whose last fresh state was sent to this client `age` ticks ago: `(age + 1) / (1 + d / 4)`
/// with `d` in tiles, so it grows while the member waits, faster when it is near. A member 4 tiles away
/// reaches priority 1 one tick after its last fresh state, one 16 tiles away four ticks after.
///
/// The per-(client, entity) state is that age: the zone keeps, with each frame it sent, the tick of the fresh
/// state behind every entry, so the accumulator itself holds only scratch space and one serves every client.
///
/// History: chosen per snapshot as the *set* of entities to send (far ones rotating in and out), it made
/// them "added" entries (14 bytes) every few ticks: quad, 1,000 wandering bots, full/delta 5.02× → 3.17×.
/// Choosing freshness instead of membership keeps the set, and the deltas, stable.
public struct PriorityAccumulator: Sendable {
    /// One member of a client's view.
    public struct Candidate: Sendable, Equatable {
        /// Ticks since this client was last sent a fresh state of the entity.
        public var age: UInt32
        public var distanceSquared: Double
        /// Bytes a fresh state adds to the delta over the alternative (carrying the member, or repeating the
        /// last fresh state until the client acknowledges it).
        public var cost: Int
        /// Fresh whatever the budget: the member is new to the client, or its health or flags changed.
        public var forced: Bool

        public init(age: UInt32, distanceSquared: Double, cost: Int, forced: Bool) {
            self.age = age; self.distanceSquared = distanceSquared; self.cost = cost; self.forced = forced
        }
    }

    private var distances: [Double] = []
    /// Candidates whose priority reached the threshold, as `priority bits << 32 | ~index`: sorted from the
    /// largest, they come highest priority first, lower index first on a tie.
    private var due: [UInt64] = []

    public init() {}

    public static func priority(age: UInt32, distanceSquared: Double) -> Double {
        (Double(age) + 1) / (1 + distanceSquared.squareRoot() / 4)
    }

    /// Sets `fresh[k]` for every candidate `k`: the forced ones; the `always` nearest (more on a tie); then
    /// those whose priority reached `threshold`, highest first, while their costs fit in what is left of
    /// `budget` bytes. At least one member whose priority reached `threshold` is fresh even when none fits,
    /// so a member can wait but never starve. Returns the bytes the fresh members cost.
    @discardableResult
    public mutating func choose(
        _ candidates: [Candidate], always: Int, budget: Int, threshold: Double, into fresh: inout [Bool]
    ) -> Int {
        fresh.removeAll(keepingCapacity: true)
        fresh.append(contentsOf: repeatElement(false, count: candidates.count))
        guard !candidates.isEmpty else { return 0 }
        // The nearest `always` whatever their age: what a player sees up close must never lag.
        var cut = -Double.infinity
        if always >= candidates.count {
            cut = .infinity
        } else if always > 0 {
            distances.removeAll(keepingCapacity: true)
            for c in candidates { distances.append(c.distanceSquared) }
            cut = distances.withUnsafeMutableBufferPointer { Self.select(always - 1, in: $0) }
        }
        var spent = 0
        due.removeAll(keepingCapacity: true)
        for (k, c) in candidates.enumerated() {
            if c.forced || c.distanceSquared <= cut {
                fresh[k] = true
                spent += c.cost
            } else {
                let p = Self.priority(age: c.age, distanceSquared: c.distanceSquared)
                // A non-negative Float's bit pattern orders as the Float does.
                if p >= threshold { due.append(UInt64(Float(p).bitPattern) << 32 | UInt64(~UInt32(k))) }
            }
        }
        guard !due.isEmpty else { return spent }
        var wanted = 0
        for d in due { wanted += candidates[Self.index(d)].cost }
        if spent + wanted <= budget {
            for d in due { fresh[Self.index(d)] = true }
            return spent + wanted
        }
        due.sort()  // ascending without a comparison closure, read from the end: highest priority first
        var taken = 0
        for d in due.reversed() {
            let cost = candidates[Self.index(d)].cost
            guard spent + cost <= budget || taken == 0 else { continue }
            fresh[Self.index(d)] = true
            spent += cost
            taken += 1
        }
        return spent
    }

    @inline(__always)
    private static func index(_ due: UInt64) -> Int { Int(~UInt32(truncatingIfNeeded: due)) }

    /// The `k`-th smallest of `values` (from 0), reordering them: Hoare's selection, linear on average.
    static func select(_ k: Int, in a: UnsafeMutableBufferPointer<Double>) -> Double {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let pivot = a[(lo + hi) / 2]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while a[j] > pivot { j -= 1 }
                if i <= j {
                    a.swapAt(i, j)
                    i += 1; j -= 1
                }
            }
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }
}
