import SeamProtocol
import SeamSimulation
import SeamWorld

/// Every entity a snapshot can show this tick, as the simulation's grid indexes them (owned players, then
/// ghosts), in wire form: quantized once per tick instead of once per viewer.
///
/// It also ranks them by id, so a client's view, found nearest first, is put in id order (what frames and
/// deltas need) without sorting: each visible entity marks its rank in a bitmap, and the marks are read back
/// in order. That is linear in the view plus a word per 64 entities of the zone.
struct EntityTable {
    /// A member of a view as remembered between two membership choices: its grid index and id (the index
    /// is only trusted while the entity there still has that id).
    struct Ref {
        var index: Int32
        var id: UInt32
    }

    /// Wire state by grid index.
    private(set) var states: [EntityState] = []
    /// Exact position by grid index (distances are measured on these, not the quantized ones).
    private var positions: [Vec2] = []
    private var rankOf: [Int32] = []
    private var indexAt: [Int32] = []
    /// Id by rank (ascending, each id once): where `index(of:in:)` searches.
    private var idAt: [UInt32] = []
    /// Scratch for `members`, by rank: which are in the view, and at what squared distance.
    private var marks: [UInt64] = []
    private var distanceAt: [Double] = []
    private var keys: [UInt64] = []
    /// Scratch for sorting `keys`.
    private var sortScratch: [UInt64] = []
    /// Scratch for `favouring`: the members of one view, by grid index.
    private var viewMarks: [UInt64] = []

    /// Changes whenever a rebuild finds another entity than the last one at some grid index (or another
    /// count): while it is the same, a view whose references were right at it is still right.
    private(set) var layout: UInt64 = 0
    private var layoutIds: [UInt32] = []

    /// Takes this tick's players and ghosts.
    mutating func rebuild(players: [PlayerState], ghosts: [GhostState]) {
        defer { noteLayout() }
        states.removeAll(keepingCapacity: true)
        positions.removeAll(keepingCapacity: true)
        for p in players { positions.append(p.position) }
        for g in ghosts { positions.append(g.position) }
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
        // By id, grid order kept among equal ids. The table is rebuilt every tick and again for each snapshot
        // sent between ticks (a handoff binding a connection, a thousand a second over a continent in
        // border-dance), where a heapsort of 600 entities and the rest of the rebuild took 5% of the machine.
        if sortScratch.count < count { sortScratch = Array(repeating: 0, count: count) }
        keys.withUnsafeMutableBufferPointer { keys in
            sortScratch.withUnsafeMutableBufferPointer { scratch in
                Self.sortByHighWord(keys, scratch: UnsafeMutableBufferPointer(rebasing: scratch[0..<count]))
            }
        }
        // A player this zone has just accepted may still be ghosted by its old owner for a tick or two: the
        // same id twice. Only the first by grid index (owned players come before ghosts) is shown; a frame
        // must never hold an id twice (deltas pair entities by id).
        rankOf.removeAll(keepingCapacity: true)
        rankOf.append(contentsOf: repeatElement(-1, count: count))
        indexAt.removeAll(keepingCapacity: true)
        idAt.removeAll(keepingCapacity: true)
        var previousId: UInt64?
        for key in keys {
            let id = key >> 32, j = Int(key & 0xFFFF_FFFF)
            guard id != previousId else { continue }
            previousId = id
            rankOf[j] = Int32(indexAt.count)
            indexAt.append(Int32(j))
            idAt.append(UInt32(id))
        }
        if distanceAt.count < count { distanceAt = Array(repeating: 0, count: count) }
        let words = (count + 63) / 64
        if marks.count < words { marks = Array(repeating: 0, count: words) }
        if viewMarks.count < words { viewMarks = Array(repeating: 0, count: words) }
    }

    /// Bumps `layout` if an index holds another id than at the last rebuild.
    private mutating func noteLayout() {
        var same = layoutIds.count == states.count
        if same {
            layoutIds.withUnsafeMutableBufferPointer { ids in
                states.withUnsafeMutableBufferPointer { states in
                    for j in 0..<states.count where ids[j] != states[j].id {
                        same = false
                        break
                    }
                }
            }
        }
        guard !same else { return }
        layout &+= 1
        layoutIds.removeAll(keepingCapacity: true)
        for s in states { layoutIds.append(s.id) }
    }

    /// Sorts `keys` by their upper 32 bits, keeping the order of keys whose upper halves are equal: a radix
    /// sort, a byte per pass, each pass two branch-free walks (count, then place), and a pass skipped when
    /// every key has the same byte there. `scratch` holds at least as many keys.
    static func sortByHighWord(_ keys: UnsafeMutableBufferPointer<UInt64>, scratch: UnsafeMutableBufferPointer<UInt64>) {
        let n = keys.count
        precondition(scratch.count >= n, "sortByHighWord: scratch too small")
        guard n > 1, let start = keys.baseAddress, let spare = scratch.baseAddress else { return }
        var source = start, target = spare
        precondition(n <= Int(UInt32.max), "sortByHighWord: too many keys")
        // 32-bit counts: 1 KiB, which Swift still places on the stack. With 64-bit ones (2 KiB) it came from
        // malloc, and a request that size first consolidates malloc's fast bins (ENet frees many small blocks
        // between ticks): 1.3% of a busy zone's time.
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 256) { counts in
            for shift in stride(from: UInt64(32), to: 64, by: 8) {
                counts.initialize(repeating: 0)
                for i in 0..<n { counts[Int(truncatingIfNeeded: source[i] >> shift & 0xFF)] &+= 1 }
                if counts[Int(truncatingIfNeeded: source[0] >> shift & 0xFF)] == UInt32(n) { continue }
                var offset: UInt32 = 0
                for b in 0..<256 {
                    let c = counts[b]
                    counts[b] = offset
                    offset &+= c
                }
                for i in 0..<n {
                    let key = source[i], b = Int(truncatingIfNeeded: key >> shift & 0xFF)
                    target[Int(counts[b])] = key
                    counts[b] &+= 1
                }
                swap(&source, &target)
            }
        }
        if source != start { start.update(from: source, count: n) }
    }

    /// The table's arrays as one view's work reads them (and its scratch, which it writes).
    private struct Lent {
        var states: UnsafeMutableBufferPointer<EntityState>
        var positions: UnsafeMutableBufferPointer<Vec2>
        var rankOf: UnsafeMutableBufferPointer<Int32>
        var indexAt: UnsafeMutableBufferPointer<Int32>
        var idAt: UnsafeMutableBufferPointer<UInt32>
        var marks: UnsafeMutableBufferPointer<UInt64>
        var distanceAt: UnsafeMutableBufferPointer<Double>
    }

    /// Lends the arrays in place, for `body` only. The mutable form although most are only read: the zone
    /// holds the table in a class, and through `withUnsafeBufferPointer` (or a copy) the compiler retained
    /// and released each array per use, per snapshot: a locked instruction each, 1.5% of a busy zone.
    @inline(__always)
    private mutating func lend<R>(_ body: (Lent) -> R) -> R {
        states.withUnsafeMutableBufferPointer { states in
            positions.withUnsafeMutableBufferPointer { positions in
                rankOf.withUnsafeMutableBufferPointer { rankOf in
                    indexAt.withUnsafeMutableBufferPointer { indexAt in
                        idAt.withUnsafeMutableBufferPointer { idAt in
                            marks.withUnsafeMutableBufferPointer { marks in
                                distanceAt.withUnsafeMutableBufferPointer { distanceAt in
                                    body(Lent(states: states, positions: positions, rankOf: rankOf, indexAt: indexAt,
                                              idAt: idAt, marks: marks, distanceAt: distanceAt))
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Calls `body` with a test of whether a grid index holds a member of `view` (one still where the view
    /// found it): what `ZoneSimulation.visiblePlayers` favours when the view is chosen again.
    mutating func favouring<R>(_ view: [Ref], _ body: ((Int) -> Bool) -> R) -> R {
        // A copy of `states` (a retain): lent in place, as the others are, the zone's closure copied the
        // whole simulation it captures. This runs only when a view is chosen again.
        let states = states
        return viewMarks.withUnsafeMutableBufferPointer { marks in
            for ref in view where Int(ref.index) < states.count && states[Int(ref.index)].id == ref.id {
                marks[Int(ref.index) >> 6] |= 1 << UInt64(ref.index & 63)
            }
            let result = body { j in j < states.count && marks[j >> 6] & (1 << UInt64(j & 63)) != 0 }
            // Cleared for the next view: only the words this one touched.
            for ref in view where Int(ref.index) < states.count { marks[Int(ref.index) >> 6] = 0 }
            return result
        }
    }

    /// Replaces `members` with the entities of `visible` (grid index first) in id order, each with its squared
    /// distance from `center`, and `view` with the same entities' references. Indices the table does not hold
    /// (entities gone since the grid was built) are skipped.
    mutating func members(
        of visible: [(index: Int, distanceSquared: Double)], from center: Vec2,
        into members: inout [(state: EntityState, distanceSquared: Double)],
        view: inout [Ref]
    ) {
        guard !visible.isEmpty else {
            members.removeAll(keepingCapacity: true)
            view.removeAll(keepingCapacity: true)
            return
        }
        let count = lend { t -> Int in
            let marks = t.marks, distances = t.distanceAt
            var count = 0
            for v in visible where v.index < t.states.count && t.rankOf[v.index] >= 0 {
                let rank = Int(t.rankOf[v.index])
                marks[rank >> 6] |= 1 << UInt64(rank & 63)
                distances[rank] = (t.positions[v.index] - center).lengthSquared
                count += 1
            }
            return count
        }
        // Sized once and written through pointers: an append per member checked capacity and uniqueness.
        members.resize(to: count, fill: (state: Self.blank, distanceSquared: 0.0))
        view.resize(to: count, fill: Ref(index: 0, id: 0))
        guard count > 0 else { return }
        lend { t in
            members.withUnsafeMutableBufferPointer { members in
                view.withUnsafeMutableBufferPointer { view in
                    let states = t.states, marks = t.marks, distances = t.distanceAt
                    // Every mark read is cleared, so the bitmap is all zero again for the next view.
                    var k = 0, word = 0
                    while k < count {
                        var bits = marks[word]
                        marks[word] = 0
                        while bits != 0 {
                            let rank = word << 6 | bits.trailingZeroBitCount
                            bits &= bits &- 1
                            let j = Int(t.indexAt[rank])
                            members[k] = (states[j], distances[rank])
                            view[k] = Ref(index: Int32(j), id: states[j].id)
                            k += 1
                        }
                        word += 1
                    }
                }
            }
        }
    }

    /// Replaces `members` with the entities of a view chosen at an earlier tick, with their states and
    /// squared distances from `center` now, in the view's (id) order, after `check`ing the view (which updates
    /// the references of members found at another index). False, with `members` undefined, when one of them
    /// left or is the `viewer` itself: the caller chooses the view again.
    mutating func members(
        of view: inout [Ref], viewer: UInt32, from center: Vec2,
        into members: inout [(state: EntityState, distanceSquared: Double)]
    ) -> Bool {
        guard check(view: &view, viewer: viewer) else { return false }
        // Every element is overwritten below.
        members.resize(to: view.count, fill: (state: Self.blank, distanceSquared: 0.0))
        guard !view.isEmpty else { return true }
        lend { t in
            members.withUnsafeMutableBufferPointer { out in
                view.withUnsafeMutableBufferPointer { view in
                    for k in 0..<view.count {
                        let j = Int(view[k].index)
                        out[k] = (t.states[j], (t.positions[j] - center).lengthSquared)
                    }
                }
            }
        }
        return true
    }

    /// Checks a view chosen at an earlier tick against this tick's table, without reading its states: a member
    /// found at another index than the view recorded is looked up by id and its reference updated. False when
    /// one of them left or is the `viewer` itself (the caller chooses the view again).
    mutating func check(view: inout [Ref], viewer: UInt32) -> Bool {
        guard !view.isEmpty else { return true }
        return lend { t in
            view.withUnsafeMutableBufferPointer { view in
                let states = t.states
                for k in 0..<view.count {
                    let id = view[k].id
                    guard id != viewer else { return false }
                    let j = Int(view[k].index)
                    if j >= states.count || states[j].id != id {
                        guard let moved = Self.index(of: id, in: t) else { return false }
                        view[k].index = Int32(moved)
                    }
                }
                return true
            }
        }
    }

    /// Lends this tick's wire states by grid index (what a checked view's references index), for `body` only.
    mutating func withStates<R>(_ body: (UnsafeBufferPointer<EntityState>) -> R) -> R {
        states.withUnsafeMutableBufferPointer { body(UnsafeBufferPointer($0)) }
    }

    /// The grid index of entity `id` this tick (its owned state when it is also ghosted), by binary search.
    private static func index(of id: UInt32, in t: Lent) -> Int? {
        let ids = t.idAt
        var lo = 0, hi = ids.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if ids[mid] < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < ids.count && ids[lo] == id ? Int(t.indexAt[lo]) : nil
    }

    private static let blank = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)
}
