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
        for slot in sessions.indices where sessions[slot].phase == .playing {
            sendSnapshot(slot: slot)
        }
    }

    /// The snapshot of the player whose owner connection is `slot` (also sent at once when a handoff binds
    /// a connection, so the client's gap is a round trip, not a tick).
    func sendSnapshot(slot: Int) {
        let budget = min(config.snapshotBudget, Wire.maximumSnapshotBytes)
        let tick = UInt32(truncatingIfNeeded: simulation.tick)
        let ownedCount = simulation.players.count
        let id = sessions[slot].playerId
        guard let index = simulation.index(of: id), let record = owned[id], record.slot == slot else { return }
        let p = simulation.players[index]
        let me = SelfState(
            x: Quantize.position(p.position.x), y: Quantize.position(p.position.y),
            vx: Quantize.velocity(p.velocity.x), vy: Quantize.velocity(p.velocity.y),
            health: UInt8(clamping: p.health), flags: p.alive ? EntityFlags.alive : 0,
            coins: UInt16(clamping: p.coinCount), kills: UInt16(clamping: p.kills),
            deaths: UInt16(clamping: p.deaths))
        snapCoins.removeAll(keepingCapacity: true)
        simulation.visibleCoins(from: p.position, into: &visibleCoins)
        // Keep room for the coin count and a few nearby coins; players fill the rest, counted at the full
        // encoding's size so that a full snapshot fits too.
        let coinReserve = 2 + min(visibleCoins.count, 16) * CoinView.wireSize
        // Under load the zone shrinks how many others each snapshot carries (the nearest stay) before its
        // ticks overrun; `entityLimit` is restored as the load falls (see `adaptLoad`).
        let room = min((budget - Snapshot.headerSize - coinReserve) / EntityState.wireSize, entityLimit)
        simulation.visiblePlayers(from: index, limit: max(0, room), into: &visible)
        frameBuilder.members.removeAll(keepingCapacity: true)
        for (j, d2) in visible {
            let state: EntityState
            if j < ownedCount {
                let o = simulation.players[j]
                state = EntityState(
                    id: o.id, x: Quantize.position(o.position.x), y: Quantize.position(o.position.y),
                    vx: Quantize.velocity(o.velocity.x), vy: Quantize.velocity(o.velocity.y),
                    health: UInt8(clamping: o.health), flags: o.alive ? EntityFlags.alive : 0)
            } else {
                let g = simulation.ghosts[j - ownedCount]
                state = EntityState(
                    id: g.id, x: Quantize.position(g.position.x), y: Quantize.position(g.position.y),
                    vx: Quantize.velocity(g.velocity.x), vy: Quantize.velocity(g.velocity.y),
                    health: UInt8(clamping: g.health),
                    flags: (g.alive ? EntityFlags.alive : 0) | EntityFlags.ghost)
            }
            frameBuilder.members.append((state, d2))
        }

        // The baseline is the frame the client acknowledged, if still kept; with it, far members may be
        // carried instead of fresh (see `FrameBuilder`).
        let history = Session.frameHistory
        if sessions[slot].frames.count != history { sessions[slot].frames = Array(repeating: nil, count: history) }
        var baseline: SentFrame?
        let ack = sessions[slot].ackTick
        if config.deltas, ack != 0, tick &- ack < UInt32(history), let b = sessions[slot].frames[Int(ack) % history],
            b.frame.tick == ack
        {
            baseline = b
        }
        if var evicted = sessions[slot].frames[Int(tick) % history], tick &- evicted.frame.tick >= UInt32(history) {
            sessions[slot].frames[Int(tick) % history] = nil
            frameBuilder.reuse(&evicted)
        }
        let last = sessions[slot].lastSentTick
        var previous = sessions[slot].frames[Int(last) % history]
        if previous?.frame.tick != last || tick &- last >= UInt32(history) { previous = nil }
        // The entity section gets what the delta budget leaves after the header and the coins' bitmap.
        let entityBudget = updateBudget - DeltaCodec.headerSize - 2 - ((baseline?.frame.coins.count ?? 0) + 7) / 8
        frameBuilder.build(tick: tick, baseline: baseline, previous: previous, budget: entityBudget,
                           threshold: updateThreshold)
        counters.entitiesSent += UInt64(frameBuilder.entities.count)
        counters.entitiesStale += UInt64(frameBuilder.stale)

        snapshotWriter.begin(tick: tick, lastInputSequence: record.inputs.lastApplied, me: me)
        for e in frameBuilder.entities { snapshotWriter.entity(e) }
        snapshotWriter.beginCoins()
        for c in visibleCoins {
            guard snapshotWriter.count + CoinView.wireSize <= budget else { break }
            let coin = CoinView(id: c.id, x: Quantize.position(c.at.x), y: Quantize.position(c.at.y))
            snapshotWriter.coin(coin)
            snapCoins.append(coin)
        }
        snapshotWriter.finish()
        // Remember what was sent, then send the delta against the client's acknowledged frame when it is
        // smaller than the full snapshot (it nearly always is), else the full one (the same frame).
        let frame = SnapshotFrame(tick: tick, sortedEntities: frameBuilder.entities, coins: snapCoins)
        var bytes = snapshotWriter.writer.bytes
        if let baseline {
            DeltaCodec.encode(frame, lastInputSequence: record.inputs.lastApplied, me: me, baseline: baseline.frame,
                              into: &deltaWriter)
            if deltaWriter.count < bytes.count {
                bytes = deltaWriter.bytes
                counters.deltasSent += 1
            }
        }
        sessions[slot].frames[Int(tick) % history] = SentFrame(frame: frame, freshTicks: frameBuilder.freshTicks)
        sessions[slot].lastSentTick = tick
        let peer = host.peer(slot: slot)
        do {
            try peer.send(bytes, channel: Wire.stateChannel, delivery: .unreliable)
            counters.snapshotsSent += 1
            counters.snapshotBytes += UInt64(bytes.count)
        } catch {
            counters.sendFailures += 1
        }
    }
}
