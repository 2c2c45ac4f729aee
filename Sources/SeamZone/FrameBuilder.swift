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
    /// The frame's entities after `build`, sorted by id, and the tick of the fresh state behind each.
    private(set) var entities: [EntityState] = []
    private(set) var freshTicks: [UInt32] = []
    /// Each entity's change against its baseline state (what `DeltaEncoder` writes), known once `build`
    /// chose it; meaningless for entities the baseline lacks and when there is no baseline.
    private(set) var changes: [EntityChange] = []
    /// Each entity's index in the baseline's entities, -1 for one the baseline lacks (what `DeltaEncoder`
    /// would find by walking both lists again); meaningless when there is no baseline.
    private(set) var baseIndices: [Int32] = []
    /// How many of `entities` are not fresh this tick (carried or repeated).
    private(set) var stale = 0

    /// `changes` and `baseIndices` as the encoder takes them.
    var known: DeltaEncoder.Known { DeltaEncoder.Known(changes: changes, baseIndices: baseIndices) }

    /// The frame's columns after `build` (entities, fresh ticks, changes, baseline indices) as buffers for
    /// `body`. `mutating` although it changes nothing: the zone holds the builder in a class, where a
    /// non-mutating call copies the builder out first (a retain and a release per array in it).
    mutating func withFrame<R>(
        _ body: (UnsafeBufferPointer<EntityState>, UnsafeBufferPointer<UInt32>, UnsafeBufferPointer<EntityChange>,
                 UnsafeBufferPointer<Int32>) -> R
    ) -> R {
        entities.withUnsafeBufferPointer { entities in
            freshTicks.withUnsafeBufferPointer { freshTicks in
                changes.withUnsafeBufferPointer { changes in
                    baseIndices.withUnsafeBufferPointer { body(entities, freshTicks, changes, $0) }
                }
            }
        }
    }

    private var scratch = Scratch()

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
    /// that is all of them). The scratch must have room for the members.
    private func nearestCut() -> Double {
        let n = members.count
        let distances = scratch.distances
        members.withUnsafeBufferPointer { members in
            for k in 0..<n { distances[k] = members[k].distanceSquared }
        }
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
        entities.resize(to: n, fill: Self.blank)
        freshTicks.resize(to: n, fill: 0)
        changes.resize(to: n, fill: none)
        baseIndices.resize(to: n, fill: -1)
        stale = 0
        guard n > 0 else { return }
        guard let baseline else {
            members.withUnsafeBufferPointer { members in
                entities.withUnsafeMutableBufferPointer { entities in
                    for k in 0..<n { entities[k] = members[k].state }
                }
            }
            freshTicks.withUnsafeMutableBufferPointer { $0.update(repeating: tick) }
            changes.withUnsafeMutableBufferPointer { $0.update(repeating: none) }
            return
        }
        scratch.reserve(n)
        let cut = nearestCut()
        let pass = Pass(tick: tick, sinceBaseline: tick &- baseline.tick,
                        sincePrevious: tick &- (previous?.tick ?? tick), cut: cut, threshold: threshold)
        // The output columns are written in place: each is checked for uniqueness once here, not per write.
        var stale = 0
        let members = members, s = scratch
        entities.withUnsafeMutableBufferPointer { entities in
            freshTicks.withUnsafeMutableBufferPointer { freshTicks in
                changes.withUnsafeMutableBufferPointer { changes in
                    baseIndices.withUnsafeMutableBufferPointer { baseIndices in
                        let out = Output(entities: entities.baseAddress!, freshTicks: freshTicks.baseAddress!,
                                         changes: changes.baseAddress!, baseIndices: baseIndices.baseAddress!)
                        stale = Self.choose(members, pass, baseline: baseline, previous: previous, budget: budget,
                                            scratch: s, into: out)
                    }
                }
            }
        }
        self.stale = stale
    }

    /// The frame's columns as `choose` writes them.
    private struct Output {
        var entities: UnsafeMutablePointer<EntityState>
        var freshTicks: UnsafeMutablePointer<UInt32>
        var changes: UnsafeMutablePointer<EntityChange>
        var baseIndices: UnsafeMutablePointer<Int32>
    }

    /// `build` with a baseline, into `out`: the merge, then the due members that fit the budget made fresh.
    /// Returns how many members are not fresh.
    private static func choose(
        _ members: [(state: EntityState, distanceSquared: Double)], _ pass: Pass, baseline: Sent,
        previous: Sent?, budget: Int, scratch s: Scratch, into out: Output
    ) -> Int {
        let n = members.count, tick = pass.tick, base = baseline.entities
        let tally = members.withUnsafeBufferPointer { members in
            Self.merge(members, base: base, baseFresh: baseline.freshTicks, previous: previous?.entities ?? .init(start: nil, count: 0),
                       previousFresh: previous?.freshTicks ?? .init(start: nil, count: 0), pass, due: s, into: out)
        }
        // What the entity section takes whatever is fresh: the removed bitmap, a nibble per kept member, the
        // added ones in full, and the repeated states.
        let kept = n - tally.added
        let fixed = (base.count + 7) / 8 + (kept + 1) / 2 + 2 + tally.added * EntityState.wireSize + tally.repeats
        // The due members, highest priority first, each priced only when its turn comes: most are never
        // reached, as the budget runs out first.
        var stale = tally.stale
        let t = pass.sinceBaseline
        members.withUnsafeBufferPointer { members -> Void in
            PriorityAccumulator.takeInPriorityOrder(UnsafeMutableBufferPointer(start: s.due, count: tally.dueCount),
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
        _ pass: Pass, due s: Scratch, into out: Output
    ) -> Tally {
        let none = EntityChange.carried
        let tick = pass.tick, t = pass.sinceBaseline, tp = pass.sincePrevious, cut = pass.cut
        let threshold = pass.threshold, inverseThreshold = 1 / threshold
        // The previous frame is often the baseline itself (the client acknowledged the last frame sent):
        // then its entry for a member is the baseline's, found without a second walk.
        let samePrevious = pass.sincePrevious == pass.sinceBaseline && prev.count == base.count
        // The columns, read once: stores through them are not reloads of the structures' fields.
        let outEntities = out.entities, outFreshTicks = out.freshTicks, outChanges = out.changes
        let outBaseIndices = out.baseIndices, due = s.due
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
            set(k, alternative, freshTick: lastFresh, change: alternativeChange, baseIndex: baseIndex)
            tally.stale += 1
            // Its priority is worked out only when it may reach the threshold; what a fresh state would cost,
            // only if its turn comes (in `build`).
            let age = tick &- lastFresh
            if PriorityAccumulator.mayReach(threshold, inverse: inverseThreshold, age: age, distanceSquared: d2),
               case let priority = PriorityAccumulator.priority(age: age, distanceSquared: d2),
               priority >= threshold
            {
                due[tally.dueCount] = PriorityAccumulator.dueKey(priority: priority, index: k, cost: 0)
                tally.dueCount += 1
            }
        }
        return tally
    }

    fileprivate static let blank = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)
}

/// `FrameBuilder`'s per-member scratch columns, grown as needed and kept from frame to frame: the members'
/// distances (for the nearest cut) and the due members' keys. Raw
/// storage: `build` writes them once per member per client per tick, and an array checks its uniqueness on
/// each write. Nothing in it outlives a `build` call, so copies of a builder may share it.
private final class Scratch {
    private(set) var capacity = 0
    private(set) var distances = UnsafeMutablePointer<Double>.allocate(capacity: 0)
    /// The due members: `PriorityAccumulator.dueKey`s (reordered as they are taken).
    private(set) var due = UnsafeMutablePointer<UInt64>.allocate(capacity: 0)

    /// Room for `count` members (contents are not kept).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        release()
        capacity = max(count, 2 * capacity)
        distances = column(repeating: 0)
        due = column(repeating: 0)
    }

    /// A column of `capacity` elements, all `value`.
    private func column<T>(repeating value: T) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: capacity)
        p.initialize(repeating: value, count: capacity)
        return p
    }

    private func release() {
        // Trivial element types: nothing to deinitialize.
        distances.deallocate(); due.deallocate()
    }

    deinit { release() }
}
