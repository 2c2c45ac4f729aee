#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 UDP endpoint: the address half of a relay mapping, or a client's source address.
public struct Endpoint: Hashable, Sendable, CustomStringConvertible {
    /// IPv4 address in network byte order (as `in_addr.s_addr` and ENet store it).
    public var host: UInt32
    public var port: UInt16

    public init(host: UInt32, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT`, HOST a dotted quad or a name that resolves to IPv4 (e.g. `localhost`).
    public init(parsing text: String) throws(NetSimError) {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            let port = UInt16(text[text.index(after: colon)...])
        else {
            throw NetSimError(.badAddress, "expected HOST:PORT with PORT in 0...65535, got '\(text)'")
        }
        let name = String(text[..<colon])
        var address = in_addr()
        if inet_pton(AF_INET, name, &address) == 1 {
            self.init(host: address.s_addr, port: port)
            return
        }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_DGRAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result, let sa = first.pointee.ai_addr else {
            throw NetSimError(.badAddress, "cannot resolve host '\(name)' in '\(text)' to an IPv4 address")
        }
        defer { freeaddrinfo(result) }
        let host = sa.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
        self.init(host: host, port: port)
    }

    init(_ address: sockaddr_in) {
        self.init(host: address.sin_addr.s_addr, port: UInt16(bigEndian: address.sin_port))
    }

    var sockaddr: sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        a.sin_addr = in_addr(s_addr: host)
        return a
    }

    public var description: String {
        // host is in network byte order: the first octet is the lowest byte in memory.
        let h = host
        return "\(h & 0xff).\((h >> 8) & 0xff).\((h >> 16) & 0xff).\((h >> 24) & 0xff):\(port)"
    }
}
