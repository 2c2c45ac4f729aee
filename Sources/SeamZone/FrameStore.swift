import SeamProtocol

/// The frames a zone sent on its connections, kept as the baselines of their next deltas: a pool of
/// fixed-size frames (room for the most entities and coins a snapshot can carry) in raw storage, and for
/// each connection slot a ring of `history` frame numbers by tick. Quake III keeps its clients' snapshot
/// entities in one such store; here a frame is given back when its connection acknowledges a newer one, so
/// a connection holds the few frames between its acknowledgement and now, and the next frame reuses the
/// storage just given back (still in cache).
///
/// Nothing here is reference counted: keeping, finding and reading a frame is index arithmetic. (Frames
/// kept as arrays cost a retain and a release per array per use, each on memory of another connection, so
/// mostly a cache miss: 15% of a 1,000-client zone's time went to `swift_retain` and `swift_release`.)
final class FrameStore {
    /// A kept frame: its tick, checksum and entries, valid until the frame is given back.
    struct Frame {
        var tick: UInt32
        var checksum: UInt16
        var entities: UnsafeBufferPointer<EntityState>
        var freshTicks: UnsafeBufferPointer<UInt32>
        var coins: UnsafeBufferPointer<CoinView>

        /// What `FrameBuilder` reads of it.
        var sent: FrameBuilder.Sent { FrameBuilder.Sent(tick: tick, entities: entities, freshTicks: freshTicks) }
    }

    /// The most entities and coins one frame holds: as many as a full snapshot of the largest size carries.
    static let entityCapacity = (Wire.maximumSnapshotBytes - Snapshot.headerSize - 2) / EntityState.wireSize
    static let coinCapacity = (Wire.maximumSnapshotBytes - Snapshot.headerSize - 2) / CoinView.wireSize
    /// Frames are added this many at a time (one allocation per column); storage is never moved or freed
    /// while the store lives, so a frame's pointers stay valid until it is given back.
    private static let chunk = 64

    let slots: Int
    let history: Int
    /// Per slot: `history` frame numbers by tick modulo `history` (-1: none), then below which tick
    /// frames have been given back.
    private let ring: UnsafeMutablePointer<Int32>
    private let releasedBelow: UnsafeMutablePointer<UInt32>
    /// Per frame number.
    private var ticks: [UInt32] = []
    private var checksums: [UInt16] = []
    private var entityCounts: [Int32] = []
    private var coinCounts: [Int32] = []
    /// Storage by chunk of frames.
    private var entityChunks: [UnsafeMutablePointer<EntityState>] = []
    private var freshChunks: [UnsafeMutablePointer<UInt32>] = []
    private var coinChunks: [UnsafeMutablePointer<CoinView>] = []
    /// Frame numbers given back, the most recent last (reused first).
    private var free: [Int32] = []
    /// How many frames are kept (not given back).
    private(set) var kept = 0

    init(slots: Int, history: Int) {
        precondition(slots >= 0 && history > 0, "FrameStore: bad shape")
        self.slots = slots
        self.history = history
        ring = .allocate(capacity: max(1, slots * history))
        ring.initialize(repeating: -1, count: max(1, slots * history))
        releasedBelow = .allocate(capacity: max(1, slots))
        releasedBelow.initialize(repeating: 0, count: max(1, slots))
    }

    deinit {
        ring.deallocate()
        releasedBelow.deallocate()
        for p in entityChunks { p.deallocate() }
        for p in freshChunks { p.deallocate() }
        for p in coinChunks { p.deallocate() }
    }

    /// The frame `slot` was sent at `tick`, if still kept.
    func frame(slot: Int, tick: UInt32) -> Frame? {
        let n = ring[slot * history + Int(tick % UInt32(history))]
        guard n >= 0, ticks[Int(n)] == tick else { return nil }
        return frame(Int(n))
    }

    /// Gives back `slot`'s frames older than `acknowledged` (never a baseline again: acknowledgements only go
    /// forward, or back to 0). After a jump of `history` ticks or more the ones skipped are left for `keep` to
    /// give back when the ring comes round to them.
    func release(slot: Int, below acknowledged: UInt32) {
        var t = releasedBelow[slot]
        if acknowledged &- t < UInt32(history) {
            while t != acknowledged {
                let at = slot * history + Int(t % UInt32(history))
                if ring[at] >= 0, ticks[Int(ring[at])] == t { giveBack(at) }
                t &+= 1
            }
        }
        releasedBelow[slot] = acknowledged
    }

    /// Keeps `slot`'s frame of `tick` (replacing any frame in its place in the ring): the entities, the tick
    /// of the fresh state behind each, and the coins, copied; `checksum` is the frame's.
    func keep(slot: Int, tick: UInt32, checksum: UInt16, entities: UnsafeBufferPointer<EntityState>,
              freshTicks: UnsafeBufferPointer<UInt32>, coins: UnsafeBufferPointer<CoinView>) {
        precondition(entities.count <= Self.entityCapacity && coins.count <= Self.coinCapacity,
                     "FrameStore: frame larger than a snapshot")
        precondition(freshTicks.count == entities.count, "FrameStore: one fresh tick per entity")
        let at = slot * history + Int(tick % UInt32(history))
        if ring[at] >= 0 { giveBack(at) }
        let n = take()
        ticks[n] = tick
        checksums[n] = checksum
        entityCounts[n] = Int32(entities.count)
        coinCounts[n] = Int32(coins.count)
        let (c, k) = n.quotientAndRemainder(dividingBy: Self.chunk)
        if let from = entities.baseAddress {
            (entityChunks[c] + k * Self.entityCapacity).update(from: from, count: entities.count)
        }
        if let from = freshTicks.baseAddress {
            (freshChunks[c] + k * Self.entityCapacity).update(from: from, count: freshTicks.count)
        }
        if let from = coins.baseAddress {
            (coinChunks[c] + k * Self.coinCapacity).update(from: from, count: coins.count)
        }
        ring[at] = Int32(n)
    }

    /// Gives back every frame of `slot`: its connection is gone, or its client dropped its baselines.
    func clear(slot: Int) {
        for at in slot * history..<(slot + 1) * history where ring[at] >= 0 { giveBack(at) }
        releasedBelow[slot] = 0
    }

    private func frame(_ n: Int) -> Frame {
        let (c, k) = n.quotientAndRemainder(dividingBy: Self.chunk)
        let count = Int(entityCounts[n])
        return Frame(
            tick: ticks[n], checksum: checksums[n],
            entities: UnsafeBufferPointer(start: entityChunks[c] + k * Self.entityCapacity, count: count),
            freshTicks: UnsafeBufferPointer(start: freshChunks[c] + k * Self.entityCapacity, count: count),
            coins: UnsafeBufferPointer(start: coinChunks[c] + k * Self.coinCapacity, count: Int(coinCounts[n])))
    }

    private func giveBack(_ at: Int) {
        free.append(ring[at])
        ring[at] = -1
        kept -= 1
    }

    /// A frame number not in use: the one given back last, or one of a new chunk.
    private func take() -> Int {
        kept += 1
        if let n = free.popLast() { return Int(n) }
        let first = ticks.count
        entityChunks.append(Self.column(Self.chunk * Self.entityCapacity, EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)))
        freshChunks.append(Self.column(Self.chunk * Self.entityCapacity, UInt32(0)))
        coinChunks.append(Self.column(Self.chunk * Self.coinCapacity, CoinView(id: 0, x: 0, y: 0)))
        ticks.append(contentsOf: repeatElement(0, count: Self.chunk))
        checksums.append(contentsOf: repeatElement(0, count: Self.chunk))
        entityCounts.append(contentsOf: repeatElement(0, count: Self.chunk))
        coinCounts.append(contentsOf: repeatElement(0, count: Self.chunk))
        // The rest of the chunk, highest first, so the next frames are taken in order.
        free.append(contentsOf: (first + 1..<first + Self.chunk).reversed().map { Int32($0) })
        return first
    }

    private static func column<T>(_ count: Int, _ value: T) -> UnsafeMutablePointer<T> {
        let p = UnsafeMutablePointer<T>.allocate(capacity: count)
        p.initialize(repeating: value, count: count)
        return p
    }
}
