import SeamProtocol
import SeamWorld

/// What a bot saw in its last few snapshots, to render other players between snapshots the way a real
/// client does: at a time `delay` ticks behind the newest snapshot, interpolating between the two around it.
struct InterpolationBuffer {
    struct Frame {
        var tick: UInt32 = 0
        /// The snapshot's stored frame, by index in the frames `render` is given (the bot's `BaselineRing`
        /// pool): its entities are sorted by id, so lookups are binary searches.
        var frame: Int
        /// The bot itself, not among the frame's entities: seen as if placed where a stable sort by id would
        /// put it.
        var me: EntityState?
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

    /// Adds a snapshot of `tick`, its stored frame (by index) and `me` (the bot itself) among its entities.
    /// Older or duplicate ticks are ignored (unreliable packets may reorder). Nothing is copied: only bots
    /// that fight render their view, and they merge `me` in as they go.
    ///
    /// Returns the frame the view lets go of, for its holder to free: the oldest when the view was full,
    /// `frame` itself when the tick was ignored, nil when the view keeps every frame.
    mutating func add(tick: UInt32, frame: Int, me: EntityState? = nil) -> Int? {
        if let newest = frames.last?.tick, tick <= newest { return frame }
        guard frames.count == InterpolationBuffer.capacity else {
            frames.append(Frame(tick: tick, frame: frame, me: me))
            return nil
        }
        // Full: the oldest moves to the end by swaps and is overwritten there (cheaper, once per snapshot per
        // bot, than removing the first frame and appending).
        return frames.withUnsafeMutableBufferPointer { f in
            for k in f.indices.dropLast() { f.swapAt(k, k + 1) }
            let oldest = f[f.count - 1].frame
            f[f.count - 1] = Frame(tick: tick, frame: frame, me: me)
            return oldest
        }
    }

    /// Entities as seen at `renderTick` (fractional), in id order. Each one present in both bracketing
    /// frames is interpolated; one only in the newer frame appears as it is there. `stored` holds the frames
    /// the view's frames name, their entities sorted by id.
    func render(at renderTick: Double, from stored: [SnapshotFrame], into out: inout [Rendered]) {
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
            InterpolationBuffer.forEach(in: newest, stored) { e in out.append(rendered(e, at: position(e))) }
            return
        }
        let t = min(1, max(0, (renderTick - Double(from.tick)) / Double(newer.tick - from.tick)))
        // A longer move than a walk between the two frames is a jump (a respawn): shown at once, as the
        // zone's history judges it (`Wire.jumpTilesPerTick`).
        let jump = Wire.jumpTilesPerTick * Double(newer.tick - from.tick)
        InterpolationBuffer.forEach(in: newer, stored) { e in
            let p1 = position(e)
            if let prev = InterpolationBuffer.find(e.id, in: from, stored), (p1 - position(prev)).length <= jump {
                let p0 = position(prev)
                out.append(rendered(e, at: p0 + (p1 - p0) * t))
            } else {
                out.append(rendered(e, at: p1))
            }
        }
    }

    /// Calls `body` with a frame's entities and `me` in id order, `me` after any entity of the same id.
    private static func forEach(in frame: Frame, _ stored: [SnapshotFrame], _ body: (EntityState) -> Void) {
        guard let me = frame.me else {
            for e in stored[frame.frame].entities { body(e) }
            return
        }
        var meDone = false
        for e in stored[frame.frame].entities {
            if !meDone && e.id > me.id {
                body(me)
                meDone = true
            }
            body(e)
        }
        if !meDone { body(me) }
    }

    /// The first state of `id` in the frame, in the order `forEach` gives.
    private static func find(_ id: UInt32, in frame: Frame, _ stored: [SnapshotFrame]) -> EntityState? {
        if let e = find(id, in: stored[frame.frame].entities) { return e }
        return frame.me?.id == id ? frame.me : nil
    }

    private func rendered(_ e: EntityState, at p: Vec2) -> Rendered {
        Rendered(id: e.id, position: p, alive: e.flags & EntityFlags.alive != 0, ghost: e.flags & EntityFlags.ghost != 0)
    }

    private func position(_ e: EntityState) -> Vec2 {
        Vec2(x: Quantize.position(e.x), y: Quantize.position(e.y))
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
