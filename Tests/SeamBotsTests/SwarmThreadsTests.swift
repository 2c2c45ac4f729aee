import Logging
import SeamNet
import SeamProtocol
import Testing

@testable import SeamBots

/// A swarm on several threads: how the bots are shared out, and how the threads' stats add up.
@Suite struct SwarmThreadsTests {
    func config(count: Int, threads: Int) throws -> SwarmConfig {
        let map = try BotTestMap.map()
        let targets = try map.zones.map { SwarmConfig.Target(zone: $0, address: try NetAddress(resolving: "127.0.0.1", port: UInt16($0.port))) }
        var config = SwarmConfig(map: map, targets: targets, count: count, behaviors: try BehaviorMix(parsing: "wander=50,fight=50"))
        config.threads = threads
        config.botsPerHost = 2
        return config
    }

    @Test func eachThreadTakesEveryNthBotWithHostsOfItsOwn() throws {
        let config = try config(count: 5, threads: 2)
        let logger = Logger(label: "test")
        let first = try Swarm(config: config, shard: 0, logger: logger)
        let second = try Swarm(config: config, shard: 1, logger: logger)
        #expect(first.bots.map(\.index) == [0, 2, 4] && second.bots.map(\.index) == [1, 3])
        #expect(first.stats.target == 3 && second.stats.target == 2)
        #expect(first.hosts.count == 2 && second.hosts.count == 1, "two bots per host")
        #expect(config.hostCount == 3)
        // The behaviours and zones of the whole swarm, as one thread would have given them.
        let whole = try Swarm(config: try self.config(count: 5, threads: 1), logger: logger)
        for bot in first.bots + second.bots {
            #expect(bot.behavior == whole.bots[bot.index].behavior && bot.zone.id == whole.bots[bot.index].zone.id)
        }
        #expect(throws: BotError.self) { try Swarm(config: try self.config(count: 2, threads: 3), logger: logger) }
    }

    @Test func theThreadsStatsAddUp() {
        var a = SwarmStats(), b = SwarmStats()
        a.target = 3; b.target = 2
        a.connected = 3; b.connected = 1
        a.handoffs = 10; b.handoffs = 5
        a.refused = ["full": 1]; b.refused = ["full": 2, "wrongVersion": 1]
        a.snapshotBytesMax = 300; b.snapshotBytesMax = 900
        a.rtt.record(10); b.rtt.record(20); b.rtt.record(30)
        a.recordHandoffGap(ms: 40, beforeOwnerMs: 0, player: 1, zone: "a")
        b.recordHandoffGap(ms: 90, beforeOwnerMs: 10, player: 2, zone: "b")
        a.cpuSeconds = 7; b.cpuSeconds = 7.5
        a.ticks = 200; b.ticks = 180
        a.ticksSkipped = 0; b.ticksSkipped = 12
        a.bytesInPerBotPerSecondNow = 100; b.bytesInPerBotPerSecondNow = 200
        var heard = ZoneLoad(id: "a", index: 0)
        heard.note(ZoneStatusReport(zoneIndex: 0, tick: 20, tickMicros: [500], players: 4, ghosts: 0, entityLimit: 128, flags: 0), at: 1)
        a.zones = [ZoneLoad(id: "a", index: 0)]
        b.zones = [heard]
        var t = SwarmTally()
        t.handoffs = 4
        a.phases = [PhaseStats(index: 0, behaviors: "wander=100", start: 0, tally: t)]
        b.phases = [PhaseStats(index: 0, behaviors: "wander=100", start: 0, tally: t),
                    PhaseStats(index: 1, behaviors: "fight=100", start: 5, tally: t)]

        let m = SwarmStats.merged([a, b])
        #expect(m.target == 5 && m.connected == 4 && m.handoffs == 15)
        #expect(m.refused == ["full": 3, "wrongVersion": 1])
        #expect(m.snapshotBytesMax == 900)
        #expect(m.rtt.totalCount == 3 && m.handoffGap.totalCount == 2)
        #expect(m.longestHandoffGap?.player == 2)
        #expect(m.cpuSeconds == 7.5, "the process's CPU, read by both, taken once")
        #expect(m.ticks == 180 && m.ticksSkipped == 12, "the slowest thread's pace")
        #expect(m.bytesInPerBotPerSecondNow == 125, "weighted by each thread's playing bots")
        #expect(m.zones[0].reports == 1, "the zone as the thread that heard it")
        #expect(m.phases.count == 2 && m.phases[0].atStart.handoffs == 8 && m.phases[1].behaviors == "fight=100")
    }

    @Test func thePaceCheckWantsNinetyEightPercentOfTheTicks() {
        var s = SwarmStats()
        s.playSeconds = 120
        s.ticks = 2352
        #expect(SwarmSummary.paceCheck(s).passed, "2,352 of 2,400 ticks: 98%")
        s.ticks = 2351
        let short = SwarmSummary.paceCheck(s)
        #expect(!short.passed && short.line.contains("2351 of 2400 ticks") && short.line.contains("FAILED"))
        // The rate is over the play, not the goodbyes after it.
        s.ticks = 2400
        s.elapsed = 123
        #expect(s.ticksPerSecond == 20)
    }
}
