extension DeltaCodec {
    /// `apply` for a client that decodes thousands of deltas a second (the bot swarm): the frame is rebuilt
    /// in `frame`'s own arrays, which keep their capacity, so once they have grown nothing is allocated. The
    /// baseline's checksum is the caller's, and the rebuilt frame's is returned with the header: computed as
    /// its entities are decoded, it costs little more than the decoding, where `checksum` afterwards would
    /// be a second pass over the frame.
    ///
    /// Gives exactly what `apply` gives (the tick, entities and coins of its snapshot in `frame`, the rest in
    /// the header) and throws exactly when it throws; after a throw `frame` holds nothing meaningful.
    /// `baselineChecksum` must be `baseline.checksum`.
    public static func apply(_ bytes: UnsafeRawBufferPointer, baseline: SnapshotFrame, baselineChecksum: UInt16,
                             into frame: inout SnapshotFrame) throws(DecodeError) -> (header: Header, checksum: UInt16) {
        assert(baselineChecksum == baseline.checksum, "baselineChecksum is not the baseline's")
        return try baseline.entities.withUnsafeBufferPointer { entities throws(DecodeError) in
            try baseline.coins.withUnsafeBufferPointer { coins throws(DecodeError) in
                try apply(bytes, baselineTick: baseline.tick, entities: entities, coins: coins,
                          baselineChecksum: baselineChecksum, into: &frame)
            }
        }
    }

    /// `apply` with the baseline frame as its tick and buffers of its entities and coins (in id order), for a
    /// caller that keeps its frames in a pool (the swarm's `BaselineRing`): passing the frame itself cost a
    /// retain and a release of each of its arrays per delta, each a locked instruction.
    public static func apply(_ bytes: UnsafeRawBufferPointer, baselineTick: UInt32,
                             entities base: UnsafeBufferPointer<EntityState>, coins baseCoins: UnsafeBufferPointer<CoinView>,
                             baselineChecksum: UInt16,
                             into frame: inout SnapshotFrame) throws(DecodeError) -> (header: Header, checksum: UInt16) {
        var r = ByteReader(bytes)
        guard try r.u8("message type") == MessageType.delta.rawValue else { throw DecodeError("not a delta snapshot", at: 0) }
        let h = try readHeader(&r)
        guard h.baselineTick == baselineTick, h.baselineChecksum == baselineChecksum else {
            throw DecodeError("baseline \(h.baselineTick) is not the frame given (tick \(baselineTick))", at: 5)
        }
        frame.tick = h.tick
        var hasher = try readEntities(&r, baseline: base, ticks: h.tick &- h.baselineTick, into: &frame.entities)
        try readCoins(&r, baseline: baseCoins, into: &frame.coins)
        try r.expectEnd("delta snapshot")
        hasher.endEntities()
        for c in frame.coins { hasher.add(c) }
        return (h, hasher.value)
    }

    /// How many of `count` baseline items a removed bitmap keeps (bits past `count` are ignored).
    private static func keptCount(_ removed: UnsafeRawBufferPointer, of count: Int) -> Int {
        var gone = 0
        for b in removed.indices {
            let valid = UInt8(truncatingIfNeeded: (1 << min(8, count - b * 8)) - 1)
            gone += (removed[b] & valid).nonzeroBitCount
        }
        return count - gone
    }

    /// Returns the checksum of the entities so far.
    private static func readEntities(_ r: inout ByteReader, baseline b: UnsafeBufferPointer<EntityState>, ticks: UInt32,
                                     into entities: inout [EntityState]) throws(DecodeError) -> FrameChecksum {
        let removed = try r.view((b.count + 7) / 8, "removed bitmap")
        let kept = keptCount(removed, of: b.count)
        let masks = try r.view((kept + 1) / 2, "change masks")
        // The kept entities are decoded from the baseline straight into place, the frame resized first
        // without clearing (what it held is overwritten): appending them one by one would check the array's
        // uniqueness and capacity at each.
        if entities.count > kept {
            entities.removeLast(entities.count - kept)
        } else if entities.count < kept {
            let blank = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0)
            entities.append(contentsOf: repeatElement(blank, count: kept - entities.count))
        }
        // The checksum before every `checkpointStride`-th kept entity, so that added entities sorted in
        // among the kept ones cost a rehash from the checkpoint before the first of them, not from the start.
        var checkpoints = InlineArray<32, FrameChecksum>(repeating: FrameChecksum())
        let updated = entities.withUnsafeMutableBufferPointer { p in
            Result { () throws(DecodeError) -> FrameChecksum in
                // Decoded first, hashed after in a loop of its own: with both in one loop the checksum was
                // kept in memory across the reads that may throw. A carried entity (mask 0, most of a busy
                // zone's) reads nothing: only its prediction is worked out.
                var k = 0
                let bytes = r.bytes
                var offset = r.offset
                for i in b.indices where removed[i / 8] & (1 << UInt8(i % 8)) == 0 {
                    let m = k % 2 == 0 ? masks[k / 2] & 0x0F : masks[k / 2] >> 4
                    if m & extended == 0 && bytes.count - offset >= 8 {
                        let next = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
                        let (e, length) = readShortKept(b[i], mask: m, ticks: ticks, next: next)
                        p[k] = e
                        offset &+= length
                    } else {
                        // An extension byte (a status change or a new velocity: rare), or the message's last
                        // bytes, which the branch-free form must not read past.
                        r.seek(to: offset)
                        p[k] = try readKept(b[i], mask: m, ticks: ticks, &r)
                        offset = r.offset
                    }
                    k += 1
                }
                r.seek(to: offset)
                var hasher = FrameChecksum()
                for k in 0..<kept {
                    if k % checkpointStride == 0 && k / checkpointStride < checkpoints.count {
                        checkpoints[k / checkpointStride] = hasher
                    }
                    hasher.add(p[k])
                }
                return hasher
            }
        }
        var hasher = try updated.get()
        let addedCount = Int(try r.u16("added count"))
        guard addedCount * EntityState.wireSize <= r.remaining else {
            throw DecodeError("added count \(addedCount) exceeds the message", at: r.offset - 2)
        }
        entities.reserveCapacity(kept + addedCount)
        for _ in 0..<addedCount {
            let e = EntityState(id: try r.u32("id"), x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"),
                                vy: try r.i16("vy"), health: try r.u8("health"), flags: try r.u8("flags"))
            entities.append(e)
            hasher.add(e)
        }
        // Added entities out of id order (usually some are) reorder the frame from the first kept entity
        // that now has an added one before it: the checksum goes back to the checkpoint before that.
        if let first = sortByID(&entities, id: { $0.id }) {
            // The last checkpoint taken is before kept entity (kept - 1) rounded down to the stride.
            let c = min(min(first, max(kept - 1, 0)) / checkpointStride, checkpoints.count - 1)
            hasher = checkpoints[c]
            for e in entities[(c * checkpointStride)...] { hasher.add(e) }
        }
        return hasher
    }

    static let checkpointStride = 8

    /// `readKept` for a mask without the extension bit, without a branch on the mask: `next` holds the next
    /// eight bytes of the message (little-endian), of which the entity's fields take the first `length`
    /// (at most six). Every field is decoded whether the mask has it or not and the mask picks among them
    /// (conditional moves): a busy zone's deltas mix carried entities (mask 0) and changed ones of several
    /// kinds in no order the processor can predict; the branches per field mispredicted 12.7 M times per
    /// 10 s in a 1,000-bot swarm, 5.3 M this way (its user cycles -8%).
    @inline(__always)
    static func readShortKept(_ old: EntityState, mask m: UInt8, ticks: UInt32,
                              next: UInt64) -> (state: EntityState, length: Int) {
        // Written as arithmetic on 0/1 flags and all-ones masks: with `?:` or clamping initializers the
        // compiler emitted a jump per choice, the very mispredictions this avoids.
        @inline(__always) func all(_ b: Bool) -> Int { -Int(flag(b)) }
        @inline(__always) func pick(_ b: Int, _ yes: Int, _ no: Int) -> Int { no ^ ((yes ^ no) & b) }
        @inline(__always) func clamp(_ v: Int, _ low: Int, _ high: Int) -> Int { Swift.min(Swift.max(v, low), high) }
        let step = all(m & velocityStep != 0)
        let dvx = Int(Int8(truncatingIfNeeded: next)) & step, dvy = Int(Int8(truncatingIfNeeded: next >> 8)) & step
        let vx = clamp(Int(old.vx) &+ dvx, Int(Int16.min), Int(Int16.max))
        let vy = clamp(Int(old.vy) &+ dvy, Int(Int16.min), Int(Int16.max))
        // The position's bytes follow the velocity step's, if any.
        let rest = next >> (UInt64(flag(m & velocityStep != 0)) &* 16)
        let b0 = Int(truncatingIfNeeded: rest & 0xFF), b1 = Int(truncatingIfNeeded: rest >> 8 & 0xFF)
        let kind = m & (residual | wide)
        // residual: a nibble each; residual + wide: a signed byte each; wide alone: both coordinates in full.
        let nibbleX = (b0 << 60) >> 60, nibbleY = (b0 << 56) >> 60
        let byteX = (b0 << 56) >> 56, byteY = (b1 << 56) >> 56
        let isNibble = all(kind == residual), isByte = all(kind == residual | wide), isWide = all(kind == wide)
        let offX = (nibbleX & isNibble) | (byteX & isByte), offY = (nibbleY & isNibble) | (byteY & isByte)
        let px = clamp(predict(old.x, Int16(truncatingIfNeeded: vx), ticks: ticks) &+ offX, 0, Int(UInt16.max))
        let py = clamp(predict(old.y, Int16(truncatingIfNeeded: vy), ticks: ticks) &+ offY, 0, Int(UInt16.max))
        let x = pick(isWide, Int(truncatingIfNeeded: rest & 0xFFFF), px)
        let y = pick(isWide, Int(truncatingIfNeeded: rest >> 16 & 0xFFFF), py)
        // Bytes by position kind (none, residual 1, wide 4, both 2), a nibble each, plus the velocity step's 2.
        let length = Int(truncatingIfNeeded: 0x2410 >> (UInt32(kind) &* 4) & 0xF) &+ (step & 2)
        return (EntityState(id: old.id, x: UInt16(truncatingIfNeeded: x), y: UInt16(truncatingIfNeeded: y),
                            vx: Int16(truncatingIfNeeded: vx), vy: Int16(truncatingIfNeeded: vy),
                            health: old.health, flags: old.flags), length)
    }

    /// A kept entity's new state: its baseline state `old` changed as mask `m` says (both decoders use it).
    @inline(__always)
    static func readKept(_ old: EntityState, mask m: UInt8, ticks: UInt32,
                                 _ r: inout ByteReader) throws(DecodeError) -> EntityState {
        var e = old
        let ext = m & extended != 0 ? try r.u8("extension") : 0
        if m & velocityStep != 0 && ext & extVelocity != 0 {
            throw DecodeError("both velocity kinds set", at: r.offset)
        }
        if m & velocityStep != 0 {
            e.vx = Int16(clamping: Int(e.vx) + Int(try r.i8("dvx")))
            e.vy = Int16(clamping: Int(e.vy) + Int(try r.i8("dvy")))
        }
        if ext & extVelocity != 0 { e.vx = try r.i16("vx"); e.vy = try r.i16("vy") }
        let px = predict(e.x, e.vx, ticks: ticks), py = predict(e.y, e.vy, ticks: ticks)
        if m & residual != 0 && m & wide == 0 {
            let b = try r.u8("residual")
            let rx = Int(Int8(bitPattern: b << 4) >> 4), ry = Int(Int8(bitPattern: b & 0xF0) >> 4)
            e.x = UInt16(clamping: px + rx); e.y = UInt16(clamping: py + ry)
        } else if m & residual != 0 {
            e.x = UInt16(clamping: px + Int(try r.i8("dx"))); e.y = UInt16(clamping: py + Int(try r.i8("dy")))
        } else if m & wide != 0 {
            e.x = try r.u16("x"); e.y = try r.u16("y")
        } else {
            e.x = UInt16(clamping: px); e.y = UInt16(clamping: py)
        }
        if ext & extStatus != 0 { e.health = try r.u8("health"); e.flags = try r.u8("flags") }
        return e
    }

    private static func readCoins(_ r: inout ByteReader, baseline base: UnsafeBufferPointer<CoinView>,
                                  into coins: inout [CoinView]) throws(DecodeError) {
        let gone = try r.view((base.count + 7) / 8, "coin bitmap")
        coins.removeAll(keepingCapacity: true)
        for i in base.indices where gone[i / 8] & (1 << UInt8(i % 8)) == 0 { coins.append(base[i]) }
        let newCount = Int(try r.u16("new coin count"))
        guard newCount * CoinView.wireSize <= r.remaining else {
            throw DecodeError("coin count \(newCount) exceeds the message", at: r.offset - 2)
        }
        for _ in 0..<newCount { coins.append(CoinView(id: try r.u32("coin id"), x: try r.u16("x"), y: try r.u16("y"))) }
        sortByID(&coins) { $0.id }
    }

    /// Sorts by id, stably, as `sort { $0.id < $1.id }` does, for arrays nearly sorted already: a delta's kept
    /// items come in baseline order and only the few added ones are out of place, so an insertion sort moves
    /// little and needs no scratch buffer. Past a few moves per item it hands over to `sort`.
    /// Returns the first index whose item changed, nil when none moved.
    @discardableResult
    static func sortByID<T>(_ items: inout [T], id: (T) -> UInt32) -> Int? {
        var moves = 0
        var first: Int?
        let finished = items.withUnsafeMutableBufferPointer { p -> Bool in
            for j in p.indices.dropFirst() where id(p[j - 1]) > id(p[j]) {
                let item = p[j], key = id(item)
                var k = j
                while k > 0 && id(p[k - 1]) > key {
                    p[k] = p[k - 1]
                    k -= 1
                }
                p[k] = item
                first = min(first ?? k, k)
                moves += j - k
                if moves > 4 * p.count { return false }
            }
            return true
        }
        if !finished {
            items.sort { id($0) < id($1) }
            return 0
        }
        return first
    }
}
