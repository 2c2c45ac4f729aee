/// What `NetHost.service` reports. Packet bytes are only valid inside the handler call.
public enum NetEvent {
    /// A connection completed; `data` is the 32-bit value the connecting side passed.
    case connect(Peer, data: UInt32)
    /// A connection ended: the remote disconnected, timed out, or our disconnect completed.
    case disconnect(Peer, data: UInt32)
    /// A packet arrived. The bytes belong to ENet and are freed when the handler returns.
    case receive(Peer, channel: UInt8, bytes: UnsafeRawBufferPointer)
}
