import CENet
import CSeamSockets

/// A connection slot of a `NetHost`. A value wrapper around ENet's peer pointer, valid while its host lives.
///
/// ENet reuses slots: after a disconnect event the same `Peer` may later carry another connection, so
/// sessions are keyed by `slot` and cleared on disconnect.
public struct Peer: Hashable, @unchecked Sendable {
    let pointer: UnsafeMutablePointer<ENetPeer>
    /// Index of this peer in its host's peer array: a dense key for session tables.
    public let slot: Int

    init(_ pointer: UnsafeMutablePointer<ENetPeer>, slot: Int) {
        self.pointer = pointer
        self.slot = slot
    }

    public static func == (a: Peer, b: Peer) -> Bool { a.pointer == b.pointer }
    public func hash(into hasher: inout Hasher) { hasher.combine(slot) }

    /// Smoothed round-trip time ENet measured from reliable acknowledgements, in milliseconds.
    public var roundTripTimeMs: Int { Int(pointer.pointee.roundTripTime) }
    public var address: NetAddress { NetAddress(pointer.pointee.address) }
    public var isConnected: Bool { pointer.pointee.state == ENET_PEER_STATE_CONNECTED }

    /// ENet's identity of the connection, for logs that trace crossed connections: the remote's slot for it
    /// (the peer id this side's datagrams carry), the 2-bit session ids each way, the connect id, and how long
    /// ago (ms, ENet's clock) anything last arrived on it.
    public var wireIdentity: String {
        let p = pointer.pointee
        let quiet = enet_time_get() &- p.lastReceiveTime
        return "remote slot \(p.outgoingPeerID), sessions in \(p.incomingSessionID) out \(p.outgoingSessionID), "
            + "connect id \(p.connectID), last received \(quiet) ms ago"
    }

    /// Queues `bytes` (copied) on `channel`. Throws when ENet refuses the packet, which is then destroyed here.
    public func send(_ bytes: UnsafeRawBufferPointer, channel: UInt8, delivery: Delivery) throws(NetError) {
        guard let packet = enet_packet_create(bytes.baseAddress, bytes.count, delivery.flags) else {
            throw NetError(.allocation, call: "enet_packet_create", "cannot allocate a \(bytes.count)-byte packet")
        }
        if enet_peer_send(pointer, channel, packet) < 0 {
            // ENet did not take ownership: the packet is ours to free.
            enet_packet_destroy(packet)
            throw NetError(.send, call: "enet_peer_send", "peer \(slot) refused a \(bytes.count)-byte packet")
        }
    }

    /// Convenience for byte arrays.
    public func send(_ bytes: [UInt8], channel: UInt8, delivery: Delivery) throws(NetError) {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(NetError) in try send(raw, channel: channel, delivery: delivery) }
        }
        try result.get()
    }

    /// Disconnects after every queued packet has been sent; a `disconnect` event follows.
    public func disconnectLater(data: UInt32 = 0) { enet_peer_disconnect_later(pointer, data) }
    /// Asks the remote to disconnect; a `disconnect` event follows once it acknowledges or times out.
    public func disconnect(data: UInt32 = 0) { enet_peer_disconnect(pointer, data) }
    /// Disconnects at once: the remote is told (once, unreliably) with `data`, the slot is free again now,
    /// and no `disconnect` event follows here.
    public func disconnectNow(data: UInt32 = 0) {
        enet_peer_disconnect_now(pointer, data)
        seam_sockets_flush(Int32(pointer.pointee.host.pointee.socket))
    }
    /// Drops the connection at once without telling the remote and without an event.
    public func reset() { enet_peer_reset(pointer) }

    /// Sets ENet's timeout policy: the peer is dropped after `limit` unacknowledged retries, never sooner
    /// than `minimumMs` and always after `maximumMs`.
    public func setTimeout(limit: UInt32, minimumMs: UInt32, maximumMs: UInt32) {
        enet_peer_timeout(pointer, limit, minimumMs, maximumMs)
    }

    /// Turns off ENet's unreliable-packet throttle for this connection. ENet drops unreliable packets when it
    /// sees RTT variance; Seam budgets its own bandwidth, so a silent drop there would only hide overload.
    public func disableThrottle() {
        enet_peer_throttle_configure(pointer, 5000, UInt32(ENET_PEER_PACKET_THROTTLE_SCALE), 0)
    }

    /// ENet's keep-alive: a peer none of whose reliable commands was acknowledged for this long sends a ping
    /// (500 ms by default).
    /// Both ends of an idle connection need the longer interval, or the shorter one keeps pinging.
    public func setPingInterval(ms: UInt32) { enet_peer_ping_interval(pointer, ms) }
    public var pingIntervalMs: UInt32 { pointer.pointee.pingInterval }

    public static let defaultPingIntervalMs = UInt32(ENET_PEER_PING_INTERVAL)
    /// For both ends of a standby connection (a handoff's spare, idle until the player crosses): a bot in a
    /// four-zone corner holds three, so their pings were a fifth of a hotspot zone's datagrams at 500 ms.
    /// Each end pings on its own clock (a received ping is not an acknowledgement of anything the receiver
    /// sent), and a standby carries nothing for a ping to ride with: every ping and its acknowledgement go
    /// alone, four datagrams an interval. At 4 s at the client's end they were ~2,300 a second in a
    /// continent-2000's border-dance, acknowledgements aside. Either end learns that the other vanished
    /// without a word up to an interval (plus ENet's timeout) late: the zone frees the slot then, and the
    /// client, whose Redirect to a zone finds a standby the zone forgot, attaches beside it instead of
    /// waiting for it to go (`Swarm.redirect`).
    public static let standbyPingIntervalMs: UInt32 = 20_000
    /// For owner connections. ENet counts a connection as heard from only when one of its own reliable
    /// commands is acknowledged, so both ends of a busy connection ping whatever else flows on it: at 500 ms,
    /// pings and their acknowledgements were 45% of a continent-2500's datagrams (a 2-s capture during
    /// border-dance, `tools/enet-census.py`). The pings ride with the tick's data (`pingIfDue`) but each
    /// acknowledgement still goes alone. Every 2 s gives lag compensation a fresh round trip sample (ENet
    /// smooths them an eighth at a time, and acknowledged Events add more), and a lost remote times out at
    /// most 2 s later than it would at 500 ms.
    public static let ownerPingIntervalMs: UInt32 = 2000

    /// Counts the connection as heard from at `nowMs` (`NetHost.nowMs`) for ENet's keep-alive, whose next
    /// ping then falls due a whole interval later. ENet counts only acknowledgements of its own commands, so a
    /// standby made the owner connection by a message from the zone was last heard from up to a standby
    /// interval (20 s) before: at the owner connections' 2 s, ENet pinged it at once, alone, and the zone
    /// acknowledged alone, two datagrams at every handoff (~650 a second each way in a continent-2000's
    /// border-dance, as many as Owner messages). The message that moved the client is as good a sign of life.
    public func countAsHeardFrom(atMs nowMs: UInt32) { pointer.pointee.lastReceiveTime = nowMs }

    /// Whether a reliable command sent on this connection awaits its acknowledgement.
    public var awaitsAcknowledgement: Bool { seam_peer_awaits_ack(pointer) != 0 }

    /// Queues ENet's keep-alive ping now if it would fall due within `leadMs` of `nowMs` (`NetHost.nowMs`),
    /// so that it leaves in the datagram about to carry this peer's data. ENet itself pings at the first
    /// service after the interval, in a datagram of its own; a connection that carries data every tick and
    /// calls this before each with a lead of a tick or two never does. Returns whether a ping was queued.
    @discardableResult
    public func pingIfDue(nowMs: UInt32, leadMs: UInt32) -> Bool {
        guard seam_peer_ping_due(pointer, nowMs, leadMs) != 0 else { return false }
        enet_peer_ping(pointer)
        return true
    }
}

/// How a packet is delivered.
public enum Delivery: Sendable {
    /// Resent until acknowledged, in order per channel.
    case reliable
    /// Sent once; late packets are dropped in favour of newer ones on the same channel.
    case unreliable

    var flags: UInt32 {
        switch self {
        case .reliable: UInt32(ENET_PACKET_FLAG_RELIABLE.rawValue)
        case .unreliable: 0
        }
    }
}
