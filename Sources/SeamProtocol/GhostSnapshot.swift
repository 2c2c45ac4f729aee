/// The v6 snapshot (docs/PROTOCOL.md "Ghost snapshot"): the client keeps a table of slots, each holding one
/// other player, and each snapshot changes the table: slots removed, players added in full, players' motion
/// or health updated. Nothing in it depends on an earlier snapshot having arrived except through the zone's
/// acknowledgement bookkeeping, so decoding costs what changed, not what is in view.
public struct GhostSnapshot: Equatable, Sendable {
    /// One slot's change. For an add, `state` is the whole player; for an update only the fields its mask
    /// names mean anything (`id` is 0).
    public struct Record: Equatable, Sendable {
        public var slot: UInt8
        public var mask: UInt8
        public var state: EntityState

        public init(slot: UInt8, mask: UInt8, state: EntityState) {
            self.slot = slot; self.mask = mask; self.state = state
        }
    }

    public var tick: UInt32
    public var lastInputSequence: UInt32
    /// Empty the table before applying this snapshot.
    public var reset: Bool
    public var me: SelfState
    public var removed: [UInt8]
    public var records: [Record]
    public var coinsRemoved: [UInt32]
    public var coinsAdded: [CoinView]

    public init(tick: UInt32, lastInputSequence: UInt32, reset: Bool, me: SelfState, removed: [UInt8] = [],
                records: [Record] = [], coinsRemoved: [UInt32] = [], coinsAdded: [CoinView] = []) {
        self.tick = tick; self.lastInputSequence = lastInputSequence; self.reset = reset; self.me = me
        self.removed = removed; self.records = records; self.coinsRemoved = coinsRemoved; self.coinsAdded = coinsAdded
    }
}

/// Constants and the header of the v6 ghost snapshot.
public enum GhostCodec {
    /// Record mask bits. An add is exactly `add`; an update is `motion`, `healthFlags` or both.
    public static let add: UInt8 = 0x01
    public static let motion: UInt8 = 0x02
    public static let healthFlags: UInt8 = 0x04
    /// Header flag bit: the client empties its table first.
    public static let resetFlag: UInt8 = 0x01
    /// A client table's slots (a slot is a u8).
    public static let slotCount = 256
    /// Type, tick, last input sequence, flags, self.
    public static let headerSize = 1 + 4 + 4 + 1 + SelfState.wireSize
    /// Bytes of a record: slot and mask, then its fields.
    public static let addSize = 2 + EntityState.wireSize
    public static func recordSize(mask: UInt8) -> Int {
        mask == add ? addSize : 2 + (mask & motion != 0 ? 8 : 0) + (mask & healthFlags != 0 ? 2 : 0)
    }

    public struct Header: Equatable, Sendable {
        public var tick: UInt32
        public var lastInputSequence: UInt32
        public var reset: Bool
        public var me: SelfState
    }

    /// Where a snapshot's sections start, found by checking its whole structure: what `GhostTable.apply`
    /// reads without further checks.
    struct Layout {
        var header: Header
        var removed: Int, removedCount: Int
        var records: Int, recordCount: Int
        var coinsRemoved: Int, coinsRemovedCount: Int
        var coinsAdded: Int, coinsAddedCount: Int
    }

    /// Checks a whole ghost snapshot (type byte included): lengths, counts, masks, nothing after the end.
    static func layout(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> Layout {
        var r = ByteReader(bytes)
        let type = try r.u8("message type")
        guard type == MessageType.ghost.rawValue else {
            throw DecodeError("not a ghost snapshot (type 0x\(String(type, radix: 16)))", at: 0)
        }
        let tick = try r.u32("tick")
        let sequence = try r.u32("input sequence")
        let flags = try r.u8("flags")
        guard flags & ~resetFlag == 0 else { throw DecodeError("unknown ghost snapshot flags 0x\(String(flags, radix: 16))", at: 9) }
        let me = try SelfState.decode(&r)
        let header = Header(tick: tick, lastInputSequence: sequence, reset: flags & resetFlag != 0, me: me)
        let removedCount = Int(try r.u8("removed count"))
        let removed = r.offset
        _ = try r.view(removedCount, "removed slots")
        let recordCount = Int(try r.u8("record count"))
        let records = r.offset
        for _ in 0..<recordCount {
            _ = try r.u8("slot")
            let at = r.offset
            let mask = try r.u8("mask")
            guard mask == add || (mask != 0 && mask & ~(motion | healthFlags) == 0) else {
                throw DecodeError("invalid record mask 0x\(String(mask, radix: 16))", at: at)
            }
            _ = try r.view(recordSize(mask: mask) - 2, "record")
        }
        let coinsRemovedCount = Int(try r.u8("removed coin count"))
        let coinsRemoved = r.offset
        _ = try r.view(coinsRemovedCount * 4, "removed coins")
        let coinsAddedCount = Int(try r.u8("added coin count"))
        let coinsAdded = r.offset
        _ = try r.view(coinsAddedCount * CoinView.wireSize, "added coins")
        try r.expectEnd("ghost snapshot")
        return Layout(header: header, removed: removed, removedCount: removedCount, records: records,
                      recordCount: recordCount, coinsRemoved: coinsRemoved, coinsRemovedCount: coinsRemovedCount,
                      coinsAdded: coinsAdded, coinsAddedCount: coinsAddedCount)
    }
}

extension SelfState {
    static func decode(_ r: inout ByteReader) throws(DecodeError) -> SelfState {
        SelfState(x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"), vy: try r.i16("vy"),
                  health: try r.u8("health"), flags: try r.u8("flags"), coins: try r.u16("coins"),
                  kills: try r.u16("kills"), deaths: try r.u16("deaths"))
    }
}

extension RawWriter {
    /// The receiving player's own state (16 bytes).
    @inline(__always)
    public mutating func me(_ me: SelfState) {
        u16(me.x); u16(me.y); i16(me.vx); i16(me.vy); u8(me.health); u8(me.flags)
        u16(me.coins); u16(me.kills); u16(me.deaths)
    }
}

extension GhostSnapshot {
    /// The message's bytes (type byte included). Counts above 255 trap: a zone never builds such a snapshot.
    public func encode(into w: inout ByteWriter) {
        let size = GhostCodec.headerSize + 4 + removed.count + coinsRemoved.count * 4
            + coinsAdded.count * CoinView.wireSize + records.reduce(0) { $0 + GhostCodec.recordSize(mask: $1.mask) }
        w.append(atMost: size) { w in
            w.u8(MessageType.ghost.rawValue)
            w.u32(tick); w.u32(lastInputSequence); w.u8(reset ? GhostCodec.resetFlag : 0)
            w.me(me)
            w.u8(UInt8(removed.count))
            for s in removed { w.u8(s) }
            w.u8(UInt8(records.count))
            for r in records { GhostWriter.record(r.slot, mask: r.mask, r.state, into: &w) }
            w.u8(UInt8(coinsRemoved.count))
            for id in coinsRemoved { w.u32(id) }
            w.u8(UInt8(coinsAdded.count))
            for c in coinsAdded { w.coin(c) }
        }
    }

    /// Decodes a whole ghost snapshot (type byte included) into a value.
    static func decodeBody(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> GhostSnapshot {
        let l = try GhostCodec.layout(bytes)
        var r = ByteReader(bytes)
        var s = GhostSnapshot(tick: l.header.tick, lastInputSequence: l.header.lastInputSequence,
                              reset: l.header.reset, me: l.header.me)
        // Checked by `layout`: none of these reads can fail.
        _ = try r.view(l.removed, "header")
        s.removed = Array(try r.view(l.removedCount, "removed"))
        _ = try r.u8("record count")
        for _ in 0..<l.recordCount {
            let slot = try r.u8("slot"), mask = try r.u8("mask")
            var e = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)
            if mask == GhostCodec.add {
                e = EntityState(id: try r.u32("id"), x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"),
                                vy: try r.i16("vy"), health: try r.u8("health"), flags: try r.u8("flags"))
            } else {
                if mask & GhostCodec.motion != 0 {
                    e.x = try r.u16("x"); e.y = try r.u16("y"); e.vx = try r.i16("vx"); e.vy = try r.i16("vy")
                }
                if mask & GhostCodec.healthFlags != 0 { e.health = try r.u8("health"); e.flags = try r.u8("flags") }
            }
            s.records.append(Record(slot: slot, mask: mask, state: e))
        }
        _ = try r.u8("removed coin count")
        for _ in 0..<l.coinsRemovedCount { s.coinsRemoved.append(try r.u32("coin id")) }
        _ = try r.u8("added coin count")
        for _ in 0..<l.coinsAddedCount {
            s.coinsAdded.append(CoinView(id: try r.u32("coin id"), x: try r.u16("x"), y: try r.u16("y")))
        }
        return s
    }
}

/// Writes records as the zone builds a ghost snapshot.
public enum GhostWriter {
    /// One record: an add writes the whole `state`, an update the fields its mask names.
    @inlinable @inline(__always)
    public static func record(_ slot: UInt8, mask: UInt8, _ e: EntityState, into w: inout RawWriter) {
        w.u8(slot); w.u8(mask)
        if mask == GhostCodec.add {
            w.entity(e)
            return
        }
        if mask & GhostCodec.motion != 0 { w.u16(e.x); w.u16(e.y); w.i16(e.vx); w.i16(e.vy) }
        if mask & GhostCodec.healthFlags != 0 { w.u8(e.health); w.u8(e.flags) }
    }
}
