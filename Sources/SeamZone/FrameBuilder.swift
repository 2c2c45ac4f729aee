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

    private var accumulator = PriorityAccumulator()
    private var scratch = Scratch()

    /// Members always fresh: the nearest quarter, and at least 8.
    static func alwaysFresh(of count: Int) -> Int { max(8, (count + 3) / 4) }

    /// Takes the arrays of a frame the zone no longer keeps as the next output buffers, so building a
    /// frame allocates nothing once warm (the frame kept shares the output arrays).
    mutating func reuse(_ old: inout SentFrame) {
        swap(&entities, &old.frame.entities)
        swap(&freshTicks, &old.freshTicks)
    }

    /// Chooses the frame of tick `tick`. Without a baseline (full snapshot) or without the previous frame
    /// sent every member is fresh. Otherwise the forced and the nearest quarter are, then the members whose
    /// priority reached `threshold`, highest first, while the entity section of the delta stays within
    /// `budget` bytes (the accumulator's rule: `PriorityAccumulator.choose`, its greedy part `takeDue`).
    mutating func build(tick: UInt32, baseline: SentFrame?, previous: SentFrame?, budget: Int, threshold: Double) {
        assert(zip(members, members.dropFirst()).allSatisfy { $0.state.id < $1.state.id }, "members not in id order")
        let n = members.count
        let none = EntityChange.carried
        Self.resize(&entities, to: n, fill: Self.blank)
        Self.resize(&freshTicks, to: n, fill: 0)
        Self.resize(&changes, to: n, fill: none)
        Self.resize(&baseIndices, to: n, fill: -1)
        stale = 0
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
        let s = scratch
        let cut = members.withUnsafeBufferPointer { members in
            accumulator.nearestCut(always: Self.alwaysFresh(of: n), count: n) { members[$0].distanceSquared }
        }
        let t = tick &- baseline.frame.tick, tp = tick &- (previous?.frame.tick ?? tick)
        let inverseThreshold = 1 / threshold
        let fresh = UnsafeMutableBufferPointer(start: s.fresh, count: n)
        // Every member's two choices and whether it must, may or cannot be fresh, in one merge with the
        // baseline and the previous frame (all three in id order), over raw buffers: this runs per member per
        // client per tick. The forced and the nearest are marked fresh here; the others whose priority reached
        // `threshold` are listed as due, with what a fresh state would add (see `PriorityAccumulator`).
        let (added, repeats, spent, wanted, dueCount) = members.withUnsafeBufferPointer { members in
            baseline.frame.entities.withUnsafeBufferPointer { base in
                baseline.freshTicks.withUnsafeBufferPointer { baseFresh in
                    (previous?.frame.entities ?? []).withUnsafeBufferPointer { prev in
                        (previous?.freshTicks ?? []).withUnsafeBufferPointer { prevFresh in
                            var i = 0, q = 0, added = 0, repeats = 0, spent = 0, wanted = 0, dueCount = 0
                            for k in 0..<n {
                                let m = members[k].state, d2 = members[k].distanceSquared, id = m.id
                                while i < base.count && base[i].id < id { i += 1 }
                                while q < prev.count && prev[q].id < id { q += 1 }
                                guard i < base.count, base[i].id == id else {
                                    // New to the client: added in full (counted below).
                                    s.baseIndex[k] = -1
                                    fresh[k] = true
                                    s.set(k, alternative: m, freshTick: tick, freshChange: none, alternativeChange: none)
                                    added += 1
                                    continue
                                }
                                let old = base[i]
                                s.baseIndex[k] = Int32(truncatingIfNeeded: i)
                                guard q < prev.count, prev[q].id == id else {
                                    // Out of the last frame sent (or none was): which of its states the client
                                    // saw since the baseline is not known here.
                                    let freshChange = DeltaCodec.change(old, m, ticks: t)
                                    fresh[k] = true
                                    spent += freshChange.cost
                                    s.set(k, alternative: m, freshTick: tick, freshChange: freshChange,
                                          alternativeChange: freshChange)
                                    continue
                                }
                                let lastFresh = prevFresh[q]
                                let alternative: EntityState
                                var alternativeChange = none
                                if lastFresh == baseFresh[i] {
                                    alternative = DeltaCodec.carried(old, ticks: t)
                                    // Costs nothing unless the prediction left the map's coordinates and
                                    // was clamped.
                                    if alternative.x == 0 || alternative.x == .max || alternative.y == 0
                                        || alternative.y == .max
                                    {
                                        alternativeChange = DeltaCodec.change(old, alternative, ticks: t)
                                    }
                                } else {
                                    alternative = DeltaCodec.carried(prev[q], ticks: tp)
                                    alternativeChange = DeltaCodec.change(old, alternative, ticks: t)
                                }
                                let alternativeCost = alternativeChange.cost
                                repeats += alternativeCost
                                let statusChanged = alternative.health != m.health || alternative.flags != m.flags
                                // A member that cannot be fresh this tick is not priced: most are not.
                                var freshChange = none
                                if statusChanged || d2 <= cut {
                                    freshChange = DeltaCodec.change(old, m, ticks: t)
                                    fresh[k] = true
                                    spent += max(0, freshChange.cost - alternativeCost)
                                } else {
                                    fresh[k] = false
                                    let age = tick &- lastFresh
                                    if PriorityAccumulator.mayReach(threshold, inverse: inverseThreshold, age: age,
                                                                    distanceSquared: d2),
                                       case let priority = PriorityAccumulator.priority(age: age, distanceSquared: d2),
                                       priority >= threshold
                                    {
                                        freshChange = DeltaCodec.change(old, m, ticks: t)
                                        let extra = max(0, freshChange.cost - alternativeCost)
                                        s.extra[k] = extra
                                        wanted += extra
                                        s.due[dueCount] = PriorityAccumulator.dueKey(priority: priority, index: k)
                                        dueCount += 1
                                    }
                                }
                                s.set(k, alternative: alternative, freshTick: lastFresh, freshChange: freshChange,
                                      alternativeChange: alternativeChange)
                            }
                            return (added, repeats, spent, wanted, dueCount)
                        }
                    }
                }
            }
        }
        // What the entity section takes whatever is fresh: the removed bitmap, a nibble per kept member, the
        // added ones in full, and the repeated states.
        let kept = n - added
        let fixed = (baseline.frame.entities.count + 7) / 8 + (kept + 1) / 2 + 2 + added * EntityState.wireSize + repeats
        PriorityAccumulator.takeDue(UnsafeMutableBufferPointer(start: s.due, count: dueCount), wanted: wanted,
                                    spent: spent, budget: budget - fixed, cost: { s.extra[$0] }, into: fresh)
        baseIndices.withUnsafeMutableBufferPointer { $0.baseAddress?.update(from: s.baseIndex, count: n) }
        var stale = 0
        members.withUnsafeBufferPointer { members in
            entities.withUnsafeMutableBufferPointer { entities in
                freshTicks.withUnsafeMutableBufferPointer { freshTicks in
                    changes.withUnsafeMutableBufferPointer { changes in
                        for k in 0..<n {
                            if fresh[k] {
                                entities[k] = members[k].state
                                freshTicks[k] = tick
                                changes[k] = s.freshChanges[k]
                            } else {
                                entities[k] = s.alternatives[k]
                                freshTicks[k] = s.freshTicks[k]
                                changes[k] = s.alternativeChanges[k]
                                stale += 1
                            }
                        }
                    }
                }
            }
        }
        self.stale = stale
    }

    /// `array` with `count` elements, keeping its storage and whatever the kept elements hold (the caller
    /// overwrites every one).
    private static func resize<T>(_ array: inout [T], to count: Int, fill: T) {
        if array.count > count {
            array.removeLast(array.count - count)
        } else if array.count < count {
            array.append(contentsOf: repeatElement(fill, count: count - array.count))
        }
    }

    fileprivate static let blank = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)
}

/// `FrameBuilder`'s per-member scratch columns, grown as needed and kept from frame to frame. Raw storage:
/// `build` writes every column once per member per client per tick, and an array checks its uniqueness
/// on each write. Nothing in it outlives a `build` call, so copies of a builder may share it.
private final class Scratch {
    private(set) var capacity = 0
    private(set) var due = UnsafeMutablePointer<UInt64>.allocate(capacity: 0)
    private(set) var extra = UnsafeMutablePointer<Int>.allocate(capacity: 0)
    private(set) var alternatives = UnsafeMutablePointer<EntityState>.allocate(capacity: 0)
    private(set) var freshTicks = UnsafeMutablePointer<UInt32>.allocate(capacity: 0)
    private(set) var freshChanges = UnsafeMutablePointer<EntityChange>.allocate(capacity: 0)
    private(set) var alternativeChanges = UnsafeMutablePointer<EntityChange>.allocate(capacity: 0)
    private(set) var fresh = UnsafeMutablePointer<Bool>.allocate(capacity: 0)
    private(set) var baseIndex = UnsafeMutablePointer<Int32>.allocate(capacity: 0)

    /// Room for `count` members (contents are not kept).
    func reserve(_ count: Int) {
        guard count > capacity else { return }
        release()
        capacity = max(count, 2 * capacity)
        due = .allocate(capacity: capacity)
        due.initialize(repeating: 0, count: capacity)
        extra = .allocate(capacity: capacity)
        extra.initialize(repeating: 0, count: capacity)
        alternatives = .allocate(capacity: capacity)
        alternatives.initialize(repeating: FrameBuilder.blank, count: capacity)
        freshTicks = .allocate(capacity: capacity)
        freshTicks.initialize(repeating: 0, count: capacity)
        freshChanges = .allocate(capacity: capacity)
        freshChanges.initialize(repeating: .carried, count: capacity)
        alternativeChanges = .allocate(capacity: capacity)
        alternativeChanges.initialize(repeating: .carried, count: capacity)
        fresh = .allocate(capacity: capacity)
        fresh.initialize(repeating: false, count: capacity)
        baseIndex = .allocate(capacity: capacity)
        baseIndex.initialize(repeating: -1, count: capacity)
    }

    /// Member `k`'s state when not fresh, the tick of the fresh state behind it, and both choices' changes.
    @inline(__always)
    func set(_ k: Int, alternative: EntityState, freshTick: UInt32, freshChange: EntityChange,
             alternativeChange: EntityChange) {
        alternatives[k] = alternative
        freshTicks[k] = freshTick
        freshChanges[k] = freshChange
        alternativeChanges[k] = alternativeChange
    }

    private func release() {
        // Trivial element types: nothing to deinitialize.
        due.deallocate(); extra.deallocate(); alternatives.deallocate(); freshTicks.deallocate()
        freshChanges.deallocate(); alternativeChanges.deallocate(); fresh.deallocate(); baseIndex.deallocate()
    }

    deinit { release() }
}
