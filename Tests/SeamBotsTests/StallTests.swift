import SeamProtocol
import SeamWorld
import Testing

@testable import SeamBots

/// A playing bot that hears nothing from its owner is counted as stalled once at each limit (10 s, then 60 s)
/// per silence: from its last snapshot, or from its Welcome when it never took one; the next snapshot ends
/// the silence.
@Suite struct StallTests {
    static let second: UInt64 = 1_000_000_000
    static let limits = [10 * second, 60 * second]

    func playingBot() throws -> Bot {
        let map = try BotTestMap.map()
        var b = Bot(index: 0, behavior: .wander, zone: try #require(map.zone(id: "a")), hostIndex: 0, seed: 1)
        b.phase = .playing
        b.newestTickNanos = 1 * Self.second
        return b
    }

    /// `Bot.stalled` at `now` seconds with the swarm's two limits.
    static func check(_ b: inout Bot, at seconds: UInt64) -> Int? { b.stalled(now: seconds * second, limits: limits) }

    static func snapshot(tick: UInt32) -> Snapshot {
        Snapshot(tick: tick, lastInputSequence: 0,
                 me: SelfState(x: 1, y: 2, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0),
                 entities: [], coins: [])
    }

    @Test func eachLimitCountsOncePerSilenceAndASnapshotEndsIt() throws {
        var b = try playingBot()
        #expect(Self.check(&b, at: 10) == nil, "9 s after the Welcome")
        #expect(Self.check(&b, at: 11) == 0, "10 s after the Welcome, no snapshot")
        #expect(Self.check(&b, at: 30) == nil, "the same silence counts once at 10 s")
        #expect(Self.check(&b, at: 61) == 1, "and once at 60 s")
        #expect(Self.check(&b, at: 200) == nil)
        _ = b.takeSnapshot(Self.snapshot(tick: 600), now: 201 * Self.second)
        #expect(b.silence(now: 205 * Self.second) == 4 * Self.second)
        #expect(Self.check(&b, at: 210) == nil)
        #expect(Self.check(&b, at: 211) == 0, "a second silence counts again")
    }

    @Test func onlyAPlayingBotStalls() throws {
        var b = try playingBot()
        b.phase = .gone
        #expect(Self.check(&b, at: 100) == nil && b.silence(now: 100 * Self.second) == nil)
        b.phase = .handshaking
        b.newestTickNanos = 0
        #expect(Self.check(&b, at: 100) == nil, "not welcomed yet")
    }
}
