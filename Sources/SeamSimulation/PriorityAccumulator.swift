/// Chooses which of the visible entities a client's snapshot carries when more are in view than the
/// budget allows: the nearest always, the rest by an accumulated priority that grows with the time since
/// an entity was last sent and with nearness, so far entities are sent less often but never starve.
///
/// One per client (owned by the zone's session), keyed by entity id. Priority of a candidate at squared
/// distance `d2`, unsent for `age` ticks: `(age + 1) / (1 + d / 4)` with `d` in tiles.
///
/// Not wired into the zone yet: measured with delta snapshots, rotating far entities in and out of a
/// client's set made them "added" entries (14 bytes) every few ticks and cost CPU (quad, 1,000 wandering
/// bots: full/delta 5.02× → 3.17×, and the zones degraded). Wiring it needs per-entity baselines (the
/// last state each client acknowledged per entity) rather than per-snapshot frames.
public struct PriorityAccumulator: Sendable {
    /// Tick each entity was last put in this client's snapshot.
    private var lastSent: [UInt32: UInt64] = [:]
    private var scored: [(candidate: Int, priority: Double)] = []

    public init() {}

    public var tracked: Int { lastSent.count }

    /// From `candidates` (index into the caller's list, entity id, squared distance), nearest first or in
    /// any order, picks at most `limit`: the `always` nearest, then the highest priorities. Writes the
    /// chosen candidate indices to `out` and marks them sent at `tick`.
    public mutating func select(
        _ candidates: [(index: Int, id: UInt32, distanceSquared: Double)], limit: Int, always: Int, tick: UInt64,
        into out: inout [Int]
    ) {
        out.removeAll(keepingCapacity: true)
        guard limit > 0, !candidates.isEmpty else { return }
        if candidates.count <= limit {
            for c in candidates {
                out.append(c.index)
                lastSent[c.id] = tick
            }
            pruneIfLarge(tick: tick)
            return
        }
        scored.removeAll(keepingCapacity: true)
        // The nearest `always` go first whatever their age: what a player sees up close must never lag.
        let byDistance = candidates.indices.sorted { candidates[$0].distanceSquared < candidates[$1].distanceSquared }
        let keep = min(always, limit)
        for k in 0..<keep { out.append(byDistance[k]) }
        for k in keep..<byDistance.count {
            let c = candidates[byDistance[k]]
            let age = Double(tick - min(tick, lastSent[c.id] ?? 0))
            scored.append((byDistance[k], (age + 1) / (1 + c.distanceSquared.squareRoot() / 4)))
        }
        scored.sort { $0.priority > $1.priority || ($0.priority == $1.priority && $0.candidate < $1.candidate) }
        for s in scored.prefix(limit - keep) { out.append(s.candidate) }
        for k in out.indices {
            let c = candidates[out[k]]
            lastSent[c.id] = tick
            out[k] = c.index
        }
        pruneIfLarge(tick: tick)
    }

    /// Forgets entities not sent for 10 s, so the table follows the client's surroundings, not history.
    private mutating func pruneIfLarge(tick: UInt64) {
        guard lastSent.count > 512 else { return }
        lastSent = lastSent.filter { tick - min(tick, $0.value) < 200 }
    }
}
