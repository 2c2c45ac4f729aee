import CENet
import CSeamSockets
import Glibc
@testable import SeamNet
import Testing

/// Hosts whose sockets send and read datagrams by the batch (CSeamSockets), on loopback. Skipped when the
/// environment turns batching off.
@Suite struct BatchedSocketTests {
    /// A server and a client host holding `connections` connections to it, all made (the client has a slot
    /// more), with the server's ends of them.
    func connectedPair(connections: Int) throws -> (server: NetHost, client: NetHost, peers: [Peer], serverPeers: [Peer]) {
        let server = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: connections + 2)
        let client = try NetHost(bind: nil, peerLimit: connections + 1)
        let address = try NetAddress(resolving: "127.0.0.1", port: server.localAddress.port)
        let peers = try (0..<connections).map { _ throws(NetError) in try client.connect(to: address) }
        var made = 0
        var serverPeers: [Peer] = []
        for _ in 0..<500 where made < 2 * connections {
            try server.service(timeoutMs: 5) { if case .connect(let peer, _) = $0 { serverPeers.append(peer); made += 1 } }
            try client.service(timeoutMs: 5) { if case .connect = $0 { made += 1 } }
        }
        try #require(made == 2 * connections, "\(made) of \(2 * connections) connect events")
        return (server, client, peers, serverPeers)
    }

    @Test(.enabled(if: NetHost.batchesSockets, "SEAM_SOCKET_BATCHING=off")) func hostsBatchTheirSockets() throws {
        let (server, client, _, _) = try connectedPair(connections: 1)
        #expect(server.batched && client.batched)
    }

    /// One datagram per connection leaves in one send pass: fewer system calls than datagrams at both ends,
    /// and every packet arrives.
    @Test(.enabled(if: NetHost.batchesSockets, "SEAM_SOCKET_BATCHING=off")) func aSendPassToManyConnectionsGoesOutInFewerCallsThanDatagrams() throws {
        let (server, client, peers, _) = try connectedPair(connections: 40)
        let sentBefore = client.socketCounts, receivedBefore = server.socketCounts
        for (k, peer) in peers.enumerated() { try peer.send([UInt8(k)], channel: 1, delivery: .unreliable) }
        client.flush()
        var got: Set<UInt8> = []
        for _ in 0..<100 where got.count < peers.count {
            try server.service(timeoutMs: 5) { if case .receive(_, _, let bytes) = $0 { got.insert(bytes[0]) } }
        }
        #expect(got == Set((0..<40).map(UInt8.init)))
        let sent = client.socketCounts, received = server.socketCounts
        let datagramsSent = sent.datagramsSent - sentBefore.datagramsSent
        #expect(datagramsSent >= 40)
        #expect(sent.sendCalls - sentBefore.sendCalls < datagramsSent, "one call per datagram: \(sent)")
        let datagramsReceived = received.datagramsReceived - receivedBefore.datagramsReceived
        #expect(datagramsReceived >= 40)
        #expect(received.receiveCalls - receivedBefore.receiveCalls < datagramsReceived, "\(received)")
        #expect(sent.sendsRefused == 0)
    }

    /// A datagram longer than any ENet sends is dropped and counted; the host goes on serving its connection.
    /// (ENet's own receive failed the whole service call on it.)
    @Test(.enabled(if: NetHost.batchesSockets, "SEAM_SOCKET_BATCHING=off")) func anOversizeDatagramIsDroppedAndCounted() throws {
        let (server, client, peers, _) = try connectedPair(connections: 1)
        let raw = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        try #require(raw >= 0)
        defer { close(raw) }
        var to = sockaddr_in()
        to.sin_family = sa_family_t(AF_INET)
        to.sin_port = server.localAddress.port.bigEndian
        to.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let oversize = [UInt8](repeating: 0xAB, count: 6000)
        let sent = withUnsafePointer(to: &to) { address in
            address.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(raw, oversize, oversize.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        try #require(sent == 6000)
        try peers[0].send([7, 7], channel: 0, delivery: .reliable)
        client.flush()
        var got: [[UInt8]] = []
        for _ in 0..<100 where got.isEmpty {
            try server.service(timeoutMs: 5) { if case .receive(_, _, let bytes) = $0 { got.append(Array(bytes)) } }
        }
        #expect(got == [[7, 7]])
        #expect(server.socketCounts.oversizeDropped == 1)
    }

    /// Datagrams taken from the socket in a batch and not yet read by ENet count as waiting: `service` reads
    /// them without another datagram arriving. ENet's receive pass ends at the answer to a connect this host
    /// made; here that answer comes first in the socket, eight data datagrams from another host behind it.
    @Test(.enabled(if: NetHost.batchesSockets, "SEAM_SOCKET_BATCHING=off")) func datagramsTakenAndNotYetReadAreServedInTheSameCall() throws {
        let (server, client, _, serverPeers) = try connectedPair(connections: 8)
        let third = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 2)
        _ = try client.connect(to: NetAddress(resolving: "127.0.0.1", port: third.localAddress.port))
        client.flush()
        // The third host answers the connect (its own event comes once the client acknowledges the answer).
        try third.service(timeoutMs: 0) { _ in }
        try #require(third.socketCounts.datagramsSent == 1)
        for (k, peer) in serverPeers.enumerated() { try peer.send([UInt8(k)], channel: 1, delivery: .unreliable) }
        server.flush()
        var got: Set<UInt8> = [], connects = 0
        try client.service(timeoutMs: 50) { event in
            switch event {
            case .connect: connects += 1
            case .receive(_, _, let bytes): got.insert(bytes[0])
            case .disconnect: break
            }
        }
        #expect(connects == 1)
        #expect(got == Set((0..<8).map(UInt8.init)), "read \(got.count) of 8 in the call that made the connection")
    }
}

extension BatchedSocketTests {
    /// A host whose batch holds datagrams ENet has not read is ready for `waitForAny`, though its socket is
    /// empty: a thread serving several hosts does not sleep on them.
    @Test(.enabled(if: NetHost.batchesSockets, "SEAM_SOCKET_BATCHING=off")) func datagramsTakenAndNotReadMakeAHostReadyForWaitForAny() throws {
        let host = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 2)
        let sender = try NetHost(bind: nil, peerLimit: 1)
        let socket = host.host.pointee.socket
        var to = ENetAddress(host: 0, port: host.localAddress.port)
        _ = enet_address_set_host_ip(&to, "127.0.0.1")
        var byte: UInt8 = 0x55
        for _ in 0..<3 {
            var buffer = ENetBuffer(data: &byte, dataLength: 1)
            #expect(enet_socket_send(sender.host.pointee.socket, &to, &buffer, 1) == 1)
        }
        sender.flush()
        // ENet's read (Seam's, in CSeamSockets) takes the three in one batch and hands out the first.
        var space = [UInt8](repeating: 0, count: 16)
        var from = ENetAddress()
        let first = space.withUnsafeMutableBytes { bytes -> Int32 in
            var buffer = ENetBuffer(data: bytes.baseAddress, dataLength: bytes.count)
            return enet_socket_receive(socket, &from, &buffer, 1)
        }
        try #require(first == 1)
        #expect(seam_sockets_pending(Int32(socket)) == 2)
        var set = NetHost.PollSet([host])
        #expect(NetHost.waitForAny(&set, timeoutMs: 0))
    }
}
