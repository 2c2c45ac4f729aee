import SeamWorld
@testable import SeamProtocol
import Testing

/// The allocation-free delta decode (`apply(_:baseline:baselineChecksum:into:)`) against the reference
/// `apply`: the same snapshot and the checksum of its frame, or a throw from both, for random frames, random
/// changes and corrupted bytes, with one output frame reused throughout as the swarm reuses its frames. (The
/// reference decodes every kept entity with `readKept`, the in-place one those without an extension byte with
/// the branch-free `readShortKept`: compared here directly too.)
@Suite struct DeltaInPlaceTests {
    static let me = SelfState(x: 7, y: 9, vx: -3, vy: 4, health: 60, flags: 1, coins: 5, kills: 2, deaths: 1)

    func randomEntity(_ id: UInt32, _ rng: inout SplitMix64) -> EntityState {
        EntityState(id: id, x: UInt16.random(in: 0...65535, using: &rng), y: UInt16.random(in: 0...65535, using: &rng),
                    vx: Int16.random(in: -3000...3000, using: &rng), vy: Int16.random(in: -3000...3000, using: &rng),
                    health: UInt8.random(in: 0...100, using: &rng), flags: UInt8.random(in: 0...3, using: &rng))
    }

    /// A random baseline and a random next frame: entities kept (carried, nudged, moved far, re-aimed, hurt),
    /// removed, and added with ids anywhere (so the decoded order needs sorting), coins kept, moved, gone, new.
    func randomPair(_ rng: inout SplitMix64) -> (baseline: SnapshotFrame, current: SnapshotFrame) {
        var ids = Set<UInt32>()
        func freshId(_ rng: inout SplitMix64) -> UInt32 {
            while true {
                let id = UInt32.random(in: 1...(Bool.random(using: &rng) ? 200 : 0xFFFF_FFFF), using: &rng)
                if ids.insert(id).inserted { return id }
            }
        }
        // Now and then a crowd larger than the decoder's checksum checkpoints cover.
        let baseCount = Int.random(in: 0...(Int.random(in: 0..<10, using: &rng) == 0 ? 400 : 90), using: &rng)
        let base = (0..<baseCount).map { _ in randomEntity(freshId(&rng), &rng) }
        let ticks = UInt32.random(in: 1...70, using: &rng)
        var current: [EntityState] = []
        for e in base {
            var n = e
            switch Int.random(in: 0..<8, using: &rng) {
            case 0: continue
            case 1: n = DeltaCodec.carried(e, ticks: ticks)
            case 2:
                n = DeltaCodec.carried(e, ticks: ticks)
                n.x = UInt16(clamping: Int(n.x) + Int.random(in: -8...7, using: &rng))
                n.y = UInt16(clamping: Int(n.y) + Int.random(in: -200...200, using: &rng))
            case 3: n.x = UInt16.random(in: 0...65535, using: &rng)
            case 4: n.vx = Int16(clamping: Int(e.vx) + Int.random(in: -130...130, using: &rng))
            case 5: n.vy = Int16.random(in: -32768...32767, using: &rng); n.flags ^= 1
            case 6: n.health = UInt8.random(in: 0...100, using: &rng)
            default: break
            }
            current.append(n)
        }
        let addedCount = Int.random(in: 0...(Bool.random(using: &rng) ? 3 : 80), using: &rng)
        for _ in 0..<addedCount { current.append(randomEntity(freshId(&rng), &rng)) }
        let baseCoins = (0..<Int.random(in: 0...20, using: &rng)).map {
            CoinView(id: UInt32($0 * 2 + 1), x: UInt16.random(in: 0...9000, using: &rng), y: 3)
        }
        var coins = baseCoins.filter { _ in Int.random(in: 0..<4, using: &rng) > 0 }
        if !coins.isEmpty, Bool.random(using: &rng) { coins[0].y &+= 64 }
        for _ in 0..<Int.random(in: 0...4, using: &rng) {
            coins.append(CoinView(id: UInt32.random(in: 0...100, using: &rng) * 2, x: 1, y: 2))
        }
        let tick = UInt32.random(in: 1...1_000_000, using: &rng)
        return (SnapshotFrame(tick: tick, entities: base, coins: baseCoins),
                SnapshotFrame(tick: tick &+ ticks, entities: current, coins: coins))
    }

    /// Both decodes of `bytes` against `baseline`: equal results, or both throw.
    func expectSameDecode(_ bytes: [UInt8], _ baseline: SnapshotFrame, into frame: inout SnapshotFrame,
                          _ comment: Comment) {
        let reference = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) in try DeltaCodec.apply(raw, baseline: baseline) }
        }
        let rebuilt = bytes.withUnsafeBytes { raw in
            Result { () throws(DecodeError) in
                try DeltaCodec.apply(raw, baseline: baseline, baselineChecksum: baseline.checksum, into: &frame)
            }
        }
        switch (reference, rebuilt) {
        case (.success(let s), .success(let (h, checksum))):
            #expect(h.tick == s.tick && frame.tick == s.tick, comment)
            #expect(h.lastInputSequence == s.lastInputSequence, comment)
            #expect(h.me == s.me, comment)
            #expect(frame.entities == s.entities, comment)
            #expect(frame.coins == s.coins, comment)
            #expect(checksum == SnapshotFrame(tick: s.tick, entities: s.entities, coins: s.coins).checksum, comment)
        case (.failure, .failure):
            break
        default:
            Issue.record("one decode threw, the other did not: \(reference) vs \(rebuilt) (\(comment))")
        }
    }

    @Test func givesWhatApplyGivesForRandomFramesAndChanges() throws {
        var frame = SnapshotFrame(tick: 0, entities: [], coins: [])
        for seed in 0..<40 {
            var rng = SplitMix64(seed: UInt64(seed) &* 7919 &+ 1)
            for round in 0..<50 {
                let (baseline, current) = randomPair(&rng)
                var w = ByteWriter()
                DeltaCodec.encode(current, lastInputSequence: UInt32(round), me: Self.me, baseline: baseline, into: &w)
                expectSameDecode(w.bytes, baseline, into: &frame, "seed \(seed) round \(round)")
                // And what the zone sent: the in-place decode rebuilds the zone's frame exactly.
                #expect(frame == current, "seed \(seed) round \(round)")
            }
        }
    }

    @Test func theBranchFreeReadOfAKeptEntityReadsWhatReadKeptReads() throws {
        var rng = SplitMix64(seed: 4242)
        for round in 0..<20_000 {
            let old = randomEntity(UInt32(round), &rng)
            // Every mask without the extension bit, every byte pattern after it, ticks past the 64 cap too.
            let mask = UInt8(round % 8), ticks = UInt32.random(in: 0...70, using: &rng)
            let bytes = (0..<8).map { _ in UInt8.random(in: 0...255, using: &rng) }
            var expected: EntityState?, expectedLength = 0
            bytes.withUnsafeBytes { raw in
                var r = ByteReader(raw)
                expected = try? DeltaCodec.readKept(old, mask: mask, ticks: ticks, &r)
                expectedLength = r.offset
            }
            let next = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            let (state, length) = DeltaCodec.readShortKept(old, mask: mask, ticks: ticks, next: next)
            #expect(state == expected && length == expectedLength, "mask \(mask) ticks \(ticks) bytes \(bytes)")
        }
    }

    @Test func throwsWhenApplyThrowsOnCorruptedOrCutMessages() throws {
        var frame = SnapshotFrame(tick: 0, entities: [], coins: [])
        for seed in 0..<20 {
            var rng = SplitMix64(seed: UInt64(seed) &+ 1000)
            for round in 0..<20 {
                let (baseline, current) = randomPair(&rng)
                var w = ByteWriter()
                DeltaCodec.encode(current, lastInputSequence: 1, me: Self.me, baseline: baseline, into: &w)
                let bytes = w.bytes
                for _ in 0..<10 {
                    var bad = bytes
                    // Bytes past the header: a flipped mask, bitmap or count, not a wrong baseline.
                    let at = Int.random(in: min(bad.count - 1, DeltaCodec.headerSize)..<bad.count, using: &rng)
                    bad[at] ^= UInt8.random(in: 1...255, using: &rng)
                    expectSameDecode(bad, baseline, into: &frame, "seed \(seed) round \(round) byte \(at)")
                }
                let cut = Int.random(in: 0..<bytes.count, using: &rng)
                expectSameDecode(Array(bytes.prefix(cut)), baseline, into: &frame, "cut at \(cut)")
                expectSameDecode(bytes + [0], baseline, into: &frame, "a trailing byte")
            }
        }
    }

    @Test func refusesAFrameOtherThanTheBaseline() throws {
        var rng = SplitMix64(seed: 77)
        let (baseline, current) = randomPair(&rng)
        var w = ByteWriter()
        DeltaCodec.encode(current, lastInputSequence: 1, me: Self.me, baseline: baseline, into: &w)
        var other = baseline
        other.entities.append(EntityState(id: 0xFFFF_FFFF, x: 1, y: 1, vx: 0, vy: 0, health: 1, flags: 1))
        var frame = SnapshotFrame(tick: 0, entities: [], coins: [])
        #expect(throws: DecodeError.self) {
            _ = try w.bytes.withUnsafeBytes {
                try DeltaCodec.apply($0, baseline: other, baselineChecksum: other.checksum, into: &frame)
            }
        }
    }

    @Test func sortByIDSortsStablyLikeSort() {
        var rng = SplitMix64(seed: 3)
        for _ in 0..<500 {
            let n = Int.random(in: 0...120, using: &rng)
            // Mostly sorted with a few strays, or shuffled; ids repeat, positions tell equal ids apart.
            var items = (0..<n).map { EntityState(id: UInt32($0 / 2), x: UInt16($0), y: 0, vx: 0, vy: 0, health: 0, flags: 0) }
            if Bool.random(using: &rng) {
                items.shuffle(using: &rng)
            } else {
                for _ in 0..<Int.random(in: 0...3, using: &rng) where n > 0 {
                    items.append(EntityState(id: UInt32.random(in: 0...UInt32(n), using: &rng), x: UInt16(items.count),
                                             y: 1, vx: 0, vy: 0, health: 0, flags: 0))
                }
            }
            var sorted = items
            DeltaCodec.sortByID(&sorted) { $0.id }
            var expected = items
            expected.sort { $0.id < $1.id }
            #expect(sorted == expected)
        }
    }
}
