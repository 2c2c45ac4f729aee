import SeamProtocol
import SeamWorld
import Testing

@testable import SeamBots

/// A playing bot that hears nothing from its owner for 10 s is counted as stalled once per silence: from its
/// last snapshot, or from its Welcome when it never took one; the next snapshot ends the silence.
@Suite struct StallTests {
    static let second: UInt64 = 1_000_000_000
    static let limit = 10 * second

    func playingBot() throws -> Bot {
        let map = try BotTestMap.map()
        var b = Bot(index: 0, behavior: .wander, zone: try #require(map.zone(id: "a")), hostIndex: 0, seed: 1)
        b.phase = .playing
        b.newestTickNanos = 1 * Self.second
        return b
    }

    /// `Bot.stalled` at `now` with the 10-s limit.
    static func check(_ b: inout Bot, now: UInt64) -> Bool { b.stalled(now: now, after: limit) }

    static func snapshot(tick: UInt32) -> Snapshot {
        Snapshot(tick: tick, lastInputSequence: 0,
                 me: SelfState(x: 1, y: 2, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0),
                 entities: [], coins: [])
    }

    @Test func aSilenceOfTenSecondsCountsOnceAndASnapshotEndsIt() throws {
        var b = try playingBot()
        #expect(!Self.check(&b, now: 10 * Self.second), "9 s after the Welcome")
        #expect(Self.check(&b, now: 11 * Self.second), "10 s after the Welcome, no snapshot")
        #expect(!Self.check(&b, now: 30 * Self.second), "the same silence counts once")
        _ = b.takeSnapshot(Self.snapshot(tick: 600), now: 31 * Self.second)
        #expect(!Self.check(&b, now: 40 * Self.second))
        #expect(Self.check(&b, now: 41 * Self.second), "a second silence counts again")
    }

    @Test func onlyAPlayingBotStalls() throws {
        var b = try playingBot()
        b.phase = .gone
        #expect(!Self.check(&b, now: 60 * Self.second))
        b.phase = .handshaking
        b.newestTickNanos = 0
        #expect(!Self.check(&b, now: 60 * Self.second), "not welcomed yet")
    }
}
