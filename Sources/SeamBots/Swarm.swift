import Foundation
import Logging
import SeamNet
import SeamProtocol
import SeamWorld

/// Thousands of headless players in one process, over several ENet client hosts, driven by one thread.
///
/// Each loop iteration: start connections due on the ramp, wait on every host's socket, service the hosts,
/// and on every tick let each playing bot think and send its input.
///
/// A swarm of `config.threads` threads is that many of these (`SwarmThreads`), shard `shard` holding the bots
/// whose index modulo the thread count is `shard`, each with hosts of its own.
public final class Swarm {
    public let config: SwarmConfig
    public let shard: Int
    public internal(set) var stats = SwarmStats()
    let logger: Logger
    var bots: [Bot] = []
    var hosts: [NetHost] = []
    /// `botOfSlot[host][peer slot]` is a bot index, or -1.
    var botOfSlot: [[Int]] = []
    var writer = ByteWriter(capacity: 64)
    /// The sockets of `hosts`, to wait on.
    var pollSet: NetHost.PollSet
    /// Each bot's input packet, by bot index, sent again every tick instead of allocating one per input.
    let inputPackets: ReusablePackets
    /// ENet's clock at the start of the tick being thought (see `think`).
    var tickStartMs: UInt32 = 0
    var rendered: [InterpolationBuffer.Rendered] = []
    /// The zone's shot rules (SimulationConfig defaults), for judging hits in the bot's own view.
    static let shotRange = 24.0
    /// The least time between two services of the hosts within a tick (1.5 ms).
    static let serviceGapNanos: UInt64 = 1_500_000
    static let hitRadius = 0.45
    let tickNanos: UInt64
    var nowNanos: UInt64 = 0
    /// The phases of the run; `stats.phases.last` is the one running.
    let plan: PhasePlan
    var refusalLogBudget = 10
    /// Standby or redirect connects that found no free peer slot, still to be logged.
    var connectFailureLogBudget = 10
    /// Peer slots per bot in each client host on a map of several zones.
    static let slotsPerBot = 6
    /// Stalled bots still to be logged, at 10 s and at 60 s (`watchForStalls`).
    var stallLogBudget = 10
    var longStallLogBudget = 10
    var handoffsAtLastSecond = 0
    var ticksAtLastSecond = 0
    /// Ticks a second: the zones' rate (20 Hz).
    public static let tickRate = 20
    var runStartNanos: UInt64 = 0
    /// The territories of each zone's neighbours, by zone index: a dancing bot looks for its nearest border
    /// every tick, and asking the map each time filtered all its zones into a new array.
    let neighbourRects: [[Rect]]

    public init(config: SwarmConfig, shard: Int = 0, logger: Logger) throws(BotError) {
        guard config.count > 0 else { throw BotError("--count must be at least 1") }
        guard !config.targets.isEmpty else { throw BotError("no zone to connect to") }
        guard (1...config.count).contains(config.threads), (0..<config.threads).contains(shard) else {
            throw BotError("--threads must be in 1...\(config.count) (the bot count), got \(config.threads)")
        }
        self.config = config
        self.shard = shard
        self.logger = logger
        tickNanos = 1_000_000_000 / UInt64(Swarm.tickRate)
        inputPackets = ReusablePackets(capacity: 1 + 4 + 4 + 1 + Wire.maximumInputsPerMessage * InputCommand.wireSize)
        let members = stride(from: shard, to: config.count, by: config.threads)
        let memberCount = config.bots(ofShard: shard, below: config.count)
        let hostCount = (memberCount + config.botsPerHost - 1) / config.botsPerHost
        plan = PhasePlan(config: config)
        neighbourRects = config.map.zones.map { zone in config.map.neighbours(of: zone).map(\.rect) }
        let behaviors = plan.behaviors(ofPhase: 0, count: config.count, seed: config.seed)
        for h in 0..<hostCount {
            let share = min(config.botsPerHost, memberCount - h * config.botsPerHost)
            // A bot near a corner keeps standby connections to up to three neighbours besides its owner, and
            // the connections it just closed hold their slots until the zone acknowledges: at four slots a bot
            // a 10-minute continent-2000 failed 67 standby or redirect connects for want of a free slot, and a
            // bot whose Redirect found none stayed blind for good.
            let slots = min(4095, config.map.zones.count > 1 ? share * Swarm.slotsPerBot : share)
            do {
                hosts.append(try NetHost(bind: nil, peerLimit: slots, channelLimit: Wire.channelCount))
            } catch {
                throw BotError("cannot create client host \(h + 1) of \(hostCount): \(error)")
            }
            botOfSlot.append(Array(repeating: -1, count: slots))
        }
        pollSet = NetHost.PollSet(hosts)
        for (local, i) in members.enumerated() {
            let target = config.targets[i % config.targets.count]
            bots.append(Bot(index: i, behavior: behaviors[i], zone: target.zone, hostIndex: local / config.botsPerHost,
                            seed: config.seed))
            bots[local].speaksGhosts = config.protocolVersion != Wire.deltaSnapshotVersion
        }
        stats.target = memberCount
        stats.zones = config.map.zones.map { ZoneLoad(id: $0.id, index: $0.index) }
        stats.phaseCount = plan.phases.count
        stats.phases = [PhaseStats(index: 0, behaviors: plan.phases[0].behaviors.description, start: 0, tally: stats.tally)]
    }

    /// Runs through the phases (`config.duration` seconds when there are none) or until `stop`, calling
    /// `progress` about once a second.
    public func run(until stop: StopSignal, clock: () -> UInt64, progress: (SwarmStats) -> Void = { _ in }) -> SwarmStats {
        let start = clock()
        runStartNanos = start
        let end = start + UInt64(plan.duration * 1e9)
        var nextTick = start
        var nextSecond = start + 1_000_000_000
        var lastSecond = start
        var lastTraffic = (UInt64(0), UInt64(0))
        var lastCPU = ProcessUsage.cpuSeconds()
        let cpuAtStart = lastCPU
        var lastMachine = MachineTimes.now()
        let machineAtStart = lastMachine
        var started = 0
        nowNanos = start
        while !stop.isStopped && nowNanos < end {
            // Connect ramp: the bots due over the whole swarm, of which this shard plays every `threads`th.
            let dueInSwarm = min(config.count, Int(Double(nowNanos - start) / 1e9 * config.connectRate) + 1)
            let due = config.bots(ofShard: shard, below: dueInSwarm)
            while started < due {
                connect(started)
                started += 1
            }
            // Wait until the tick, rounded up to a whole millisecond: rounded down, the last fraction of a
            // millisecond before each tick was a spin of zero-timeout waits, each servicing every host. While
            // bots are still due to connect, wake at least every 10 ms to start them.
            let untilTickMs = nextTick > nowNanos ? (nextTick - nowNanos + 999_999) / 1_000_000 : 0
            let waitMs = Int32(started < bots.count ? min(10, untilTickMs) : untilTickMs)
            NetHost.waitForAny(&pollSet, timeoutMs: waitMs)
            // Let the datagrams of this burst gather first: every service walks all of a host's peers, so
            // servicing once per datagram cost more than the datagrams.
            let gathered = clock()
            if gathered + Swarm.serviceGapNanos < nextTick { usleep(UInt32(Swarm.serviceGapNanos / 1000)) }
            serviceHosts()
            nowNanos = clock()
            // Ticks are those due within the play: a tick due at its end or later is not run or counted.
            if nowNanos >= nextTick && nextTick < end {
                stats.ticks += 1
                stats.tickLateness.record(min((nowNanos - nextTick) / 1_000_000, stats.tickLateness.highestTrackableValue))
                // Phases shorter than a tick are entered and left at once, so every phase is in the stats.
                let runPhase = plan.phase(at: Double(nowNanos - start) / 1e9)
                while stats.phases.count - 1 < runPhase {
                    enterPhase(stats.phases.count, at: Double(nowNanos - start) / 1e9)
                }
                tickStartMs = NetHost.nowMs
                for i in bots.indices where bots[i].phase == .playing { think(&bots[i]) }
                for host in hosts { host.flush() }
                nextTick += tickNanos
                if nowNanos > nextTick + 5 * tickNanos {
                    // Given up: every tick due from `nextTick` to now, but none due after the play (a machine
                    // that froze past the end counted them, and `ticks + skipped` exceeded the play's ticks).
                    let last = min(nowNanos, end - 1)
                    if last >= nextTick { stats.ticksSkipped += Int((last - nextTick) / tickNanos) + 1 }
                    nextTick = nowNanos + tickNanos
                }
            }
            if nowNanos >= nextSecond {
                let seconds = Double(nowNanos - lastSecond) / 1e9
                sampleSecond(seconds: seconds, lastTraffic: &lastTraffic, lastCPU: &lastCPU)
                watchForStalls()
                stats.elapsed = Double(nowNanos - start) / 1e9
                stats.cpuSeconds = ProcessUsage.cpuSeconds() - cpuAtStart
                if let machine = MachineTimes.now() {
                    if let last = lastMachine { (stats.machineBusyPercentNow, stats.machineStealPercentNow) = machine.percents(since: last) }
                    if let first = machineAtStart { (stats.machineBusyPercent, stats.machineStealPercent) = machine.percents(since: first) }
                    lastMachine = machine
                }
                closePhase(at: stats.elapsed)
                progress(stats)
                lastSecond = nowNanos
                nextSecond += 1_000_000_000
            }
        }
        // The last phase ends with the play, before the goodbyes. The play ends at `end` at the latest: the loop
        // may notice it a little late, and counted from then the pace check expected a tick more (12,001 of
        // a ten-minute play's 12,000).
        stats.playSeconds = Double(min(nowNanos, end) - start) / 1e9
        closePhase(at: stats.playSeconds)
        finish(clock: clock)
        stats.elapsed = Double(clock() - start) / 1e9
        stats.cpuSeconds = ProcessUsage.cpuSeconds() - cpuAtStart
        return stats
    }

    private func connect(_ i: Int) {
        let target = config.targets[bots[i].index % config.targets.count]
        let host = hosts[bots[i].hostIndex]
        do {
            let peer = try host.connect(to: target.address, channels: Wire.channelCount)
            bots[i].peer = peer
            bots[i].phase = .connecting
            botOfSlot[bots[i].hostIndex][peer.slot] = i
        } catch {
            bots[i].phase = .failed
            stats.connectFailures += 1
        }
    }

    private func serviceHosts() {
        for h in hosts.indices {
            do {
                try hosts[h].service(timeoutMs: 0) { event in handle(event, host: h) }
            } catch {
                logger.warning("client host \(h) failed to service: \(error)")
            }
        }
    }

    private func sampleSecond(seconds: Double, lastTraffic: inout (UInt64, UInt64), lastCPU: inout Double) {
        var bytesIn: UInt64 = 0
        var bytesOut: UInt64 = 0
        for host in hosts {
            let t = host.traffic
            bytesIn += t.bytesReceived
            bytesOut += t.bytesSent
        }
        stats.bytesIn = bytesIn
        stats.bytesOut = bytesOut
        var playing = 0
        let current = stats.phases.count - 1
        for bot in bots where bot.phase == .playing {
            playing += 1
            if let peer = bot.peer {
                stats.rtt.record(UInt64(peer.roundTripTimeMs))
                stats.phases[current].rtt.record(UInt64(peer.roundTripTimeMs))
            }
        }
        stats.connected = playing
        stats.connectedBotSeconds += Double(playing) * seconds
        let perBot = max(1, Double(playing)) * seconds
        stats.bytesInPerBotPerSecondNow = Double(bytesIn - lastTraffic.0) / perBot
        stats.bytesOutPerBotPerSecondNow = Double(bytesOut - lastTraffic.1) / perBot
        lastTraffic = (bytesIn, bytesOut)
        stats.handoffsPerSecondNow = Double(stats.handoffs - handoffsAtLastSecond) / seconds
        stats.handoffsPerSecondMax = max(stats.handoffsPerSecondMax, stats.handoffsPerSecondNow)
        handoffsAtLastSecond = stats.handoffs
        stats.ticksPerSecondNow = Double(stats.ticks - ticksAtLastSecond) / seconds
        ticksAtLastSecond = stats.ticks
        let cpu = ProcessUsage.cpuSeconds()
        stats.cpuPercentNow = (cpu - lastCPU) / seconds * 100
        lastCPU = cpu
        stats.residentMiB = ProcessUsage.residentMiB()
    }

    /// Says goodbye: every playing bot sends Leave and disconnects; hosts are serviced briefly so the
    /// zone sees clean leaves rather than timeouts.
    private func finish(clock: () -> UInt64) {
        for i in bots.indices {
            guard let peer = bots[i].peer else { continue }
            switch bots[i].phase {
            case .playing:
                writer.reset()
                ClientMessage.leave(reason: 0).encode(into: &writer)
                try? peer.send(writer.bytes, channel: Wire.controlChannel, delivery: .reliable)
                peer.disconnectLater()
                for standby in bots[i].standbys.values where standby != peer { standby.disconnect() }
                for replacement in bots[i].replacements.values { replacement.disconnect() }
                bots[i].phase = .finished
            case .connecting, .handshaking:
                peer.disconnect()
                bots[i].phase = .finished
            default:
                break
            }
        }
        let until = clock() + 3_000_000_000
        // ENet counts a peer as gone as soon as the disconnect is queued, so wait for each disconnect event.
        while clock() < until && bots.contains(where: { $0.phase == .finished && $0.peer != nil }) {
            NetHost.waitForAny(&pollSet, timeoutMs: 10)
            serviceHosts()
        }
        var bytesIn: UInt64 = 0
        var bytesOut: UInt64 = 0
        for host in hosts {
            bytesIn += host.traffic.bytesReceived
            bytesOut += host.traffic.bytesSent
        }
        stats.bytesIn = bytesIn
        stats.bytesOut = bytesOut
        stats.connected = 0
    }
}
