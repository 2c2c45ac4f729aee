import Foundation
import Logging
import SeamNet
import Testing

@testable import SeamBots

/// A swarm's play as a whole: how long it lasts and how many ticks it was due.
@Suite struct SwarmPlayTests {
    /// A play that runs to its end lasts its duration exactly, however late the swarm's loop notices the end:
    /// counted to that moment, a ten-minute play's pace check asked for 12,001 ticks of its 12,000. The zone is
    /// one the test never answers (the bot stays connecting); the swarm's ticks run all the same.
    @Test func aPlayRunToItsEndLastsItsDurationAndIsDueItsTicks() throws {
        let zone = try HandPlayedZone(index: 0)
        let map = try BotTestMap.map()
        var config = SwarmConfig(map: map, targets: [.init(zone: map.zones[0], address: zone.address)], count: 1,
                                 behaviors: try BehaviorMix(parsing: "wander=100"))
        config.duration = 0.5
        let start = DispatchTime.now().uptimeNanoseconds
        let stats = try SwarmThreads.run(config: config, logger: Logger(label: "swarm-play"), until: StopSignal(),
                                         clock: { DispatchTime.now().uptimeNanoseconds - start + 1 })
        #expect(stats.playSeconds == 0.5)
        #expect(stats.ticks + stats.ticksSkipped <= 10)
        #expect(SwarmSummary.paceCheck(stats).line.contains(" of 10 ticks"), "\(SwarmSummary.paceCheck(stats).line)")
    }
}
