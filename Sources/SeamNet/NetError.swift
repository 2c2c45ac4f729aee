/// An error from the network layer, naming the ENet call that failed and what to do about it.
public struct NetError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public enum Code: Sendable, Equatable {
        /// `enet_initialize` failed: the process cannot use ENet at all.
        case initialization
        /// The UDP socket could not be created or bound (port in use, no permission, bad address).
        case bind
        /// A host name did not resolve to an IPv4 address.
        case resolve
        /// The host has no free peer slot for an outgoing connection.
        case noFreePeer
        /// ENet refused to queue a packet (peer not connected, or packet too large for it).
        case send
        /// Packet memory could not be allocated.
        case allocation
        /// Waiting on the socket or receiving from it failed.
        case service
    }

    public var code: Code
    /// The ENet or system call that failed, e.g. `enet_host_create`.
    public var call: String
    public var message: String

    public init(_ code: Code, call: String, _ message: String) {
        self.code = code
        self.call = call
        self.message = message
    }

    public var description: String { "\(message) (\(call))" }
}
