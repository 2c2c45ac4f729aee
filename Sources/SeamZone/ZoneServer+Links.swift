import SeamNet
import SeamProtocol
import SeamSimulation
import SeamWorld

extension ZoneServer {
    /// The neighbour whose link is on `slot`. Called for every link message: reads each link's slot in place
    /// (`links.first { … }` copied every NeighbourLink, its ghost table retained and released, per message).
    func linkIndex(ofSlot slot: Int) -> Int? {
        var i = links.startIndex
        while i != links.endIndex {
            if links.values[i].slot == slot { return links.keys[i] }
            links.formIndex(after: &i)
        }
        return nil
    }

    /// Connects the links this zone initiates and that are down; called every second, so a neighbour that
    /// is not up yet is retried until it is.
    func maintainLinks() {
        let now = config.clock.nowNanos()
        for (index, link) in links {
            if link.downSinceNanos == nil && !link.up { links[index]?.downSinceNanos = now }
            guard link.initiator, link.slot == nil, !stopping else { continue }
            do {
                let peer = try host.connect(to: link.address, channels: Wire.channelCount, data: ZoneServer.linkConnectData)
                links[index]?.slot = peer.slot
                links[index]?.lastAttemptNanos = now
            } catch {
                logger.warning("cannot connect to neighbour \(link.zone.id) at \(link.address): \(error)")
            }
        }
        let nowMs = now / 1_000_000
        usedNonces = usedNonces.filter { $0.value >= nowMs }
    }

    /// Whether a connection that just took a slot leaves fewer free than the neighbour links that are down
    /// (each needs one to come back: its connect, whichever side makes it, finds no slot otherwise, and ENet
    /// drops an incoming one without a word). At continent-6000 the hot zones, every slot taken, could not
    /// connect their links again for seconds and resumed players their neighbours held. Counts the slots
    /// (a pass over them) only while a link is down.
    func takesLinkSlot() -> Bool {
        let down = linksDown
        return down > 0 && host.slotCensus().free < down
    }

    var linksDown: Int {
        var down = 0
        for link in links.values where !link.up { down += 1 }
        return down
    }

    /// Every tick while a link is down: connects still in their handshake give way when fewer slots are free
    /// than links are down. They hold their slots until they finish (when `takesLinkSlot` turns them away)
    /// or go stale, and a hot zone has dozens of them at any moment: a neighbour's connect, which ENet
    /// drops without a word when no slot is free, found none for up to 19 s at continent-6000.
    func keepSlotsForLinks() {
        let down = linksDown
        guard down > 0 else { return }
        counters.handshakesDroppedForLinks += host.dropHandshakes(untilFree: down, sparing: ZoneServer.linkConnectData,
                                                                 data: UInt32(RefuseCode.full.rawValue))
    }

    /// ENet's timeout on a link peer: lost after 8 unanswered retries and 2 s, or after 5 s in any case. At
    /// 1 and 2 s a hot zone of continent-6000, its socket holding two seconds of datagrams from 1,700
    /// players, lost every link at once though its neighbours were alive, and resumed players they held.
    static let linkTimeout: (minimumMs: UInt32, maximumMs: UInt32) = (2_000, 5_000)

    /// How long a link between two live zones may stay down after one end lost it: ENet checks a peer's timeout
    /// only when a retransmission falls due, so an end notices up to about twice the timeout's maximum after
    /// the last acknowledgement (10.3 s in `HandoffTests`); the other end, whose acknowledgements stopped, as
    /// long again at most; then the initiator reconnects at its next second. Dead-after must be longer
    /// (`ZoneConfig.deadAfterSeconds`).
    public static let linkHealSeconds = 2 * Double(linkTimeout.maximumMs) / 1000 + 1

    /// Our outgoing link connected: introduce ourselves.
    func linkConnected(_ index: Int, peer: Peer) {
        peer.setTimeout(limit: 8, minimumMs: ZoneServer.linkTimeout.minimumMs, maximumMs: ZoneServer.linkTimeout.maximumMs)
        sendLink(.hello(zoneIndex: UInt16(config.zone.index), mac: secret.linkProof(from: config.zone.index, to: index)),
                 slot: peer.slot)
    }

    func linkLost(slot: Int) {
        guard let index = linkIndex(ofSlot: slot) else { return }
        let wasUp = links[index]?.up ?? false
        links[index]?.slot = nil
        links[index]?.up = false
        links[index]?.ghosts.removeAll()
        links[index]?.downSinceNanos = config.clock.nowNanos()
        if wasUp {
            logger.notice("link to neighbour \(links[index]!.zone.id) lost; its border closes")
            journal(.link(neighbour: links[index]!.zone.id, state: "down"))
        }
        for (id, p) in owned {
            // The client's standby to that zone is gone with it: tell it again once the link is back.
            owned[id]?.standbys.remove(index)
            if case .offered(let to, let epoch) = p.handoff, to == index {
                owned[id]?.handoff = .inDoubt(to: to, epoch: epoch, sinceNanos: config.clock.nowNanos())
                counters.handoffsInDoubt += 1
                journalHandoff("in_doubt", player: id, epoch: epoch, to: to, reason: "link lost before the answer")
            }
        }
    }

    func receiveLink(_ bytes: UnsafeRawBufferPointer, channel: UInt8, from peer: Peer) {
        let message: LinkMessage
        do {
            message = try LinkMessage.decode(bytes)
        } catch {
            counters.refusedMalformed += 1
            logger.warning("malformed link message from \(peer.address): \(error); dropping the link")
            peer.disconnect()
            return
        }
        if case .hello(let index, let mac) = message {
            linkHello(from: Int(index), mac: mac, peer: peer)
            return
        }
        guard let index = linkIndex(ofSlot: peer.slot), links[index]?.up == true else { return }
        switch message {
        case .hello: break
        case .ghosts(_, let entities):
            let tick = simulation.tick
            // Through the link's position: `links[index]?.ghosts[…] =` moved the NeighbourLink out of the
            // dictionary and back for every entity.
            guard let k = links.index(forKey: index) else { return }
            for e in entities {
                links.values[k].ghosts[e.id] = (e, tick)
                ghostOwner[e.id] = (index, tick)
            }
        case .offer(let transfer, let digest, let sentMs):
            receiveOffer(transfer, digest: digest, sentMs: sentMs, from: index)
        case .accept(let player, let epoch, _, let ownerSent):
            receiveAccept(player: player, epoch: epoch, ownerSent: ownerSent, from: index)
        case .reject(let player, let epoch, let reason):
            receiveReject(player: player, epoch: epoch, reason: reason, from: index)
        case .inputs(let player, let newest, let commands):
            if let k = owned.index(forKey: player) {
                let frozen = owned.values[k].handoff != .none
                owned.values[k].inputs.receive(newestSequence: newest, commands: commands, frozen: frozen)
            }
        case .query(let player, let epoch):
            // Only the asker could make that epoch (it holds the player frozen at the one before), so any epoch
            // at least as new seen here descends from its offer: we took it, whether we own it at that epoch
            // still, handed it on, or own it again at a newer one (a Reject then resumed a second owner).
            if let known = knownEpoch[player], known >= epoch {
                sendLink(.accept(player: player, epoch: epoch, digest: 0), to: index)
            } else {
                sendLink(.reject(player: player, epoch: epoch, reason: .unknown), to: index)
            }
        case .hit(let hit):
            receiveRemoteHit(hit, from: index)
        case .hitResult(let hit, let outcome, let health):
            receiveHitResult(hit, outcome: outcome, health: health, from: index)
        }
    }

    private func linkHello(from index: Int, mac: [UInt8], peer: Peer) {
        guard links[index] != nil, ClusterSecret.equal(mac, secret.linkProof(from: index, to: config.zone.index)) else {
            counters.refusedBadToken += 1
            journal(.refuse(peer: peer.address.description, code: "badToken", message: "link hello from zone \(index) with a bad proof"))
            logger.warning("refused a link from \(peer.address) claiming zone \(index): bad proof or not a neighbour")
            peer.disconnect()
            return
        }
        if links[index]?.slot != peer.slot {
            if let old = links[index]?.slot, old != peer.slot { host.peer(slot: old).reset(); resetSession(old) }
            links[index]?.slot = peer.slot
            sendLink(.hello(zoneIndex: UInt16(config.zone.index), mac: secret.linkProof(from: config.zone.index, to: index)),
                     slot: peer.slot)
        }
        links[index]?.up = true
        links[index]?.downSinceNanos = nil
        // A neighbour that stops answering is noticed within five seconds, not ENet's default 5 to 30 (see
        // `linkTimeout`).
        peer.setTimeout(limit: 8, minimumMs: ZoneServer.linkTimeout.minimumMs, maximumMs: ZoneServer.linkTimeout.maximumMs)
        logger.notice("link to neighbour \(links[index]!.zone.id) up")
        journal(.link(neighbour: links[index]!.zone.id, state: "up"))
        // Ask about every player left in doubt with this neighbour.
        for (id, p) in owned {
            if case .inDoubt(let to, let epoch, _) = p.handoff, to == index {
                sendLink(.query(player: id, epoch: epoch), to: index)
            }
        }
    }

    func sendLink(_ message: LinkMessage, to index: Int) {
        guard let k = links.index(forKey: index), links.values[k].up, let slot = links.values[k].slot else { return }
        sendLink(message, slot: slot)
    }

    private func sendLink(_ message: LinkMessage, slot: Int) {
        linkWriter.reset()
        message.encode(into: &linkWriter)
        let unreliable: Bool
        if case .ghosts = message { unreliable = true } else { unreliable = false }
        do {
            try host.peer(slot: slot).send(
                linkWriter.bytes, channel: unreliable ? Wire.stateChannel : Wire.controlChannel,
                delivery: unreliable ? .unreliable : .reliable)
        } catch {
            counters.sendFailures += 1
        }
    }

    /// Streams every owned player inside a border band to the neighbour on that border, every tick.
    func sendGhosts() {
        let band = config.borderBand
        for (index, link) in links where link.up {
            var batch: [EntityState] = []
            for p in simulation.players where link.zone.rect.distance(to: p.position) <= band {
                batch.append(EntityState(
                    id: p.id, x: Quantize.position(p.position.x), y: Quantize.position(p.position.y),
                    vx: Quantize.velocity(p.velocity.x), vy: Quantize.velocity(p.velocity.y),
                    health: UInt8(clamping: p.health), flags: p.alive ? EntityFlags.alive : 0))
                if batch.count == 80 {
                    sendLink(.ghosts(tick: UInt32(truncatingIfNeeded: simulation.tick), entities: batch), to: index)
                    batch.removeAll(keepingCapacity: true)
                }
            }
            if !batch.isEmpty {
                sendLink(.ghosts(tick: UInt32(truncatingIfNeeded: simulation.tick), entities: batch), to: index)
            }
        }
    }

    /// Ghosts received in the last two ticks, minus players this zone owns; older ones are forgotten.
    func freshGhosts() -> [GhostState] {
        var out: [GhostState] = []
        var stale: [UInt32] = []
        let now = simulation.tick
        for (index, link) in links where !link.ghosts.isEmpty {
            stale.removeAll(keepingCapacity: true)
            for (id, g) in link.ghosts {
                if g.tick + 2 < now {
                    stale.append(id)
                    continue
                }
                guard owned[id] == nil else { continue }
                let e = g.state
                out.append(GhostState(
                    id: id, position: Vec2(x: Quantize.position(e.x), y: Quantize.position(e.y)),
                    velocity: Vec2(x: Quantize.velocity(e.vx), y: Quantize.velocity(e.vy)),
                    health: Int(e.health), alive: e.flags & EntityFlags.alive != 0))
            }
            // Remove in place: copying the table every tick cost more than the ghosts themselves.
            for id in stale { links[index]?.ghosts[id] = nil }
        }
        out.sort { $0.id < $1.id }
        return out
    }

    /// The territory, widened past each side whose neighbours' links are all up, by the hysteresis plus
    /// a tile, so a player can go deep enough to be handed over. A side with a neighbour down is a wall.
    func movementBounds() -> (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        let r = config.zone.rect
        let reach = config.hysteresis + 1
        func open(_ touches: (ZoneSpec) -> Bool) -> Bool {
            let across = links.values.filter { touches($0.zone) }
            return !across.isEmpty && across.allSatisfy(\.up)
        }
        let left = open { $0.rect.maxX == r.minX && $0.rect.minY < r.maxY && $0.rect.maxY > r.minY }
        let right = open { $0.rect.minX == r.maxX && $0.rect.minY < r.maxY && $0.rect.maxY > r.minY }
        let top = open { $0.rect.maxY == r.minY && $0.rect.minX < r.maxX && $0.rect.maxX > r.minX }
        let bottom = open { $0.rect.minY == r.maxY && $0.rect.minX < r.maxX && $0.rect.maxX > r.minX }
        return (r.minX - (left ? reach : 0), r.minY - (top ? reach : 0),
                r.maxX + (right ? reach : 0), r.maxY + (bottom ? reach : 0))
    }
}
