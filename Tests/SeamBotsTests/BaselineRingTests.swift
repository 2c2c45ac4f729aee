@testable import SeamBots
import SeamProtocol
import SeamWorld
import Testing

/// A bot's stored frames: deltas rebuilt against the frame they name, as `DeltaCodec.apply` rebuilds them,
/// through many ticks of reused storage; a missing or different baseline refused without changing anything.
@Suite struct BaselineRingTests {
    static let me = SelfState(x: 1, y: 2, vx: 3, vy: 4, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0)

    /// The zone's side: `next` moves the world on a tick.
    struct World {
        var rng: SplitMix64
        var entities: [EntityState] = []
        var coins: [CoinView] = []
        var nextId: UInt32 = 1

        mutating func next() {
            entities = entities.compactMap { e in
                guard Int.random(in: 0..<30, using: &rng) > 0 else { return nil }
                var m = e
                m.vx = Int16(clamping: Int(e.vx) + Int.random(in: -50...50, using: &rng))
                m.x = UInt16(clamping: Int(e.x) + Int(m.vx) / 80 + Int.random(in: -2...2, using: &rng))
                m.y = UInt16(clamping: Int(e.y) + Int.random(in: -3...3, using: &rng))
                return m
            }
            for _ in 0..<Int.random(in: 0...2, using: &rng) {
                entities.append(EntityState(id: UInt32.random(in: 0...1000, using: &rng) * 4096 + nextId,
                                            x: UInt16.random(in: 1000...9000, using: &rng), y: 500, vx: 0, vy: 0,
                                            health: 100, flags: 1))
                nextId += 1
            }
            if Int.random(in: 0..<5, using: &rng) == 0 { coins.append(CoinView(id: nextId, x: 5, y: 5)); nextId += 1 }
            if Int.random(in: 0..<7, using: &rng) == 0, !coins.isEmpty { coins.removeFirst() }
        }
    }

    func delta(_ frame: SnapshotFrame, against baseline: SnapshotFrame) -> [UInt8] {
        var w = ByteWriter()
        DeltaCodec.encode(frame, lastInputSequence: 0, me: Self.me, baseline: baseline, into: &w)
        return w.bytes
    }

    @Test func deltasOverManyTicksRebuildWhatApplyRebuilds() throws {
        var world = World(rng: SplitMix64(seed: 11))
        for _ in 0..<40 { world.next() }
        var ring = BaselineRing()
        var sent: [UInt32: SnapshotFrame] = [:]
        var tick: UInt32 = 500
        ring.store(tick: tick, entities: world.entities.shuffled(using: &world.rng), coins: world.coins)
        sent[tick] = SnapshotFrame(tick: tick, entities: world.entities, coins: world.coins)
        #expect(ring.stored(tick: tick) == sent[tick])
        var acknowledged = tick
        for _ in 0..<300 {
            tick += 1
            world.next()
            let frame = SnapshotFrame(tick: tick, entities: world.entities, coins: world.coins)
            sent[tick] = frame
            let baseline = sent[acknowledged]!
            let bytes = delta(frame, against: baseline)
            let header = try bytes.withUnsafeBytes { try DeltaCodec.header($0) }
            try bytes.withUnsafeBytes { try ring.apply($0, header: header) }
            let reference = try bytes.withUnsafeBytes { try DeltaCodec.apply($0, baseline: baseline) }
            let stored = try #require(ring.stored(tick: tick))
            #expect(stored == SnapshotFrame(tick: reference.tick, entities: reference.entities, coins: reference.coins))
            #expect(stored == frame)
            // Acknowledgements lag by up to 20 ticks, so baselines come from all over the ring.
            if Int.random(in: 0..<3, using: &world.rng) == 0 {
                acknowledged = tick - UInt32.random(in: 0...min(20, tick - 500), using: &world.rng)
            } else {
                acknowledged = tick
            }
            #expect(ring.stored(tick: acknowledged) == sent[acknowledged])
        }
    }

    @Test func aMissingOrDifferentBaselineIsRefusedAndNothingChanges() throws {
        var world = World(rng: SplitMix64(seed: 5))
        for _ in 0..<20 { world.next() }
        let baseline = SnapshotFrame(tick: 100, entities: world.entities, coins: world.coins)
        world.next()
        let next = SnapshotFrame(tick: 101, entities: world.entities, coins: world.coins)
        let bytes = delta(next, against: baseline)
        let header = try bytes.withUnsafeBytes { try DeltaCodec.header($0) }

        var ring = BaselineRing()
        // No frame of tick 100.
        #expect(throws: DecodeError.self) { try bytes.withUnsafeBytes { try ring.apply($0, header: header) } }
        #expect(ring.stored(tick: 101) == nil)
        // A frame of tick 100 that is not the baseline (another zone's, say).
        var other = world.entities
        other[0].health &+= 1
        ring.store(tick: 100, entities: other, coins: world.coins)
        #expect(throws: DecodeError.self) { try bytes.withUnsafeBytes { try ring.apply($0, header: header) } }
        #expect(ring.stored(tick: 101) == nil)
        // The frame of tick 132 took slot 100's place.
        ring.store(tick: 100, entities: baseline.entities, coins: baseline.coins)
        ring.store(tick: 132, entities: baseline.entities, coins: baseline.coins)
        #expect(throws: DecodeError.self) { try bytes.withUnsafeBytes { try ring.apply($0, header: header) } }
        // Forgotten frames (a new owner).
        ring.store(tick: 100, entities: baseline.entities, coins: baseline.coins)
        ring.removeAll()
        #expect(ring.stored(tick: 100) == nil)
        #expect(throws: DecodeError.self) { try bytes.withUnsafeBytes { try ring.apply($0, header: header) } }
        // The right one.
        ring.store(tick: 100, entities: baseline.entities, coins: baseline.coins)
        try bytes.withUnsafeBytes { try ring.apply($0, header: header) }
        #expect(ring.stored(tick: 101) == next)
        #expect(ring.stored(tick: 100) == baseline)
    }

    /// The frames the view holds stay as they were stored while the ring moves on and reuses its slots: past
    /// 32 ticks without a snapshot, after a new owner's frame of the same tick, with ticks out of order; and
    /// the pool never runs out of free frames.
    @Test func framesTheViewHoldsOutliveTheirSlots() {
        var rng = SplitMix64(seed: 3)
        var ring = BaselineRing()
        var view = InterpolationBuffer()
        var shown: [Int: SnapshotFrame] = [:]
        var tick: UInt32 = 1000
        for round in 0..<3000 {
            switch Int.random(in: 0..<12, using: &rng) {
            case 0: tick += UInt32.random(in: 30...70, using: &rng)
            case 1: tick -= UInt32.random(in: 0...5, using: &rng)
            case 2: ring.removeAll()
            default: tick += 1
            }
            let entities = [EntityState(id: UInt32(round), x: 1, y: 2, vx: 0, vy: 0, health: 100, flags: 1)]
            let f = ring.store(tick: tick, entities: entities, coins: [])
            ring.hold(f)
            let letGo = view.add(tick: tick, frame: f)
            if letGo != f { shown[f] = SnapshotFrame(tick: tick, entities: entities, coins: []) }
            if let letGo { ring.release(letGo) }
            for v in view.frames {
                #expect(ring.frames[v.frame] == shown[v.frame], "round \(round), tick \(v.tick)")
            }
        }
    }
}

extension BaselineRing {
    /// The stored frame of `tick`, if any.
    func stored(tick: UInt32) -> SnapshotFrame? {
        frameIndex(tick: tick).map { frames[$0] }
    }
}
