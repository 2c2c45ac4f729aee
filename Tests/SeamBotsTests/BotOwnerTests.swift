@testable import SeamBots
import SeamWorld
import Testing

/// How a bot takes Owner messages (docs/PROTOCOL.md "What a client does"): Owners of two handoffs travel on
/// two connections and may arrive in either order; the bot must end with the newer one whatever the order.
@Suite struct BotOwnerTests {
    func bot() throws -> Bot {
        let map = try BotTestMap.map()
        return Bot(index: 0, behavior: .borderDance, zone: try #require(map.zone(id: "a")), hostIndex: 0, seed: 1)
    }

    /// The player moved a → b (epoch 2, Owner on b's connection) and back b → a (epoch 3, Owner on a's, the
    /// owner connection as the bot still sees it), and a's Owner arrives first: the bot stays on a with
    /// epoch 3, and b's late Owner moves nothing.
    @Test func aLateOlderOwnerDoesNotMoveTheBot() throws {
        var b = try bot()
        b.lastSnapshotNanos = 1_000
        #expect(b.takeOwner(epoch: 3, onOwnerConnection: true, now: 5_000) == .stay)
        #expect(b.epoch == 3 && b.ackTick == 0 && b.switchFromNanos == 1_000 && b.switchAtNanos == 5_000)
        #expect(b.takeOwner(epoch: 2, onOwnerConnection: false, now: 5_000) == .stale)
        #expect(b.epoch == 3)
    }

    /// The same two Owners in the order they were sent: the bot moves to b, then back to a.
    @Test func ownersInOrderMoveTheBotEachTime() throws {
        var b = try bot()
        #expect(b.takeOwner(epoch: 2, onOwnerConnection: false, now: 5_000) == .move)
        #expect(b.takeOwner(epoch: 3, onOwnerConnection: false, now: 5_000) == .move)
        #expect(b.epoch == 3)
        #expect(b.takeOwner(epoch: 3, onOwnerConnection: true, now: 5_000) == .stale,
                "the same epoch again changes nothing")
        #expect(b.takeOwner(epoch: 1, onOwnerConnection: false, now: 5_000) == .stale)
    }

    /// Taking an Owner drops the baselines: the new owner's deltas never name the old one's frames.
    @Test func anOwnerDropsTheBaselines() throws {
        var b = try bot()
        b.baselines.store(tick: 50, entities: [], coins: [])
        b.ackTick = 50
        #expect(b.baselines.frameIndex(tick: 50) != nil)
        _ = b.takeOwner(epoch: 2, onOwnerConnection: false, now: 5_000)
        #expect(b.baselines.frameIndex(tick: 50) == nil && b.ackTick == 0)
    }
}
