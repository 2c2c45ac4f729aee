import SeamNetSim
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The relay in this process over real loopback sockets, with a hand-driven clock: one upstream source per
/// client, replies routed back, delivery held until its virtual due time, idle flows forgotten.
@Suite struct RelayTests {
    /// A plain non-blocking UDP socket on 127.0.0.1, standing in for a client or a target.
    final class TestSocket {
        let fd: Int32
        let port: UInt16

        init() throws {
            let s = socket(AF_INET, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var address = Self.loopback(port: 0)
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let ok = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(s, $0, length) == 0 && getsockname(s, $0, &length) == 0
                }
            }
            guard s >= 0, ok else { throw NetSimError(.system, "test socket: errno \(errno)") }
            fd = s
            port = UInt16(bigEndian: address.sin_port)
        }

        deinit { close(fd) }

        static func loopback(port: UInt16) -> sockaddr_in {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = port.bigEndian
            a.sin_addr = in_addr(s_addr: UInt32(0x7F00_0001).bigEndian)
            return a
        }

        func send(_ bytes: [UInt8], to port: UInt16) {
            var a = Self.loopback(port: port)
            _ = withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }

        /// One waiting datagram and its source port, or nil.
        func receive() -> (bytes: [UInt8], from: UInt16)? {
            var buffer = [UInt8](repeating: 0, count: 2048)
            var a = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let n = withUnsafeMutablePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(fd, &buffer, buffer.count, 0, $0, &length)
                }
            }
            guard n >= 0 else { return nil }
            return (Array(buffer[0..<n]), UInt16(bigEndian: a.sin_port))
        }
    }

    final class ManualClock: @unchecked Sendable {
        var now: UInt64 = 1_000_000_000
    }

    static let ms: UInt64 = 1_000_000

    /// Steps the relay (real waits of at most 2 ms) until `condition` holds, at most 500 times.
    static func pump(_ relay: Relay, until condition: () -> Bool) -> Bool {
        for _ in 0..<500 {
            relay.step(maxWaitNanos: 2 * ms)
            if condition() { return true }
        }
        return condition()
    }

    static func relay(to target: UInt16, spec: String, clock: ManualClock) throws -> Relay {
        try Relay(
            mappings: [RelayMapping(parsing: "127.0.0.1:0=127.0.0.1:\(target)")], spec: ImpairmentSpec(parsing: spec),
            clock: { clock.now })
    }

    @Test func eachClientGetsItsOwnSourceAndItsOwnReplies() throws {
        let server = try TestSocket()
        let a = try TestSocket()
        let b = try TestSocket()
        let clock = ManualClock()
        let relay = try Self.relay(to: server.port, spec: "", clock: clock)
        let port = relay.mappings[0].listen.port
        #expect(port != 0, "a listen port 0 is replaced by the chosen one")
        a.send([1, 2, 3], to: port)
        b.send([4], to: port)
        var arrived: [(bytes: [UInt8], from: UInt16)] = []
        #expect(
            Self.pump(relay) {
                while let d = server.receive() { arrived.append(d) }
                return arrived.count == 2
            })
        let fromA = try #require(arrived.first { $0.bytes == [1, 2, 3] }?.from)
        let fromB = try #require(arrived.first { $0.bytes == [4] }?.from)
        #expect(fromA != fromB, "the target sees one source per client")
        #expect(![a.port, b.port, port].contains(fromA) && ![a.port, b.port, port].contains(fromB))
        server.send([10], to: fromA)
        server.send([20, 21], to: fromB)
        var gotA: (bytes: [UInt8], from: UInt16)?
        var gotB: (bytes: [UInt8], from: UInt16)?
        #expect(
            Self.pump(relay) {
                gotA = gotA ?? a.receive()
                gotB = gotB ?? b.receive()
                return gotA != nil && gotB != nil
            })
        #expect(gotA?.bytes == [10] && gotA?.from == port, "replies come back from the relay's listen port")
        #expect(gotB?.bytes == [20, 21] && gotB?.from == port)
        let s = relay.statistics
        #expect(s.flows == 2 && s.relays[0].flowsOpened == 2)
        #expect(
            s.up.receivedPackets == 2 && s.up.deliveredPackets == 2 && s.up.receivedBytes == 4
                && s.up.deliveredBytes == 4)
        #expect(s.down.receivedPackets == 2 && s.down.deliveredPackets == 2 && s.down.deliveredBytes == 3)
    }

    @Test func aPacketLeavesAtItsVirtualDueTimeNotBefore() throws {
        let server = try TestSocket()
        let client = try TestSocket()
        let clock = ManualClock()
        let relay = try Self.relay(to: server.port, spec: "latency=20ms", clock: clock)
        client.send([7], to: relay.mappings[0].listen.port)
        #expect(Self.pump(relay) { relay.statistics.up.receivedPackets == 1 })
        clock.now += 19 * Self.ms
        for _ in 0..<5 { relay.step(maxWaitNanos: Self.ms) }
        #expect(server.receive() == nil, "not due yet in virtual time")
        #expect(relay.statistics.up.queueDepth == 1)
        clock.now += 1 * Self.ms
        var got: (bytes: [UInt8], from: UInt16)?
        #expect(
            Self.pump(relay) {
                got = got ?? server.receive()
                return got != nil
            })
        #expect(got?.bytes == [7])
        let up = relay.statistics.up
        #expect(up.deliveredPackets == 1 && up.queueDepth == 0 && up.queueDepthMax == 1)
        #expect(relay.statistics.lateness.samples == 1 && relay.statistics.lateness.maxNanos == 0, "sent at its due time")
    }

    @Test func idleFlowsAreForgotten() throws {
        let server = try TestSocket()
        let client = try TestSocket()
        let clock = ManualClock()
        let relay = try Self.relay(to: server.port, spec: "", clock: clock)
        let port = relay.mappings[0].listen.port
        client.send([1], to: port)
        var first: UInt16?
        #expect(
            Self.pump(relay) {
                first = first ?? server.receive()?.from
                return first != nil
            })
        clock.now += 59_000 * Self.ms
        relay.step(maxWaitNanos: Self.ms)
        #expect(relay.statistics.flows == 1, "59 s of silence is not yet idle")
        clock.now += 2_000 * Self.ms
        relay.step(maxWaitNanos: Self.ms)
        #expect(relay.statistics.flows == 0)
        client.send([2], to: port)
        #expect(Self.pump(relay) { server.receive() != nil })
        #expect(relay.statistics.relays[0].flowsOpened == 2, "the client came back as a new flow")
    }

    @Test func aBusyListenPortIsOneClearError() throws {
        let taken = try TestSocket()
        #expect {
            try Relay(mappings: [RelayMapping(parsing: "127.0.0.1:\(taken.port)=127.0.0.1:9")], spec: ImpairmentSpec())
        } throws: { error in
            guard let e = error as? NetSimError else { return false }
            return e.code == .system && e.message.contains("bind(127.0.0.1:\(taken.port))")
                && e.message.contains("in use")
        }
    }
}
