import SeamNet
import SeamProtocol
import SeamWorld

extension ZoneServer {
    /// Connect data a zone puts on its links to neighbours ("ZONE"); clients connect with 0.
    static let linkConnectData: UInt32 = 0x454E_4F5A

    /// Handles one network event. Bad input is refused with a reason, counted, and the zone carries on.
    func handle(_ event: NetEvent) {
        switch event {
        case .connect(let peer, let data):
            peer.disableThrottle()
            if let index = linkIndex(ofSlot: peer.slot) {
                // Our own outgoing link completed.
                resetSession(peer.slot)
                sessions[peer.slot].phase = .link
                holdSlot()
                linkConnected(index, peer: peer)
                return
            }
            counters.connects += 1
            // A connection for a standby Attach when the zone keeps its last slots: dropped at once, its slot
            // free again now rather than after the Attach, a Refuse and the disconnect's round trips. So is any
            // connection but a link's that takes a slot a neighbour link that is down needs to come back.
            if (data == Wire.standbyConnectData && freeSlotsBelowReserve() != nil)
                || (data != ZoneServer.linkConnectData && takesLinkSlot())
            {
                counters.refusedFull += 1
                peer.disconnectNow(data: UInt32(RefuseCode.full.rawValue))
                return
            }
            resetSession(peer.slot)
            sessions[peer.slot].phase = data == ZoneServer.linkConnectData ? .link : .connected
            holdSlot()
            if stopping {
                refuse(peer, .shuttingDown, "zone \(config.zone.id) is shutting down")
            }
        case .disconnect(let peer, _):
            let session = sessions[peer.slot]
            observers.removeAll { $0 == peer.slot }
            if session.phase == .link || linkIndex(ofSlot: peer.slot) != nil {
                linkLost(slot: peer.slot)
            } else if session.playerId != 0, var p = owned[session.playerId], p.slot == peer.slot {
                if case .none = p.handoff {
                    // The client may live on through another connection here: the owner connection bound at an
                    // accept can be one the client has already lost or dropped (a standby it closed on a
                    // StandbyDrop, its disconnect still on the way) while it attaches again through a newer
                    // standby or the Redirect. An attached one becomes the owner; with none attached yet, a
                    // player that arrived within the client grace waits for one (as if none had been bound:
                    // the client holds tokens for this zone until then); any other leaves.
                    let id = session.playerId
                    if let other = liveSlots.first(where: {
                        $0 != peer.slot && sessions[$0].phase == .standby && sessions[$0].playerId == id
                    }) {
                        counters.ownersRebound += 1
                        bindOwner(slot: other, player: id)
                    } else if session.leaveReason == "disconnected",
                        ZoneServer.awaitsClient(acceptedNanos: p.acceptedNanos, now: config.clock.nowNanos())
                    {
                        counters.ownersAwaited += 1
                        p.slot = nil
                        owned[id] = p
                    } else {
                        leave(player: id, reason: session.leaveReason)
                    }
                } else {
                    // Frozen in a handoff: the player stays until the handoff resolves; it has no client now.
                    p.slot = nil
                    owned[session.playerId] = p
                }
            }
            resetSession(peer.slot)
        case .receive(let peer, let channel, let bytes):
            if sessions[peer.slot].phase == .link {
                receiveLink(bytes, channel: channel, from: peer)
            } else {
                receive(bytes, channel: channel, from: peer)
            }
        }
    }

    private func receive(_ bytes: UnsafeRawBufferPointer, channel: UInt8, from peer: Peer) {
        let phase = sessions[peer.slot].phase
        guard phase == .connected || phase == .playing || phase == .standby else { return }
        guard bytes.count <= Wire.maximumClientMessage else {
            refuse(peer, .oversized, "message of \(bytes.count) bytes exceeds the limit of \(Wire.maximumClientMessage)")
            return
        }
        // Inputs, nearly every message a zone gets, are read in place.
        if bytes.first == MessageType.input.rawValue {
            let input: InputView
            do {
                input = try InputView(bytes)
            } catch {
                refuse(peer, .malformed, "malformed message: \(error)")
                return
            }
            guard opened("Input", on: Wire.stateChannel, channel: channel, phase: phase, peer: peer,
                         early: "Input before Hello; send Hello first") else { return }
            receiveInput(input, slot: peer.slot)
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
            guard opening("Hello", version: version, channel: channel, phase: phase, peer: peer,
                          again: "Hello sent twice") else { return }
            sessions[peer.slot].version = version
            join(peer, name: name)
        case .attach(let version, let token):
            guard opening("Attach", version: version, channel: channel, phase: phase, peer: peer,
                          again: "Attach on a connection that is already attached") else { return }
            sessions[peer.slot].version = version
            attach(peer, token: token)
        case .observe(let version, let zoneIndex, let proof):
            guard opening("Observe", version: version, channel: channel, phase: phase, peer: peer,
                          again: "Observe on a connection that is already attached") else { return }
            guard Int(zoneIndex) == config.zone.index,
                ClusterSecret.equal(proof, secret.observerProof(zone: config.zone.index))
            else {
                refuse(peer, .badToken, "observer proof is not valid for zone \(config.zone.id)")
                return
            }
            sessions[peer.slot].phase = .observer
            // What was journaled before this observer came goes to the others only.
            sendPendingRecords()
            observers.append(peer.slot)
            if let start = startRecord {
                // What the zone started with, so the observer can check conservation from here on.
                send(.record(json: start.jsonLine), to: peer)
            }
            logger.notice("observer \(peer.address) attached")
        case .input:
            // Taken above, in place: not decoded into a message.
            return
        case .leave:
            guard opened("Leave", on: Wire.controlChannel, channel: channel, phase: phase, peer: peer,
                         early: "Leave before Hello") else { return }
            if phase == .playing { sessions[peer.slot].leaveReason = "left" }
            peer.disconnectLater()
        }
    }

    /// The checks a message of an opened connection (Input, Leave) passes: its channel `expected`, and a
    /// Hello or Attach before it (`early` says what is wrong otherwise). Refuses and returns false otherwise.
    private func opened(_ name: String, on expected: UInt8, channel: UInt8, phase: Session.Phase, peer: Peer,
                        early: String) -> Bool {
        guard channel == expected else {
            refuse(peer, .wrongChannel, "\(name) must arrive on channel \(expected)")
            return false
        }
        guard phase != .connected else {
            refuse(peer, .unexpected, early)
            return false
        }
        return true
    }

    /// The checks every opening message (Hello, Attach, Observe) passes: control channel, protocol version,
    /// a connection that has not opened yet. Refuses and returns false otherwise.
    private func opening(_ name: String, version: UInt16, channel: UInt8, phase: Session.Phase, peer: Peer,
                         again: String) -> Bool {
        guard channel == Wire.controlChannel else {
            refuse(peer, .wrongChannel, "\(name) must arrive on channel \(Wire.controlChannel)")
            return false
        }
        guard Wire.supportedVersions.contains(version) else {
            let versions = "\(Wire.supportedVersions.lowerBound) to \(Wire.supportedVersions.upperBound)"
            refuse(peer, .wrongVersion, "protocol version \(version) is not supported; this zone speaks \(versions)")
            return false
        }
        guard phase == .connected else {
            refuse(peer, .unexpected, again)
            return false
        }
        return true
    }

    /// Inputs on an owner connection are queued; on the old owner's connection after a handoff they are
    /// forwarded to the new owner; on a standby connection before the switch they are ignored.
    private func receiveInput(_ input: InputView, slot: Int) {
        // The newest acknowledgement wins (the state channel drops older packets): a client that lost its
        // baselines, e.g. after a change of owner, acknowledges 0 to ask for a full snapshot.
        sessions[slot].ackTick = input.ackTick
        if sessions[slot].version != Wire.deltaSnapshotVersion { sessions[slot].ghost.acknowledge(input.ackTick) }
        let id = sessions[slot].playerId
        // Changed in place through the dictionary's storage: a copy taken out and written back copied the
        // input queue's array at every input (an allocation per packet), and even reading a field through
        // the values' getter copied the whole record.
        if let k = owned.index(forKey: id) {
            _ = owned.values[k].receiveInputs(newestSequence: input.newestSequence, commands: input, on: slot)
        } else if let to = handedOff[id] {
            sendLink(.inputs(player: id, newestSequence: input.newestSequence, commands: Array(input)), to: to)
            redirectIfStillHere(id, next: to, slot: slot)
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
        owned[id] = OwnedPlayer(slot: peer.slot, epoch: 1)
        peer.setPingInterval(ms: Peer.ownerPingIntervalMs)
        knownEpoch[id] = 1
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

    /// The player leaves the world: out of the simulation (its coins drop), out of the tables.
    func leave(player id: UInt32, reason: String) {
        guard owned[id] != nil else { return }
        simulation.removePlayer(id: id)
        owned[id] = nil
        counters.leaves += 1
        journal(.leave(player: id, reason: reason))
        dispatchSimulationEvents()
    }

    /// The connection slot back to idle, its kept frames given back.
    func resetSession(_ slot: Int) {
        if sessions[slot].phase != .idle { slotsHeld -= 1 }
        frameStore.clear(slot: slot)
        sessions[slot].reset()
    }

    /// Counts the slot of a connection that just connected (its session no longer idle) as held.
    private func holdSlot() {
        slotsHeld += 1
        slotsHeldPeak = max(slotsHeldPeak, slotsHeld)
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
        case .badToken: counters.refusedBadToken += 1
        case .shuttingDown: break
        }
        send(.refuse(code: code, message: message), to: peer)
        peer.disconnectLater(data: UInt32(code.rawValue))
        if sessions[peer.slot].phase == .playing {
            sessions[peer.slot].leaveReason = "refused"
        } else {
            sessions[peer.slot].playerId = 0
        }
        sessions[peer.slot].phase = .closing
        if code != .shuttingDown {
            journal(.refuse(peer: peer.address.description, code: "\(code)", message: message))
        }
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

    /// Sends to the player's owner connection, if it has one.
    func send(_ message: ServerMessage, toPlayer id: UInt32) {
        guard let slot = owned[id]?.slot else { return }
        send(message, to: host.peer(slot: slot))
    }
}
