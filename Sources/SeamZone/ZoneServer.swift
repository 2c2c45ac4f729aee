import Foundation
import Logging
import SeamNet
import SeamProtocol
import SeamSimulation
import SeamWorld

/// One zone server: an ENet host and the zone's simulation, driven by one thread.
///
/// Every tick, in this order: service the network until the tick starts, apply inputs, step the simulation,
/// send events and snapshots, flush. Owned by the thread that calls `run`.
public final class ZoneServer {
    public let config: ZoneConfig
    public let host: NetHost
    public let worldClock: WorldClock
    /// How far into each tick period the tick's work starts (`ZoneConfig.tickPhase`).
    let tickPhaseNanos: UInt64
    public internal(set) var counters = ZoneCounters()
    public internal(set) var simulation: ZoneSimulation

    let logger: Logger
    let journal: Journal?
    /// One per peer slot, for the zone's life: a buffer the zone owns rather than an array, so that writing
    /// a field of a session (a dozen times per player and tick) does not first check that the class's array
    /// is not shared (a runtime call each: 3% of a busy zone's cycles).
    let sessions: UnsafeMutableBufferPointer<Session>
    /// Players this zone owns, by id.
    var owned: [UInt32: OwnedPlayer] = [:]
    /// Players this zone handed over, and to which neighbour: late inputs are forwarded there.
    var handedOff: [UInt32: Int] = [:]
    /// Players handed on whose new owner sent their client Owner over a standby: the commit's time, until
    /// an input here shows the client never heard it (`redirectIfStillHere`).
    var redirectsOnDemand: [UInt32: UInt64] = [:]
    /// Newest epoch seen for each player (owned, offered, accepted): a lower one is stale.
    var knownEpoch: [UInt32: UInt32] = [:]
    var links: [Int: NeighbourLink] = [:]
    /// Players the `resume-early` fault let go on after their offer (never offered again).
    var faultResumed: Set<UInt32> = []
    /// The zone's `start` record, replayed to each observer that attaches later.
    var startRecord: JournalRecord?
    /// Peer slots of referees streaming the journal live.
    var observers: [Int] = []
    /// Journal lines not yet sent to the observers (`sendPendingRecords`), without their newline.
    var recordsPending: [String] = []
    let secret: ClusterSecret
    /// Tokens already used, by player << 32 | nonce, with their expiry (forgotten once expired).
    var usedNonces: [UInt64: UInt64] = [:]
    var linkWriter = ByteWriter(capacity: 1400)
    var nextPlayerSerial: UInt32 = 1
    var simEvents: [SimEvent] = []
    var snapshotWriter = SnapshotWriter()
    var deltaWriter = ByteWriter(capacity: Wire.maximumSnapshotBytes + 64)
    /// Where a ghost snapshot is written (v6 clients), reused.
    var ghostBuffer = [UInt8](repeating: 0, count: Wire.maximumSnapshotBytes)
    /// Chooses each snapshot's fresh and carried entities (see `FrameBuilder`).
    var frameBuilder = FrameBuilder()
    /// Writes each client's delta snapshot (see `FrameBuilder.changes`).
    var deltaEncoder = DeltaEncoder()
    /// This tick's entities in wire form, ranked by id (see `EntityTable`).
    var entityTable = EntityTable()
    var snapCoins: [CoinView] = []
    /// The frames sent on each connection, kept as the baselines of its deltas.
    let frameStore: FrameStore
    /// One kept ENet packet per connection slot for its snapshots (made at its first): creating a packet per
    /// snapshot cost two mallocs and two frees, 10,000 a second at 500 clients.
    let snapshotPackets = ReusablePackets(capacity: Wire.maximumSnapshotBytes)
    /// ENet's clock when the snapshots being sent were begun: keep-alive pings due by then ride with them.
    var snapshotClockMs: UInt32 = 0
    /// The newest ZoneStatus message (`makeZoneStatus`) and its serial; each session keeps the serial it got.
    var statusMessage: [UInt8] = []
    var statusSerial: UInt32 = 0
    var eventWriter = ByteWriter(capacity: 512)
    var visible: [(index: Int, distanceSquared: Double)] = []
    var visibleScratch: [(index: Int, distanceSquared: Double)] = []
    var visibleCoins: [(id: UInt32, at: Vec2, distanceSquared: Double)] = []
    var tickTimes: [Double] = []
    /// The zone thread's CPU time in each of those ticks.
    var tickCPUTimes: [Double] = []
    /// Tick work in microseconds since the last ZoneStatus message (see `makeZoneStatus`).
    var statusWindow: [UInt32] = []
    var refusalLogBudget = 20
    /// Which neighbour last ghosted each player, and when: a shot judged against the last second may hit a
    /// ghost that has left the border band since, and its hit must still find the owner.
    var ghostOwner: [UInt32: (zone: Int, tick: UInt64)] = [:]
    /// Cross-border hits this zone forwarded and awaits an answer for, by shot id.
    var forwardedHits: [ShotID: (hit: RemoteHit, to: Int, tick: UInt64)] = [:]
    /// Shot ids of forwarded hits this zone applied or answered (duplicates are ignored), with the tick.
    var answeredHits: [ShotID: UInt64] = [:]
    /// Shot ids whose results this zone credited to its shooter (each once).
    var creditedHits: [ShotID: UInt64] = [:]
    /// Hits passed on to a player's new owner: where each one's answer must go back to.
    var relayedHits: [ShotID: (back: Int, tick: UInt64)] = [:]
    /// Most other players a snapshot carries now; below `entityLimitMax` while the zone is degrading.
    var entityLimit = ZoneServer.entityLimitMax
    /// More than fit a 1,200-byte full snapshot, so only the byte budget limits it normally.
    static let entityLimitMax = 128
    /// How far far-entity updates are cut under load: the priority a member needs to be refreshed is
    /// `farUpdateLevel` and the update budget `config.updateBudget >> farUpdateLevel`. 0 normally; the first
    /// thing `adaptLoad` raises.
    var farUpdateLevel = 0
    static let farUpdateLevelMax = 2
    /// Under heavier load each client gets a snapshot every `snapshotInterval` ticks, the clients spread over
    /// the ticks by slot: 2 is the second thing `adaptLoad` raises, before the entity limit (clients
    /// interpolate 100 ms behind, so 10 snapshots a second still move smoothly); 3 the last, once the entity
    /// limit is at its floor (a zone far over its budget sends a third of its snapshots per tick instead of
    /// overrunning its ticks).
    var snapshotInterval = 1
    /// Load-level notices, at most one per 5 s (see `NoticeLimiter`).
    var loadNotices = NoticeLimiter(intervalNanos: 5_000_000_000)
    static let snapshotIntervalFirst = 2
    static let snapshotIntervalMax = 3
    /// The fewest others a snapshot carries under load.
    static let entityLimitFloor = 16
    /// Bytes a delta snapshot aims at now (the priority accumulator fills it).
    var updateBudget: Int { config.updateBudget >> farUpdateLevel }
    /// Priority a member beyond the nearest needs to be refreshed now.
    var updateThreshold: Double { Double(farUpdateLevel) }
    /// Set once shutdown begins: new connections are refused.
    var stopping = false
    /// Asked to stop, the zone first lets its pending offers be answered (up to `drainNanos`), and its players
    /// in doubt be settled by a Query (up to `doubtDrainNanos`), offering no more and refusing offers: an answer
    /// says where each player and its coins are. Stopped at once, a zone released players whose offers had no
    /// answer yet with their coins, and when the neighbour had refused or was itself gone, the coins were
    /// nowhere (19 in an overloaded continent-3000's last tick).
    var draining = false
    /// The longest a stopping zone waits for its offers' answers.
    static let drainNanos: UInt64 = 2_000_000_000
    /// The longest a stopping zone waits for its players in doubt: a link between two live zones heals within
    /// `linkHealSeconds` of the first end losing it, and a Query then settles each player; a second more for
    /// the answer. The dead-neighbour rule does not apply while draining.
    static let doubtDrainNanos = UInt64((linkHealSeconds + 1) * 1e9)

    /// Players whose handoff waits for an answer: offered over a link that is up, or in doubt (it went down).
    var handoffsUnanswered: (offered: Int, inDoubt: Int) {
        var offered = 0, inDoubt = 0
        for p in owned.values {
            switch p.handoff {
            case .offered: offered += 1
            case .inDoubt: inDoubt += 1
            case .none: break
            }
        }
        return (offered, inDoubt)
    }

    /// Peer slots in use from their connect event to their disconnect event (or reset): what a new
    /// connection cannot have. ENet's own count of connected peers drops a peer as soon as a disconnect
    /// starts, while its slot stays taken until the other side acknowledges or times out; under standby
    /// churn beside a crowd that is dozens of slots. The peak is since the last status report.
    var slotsHeld = 0
    /// The session slots that can hold a connection: those ENet walks (`NetHost.walkedSlots`), every one past
    /// them free. A zone sized for a crowd has thousands of idle sessions beyond, which per-tick loops skip.
    var liveSlots: Range<Int> { 0..<host.walkedSlots }
    /// Owner connections bound by the events of the current network service, whose snapshots go out
    /// after it (`sendDueSnapshots`).
    var snapshotsDue: [Int] = []
    var slotsHeldPeak = 0

    /// Ticks a late zone runs back to back before it skips ahead to the world clock.
    static let maximumCatchUp: UInt64 = 5

    /// Binds the zone's port and opens its journal. Throws with a one-line reason (e.g. port in use).
    public init(config: ZoneConfig, logger: Logger) throws {
        self.config = config
        self.logger = logger
        host = try NetHost(bind: config.bind, peerLimit: config.peerLimit, channelLimit: Wire.channelCount)
        secret = ClusterSecret(config.secret.count >= 16 ? config.secret : ClusterSecret.random())
        for (index, address) in config.neighbours {
            guard let spec = config.map.zone(index: index) else { continue }
            links[index] = NeighbourLink(zone: spec, address: address,
                                         clientEndpoint: config.clientEndpoints[index] ?? address,
                                         initiator: config.zone.index < index,
                                         standbyReach: config.zone.rect.sharesEdge(with: spec.rect)
                                             ? config.borderBand : config.cornerStandbyBand)
        }
        let now = config.clock.nowNanos()
        worldClock = WorldClock(
            epochNanos: config.epochNanos ?? (now / 1_000_000_000 * 1_000_000_000), tickRate: config.simulation.tickRate)
        tickPhaseNanos = UInt64(min(max(config.tickPhase, 0), 0.999) * Double(worldClock.tickNanos))
        simulation = ZoneSimulation(
            map: config.map, zone: config.zone, config: config.simulation, startTick: worldClock.tick(at: now))
        frameStore = FrameStore(slots: host.peerLimit, history: Session.frameHistory)
        journal = try config.journalDirectory.map { dir throws(ZoneError) in try Journal(directory: dir, zone: config.zone.id) }
        sessions = .allocate(capacity: host.peerLimit)
        sessions.initialize(repeating: Session())
        journal(.start(map: config.map.name, tickRate: config.simulation.tickRate,
                       coinsInZone: simulation.coins.count, capacity: config.capacity))
        journal?.flush()
    }

    deinit {
        sessions.deinitialize()
        sessions.deallocate()
    }

    /// The port actually bound (useful with port 0).
    public var port: UInt16 { host.localAddress.port }

    /// Serves until `stop` is set, reporting status every `config.statusInterval` seconds.
    public func run(until stop: StopSignal, status: (ZoneStatus) -> Void = { _ in }) {
        let clock = config.clock
        maintainLinks()
        var nextTick = simulation.tick + 1
        let statusEvery = max(1, UInt64(config.statusInterval * Double(config.simulation.tickRate)))
        var lastTraffic = host.traffic
        var lastStatusNanos = clock.nowNanos()
        var drainBegan: UInt64?
        while true {
            if stop.isStopped {
                let (offered, inDoubt) = handoffsUnanswered
                let began = drainBegan ?? clock.nowNanos()
                if drainBegan == nil {
                    draining = true
                    drainBegan = began
                    if offered > 0 {
                        logger.notice("stopping: \(offered) offers wait for their answers (up to \(ZoneServer.drainNanos / 1_000_000_000) s)")
                    }
                    if inDoubt > 0 {
                        logger.notice("stopping: \(inDoubt) players in doubt wait for their links to heal (up to \(ZoneServer.doubtDrainNanos / 1_000_000_000) s)")
                    }
                }
                let limit = inDoubt > 0 ? ZoneServer.doubtDrainNanos : ZoneServer.drainNanos
                if offered + inDoubt == 0 || clock.nowNanos() >= began + limit { break }
            }
            let deadline = worldClock.start(of: nextTick) + tickPhaseNanos
            serviceNetwork(until: deadline)
            let began = clock.nowNanos()
            let cpuBegan = ThreadCPUClock.nowNanos()
            let current = worldClock.tick(at: began - tickPhaseNanos)
            if current > nextTick + ZoneServer.maximumCatchUp {
                counters.skippedTicks += current - nextTick
                nextTick = current
            }
            runTick(nextTick)
            let ended = clock.nowNanos()
            tickTimes.append(Double(ended - began) / 1e6)
            tickCPUTimes.append(Double(ThreadCPUClock.nowNanos() &- cpuBegan) / 1e6)
            if ended > worldClock.start(of: nextTick + 1) + tickPhaseNanos { counters.overruns += 1 }
            adaptLoad(workNanos: ended - began)
            noteTickWork(nanos: ended - began)
            if nextTick % statusEvery == 0 {
                let traffic = host.traffic
                let seconds = max(1e-9, Double(ended - lastStatusNanos) / 1e9)
                status(makeStatus(traffic: traffic, since: lastTraffic, seconds: seconds))
                lastTraffic = traffic
                lastStatusNanos = ended
                tickTimes.removeAll(keepingCapacity: true)
                tickCPUTimes.removeAll(keepingCapacity: true)
                slotsHeldPeak = slotsHeld
            }
            nextTick += 1
        }
        shutdown()
    }

    /// Waits for and handles network events until `deadline` (wall nanoseconds).
    private func serviceNetwork(until deadline: UInt64) {
        repeat {
            let now = config.clock.nowNanos()
            let waitMs = now >= deadline ? 0 : UInt32(min((deadline - now + 999_999) / 1_000_000, 1000))
            var handled = 0
            do {
                handled = try host.service(timeoutMs: waitMs) { event in handle(event) }
            } catch {
                logger.warning("network service failed: \(error)")
            }
            sendDueSnapshots()
            // Stopping, no tick follows to send what the services journal (a late Accept's commit).
            if stopping { sendPendingRecords() }
            // Let datagrams gather before the next service: each ENet service walks every peer slot twice,
            // so waking once per datagram cost more than the datagrams (inputs wait for the tick anyway).
            let after = config.clock.nowNanos()
            if handled > 0, after + ZoneServer.serviceGapNanos < deadline {
                usleep(UInt32(ZoneServer.serviceGapNanos / 1000))
            }
        } while config.clock.nowNanos() < deadline
    }

    /// The least time between two services of the network within a tick (2 ms).
    static let serviceGapNanos: UInt64 = 2_000_000

    private func runTick(_ tick: UInt64) {
        counters.ticks += 1
        let tickMs = 1000 / Double(config.simulation.tickRate)
        for i in simulation.players.indices {
            let id = simulation.players[i].id
            // In place (see `receiveInput`): no copy of the player's input queue per tick.
            guard let k = owned.index(forKey: id) else { continue }
            if let slot = owned.values[k].sending().slot, sessions[slot].phase == .playing {
                simulation.setRoundTrip(Double(host.peer(slot: slot).roundTripTimeMs) / tickMs, at: i)
            }
            guard let next = owned.values[k].takeInput(frozen: simulation.players[i].frozen) else { continue }
            simulation.apply(next.command, sequence: next.sequence, at: i)
        }
        simulation.ghosts = freshGhosts()
        simulation.movementBounds = movementBounds()
        simulation.step(to: tick)
        dispatchSimulationEvents()
        manageHandoffs()
        sendGhosts()
        sendEvents()
        // Sent with each client's next snapshot, a ZoneStatus shares its datagram (alone it was one more datagram
        // a second per client); its window holds the ticks before this one.
        if tick % UInt64(config.simulation.tickRate) == 0 { makeZoneStatus() }
        sendSnapshots()
        sendPendingRecords()
        host.flush()
        keepSlotsForLinks()
        if tick % UInt64(config.simulation.tickRate) == 0 {
            // Only where slots run short: a zone seconds behind in an overloaded connect ramp has plenty free,
            // and its "stale" handshakes are live connects whose acknowledgements wait in its socket.
            if freeSlotsBelowReserve() != nil {
                counters.staleHandshakesDropped += host.dropStaleHandshakes(
                    olderThanMs: config.staleHandshakeMs, data: UInt32(RefuseCode.full.rawValue))
            }
            maintainLinks()
            expireRemoteHits()
            expireRedirectsOnDemand()
            journalPositions()
            if config.faults.contains(.teleport), tick % UInt64(3 * config.simulation.tickRate) == 0,
                let victim = simulation.players.first(where: { $0.alive && !$0.frozen })
            {
                let dx: Double = victim.position.x < config.zone.rect.center.x ? 12 : -12
                simulation.teleport(victim.id, by: Vec2(x: dx, y: 0))
            }
            let d = simulation.digest
            journal(.digest(players: d.players, coinsGround: d.coinsGround, coinsCarried: d.coinsCarried))
            journal?.flush()
        }
    }

    private func shutdown() {
        stopping = true
        for slot in sessions.indices where sessions[slot].phase != .idle {
            let phase = sessions[slot].phase
            let peer = host.peer(slot: slot)
            if phase == .link {
                peer.disconnectLater()
                continue
            }
            if phase == .playing || phase == .connected || phase == .standby {
                send(.refuse(code: .shuttingDown, message: "zone \(config.zone.id) is shutting down"), to: peer)
                peer.disconnectLater(data: UInt32(RefuseCode.shuttingDown.rawValue))
            }
            sessions[slot].phase = .closing
            sessions[slot].playerId = 0
        }
        // Every player still here leaves now, its coins dropped where it stands.
        for id in simulation.players.map(\.id) {
            switch owned[id]?.handoff {
            case .offered(let to, let epoch), .inDoubt(let to, let epoch, _):
                // The neighbour may hold the player and its coins already: release them, do not drop them,
                // and do not say the player left (the neighbour may be accepting it right now).
                journalHandoff("abort", player: id, epoch: epoch, to: to, reason: "zone stopped during the handoff")
                simulation.release(id)
                owned[id] = nil
                continue
            default:
                simulation.removePlayer(id: id)
            }
            owned[id] = nil
            counters.leaves += 1
            journal(.leave(player: id, reason: "shutdown"))
        }
        dispatchSimulationEvents()
        sendPendingRecords()
        host.flush()
        // Give the goodbyes a moment to leave; ENet resends reliable packets only while serviced.
        let until = config.clock.nowNanos() + 200_000_000
        serviceNetwork(until: until)
        let d = simulation.digest
        journal(.digest(players: d.players, coinsGround: d.coinsGround, coinsCarried: d.coinsCarried))
        journal(.stop(reason: "stopped"))
        sendPendingRecords()
        journal?.flush()
    }

    /// Graceful degradation: when a tick's work takes more than 60% of the tick period, far entities are
    /// refreshed less first: the update budget halves and the priority they need rises (twice at most); past
    /// that the per-snapshot entity limit shrinks by a fifth (never below 16, the nearest always kept). Below
    /// 35% the entity limit grows back by a tenth per tick, then far updates come back a step per tick.
    /// Changes are journaled as `load` records and counted, so a degrading zone says so.
    func adaptLoad(workNanos: UInt64) {
        let share = Double(workNanos) / Double(worldClock.tickNanos)
        let full = ZoneServer.entityLimitMax
        let before = entityLimit, levelBefore = farUpdateLevel, intervalBefore = snapshotInterval
        // Cut in this order, restore in the reverse: far entities' updates, the snapshot rate to half, the
        // entities, the snapshot rate to a third.
        let high = config.tickBudget, low = config.tickBudget * 0.35 / 0.6
        let floor = ZoneServer.entityLimitFloor
        if share > high {
            if farUpdateLevel < ZoneServer.farUpdateLevelMax {
                farUpdateLevel += 1
            } else if snapshotInterval < ZoneServer.snapshotIntervalFirst {
                snapshotInterval += 1
            } else if entityLimit > floor {
                entityLimit = max(floor, entityLimit * 4 / 5)
            } else if snapshotInterval < ZoneServer.snapshotIntervalMax {
                snapshotInterval += 1
            }
        } else if share < low && snapshotInterval > ZoneServer.snapshotIntervalFirst {
            snapshotInterval -= 1
        } else if share < low && entityLimit < full {
            entityLimit = min(full, entityLimit + max(1, entityLimit / 10))
        } else if share < low && snapshotInterval > 1 {
            snapshotInterval -= 1
        } else if share < low && farUpdateLevel > 0 {
            farUpdateLevel -= 1
        }
        guard entityLimit != before || farUpdateLevel != levelBefore || snapshotInterval != intervalBefore else { return }
        if entityLimit < before || farUpdateLevel > levelBefore || snapshotInterval > intervalBefore {
            counters.degradations += 1
        }
        let normal = isLoadNormal
        let wasNormal = before == full && levelBefore == 0 && intervalBefore == 1
        if normal || wasNormal || entityLimit == floor || farUpdateLevel != levelBefore || snapshotInterval != intervalBefore {
            journal(.load(entityLimit: entityLimit, updateBudget: updateBudget, snapshotInterval: snapshotInterval,
                          tickWorkMs: Double(workNanos) / 1e6))
        }
        let notice: String
        if wasNormal {
            notice = "degrading: tick work \(Int(share * 100))% of the period; far entities refreshed less (update budget \(updateBudget) bytes)"
        } else if snapshotInterval > intervalBefore {
            notice = "degrading further: a snapshot every \(snapshotInterval) ticks per client"
        } else if entityLimit < full && before == full {
            notice = "degrading further: snapshots carry at most \(entityLimit) others"
        } else if normal {
            notice = "load back to normal: snapshots carry up to \(full) others, update budget \(updateBudget) bytes"
        } else {
            return
        }
        let (log, heldBack) = loadNotices.admit(now: config.clock.nowNanos())
        guard log else { return }
        logger.notice("\(notice)\(heldBack > 0 ? " (\(heldBack) load changes since the last notice not logged)" : "")")
    }

    /// No load adaptation in force.
    var isLoadNormal: Bool { entityLimit == ZoneServer.entityLimitMax && farUpdateLevel == 0 && snapshotInterval == 1 }

    /// Every owned, alive, unfrozen player's position, once per second, for the referee's speed check.
    func journalPositions() {
        guard journal != nil else { return }
        let list = simulation.players.filter { $0.alive && !$0.frozen }
            .map { PlayerPosition(player: $0.id, x: $0.position.x, y: $0.position.y) }
        if !list.isEmpty { journal(.positions(list)) }
    }

    func journal(_ event: JournalEvent) {
        let nanos = config.clock.nowNanos()
        let record = JournalRecord(zone: config.zone.id, tick: simulation.tick, timeMs: Int64(nanos / 1_000_000),
                                   timeUs: Int64(nanos / 1_000), event: event)
        if case .start = event { startRecord = record }
        guard !observers.isEmpty else {
            journal?.append(record)
            return
        }
        // One encoding for the file and the observers (it was done twice: the positions record of a zone of
        // 500 players, once a second, took a millisecond or two each time).
        var line = ""
        record.appendJSONLine(to: &line)
        journal?.append(line: line)
        line.removeLast()
        recordsPending.append(line)
    }

    /// Gives the observers every record journaled since the last call, in order. Called once a tick just
    /// before the flush, so the records of a tick leave packed into as few datagrams as fit: sent as they were
    /// journaled, those of the handoffs a zone takes and commits between ticks went one service (2 ms) apart,
    /// in a datagram each, and the observer acknowledged each alone. The live referee holds records back
    /// 300 ms anyway; a tick's wait (50 ms at most) costs it nothing.
    func sendPendingRecords() {
        guard !recordsPending.isEmpty else { return }
        for line in recordsPending {
            for slot in observers { send(.record(json: line), to: host.peer(slot: slot)) }
        }
        recordsPending.removeAll(keepingCapacity: true)
    }

    private func makeStatus(traffic: TrafficCounters, since last: TrafficCounters, seconds: Double) -> ZoneStatus {
        let sorted = tickTimes.sorted(), cpu = tickCPUTimes.sorted()
        func pct(_ p: Double, of sorted: [Double]) -> Double {
            sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
        }
        let d = simulation.digest
        var status = ZoneStatus(
            zone: config.zone.id, tick: simulation.tick, players: simulation.players.count,
            connectedPeers: host.connectedPeers, slotsHeld: slotsHeld, slotsHeldPeak: slotsHeldPeak, slots: host.slotCensus(),
            counters: counters, tickP50Ms: pct(0.5, of: sorted), tickP99Ms: pct(0.99, of: sorted),
            tickMaxMs: sorted.last ?? 0,
            bytesInPerSecond: Double(traffic.bytesReceived - last.bytesReceived) / seconds,
            bytesOutPerSecond: Double(traffic.bytesSent - last.bytesSent) / seconds,
            coinsGround: d.coinsGround, coinsCarried: d.coinsCarried, entityLimit: entityLimit,
            rewind: simulation.rewindStats, tickRate: config.simulation.tickRate, farUpdateLevel: farUpdateLevel,
            snapshotInterval: snapshotInterval)
        status.tickCPUP50Ms = pct(0.5, of: cpu)
        status.tickCPUP99Ms = pct(0.99, of: cpu)
        status.datagramsInPerSecond = Double(traffic.datagramsReceived - last.datagramsReceived) / seconds
        status.datagramsOutPerSecond = Double(traffic.datagramsSent - last.datagramsSent) / seconds
        status.receiveCallsPerSecond = Double(traffic.receiveCalls - last.receiveCalls) / seconds
        status.sendCallsPerSecond = Double(traffic.sendCalls - last.sendCalls) / seconds
        status.oversizeDropped = traffic.oversizeDropped
        status.sendsRefused = traffic.sendsRefused
        return status
    }
}

/// CPU time the calling thread has run, in nanoseconds (`CLOCK_THREAD_CPUTIME_ID`).
enum ThreadCPUClock {
    static func nowNanos() -> UInt64 {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return UInt64(t.tv_sec) * 1_000_000_000 + UInt64(t.tv_nsec)
    }
}
