/// How a kept entity changed against its baseline state in a delta: the 4-bit mask and the extension byte
/// (docs/PROTOCOL.md, "Delta snapshot"). `carried` (mask 0) means the client predicts it from its baseline.
public struct EntityChange: Equatable, Sendable {
    public var mask: UInt8
    public var ext: UInt8

    @inlinable
    public init(mask: UInt8, ext: UInt8) { self.mask = mask; self.ext = ext }

    public static let carried = EntityChange(mask: 0, ext: 0)

    /// Bytes the change takes after its mask nibble.
    @inlinable
    public var cost: Int {
        var n = mask & DeltaCodec.extended != 0 ? 1 : 0
        if mask & DeltaCodec.velocityStep != 0 { n += 2 }
        if ext & DeltaCodec.extVelocity != 0 { n += 4 }
        if mask & DeltaCodec.residual != 0 { n += mask & DeltaCodec.wide != 0 ? 2 : 1 }
        else if mask & DeltaCodec.wide != 0 { n += 4 }
        if ext & DeltaCodec.extStatus != 0 { n += 2 }
        return n
    }
}

/// Writes delta snapshots (message `0x8B`) and keeps its scratch space between them, so a zone encoding one
/// per client per tick allocates nothing once warm. `DeltaCodec.encode` is the one-off form.
public struct DeltaEncoder {
    /// Kept entities as (baseline index, current index), in id order.
    private var kept: [(base: Int32, current: Int32)] = []
    private var keptChanges: [EntityChange] = []
    private var added: [Int32] = []
    private var removed: [UInt8] = []
    private var masks: [UInt8] = []
    private var goneCoins: [UInt8] = []
    private var newCoins: [Int32] = []

    public init() {}

    /// Writes the delta of `current` against `baseline`, whose checksum the caller passes (a zone computes it
    /// once, when the frame is made). `changes`, when given, holds each current entity's change against its
    /// baseline state, index for index with `current.entities` (entries of entities new to the baseline are
    /// ignored): the caller already computed them to choose what to send. Without it they are computed here.
    public mutating func encode(
        _ current: SnapshotFrame, lastInputSequence: UInt32, me: SelfState, baseline: SnapshotFrame,
        baselineChecksum: UInt16, changes: [EntityChange]? = nil, into w: inout ByteWriter
    ) {
        let tick = current.tick, ticks = tick &- baseline.tick
        let base = baseline.entities, cur = current.entities
        if let changes { precondition(changes.count == cur.count, "one change per current entity") }
        w.reset()
        w.u8(MessageType.delta.rawValue)
        w.u32(tick); w.u32(baseline.tick); w.u16(baselineChecksum); w.u32(lastInputSequence)
        w.u16(me.x); w.u16(me.y); w.i16(me.vx); w.i16(me.vy)
        w.u8(me.health); w.u8(me.flags); w.u16(me.coins); w.u16(me.kills); w.u16(me.deaths)

        // Entities: a removed-bitmap over the baseline, 4-bit change masks for the kept ones, their fields,
        // then the new ones in full.
        kept.removeAll(keepingCapacity: true)
        keptChanges.removeAll(keepingCapacity: true)
        added.removeAll(keepingCapacity: true)
        Self.clear(&removed, count: (base.count + 7) / 8)
        var i = 0, j = 0
        while i < base.count || j < cur.count {
            if j == cur.count || (i < base.count && base[i].id < cur[j].id) {
                removed[i >> 3] |= 1 << UInt8(i & 7); i += 1
            } else if i == base.count || cur[j].id < base[i].id {
                added.append(Int32(j)); j += 1
            } else {
                kept.append((Int32(i), Int32(j)))
                keptChanges.append(changes?[j] ?? DeltaCodec.change(base[i], cur[j], ticks: ticks))
                i += 1; j += 1
            }
        }
        w.raw(removed)
        Self.clear(&masks, count: (kept.count + 1) / 2)
        for k in keptChanges.indices {
            masks[k >> 1] |= k & 1 == 0 ? keptChanges[k].mask : keptChanges[k].mask << 4
        }
        w.raw(masks)
        for k in kept.indices {
            let old = base[Int(kept[k].base)], new = cur[Int(kept[k].current)]
            let m = keptChanges[k].mask, ext = keptChanges[k].ext
            if m & DeltaCodec.extended != 0 { w.u8(ext) }
            if m & DeltaCodec.velocityStep != 0 {
                w.i8(Int8(Int(new.vx) - Int(old.vx))); w.i8(Int8(Int(new.vy) - Int(old.vy)))
            }
            if ext & DeltaCodec.extVelocity != 0 { w.i16(new.vx); w.i16(new.vy) }
            if m & DeltaCodec.residual != 0 {
                let rx = Int(new.x) - DeltaCodec.predict(old.x, new.vx, ticks: ticks)
                let ry = Int(new.y) - DeltaCodec.predict(old.y, new.vy, ticks: ticks)
                if m & DeltaCodec.wide == 0 {
                    w.u8(UInt8(rx & 0x0F) | UInt8(ry & 0x0F) << 4)
                } else {
                    w.i8(Int8(rx)); w.i8(Int8(ry))
                }
            } else if m & DeltaCodec.wide != 0 {
                w.u16(new.x); w.u16(new.y)
            }
            if ext & DeltaCodec.extStatus != 0 { w.u8(new.health); w.u8(new.flags) }
        }
        w.u16(UInt16(added.count))
        for a in added { w.entity(cur[Int(a)]) }

        // Coins: a removed-or-moved bitmap over the baseline, then the added (or moved) ones in full.
        let baseCoins = baseline.coins, curCoins = current.coins
        Self.clear(&goneCoins, count: (baseCoins.count + 7) / 8)
        newCoins.removeAll(keepingCapacity: true)
        i = 0; j = 0
        while i < baseCoins.count || j < curCoins.count {
            if j == curCoins.count || (i < baseCoins.count && baseCoins[i].id < curCoins[j].id) {
                goneCoins[i >> 3] |= 1 << UInt8(i & 7); i += 1
            } else if i == baseCoins.count || curCoins[j].id < baseCoins[i].id {
                newCoins.append(Int32(j)); j += 1
            } else {
                if baseCoins[i] != curCoins[j] {
                    goneCoins[i >> 3] |= 1 << UInt8(i & 7)
                    newCoins.append(Int32(j))
                }
                i += 1; j += 1
            }
        }
        w.raw(goneCoins)
        w.u16(UInt16(newCoins.count))
        for c in newCoins { w.coin(curCoins[Int(c)]) }
    }

    /// `count` zero bytes in `bytes`, keeping its storage.
    private static func clear(_ bytes: inout [UInt8], count: Int) {
        bytes.removeAll(keepingCapacity: true)
        bytes.append(contentsOf: repeatElement(0, count: count))
    }
}
