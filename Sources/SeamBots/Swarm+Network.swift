import SeamNet
import SeamProtocol
import SeamWorld

extension Swarm {
    func handle(_ event: NetEvent, host h: Int) {
        switch event {
        case .connect(let peer, _):
            let i = botOfSlot[h][peer.slot]
            guard i >= 0 else { return }
            peer.disableThrottle()
            writer.reset()
            if let opening = bots[i].standbysOpening[peer.slot] {
                stats.standbyConnect.record(min((nowNanos &- opening.sinceNanos) / 1_000_000, stats.standbyConnect.highestTrackableValue))
            }
            if let token = bots[i].attaching.removeValue(forKey: peer.slot) {
                ClientMessage.attach(version: config.protocolVersion, token: token).encode(into: &writer)
            } else {
                bots[i].phase = .handshaking
                peer.setPingInterval(ms: Peer.ownerPingIntervalMs)
                ClientMessage.hello(version: config.protocolVersion, name: "\(config.namePrefix)-\(bots[i].index)").encode(into: &writer)
            }
            try? peer.send(writer.bytes, channel: Wire.controlChannel, delivery: .reliable)
        case .disconnect(let peer, let data):
            let i = botOfSlot[h][peer.slot]
            guard i >= 0 else { return }
            botOfSlot[h][peer.slot] = -1
            bots[i].attaching[peer.slot] = nil
            if bots[i].standbysOpening.removeValue(forKey: peer.slot) != nil {
                if data != 0 { stats.standbysRefused += 1 } else { stats.standbysLost += 1 }
            }
            if let zone = bots[i].standbys.first(where: { $0.value == peer })?.key {
                bots[i].standbys[zone] = nil
                return
            }
            if let zone = bots[i].replacements.first(where: { $0.value == peer })?.key {
                bots[i].replacements[zone] = nil
                return
            }
            guard bots[i].peer == peer else { return }
            switch bots[i].phase {
            case .connecting, .handshaking:
                bots[i].phase = .failed
                stats.connectFailures += 1
            case .playing:
                bots[i].phase = .gone
                stats.disconnects += 1
                if bots[i].switchFromNanos != nil { stats.handoffsFailed += 1 }
                // Every cause is logged (up to the budget), so an unexpected disconnect in a long run can be
                // traced: a code is the zone's refusal, none is ENet's timeout or a close without one.
                if refusalLogBudget > 0 {
                    refusalLogBudget -= 1
                    let cause = data != 0 ? "disconnected by its zone (code \(data))" : "lost its connection (no code: a timeout, or a close without one)"
                    let during = bots[i].switchFromNanos != nil ? " during a handoff" : ""
                    logger.notice("bot \(bots[i].index) \(cause) to zone \(bots[i].zone.id)\(during)")
                }
            default:
                break
            }
            bots[i].peer = nil
        case .receive(let peer, _, let bytes):
            let i = botOfSlot[h][peer.slot]
            guard i >= 0 else { return }
            receive(bytes, bot: i, from: peer)
        }
    }

    private func receive(_ bytes: UnsafeRawBufferPointer, bot i: Int, from peer: Peer) {
        // Snapshots, nearly all the traffic, are decoded straight from the packet into the bot's table or frames.
        if bytes.first == MessageType.ghost.rawValue {
            receiveGhost(bytes, bot: i, from: peer)
            return
        }
        if bytes.first == MessageType.delta.rawValue {
            receiveDelta(bytes, bot: i, from: peer)
            return
        }
        let message: ServerMessage
        do {
            message = try ServerMessage.decode(bytes)
        } catch {
            stats.malformedFromZone += 1
            return
        }
        let fromOwner = bots[i].peer == peer
        switch message {
        case .welcome(let w):
            guard bots[i].phase == .handshaking else { return }
            bots[i].phase = .playing
            bots[i].playerId = w.playerId
            bots[i].tickRate = Int(w.tickRate)
            bots[i].position = Vec2(x: Quantize.position(w.x), y: Quantize.position(w.y))
            bots[i].newestTick = w.tick
            bots[i].newestTickNanos = nowNanos
            stats.connected += 1
            stats.connectedPeak = max(stats.connectedPeak, stats.connected)
        case .refuse(let code, let text):
            stats.refused["\(code)", default: 0] += 1
            // On a standby, `full` is a zone keeping its last slots for players: the handoff still happens,
            // through a redirect (counted as a refused standby when the connection closes).
            if !fromOwner, code != .full { stats.handoffsFailed += 1 }
            // A refused standby is forgotten at once, not when its connection has closed: a Redirect to that
            // zone arriving in between would otherwise find it and open nothing.
            if !fromOwner, let zone = bots[i].standbys.first(where: { $0.value == peer })?.key {
                bots[i].standbys[zone] = nil
            }
            if refusalLogBudget > 0 {
                refusalLogBudget -= 1
                logger.notice("bot \(bots[i].index) refused: \(code): \(text)")
            }
        case .snapshot(let s):
            guard fromOwner, bots[i].phase == .playing else { return }
            count(bots[i].takeSnapshot(s, now: nowNanos), bytes: bytes.count, bot: i)
        case .delta:
            receiveDelta(bytes, bot: i, from: peer)
        case .ghost:
            receiveGhost(bytes, bot: i, from: peer)
        case .events(let events):
            guard fromOwner else { return }
            for e in events {
                switch e {
                case .hitConfirmed(let shot, _, _):
                    stats.shotsConfirmed += 1
                    if let ghost = bots[i].clientHits.removeValue(forKey: shot) {
                        stats.clientHitsConfirmed += 1
                        if ghost { stats.borderClientHitsConfirmed += 1 }
                    }
                case .killCredited: stats.kills += 1
                case .died: stats.deaths += 1
                case .coinPicked: stats.coinsPicked += 1
                case .shotVoid(let shot, let reason):
                    if let ghost = bots[i].clientHits.removeValue(forKey: shot) {
                        stats.clientHitsVoid[Int(reason.rawValue), default: 0] += 1
                        if ghost { stats.borderClientHitsVoid += 1 }
                    }
                case .damaged, .respawned: break
                }
            }
        case .standby(let endpoint, let token):
            openStandby(bot: i, to: endpoint, token: token, data: Wire.standbyConnectData)
        case .redirect(let endpoint, let token):
            redirect(bot: i, to: endpoint, token: token)
        case .standbyDrop(let zone):
            closeSpares(bot: i, zone: zone, keeping: bots[i].peer)
        case .owner(let player, _, _, _) where player != bots[i].playerId,
             .attached(let player, _) where player != bots[i].playerId:
            // Another player's message on this bot's connection: never taken (it would move this bot to a
            // connection the zone binds to someone else). Counted and logged: it means crossed connections.
            stats.misdirected += 1
            if refusalLogBudget > 0 {
                refusalLogBudget -= 1
                logger.warning("bot \(bots[i].index) (player \(bots[i].playerId)) got a message for player \(player) on slot \(peer.slot); ignored")
            }
        case .owner(_, let epoch, _, let zoneIndex):
            // Only a newer epoch changes anything (see `Bot.takeOwner`); baselines were the old owner's, and
            // the owner's view starts over: its ticks are the same clock, but keep only fresh frames.
            switch bots[i].takeOwner(epoch: epoch, onOwnerConnection: fromOwner, now: nowNanos) {
            case .stale: return
            case .stay: break
            case .move:
                // Inputs go to the new owner now; the old owner's connection stays as a standby.
                if let old = bots[i].peer {
                    bots[i].standbys[UInt16(bots[i].zone.index)] = old
                    old.setPingInterval(ms: Peer.standbyPingIntervalMs)
                }
                // Any other connection to the new owner (a standby, or one a Redirect opened beside it) is spare.
                closeSpares(bot: i, zone: zoneIndex, keeping: peer)
                peer.setPingInterval(ms: Peer.ownerPingIntervalMs)
                peer.countAsHeardFrom(atMs: NetHost.nowMs)
                bots[i].peer = peer
                if let zone = config.map.zone(index: Int(zoneIndex)) { bots[i].zone = zone }
            }
            stats.handoffs += 1
        case .zoneStatus(let report):
            noteZoneStatus(report)
        case .attached:
            if let opening = bots[i].standbysOpening.removeValue(forKey: peer.slot) {
                stats.recordStandbyAttach(ms: (nowNanos &- opening.sinceNanos) / 1_000_000, player: bots[i].playerId,
                                          zone: config.map.zone(index: Int(opening.zone))?.id ?? "zone\(opening.zone)")
            }
            // A replacement attached: it is the standby now, and the one it replaces is closed. If the zone had
            // bound that one as the owner connection, losing it makes the zone bind this one and send Owner
            // here (`ownersRebound`); a zone that had forgotten it made this one the owner connection already.
            if let zone = bots[i].replacements.first(where: { $0.value == peer })?.key {
                bots[i].replacements[zone] = nil
                if let stale = bots[i].standbys[zone], stale != peer, stale != bots[i].peer { close(stale, bot: i) }
                bots[i].standbys[zone] = peer
                stats.standbysReplaced += 1
                if refusalLogBudget > 0 {
                    refusalLogBudget -= 1
                    logger.notice("bot \(bots[i].index) (player \(bots[i].playerId)) replaced its standby to zone \(zone) after a Redirect there")
                }
            }
        case .record:
            break
        }
    }

    /// A delta from the owner: rebuilt against the baseline it names, which the bot must still hold.
    private func receiveDelta(_ bytes: UnsafeRawBufferPointer, bot i: Int, from peer: Peer) {
        let header: DeltaCodec.Header
        do {
            header = try DeltaCodec.header(bytes)
        } catch {
            stats.malformedFromZone += 1
            return
        }
        guard bots[i].peer == peer, bots[i].phase == .playing else { return }
        let taken: Bot.Taken
        do {
            taken = try bots[i].takeDelta(bytes, header: header, now: nowNanos)
        } catch {
            stats.deltaFailures += 1
            return
        }
        stats.deltaSnapshots += 1
        count(taken, bytes: bytes.count, bot: i)
    }

    /// A ghost snapshot from the owner: applied to the bot's table in place.
    private func receiveGhost(_ bytes: UnsafeRawBufferPointer, bot i: Int, from peer: Peer) {
        guard bots[i].peer == peer, bots[i].phase == .playing else { return }
        let taken: Bot.Taken?
        do {
            taken = try bots[i].takeGhost(bytes, now: nowNanos)
        } catch {
            stats.malformedFromZone += 1
            return
        }
        guard let taken else {
            stats.ghostsSkipped += 1
            return
        }
        stats.ghostSnapshots += 1
        count(taken, bytes: bytes.count, bot: i)
    }

    /// Counts a snapshot, full or rebuilt from a delta, that a bot took.
    private func count(_ taken: Bot.Taken, bytes: Int, bot i: Int) {
        stats.snapshots += 1
        stats.snapshotBytes += bytes
        stats.snapshotBytesMax = max(stats.snapshotBytesMax, bytes)
        stats.snapshotEntities += taken.entities
        if let gap = taken.handoffGapNanos {
            stats.recordHandoffGap(ms: gap / 1_000_000, beforeOwnerMs: taken.handoffGapBeforeOwnerNanos / 1_000_000,
                                   player: bots[i].playerId, zone: bots[i].zone.id)
        }
    }

    /// Opens a standby connection to a neighbour zone, unless the bot has one there or is owned there.
    /// `data` is the ENet connect data: `Wire.standbyConnectData` for a standby, 0 for a redirect.
    private func openStandby(bot i: Int, to endpoint: ZoneEndpoint, token: AttachToken, data: UInt32) {
        guard bots[i].standbys[endpoint.zoneIndex] == nil, Int(endpoint.zoneIndex) != bots[i].zone.index else { return }
        if let peer = open(bot: i, to: endpoint, token: token, data: data) { bots[i].standbys[endpoint.zoneIndex] = peer }
    }

    /// A Redirect: attach there as for a standby, with the Redirect's token. A standby still opening there
    /// is left to finish (the zone binds it as the owner connection when it attaches). An attached standby
    /// there that Owner has not come over may be one the zone no longer knows, dropped without a word to
    /// the client (which pings a standby only every 20 s, so learns late): the Redirect means the new owner
    /// had no standby of this client's when it took the player (or its Owner is long overdue). A new
    /// connection attaches beside it (a replacement); whichever of the two Owner comes over first stays,
    /// and once the replacement is attached the old one is closed.
    private func redirect(bot i: Int, to endpoint: ZoneEndpoint, token: AttachToken) {
        let zone = endpoint.zoneIndex
        guard let standby = bots[i].standbys[zone], Int(zone) != bots[i].zone.index else {
            return openStandby(bot: i, to: endpoint, token: token, data: 0)
        }
        guard bots[i].standbysOpening[standby.slot] == nil, bots[i].replacements[zone] == nil else { return }
        if let peer = open(bot: i, to: endpoint, token: token, data: 0) { bots[i].replacements[zone] = peer }
    }

    /// Forgets the bot's standby and replacement connections to `zone` and closes them, but for `keeping`.
    private func closeSpares(bot i: Int, zone: UInt16, keeping: Peer?) {
        if let standby = bots[i].standbys.removeValue(forKey: zone), standby != keeping { close(standby, bot: i) }
        if let replacement = bots[i].replacements.removeValue(forKey: zone), replacement != keeping { close(replacement, bot: i) }
    }

    /// Closes a connection of the bot's on purpose. The slot stops naming the bot at once, so nothing more the
    /// connection delivers reaches it (an Owner still on its way there would move the bot onto a connection
    /// going away) and its disconnect event is nobody's; ENet frees the slot when the zone has acknowledged.
    private func close(_ peer: Peer, bot i: Int) {
        botOfSlot[bots[i].hostIndex][peer.slot] = -1
        bots[i].attaching[peer.slot] = nil
        bots[i].standbysOpening[peer.slot] = nil
        peer.disconnect()
    }

    /// Opens a connection to a zone that attaches with `token` once connected.
    private func open(bot i: Int, to endpoint: ZoneEndpoint, token: AttachToken, data: UInt32) -> Peer? {
        let h = bots[i].hostIndex
        do {
            let peer = try hosts[h].connect(to: NetAddress(host: endpoint.host, port: endpoint.port),
                                            channels: Wire.channelCount, data: data)
            peer.setPingInterval(ms: Peer.standbyPingIntervalMs)
            botOfSlot[h][peer.slot] = i
            bots[i].attaching[peer.slot] = token
            bots[i].standbysOpening[peer.slot] = (nowNanos, endpoint.zoneIndex)
            stats.standbysOpened += 1
            return peer
        } catch {
            stats.handoffsFailed += 1
            if connectFailureLogBudget > 0 {
                connectFailureLogBudget -= 1
                let census = hosts[h].slotCensus()
                let slots = "free \(census.free), handshaking \(census.handshaking), connected \(census.connected), "
                    + "disconnecting \(census.disconnecting)"
                logger.warning("bot \(bots[i].index) (player \(bots[i].playerId)) cannot connect to zone \(endpoint.zoneIndex): \(error) (host \(h): \(slots))")
            }
            return nil
        }
    }
}
