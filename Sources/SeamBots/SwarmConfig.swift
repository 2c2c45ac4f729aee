import SeamProtocol
import SeamNet
import SeamWorld

/// Settings of a bot swarm run.
public struct SwarmConfig: Sendable {
    /// A zone the swarm connects to and where it is.
    public struct Target: Sendable {
        public var zone: ZoneSpec
        public var address: NetAddress
        public init(zone: ZoneSpec, address: NetAddress) {
            self.zone = zone
            self.address = address
        }
    }

    public var map: GameMap
    /// Bots are spread over these zones, round-robin.
    public var targets: [Target]
    public var count: Int
    public var behaviors: BehaviorMix
    /// Behaviour mixes one after another (a scenario's phases); empty: `behaviors` for the whole run.
    public var phases: [SwarmPhase] = []
    public var seed: UInt64 = 1
    /// Seconds from the first connect until the swarm disconnects and reports, when there are no phases
    /// (with phases the run lasts their sum).
    public var duration: Double = 30
    /// Bots per ENet client host; more hosts spread the per-host peer walk and socket load.
    public var botsPerHost = 500
    /// Threads the swarm runs on (`SwarmThreads`), each with every `threads`th bot and hosts of its own.
    public var threads = 1
    /// New connections started per second (the connect ramp).
    public var connectRate = 1000.0
    /// Inputs repeated in each Input message (loss tolerance).
    public var inputRedundancy = 4
    /// How far behind the newest snapshot bots render others, in ticks (100 ms at 20 Hz).
    public var interpolationDelayTicks = 2.0
    /// The protocol version the bots speak: `Wire.version` (6, ghost snapshots: at continent-3000 a fiftieth of
    /// protocol 5's round trip and half its zones' tick time, docs/BENCHMARKS.md "Continent") or
    /// `Wire.deltaSnapshotVersion` (5, delta snapshots).
    public var protocolVersion = Wire.version
    public var namePrefix = "bot"

    /// How many of the bots with an index below `n` thread `shard` plays: those whose index modulo `threads`
    /// is `shard`.
    public func bots(ofShard shard: Int, below n: Int) -> Int { max(0, n - shard + threads - 1) / threads }

    /// ENet client hosts over all the threads: each thread's bots fill hosts of `botsPerHost`.
    public var hostCount: Int {
        (0..<threads).reduce(0) { $0 + (bots(ofShard: $1, below: count) + botsPerHost - 1) / botsPerHost }
    }

    public init(map: GameMap, targets: [Target], count: Int, behaviors: BehaviorMix) {
        self.map = map
        self.targets = targets
        self.count = count
        self.behaviors = behaviors
    }
}

/// A stretch of a run with one behaviour mix.
public struct SwarmPhase: Sendable, Equatable {
    /// Seconds.
    public var duration: Double
    public var behaviors: BehaviorMix

    public init(duration: Double, behaviors: BehaviorMix) {
        self.duration = duration
        self.behaviors = behaviors
    }
}
