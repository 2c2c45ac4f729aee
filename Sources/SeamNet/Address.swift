import CENet

/// An IPv4 UDP endpoint, as ENet 1.3 knows them.
public struct NetAddress: Hashable, Sendable, CustomStringConvertible {
    /// IPv4 address in network byte order, as ENet stores it.
    public var host: UInt32
    public var port: UInt16

    /// Every local interface (`0.0.0.0`).
    public static func any(port: UInt16) -> NetAddress { NetAddress(host: 0, port: port) }

    public init(host: UInt32, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Resolves a name or dotted quad. Throws `NetError.Code.resolve` with the name in the message.
    public init(resolving name: String, port: UInt16) throws(NetError) {
        ENetLibrary.ensureInitialized()
        var address = ENetAddress(host: 0, port: port)
        guard enet_address_set_host(&address, name) == 0 else {
            throw NetError(.resolve, call: "enet_address_set_host", "cannot resolve host '\(name)'")
        }
        self.init(host: address.host, port: port)
    }

    /// Parses `HOST:PORT`.
    public init(parsing text: String) throws(NetError) {
        guard let colon = text.lastIndex(of: ":"), let port = UInt16(text[text.index(after: colon)...]),
            colon != text.startIndex
        else {
            throw NetError(.resolve, call: "parse", "expected HOST:PORT, got '\(text)'")
        }
        try self.init(resolving: String(text[..<colon]), port: port)
    }

    var enet: ENetAddress { ENetAddress(host: host, port: port) }

    init(_ address: ENetAddress) {
        self.init(host: address.host, port: address.port)
    }

    public var description: String {
        // host is in network byte order: the first octet is the lowest byte in memory.
        let h = host
        return "\(h & 0xff).\((h >> 8) & 0xff).\((h >> 16) & 0xff).\((h >> 24) & 0xff):\(port)"
    }
}
