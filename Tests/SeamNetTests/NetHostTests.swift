import CENet
@testable import SeamNet
import Testing

/// Two real ENet hosts on loopback.
@Suite struct NetHostTests {
    /// Services both hosts until `condition` holds or `rounds` (×10 ms) pass.
    func pump(_ a: NetHost, _ b: NetHost, rounds: Int = 500, _ handle: (NetEvent, Bool) -> Void, until condition: () -> Bool) {
        for _ in 0..<rounds where !condition() {
            try? a.service(timeoutMs: 5) { handle($0, true) }
            try? b.service(timeoutMs: 5) { handle($0, false) }
        }
    }

    @Test func connectAndExchangeReliableAndUnreliablePackets() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        #expect(server.localAddress.port != 0)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let peer = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        var serverPeer: Peer?
        var clientConnected = false
        var serverGot: [[UInt8]] = []
        var clientGot: [(UInt8, [UInt8])] = []
        let handle: (NetEvent, Bool) -> Void = { event, isServer in
            switch event {
            case .connect(let p, _): if isServer { serverPeer = p } else { clientConnected = true }
            case .receive(_, let channel, let bytes):
                if isServer { serverGot.append(Array(bytes)) } else { clientGot.append((channel, Array(bytes))) }
            case .disconnect: break
            }
        }
        pump(server, client, handle, until: { serverPeer != nil && clientConnected })
        #expect(clientConnected)
        try peer.send([1, 2, 3], channel: 0, delivery: .reliable)
        let sp = try #require(serverPeer)
        try sp.send([9, 8], channel: 1, delivery: .unreliable)
        pump(server, client, handle, until: { !serverGot.isEmpty && !clientGot.isEmpty })
        #expect(serverGot == [[1, 2, 3]])
        #expect(clientGot.first?.0 == 1)
        #expect(clientGot.first?.1 == [9, 8])
        #expect(client.traffic.bytesSent > 0)
        #expect(server.traffic.bytesReceived > 0)
    }

    /// ENet reads at most 256 datagrams per receive pass; one `service` call still handles every datagram
    /// already in the socket. On loopback a datagram is in the receiver's socket when the send returns.
    @Test func oneServiceHandlesMoreDatagramsThanOneReceivePass() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let peer = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        var connected = 0
        pump(server, client, { event, _ in if case .connect = event { connected += 1 } }, until: { connected == 2 })
        try #require(connected == 2)
        for k in 0..<700 {
            try peer.send([UInt8(k & 0xFF), UInt8(k >> 8)], channel: 1, delivery: .unreliable)
            client.flush()
        }
        var received: [Int] = []
        try server.service(timeoutMs: 1000) { event in
            if case .receive(_, _, let bytes) = event { received.append(Int(bytes[0]) | Int(bytes[1]) << 8) }
        }
        #expect(received.count == 700 && received == Array(0..<700), "\(received.count) of 700, or out of order")
    }

    @Test func aStandbyConnectionPingsLessOften() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let peer = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        #expect(peer.pingIntervalMs == Peer.defaultPingIntervalMs)
        peer.setPingInterval(ms: Peer.standbyPingIntervalMs)
        #expect(peer.pingIntervalMs == 20_000)
        peer.setPingInterval(ms: Peer.defaultPingIntervalMs)
        #expect(peer.pingIntervalMs == 500)
    }

    /// A keep-alive ping queued by `pingIfDue` leaves in the datagram of the data queued after it; none is
    /// due while the connection was heard from within the interval less the lead, or while one awaits its
    /// acknowledgement.
    @Test func aDuePingRidesWithTheNextData() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let peer = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        var connected = 0, received = 0
        let handle: (NetEvent, Bool) -> Void = { event, _ in
            switch event {
            case .connect: connected += 1
            case .receive: received += 1
            case .disconnect: break
            }
        }
        // The handshake's last reliable command (the throttle settings) acknowledged: heard from just now.
        pump(server, client, handle, until: { connected == 2 && !peer.awaitsAcknowledgement })
        try #require(connected == 2 && !peer.awaitsAcknowledgement)
        peer.setPingInterval(ms: 1000)
        #expect(!peer.pingIfDue(nowMs: NetHost.nowMs, leadMs: 50))
        let sent = client.traffic.datagramsSent
        #expect(peer.pingIfDue(nowMs: NetHost.nowMs, leadMs: 1000))
        try peer.send([7], channel: 1, delivery: .unreliable)
        client.flush()
        #expect(client.traffic.datagramsSent == sent + 1, "the ping and the data leave in one datagram")
        #expect(peer.awaitsAcknowledgement)
        #expect(!peer.pingIfDue(nowMs: NetHost.nowMs, leadMs: 1000), "a ping awaiting its acknowledgement")
        pump(server, client, handle, until: { received == 1 && !peer.awaitsAcknowledgement })
        try #require(received == 1 && !peer.awaitsAcknowledgement)
        // Acknowledged: due again only with a lead as long as the interval.
        #expect(!peer.pingIfDue(nowMs: NetHost.nowMs, leadMs: 500))
        #expect(peer.pingIfDue(nowMs: NetHost.nowMs, leadMs: 1000))
    }

    /// A connection counted as heard from pings a whole interval later; one last heard from longer ago than the
    /// interval (a standby made the owner connection) at once.
    @Test func aConnectionCountedAsHeardFromPingsAWholeIntervalLater() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let peer = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        var connected = 0
        pump(server, client, { event, _ in if case .connect = event { connected += 1 } },
             until: { connected == 2 && !peer.awaitsAcknowledgement })
        try #require(connected == 2 && !peer.awaitsAcknowledgement)
        peer.setPingInterval(ms: Peer.ownerPingIntervalMs)
        let now = NetHost.nowMs
        peer.countAsHeardFrom(atMs: now &- 5_000)
        #expect(peer.pingIfDue(nowMs: now, leadMs: 0), "last heard from 5 s ago: due")
        client.flush()
        pump(server, client, { _, _ in }, until: { !peer.awaitsAcknowledgement })
        try #require(!peer.awaitsAcknowledgement, "the ping acknowledged")
        peer.countAsHeardFrom(atMs: now)
        #expect(!peer.pingIfDue(nowMs: now &+ Peer.ownerPingIntervalMs - 1, leadMs: 0), "heard from now: not due for 2 s")
        #expect(peer.pingIfDue(nowMs: now &+ Peer.ownerPingIntervalMs, leadMs: 0))
    }

    @Test func bindingAPortInUseIsATypedError() throws {
        let first = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 1)
        #expect(throws: NetError.self) {
            _ = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: first.localAddress.port), peerLimit: 1)
        }
        do {
            _ = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: first.localAddress.port), peerLimit: 1)
        } catch {
            #expect(error.code == .bind)
            #expect(error.message.contains("in use"))
        }
    }

    @Test func socketBuffersAreRaisedAboveENetsDefault() throws {
        let host = try NetHost(bind: nil, peerLimit: 1)
        #expect(host.socketBuffers.receive > 256 * 1024)
        #expect(host.socketBuffers.send > 256 * 1024)
    }

    /// Kept packets send each payload as given (rewritten only once ENet let go of it), the ones sent while
    /// ENet still holds it through fresh packets; both hosts wait through a poll set, as the bot swarm does.
    @Test func reusablePacketsSendEachPayloadAsGiven() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let peer = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        var polls = NetHost.PollSet([client, server])
        var clientConnected = false
        var serverConnected = false
        var serverGot: [[UInt8]] = []
        func pumpUntil(_ condition: () -> Bool) {
            for _ in 0..<500 where !condition() {
                NetHost.waitForAny(&polls, timeoutMs: 5)
                try? client.service(timeoutMs: 0) { event in
                    if case .connect = event { clientConnected = true }
                }
                try? server.service(timeoutMs: 0) { event in
                    switch event {
                    case .connect: serverConnected = true
                    case .receive(_, let channel, let bytes):
                        #expect(channel == 1)
                        serverGot.append(Array(bytes))
                    case .disconnect: break
                    }
                }
            }
        }
        pumpUntil { clientConnected && serverConnected }
        #expect(clientConnected && serverConnected)
        let packets = ReusablePackets(capacity: 8)
        func send(_ bytes: [UInt8], slot: Int) throws {
            try bytes.withUnsafeBytes { try packets.sendUnreliable($0, slot: slot, to: peer, channel: 1) }
        }
        var sent: [[UInt8]] = []
        for round in 0..<5 {
            // Two payloads before one flush: the second finds the packet still queued.
            let first = [UInt8](repeating: UInt8(round), count: round + 1)
            let second: [UInt8] = [0xEE, UInt8(round)]
            // Slots 3 and 0: a slot's packet is made at its first send, the table grown to hold it.
            try send(first, slot: 3)
            try send(second, slot: 3)
            // Longer than the packet's room: sent through a fresh packet.
            let long = [UInt8](repeating: 0xAB, count: 20)
            try send(long, slot: 0)
            client.flush()
            sent += [first, second, long]
            pumpUntil { serverGot.count == sent.count }
        }
        #expect(serverGot == sent)
    }

    @Test func addressesParseAndPrint() throws {
        let a = try NetAddress(parsing: "127.0.0.1:7101")
        #expect(a.port == 7101)
        #expect(a.description == "127.0.0.1:7101")
        #expect(throws: NetError.self) { _ = try NetAddress(parsing: "nonsense") }
    }

    /// A connect whose remote went away before finishing the handshake holds a slot in ENet until its
    /// timeouts run out (5 to 30 s); `dropStaleHandshakes` frees it, and leaves finished connections be.
    @Test func aHandshakeTheRemoteNeverFinishedGivesItsSlotBack() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 2)
        let address = try NetAddress(resolving: "127.0.0.1", port: server.localAddress.port)
        let finished = try NetHost(bind: nil, peerLimit: 1)
        _ = try finished.connect(to: address)
        var connected = false
        pump(server, finished, { event, isServer in
            if case .connect = event, !isServer { connected = true }
        }, until: { connected && server.slotCensus().connected == 1 })
        #expect(server.slotCensus().connected == 1, "the finished handshake's slot is connected")

        do {
            // The connect goes out, and the host is gone before the server's answer comes back.
            let gone = try NetHost(bind: nil, peerLimit: 1)
            _ = try gone.connect(to: address)
            gone.flush()
        }
        var census = server.slotCensus()
        pump(server, finished, { _, _ in }, until: {
            census = server.slotCensus()
            return census.handshaking == 1
        })
        #expect(census == {
            var c = NetHost.SlotCensus()
            c.handshaking = 1
            c.connected = 1
            return c
        }(), "the unfinished handshake holds the last slot")
        #expect(server.dropStaleHandshakes(olderThanMs: 60_000, data: 0) == 0, "not dropped before it waited that long")
        var dropped = 0
        pump(server, finished, { _, _ in }, until: {
            dropped += server.dropStaleHandshakes(olderThanMs: 0, data: 0)
            return dropped > 0
        })
        #expect(dropped == 1)
        #expect(server.slotCensus().free == 1, "its slot is free again")
        #expect(server.slotCensus().connected == 1, "the finished connection is kept")
    }

    /// A remote whose connect the server answered counts itself connected as soon as the answer arrives; if
    /// the server then drops the handshake (its acknowledgement not read yet), the remote is told, with the
    /// server's code, instead of keeping a connection whose slot the server gives to someone else.
    @Test func aDroppedHandshakesRemoteHearsADisconnect() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 2)
        let client = try NetHost(bind: nil, peerLimit: 1)
        _ = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: server.localAddress.port))
        var clientConnected = false, clientDisconnect: UInt32?
        let onClient: (NetEvent) -> Void = { event in
            switch event {
            case .connect: clientConnected = true
            case .disconnect(_, let data): clientDisconnect = data
            case .receive: break
            }
        }
        // The server answers the connect; the client takes the answer. The server does not read the
        // client's acknowledgement yet: its side of the handshake is unfinished.
        for _ in 0..<500 where !clientConnected {
            try? server.service(timeoutMs: 0) { _ in }
            try? client.service(timeoutMs: 5, onClient)
        }
        #expect(clientConnected)
        #expect(server.slotCensus().handshaking == 1)
        // Dropped to free a slot (as for a neighbour link); a stale one is closed the same way.
        let dropped = server.dropHandshakes(untilFree: 2, sparing: 0xFFFF_FFFF, data: 7)
        #expect(dropped == 1)
        #expect(server.slotCensus().free == 2)
        for _ in 0..<500 where clientDisconnect == nil {
            try? client.service(timeoutMs: 5, onClient)
        }
        #expect(clientDisconnect == 7, "the client hears the disconnect, with the server's code")
        var serverEvents = 0
        for _ in 0..<20 { try? server.service(timeoutMs: 1) { _ in serverEvents += 1 } }
        #expect(serverEvents == 0 && server.slotCensus().free == 2, "the late acknowledgement makes nothing of the slot")
    }

    /// ENet is shown only the slots in use and `walkHeadroom` free ones above them: the walk grows as the
    /// slots fill, a connection in a slot past the first walk works both ways, the census still counts
    /// every slot, and the walk shrinks back when the connections close.
    @Test func theWalkedSlotsFollowTheSlotsInUse() throws {
        let headroom = NetHost.walkHeadroom
        let total = 3 * headroom
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: total + headroom)
        let client = try NetHost(bind: nil, peerLimit: total)
        #expect(server.walkedSlots == headroom && client.walkedSlots == headroom, "an idle host walks its headroom")
        let address = try NetAddress(resolving: "127.0.0.1", port: server.localAddress.port)
        var serverPeers: [Peer] = [], clientConnected = 0
        var clientPeers: [Peer] = []
        let handle: (NetEvent, Bool) -> Void = { event, isServer in
            if case .connect(let p, _) = event {
                if isServer { serverPeers.append(p) } else { clientConnected += 1 }
            }
        }
        // Half a headroom at a time (more between two services would find the walk full and wait for
        // ENet's resend); the client's connects past its walk take the slots behind it.
        for _ in 0..<(2 * total / headroom) {
            for _ in 0..<(headroom / 2) { clientPeers.append(try client.connect(to: address)) }
            let want = clientPeers.count
            pump(server, client, handle, until: { serverPeers.count == want && clientConnected == want })
        }
        #expect(serverPeers.count == total && clientConnected == total)
        #expect(Set(clientPeers.map(\.slot)) == Set(0..<total), "the client filled every slot it has")
        #expect(server.walkedSlots == total + headroom, "the server walks its slots in use and the headroom")
        #expect(server.slotCensus().free == headroom && server.slotCensus().connected == total)

        // The last connection, in a slot past the first walk, carries data both ways.
        let far = try #require(serverPeers.max(by: { $0.slot < $1.slot }))
        #expect(far.slot >= headroom)
        let farClient = try #require(clientPeers.last)
        var serverGot: [UInt8] = [], clientGot: [UInt8] = []
        try far.send([42], channel: 0, delivery: .reliable)
        try farClient.send([24], channel: 0, delivery: .reliable)
        pump(server, client, { event, isServer in
            if case .receive(_, _, let bytes) = event {
                if isServer { serverGot += bytes } else { clientGot += bytes }
            }
        }, until: { serverGot == [24] && clientGot == [42] })
        #expect(serverGot == [24] && clientGot == [42])

        // All closed: both walks shrink back to the headroom.
        for peer in clientPeers { peer.disconnect() }
        var disconnects = 0
        pump(server, client, { event, isServer in
            if case .disconnect = event, isServer { disconnects += 1 }
        }, until: { disconnects == total && server.walkedSlots == headroom && client.walkedSlots == headroom })
        #expect(disconnects == total)
        #expect(server.walkedSlots == headroom && client.walkedSlots == headroom)
        #expect(server.slotCensus().free == total + headroom)
    }

    /// ENet re-announces a host's bandwidth limits to every connected peer (a reliable command each) at its
    /// once-a-second throttle pass after any connect or disconnect; a Seam host has none to announce.
    @Test func aConnectElsewhereIsNotAnnouncedToEveryPeer() throws {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        let address = try NetAddress(resolving: "127.0.0.1", port: server.localAddress.port)
        let client = try NetHost(bind: nil, peerLimit: 1)
        let other = try NetHost(bind: nil, peerLimit: 1)
        _ = try client.connect(to: address)
        var serverPeers: [Peer] = [], clientConnected = false
        pump(server, client, { event, isServer in
            if case .connect(let p, _) = event { if isServer { serverPeers.append(p) } else { clientConnected = true } }
        }, until: { serverPeers.count == 1 && clientConnected })
        let served = try #require(serverPeers.first)
        // Another connection comes and goes.
        let passing = try other.connect(to: address)
        var otherEvents = 0
        pump(server, other, { event, isServer in
            if isServer, case .connect = event { otherEvents += 1 }
        }, until: { otherEvents == 1 })
        passing.disconnect()
        pump(server, other, { event, isServer in
            if isServer, case .disconnect = event { otherEvents += 1 }
        }, until: { otherEvents == 2 })
        try #require(otherEvents == 2)
        // Past a throttle pass (ENet's clock, 1 s), the server's pings to the client put off beyond it (ENet
        // pings every connection each interval whatever arrives on it): nothing reliable goes to the client
        // on ENet's own channel.
        served.setPingInterval(ms: 10_000)
        let before = served.pointer.pointee.outgoingReliableSequenceNumber
        let start = enet_time_get()
        while enet_time_get() &- start < 1_500 {
            try server.service(timeoutMs: 10) { _ in }
            try client.service(timeoutMs: 0) { _ in }
        }
        #expect(served.pointer.pointee.outgoingReliableSequenceNumber == before)
    }
}
