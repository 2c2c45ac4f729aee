import SeamNet
import SeamProtocol
import SeamSimulation
import SeamWorld

extension ZoneServer {
    /// Turns the simulation's events into journal records and per-player client events.
    func dispatchSimulationEvents() {
        simEvents.removeAll(keepingCapacity: true)
        simulation.takeEvents(into: &simEvents)
        for event in simEvents {
            switch event {
            case .pickup(let player, let coin, let at):
                journal(.pickup(player: player, coin: coin, x: at.x, y: at.y))
                post(.coinPicked(coin: coin), to: player)
            case .drop(let player, let coin, let at, let cause):
                journal(.drop(player: player, coin: coin, x: at.x, y: at.y, cause: cause))
            case .hit(let shooter, let target, let shot, let damage, let health, let origin):
                let from = origin.map { zoneName($0) }
                journal(.hit(shooter: shooter, target: target, shot: shot, damage: damage, health: health, from: from))
                if config.faults.contains(.doubleDamage) {
                    journal(.hit(shooter: shooter, target: target, shot: shot, damage: damage, health: health, from: from))
                }
                // A forwarded hit is confirmed to its shooter by the shooter's zone, on the answer.
                if origin == nil { post(.hitConfirmed(shot: shot, target: target, damage: UInt8(clamping: damage)), to: shooter) }
                post(.damaged(shooter: shooter, health: UInt8(clamping: health)), to: target)
            case .kill(let killer, let victim, let shot, let origin):
                let from = origin.map { zoneName($0) }
                journal(.kill(killer: killer, victim: victim, shot: shot, from: from))
                if origin == nil { post(.killCredited(victim: victim), to: killer) }
                if config.faults.contains(.doubleKill) {
                    journal(.kill(killer: killer, victim: victim, shot: shot, from: from))
                    if origin == nil { post(.killCredited(victim: victim), to: killer) }
                }
            case .shotVoid(let shooter, let shot, let reason):
                post(.shotVoid(shot: shot, reason: reason), to: shooter)
            case .ghostHit(let shooter, let target, let shot, let damage):
                forwardHit(shooter: shooter, target: target, shot: shot, damage: damage)
            case .died(let player, let killer, let respawnTick):
                post(.died(killer: killer, respawnTick: UInt32(truncatingIfNeeded: respawnTick)), to: player)
            case .respawn(let player, let at):
                journal(.respawn(player: player, x: at.x, y: at.y))
                post(.respawned(x: Quantize.position(at.x), y: Quantize.position(at.y)), to: player)
            }
        }
    }

    func zoneName(_ index: UInt16) -> String {
        config.map.zone(index: Int(index))?.id ?? "zone\(index)"
    }

    func post(_ event: GameEvent, to player: UInt32) {
        guard let slot = owned[player]?.slot, sessions[slot].phase == .playing else { return }
        sessions[slot].outbox.append(event)
    }

    /// One reliable Events message per player with news this tick.
    func sendEvents() {
        for slot in liveSlots where !sessions[slot].outbox.isEmpty {
            let events = sessions[slot].outbox
            sessions[slot].outbox.removeAll(keepingCapacity: true)
            guard sessions[slot].phase == .playing else { continue }
            var start = 0
            while start < events.count {
                let end = min(events.count, start + 255)
                send(.events(Array(events[start..<end])), to: host.peer(slot: slot))
                start = end
            }
        }
    }

    /// A snapshot per player: itself, then the nearest players and coins that fit the byte budget.
    func sendSnapshots() {
        // One copy of the simulation for every client: reading the class's stored struct per call copied it
        // (a retain per array it holds) several times per client.
        let sim = simulation
        entityTable.rebuild(players: sim.players, ghosts: sim.ghosts)
        // At half rate (heavy load, see `adaptLoad`) even slots get theirs on even ticks, odd on odd.
        let interval = snapshotInterval, turn = Int(sim.tick % UInt64(interval))
        snapshotClockMs = NetHost.nowMs
        // Each connection's snapshot is sent while the next one's ghost view is prefetched (v6).
        var previous: Int?
        for slot in liveSlots where sessions[slot].phase == .playing && slot % interval == turn {
            if sessions[slot].version != Wire.deltaSnapshotVersion { sessions[slot].ghost.prefetch() }
            if let previous { sendSnapshot(slot: previous, in: sim) }
            previous = slot
        }
        if let previous { sendSnapshot(slot: previous, in: sim) }
    }

    /// The snapshots of the players whose owner connections were bound since the last call (`snapshotsDue`),
    /// sent after the network service that bound them, not at the next tick, so a client's handoff gap is a
    /// round trip. One entity table for them all: rebuilt for each binding (hundreds a second in a hot zone
    /// beside a crowd), it was 8% of such a zone's CPU at continent-3000.
    func sendDueSnapshots() {
        guard !snapshotsDue.isEmpty else { return }
        let sim = simulation
        snapshotClockMs = NetHost.nowMs
        entityTable.rebuild(players: sim.players, ghosts: sim.ghosts)
        for (k, slot) in snapshotsDue.enumerated()
        where sessions[slot].phase == .playing && !snapshotsDue[..<k].contains(slot) {
            sendSnapshot(slot: slot, in: sim, recent: false)
        }
        snapshotsDue.removeAll(keepingCapacity: true)
    }

    /// The snapshot of `slot`'s player, with `entityTable` current for `sim`. With `recent` false (a
    /// snapshot sent between ticks) the view is chosen afresh.
    private func sendSnapshot(slot: Int, in sim: ZoneSimulation, recent: Bool = true) {
        let budget = min(config.snapshotBudget, Wire.maximumSnapshotBytes)
        let tick = UInt32(truncatingIfNeeded: sim.tick)
        let id = sessions[slot].playerId
        // Where the player was at the last snapshot, if it is still there: a hash lookup per snapshot less.
        var index = sessions[slot].playerIndex
        if index >= sim.players.count || sim.players[index].id != id {
            guard let found = sim.index(of: id) else { return }
            index = found
            sessions[slot].playerIndex = found
        }
        guard let k = owned.index(forKey: id) else { return }
        let (owner, lastApplied) = owned.values[k].sending()
        guard owner == slot else { return }
        let p = sim.players[index]
        let me = SelfState(
            x: Quantize.position(p.position.x), y: Quantize.position(p.position.y),
            vx: Quantize.velocity(p.velocity.x), vy: Quantize.velocity(p.velocity.y),
            health: UInt8(clamping: p.health), flags: p.alive ? EntityFlags.alive : 0,
            coins: UInt16(clamping: p.coinCount), kills: UInt16(clamping: p.kills),
            deaths: UInt16(clamping: p.deaths))
        if sessions[slot].version == Wire.deltaSnapshotVersion {
            sim.visibleCoins(from: p.position, into: &visibleCoins)
            let room = viewRoom(coins: visibleCoins.count, budget: budget)
            // The last view is kept (with current states) until its connection's turn to choose again, unless
            // it no longer fits or one of its members is gone.
            if mustChooseView(slot: slot, tick: tick, recent: recent) || sessions[slot].view.count > room
                || !entityTable.members(of: &sessions[slot].view, viewer: id, from: p.position, into: &frameBuilder.members)
            {
                chooseView(slot: slot, index: index, position: p.position, room: room, tick: tick, in: sim)
            }
            sendDeltaSnapshot(slot: slot, tick: tick, me: me, lastApplied: lastApplied, budget: budget)
            return
        }
        // v6: the view and the coins in view are chosen every 16th tick (the coins also when one was picked up or
        // dropped); in between the members' states are read from the entity table as they are sent.
        // The view's references need checking only when the table's layout changed since they were right.
        let moved = sessions[slot].viewLayout != entityTable.layout
        let checked = !moved || entityTable.check(view: &sessions[slot].view, viewer: id)
        let choose = mustChooseView(slot: slot, tick: tick, recent: recent) || sessions[slot].view.count > entityLimit
            || !checked
        let coins = choose || sessions[slot].groundRevision != sim.groundRevision
        if coins {
            sim.visibleCoins(from: p.position, into: &visibleCoins)
            sessions[slot].groundRevision = sim.groundRevision
        }
        if choose {
            chooseView(slot: slot, index: index, position: p.position,
                       room: viewRoom(coins: visibleCoins.count, budget: budget), tick: tick, in: sim)
            frameBuilder.members.withUnsafeBufferPointer { members in
                sessions[slot].ghost.choose(view: sessions[slot].view, states: members)
            }
        }
        sessions[slot].viewLayout = entityTable.layout
        sendGhostSnapshot(slot: slot, tick: tick, me: me, lastApplied: lastApplied, coins: coins, moved: moved && !choose)
    }

    /// How many others a snapshot may carry: the byte budget less the header and room for the coin count and
    /// up to 16 coins, counted at the full encoding's size (so that a full snapshot fits too), and at most
    /// the entity limit (lower under load: see `adaptLoad`).
    private func viewRoom(coins: Int, budget: Int) -> Int {
        let coinReserve = 2 + min(coins, 16) * CoinView.wireSize
        return max(0, min((budget - Snapshot.headerSize - coinReserve) / EntityState.wireSize, entityLimit))
    }

    /// Whether `slot`'s view is chosen again this tick: its turn (slot mod 8 = tick mod 8; 16 for v6 clients),
    /// that many ticks since the last choice, or a snapshot sent between ticks (`recent` false).
    private func mustChooseView(slot: Int, tick: UInt32, recent: Bool) -> Bool {
        let refresh = sessions[slot].version == Wire.deltaSnapshotVersion
            ? Session.viewRefreshTicks : Session.ghostViewRefreshTicks
        return !recent || Int(tick % UInt32(refresh)) == slot % refresh || tick &- sessions[slot].viewTick >= UInt32(refresh)
    }

    /// Chooses `slot`'s view again: the nearest `room` others of the player at `index` (its members favoured),
    /// into `sessions[slot].view` and, with their states and squared distances, `frameBuilder.members`.
    private func chooseView(slot: Int, index: Int, position: Vec2, room: Int, tick: UInt32, in sim: ZoneSimulation) {
        entityTable.favouring(sessions[slot].view) { favoured in
            sim.visiblePlayers(from: index, limit: room, favouring: favoured, scratch: &visibleScratch, into: &visible)
        }
        entityTable.members(of: visible, from: position, into: &frameBuilder.members, view: &sessions[slot].view)
        sessions[slot].viewTick = tick
    }

    /// A v6 client's snapshot: the changes to its table (`GhostView`), with `visibleCoins` the coins in view
    /// when `coins` (else the ones it has).
    private func sendGhostSnapshot(slot: Int, tick: UInt32, me: SelfState, lastApplied: UInt32, coins: Bool, moved: Bool) {
        let frame = GhostView.Frame(tick: tick, lastInputSequence: lastApplied, me: me, updateBudget: updateBudget,
                                    threshold: updateThreshold)
        // Every array lent in place (the mutable forms): the others retained and released each array held in
        // this class, per snapshot.
        let built = entityTable.withStates { states in
            visibleCoins.withUnsafeMutableBufferPointer { visible in
                ghostBuffer.withUnsafeMutableBytes { buffer in
                    sessions[slot].buildGhost(frame, moved: moved, states: states, coins: coins ? UnsafeBufferPointer(visible) : nil,
                                              into: buffer)
                }
            }
        }
        guard let built else { return }
        counters.entitiesSent += UInt64(built.sent + built.stale)
        counters.entitiesStale += UInt64(built.stale)
        sessions[slot].lastSentTick = tick
        let peer = host.peer(slot: slot), packets = snapshotPackets, count = built.bytes
        carryPing(peer)
        let delivered = ghostBuffer.withUnsafeMutableBytes { bytes in
            do {
                try packets.sendUnreliable(UnsafeRawBufferPointer(rebasing: bytes[0..<count]), slot: slot, to: peer,
                                           channel: Wire.stateChannel)
                return true
            } catch {
                return false
            }
        }
        guard delivered else {
            counters.sendFailures += 1
            return
        }
        counters.snapshotsSent += 1
        counters.snapshotBytes += UInt64(count)
        counters.ghostsSent += 1
        sendStatusIfDue(slot: slot, peer: peer)
    }

    /// Queues the connection's keep-alive ping to leave with its snapshot if it falls due before the next
    /// one (a tick more than the snapshot interval): otherwise ENet sends it alone between ticks.
    private func carryPing(_ peer: Peer) {
        let leadMs = UInt32(snapshotInterval + 1) * UInt32(worldClock.tickNanos / 1_000_000)
        peer.pingIfDue(nowMs: snapshotClockMs, leadMs: leadMs)
    }

    /// A v5 client's snapshot: a delta against the frame it acknowledged, or a full one.
    private func sendDeltaSnapshot(slot: Int, tick: UInt32, me: SelfState, lastApplied: UInt32, budget: Int) {
        // The baseline is the frame the client acknowledged, if still kept; with it, far members may be
        // carried instead of fresh (see `FrameBuilder`). The frames older than it are given up first: the
        // next frame is kept in the storage of one just given up (see `FrameStore`).
        let history = UInt32(frameStore.history)
        let ack = sessions[slot].ackTick
        frameStore.release(slot: slot, below: ack)
        let baseline = config.deltas && ack != 0 && tick &- ack < history ? frameStore.frame(slot: slot, tick: ack) : nil
        let last = sessions[slot].lastSentTick
        let previous = tick &- last < history ? frameStore.frame(slot: slot, tick: last) : nil
        // The entity section gets what the delta budget leaves after the header and the coins' bitmap.
        let entityBudget = updateBudget - DeltaCodec.headerSize - 2 - ((baseline?.coins.count ?? 0) + 7) / 8
        frameBuilder.build(tick: tick, baseline: baseline?.sent, previous: previous?.sent, budget: entityBudget,
                           threshold: updateThreshold)
        let entityCount = frameBuilder.members.count
        counters.entitiesSent += UInt64(entityCount)
        counters.entitiesStale += UInt64(frameBuilder.stale)

        // The nearest coins that fit a full snapshot, in id order.
        snapCoins.removeAll(keepingCapacity: true)
        var fullSize = Snapshot.headerSize + entityCount * EntityState.wireSize + 2
        // Through a buffer lent in place: iterating the stored array, or its `withUnsafeBufferPointer`,
        // retained it (a locked instruction per snapshot).
        visibleCoins.withUnsafeMutableBufferPointer { visible in
            for c in visible {
                guard fullSize + CoinView.wireSize <= budget else { break }
                snapCoins.append(CoinView(id: c.id, x: Quantize.position(c.at.x), y: Quantize.position(c.at.y)))
                fullSize += CoinView.wireSize
            }
        }
        snapCoins.sort { $0.id < $1.id }

        // The delta against the client's acknowledged frame when it is smaller than the full snapshot (it
        // nearly always is), else the full one (the same frame). The frame is kept either way.
        let built = frameBuilder.frame
        let delta = snapCoins.withUnsafeBufferPointer { coins in
            let frame = DeltaEncoder.Frame(tick: tick, entities: built.entities, coins: coins)
            var delta = false
            let checksum: UInt16
            if let baseline {
                checksum = deltaEncoder.encode(
                    frame, lastInputSequence: lastApplied, me: me,
                    baseline: DeltaEncoder.Frame(tick: baseline.tick, entities: baseline.entities, coins: baseline.coins),
                    baselineChecksum: baseline.checksum, changes: built.changes, baseIndices: built.baseIndices,
                    into: &deltaWriter)
                delta = deltaWriter.count < fullSize
            } else {
                checksum = frame.checksum
            }
            if !delta {
                snapshotWriter.begin(tick: tick, lastInputSequence: lastApplied, me: me)
                for e in built.entities { snapshotWriter.entity(e) }
                snapshotWriter.beginCoins()
                for c in coins { snapshotWriter.coin(c) }
                snapshotWriter.finish()
            }
            frameStore.keep(slot: slot, tick: tick, checksum: checksum, entities: built.entities,
                            freshTicks: built.freshTicks, coins: coins)
            return delta
        }
        sessions[slot].lastSentTick = tick
        // Through the writers' own buffers: taking `bytes` out of them retained the array (see `withUnsafeBytes`).
        let peer = host.peer(slot: slot), packets = snapshotPackets
        carryPing(peer)
        func send(_ bytes: UnsafeRawBufferPointer) throws(NetError) -> Int {
            try packets.sendUnreliable(bytes, slot: slot, to: peer, channel: Wire.stateChannel)
            return bytes.count
        }
        do {
            let count = delta ? try deltaWriter.withUnsafeBytes(send) : try snapshotWriter.writer.withUnsafeBytes(send)
            counters.snapshotsSent += 1
            counters.snapshotBytes += UInt64(count)
            if delta { counters.deltasSent += 1 }
            sendStatusIfDue(slot: slot, peer: peer)
        } catch {
            counters.sendFailures += 1
        }
    }
}
