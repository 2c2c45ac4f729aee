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
        config.map.zones.first(where: { $0.index == Int(index) })?.id ?? "zone\(index)"
    }

    func post(_ event: GameEvent, to player: UInt32) {
        guard let slot = owned[player]?.slot, sessions[slot].phase == .playing else { return }
        sessions[slot].outbox.append(event)
    }

    /// One reliable Events message per player with news this tick.
    func sendEvents() {
        for slot in sessions.indices where !sessions[slot].outbox.isEmpty {
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
        for slot in sessions.indices where sessions[slot].phase == .playing && slot % interval == turn {
            sendSnapshot(slot: slot, in: sim)
        }
    }

    /// The snapshot of the player whose owner connection is `slot`, sent at once when a handoff binds a
    /// connection, so the client's gap is a round trip, not a tick.
    func sendSnapshot(slot: Int) {
        let sim = simulation
        entityTable.rebuild(players: sim.players, ghosts: sim.ghosts)
        sendSnapshot(slot: slot, in: sim, recent: false)
    }

    /// The kept packet `slot`'s snapshots go out in, made at the first (see `snapshotPackets`).
    private func snapshotPacket(slot: Int) -> ReusablePacket {
        if snapshotPackets.count <= slot {
            snapshotPackets.append(contentsOf: repeatElement(nil, count: slot + 1 - snapshotPackets.count))
        }
        if let packet = snapshotPackets[slot] { return packet }
        let packet = ReusablePacket(capacity: Wire.maximumSnapshotBytes)
        snapshotPackets[slot] = packet
        return packet
    }

    /// Keeps a frame no connection needs as the next frames' storage (a few: the rest are freed).
    private func spare(_ frame: SentFrame) {
        if spareFrames.count < 8 { spareFrames.append(frame) }
    }

    /// The snapshot of `slot`'s player, with `entityTable` current for `sim`. With `recent` false (a
    /// snapshot sent between ticks) the view is chosen afresh.
    private func sendSnapshot(slot: Int, in sim: ZoneSimulation, recent: Bool = true) {
        let budget = min(config.snapshotBudget, Wire.maximumSnapshotBytes)
        let tick = UInt32(truncatingIfNeeded: sim.tick)
        let id = sessions[slot].playerId
        guard let index = sim.index(of: id), let k = owned.index(forKey: id) else { return }
        let (owner, lastApplied) = owned.values[k].sending()
        guard owner == slot else { return }
        let p = sim.players[index]
        let me = SelfState(
            x: Quantize.position(p.position.x), y: Quantize.position(p.position.y),
            vx: Quantize.velocity(p.velocity.x), vy: Quantize.velocity(p.velocity.y),
            health: UInt8(clamping: p.health), flags: p.alive ? EntityFlags.alive : 0,
            coins: UInt16(clamping: p.coinCount), kills: UInt16(clamping: p.kills),
            deaths: UInt16(clamping: p.deaths))
        sim.visibleCoins(from: p.position, into: &visibleCoins)
        // Keep room for the coin count and a few nearby coins; players fill the rest, counted at the full
        // encoding's size so that a full snapshot fits too.
        let coinReserve = 2 + min(visibleCoins.count, 16) * CoinView.wireSize
        // Under load the zone shrinks how many others each snapshot carries (the nearest stay) before its
        // ticks overrun; `entityLimit` is restored as the load falls (see `adaptLoad`).
        let room = min((budget - Snapshot.headerSize - coinReserve) / EntityState.wireSize, entityLimit)
        // The last view is kept (with current states) until its connection's turn to choose again, unless
        // it no longer fits or one of its members is gone.
        let refresh = Session.viewRefreshTicks
        let chosen = sessions[slot].viewTick
        if !recent || Int(tick % UInt32(refresh)) == slot % refresh || tick &- chosen >= UInt32(refresh)
            || sessions[slot].view.count > room
            || !entityTable.members(of: &sessions[slot].view, viewer: id, from: p.position, into: &frameBuilder.members)
        {
            entityTable.favouring(sessions[slot].view) { favoured in
                sim.visiblePlayers(from: index, limit: max(0, room), favouring: favoured, into: &visible)
            }
            entityTable.members(of: visible, from: p.position, into: &frameBuilder.members, view: &sessions[slot].view)
            sessions[slot].viewTick = tick
        }

        // The baseline is the frame the client acknowledged, if still kept; with it, far members may be
        // carried instead of fresh (see `FrameBuilder`).
        // The session's frames are worked on out of `sessions` (swapped out and back) so that each access
        // is not a nested copy-on-write check.
        let history = Session.frameHistory
        var frames: [SentFrame?] = []
        swap(&frames, &sessions[slot].frames)
        defer { swap(&frames, &sessions[slot].frames) }
        if frames.count != history { frames = Array(repeating: nil, count: history) }
        var baseline: SentFrame?
        let ack = sessions[slot].ackTick
        if config.deltas, ack != 0, tick &- ack < UInt32(history), let b = frames[Int(ack) % history], b.frame.tick == ack {
            baseline = b
        }
        // The frames older than the acknowledged one are given up as soon as the acknowledgement comes, so
        // a connection keeps a few frames, not `history`, and the next frame is built in the arrays of one
        // just given up (see `spareFrames`). After a jump of `history` or more (or back to 0) they are left
        // to be overwritten when the ring comes round.
        let released = sessions[slot].releasedBelow
        if ack &- released < UInt32(history) {
            var t = released
            while t != ack {
                if let old = frames[Int(t) % history], old.frame.tick == t {
                    frames[Int(t) % history] = nil
                    spare(old)
                }
                t &+= 1
            }
        }
        sessions[slot].releasedBelow = ack
        if let old = frames[Int(tick) % history], tick &- old.frame.tick >= UInt32(history) {
            frames[Int(tick) % history] = nil
            spare(old)
        }
        if var reused = spareFrames.popLast() {
            frameBuilder.reuse(&reused)
            swap(&snapCoins, &reused.frame.coins)
        }
        let last = sessions[slot].lastSentTick
        var previous = frames[Int(last) % history]
        if previous?.frame.tick != last || tick &- last >= UInt32(history) { previous = nil }
        // The entity section gets what the delta budget leaves after the header and the coins' bitmap.
        let entityBudget = updateBudget - DeltaCodec.headerSize - 2 - ((baseline?.frame.coins.count ?? 0) + 7) / 8
        frameBuilder.build(tick: tick, baseline: baseline, previous: previous, budget: entityBudget,
                           threshold: updateThreshold)
        let entities = frameBuilder.entities
        counters.entitiesSent += UInt64(entities.count)
        counters.entitiesStale += UInt64(frameBuilder.stale)

        // The nearest coins that fit a full snapshot, in id order.
        snapCoins.removeAll(keepingCapacity: true)
        var fullSize = Snapshot.headerSize + entities.count * EntityState.wireSize + 2
        for c in visibleCoins {
            guard fullSize + CoinView.wireSize <= budget else { break }
            snapCoins.append(CoinView(id: c.id, x: Quantize.position(c.at.x), y: Quantize.position(c.at.y)))
            fullSize += CoinView.wireSize
        }
        snapCoins.sort { $0.id < $1.id }
        let frame = SnapshotFrame(tick: tick, sortedEntities: entities, sortedCoins: snapCoins)

        // The delta against the client's acknowledged frame when it is smaller than the full snapshot (it
        // nearly always is), else the full one (the same frame).
        var delta = false
        var checksum: UInt16?
        if let baseline {
            checksum = deltaEncoder.encode(frame, lastInputSequence: lastApplied, me: me, baseline: baseline.frame,
                                baselineChecksum: baseline.checksum,
                                known: frameBuilder.known, into: &deltaWriter)
            delta = deltaWriter.count < fullSize
        }
        if !delta {
            snapshotWriter.begin(tick: tick, lastInputSequence: lastApplied, me: me)
            for e in entities { snapshotWriter.entity(e) }
            snapshotWriter.beginCoins()
            for c in snapCoins { snapshotWriter.coin(c) }
            snapshotWriter.finish()
        }
        frames[Int(tick) % history] = SentFrame(frame: frame, freshTicks: frameBuilder.freshTicks, checksum: checksum)
        sessions[slot].lastSentTick = tick
        let bytes = delta ? deltaWriter.bytes : snapshotWriter.writer.bytes
        do {
            try snapshotPacket(slot: slot).sendUnreliable(bytes, to: host.peer(slot: slot), channel: Wire.stateChannel)
            counters.snapshotsSent += 1
            counters.snapshotBytes += UInt64(bytes.count)
            if delta { counters.deltasSent += 1 }
        } catch {
            counters.sendFailures += 1
        }
    }
}
