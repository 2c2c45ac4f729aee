import SeamWorld
import SeamProtocol
import SeamTesting
import Testing

/// Delta snapshots: decode(encode(x, baseline), baseline) == x for random states, and a wrong or missing
/// baseline is refused instead of corrupting the view.
@Suite struct DeltaCodecTests {
    static let me = SelfState(x: 100, y: 200, vx: 3, vy: -4, health: 75, flags: 1, coins: 2, kills: 1, deaths: 0)

    func randomEntity(_ id: UInt32, _ rng: inout SplitMix64) -> EntityState {
        EntityState(id: id, x: UInt16.random(in: 0...65535, using: &rng), y: UInt16.random(in: 0...65535, using: &rng),
                    vx: Int16.random(in: -2000...2000, using: &rng), vy: Int16.random(in: -2000...2000, using: &rng),
                    health: UInt8.random(in: 0...100, using: &rng), flags: UInt8.random(in: 0...3, using: &rng))
    }

    /// `next` is `base` moved on: some entities gone, some new, the rest changed in random ways.
    func evolve(_ base: [EntityState], _ rng: inout SplitMix64, nextId: inout UInt32) -> [EntityState] {
        var out: [EntityState] = []
        for var e in base {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: continue  // gone
            case 1...5:  // a small move
                e.x = UInt16(clamping: Int(e.x) + Int.random(in: -128...127, using: &rng))
                e.y = UInt16(clamping: Int(e.y) + Int.random(in: -128...127, using: &rng))
            case 6: e.x = UInt16.random(in: 0...65535, using: &rng)  // a jump
            case 7: e.vx = Int16.random(in: -2000...2000, using: &rng); e.health = UInt8.random(in: 0...100, using: &rng)
            default: break  // unchanged
            }
            out.append(e)
        }
        for _ in 0..<Int.random(in: 0...5, using: &rng) {
            out.append(randomEntity(nextId, &rng))
            nextId += 1
        }
        out.shuffle(using: &rng)
        return out
    }

    /// The baseline checksum as docs/PROTOCOL.md states it, written from the text alone.
    static func documentedChecksum(_ frame: SnapshotFrame) -> UInt16 {
        let k1: UInt64 = 0x9E37_79B9_7F4A_7C15, k2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        var values: [UInt64] = []
        for e in frame.entities {
            let a = UInt64(e.id) | UInt64(e.x) << 32 | UInt64(e.y) << 48
            let b = UInt64(UInt16(bitPattern: e.vx)) | UInt64(UInt16(bitPattern: e.vy)) << 16
                | UInt64(e.health) << 32 | UInt64(e.flags) << 40
            values.append((a &* k1) ^ (b &* k2))
        }
        values.append(0xFFFF_FFFF_FFFF_FFFF)
        for c in frame.coins { values.append((UInt64(c.id) | UInt64(c.x) << 32 | UInt64(c.y) << 48) &* k2) }
        var h: UInt64 = 0x811C_9DC5
        for v in values { h = h.rotated(by: 17) ^ v }
        return UInt16(truncatingIfNeeded: ((h ^ h >> 32) &* k1) >> 48)
    }

    @Test func checksumIsTheDocumentedHash() {
        #expect(SnapshotFrame(tick: 1, entities: [], coins: []).checksum == 0x996E, "the document's example")
        var rng = SplitMix64(seed: 5)
        for n in 0..<40 {
            let frame = SnapshotFrame(tick: UInt32(n), entities: (0..<n).map { randomEntity(UInt32($0 * 3 + 1), &rng) },
                                      coins: (0..<n % 7).map { CoinView(id: UInt32($0), x: UInt16($0 * 9), y: 7) })
            #expect(frame.checksum == Self.documentedChecksum(frame))
        }
    }

    /// The change mask and extension byte as docs/PROTOCOL.md states them, test by test, and the carried
    /// position as the rounding it names: the codec's branch-free forms must agree on every input.
    /// `EntityChange.cost` against the field sizes of docs/PROTOCOL.md ("Delta snapshot", changes), for
    /// every mask and extension: the extension byte (mask bit 8), the velocity step (bit 4, i8 pair), the full
    /// velocity (`e & 1`, i16 pair), the position (bits 1 only: a byte; 1|2: i8 pair; 2 only: u16 pair) and
    /// the status (`e & 2`, two bytes).
    @Test func costIsTheDocumentedFieldSizes() {
        for mask in UInt8(0)...15 {
            for ext in UInt8(0)...3 {
                var bytes = 0
                if mask & 8 != 0 { bytes += 1 }
                if mask & 4 != 0 { bytes += 2 }
                if ext & 1 != 0 { bytes += 4 }
                switch mask & 3 {
                case 1: bytes += 1
                case 3: bytes += 2
                case 2: bytes += 4
                default: break
                }
                if ext & 2 != 0 { bytes += 2 }
                #expect(EntityChange(mask: mask, ext: ext).cost == bytes, "mask \(mask) ext \(ext)")
            }
        }
    }

    @Test func changeAndCarriedFollowTheDocumentedRule() {
        func predicted(_ x: UInt16, _ v: Int16, _ ticks: UInt32) -> Int {
            Int(x) + Int((Double(Int(v) * Int(min(ticks, 64))) / 80).rounded(.toNearestOrAwayFromZero))
        }
        func documented(_ old: EntityState, _ new: EntityState, _ ticks: UInt32) -> EntityChange {
            var mask: UInt8 = 0, ext: UInt8 = 0
            if old.vx != new.vx || old.vy != new.vy {
                let dvx = Int(new.vx) - Int(old.vx), dvy = Int(new.vy) - Int(old.vy)
                if (-128...127).contains(dvx) && (-128...127).contains(dvy) { mask |= 4 } else { ext |= 1 }
            }
            let rx = Int(new.x) - predicted(old.x, new.vx, ticks), ry = Int(new.y) - predicted(old.y, new.vy, ticks)
            if rx != 0 || ry != 0 {
                if (-8...7).contains(rx) && (-8...7).contains(ry) { mask |= 1 }
                else if (-128...127).contains(rx) && (-128...127).contains(ry) { mask |= 3 }
                else { mask |= 2 }
            }
            if old.health != new.health || old.flags != new.flags { ext |= 2 }
            if ext != 0 { mask |= 8 }
            return EntityChange(mask: mask, ext: ext)
        }
        var rng = SplitMix64(seed: 80)
        // Steps around each boundary (i4, i8 residuals and velocity steps) and random ones.
        let edges = [0, 1, -1, 7, 8, -8, -9, 127, 128, -128, -129, 300, -300]
        for round in 0..<40_000 {
            let ticks = UInt32.random(in: 1...70, using: &rng)
            let old = randomEntity(1, &rng)
            var new = old
            new.vx = Int16(clamping: Int(old.vx) + (round % 3 == 0 ? edges.randomElement(using: &rng)! : Int.random(in: -400...400, using: &rng)))
            new.vy = Int16(clamping: Int(old.vy) + (round % 5 == 0 ? edges.randomElement(using: &rng)! : Int.random(in: -20...20, using: &rng)))
            let carried = DeltaCodec.carried(old, ticks: ticks)
            #expect(Int(carried.x) == min(max(predicted(old.x, old.vx, ticks), 0), 65535))
            #expect(Int(carried.y) == min(max(predicted(old.y, old.vy, ticks), 0), 65535))
            #expect(DeltaCodec.change(old, carried, ticks: ticks) == documented(old, carried, ticks))
            let target = DeltaCodec.carried(EntityState(id: 1, x: old.x, y: old.y, vx: new.vx, vy: new.vy, health: 0, flags: 0),
                                            ticks: ticks)
            new.x = UInt16(clamping: Int(target.x) + edges.randomElement(using: &rng)!)
            new.y = UInt16(clamping: Int(target.y) + (Bool.random(using: &rng) ? edges.randomElement(using: &rng)! : 0))
            if round % 7 == 0 { new.health &+= 1 }
            if round % 11 == 0 { new.flags ^= 1 }
            #expect(DeltaCodec.change(old, new, ticks: ticks) == documented(old, new, ticks), "\(old) -> \(new), \(ticks) ticks")
        }
    }

    @Test func roundTripOnRandomStatesAndBaselines() throws {
        var rng = SplitMix64(seed: 2024)
        var nextId: UInt32 = 1
        for round in 0..<300 {
            let count = Int.random(in: 0...80, using: &rng)
            var base: [EntityState] = []
            for _ in 0..<count { base.append(randomEntity(nextId, &rng)); nextId += 1 }
            let baseCoins = (0..<Int.random(in: 0...12, using: &rng)).map {
                CoinView(id: UInt32($0 * 3 + 1), x: UInt16.random(in: 0...9000, using: &rng), y: 7)
            }
            var coins = baseCoins.filter { _ in Bool.random(using: &rng) }
            if Bool.random(using: &rng), !coins.isEmpty { coins[0].x &+= 64 }  // a coin dropped elsewhere
            coins.append(CoinView(id: 999, x: 5, y: 5))
            let baseline = SnapshotFrame(tick: UInt32(round), entities: base, coins: baseCoins)
            let current = evolve(base, &rng, nextId: &nextId)
            var w = ByteWriter()
            DeltaCodec.encode(tick: UInt32(round + 2), lastInputSequence: 77, me: Self.me, entities: current, coins: coins,
                              baseline: baseline, into: &w)
            let decoded = try w.bytes.withUnsafeBytes { try DeltaCodec.apply($0, baseline: baseline) }
            #expect(decoded.tick == UInt32(round + 2))
            #expect(decoded.lastInputSequence == 77)
            #expect(decoded.me == Self.me)
            #expect(decoded.entities == current.sorted { $0.id < $1.id })
            #expect(decoded.coins == coins.sorted { $0.id < $1.id })
            // And the header decodes through ServerMessage as a delta.
            guard case .delta(let header, _) = try ServerMessage.decode(w.bytes) else {
                Issue.record("not decoded as a delta")
                continue
            }
            #expect(header.baselineTick == UInt32(round))
        }
    }

    @Test func aDeltaOfMovingEntitiesIsSeveralTimesSmallerThanTheFullSnapshot() throws {
        var rng = SplitMix64(seed: 9)
        let base = (1...80).map { randomEntity(UInt32($0), &rng) }
        let moved = base.map { e -> EntityState in
            var m = e
            m.x = UInt16(clamping: Int(e.x) + 19)  // 0.3 tile: one tick at full speed
            m.y = UInt16(clamping: Int(e.y) - 7)
            return m
        }
        let full = Snapshot(tick: 2, lastInputSequence: 1, me: Self.me, entities: moved, coins: []).encoded()
        var w = ByteWriter()
        DeltaCodec.encode(tick: 2, lastInputSequence: 1, me: Self.me, entities: moved, coins: [],
                          baseline: SnapshotFrame(tick: 1, entities: base, coins: []), into: &w)
        #expect(full.count >= 4 * w.count, "full \(full.count) bytes, delta \(w.count) bytes")
    }

    /// A zone that carries an entity records `DeltaCodec.carried(baseline state)` in its frame; the client
    /// decodes exactly that from change mask 0, so both frames (and their checksums) agree.
    @Test func carriedEntitiesDecodeToTheFrameTheZoneRecorded() throws {
        var rng = SplitMix64(seed: 31)
        for round in 0..<200 {
            let base = (1...60).map { i -> EntityState in
                var e = randomEntity(UInt32(i), &rng)
                e.x = UInt16.random(in: 2000...60000, using: &rng); e.y = UInt16.random(in: 2000...60000, using: &rng)
                return e
            }
            let baseline = SnapshotFrame(tick: UInt32(1000 + round), entities: base, coins: [])
            let ticks = UInt32.random(in: 1...31, using: &rng)
            var carriedCount = 0
            let current = base.map { e -> EntityState in
                if Bool.random(using: &rng) {
                    carriedCount += 1
                    return DeltaCodec.carried(e, ticks: ticks)
                }
                var m = e
                m.vx = Int16(clamping: Int(e.vx) + Int.random(in: -40...40, using: &rng))
                m.x = UInt16(clamping: Int(DeltaCodec.carried(m, ticks: ticks).x) + Int.random(in: -20...20, using: &rng))
                return m
            }
            let frame = SnapshotFrame(tick: baseline.tick + ticks, entities: current, coins: [])
            var w = ByteWriter()
            DeltaCodec.encode(frame, lastInputSequence: 3, me: Self.me, baseline: baseline, into: &w)
            let decoded = try w.bytes.withUnsafeBytes { try DeltaCodec.apply($0, baseline: baseline) }
            let clientFrame = SnapshotFrame(tick: decoded.tick, entities: decoded.entities, coins: decoded.coins)
            #expect(clientFrame == frame)
            #expect(clientFrame.checksum == frame.checksum)
            // Each carried entity costs its mask nibble only; `cost` counts the rest exactly.
            let fields = zip(base, current).reduce(0) { $0 + DeltaCodec.cost(from: $1.0, to: $1.1, ticks: ticks) }
            #expect(zip(base, current).filter { DeltaCodec.cost(from: $0.0, to: $0.1, ticks: ticks) == 0 }.count >= carriedCount)
            #expect(w.count == DeltaCodec.headerSize + (60 + 7) / 8 + 30 + 2 + fields + 2, "sizes add up")
        }
    }

    @Test func aWrongOrMissingBaselineIsRefusedNeverApplied() throws {
        var rng = SplitMix64(seed: 5)
        let base = (1...20).map { randomEntity(UInt32($0), &rng) }
        let baseline = SnapshotFrame(tick: 10, entities: base, coins: [])
        var w = ByteWriter()
        DeltaCodec.encode(tick: 12, lastInputSequence: 1, me: Self.me, entities: base, coins: [], baseline: baseline, into: &w)
        // Same tick, other content (e.g. another zone's snapshot of that tick): the checksum refuses it.
        var other = base
        other[3].x &+= 1
        #expect(throws: DecodeError.self) {
            _ = try w.bytes.withUnsafeBytes { try DeltaCodec.apply($0, baseline: SnapshotFrame(tick: 10, entities: other, coins: [])) }
        }
        // Another tick: refused.
        #expect(throws: DecodeError.self) {
            _ = try w.bytes.withUnsafeBytes { try DeltaCodec.apply($0, baseline: SnapshotFrame(tick: 9, entities: base, coins: [])) }
        }
        // Every truncation is refused.
        for n in 0..<w.count {
            #expect(throws: DecodeError.self) {
                _ = try Array(w.bytes.prefix(n)).withUnsafeBytes { try DeltaCodec.apply($0, baseline: baseline) }
            }
        }
    }
}

private extension UInt64 {
    func rotated(by bits: UInt64) -> UInt64 { self << bits | self >> (64 - bits) }
}
