import SeamProtocol
import SeamSimulation

/// Every entity a snapshot can show this tick, as the simulation's grid indexes them (owned players, then
/// ghosts), in wire form: quantized once per tick instead of once per viewer.
///
/// It also ranks them by id, so a client's view, found nearest first, is put in id order (what frames and
/// deltas need) without sorting: each visible entity marks its rank in a bitmap, and the marks are read back
/// in order. That is linear in the view plus a word per 64 entities of the zone.
struct EntityTable {
    /// Wire state by grid index.
    private(set) var states: [EntityState] = []
    private var rankOf: [Int32] = []
    private var indexAt: [Int32] = []
    /// Scratch for `members`, by rank: which are in the view, and at what squared distance.
    private var marks: [UInt64] = []
    private var distanceAt: [Double] = []
    private var keys: [UInt64] = []

    /// Takes this tick's players and ghosts.
    mutating func rebuild(players: [PlayerState], ghosts: [GhostState]) {
        states.removeAll(keepingCapacity: true)
        for p in players {
            states.append(EntityState(
                id: p.id, x: Quantize.position(p.position.x), y: Quantize.position(p.position.y),
                vx: Quantize.velocity(p.velocity.x), vy: Quantize.velocity(p.velocity.y),
                health: UInt8(clamping: p.health), flags: p.alive ? EntityFlags.alive : 0))
        }
        for g in ghosts {
            states.append(EntityState(
                id: g.id, x: Quantize.position(g.position.x), y: Quantize.position(g.position.y),
                vx: Quantize.velocity(g.velocity.x), vy: Quantize.velocity(g.velocity.y),
                health: UInt8(clamping: g.health), flags: (g.alive ? EntityFlags.alive : 0) | EntityFlags.ghost))
        }
        let count = states.count
        keys.removeAll(keepingCapacity: true)
        for (j, e) in states.enumerated() { keys.append(UInt64(e.id) << 32 | UInt64(j)) }
        keys.sort()
        // A player this zone has just accepted may still be ghosted by its old owner for a tick or two: the
        // same id twice. Only the first by grid index (owned players come before ghosts) is shown; a frame
        // must never hold an id twice (deltas pair entities by id).
        rankOf.removeAll(keepingCapacity: true)
        rankOf.append(contentsOf: repeatElement(-1, count: count))
        indexAt.removeAll(keepingCapacity: true)
        var previousId: UInt64?
        for key in keys {
            let id = key >> 32, j = Int(key & 0xFFFF_FFFF)
            guard id != previousId else { continue }
            previousId = id
            rankOf[j] = Int32(indexAt.count)
            indexAt.append(Int32(j))
        }
        if distanceAt.count < count { distanceAt = Array(repeating: 0, count: count) }
        let words = (count + 63) / 64
        if marks.count < words { marks = Array(repeating: 0, count: words) }
    }

    /// Replaces `members` with the entities of `visible` (grid index, squared distance) in id order.
    /// Indices the table does not hold (entities gone since the grid was built) are skipped.
    mutating func members(
        of visible: [(index: Int, distanceSquared: Double)],
        into members: inout [(state: EntityState, distanceSquared: Double)]
    ) {
        members.removeAll(keepingCapacity: true)
        guard !visible.isEmpty else { return }
        let states = states, rankOf = rankOf, indexAt = indexAt
        marks.withUnsafeMutableBufferPointer { marks in
            distanceAt.withUnsafeMutableBufferPointer { distances in
                var low = Int.max, high = -1
                for v in visible where v.index < states.count && rankOf[v.index] >= 0 {
                    let rank = Int(rankOf[v.index])
                    marks[rank >> 6] |= 1 << UInt64(rank & 63)
                    distances[rank] = v.distanceSquared
                    low = min(low, rank >> 6); high = max(high, rank >> 6)
                }
                guard high >= 0 else { return }
                // Every mark read is cleared, so the bitmap is all zero again for the next view.
                for word in low...high {
                    var bits = marks[word]
                    marks[word] = 0
                    while bits != 0 {
                        let rank = word << 6 | bits.trailingZeroBitCount
                        bits &= bits &- 1
                        members.append((states[Int(indexAt[rank])], distances[rank]))
                    }
                }
            }
        }
    }
}
