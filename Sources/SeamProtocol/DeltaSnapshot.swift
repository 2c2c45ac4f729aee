/// One snapshot as the delta codec sees it: what was sent at `tick`, entities and coins sorted by id.
/// Both ends keep recent frames: the zone per client, the client per owner zone.
public struct SnapshotFrame: Equatable, Sendable {
    public var tick: UInt32
    public var entities: [EntityState]
    public var coins: [CoinView]

    public init(tick: UInt32, entities: [EntityState], coins: [CoinView]) {
        self.tick = tick
        self.entities = entities.sorted { $0.id < $1.id }
        self.coins = coins.sorted { $0.id < $1.id }
    }

    /// 16 bits of FNV-1a over the frame's content: a delta names its baseline by tick *and* checksum, so a
    /// client never applies a delta to a different frame of the same tick.
    public var checksum: UInt16 {
        var h: UInt32 = 0x811C_9DC5
        func mix(_ v: UInt32) {
            for shift in stride(from: 0, to: 32, by: 8) {
                h ^= (v >> UInt32(shift)) & 0xFF
                h = h &* 0x0100_0193
            }
        }
        for e in entities {
            mix(e.id); mix(UInt32(e.x) | UInt32(e.y) << 16)
            mix(UInt32(UInt16(bitPattern: e.vx)) | UInt32(UInt16(bitPattern: e.vy)) << 16)
            mix(UInt32(e.health) | UInt32(e.flags) << 8)
        }
        mix(0xFFFF_FFFF)
        for c in coins { mix(c.id); mix(UInt32(c.x) | UInt32(c.y) << 16) }
        return UInt16(truncatingIfNeeded: h ^ (h >> 16))
    }
}

/// Delta snapshots (message `0x8B`): the entities and coins of a snapshot encoded against a baseline frame
/// the client acknowledged. See docs/PROTOCOL.md, "Delta snapshot".
public enum DeltaCodec {
    /// Entity change bits, 4 per kept baseline entity.
    static let smallMove: UInt8 = 1      // dx, dy as i8 (1/64 tile)
    static let absoluteMove: UInt8 = 2   // x, y as u16
    static let velocity: UInt8 = 4       // vx, vy as i16
    static let status: UInt8 = 8         // health u8, flags u8

    /// Bytes before the entity section: type, tick, baseline tick, baseline checksum, input sequence, self.
    public static let headerSize = 1 + 4 + 4 + 2 + 4 + SelfState.wireSize

    /// Writes the delta message for `current` (tick, input sequence, self, entities, coins in any order)
    /// against `baseline`.
    public static func encode(tick: UInt32, lastInputSequence: UInt32, me: SelfState, entities: [EntityState],
                              coins: [CoinView], baseline: SnapshotFrame, into w: inout ByteWriter) {
        let current = SnapshotFrame(tick: tick, entities: entities, coins: coins)
        w.reset()
        w.u8(MessageType.delta.rawValue)
        w.u32(tick); w.u32(baseline.tick); w.u16(baseline.checksum); w.u32(lastInputSequence)
        w.u16(me.x); w.u16(me.y); w.i16(me.vx); w.i16(me.vy)
        w.u8(me.health); w.u8(me.flags); w.u16(me.coins); w.u16(me.kills); w.u16(me.deaths)

        // Entities: a removed-bitmap over the baseline, 4-bit change masks for the kept ones, their fields,
        // then the new ones in full.
        let base = baseline.entities
        var removed = [UInt8](repeating: 0, count: (base.count + 7) / 8)
        var kept: [(old: EntityState, new: EntityState)] = []
        var added: [EntityState] = []
        var i = 0, j = 0
        let cur = current.entities
        while i < base.count || j < cur.count {
            if j == cur.count || (i < base.count && base[i].id < cur[j].id) {
                removed[i / 8] |= 1 << UInt8(i % 8); i += 1
            } else if i == base.count || cur[j].id < base[i].id {
                added.append(cur[j]); j += 1
            } else {
                kept.append((base[i], cur[j])); i += 1; j += 1
            }
        }
        w.raw(removed)
        var masks = [UInt8](repeating: 0, count: (kept.count + 1) / 2)
        for (k, pair) in kept.enumerated() {
            let m = mask(pair.old, pair.new)
            masks[k / 2] |= k % 2 == 0 ? m : m << 4
        }
        w.raw(masks)
        for pair in kept {
            let m = mask(pair.old, pair.new)
            if m & smallMove != 0 {
                w.i8(Int8(Int(pair.new.x) - Int(pair.old.x))); w.i8(Int8(Int(pair.new.y) - Int(pair.old.y)))
            }
            if m & absoluteMove != 0 { w.u16(pair.new.x); w.u16(pair.new.y) }
            if m & velocity != 0 { w.i16(pair.new.vx); w.i16(pair.new.vy) }
            if m & status != 0 { w.u8(pair.new.health); w.u8(pair.new.flags) }
        }
        w.u16(UInt16(added.count))
        for e in added {
            w.u32(e.id); w.u16(e.x); w.u16(e.y); w.i16(e.vx); w.i16(e.vy); w.u8(e.health); w.u8(e.flags)
        }

        // Coins: a removed-or-moved bitmap over the baseline, then the added (or moved) ones in full.
        let baseCoins = baseline.coins
        var goneCoins = [UInt8](repeating: 0, count: (baseCoins.count + 7) / 8)
        var newCoins: [CoinView] = []
        i = 0; j = 0
        let curCoins = current.coins
        while i < baseCoins.count || j < curCoins.count {
            if j == curCoins.count || (i < baseCoins.count && baseCoins[i].id < curCoins[j].id) {
                goneCoins[i / 8] |= 1 << UInt8(i % 8); i += 1
            } else if i == baseCoins.count || curCoins[j].id < baseCoins[i].id {
                newCoins.append(curCoins[j]); j += 1
            } else {
                if baseCoins[i] != curCoins[j] {
                    goneCoins[i / 8] |= 1 << UInt8(i % 8)
                    newCoins.append(curCoins[j])
                }
                i += 1; j += 1
            }
        }
        w.raw(goneCoins)
        w.u16(UInt16(newCoins.count))
        for c in newCoins { w.u32(c.id); w.u16(c.x); w.u16(c.y) }
    }

    static func mask(_ old: EntityState, _ new: EntityState) -> UInt8 {
        var m: UInt8 = 0
        if old.x != new.x || old.y != new.y {
            let dx = Int(new.x) - Int(old.x), dy = Int(new.y) - Int(old.y)
            m |= (-128...127).contains(dx) && (-128...127).contains(dy) ? smallMove : absoluteMove
        }
        if old.vx != new.vx || old.vy != new.vy { m |= velocity }
        if old.health != new.health || old.flags != new.flags { m |= status }
        return m
    }

    /// The header of a delta message: enough to find the baseline.
    public struct Header: Equatable, Sendable {
        public var tick: UInt32
        public var baselineTick: UInt32
        public var baselineChecksum: UInt16
        public var lastInputSequence: UInt32
        public var me: SelfState
    }

    /// Reads the header of a delta message (bytes start with the type byte).
    public static func header(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> Header {
        var r = ByteReader(bytes)
        guard try r.u8("message type") == MessageType.delta.rawValue else { throw DecodeError("not a delta snapshot", at: 0) }
        return try readHeader(&r)
    }

    static func readHeader(_ r: inout ByteReader) throws(DecodeError) -> Header {
        let tick = try r.u32("tick"), baseTick = try r.u32("baseline tick"), sum = try r.u16("baseline checksum")
        let seq = try r.u32("input sequence")
        let me = SelfState(
            x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"), vy: try r.i16("vy"),
            health: try r.u8("health"), flags: try r.u8("flags"), coins: try r.u16("coins"),
            kills: try r.u16("kills"), deaths: try r.u16("deaths"))
        return Header(tick: tick, baselineTick: baseTick, baselineChecksum: sum, lastInputSequence: seq, me: me)
    }

    /// Rebuilds the full snapshot from a delta message and its baseline. Throws if the bytes are malformed
    /// or the baseline is not the one the delta was made against (checksum), so a wrong or missing baseline
    /// can never corrupt the client's view.
    public static func apply(_ bytes: UnsafeRawBufferPointer, baseline: SnapshotFrame) throws(DecodeError) -> Snapshot {
        var r = ByteReader(bytes)
        guard try r.u8("message type") == MessageType.delta.rawValue else { throw DecodeError("not a delta snapshot", at: 0) }
        let h = try readHeader(&r)
        guard h.baselineTick == baseline.tick, h.baselineChecksum == baseline.checksum else {
            throw DecodeError("baseline \(h.baselineTick) is not the frame given (tick \(baseline.tick))", at: 5)
        }
        let base = baseline.entities
        let removed = try r.raw((base.count + 7) / 8, "removed bitmap")
        var keptIndices: [Int] = []
        for i in base.indices where removed[i / 8] & (1 << UInt8(i % 8)) == 0 { keptIndices.append(i) }
        let masks = try r.raw((keptIndices.count + 1) / 2, "change masks")
        var entities: [EntityState] = []
        entities.reserveCapacity(base.count + 8)
        for (k, i) in keptIndices.enumerated() {
            let m = k % 2 == 0 ? masks[k / 2] & 0x0F : masks[k / 2] >> 4
            var e = base[i]
            if m & smallMove != 0 && m & absoluteMove != 0 { throw DecodeError("both move kinds set", at: r.offset) }
            if m & smallMove != 0 {
                e.x = UInt16(clamping: Int(e.x) + Int(try r.i8("dx")))
                e.y = UInt16(clamping: Int(e.y) + Int(try r.i8("dy")))
            }
            if m & absoluteMove != 0 { e.x = try r.u16("x"); e.y = try r.u16("y") }
            if m & velocity != 0 { e.vx = try r.i16("vx"); e.vy = try r.i16("vy") }
            if m & status != 0 { e.health = try r.u8("health"); e.flags = try r.u8("flags") }
            entities.append(e)
        }
        let addedCount = Int(try r.u16("added count"))
        guard addedCount * EntityState.wireSize <= r.remaining else {
            throw DecodeError("added count \(addedCount) exceeds the message", at: r.offset - 2)
        }
        for _ in 0..<addedCount {
            entities.append(EntityState(id: try r.u32("id"), x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"),
                                        vy: try r.i16("vy"), health: try r.u8("health"), flags: try r.u8("flags")))
        }
        let baseCoins = baseline.coins
        let gone = try r.raw((baseCoins.count + 7) / 8, "coin bitmap")
        var coins: [CoinView] = []
        for i in baseCoins.indices where gone[i / 8] & (1 << UInt8(i % 8)) == 0 { coins.append(baseCoins[i]) }
        let newCount = Int(try r.u16("new coin count"))
        guard newCount * CoinView.wireSize <= r.remaining else {
            throw DecodeError("coin count \(newCount) exceeds the message", at: r.offset - 2)
        }
        for _ in 0..<newCount { coins.append(CoinView(id: try r.u32("coin id"), x: try r.u16("x"), y: try r.u16("y"))) }
        try r.expectEnd("delta snapshot")
        entities.sort { $0.id < $1.id }
        coins.sort { $0.id < $1.id }
        return Snapshot(tick: h.tick, lastInputSequence: h.lastInputSequence, me: h.me, entities: entities, coins: coins)
    }
}
