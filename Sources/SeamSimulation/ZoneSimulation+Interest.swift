import SeamWorld

extension ZoneSimulation {
    /// The `limit` nearest other players within the view radius of player `index`, in no particular order,
    /// as (index, squared distance); ties at the cut are broken by the lower index. An index at or past
    /// `players.count` is the ghost `index - players.count`.
    ///
    /// Gathers the grid ring by ring outwards from the player's cell. After each ring that brought more than
    /// `limit`, keeps the nearest `limit` by selection (linear on average); the farthest of those bounds what
    /// later rings may add, and once no cell further out can be nearer, the search stops. In a dense crowd
    /// (hundreds per cell) most candidates then cost one comparison. The cost follows the local crowd, not
    /// the zone's population. No sort: the zone puts each view in id order itself (`EntityTable`).
    ///
    /// Players `favoured` says are already in the view are measured at `viewHysteresis` times their
    /// distance (the squared distance reported is that measure): a member stays while within the view
    /// radius divided by it, and keeps its place against a newcomer less than that much nearer. Without
    /// it, in a crowd, players at the cut swap in and out from tick to tick, and each comeback after its
    /// client's baseline lost it is a full 14-byte entry.
    public func visiblePlayers(
        from index: Int, limit: Int, favouring favoured: (Int) -> Bool = { _ in false },
        into out: inout [(index: Int, distanceSquared: Double)]
    ) {
        var scratch: [(index: Int, distanceSquared: Double)] = []
        visiblePlayers(from: index, limit: limit, favouring: favoured, scratch: &scratch, into: &out)
    }

    /// `visiblePlayers(from:limit:favouring:into:)` gathering in `scratch`, which keeps its size from call to
    /// call: sized afresh for every item of the grid each time, it was written whole (16 KB in a zone of a
    /// thousand) for each view chosen, 1.4% of a busy zone's instructions.
    public func visiblePlayers(
        from index: Int, limit: Int, favouring favoured: (Int) -> Bool = { _ in false },
        scratch: inout [(index: Int, distanceSquared: Double)],
        into out: inout [(index: Int, distanceSquared: Double)]
    ) {
        out.removeAll(keepingCapacity: true)
        guard limit > 0 else { return }
        let me = players[index].position
        let total = players.count + ghosts.count
        let r2 = config.viewRadius * config.viewRadius
        let (cx, cy) = grid.cellCoordinates(of: me)
        let size = grid.cellSize
        let favour2 = Self.viewHysteresis * Self.viewHysteresis
        let maxRing = Int((config.viewRadius / Self.viewHysteresis / size).rounded(.up)) + 1
        // Positions come from the grid (as of its rebuild at the last step, which is also when snapshots are
        // built); between steps (a snapshot sent at once after a handoff) players may have come or gone
        // since: skip indices that no longer exist. `scratch` holds every item and is written through a
        // pointer: an append per candidate checked the array's uniqueness each time.
        if scratch.count < grid.itemCount {
            scratch = Array(repeating: (index: 0, distanceSquared: 0.0), count: grid.itemCount)
        }
        scratch.withUnsafeMutableBufferPointer { buffer in
            var found = 0
            var bound = r2
            func gather(column: Int, row: Int) {
                grid.forEachItem(column: column, row: row) { j, at in
                    guard j != index, j < total else { return }
                    var d2 = (at - me).lengthSquared
                    if d2 * favour2 > bound { return }
                    if favoured(j) { d2 *= favour2 }
                    if d2 <= bound { buffer[found] = (j, d2); found += 1 }
                }
            }
            for ring in 0...maxRing {
                if ring == 0 {
                    gather(column: cx, row: cy)
                } else {
                    for x in (cx - ring)...(cx + ring) {
                        gather(column: x, row: cy - ring)
                        gather(column: x, row: cy + ring)
                    }
                    for y in (cy - ring + 1)...(cy + ring - 1) {
                        gather(column: cx - ring, row: y)
                        gather(column: cx + ring, row: y)
                    }
                }
                // Nearest any point of the next ring can be: the distance to the edge of the block searched.
                let blockMinX = Double(cx - ring) * size, blockMaxX = Double(cx + ring + 1) * size
                let blockMinY = Double(cy - ring) * size, blockMaxY = Double(cy + ring + 1) * size
                let edge = min(me.x - blockMinX, blockMaxX - me.x, me.y - blockMinY, blockMaxY - me.y)
                // A favoured player in a later ring can measure as near as `favour2` times this.
                let edge2 = edge * edge * favour2
                if found >= limit {
                    if found > limit {
                        Self.keepNearest(limit, in: UnsafeMutableBufferPointer(rebasing: buffer[0..<found]))
                        found = limit
                    }
                    bound = 0
                    for k in 0..<limit { bound = max(bound, buffer[k].distanceSquared) }
                    if bound <= edge2 { break }
                }
                if edge2 > r2 { break }
            }
            out.append(contentsOf: buffer[0..<found])
        }
    }

    /// The factor on the distance of a player already in a view (see `visiblePlayers`).
    public static let viewHysteresis = 0.85

    /// Reorders `a` so that its first `k` entries are the `k` smallest by (distance, index), which must be
    /// distinct (indices are): quickselect, linear on average. Each pass partitions around the median of
    /// three without a branch on the comparisons (a swap per element and an increment by the outcome): in
    /// a crowd which side a candidate falls on is a coin toss the processor cannot predict, and with
    /// Hoare's partition this had a sixth of a busy zone's mispredicted branches.
    static func keepNearest(_ k: Int, in a: UnsafeMutableBufferPointer<(index: Int, distanceSquared: Double)>) {
        typealias Candidate = (index: Int, distanceSquared: Double)
        // Both outcomes as 0/1 bytes combined with `&` and `|`: with `||` and `&&` the compiler jumps.
        @inline(__always)
        func less(_ x: Candidate, _ y: Candidate) -> UInt8 {
            flag(x.distanceSquared < y.distanceSquared)
                | flag(x.distanceSquared == y.distanceSquared) & flag(x.index < y.index)
        }
        @inline(__always) func flag(_ b: Bool) -> UInt8 { unsafeBitCast(b, to: UInt8.self) }
        precondition(k >= 1 && k <= a.count, "keepNearest: k out of range")
        var lo = 0, hi = a.count
        let target = k - 1
        while hi - lo > 1 {
            // The median of three to the end of the range, the rest partitioned before it, then it between.
            let mid = (lo + hi) / 2, last = hi - 1
            if less(a[mid], a[lo]) != 0 { a.swapAt(mid, lo) }
            if less(a[last], a[mid]) != 0 { a.swapAt(last, mid) }
            if less(a[mid], a[lo]) != 0 { a.swapAt(mid, lo) }
            a.swapAt(mid, last)
            let pivot = a[last]
            var smaller = lo
            for i in lo..<last {
                let v = a[i]
                a[i] = a[smaller]
                a[smaller] = v
                smaller &+= Int(less(v, pivot))
            }
            a.swapAt(smaller, last)
            if target == smaller { return }
            if target < smaller { hi = smaller } else { lo = smaller + 1 }
        }
    }

    /// Coins on the ground within the view radius of `center`, nearest first.
    public func visibleCoins(from center: Vec2, into out: inout [(id: UInt32, at: Vec2, distanceSquared: Double)]) {
        out.removeAll(keepingCapacity: true)
        let r2 = config.viewRadius * config.viewRadius
        for c in coins {
            guard case .ground(let at) = c.place else { continue }
            let d2 = (at - center).lengthSquared
            if d2 <= r2 { out.append((c.id, at, d2)) }
        }
        out.sort { $0.distanceSquared < $1.distanceSquared || ($0.distanceSquared == $1.distanceSquared && $0.id < $1.id) }
    }
}
