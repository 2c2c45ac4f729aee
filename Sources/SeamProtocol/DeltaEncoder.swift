/// How a kept entity changed against its baseline state in a delta: the 4-bit mask and the extension byte
/// (docs/PROTOCOL.md, "Delta snapshot"). `carried` (mask 0) means the client predicts it from its baseline.
public struct EntityChange: Equatable, Sendable {
    public var mask: UInt8
    public var ext: UInt8

    @inlinable
    public init(mask: UInt8, ext: UInt8) { self.mask = mask; self.ext = ext }

    /// A computed value, not a stored `let`: a global's lazy-initialization check per use showed in a
    /// busy zone's profile.
    @inlinable
    public static var carried: EntityChange { EntityChange(mask: 0, ext: 0) }

    /// Bytes the change takes after its mask nibble, read from two tables packed in integers (a nibble per
    /// entry), as a zone prices changes per member per client per tick: by mask, the extension byte (bit 3,
    /// 1 byte), the velocity step (bit 2, 2 bytes) and the position (bits 0-1: 0 predicted, 1 an i4 pair,
    /// 3 an i8 pair, 2 an absolute u16 pair: 0, 1, 2, 4 bytes); by extension, the full velocity (bit 0,
    /// 4 bytes) and the status (bit 1, 2 bytes).
    @inlinable
    public var cost: Int {
        @inline(__always) get {
            let m = Int(mask & 0xF), x = Int(ext & 3)
            return (0x5743_3521_4632_2410 >> (m &* 4)) & 0xF &+ (0x6240 >> (x &* 4)) & 0xF
        }
    }
}

/// Writes delta snapshots (message `0x8B`), so a zone encoding one per client per tick allocates nothing once
/// warm: the message is written in place into the writer's storage. `DeltaCodec.encode` is the one-off form.
public struct DeltaEncoder {
    public init() {}

    /// What a caller that chose the frame's entities already knows of each, index for index with
    /// `current.entities`: its change against its baseline state and its index in the baseline's entities
    /// (-1 for one new to the baseline, whose change is ignored).
    public struct Known {
        public var changes: [EntityChange]
        public var baseIndices: [Int32]

        @inlinable
        public init(changes: [EntityChange], baseIndices: [Int32]) {
            self.changes = changes; self.baseIndices = baseIndices
        }
    }

    /// A frame's entities and coins, each in id order, in storage the caller keeps (a zone's `FrameStore`).
    public struct Frame {
        public var tick: UInt32
        public var entities: UnsafeBufferPointer<EntityState>
        public var coins: UnsafeBufferPointer<CoinView>

        @inlinable
        public init(tick: UInt32, entities: UnsafeBufferPointer<EntityState>, coins: UnsafeBufferPointer<CoinView>) {
            self.tick = tick; self.entities = entities; self.coins = coins
        }

        /// The baseline checksum of the frame (`SnapshotFrame.checksum`).
        public var checksum: UInt16 {
            var hash = FrameChecksum()
            for e in entities { hash.add(e) }
            hash.endEntities()
            for c in coins { hash.add(c) }
            return hash.value
        }
    }

    /// Writes the delta of `current` against `baseline`, whose checksum the caller passes (a zone computes it
    /// once, when the frame is made). `known`, when given, is what the caller worked out choosing what to
    /// send (a zone's frame builder): the encoder then walks the lists once instead of merging them again.
    /// Without it, it is computed here. Returns `current.checksum` (a zone keeps the frame and names it in
    /// the next delta).
    @discardableResult
    public mutating func encode(
        _ current: SnapshotFrame, lastInputSequence: UInt32, me: SelfState, baseline: SnapshotFrame,
        baselineChecksum: UInt16, known: Known? = nil, into w: inout ByteWriter
    ) -> UInt16 {
        let known = known ?? Self.known(of: current.entities, against: baseline.entities, ticks: current.tick &- baseline.tick)
        return current.entities.withUnsafeBufferPointer { cur in
            current.coins.withUnsafeBufferPointer { curCoins in
                baseline.entities.withUnsafeBufferPointer { base in
                    baseline.coins.withUnsafeBufferPointer { baseCoins in
                        known.changes.withUnsafeBufferPointer { changes in
                            known.baseIndices.withUnsafeBufferPointer { baseIndices in
                                encode(Frame(tick: current.tick, entities: cur, coins: curCoins),
                                       lastInputSequence: lastInputSequence, me: me,
                                       baseline: Frame(tick: baseline.tick, entities: base, coins: baseCoins),
                                       baselineChecksum: baselineChecksum, changes: changes, baseIndices: baseIndices,
                                       into: &w)
                            }
                        }
                    }
                }
            }
        }
    }

    /// `encode` over frames in the caller's storage, with what it knows of each current entity (`Known`,
    /// index for index with `current.entities`): nothing is copied or reference counted.
    public mutating func encode(
        _ current: Frame, lastInputSequence: UInt32, me: SelfState, baseline: Frame, baselineChecksum: UInt16,
        changes: UnsafeBufferPointer<EntityChange>, baseIndices: UnsafeBufferPointer<Int32>, into w: inout ByteWriter
    ) -> UInt16 {
        let tick = current.tick, ticks = tick &- baseline.tick
        let base = baseline.entities, cur = current.entities
        let baseCoins = baseline.coins, curCoins = current.coins
        precondition(changes.count == cur.count && baseIndices.count == cur.count, "one change and index per current entity")
        // Room for the worst case: every current entity kept with every field, or added in full.
        let maximum = DeltaCodec.headerSize + (base.count + 7) / 8 + (cur.count + 1) / 2 + cur.count * EntityState.wireSize
            + 2 + (baseCoins.count + 7) / 8 + 2 + curCoins.count * CoinView.wireSize
        w.reset()
        w.append(atMost: maximum) { o in
            o.u8(MessageType.delta.rawValue)
            o.u32(tick); o.u32(baseline.tick); o.u16(baselineChecksum); o.u32(lastInputSequence)
            o.u16(me.x); o.u16(me.y); o.i16(me.vx); o.i16(me.vy)
            o.u8(me.health); o.u8(me.flags); o.u16(me.coins); o.u16(me.kills); o.u16(me.deaths)
            Self.entities(cur, base, changes, baseIndices, ticks: ticks, into: &o)
            Self.coins(curCoins, baseCoins, into: &o)
        }
        // Hashed in a loop of its own: fed from inside the writing closure the checksum lived in memory, a
        // store and a load per entity in its dependency chain.
        return current.checksum
    }

    /// Walks two id-ordered lists together, calling `removed(i)` for a baseline entry the current list lacks,
    /// `added(j)` for a current entry the baseline lacks and `kept(i, j)` for one in both, in id order.
    @inline(__always)
    private static func merge(
        baseCount: Int, currentCount: Int, baseID: (Int) -> UInt32, currentID: (Int) -> UInt32,
        removed: (Int) -> Void, added: (Int) -> Void, kept: (Int, Int) -> Void
    ) {
        var i = 0, j = 0
        while i < baseCount || j < currentCount {
            if j == currentCount || (i < baseCount && baseID(i) < currentID(j)) {
                removed(i); i += 1
            } else if i == baseCount || currentID(j) < baseID(i) {
                added(j); j += 1
            } else {
                kept(i, j); i += 1; j += 1
            }
        }
    }

    /// Entities: a removed-bitmap over the baseline, 4-bit change masks for the kept ones, their fields, then
    /// the new ones in full. One walk of the current list: each kept entity's baseline index marks the
    /// baseline entries skipped since the previous one as removed (both lists are in id order).
    private static func entities(
        _ cur: UnsafeBufferPointer<EntityState>, _ base: UnsafeBufferPointer<EntityState>,
        _ changes: UnsafeBufferPointer<EntityChange>, _ baseIndices: UnsafeBufferPointer<Int32>, ticks: UInt32,
        into o: inout RawWriter
    ) {
        let removedAt = o.zeros((base.count + 7) / 8)
        var kept = 0
        for i in baseIndices { kept &+= i >= 0 ? 1 : 0 }
        let masksAt = o.zeros((kept + 1) / 2)
        // 32-bit indices: up to 256 of them fit the 1 KiB Swift keeps on the stack (more come from malloc).
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: cur.count - kept) { added in
            var k = 0, a = 0, next = 0
            for j in 0..<cur.count {
                let i = Int(baseIndices[j])
                guard i >= 0 else {
                    added[a] = Int32(truncatingIfNeeded: j)
                    a += 1
                    continue
                }
                precondition(i >= next && i < base.count && base[i].id == cur[j].id, "baseline index out of order")
                while next < i {
                    o.setBit(next, at: removedAt)
                    next += 1
                }
                next = i + 1
                let m = changes[j].mask, nibble = k
                k += 1
                // Carried (most members of a busy zone's deltas): the zeroed nibble says it all.
                guard m != 0 else { continue }
                let old = base[i], new = cur[j], ext = changes[j].ext
                o.or(nibble & 1 == 0 ? m : m << 4, at: masksAt + nibble >> 1)
                if m & DeltaCodec.extended != 0 { o.u8(ext) }
                if m & DeltaCodec.velocityStep != 0 {
                    o.i8(Int8(Int(new.vx) - Int(old.vx))); o.i8(Int8(Int(new.vy) - Int(old.vy)))
                }
                if ext & DeltaCodec.extVelocity != 0 { o.i16(new.vx); o.i16(new.vy) }
                if m & DeltaCodec.residual != 0 {
                    let rx = Int(new.x) - DeltaCodec.predict(old.x, new.vx, ticks: ticks)
                    let ry = Int(new.y) - DeltaCodec.predict(old.y, new.vy, ticks: ticks)
                    if m & DeltaCodec.wide == 0 {
                        o.u8(UInt8(rx & 0x0F) | UInt8(ry & 0x0F) << 4)
                    } else {
                        o.i8(Int8(rx)); o.i8(Int8(ry))
                    }
                } else if m & DeltaCodec.wide != 0 {
                    o.u16(new.x); o.u16(new.y)
                }
                if ext & DeltaCodec.extStatus != 0 { o.u8(new.health); o.u8(new.flags) }
            }
            while next < base.count {
                o.setBit(next, at: removedAt)
                next += 1
            }
            o.u16(UInt16(a))
            for n in 0..<a { o.entity(cur[Int(added[n])]) }
        }
    }

    /// Coins: a removed-or-moved bitmap over the baseline, then the added (or moved) ones in full: a first
    /// merge for the bitmap and the count, a second for the coins themselves.
    private static func coins(_ cur: UnsafeBufferPointer<CoinView>, _ base: UnsafeBufferPointer<CoinView>,
                              into o: inout RawWriter) {
        let goneAt = o.zeros((base.count + 7) / 8)
        var fresh = 0
        merge(baseCount: base.count, currentCount: cur.count, baseID: { base[$0].id }, currentID: { cur[$0].id },
              removed: { o.setBit($0, at: goneAt) }, added: { _ in fresh += 1 }) { i, j in
            if base[i] != cur[j] { o.setBit(i, at: goneAt); fresh += 1 }
        }
        o.u16(UInt16(fresh))
        merge(baseCount: base.count, currentCount: cur.count, baseID: { base[$0].id }, currentID: { cur[$0].id },
              removed: { _ in }, added: { o.coin(cur[$0]) }) { i, j in
            if base[i] != cur[j] { o.coin(cur[j]) }
        }
    }

    /// Each current entity's change against its baseline state and its baseline index (`.carried` and -1
    /// for the ones new to it).
    private static func known(of cur: [EntityState], against base: [EntityState], ticks: UInt32) -> Known {
        var known = Known(changes: Array(repeating: .carried, count: cur.count),
                          baseIndices: Array(repeating: -1, count: cur.count))
        var i = 0
        for (j, e) in cur.enumerated() {
            while i < base.count && base[i].id < e.id { i += 1 }
            if i < base.count && base[i].id == e.id {
                known.changes[j] = DeltaCodec.change(base[i], e, ticks: ticks)
                known.baseIndices[j] = Int32(i)
            }
        }
        return known
    }
}
