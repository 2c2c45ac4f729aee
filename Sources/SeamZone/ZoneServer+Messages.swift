import SeamNet
import SeamProtocol
import SeamWorld

extension ZoneServer {
    /// Handles one network event. Bad input is refused with a reason, counted, and the zone carries on.
    func handle(_ event: NetEvent) {
        switch event {
        case .connect(let peer, _):
            counters.connects += 1
            peer.disableThrottle()
            sessions[peer.slot].reset()
            sessions[peer.slot].phase = .connected
            if stopping {
                refuse(peer, .shuttingDown, "zone \(config.zone.id) is shutting down")
            }
        case .disconnect(let peer, _):
            let session = sessions[peer.slot]
            if session.phase == .playing || (session.phase == .closing && session.playerId != 0) {
                leave(slot: peer.slot, reason: session.leaveReason)
            }
            sessions[peer.slot].reset()
        case .receive(let peer, let channel, let bytes):
            receive(bytes, channel: channel, from: peer)
        }
    }

    private func receive(_ bytes: UnsafeRawBufferPointer, channel: UInt8, from peer: Peer) {
        let phase = sessions[peer.slot].phase
        guard phase == .connected || phase == .playing else { return }
        guard bytes.count <= Wire.maximumClientMessage else {
            refuse(peer, .oversized, "message of \(bytes.count) bytes exceeds the limit of \(Wire.maximumClientMessage)")
            return
        }
        let message: ClientMessage
        do {
            message = try ClientMessage.decode(bytes)
        } catch {
            refuse(peer, .malformed, "malformed message: \(error)")
            return
        }
        switch message {
        case .hello(let version, let name):
            guard channel == Wire.controlChannel else {
                refuse(peer, .wrongChannel, "Hello must arrive on channel \(Wire.controlChannel)")
                return
            }
            guard version == Wire.version else {
                refuse(peer, .wrongVersion, "protocol version \(version) is not supported; this zone speaks \(Wire.version)")
                return
            }
            guard phase == .connected else {
                refuse(peer, .unexpected, "Hello sent twice")
                return
            }
            join(peer, name: name)
        case .input(let input):
            guard channel == Wire.stateChannel else {
                refuse(peer, .wrongChannel, "Input must arrive on channel \(Wire.stateChannel)")
                return
            }
            guard phase == .playing else {
                refuse(peer, .unexpected, "Input before Hello; send Hello first")
                return
            }
            sessions[peer.slot].receive(input)
        case .leave:
            guard channel == Wire.controlChannel else {
                refuse(peer, .wrongChannel, "Leave must arrive on channel \(Wire.controlChannel)")
                return
            }
            guard phase == .playing else {
                refuse(peer, .unexpected, "Leave before Hello")
                return
            }
            sessions[peer.slot].leaveReason = "left"
            sessions[peer.slot].phase = .closing
            peer.disconnectLater()
        }
    }

    private func join(_ peer: Peer, name: String) {
        guard nextPlayerSerial < ZoneServer.maximumSerial else {
            refuse(peer, .full, "zone \(config.zone.id) has used all \(ZoneServer.maximumSerial - 1) player ids; restart it")
            return
        }
        guard simulation.players.count < config.capacity else {
            refuse(peer, .full, "zone \(config.zone.id) is full (\(config.capacity) players)")
            return
        }
        let id = UInt32(config.zone.index + 1) << 20 | nextPlayerSerial
        nextPlayerSerial += 1
        let cleanName = String(name.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7f }.map(Character.init))
        let player = simulation.addPlayer(id: id, name: cleanName)
        sessions[peer.slot].phase = .playing
        sessions[peer.slot].playerId = id
        slotOfPlayer[id] = peer.slot
        counters.joins += 1
        journal(.join(player: id, name: cleanName, x: player.position.x, y: player.position.y))
        let welcome = Welcome(
            playerId: id, zoneIndex: UInt16(config.zone.index), zoneId: config.zone.id, mapName: config.map.name,
            tickRate: UInt8(config.simulation.tickRate), tick: UInt32(truncatingIfNeeded: simulation.tick),
            x: Quantize.position(player.position.x), y: Quantize.position(player.position.y),
            viewRadius: UInt8(config.simulation.viewRadius))
        send(.welcome(welcome), to: peer)
    }

    /// Player ids are `(zone index + 1) << 20 | serial`: serials must stay below 2^20.
    static let maximumSerial: UInt32 = 1 << 20

    func leave(slot: Int, reason: String) {
        let id = sessions[slot].playerId
        simulation.removePlayer(id: id)
        slotOfPlayer[id] = nil
        counters.leaves += 1
        journal(.leave(player: id, reason: reason))
        dispatchSimulationEvents()
    }

    /// Tells the peer why, disconnects it once the reason is delivered, counts and journals the refusal.
    func refuse(_ peer: Peer, _ code: RefuseCode, _ message: String) {
        switch code {
        case .wrongVersion: counters.refusedWrongVersion += 1
        case .malformed: counters.refusedMalformed += 1
        case .oversized: counters.refusedOversized += 1
        case .full: counters.refusedFull += 1
        case .unexpected: counters.refusedUnexpected += 1
        case .wrongChannel: counters.refusedWrongChannel += 1
        case .shuttingDown: break
        }
        send(.refuse(code: code, message: message), to: peer)
        peer.disconnectLater(data: UInt32(code.rawValue))
        if sessions[peer.slot].phase == .playing {
            sessions[peer.slot].leaveReason = "refused"
        }
        sessions[peer.slot].phase = .closing
        journal(.refuse(peer: peer.address.description, code: "\(code)", message: message))
        if refusalLogBudget > 0 {
            refusalLogBudget -= 1
            logger.notice("refused \(peer.address): \(code): \(message)\(refusalLogBudget == 0 ? " (further refusals are only counted)" : "")")
        }
    }

    func send(_ message: ServerMessage, to peer: Peer) {
        eventWriter.reset()
        message.encode(into: &eventWriter)
        let channel: UInt8
        let delivery: Delivery
        if case .snapshot = message {
            channel = Wire.stateChannel
            delivery = .unreliable
        } else {
            channel = Wire.controlChannel
            delivery = .reliable
        }
        do {
            try peer.send(eventWriter.bytes, channel: channel, delivery: delivery)
        } catch {
            counters.sendFailures += 1
        }
    }
}
