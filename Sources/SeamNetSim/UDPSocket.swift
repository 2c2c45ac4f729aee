#if canImport(Glibc)
import Glibc
#endif

/// A non-blocking IPv4 UDP socket. Every system call of the simulator goes through this file, which turns
/// return codes into `NetSimError`s naming the call, or into `Outcome`s the relay counts and carries on from.
struct UDPSocket {
    let descriptor: Int32

    /// What a receive or a send did. Failures are the world's: the relay counts them and carries on.
    enum Outcome {
        /// A datagram of `count` bytes, from `source` (receive) or sent whole (send).
        case done(count: Int, source: Endpoint)
        /// Nothing to read, or no room to send, right now.
        case wouldBlock
        /// The call failed with this errno (e.g. ECONNREFUSED after an ICMP port unreachable).
        case failed(errno: Int32)
    }

    /// Large kernel buffers: a burst of a few thousand datagrams waits in the kernel, not dropped there.
    static let bufferBytes: Int32 = 4 * 1024 * 1024

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// A socket bound to `endpoint` (port 0: any free port).
    static func bound(to endpoint: Endpoint) throws(NetSimError) -> UDPSocket {
        let socket = try open()
        var address = endpoint.sockaddr
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let error = errno
            socket.close()
            throw NetSimError(.system, "bind(\(endpoint)) failed: \(describe(error))")
        }
        return socket
    }

    /// A socket on an ephemeral port, connected to `target`: it sends only there and the kernel lets only
    /// the target's datagrams in, which is what a NAT's per-flow mapping does.
    static func connected(to target: Endpoint) throws(NetSimError) -> UDPSocket {
        let socket = try open()
        var address = target.sockaddr
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(socket.descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard rc == 0 else {
            let error = errno
            socket.close()
            throw NetSimError(.system, "connect(\(target)) failed: \(describe(error))")
        }
        return socket
    }

    private static func open() throws(NetSimError) -> UDPSocket {
        let fd = socket(
            AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw NetSimError(.system, "socket(AF_INET, SOCK_DGRAM) failed: \(describe(errno))") }
        var size = bufferBytes
        // Best effort: the kernel caps these at net.core.rmem_max / wmem_max.
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        return UDPSocket(descriptor: fd)
    }

    /// The address the socket is bound to (the chosen port after binding port 0).
    func localEndpoint() throws(NetSimError) -> Endpoint {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let rc = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard rc == 0 else { throw NetSimError(.system, "getsockname failed: \(Self.describe(errno))") }
        return Endpoint(address)
    }

    /// Reads one datagram into `buffer`.
    func receive(into buffer: UnsafeMutableRawBufferPointer) -> Outcome {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let n = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                recvfrom(descriptor, buffer.baseAddress, buffer.count, 0, $0, &length)
            }
        }
        if n >= 0 { return .done(count: n, source: Endpoint(address)) }
        let error = errno
        return error == EAGAIN || error == EWOULDBLOCK ? .wouldBlock : .failed(errno: error)
    }

    /// Sends one datagram to `destination`, or to the connected peer when nil.
    func send(_ bytes: UnsafeRawBufferPointer, to destination: Endpoint?) -> Outcome {
        let n: Int
        if let destination {
            var address = destination.sockaddr
            n = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(descriptor, bytes.baseAddress, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        } else {
            n = Glibc.send(descriptor, bytes.baseAddress, bytes.count, 0)
        }
        if n >= 0 { return .done(count: n, source: destination ?? Endpoint(host: 0, port: 0)) }
        let error = errno
        return error == EAGAIN || error == EWOULDBLOCK ? .wouldBlock : .failed(errno: error)
    }

    func close() {
        _ = Glibc.close(descriptor)
    }

    /// Waits until one of `fds` is readable or `timeoutNanos` pass (nanosecond resolution, unlike poll's
    /// milliseconds: a 1 ms rounding would be the relay's own added latency). EINTR counts as a wake-up.
    static func wait(_ fds: inout [pollfd], timeoutNanos: UInt64) {
        var timeout = timespec(tv_sec: Int(timeoutNanos / 1_000_000_000), tv_nsec: Int(timeoutNanos % 1_000_000_000))
        if let ppoll = ppollFunction {
            _ = ppoll(&fds, nfds_t(fds.count), &timeout, nil)
        } else {
            _ = poll(&fds, nfds_t(fds.count), Int32(min(timeoutNanos.divided(roundingUpBy: 1_000_000), 60_000)))
        }
    }

    private typealias PPoll =
        @convention(c) (
            UnsafeMutablePointer<pollfd>?, nfds_t, UnsafePointer<timespec>?,
            UnsafeRawPointer?
        ) -> Int32

    /// glibc's `ppoll`, which the Glibc module hides (it is a _GNU_SOURCE declaration), found once by name.
    private static let ppollFunction: PPoll? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "ppoll") else { return nil }  // RTLD_DEFAULT
        return unsafeBitCast(symbol, to: PPoll.self)
    }()

    static func describe(_ error: Int32) -> String {
        "\(String(cString: strerror(error))) (errno \(error))"
    }
}

extension UInt64 {
    fileprivate func divided(roundingUpBy d: UInt64) -> UInt64 { (self + d - 1) / d }
}
