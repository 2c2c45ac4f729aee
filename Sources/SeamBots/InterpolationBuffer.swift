import SeamProtocol
import SeamWorld

/// What a bot saw in its last few snapshots, to render other players between snapshots the way a real
/// client does: at a time `delay` ticks behind the newest snapshot, interpolating between the two around it.
struct InterpolationBuffer {
    struct Frame {
        var tick: UInt32 = 0
        /// Sorted by id, so lookups are binary searches.
        var entities: [EntityState] = []
    }

    /// One entity as the bot sees it at the render time.
    struct Rendered {
        var id: UInt32
        var position: Vec2
        var alive: Bool
        /// Owned by a neighbour zone (shown here from the border band).
        var ghost: Bool
    }

    /// Oldest first; at most `capacity` frames.
    private(set) var frames: [Frame] = []
    static let capacity = 4

    var newestTick: UInt32? { frames.last?.tick }

    /// Adds a snapshot's entities, and `me` (the bot itself) among them. Older or duplicate ticks are
    /// ignored (unreliable packets may reorder). The oldest frame's storage is reused: no allocation once warm.
    mutating func add(tick: UInt32, entities: [EntityState], me: EntityState? = nil) {
        if let newest = frames.last?.tick, tick <= newest { return }
        var frame = frames.count == InterpolationBuffer.capacity ? frames.removeFirst() : Frame()
        frame.tick = tick
        frame.entities.removeAll(keepingCapacity: true)
        frame.entities.append(contentsOf: entities)
        // Delta snapshots arrive sorted by id, and `me` then goes where a stable sort would put it (after
        // any equal id); full ones come in the zone's nearest-first order and are sorted.
        var sorted = true
        for k in frame.entities.indices.dropFirst() where frame.entities[k - 1].id > frame.entities[k].id {
            sorted = false
            break
        }
        if sorted {
            if let me { frame.entities.insert(me, at: InterpolationBuffer.end(of: me.id, in: frame.entities)) }
        } else {
            if let me { frame.entities.append(me) }
            frame.entities.sort { $0.id < $1.id }
        }
        frames.append(frame)
    }

    /// Entities as seen at `renderTick` (fractional). Each one present in both bracketing frames is
    /// interpolated; one only in the newer frame appears as it is there.
    func render(at renderTick: Double, into out: inout [Rendered]) {
        out.removeAll(keepingCapacity: true)
        guard let newest = frames.last else { return }
        var older: Frame? = nil
        var newer = newest
        for f in frames.reversed() where Double(f.tick) <= renderTick {
            older = f
            break
        }
        if let o = older, let i = frames.firstIndex(where: { $0.tick == o.tick }), i + 1 < frames.count {
            newer = frames[i + 1]
        }
        guard let from = older, from.tick != newer.tick else {
            for e in newest.entities { out.append(rendered(e, at: position(e))) }
            return
        }
        let t = min(1, max(0, (renderTick - Double(from.tick)) / Double(newer.tick - from.tick)))
        // A longer move than a walk between the two frames is a jump (a respawn): shown at once, as the
        // zone's history judges it (`Wire.jumpTilesPerTick`).
        let jump = Wire.jumpTilesPerTick * Double(newer.tick - from.tick)
        for e in newer.entities {
            let p1 = position(e)
            if let prev = InterpolationBuffer.find(e.id, in: from.entities), (p1 - position(prev)).length <= jump {
                let p0 = position(prev)
                out.append(rendered(e, at: p0 + (p1 - p0) * t))
            } else {
                out.append(rendered(e, at: p1))
            }
        }
    }

    private func rendered(_ e: EntityState, at p: Vec2) -> Rendered {
        Rendered(id: e.id, position: p, alive: e.flags & EntityFlags.alive != 0, ghost: e.flags & EntityFlags.ghost != 0)
    }

    private func position(_ e: EntityState) -> Vec2 {
        Vec2(x: Quantize.position(e.x), y: Quantize.position(e.y))
    }

    /// The index past the last entity of `sorted` whose id is at most `id`.
    static func end(of id: UInt32, in sorted: [EntityState]) -> Int {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].id <= id { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func find(_ id: UInt32, in sorted: [EntityState]) -> EntityState? {
        var lo = 0
        var hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid].id < id { lo = mid + 1 } else { hi = mid }
        }
        return lo < sorted.count && sorted[lo].id == id ? sorted[lo] : nil
    }
}
