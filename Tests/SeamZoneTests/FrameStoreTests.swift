import SeamProtocol
import Testing

@testable import SeamZone

/// The zone's kept frames: what is kept reads back the same until given back, acknowledgements give back
/// the older ones, and storage given back is what the next frame takes.
@Suite struct FrameStoreTests {
    func entities(_ count: Int, tick: UInt32) -> [EntityState] {
        (0..<count).map { (i: Int) -> EntityState in
            let id = UInt32(10 + 3 * i), x = UInt16(truncatingIfNeeded: Int(tick) * 7 + i)
            return EntityState(id: id, x: x, y: 200, vx: Int16(i), vy: -5, health: 100, flags: EntityFlags.alive)
        }
    }

    func keep(_ store: FrameStore, slot: Int, tick: UInt32, count: Int = 5, coins: [CoinView] = []) {
        let e = entities(count, tick: tick), fresh = Array(repeating: tick, count: count)
        let checksum = SnapshotFrame(tick: tick, sortedEntities: e, sortedCoins: coins).checksum
        e.withUnsafeBufferPointer { e in
            fresh.withUnsafeBufferPointer { f in
                coins.withUnsafeBufferPointer { store.keep(slot: slot, tick: tick, checksum: checksum, entities: e, freshTicks: f, coins: $0) }
            }
        }
    }

    @Test func aKeptFrameReadsBackUntilTheRingComesRound() throws {
        let store = FrameStore(slots: 3, history: 32)
        let coins = [CoinView(id: 4, x: 1, y: 2), CoinView(id: 9, x: 3, y: 4)]
        keep(store, slot: 1, tick: 100, count: 7, coins: coins)
        let frame = try #require(store.frame(slot: 1, tick: 100))
        #expect(Array(frame.entities) == entities(7, tick: 100))
        #expect(Array(frame.freshTicks) == Array(repeating: 100, count: 7))
        #expect(Array(frame.coins) == coins)
        #expect(frame.checksum == SnapshotFrame(tick: 100, sortedEntities: entities(7, tick: 100), sortedCoins: coins).checksum)
        #expect(store.frame(slot: 0, tick: 100) == nil, "another connection's")
        #expect(store.frame(slot: 1, tick: 101) == nil)
        #expect(store.frame(slot: 1, tick: 132) == nil, "the same place in the ring, another tick")
        keep(store, slot: 1, tick: 132)
        #expect(store.frame(slot: 1, tick: 100) == nil, "replaced when the ring came round")
        #expect(store.kept == 1)
    }

    @Test func anAcknowledgementGivesBackTheOlderFramesAndTheNextReusesThem() throws {
        let store = FrameStore(slots: 2, history: 32)
        for t in UInt32(10)...14 { keep(store, slot: 0, tick: t) }
        keep(store, slot: 1, tick: 10)
        #expect(store.kept == 6)
        let given = try #require(store.frame(slot: 0, tick: 12)).entities.baseAddress
        store.release(slot: 0, below: 13)
        #expect(store.kept == 3)
        for t in UInt32(10)...12 { #expect(store.frame(slot: 0, tick: t) == nil, "tick \(t)") }
        for t in UInt32(13)...14 { #expect(store.frame(slot: 0, tick: t) != nil, "tick \(t)") }
        #expect(store.frame(slot: 1, tick: 10) != nil, "another connection's frames stay")
        // The frame given back last is taken first: its storage is the likeliest still in cache.
        keep(store, slot: 0, tick: 15)
        #expect(try #require(store.frame(slot: 0, tick: 15)).entities.baseAddress == given)
        // Acknowledging the same tick again gives back nothing more.
        store.release(slot: 0, below: 13)
        #expect(store.kept == 4)
    }

    @Test func clearingASlotGivesBackAllItsFrames() {
        let store = FrameStore(slots: 2, history: 8)
        for t in UInt32(1)...6 { keep(store, slot: 1, tick: t) }
        keep(store, slot: 0, tick: 3)
        store.clear(slot: 1)
        #expect(store.kept == 1)
        for t in UInt32(1)...6 { #expect(store.frame(slot: 1, tick: t) == nil) }
        #expect(store.frame(slot: 0, tick: 3) != nil)
    }

    @Test func framesBeyondOneChunkAndOfTheLargestSizeStayApart() throws {
        let store = FrameStore(slots: 300, history: 4)
        let most = FrameStore.entityCapacity
        let coins = (0..<FrameStore.coinCapacity).map { CoinView(id: UInt32($0), x: UInt16($0), y: 7) }
        for slot in 0..<300 { keep(store, slot: slot, tick: UInt32(1000 + slot), count: most, coins: coins) }
        for slot in 0..<300 {
            let frame = try #require(store.frame(slot: slot, tick: UInt32(1000 + slot)))
            #expect(Array(frame.entities) == entities(most, tick: UInt32(1000 + slot)), "slot \(slot)")
            #expect(Array(frame.coins) == coins, "slot \(slot)")
        }
    }

    @Test func theLargestFrameIsTheLargestFullSnapshot() {
        let me = SelfState(x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0)
        let most = FrameStore.entityCapacity
        func bytes(_ entities: Int, _ coins: Int) -> Int {
            Snapshot(tick: 1, lastInputSequence: 0, me: me, entities: self.entities(entities, tick: 1),
                     coins: (0..<coins).map { CoinView(id: UInt32($0), x: 0, y: 0) }).encoded().count
        }
        #expect(bytes(most, 0) <= Wire.maximumSnapshotBytes)
        #expect(bytes(most + 1, 0) > Wire.maximumSnapshotBytes)
        #expect(bytes(0, FrameStore.coinCapacity) <= Wire.maximumSnapshotBytes)
        #expect(bytes(0, FrameStore.coinCapacity + 1) > Wire.maximumSnapshotBytes)
    }
}
