import CENet
import CSeamSockets

/// Traffic counted by a host since it was created, in UDP payload bytes and datagrams.
public struct TrafficCounters: Sendable, Equatable {
    public var bytesSent: UInt64 = 0
    public var bytesReceived: UInt64 = 0
    public var datagramsSent: UInt64 = 0
    public var datagramsReceived: UInt64 = 0
    /// System calls that sent and read those datagrams on a batched socket (each `sendmmsg` and `recvmmsg`;
    /// 0 on a socket ENet works itself, one call per datagram).
    public var sendCalls: UInt64 = 0
    public var receiveCalls: UInt64 = 0
    /// Datagrams longer than any ENet sends, dropped unread (batched sockets).
    public var oversizeDropped: UInt64 = 0
    /// Datagrams the system refused to send (a full socket buffer), dropped (batched sockets).
    public var sendsRefused: UInt64 = 0
    public init() {}
}

/// An ENet host: one UDP socket and a fixed number of peer slots. Not thread-safe: one thread owns it.
///
/// ENet walks every peer slot it knows of on each service call (twice) and each flush, connected or not, and
/// at a continent's sixteen zones those walks were 9% of the machine: a zone is sized for the crowd it may
/// meet and most of its slots are free most of the time. So ENet is shown only the slots in use and
/// `walkHeadroom` free ones above them (its `peerCount`, see `fitWalkedSlots`); the rest stay allocated
/// behind them and join the walk as the slots below fill up.
public final class NetHost {
    let host: UnsafeMutablePointer<ENetHost>
    /// The bound local address (port resolved when bound to port 0).
    public let localAddress: NetAddress
    /// Socket buffer sizes the kernel reports after Seam raised them.
    public let socketBuffers: (receive: Int, send: Int)
    /// Every peer slot the host has (ENet's `peerCount` as created).
    public let peerLimit: Int
    /// The slots ENet walks now: the highest one in use, and `walkHeadroom` more (at most `peerLimit`).
    public var walkedSlots: Int { host.pointee.peerCount }
    public var connectedPeers: Int { host.pointee.connectedPeers }
    private var counters = TrafficCounters()

    /// Default receive (and send) buffer of a host's socket: 32 MiB. The kernel charges each small datagram
    /// about 1 KiB of buffer, and a process that waits for a core, or a zone in a long tick, does not read its
    /// socket meanwhile: ENet's own 256 KiB dropped about one datagram in ten at 2,000 peers on loopback; 4 MiB
    /// held a third of a second of a 500-bot swarm host (12,000 datagrams a second), which then dropped
    /// acknowledgements until ENet timed connections out (continent, 2,000 bots, `ss -uapm` drop counters),
    /// and continent-6000's hot zones (1,700 players, ticks of 50-70 ms) dropped ~20,000 datagrams in two
    /// minutes (`/proc/net/udp` drop counters). The memory is taken only while datagrams wait.
    public static let defaultSocketBuffer = 32 * 1024 * 1024

    /// Creates a host. `bind` nil makes a client-only host on an ephemeral port.
    public init(
        bind: NetAddress?, peerLimit: Int, channelLimit: Int = 2, socketBuffer: Int = NetHost.defaultSocketBuffer,
        maximumPacketSize: Int = 64 * 1024
    ) throws(NetError) {
        precondition(peerLimit >= 1 && peerLimit <= 4095, "ENet hosts hold 1...4095 peers")
        ENetLibrary.ensureInitialized()
        var address = bind?.enet ?? ENetAddress(host: 0, port: 0)
        let created: UnsafeMutablePointer<ENetHost>? =
            bind == nil
            ? enet_host_create(nil, peerLimit, channelLimit, 0, 0)
            : enet_host_create(&address, peerLimit, channelLimit, 0, 0)
        guard let created else {
            let reason = ENetLibrary.systemError()
            let what = bind.map { "cannot bind UDP \($0)" } ?? "cannot open a UDP socket"
            throw NetError(.bind, call: "enet_host_create", "\(what): \(reason)")
        }
        host = created
        self.peerLimit = peerLimit
        host.pointee.maximumPacketSize = maximumPacketSize
        let socket = host.pointee.socket
        socketBuffers = (
            ENetLibrary.setBuffer(socket, receive: true, bytes: socketBuffer),
            ENetLibrary.setBuffer(socket, receive: false, bytes: socketBuffer)
        )
        var bound = ENetAddress(host: 0, port: 0)
        _ = enet_socket_get_address(socket, &bound)
        localAddress = NetAddress(bound)
        batched = NetHost.batchesSockets && seam_sockets_batch(Int32(socket)) == 0
        fitWalkedSlots()
    }

    deinit {
        // ENet resets every slot it knows of on destroy; the ones past the walk are free already.
        host.pointee.peerCount = peerLimit
        seam_sockets_release(Int32(host.pointee.socket))
        enet_host_destroy(host)
    }

    /// Whether the host's datagrams go out and come in by the batch (CSeamSockets): many per system call,
    /// `sendmmsg` and `recvmmsg`, where ENet makes one call per datagram. On loopback a 100-byte datagram cost
    /// 9.5 µs of CPU sent and read one at a time, 6.8–7.5 µs in batches of 8 to 64 (`tools/udp-batch-cost.c`);
    /// a zone's CPU per bot fell 15%, a swarm's 20% (docs/BENCHMARKS.md, "Twenty-seventh session"). Every
    /// ENet call that may send is followed by a flush of the host's queue (`flushSocket`), so nothing waits
    /// past the call.
    public let batched: Bool

    /// Whether new hosts batch their socket: yes, unless the environment variable `SEAM_SOCKET_BATCHING`
    /// is `off` (to measure ENet's own socket layer against the batches in the same build).
    public static let batchesSockets: Bool = {
        guard let setting = getenv("SEAM_SOCKET_BATCHING") else { return true }
        return String(cString: setting) != "off"
    }()

    /// What the batched socket did since the host was made (zeros when not batched).
    public var socketCounts: seam_sockets_counts { seam_sockets_counts_of(Int32(host.pointee.socket)) }

    /// Sends the datagrams ENet queued in the batched socket.
    func flushSocket() { seam_sockets_flush(Int32(host.pointee.socket)) }

    /// Free slots ENet walks above the highest one in use: room for the connects that arrive before the
    /// next fit (one per service call). A connect that finds no free slot in the walk is ignored and resent
    /// by its remote after about a second, as when a host is full.
    public static let walkHeadroom = 64

    /// Shows ENet the slots up to the highest one in use plus `walkHeadroom` (all of them at most).
    ///
    /// Sound because ENet treats its first `peerCount` slots as all there is and touches none beyond:
    /// a new connection, incoming or outgoing, takes the lowest free slot in the walk; a datagram for a peer
    /// id past it is dropped, and none is owed one, since every slot past it is free (the fit never cuts
    /// below a slot in use, whatever its state: connecting, connected, disconnecting, or a zombie waiting
    /// for its event). Slots fill from the bottom, so the walk shrinks back as the crowd leaves.
    /// One read of a state per free slot at the top: cheap enough for every service call.
    private func fitWalkedSlots() {
        let peers = host.pointee.peers!
        var top = host.pointee.peerCount - 1
        while top >= 0, peers[top].state == ENET_PEER_STATE_DISCONNECTED { top -= 1 }
        host.pointee.peerCount = min(peerLimit, top + 1 + Self.walkHeadroom)
    }

    /// Starts a connection; a `connect` event on this host reports success, a `disconnect` failure.
    public func connect(to address: NetAddress, channels: Int = 2, data: UInt32 = 0) throws(NetError) -> Peer {
        var target = address.enet
        var made = enet_host_connect(host, &target, channels, data)
        if made == nil, host.pointee.peerCount < peerLimit {
            // Every walked slot taken: show ENet all of them for this connect; the next fit trims the walk.
            host.pointee.peerCount = peerLimit
            made = enet_host_connect(host, &target, channels, data)
        }
        fitWalkedSlots()
        guard let peer = made else {
            throw NetError(.noFreePeer, call: "enet_host_connect", "no free peer slot to connect to \(address)")
        }
        return Peer(peer, slot: host.pointee.peers.distance(to: peer))
    }

    /// How a host's peer slots are taken, from ENet's own states.
    public struct SlotCensus: Sendable, Equatable {
        /// Free for a new connection.
        public var free = 0
        /// Connecting: a connect sent or received, the handshake not finished.
        public var handshaking = 0
        /// Connected (or sending its last packets before a disconnect).
        public var connected = 0
        /// Disconnecting: waiting for the remote's acknowledgement, or for its event to be handed out.
        public var disconnecting = 0
        public init() {}
    }

    /// Counts the peer slots by state (one pass over the walked slots; those past them are free).
    public func slotCensus() -> SlotCensus {
        var census = SlotCensus()
        census.free = peerLimit - host.pointee.peerCount
        for k in 0..<host.pointee.peerCount {
            switch host.pointee.peers[k].state {
            case ENET_PEER_STATE_DISCONNECTED: census.free += 1
            case ENET_PEER_STATE_CONNECTED, ENET_PEER_STATE_DISCONNECT_LATER: census.connected += 1
            case ENET_PEER_STATE_DISCONNECTING, ENET_PEER_STATE_ACKNOWLEDGING_DISCONNECT, ENET_PEER_STATE_ZOMBIE:
                census.disconnecting += 1
            default: census.handshaking += 1
            }
        }
        return census
    }

    /// Frees slots held by connects a remote started (their answer not acknowledged yet) until `free` slots
    /// are free, sparing those whose connect data is `sparing`. Returns how many it freed (fewer when there
    /// are not enough such connects). Each is closed as `dropHandshake` does, with `data` for its remote.
    public func dropHandshakes(untilFree free: Int, sparing: UInt32, data: UInt32) -> Int {
        var have = slotCensus().free, dropped = 0
        for k in 0..<host.pointee.peerCount where have < free {
            let peer = host.pointee.peers + k
            guard peer.pointee.state == ENET_PEER_STATE_ACKNOWLEDGING_CONNECT, peer.pointee.eventData != sparing else { continue }
            dropHandshake(peer, data: data)
            have += 1
            dropped += 1
        }
        return dropped
    }

    /// Frees the slots of connections a remote started and never finished: ENet keeps a slot that
    /// answered a connect until the remote acknowledges the answer, resending it for 5 to 30 s (its default
    /// timeouts) when the remote went away, and the connect of a new peer finds no free slot meanwhile.
    /// Closes every slot whose answer has waited at least `olderThanMs` for its acknowledgement, as
    /// `dropHandshake` does, with `data` for its remote. Returns how many.
    public func dropStaleHandshakes(olderThanMs: UInt32, data: UInt32) -> Int {
        let now = enet_time_get()
        var dropped = 0
        for k in 0..<host.pointee.peerCount {
            let peer = host.pointee.peers + k
            guard peer.pointee.state == ENET_PEER_STATE_ACKNOWLEDGING_CONNECT, peer.pointee.earliestTimeout != 0 else { continue }
            // ENet's own clock, wrapping at 2^32 ms: the difference as it computes it.
            let waited = now &- peer.pointee.earliestTimeout
            guard waited >= olderThanMs, waited < 1 << 31 else { continue }
            dropHandshake(peer, data: data)
            dropped += 1
        }
        return dropped
    }

    /// Frees the slot of a connect this host answered and the remote has not acknowledged: no event here
    /// (none was given for it), and a disconnect with `data` to the remote. The remote counts the connection
    /// as made once the answer reached it, whatever this side saw: reset silently, its datagrams kept coming
    /// to the slot, and once the slot took a new connection from the same address (a client host with many
    /// connections) only ENet's 2-bit session id stood between them and the new one's — at continent-3000, with
    /// hundreds of handshakes dropped per zone in an overloaded connect ramp, Attaches of one bot landed on
    /// another's connection and the zone sent that bot another player's Owner.
    private func dropHandshake(_ peer: UnsafeMutablePointer<ENetPeer>, data: UInt32) {
        enet_peer_disconnect_now(peer, data)
        flushSocket()
    }

    /// The peer in `slot`.
    public func peer(slot: Int) -> Peer {
        precondition(slot >= 0 && slot < peerLimit)
        return Peer(host.pointee.peers + slot, slot: slot)
    }

    /// Sends queued packets, waits up to `timeoutMs` for the first event, then drains every event already
    /// received without waiting again. Received packets are destroyed after `handle` returns.
    /// Returns the number of events handled.
    ///
    /// A receive pass of ENet ends after 256 datagrams or at the first connect or disconnect, so datagrams
    /// may be left in the socket: ENet is serviced again at once only while the socket holds some (a poll
    /// with no wait tells). Servicing again to find it empty walked every peer slot twice more per call
    /// (ENet's send pass visits every slot, connected or not; all the slot walks together were 7% of the
    /// machine over a continent's sixteen zones). At most `extraServices` more: a flood cannot keep a zone
    /// from its tick.
    @discardableResult
    public func service(timeoutMs: UInt32, _ handle: (NetEvent) -> Void) throws(NetError) -> Int {
        var event = ENetEvent()
        var handled = 0
        skipBandwidthAnnouncement()
        seam_host_prefetch_peers(host)
        var result = enet_host_service(host, &event, timeoutMs)
        var extra = 0
        while true {
            while result > 0 {
                dispatch(&event, handle)
                handled += 1
                result = enet_host_check_events(host, &event)
            }
            guard result == 0, extra < Self.extraServices, socketHasData() else { break }
            extra += 1
            skipBandwidthAnnouncement()
            seam_host_prefetch_peers(host)
            result = enet_host_service(host, &event, 0)
        }
        flushSocket()
        fitWalkedSlots()
        harvestCounters()
        if result < 0 {
            throw NetError(.service, call: "enet_host_service", "socket wait or receive failed: \(ENetLibrary.systemError())")
        }
        return handled
    }

    /// Keeps ENet from announcing this host's bandwidth limits to every connected peer again.
    ///
    /// After any connect or disconnect ENet marks its limits for recalculation, and at its next once-a-second
    /// throttle pass sends every connected peer a reliable BANDWIDTH_LIMIT command, which each acknowledges.
    /// A Seam host has no limits (0 and 0, given to each peer in the handshake already), so the command
    /// repeats what the peer knows; and with standby connections opening every second somewhere, every host
    /// sent it to every peer every second: 9,500 datagrams a second on their own, and as many
    /// acknowledgements, in a continent-2500's 97,000 (a 2-s capture on loopback). Only `enet_host_service`
    /// runs the throttle pass, at the start of its loop, so the mark is cleared before each call of it.
    private func skipBandwidthAnnouncement() {
        if host.pointee.incomingBandwidth == 0 { host.pointee.recalculateBandwidthLimits = 0 }
    }

    /// The most services one `service` call adds while datagrams remain (each reads up to 256).
    static let extraServices = 16

    /// Whether a datagram waits in the host's socket, or taken from it in a batch and not yet read by ENet.
    private func socketHasData() -> Bool {
        if seam_sockets_pending(Int32(host.pointee.socket)) > 0 { return true }
        var fd = pollfd(fd: Int32(host.pointee.socket), events: Int16(POLLIN), revents: 0)
        return poll(&fd, 1, 0) > 0 && fd.revents & Int16(POLLIN) != 0
    }

    /// ENet's clock (milliseconds, wrapping), the one its ping and timeout rules read.
    public static var nowMs: UInt32 { enet_time_get() }

    /// Sends every queued packet now instead of at the next service call.
    public func flush() {
        seam_host_prefetch_peers(host)
        enet_host_flush(host)
        flushSocket()
        harvestCounters()
    }

    /// Bytes and datagrams since creation. ENet's own 32-bit counters are folded in and reset here; the
    /// batched socket's counts are its own, 64-bit since it was batched.
    public var traffic: TrafficCounters {
        harvestCounters()
        var traffic = counters
        let socket = socketCounts
        traffic.sendCalls = socket.sendCalls
        traffic.receiveCalls = socket.receiveCalls
        traffic.oversizeDropped = socket.oversizeDropped
        traffic.sendsRefused = socket.sendsRefused
        return traffic
    }

    private func dispatch(_ event: inout ENetEvent, _ handle: (NetEvent) -> Void) {
        guard let peerPointer = event.peer else { return }
        let peer = Peer(peerPointer, slot: host.pointee.peers.distance(to: peerPointer))
        switch event.type {
        case ENET_EVENT_TYPE_CONNECT:
            handle(.connect(peer, data: event.data))
        case ENET_EVENT_TYPE_DISCONNECT:
            handle(.disconnect(peer, data: event.data))
        case ENET_EVENT_TYPE_RECEIVE:
            guard let packet = event.packet else { return }
            defer { enet_packet_destroy(packet) }
            handle(.receive(peer, channel: event.channelID,
                            bytes: UnsafeRawBufferPointer(start: packet.pointee.data, count: packet.pointee.dataLength)))
        default:
            break
        }
    }

    private func harvestCounters() {
        counters.bytesSent &+= UInt64(host.pointee.totalSentData)
        counters.bytesReceived &+= UInt64(host.pointee.totalReceivedData)
        counters.datagramsSent &+= UInt64(host.pointee.totalSentPackets)
        counters.datagramsReceived &+= UInt64(host.pointee.totalReceivedPackets)
        host.pointee.totalSentData = 0
        host.pointee.totalReceivedData = 0
        host.pointee.totalSentPackets = 0
        host.pointee.totalReceivedPackets = 0
    }
}

#if canImport(Glibc)
import Glibc
#endif

extension NetHost {
    /// The sockets of a fixed list of hosts, gathered once so that waiting on them allocates nothing (the bot
    /// swarm waits a few times per tick).
    public struct PollSet {
        fileprivate var fds: [pollfd]

        public init(_ hosts: [NetHost]) {
            fds = hosts.map { pollfd(fd: $0.host.pointee.socket, events: Int16(POLLIN), revents: 0) }
        }
    }

    /// Waits until any of the hosts in `set` has a datagram to read, or `timeoutMs` passes. Lets one thread
    /// serve several hosts without spinning: after it returns, service each host with a zero timeout.
    /// Datagrams a batched socket took and ENet has not read yet count as waiting: then it returns at once.
    /// Returns whether a host has one.
    @discardableResult
    public static func waitForAny(_ set: inout PollSet, timeoutMs: Int32) -> Bool {
        if set.fds.contains(where: { seam_sockets_pending($0.fd) > 0 }) { return true }
        return poll(&set.fds, nfds_t(set.fds.count), timeoutMs) > 0
    }
}

/// A packet per slot (a connection, a bot) that its owner keeps and sends again and again, for one
/// unreliable message per connection per tick (a zone's snapshots, the bot swarm's inputs): `Peer.send`
/// allocates a packet and its bytes each time, and those mallocs, a burst of hundreds per tick, showed in
/// the swarm's profile.
///
/// Each packet holds a reference of its own, so ENet never frees it; once ENet has sent it (the count back to
/// that one reference) its bytes may be rewritten. A send while ENet still holds it, or of more bytes than it
/// has room for, goes through `Peer.send` instead. On the wire it is `Peer.send` exactly. The packets are
/// kept as raw pointers, one table per owner, so a send retains nothing: a kept packet object per slot cost
/// a retain and a release per send, each a locked instruction waiting for the message's stores before it.
public final class ReusablePackets {
    private var packets: UnsafeMutablePointer<UnsafeMutablePointer<ENetPacket>?>
    private var count = 0
    /// Bytes each packet has room for.
    public let capacity: Int

    /// No packets yet: each slot's is made at its first send, with room for `capacity` bytes.
    public init(capacity: Int) {
        ENetLibrary.ensureInitialized()
        self.capacity = capacity
        packets = .allocate(capacity: 0)
    }

    deinit {
        // ENet frees a packet when it lets go of it if it still holds it (it drops it, sent or not, when the
        // peer or host goes); otherwise nobody else will.
        for k in 0..<count {
            guard let packet = packets[k] else { continue }
            packet.pointee.referenceCount -= 1
            if packet.pointee.referenceCount == 0 { enet_packet_destroy(packet) }
        }
        packets.deallocate()
    }

    /// Queues `bytes` unreliably on `channel` of `peer` in the packet of `slot`, as `peer.send(bytes,
    /// channel:, delivery: .unreliable)`.
    public func sendUnreliable(_ bytes: UnsafeRawBufferPointer, slot: Int, to peer: Peer,
                               channel: UInt8) throws(NetError) {
        let packet = try packet(slot: slot)
        guard packet.pointee.referenceCount == 1, bytes.count <= capacity, let base = bytes.baseAddress else {
            try peer.send(bytes, channel: channel, delivery: .unreliable)
            return
        }
        packet.pointee.data.update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        packet.pointee.dataLength = bytes.count
        if enet_peer_send(peer.pointer, channel, packet) < 0 {
            throw NetError(.send, call: "enet_peer_send", "peer \(peer.slot) refused a \(bytes.count)-byte packet")
        }
    }

    /// The packet of `slot`, made at its first use (the table grows to hold it).
    @inline(__always)
    private func packet(slot: Int) throws(NetError) -> UnsafeMutablePointer<ENetPacket> {
        precondition(slot >= 0, "negative packet slot \(slot)")
        if slot < count, let packet = packets[slot] { return packet }
        return try makePacket(slot: slot)
    }

    private func makePacket(slot: Int) throws(NetError) -> UnsafeMutablePointer<ENetPacket> {
        if slot >= count {
            let grown = max(slot + 1, 2 * count)
            let table = UnsafeMutablePointer<UnsafeMutablePointer<ENetPacket>?>.allocate(capacity: grown)
            table.moveInitialize(from: packets, count: count)
            (table + count).initialize(repeating: nil, count: grown - count)
            packets.deallocate()
            packets = table
            count = grown
        }
        guard let packet = enet_packet_create(nil, capacity, Delivery.unreliable.flags) else {
            throw NetError(.allocation, call: "enet_packet_create", "cannot allocate a \(capacity)-byte packet")
        }
        packet.pointee.referenceCount = 1
        packets[slot] = packet
        return packet
    }
}

extension NetHost {
    /// An offset under which every one of `ports` can be bound on this machine right now (tried at random
    /// in 10,000...40,000, 50 times), so a cluster can run beside another on ports nobody holds.
    public static func freePortOffset(for ports: [Int]) -> Int? {
        var g = SystemRandomNumberGenerator()
        for _ in 0..<50 {
            let offset = Int.random(in: 10_000...40_000, using: &g)
            let free = ports.allSatisfy { port in
                (try? NetHost(bind: NetAddress(host: 0, port: UInt16(clamping: port + offset)), peerLimit: 1)) != nil
            }
            if free { return offset }
        }
        return nil
    }
}
