import SeamProtocol
import SeamSimulation

/// Builds the entities of one client's next frame: every member of its view, each with its fresh state or
/// with the state the client will compute from its baseline (carried), as the priority accumulator chooses.
///
/// *Membership* is decided before (the nearest that fit the budget, stable from tick to tick); this decides
/// *freshness*. A member the baseline holds with the newest fresh state this client was sent is carried:
/// the frame records `DeltaCodec.carried(baseline state)`, exactly what the client decodes from change mask
/// 0, so both ends keep the same frames (the checksum checks it). A member whose newest fresh state went out
/// after the baseline (not acknowledged yet) is not carried from the baseline, which would step the client's
/// view back: that fresh state is repeated, predicted on, until a baseline holds it. A member new to the
/// client, or whose health or flags changed, is always fresh.
struct FrameBuilder {
    /// The client's view this tick, in id order: set by the caller before `build` (the zone puts it in
    /// order with `EntityTable`, without sorting).
    var members: [(state: EntityState, distanceSquared: Double)] = []
    /// How many of the frame's entities are not fresh this tick (carried or repeated), after `build`.
    private(set) var stale = 0
    /// Entities in the frame after `build` (the members').
    private(set) var count = 0
    /// The output and scratch columns, raw (see `Columns`), and their owner.
    private var columns = Columns()
    private var storage = Storage()

    /// The frame `build` chose, in the builder's storage: valid until its next `build`.
    struct Frame {
        /// The entities, sorted by id, and the tick of the fresh state behind each.
        var entities: UnsafeBufferPointer<EntityState>
        var freshTicks: UnsafeBufferPointer<UInt32>
        /// Each entity's change against its baseline state (what `DeltaEncoder` writes); meaningless for
        /// entities the baseline lacks and when there is no baseline.
        var changes: UnsafeBufferPointer<EntityChange>
        /// Each entity's index in the baseline's entities, -1 for one the baseline lacks (what
        /// `DeltaEncoder` would find by walking both lists again); meaningless when there is no baseline.
        var baseIndices: UnsafeBufferPointer<Int32>
    }

    var frame: Frame {
        @inline(__always) get {
            Frame(entities: UnsafeBufferPointer(start: columns.entities, count: count),
                  freshTicks: UnsafeBufferPointer(start: columns.freshTicks, count: count),
                  changes: UnsafeBufferPointer(start: columns.changes, count: count),
                  baseIndices: UnsafeBufferPointer(start: columns.baseIndices, count: count))
        }
    }

    /// The frame's entities and fresh ticks, copied (for tests).
    var entities: [EntityState] { Array(frame.entities) }
    var freshTicks: [UInt32] { Array(frame.freshTicks) }
    /// `changes` and `baseIndices` as the encoder's array form takes them (for tests).
    var known: DeltaEncoder.Known { DeltaEncoder.Known(changes: Array(frame.changes), baseIndices: Array(frame.baseIndices)) }

    /// A frame sent before, as `build` reads it: its entities in id order and the tick of the fresh state
    /// behind each, in storage the caller keeps (a zone's `FrameStore`) for the call.
    struct Sent {
        var tick: UInt32
        var entities: UnsafeBufferPointer<EntityState>
        var freshTicks: UnsafeBufferPointer<UInt32>
    }

    /// Members always fresh: the nearest quarter, and at least 8.
    static func alwaysFresh(of count: Int) -> Int { max(8, (count + 3) / 4) }

    /// The squared distance within which the nearest quarter of `members` lie (at least 8; infinite when
    /// that is all of them), using `distances` (room for every member) as scratch.
    private static func nearestCut(of members: UnsafeBufferPointer<(state: EntityState, distanceSquared: Double)>,
                                   scratch distances: UnsafeMutablePointer<Double>) -> Double {
        let n = members.count
        for k in 0..<n { distances[k] = members[k].distanceSquared }
        return PriorityAccumulator.nearestCut(always: Self.alwaysFresh(of: n),
                                              in: UnsafeMutableBufferPointer(start: distances, count: n))
    }

    /// Chooses the frame of tick `tick`. Without a baseline (full snapshot) or without the previous frame
    /// sent every member is fresh. Otherwise the forced and the nearest quarter are, then the members whose
    /// priority reached `threshold`, highest first, while the entity section of the delta stays within
    /// `budget` bytes (the accumulator's rule: `PriorityAccumulator.choose`; its greedy part here is
    /// `takeInPriorityOrder`, which prices a member only when its turn comes).
    mutating func build(tick: UInt32, baseline: Sent?, previous: Sent?, budget: Int, threshold: Double) {
        assert(zip(members, members.dropFirst()).allSatisfy { $0.state.id < $1.state.id }, "members not in id order")
        let n = members.count
        let none = EntityChange.carried
        // A copy shares its original's storage until it builds: then it takes storage of its own, so one
        // builder's frame is never overwritten or freed by another's `build`.
        if !isKnownUniquelyReferenced(&storage) {
            storage = Storage()
            columns = Columns()
        }
        if n > columns.capacity { columns = storage.reserve(n) }
        count = n
        stale = 0
        guard n > 0 else { return }
        // Raw columns: the zone calls this per client per tick, and arrays held in a class cost a retain and
        // a release each per use (each a locked instruction waiting for the stores before it).
        let out = columns
        let stale = members.withUnsafeBufferPointer { members -> Int in
            guard let baseline else {
                for k in 0..<n { out.entities[k] = members[k].state }
                out.freshTicks.update(repeating: tick, count: n)
                out.changes.update(repeating: none, count: n)
                out.baseIndices.update(repeating: -1, count: n)
                return 0
            }
            let cut = Self.nearestCut(of: members, scratch: out.distances)
            let pass = Pass(tick: tick, sinceBaseline: tick &- baseline.tick,
                            sincePrevious: tick &- (previous?.tick ?? tick), cut: cut, threshold: threshold)
            return Self.choose(members, pass, baseline: baseline, previous: previous, budget: budget, into: out)
        }
        self.stale = stale
    }

    /// `build` with a baseline, into `out`: the merge, then the due members that fit the budget made fresh.
    /// Returns how many members are not fresh.
    private static func choose(
        _ members: UnsafeBufferPointer<(state: EntityState, distanceSquared: Double)>, _ pass: Pass, baseline: Sent,
        previous: Sent?, budget: Int, into out: Columns
    ) -> Int {
        let n = members.count, tick = pass.tick, base = baseline.entities
        let tally = Self.merge(members, base: base, baseFresh: baseline.freshTicks,
                               previous: previous?.entities ?? .init(start: nil, count: 0),
                               previousFresh: previous?.freshTicks ?? .init(start: nil, count: 0), pass, into: out)
        // What the entity section takes whatever is fresh: the removed bitmap, a nibble per kept member, the
        // added ones in full, and the repeated states.
        let kept = n - tally.added
        let fixed = (base.count + 7) / 8 + (kept + 1) / 2 + 2 + tally.added * EntityState.wireSize + tally.repeats
        // The due members, highest priority first, each priced only when its turn comes: most are never
        // reached, as the budget runs out first.
        var stale = tally.stale
        let t = pass.sinceBaseline
        PriorityAccumulator.takeInPriorityOrder(UnsafeMutableBufferPointer(start: out.due, count: tally.dueCount),
                                                budget: budget - fixed - tally.spent) { key, left in
            let k = PriorityAccumulator.index(key), m = members[k].state
            let change = DeltaCodec.change(base[Int(out.baseIndices[k])], m, ticks: t)
            let extra = max(0, change.cost - out.changes[k].cost)
            guard extra <= left else { return nil }
            out.entities[k] = m
            out.freshTicks[k] = tick
            out.changes[k] = change
            stale -= 1
            return extra
        }
        return stale
    }

    /// What one `build` call's choice depends on besides the frames.
    private struct Pass {
        var tick: UInt32
        /// Ticks since the baseline's and since the previous frame's.
        var sinceBaseline: UInt32
        var sincePrevious: UInt32
        /// Members within this squared distance are among the nearest quarter: always fresh.
        var cut: Double
        var threshold: Double
        /// A member this close to the edge of the coordinates (or faster than `clampSpeed`) may have its
        /// carried prediction clamped (see `mayClamp`).
        var clampEdge: Int

        init(tick: UInt32, sinceBaseline: UInt32, sincePrevious: UInt32, cut: Double, threshold: Double) {
            self.tick = tick; self.sinceBaseline = sinceBaseline; self.sincePrevious = sincePrevious
            self.cut = cut; self.threshold = threshold
            // The farthest a prediction at `clampSpeed` moves in these ticks (`DeltaCodec.predict`), plus one.
            clampEdge = (FrameBuilder.clampSpeed * Int(min(sinceBaseline, 64)) + 40) / 80 + 1
        }
    }

    /// The speed (quantized) under which `mayClamp` needs only the position: far above a player's.
    static let clampSpeed = 2048

    /// False when `DeltaCodec.carried(e, ticks:)` surely stays inside the coordinates (is not clamped), so its
    /// change costs nothing: `e` lies at least `edge` from both ends on each axis and moves slower than
    /// `clampSpeed`. Three comparisons instead of the prediction.
    @inline(__always)
    private static func mayClamp(_ e: EntityState, within edge: Int) -> Bool {
        let low = Int(min(e.x, e.y)), high = Int(max(e.x, e.y))
        let speed = max(abs(Int(e.vx)), abs(Int(e.vy)))
        return low < edge || high &+ edge > Int(UInt16.max) || speed > clampSpeed
    }

    /// What `merge` counted: members added in full, bytes of the repeated states, bytes the fresh ones add,
    /// how many are due (listed in the scratch's `due`), and how many are not fresh before the due ones are
    /// taken.
    private struct Tally {
        var added = 0, repeats = 0, spent = 0, dueCount = 0, stale = 0
    }

    /// Every member's entry in the frame (fresh, carried or repeated) written to `out`, in one merge with the
    /// baseline and the previous frame (all three in id order), over raw buffers: this runs per member per
    /// client per tick. The forced and the nearest are fresh; the others are carried or repeated, and those
    /// whose priority reached the threshold are listed as due (`PriorityAccumulator.dueKey`s) for `build` to
    /// take, highest first, pricing each fresh state only then.
    private static func merge(
        _ members: UnsafeBufferPointer<(state: EntityState, distanceSquared: Double)>,
        base: UnsafeBufferPointer<EntityState>, baseFresh: UnsafeBufferPointer<UInt32>,
        previous prev: UnsafeBufferPointer<EntityState>, previousFresh prevFresh: UnsafeBufferPointer<UInt32>,
        _ pass: Pass, into out: Columns
    ) -> Tally {
        let none = EntityChange.carried
        let tick = pass.tick, t = pass.sinceBaseline, tp = pass.sincePrevious, cut = pass.cut
        let threshold = pass.threshold, inverseThreshold = 1 / threshold
        // The previous frame is often the baseline itself (the client acknowledged the last frame sent):
        // then its entry for a member is the baseline's, found without a second walk.
        let samePrevious = pass.sincePrevious == pass.sinceBaseline && prev.count == base.count
        // The columns, read once: stores through them are not reloads of the structures' fields.
        let outEntities = out.entities, outFreshTicks = out.freshTicks, outChanges = out.changes
        let outBaseIndices = out.baseIndices, due = out.due
        @inline(__always) func set(_ k: Int, _ state: EntityState, freshTick: UInt32, change: EntityChange,
                                   baseIndex: Int32) {
            outEntities[k] = state
            outFreshTicks[k] = freshTick
            outChanges[k] = change
            outBaseIndices[k] = baseIndex
        }
        var tally = Tally()
        var i = 0, q = 0
        for k in 0..<members.count {
            let m = members[k].state, d2 = members[k].distanceSquared, id = m.id
            while i < base.count && base[i].id < id { i += 1 }
            guard i < base.count, base[i].id == id else {
                // New to the client: added in full.
                set(k, m, freshTick: tick, change: none, baseIndex: -1)
                tally.added += 1
                continue
            }
            let old = base[i], baseIndex = Int32(truncatingIfNeeded: i)
            if samePrevious {
                q = i
            } else {
                while q < prev.count && prev[q].id < id { q += 1 }
                guard q < prev.count, prev[q].id == id else {
                    // Out of the last frame sent (or none was): which of its states the client saw since the
                    // baseline is not known here.
                    let freshChange = DeltaCodec.change(old, m, ticks: t)
                    tally.spent += freshChange.cost
                    set(k, m, freshTick: tick, change: freshChange, baseIndex: baseIndex)
                    continue
                }
            }
            let lastFresh = prevFresh[q]
            // A stale member's entry, then whether its priority makes it due. Its priority is worked out only
            // when it may reach the threshold; what a fresh state would cost, only if its turn comes (in
            // `build`).
            @inline(__always) func stale(_ state: EntityState, change: EntityChange) {
                set(k, state, freshTick: lastFresh, change: change, baseIndex: baseIndex)
                tally.stale += 1
                let age = tick &- lastFresh
                if PriorityAccumulator.mayReach(threshold, inverse: inverseThreshold, age: age, distanceSquared: d2),
                   case let priority = PriorityAccumulator.priority(age: age, distanceSquared: d2),
                   priority >= threshold
                {
                    due[tally.dueCount] = PriorityAccumulator.dueKey(priority: priority, index: k, cost: 0)
                    tally.dueCount += 1
                }
            }
            // Carried from the baseline (most members), a member keeps the baseline's health and flags, and
            // when its prediction cannot have been clamped its carried state costs nothing: decided without
            // the general path's pricing (this runs per member per client per tick).
            if lastFresh == baseFresh[i], !Self.mayClamp(old, within: pass.clampEdge) {
                if old.health != m.health || old.flags != m.flags || d2 <= cut {
                    let freshChange = DeltaCodec.change(old, m, ticks: t)
                    tally.spent += freshChange.cost
                    set(k, m, freshTick: tick, change: freshChange, baseIndex: baseIndex)
                } else {
                    stale(DeltaCodec.carried(old, ticks: t), change: none)
                }
                continue
            }
            let alternative: EntityState
            var alternativeChange = none
            if lastFresh == baseFresh[i] {
                alternative = DeltaCodec.carried(old, ticks: t)
                // Costs nothing unless the prediction left the map's coordinates and was clamped.
                if alternative.x == 0 || alternative.x == .max || alternative.y == 0 || alternative.y == .max {
                    alternativeChange = DeltaCodec.change(old, alternative, ticks: t)
                }
            } else {
                alternative = DeltaCodec.carried(prev[q], ticks: tp)
                alternativeChange = DeltaCodec.change(old, alternative, ticks: t)
            }
            let alternativeCost = alternativeChange.cost
            tally.repeats += alternativeCost
            if alternative.health != m.health || alternative.flags != m.flags || d2 <= cut {
                let freshChange = DeltaCodec.change(old, m, ticks: t)
                tally.spent += max(0, freshChange.cost - alternativeCost)
                set(k, m, freshTick: tick, change: freshChange, baseIndex: baseIndex)
                continue
            }
            stale(alternative, change: alternativeChange)
        }
        return tally
    }

    fileprivate static let blank = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)
}

extension FrameBuilder {
    /// The builder's columns, per member, raw: the frame's (entities, fresh ticks, changes, baseline
    /// indices) and the scratch (distances for the nearest cut, the due members' keys). `build` writes them
    /// once per member per client per tick, where an array would check its uniqueness on each write.
    fileprivate struct Columns {
        var capacity = 0
        var entities = UnsafeMutablePointer<EntityState>(bitPattern: 8)!
        var freshTicks = UnsafeMutablePointer<UInt32>(bitPattern: 8)!
        var changes = UnsafeMutablePointer<EntityChange>(bitPattern: 8)!
        var baseIndices = UnsafeMutablePointer<Int32>(bitPattern: 8)!
        var distances = UnsafeMutablePointer<Double>(bitPattern: 8)!
        /// `PriorityAccumulator.dueKey`s (reordered as they are taken).
        var due = UnsafeMutablePointer<UInt64>(bitPattern: 8)!
    }

    /// Owns the columns (frees them), grown as needed and kept from frame to frame.
    fileprivate final class Storage {
        private var columns = Columns()

        /// Columns with room for `count` members (contents are not kept).
        func reserve(_ count: Int) -> Columns {
            guard count > columns.capacity else { return columns }
            release()
            let capacity = max(count, 2 * columns.capacity)
            func column<T>(_ value: T) -> UnsafeMutablePointer<T> {
                let p = UnsafeMutablePointer<T>.allocate(capacity: capacity)
                p.initialize(repeating: value, count: capacity)
                return p
            }
            columns = Columns(capacity: capacity, entities: column(FrameBuilder.blank), freshTicks: column(0),
                              changes: column(.carried), baseIndices: column(-1), distances: column(0), due: column(0))
            return columns
        }

        private func release() {
            guard columns.capacity > 0 else { return }
            // Trivial element types: nothing to deinitialize.
            columns.entities.deallocate(); columns.freshTicks.deallocate(); columns.changes.deallocate()
            columns.baseIndices.deallocate(); columns.distances.deallocate(); columns.due.deallocate()
        }

        deinit { release() }
    }
}
