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

    /// A frame of entities already sorted by id (not copied: the zone builds them sorted every tick).
    public init(tick: UInt32, sortedEntities: [EntityState], coins: [CoinView]) {
        assert(zip(sortedEntities, sortedEntities.dropFirst()).allSatisfy { $0.id < $1.id }, "entities not sorted by id")
        self.tick = tick
        self.entities = sortedEntities
        self.coins = coins.sorted { $0.id < $1.id }
    }

    /// A frame of entities and coins both already sorted by id (neither is copied).
    public init(tick: UInt32, sortedEntities: [EntityState], sortedCoins: [CoinView]) {
        assert(zip(sortedEntities, sortedEntities.dropFirst()).allSatisfy { $0.id < $1.id }, "entities not sorted by id")
        assert(zip(sortedCoins, sortedCoins.dropFirst()).allSatisfy { $0.id < $1.id }, "coins not sorted by id")
        self.tick = tick
        self.entities = sortedEntities
        self.coins = sortedCoins
    }

    /// 16 bits of a hash over the frame's content: a delta names its baseline by tick *and*
    /// checksum, so a client never applies a delta to a different frame of the same tick. Both ends compute
    /// it for every frame they keep (docs/PROTOCOL.md, "Baseline checksum").
    public var checksum: UInt16 {
        entities.withUnsafeBufferPointer { entities in
            coins.withUnsafeBufferPointer { DeltaEncoder.Frame(tick: tick, entities: entities, coins: $0).checksum }
        }
    }
}

/// The baseline checksum, fed a frame's entities in id order, then its coins in id order, as they come (a
/// decoder can hash a frame while it rebuilds it). docs/PROTOCOL.md, "Baseline checksum".
public struct FrameChecksum: Sendable {
    private var h: UInt64 = 0x811C_9DC5

    @inlinable
    public init() {}

    @usableFromInline static let k1: UInt64 = 0x9E37_79B9_7F4A_7C15
    @usableFromInline static let k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F

    /// Each value enters with one rotation and one exclusive or: the hash's own dependency chain is two
    /// instructions per entity, and the multiplications that mix a value (one per word) overlap from one
    /// value to the next. (v3 chained four multiplications per entity; at one checksum per client per tick
    /// that was 3% of a busy zone.)
    @inline(__always)
    private mutating func feed(_ v: UInt64) {
        h = (h << 17 | h >> 47) ^ v
    }

    @inline(__always)
    public mutating func add(_ e: EntityState) {
        let a = UInt64(e.id) | UInt64(e.x) << 32 | UInt64(e.y) << 48
        let b = UInt64(UInt16(bitPattern: e.vx)) | UInt64(UInt16(bitPattern: e.vy)) << 16
            | UInt64(e.health) << 32 | UInt64(e.flags) << 40
        feed(a &* Self.k1 ^ b &* Self.k2)
    }

    /// Between the entities and the coins.
    public mutating func endEntities() { feed(.max) }

    public mutating func add(_ c: CoinView) {
        feed((UInt64(c.id) | UInt64(c.x) << 32 | UInt64(c.y) << 48) &* Self.k2)
    }

    public var value: UInt16 {
        var x = h ^ h >> 32
        x = x &* Self.k1
        return UInt16(truncatingIfNeeded: x >> 48)
    }
}

/// Delta snapshots (message `0x8B`): the entities and coins of a snapshot encoded against a baseline frame
/// the client acknowledged. See docs/PROTOCOL.md, "Delta snapshot".
public enum DeltaCodec {
    /// Entity change bits, 4 per kept baseline entity. Positions are sent as a residual against the
    /// position predicted from the baseline and the (new) velocity: `1` alone, i4 pair in one byte; `1|2`,
    /// i8 pair; `2` alone, absolute u16 pair. `4`: velocity as an i8 pair of deltas. `8`: an extension
    /// byte follows, `1` velocity absolute (i16 pair), `2` health and flags.
    @usableFromInline static let residual: UInt8 = 1
    @usableFromInline static let wide: UInt8 = 2
    @usableFromInline static let velocityStep: UInt8 = 4
    @usableFromInline static let extended: UInt8 = 8
    @usableFromInline static let extVelocity: UInt8 = 1
    @usableFromInline static let extStatus: UInt8 = 2

    /// Where an entity would be after `ticks` at velocity (vx, vy): position units are 1/64 tile,
    /// velocity 1/256 tile/s, a tick 1/20 s, so a tick moves vx / 80 units (rounded half away from zero).
    @inlinable @inline(__always)
    static func predict(_ x: UInt16, _ v: Int16, ticks: UInt32) -> Int {
        // Wrapping operations: |v| * 64 cannot overflow, and overflow checks were a branch each.
        let n = Int(v) &* Int(min(ticks, 64))
        // Rounded half away from zero without a branch on the velocity's sign (a coin toss per coordinate
        // per entity): |n| is rounded, then the sign is put back.
        let sign = n >> 63, magnitude = UInt(bitPattern: (n ^ sign) &- sign)
        let rounded = Int(bitPattern: (magnitude &+ 40) / 80)
        return Int(x) &+ ((rounded ^ sign) &- sign)
    }

    /// A kept entity's change from `old` (baseline) to `new`, `ticks` after the baseline: its mask nibble
    /// and extension byte.
    @inlinable @inline(__always)
    public static func change(_ old: EntityState, _ new: EntityState, ticks: UInt32) -> EntityChange {
        // Without a branch: a zone prices changes per member per client per tick, and each test's outcome is
        // data the processor cannot predict. Every test is a 0/1 byte combined with `&`, `|` and `*`: with
        // `&&`, `||` or `?:` the compiler emitted a jump per test, and the mispredictions made this 5% of a
        // busy zone.
        let dvx = Int(new.vx) &- Int(old.vx), dvy = Int(new.vy) &- Int(old.vy)
        let rx = Int(new.x) &- predict(old.x, new.vx, ticks: ticks)
        let ry = Int(new.y) &- predict(old.y, new.vy, ticks: ticks)
        let velocityChanged = flag(dvx | dvy != 0), smallStep = flag(fits(dvx, dvy, bits: 8))
        // Position kind: 0 predicted, 1 an i4 pair (residual), 3 an i8 pair (residual | wide), 2 absolute.
        let moved = flag(rx | ry != 0), nibble = flag(fits(rx, ry, bits: 4)), byte = flag(fits(rx, ry, bits: 8))
        let kind = moved &* (2 &+ byte &- 2 &* nibble)
        let statusChanged = flag((old.health ^ new.health) | (old.flags ^ new.flags) != 0)
        let ext = (velocityChanged & (1 ^ smallStep)) &* extVelocity | statusChanged &* extStatus
        let mask = kind | (velocityChanged & smallStep) &* velocityStep | flag(ext != 0) &* extended
        return EntityChange(mask: mask, ext: ext)
    }

    /// Whether `a` and `b` are both signed `bits`-bit values, without a branch.
    @inlinable @inline(__always)
    static func fits(_ a: Int, _ b: Int, bits: Int) -> Bool {
        UInt(bitPattern: a &+ 1 << (bits - 1)) | UInt(bitPattern: b &+ 1 << (bits - 1)) < 1 << bits
    }

    /// 1 for true, 0 for false: a Bool's own byte, so no branch can come of it.
    @inlinable @inline(__always)
    static func flag(_ b: Bool) -> UInt8 { unsafeBitCast(b, to: UInt8.self) }

    /// The state a client decodes for a kept entity with change mask 0: the baseline state `ticks` later,
    /// its position moved by its velocity (as `predict` computes it), everything else unchanged. A zone that
    /// *carries* an entity instead of sending its fresh state records exactly this in its frame.
    @inlinable @inline(__always)
    public static func carried(_ e: EntityState, ticks: UInt32) -> EntityState {
        var c = e
        c.x = UInt16(clamping: predict(e.x, e.vx, ticks: ticks))
        c.y = UInt16(clamping: predict(e.y, e.vy, ticks: ticks))
        return c
    }

    /// Bytes a kept entity's change from `old` (baseline) to `new` takes after its mask nibble: 0 when `new`
    /// is `carried(old, ticks:)`.
    public static func cost(from old: EntityState, to new: EntityState, ticks: UInt32) -> Int {
        change(old, new, ticks: ticks).cost
    }

    /// Bytes before the entity section: type, tick, baseline tick, baseline checksum, input sequence, self.
    public static let headerSize = 1 + 4 + 4 + 2 + 4 + SelfState.wireSize

    /// Writes the delta message for `current` (tick, input sequence, self, entities, coins in any order)
    /// against `baseline`.
    public static func encode(tick: UInt32, lastInputSequence: UInt32, me: SelfState, entities: [EntityState],
                              coins: [CoinView], baseline: SnapshotFrame, into w: inout ByteWriter) {
        encode(SnapshotFrame(tick: tick, entities: entities, coins: coins), lastInputSequence: lastInputSequence,
               me: me, baseline: baseline, into: &w)
    }

    /// The same, from a frame already sorted. A zone encoding every tick keeps a `DeltaEncoder` instead,
    /// which reuses its scratch space and takes changes it already knows.
    public static func encode(_ current: SnapshotFrame, lastInputSequence: UInt32, me: SelfState,
                              baseline: SnapshotFrame, into w: inout ByteWriter) {
        var encoder = DeltaEncoder()
        encoder.encode(current, lastInputSequence: lastInputSequence, me: me, baseline: baseline,
                       baselineChecksum: baseline.checksum, into: &w)
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
        let ticks = h.tick &- h.baselineTick
        for (k, i) in keptIndices.enumerated() {
            let m = k % 2 == 0 ? masks[k / 2] & 0x0F : masks[k / 2] >> 4
            let e = try readKept(base[i], mask: m, ticks: ticks, &r)
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
