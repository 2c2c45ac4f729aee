import Foundation
import Logging
import SeamNet
import Synchronization

/// A swarm on `config.threads` threads: one `Swarm` per thread, each with every `threads`th bot and its own
/// hosts, all on the same phase plan and clock.
///
/// One thread can send and take about a thousand bots' datagrams at 20 Hz on a core of its own; beside
/// sixteen zones on two cores it got half a core and fell to 15 ticks a second at 2,000 bots (`swarm:` line
/// of `seam scenario`). Threads need no locks while they play: each publishes a copy of its stats once a
/// second, and the calling thread, which runs shard 0, merges them (`SwarmStats.merged`) for `progress`.
public enum SwarmThreads {
    /// Runs the swarm until its phases end or `stop`, calling `progress` about once a second on the calling
    /// thread; returns the merged stats of every thread.
    public static func run(config: SwarmConfig, logger: Logger, until stop: StopSignal,
                           clock: @escaping @Sendable () -> UInt64,
                           progress: (SwarmStats) -> Void = { _ in }) throws(BotError) -> SwarmStats {
        var shards: [Swarm] = []
        for shard in 0..<config.threads { shards.append(try Swarm(config: config, shard: shard, logger: logger)) }
        guard shards.count > 1 else { return shards[0].run(until: stop, clock: clock, progress: progress) }

        let board = Board(shards.map(\.stats))
        let finished = DispatchGroup()
        for k in 1..<shards.count {
            let shard = Unshared(shards[k])
            finished.enter()
            let thread = Thread {
                let stats = shard.value.run(until: stop, clock: clock) { board.publish($0, shard: k) }
                board.publish(stats, shard: k)
                finished.leave()
            }
            thread.name = "swarm-\(k)"
            thread.start()
        }
        // Each thread's busiest second is its own; the swarm's is the busiest of the merged seconds.
        var busiest = 0.0
        let own = shards[0].run(until: stop, clock: clock) { stats in
            board.publish(stats, shard: 0)
            var merged = SwarmStats.merged(board.all)
            busiest = max(busiest, merged.handoffsPerSecondNow)
            merged.handoffsPerSecondMax = busiest
            progress(merged)
        }
        finished.wait()
        board.publish(own, shard: 0)
        var merged = SwarmStats.merged(board.all)
        merged.handoffsPerSecondMax = busiest
        return merged
    }

    /// Each thread's newest stats.
    final class Board: Sendable {
        private let latest: Mutex<[SwarmStats]>

        init(_ initial: [SwarmStats]) { latest = Mutex(initial) }

        func publish(_ stats: SwarmStats, shard: Int) { latest.withLock { $0[shard] = stats } }
        var all: [SwarmStats] { latest.withLock { $0 } }
    }

    /// A swarm shard handed to the thread that runs it, and touched by no other until it is done.
    struct Unshared<Value>: @unchecked Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }
}
