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
        /// last fresh state until the client acknowledges it), 0...255 (`dueKey` packs it in a byte).
        public var cost: Int
        /// Fresh whatever the budget: the member is new to the client, or its health or flags changed.
        public var forced: Bool

        public init(age: UInt32, distanceSquared: Double, cost: Int, forced: Bool) {
            self.age = age; self.distanceSquared = distanceSquared; self.cost = cost; self.forced = forced
        }
    }

    private var distances: [Double] = []
    /// Scratch for `choose`: the candidates whose priority reached the threshold, as `dueKey`s.
    private var due: [UInt64] = []

    public init() {}

    @inlinable
    public static func priority(age: UInt32, distanceSquared: Double) -> Double {
        // In single precision, the precision the order keeps anyway (`dueKey`): a zone works this out for
        // every stale member of every view every tick, and its frame builder waited on the double square
        // root and division.
        Double((Float(age) + 1) / (1 + Float(distanceSquared).squareRoot() / 4))
    }

    /// False only when `priority(age:distanceSquared:)` is surely below `threshold` (`inverse` is
    /// `1 / threshold`), found with two multiplications instead of a square root and a division: priority
    /// reaches the threshold when `4 * ((age + 1) / threshold - 1)` is at least the distance. The margins
    /// (a millionth of a tile, a millionth of the squared distance) leave the members near the line to the
    /// exact test, so a caller that computes the priority when this is true chooses exactly as `choose` does.
    @inlinable @inline(__always)
    public static func mayReach(_ threshold: Double, inverse: Double, age: UInt32, distanceSquared: Double) -> Bool {
        // A zone not shedding load prices every member at threshold 0: that case first, without the rest.
        guard threshold > 0 else { return true }
        let reach = 4 * (Double(age) + 1) * inverse - 4 + 1e-6
        return reach >= 0 && reach * reach >= distanceSquared * 0.999_999
    }

    /// Sets `fresh[k]` for every candidate `k`: the forced ones; the `always` nearest (more on a tie); then
    /// those whose priority reached `threshold`, highest first, while their costs fit in what is left of
    /// `budget` bytes. At least one member whose priority reached `threshold` is fresh even when none fits,
    /// so a member can wait but never starve. Returns the bytes the fresh members cost.
    @discardableResult
    public mutating func choose(
        _ candidates: [Candidate], always: Int, budget: Int, threshold: Double, into fresh: inout [Bool]
    ) -> Int {
        let n = candidates.count
        fresh.removeAll(keepingCapacity: true)
        fresh.append(contentsOf: repeatElement(false, count: n))
        guard n > 0 else { return 0 }
        if distances.count < n { distances = Array(repeating: 0, count: n) }
        let cut = distances.withUnsafeMutableBufferPointer { d in
            for k in 0..<n { d[k] = candidates[k].distanceSquared }
            return Self.nearestCut(always: always, in: UnsafeMutableBufferPointer(rebasing: d[0..<n]))
        }
        if due.count < n { due = Array(repeating: 0, count: n) }
        return due.withUnsafeMutableBufferPointer { due in
            fresh.withUnsafeMutableBufferPointer { fresh in
                var spent = 0, dueCount = 0, wanted = 0
                for (k, c) in candidates.enumerated() {
                    if c.forced || c.distanceSquared <= cut {
                        fresh[k] = true
                        spent += c.cost
                    } else {
                        let p = Self.priority(age: c.age, distanceSquared: c.distanceSquared)
                        if p >= threshold {
                            due[dueCount] = Self.dueKey(priority: p, index: k, cost: c.cost)
                            dueCount += 1
                            wanted += c.cost
                        }
                    }
                }
                return Self.takeDue(UnsafeMutableBufferPointer(rebasing: due[0..<dueCount]), wanted: wanted,
                                    spent: spent, budget: budget, into: fresh)
            }
        }
    }

    /// The squared distance within which the `always` nearest of `distances` lie (the `always`-th smallest,
    /// found by `select`, which reorders them): infinity when `always` covers them all. A zone finds it first
    /// so that it need not price a member that cannot be fresh: one neither forced, within the cut, nor with
    /// priority at the threshold is never fresh, whatever it would cost.
    public static func nearestCut(always: Int, in distances: UnsafeMutableBufferPointer<Double>) -> Double {
        if always >= distances.count { return .infinity }
        guard always > 0 else { return -.infinity }
        return select(always - 1, in: distances)
    }

    /// The key of a due member in `takeDue`'s list: ordered by priority, then lower index first, and
    /// carrying the member's cost (bytes a fresh state adds), so that ordering and pricing read one word.
    /// `index` below 2^24, `cost` in 0...255 (a fresh entity state is 14 bytes on the wire at most).
    @inlinable @inline(__always)
    public static func dueKey(priority: Double, index: Int, cost: Int) -> UInt64 {
        precondition(index >= 0 && index < 1 << 24 && cost >= 0 && cost <= 255, "dueKey: index or cost out of range")
        // A non-negative Float's bit pattern orders as the Float does.
        return UInt64(Float(priority).bitPattern) << 32 | UInt64(0xFF_FFFF - index) << 8 | UInt64(cost)
    }

    /// The member index a `dueKey` carries.
    @inlinable @inline(__always)
    public static func index(_ due: UInt64) -> Int { 0xFF_FFFF - Int(truncatingIfNeeded: due >> 8 & 0xFF_FFFF) }

    /// The cost a `dueKey` carries.
    @inlinable @inline(__always)
    static func cost(_ due: UInt64) -> Int { Int(truncatingIfNeeded: due & 0xFF) }

    /// The greedy part of the choice: `due` lists the members whose priority reached the threshold
    /// (`dueKey`s, reordered here), costing `wanted` bytes together; `spent` bytes are already taken by the
    /// forced and nearest. All are fresh when they fit; otherwise the highest priority first, the first
    /// whether it fits or not, then the next ones while they fit, stopping at the first that does not. Sets
    /// their `fresh` flags and returns the bytes spent in all.
    @discardableResult
    public static func takeDue(
        _ due: UnsafeMutableBufferPointer<UInt64>, wanted: Int, spent: Int, budget: Int,
        into fresh: UnsafeMutableBufferPointer<Bool>
    ) -> Int {
        if spent + wanted <= budget {
            for key in due { fresh[index(key)] = true }
            return spent + wanted
        }
        return spent + takeInPriorityOrder(due, budget: budget - spent) { key, left in
            guard cost(key) <= left else { return nil }
            fresh[index(key)] = true
            return cost(key)
        }
    }

    /// `takeDue`'s order for a caller that learns each member's cost only when it gets there (a zone prices a
    /// fresh state per member per client per tick, and most due members are never reached): offers the
    /// keys of `due` (reordered: a max-heap) highest first to `offer`, with the bytes left of `budget`
    /// (unlimited for the first, which is taken whatever it costs), until `offer` declines one (returns nil:
    /// it does not fit) or none is left. `offer` returns the bytes the member it took costs. Returns the
    /// bytes taken in all.
    @inlinable
    @discardableResult
    public static func takeInPriorityOrder(
        _ due: UnsafeMutableBufferPointer<UInt64>, budget: Int, _ offer: (_ key: UInt64, _ left: Int) -> Int?
    ) -> Int {
        var n = due.count
        guard n > 0 else { return 0 }
        // Sift-down in two phases (bottom-up, after Floyd): the hole left by the key goes down to a leaf along
        // the larger children, each chosen without a branch (which child is larger is data the processor
        // cannot predict: a mispredicted jump per level made the heap a tenth of a busy zone's cycles), then
        // the key climbs back the few levels it usually needs.
        @inline(__always) func siftDown(_ start: Int, _ n: Int) {
            let key = due[start]
            var i = start, c = 2 &* start &+ 1
            while c &+ 1 < n {
                c &+= Int(unsafeBitCast(due[c &+ 1] > due[c], to: UInt8.self))
                due[i] = due[c]
                i = c
                c = 2 &* i &+ 1
            }
            if c < n {
                due[i] = due[c]
                i = c
            }
            while i > start {
                let parent = (i &- 1) >> 1
                guard due[parent] < key else { break }
                due[i] = due[parent]
                i = parent
            }
            due[i] = key
        }
        for i in stride(from: n / 2 - 1, through: 0, by: -1) { siftDown(i, n) }
        var left = budget, first = true
        while n > 0 {
            let top = due[0]
            n -= 1
            due[0] = due[n]
            siftDown(0, n)
            guard let cost = offer(top, first ? .max : left) else { break }
            first = false
            left -= cost
        }
        return budget - left
    }

    /// The `k`-th smallest of `values` (from 0), which must not be negative (squared distances), reordering
    /// them: quickselect, linear on average. Each pass splits the range around the median of three with a
    /// branch-free partition (a swap per element and an increment by the comparison's outcome): which side
    /// an element falls on is a coin toss the processor cannot predict, and a zone selects once per client
    /// per tick. A non-negative Double's bit pattern orders as the Double does, so the comparisons are on
    /// integers, whose outcome is a bit the arithmetic can use.
    public static func select(_ k: Int, in values: UnsafeMutableBufferPointer<Double>) -> Double {
        precondition(k >= 0 && k < values.count, "select: k out of range")
        assert(values.allSatisfy { $0.sign == .plus && !$0.isNaN }, "select: a negative value or NaN")
        return values.withMemoryRebound(to: UInt64.self) { a in
            var lo = 0, hi = a.count
            while hi - lo > 1 {
                let x = a[lo], y = a[(lo + hi) / 2], z = a[hi - 1]
                let pivot = max(min(x, y), min(max(x, y), z))
                // [lo, less) < pivot <= [less, hi). Both below 2^63: the difference's top bit is `v < pivot`.
                var less = lo
                for i in lo..<hi {
                    let v = a[i]
                    a[i] = a[less]
                    a[less] = v
                    less &+= Int(truncatingIfNeeded: (v &- pivot) >> 63)
                }
                if k < less { hi = less; continue }
                // [less, equal) == pivot < [equal, hi): the pivot is in the range, so this part is not empty.
                var equal = less
                for i in less..<hi {
                    let v = a[i]
                    a[i] = a[equal]
                    a[equal] = v
                    equal &+= Int(truncatingIfNeeded: ((v ^ pivot) &- 1) >> 63)
                }
                if k < equal { return Double(bitPattern: pivot) }
                lo = equal
            }
            return Double(bitPattern: a[k])
        }
    }
}
