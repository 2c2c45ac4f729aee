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
    /// How many of `entities` are not fresh this tick (carried or repeated).
    private(set) var stale = 0

    private var accumulator = PriorityAccumulator()
    private var candidates: [PriorityAccumulator.Candidate] = []
    /// Per member: the state sent if it is not fresh, the tick of the fresh state behind that, and the
    /// changes of both choices against the baseline.
    private struct Choice {
        var alternative: EntityState
        var freshTick: UInt32
        var freshChange: EntityChange
        var alternativeChange: EntityChange
    }
    private var choices: [Choice] = []
    private var fresh: [Bool] = []

    /// Members always fresh: the nearest quarter, and at least 8.
    static func alwaysFresh(of count: Int) -> Int { max(8, (count + 3) / 4) }

    /// Takes the arrays of a frame the zone no longer keeps as the next output buffers, so building a
    /// frame allocates nothing once warm (the frame kept shares the output arrays).
    mutating func reuse(_ old: inout SentFrame) {
        swap(&entities, &old.frame.entities)
        swap(&freshTicks, &old.freshTicks)
    }

    /// Chooses the frame of tick `tick`. Without a baseline (full snapshot) or without the previous frame
    /// sent every member is fresh. Otherwise the members the accumulator picks are (see
    /// `PriorityAccumulator.choose`, with priority `threshold`), while the entity section of the delta stays
    /// within `budget` bytes.
    mutating func build(tick: UInt32, baseline: SentFrame?, previous: SentFrame?, budget: Int, threshold: Double) {
        assert(zip(members, members.dropFirst()).allSatisfy { $0.state.id < $1.state.id }, "members not in id order")
        entities.removeAll(keepingCapacity: true)
        freshTicks.removeAll(keepingCapacity: true)
        changes.removeAll(keepingCapacity: true)
        stale = 0
        guard let baseline else {
            for m in members { entities.append(m.state) }
            freshTicks.append(contentsOf: repeatElement(tick, count: members.count))
            changes.append(contentsOf: repeatElement(.carried, count: members.count))
            return
        }
        candidates.removeAll(keepingCapacity: true)
        choices.removeAll(keepingCapacity: true)
        let base = baseline.frame.entities, prev = previous?.frame.entities ?? []
        let t = tick &- baseline.frame.tick, tp = tick &- (previous?.frame.tick ?? tick)
        var i = 0, q = 0, added = 0, repeats = 0
        for m in members {
            let id = m.state.id
            while i < base.count && base[i].id < id { i += 1 }
            while q < prev.count && prev[q].id < id { q += 1 }
            guard i < base.count, base[i].id == id else {
                // New to the client: added in full (counted below).
                candidates.append(.init(age: 0, distanceSquared: m.distanceSquared, cost: 0, forced: true))
                choices.append(Choice(alternative: m.state, freshTick: tick, freshChange: .carried, alternativeChange: .carried))
                added += 1
                continue
            }
            let freshChange = DeltaCodec.change(base[i], m.state, ticks: t)
            let freshCost = freshChange.cost
            guard let previous, q < prev.count, prev[q].id == id else {
                // Out of the last frame sent (or none was): which of its states the client saw since the
                // baseline is not known here.
                candidates.append(.init(age: 0, distanceSquared: m.distanceSquared, cost: freshCost, forced: true))
                choices.append(Choice(alternative: m.state, freshTick: tick, freshChange: freshChange,
                                      alternativeChange: freshChange))
                continue
            }
            let lastFresh = previous.freshTicks[q]
            let alternative: EntityState
            var alternativeChange = EntityChange.carried
            if lastFresh == baseline.freshTicks[i] {
                alternative = DeltaCodec.carried(base[i], ticks: t)
                // Costs nothing unless the prediction left the map's coordinates and was clamped.
                if alternative.x == 0 || alternative.x == .max || alternative.y == 0 || alternative.y == .max {
                    alternativeChange = DeltaCodec.change(base[i], alternative, ticks: t)
                }
            } else {
                alternative = DeltaCodec.carried(prev[q], ticks: tp)
                alternativeChange = DeltaCodec.change(base[i], alternative, ticks: t)
            }
            let alternativeCost = alternativeChange.cost
            repeats += alternativeCost
            let statusChanged = alternative.health != m.state.health || alternative.flags != m.state.flags
            candidates.append(.init(age: tick &- lastFresh, distanceSquared: m.distanceSquared,
                                    cost: max(0, freshCost - alternativeCost), forced: statusChanged))
            choices.append(Choice(alternative: alternative, freshTick: lastFresh, freshChange: freshChange,
                                  alternativeChange: alternativeChange))
        }
        // What the entity section takes whatever is fresh: the removed bitmap, a nibble per kept member, the
        // added ones in full, and the repeated states.
        let kept = members.count - added
        let fixed = (base.count + 7) / 8 + (kept + 1) / 2 + 2 + added * EntityState.wireSize + repeats
        accumulator.choose(candidates, always: Self.alwaysFresh(of: members.count), budget: budget - fixed,
                           threshold: threshold, into: &fresh)
        for k in members.indices {
            let c = choices[k]
            if fresh[k] {
                entities.append(members[k].state)
                freshTicks.append(tick)
                changes.append(c.freshChange)
            } else {
                entities.append(c.alternative)
                freshTicks.append(c.freshTick)
                changes.append(c.alternativeChange)
                stale += 1
            }
        }
    }
}
