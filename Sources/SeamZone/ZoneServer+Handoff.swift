import SeamNet
import SeamProtocol
import SeamSimulation
import SeamWorld

/// Make-before-break handoff (docs/PROTOCOL.md, "Handoff"): standby, offer, accept, commit, reject/abort,
/// in doubt and its resolution.
extension ZoneServer {
    /// Once per tick: standby connections for players in a border band, offers for players deep enough in
    /// a neighbour's territory, and in-doubt players whose neighbour was declared dead.
    func manageHandoffs() {
        let now = config.clock.nowNanos()
        var gone: [UInt32] = []
        defer { for id in gone { leave(player: id, reason: "no client") } }
        // Deeper inside this zone than this, a player is in no neighbour's standby band (a neighbour's territory
        // lies beyond this zone's edges) and triggers no offer.
        var reach = 0.0
        // What the standby pass needs of each link, read once: iterating `links` per player copied each link
        // (a retain and release of its ghost table) for every player in the band, every tick.
        var bands: [(index: Int, rect: Rect, reach: Double, up: Bool)] = []
        for (index, link) in links {
            reach = max(reach, link.standbyReach)
            bands.append((index, link.zone.rect, link.standbyReach, link.up))
        }
        let home = config.zone.rect
        for i in simulation.players.indices {
            let player = simulation.players[i]
            let id = player.id
            guard let k = owned.index(forKey: id) else { continue }
            // Most players have nothing to do: found without copying the record (a copy retains and releases
            // its input queue and standby set, per player per tick).
            let p = player.position
            let inside = min(p.x - home.minX, home.maxX - p.x, p.y - home.minY, home.maxY - p.y)
            if inside > reach && owned.values[k].isSettled() { continue }
            // The rest reads and writes the record in place too: only a resume copies it.
            let (slot, handoff, epoch, lastApplied, acceptedNanos) = owned.values[k].handoffState()
            switch handoff {
            case .offered:
                continue
            case .inDoubt(let to, let epoch, let since):
                let dead = links[to].map { !$0.up && now - ($0.downSinceNanos ?? since) >= deadNanos } ?? true
                // A stopping zone does not resume: the neighbour may have stopped first with the player, and a
                // player the drain leaves in doubt is released at the stop.
                guard dead, now - since >= deadNanos, !draining else { continue }
                // The neighbour is gone: resume, skipping an epoch so any copy it still holds is fenced.
                var record = owned.values[k]
                record.epoch = epoch + 1
                record.handoff = .none
                record.acceptedNanos = now
                owned[id] = record
                knownEpoch[id] = max(knownEpoch[id] ?? 0, record.epoch)
                simulation.setFrozen(false, player: id)
                simulation.pushInside(id)
                journalHandoff("resolve", player: id, epoch: record.epoch, to: to, reason: "neighbour declared dead; resumed at a skipped epoch")
                continue
            case .none:
                break
            }
            // A player whose client never attached (it vanished mid-handoff) leaves after a grace period.
            guard slot != nil else {
                if !ZoneServer.awaitsClient(acceptedNanos: acceptedNanos, now: now) { gone.append(id) }
                continue
            }
            let position = player.position
            // Standby connections: open in the band, drop with a margin past it (no churn along a border).
            for (index, rect, reach, up) in bands {
                let d = rect.distance(to: position)
                if d <= reach, up, !owned.values[k].hasStandby(index) {
                    owned.values[k].standbys.insert(index)
                    send(.standby(endpoint(of: index), token: token(for: id, zone: index, purpose: .standby)), toPlayer: id)
                    journalHandoff("standby", player: id, epoch: epoch, to: index, reason: nil)
                } else if d > reach + 2, owned.values[k].hasStandby(index) {
                    owned.values[k].standbys.remove(index)
                    send(.standbyDrop(zoneIndex: UInt16(index)), toPlayer: id)
                }
            }
            // Trigger: inside a neighbour's territory by more than the hysteresis.
            guard player.alive, !draining, !faultResumed.contains(id), let target = config.map.zone(containing: position),
                target.index != config.zone.index,
                config.zone.rect.distance(to: position) > config.hysteresis, links[target.index]?.up == true,
                let transfer = simulation.transfer(of: id, epoch: epoch + 1, lastInputSequence: lastApplied)
            else { continue }
            simulation.setFrozen(true, player: id)
            owned.values[k].handoff = .offered(to: target.index, epoch: transfer.epoch)
            knownEpoch[id] = transfer.epoch
            let digest = transfer.digest
            sendLink(.offer(transfer, digest: digest, sentMs: now / 1_000_000), to: target.index)
            journalHandoff("offer", player: id, epoch: transfer.epoch, to: target.index, digest: digest, reason: nil)
            if config.faults.contains(.resumeEarly) {
                // Fault: carry on without waiting for the answer (and never offer it again); the neighbour
                // will own the player too.
                owned.values[k].handoff = .none
                faultResumed.insert(id)
                simulation.setFrozen(false, player: id)
            }
        }
    }

    var deadNanos: UInt64 { UInt64(config.deadAfterSeconds * 1e9) }

    /// A neighbour offers us a player.
    func receiveOffer(_ t: PlayerTransfer, digest: UInt64, sentMs: UInt64, from index: Int) {
        func reject(_ reason: RejectReason, _ why: String) {
            sendLink(.reject(player: t.player, epoch: t.epoch, reason: reason), to: index)
            journal(.handoff(phase: "reject", player: t.player, epoch: t.epoch, from: zoneId(index), to: config.zone.id,
                             x: t.x, y: t.y, digest: digest, reason: why))
        }
        if let p = owned[t.player], p.epoch == t.epoch {
            // A repeated offer we already took: answer it again.
            sendLink(.accept(player: t.player, epoch: t.epoch, digest: digest, ownerSent: p.slot != nil), to: index)
            return
        }
        guard owned[t.player] == nil else { return reject(.staleEpoch, "player is already owned here at epoch \(owned[t.player]!.epoch)") }
        guard t.coins.allSatisfy({ simulation.coinIndex($0) == nil }) else {
            return reject(.staleEpoch, "a carried coin is already in this zone")
        }
        guard t.digest == digest else { return reject(.unknown, "state digest does not match the offer's") }
        // The fence against two owners: the sender resumes an in-doubt player only after `deadAfter`, so an
        // offer older than half of that is refused (zones share a clock: one machine, or NTP).
        let ageMs = config.clock.nowNanos() / 1_000_000 &- sentMs
        guard ageMs <= UInt64(config.deadAfterSeconds * 500) || sentMs > config.clock.nowNanos() / 1_000_000 else {
            return reject(.expired, "offer is \(ageMs) ms old; the sender may have resumed the player")
        }
        guard !stopping, !draining else { return reject(.shuttingDown, "zone is shutting down") }
        if let known = knownEpoch[t.player], t.epoch <= known {
            return reject(.staleEpoch, "epoch \(t.epoch) is not newer than \(known)")
        }
        guard config.zone.rect.distance(to: Vec2(x: t.x, y: t.y)) <= config.hysteresis + 1.5 else {
            return reject(.outsideTerritory, "position is outside this zone's territory")
        }
        guard simulation.players.count < config.capacity else { return reject(.full, "zone is full") }
        simulation.install(t)
        var record = OwnedPlayer(slot: nil, epoch: t.epoch)
        record.acceptedNanos = config.clock.nowNanos()
        record.inputs.lastApplied = t.lastInputSequence
        record.inputs.newestReceived = t.lastInputSequence
        // The client still has its connection to the old owner: count it as a standby there.
        record.standbys = [index]
        owned[t.player] = record
        knownEpoch[t.player] = t.epoch
        handedOff[t.player] = nil
        redirectsOnDemand[t.player] = nil
        counters.handoffsIn += 1
        journal(.handoff(phase: "accept", player: t.player, epoch: t.epoch, from: zoneId(index), to: config.zone.id,
                         x: t.x, y: t.y, digest: digest, reason: nil, coins: t.coins.count, coinIds: t.coins))
        let standby = liveSlots.first { sessions[$0].phase == .standby && sessions[$0].playerId == t.player }
        sendLink(.accept(player: t.player, epoch: t.epoch, digest: digest, ownerSent: standby != nil), to: index)
        if let slot = standby { bindOwner(slot: slot, player: t.player) }
    }

    /// How long a player this zone took (accept, resume, abort) waits for its client to attach before it
    /// leaves (`no client`): as long as the Redirect's token is valid, which its old owner signs when the
    /// commit reaches it, plus the 5 s a link may take to carry the commit. A client that is seconds behind
    /// (a loaded machine: continent-3000 had attaches at 19 s p99) still finds its player; 5 s of grace,
    /// as before, made ~900 players leave there while their clients stayed connected, blind for good.
    static let clientGraceNanos = (AttachToken.lifetimeMs + 5_000) * 1_000_000

    /// Whether a player this zone took at `acceptedNanos` (0 for one that joined here) still waits for a
    /// client at `now`.
    static func awaitsClient(acceptedNanos: UInt64, now: UInt64) -> Bool {
        now &- acceptedNanos <= clientGraceNanos
    }

    /// The connection in `slot` becomes the player's owner connection: inputs go here from now on.
    func bindOwner(slot: Int, player id: UInt32) {
        guard var record = owned[id] else { return }
        record.slot = slot
        owned[id] = record
        host.peer(slot: slot).setPingInterval(ms: Peer.ownerPingIntervalMs)
        sessions[slot].phase = .playing
        sessions[slot].playerId = id
        sessions[slot].leaveReason = "disconnected"
        // The client dropped its baselines when the owner changed: no delta until it acknowledges anew.
        sessions[slot].ackTick = 0
        frameStore.clear(slot: slot)
        sessions[slot].ghost.startReset()
        send(.owner(player: id, epoch: record.epoch, tick: UInt32(truncatingIfNeeded: simulation.tick),
                    zoneIndex: UInt16(config.zone.index)), to: host.peer(slot: slot))
        snapshotsDue.append(slot)
    }

    /// The neighbour took the player: commit. It becomes a ghost here (if still in the band), its buffered
    /// inputs go to the new owner, and its client gets a Redirect as a fallback: at once when the neighbour
    /// had no standby connection of the client's to send Owner over, else only if the client is still
    /// heard from here `redirectOnDemandNanos` later (`redirectIfStillHere`).
    func receiveAccept(player id: UInt32, epoch: UInt32, ownerSent: Bool, from index: Int) {
        guard let record = owned[id] else { return }
        // Fault: the commit is lost; the player stays frozen here forever while the neighbour owns it.
        if config.faults.contains(.dropCommit) { return }
        switch record.handoff {
        case .offered(let to, let e) where to == index && e == epoch: break
        case .inDoubt(let to, let e, _) where to == index && e == epoch:
            journalHandoff("resolve", player: id, epoch: epoch, to: index, reason: "neighbour confirmed it took the player")
        default: return
        }
        let position = simulation.player(id)?.position ?? .zero
        let coinIds = simulation.carriedCoins(of: id)
        let coins = coinIds.count
        if config.faults.contains(.duplicateCoin) {
            // Fault: the coins stay here on the ground as well as leaving with the player.
            simulation.dropSilently(id)
        }
        simulation.release(id)
        owned[id] = nil
        handedOff[id] = index
        counters.handoffsOut += 1
        journal(.handoff(phase: "commit", player: id, epoch: epoch, from: config.zone.id, to: zoneId(index),
                         x: position.x, y: position.y, digest: nil, reason: nil, coins: coins, coinIds: coinIds))
        if let pending = record.inputs.unapplied() {
            sendLink(.inputs(player: id, newestSequence: pending.newest, commands: pending.commands), to: index)
        }
        if let slot = record.slot {
            sessions[slot].phase = .standby
            host.peer(slot: slot).setPingInterval(ms: Peer.standbyPingIntervalMs)
            if ownerSent {
                redirectsOnDemand[id] = config.clock.nowNanos()
            } else {
                send(.redirect(endpoint(of: index), token: token(for: id, zone: index, purpose: .redirect)),
                     to: host.peer(slot: slot))
            }
        }
    }

    /// How long after a commit whose Accept said Owner was sent an input from the client here means it never
    /// heard that Owner (its standby connection was lost on the way): five ticks, past the inputs that were
    /// in flight when the Owner reached it. Sent at every commit, the Redirect and its acknowledgement were
    /// two datagrams per handoff that a client with a standby ignores (3% of a continent-2000's datagrams in
    /// border-dance).
    static let redirectOnDemandNanos: UInt64 = 250_000_000

    /// An input for `id`, handed on to zone `next`, arrived here on `slot`: the Redirect held back at the
    /// commit goes now if the client is still here that long after.
    func redirectIfStillHere(_ id: UInt32, next: Int, slot: Int) {
        guard let committed = redirectsOnDemand[id], config.clock.nowNanos() &- committed >= ZoneServer.redirectOnDemandNanos
        else { return }
        redirectsOnDemand[id] = nil
        counters.redirectsOnDemand += 1
        send(.redirect(endpoint(of: next), token: token(for: id, zone: next, purpose: .redirect)), to: host.peer(slot: slot))
    }

    /// Once a second: a Redirect held back longer than a Redirect's token lives is no longer wanted (the
    /// client moved, or went).
    func expireRedirectsOnDemand() {
        guard !redirectsOnDemand.isEmpty else { return }
        let now = config.clock.nowNanos()
        let lifetime = AttachToken.lifetimeMs * 1_000_000
        redirectsOnDemand = redirectsOnDemand.filter { now &- $0.value < lifetime }
    }

    /// The neighbour refused: resume at the same epoch, back inside the territory (the border is a wall).
    func receiveReject(player id: UInt32, epoch: UInt32, reason: RejectReason, from index: Int) {
        guard var record = owned[id] else { return }
        switch record.handoff {
        case .offered(let to, let e) where to == index && e == epoch: break
        case .inDoubt(let to, let e, _) where to == index && e == epoch:
            journalHandoff("resolve", player: id, epoch: record.epoch, to: index, reason: "neighbour did not take the player")
        default: return
        }
        record.handoff = .none
        record.acceptedNanos = config.clock.nowNanos()
        owned[id] = record
        simulation.setFrozen(false, player: id)
        simulation.pushInside(id)
        counters.handoffsAborted += 1
        journalHandoff("abort", player: id, epoch: record.epoch, to: index, reason: "\(reason)")
    }

    /// A client attaches with a zone-signed token: a standby connection, or the owner connection after a
    /// redirect. Forged, expired, replayed or misdirected tokens are refused and counted.
    func attach(_ peer: Peer, token: AttachToken) {
        let nowMs = config.clock.nowNanos() / 1_000_000
        guard secret.verify(token) else { return refuse(peer, .badToken, "token signature is not valid") }
        guard Int(token.zoneIndex) == config.zone.index else {
            return refuse(peer, .badToken, "token is for zone index \(token.zoneIndex), this is \(config.zone.index)")
        }
        guard token.expiresMs >= nowMs else { return refuse(peer, .badToken, "token expired") }
        let replayKey = UInt64(token.player) << 32 | UInt64(token.nonce)
        guard usedNonces[replayKey] == nil else { return refuse(peer, .badToken, "token already used") }
        if token.purpose == .redirect, owned[token.player] == nil, handedOff[token.player] == nil,
            knownEpoch[token.player] == nil
        {
            return refuse(peer, .badToken, "redirect for a player this zone never took")
        }
        if token.purpose == .standby, let free = freeSlotsBelowReserve() {
            return refuse(peer, .full, "no peer slot to spare for a standby connection (\(free) free, "
                          + "kept for players and redirects); the handoff will redirect")
        }
        usedNonces[replayKey] = token.expiresMs
        sessions[peer.slot].playerId = token.player
        sessions[peer.slot].phase = .standby
        peer.setPingInterval(ms: Peer.standbyPingIntervalMs)
        send(.attached(player: token.player, zoneIndex: UInt16(config.zone.index)), to: peer)
        if let record = owned[token.player] {
            if record.slot == nil { bindOwner(slot: peer.slot, player: token.player) }
        } else if let next = handedOff[token.player] {
            // The player moved on while this client was behind (its old owner handed it on before this client
            // heard of this zone as its owner, so no Redirect reached it): point it where the player went. A
            // client already there ignores this.
            counters.attachesRedirected += 1
            send(.redirect(endpoint(of: next), token: self.token(for: token.player, zone: next, purpose: .redirect)),
                 to: peer)
        }
    }

    /// The free peer slots when they are too few for one more standby connection, else nil. A zone keeps
    /// its 16 spares (to refuse with a reason) and room for the players it may still take, up to a sixteenth
    /// of its slots, and at least a sixty-fourth: a connect finding every ENet slot taken is ignored, not
    /// refused, and retried for seconds (docs/PROTOCOL.md "Peer slots"), and ENet counts only connected
    /// peers, not those still connecting, so a burst of connects needs a margin. Standbys are what gives way:
    /// a player without one is redirected after its handoff. A zone whose slots are not capped at ENet's
    /// 4,095 has room for the standbys it was sized for, so this bites only beside a crowd.
    func freeSlotsBelowReserve() -> Int? {
        let limit = host.peerLimit
        let room = max(0, config.capacity - simulation.players.count)
        let reserve = ZoneConfig.spareSlots + max(limit / 64, min(room, limit / 16))
        // The slots of peers still disconnecting are not free either (see `slotsHeld`).
        let free = limit - max(host.connectedPeers, slotsHeld)
        return free - 1 < reserve ? free : nil
    }

    func endpoint(of index: Int) -> ZoneEndpoint {
        let address = links[index]?.clientEndpoint ?? NetAddress(host: 0, port: 0)
        return ZoneEndpoint(zoneIndex: UInt16(index), host: address.host, port: address.port)
    }

    func token(for player: UInt32, zone index: Int, purpose: TokenPurpose) -> AttachToken {
        let expires = config.clock.nowNanos() / 1_000_000 + AttachToken.lifetimeMs
        return secret.sign(AttachToken(player: player, zoneIndex: UInt16(index), purpose: purpose, expiresMs: expires,
                                       nonce: UInt32.random(in: 1...UInt32.max), mac: []))
    }

    func zoneId(_ index: Int) -> String {
        links[index]?.zone.id ?? config.map.zone(index: index)?.id ?? "\(index)"
    }

    /// Journals a phase seen from this zone as the player's owner (from = this zone).
    func journalHandoff(_ phase: String, player id: UInt32, epoch: UInt32, to index: Int, digest: UInt64? = nil, reason: String?) {
        let position = simulation.player(id)?.position ?? .zero
        journal(.handoff(phase: phase, player: id, epoch: epoch, from: config.zone.id, to: zoneId(index),
                         x: position.x, y: position.y, digest: digest, reason: reason))
    }
}
