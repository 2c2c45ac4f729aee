#if canImport(Glibc)
import Glibc
#endif

/// The network simulator's relay: several mappings LISTEN → TARGET served by one thread.
///
/// Each distinct client source address on a listen socket gets its own upstream socket (an ephemeral port
/// connected to the target), so the target sees one source per client and its replies find their way
/// back, as through a NAT. Every datagram is judged by the `Impairment` of its relay and direction and
/// scheduled in one min-heap by due time; the loop waits on every socket with `ppoll` until a datagram
/// arrives or the next one is due. Flows idle for `idleTimeoutNanos` are forgotten.
public final class Relay {
    public let spec: ImpairmentSpec
    /// The mappings as bound: a listen port 0 is replaced by the port the system chose.
    public let mappings: [RelayMapping]

    let listeners: [UDPSocket]
    /// Two per mapping: `2 * m` client → target, `2 * m + 1` target → client.
    var impairments: [Impairment]
    var flows: [Flow?] = []
    var freeFlows: [Int32] = []
    var flowIndex: [FlowKey: Int32] = [:]
    var flowsOpened: [UInt64]
    var flowErrors: UInt64 = 0
    var lateness = LatenessHistogram()
    var queue = DeliveryQueue<Scheduled>()
    var pool = PacketPool()
    /// The sockets to wait on: every listener, then every flow's upstream socket; `pollOwners[i]` is the
    /// flow index, or `-(mapping + 1)` for a listener. Rebuilt when flows come and go.
    var pollSet: [pollfd] = []
    var pollOwners: [Int32] = []
    var pollSetStale = true
    let clock: () -> UInt64
    let idleTimeoutNanos: UInt64
    let started: UInt64
    var nextSweep: UInt64
    let receiveBuffer: UnsafeMutableRawBufferPointer

    /// Datagrams read from one socket before looking at the others and at due deliveries.
    static let receiveBatch = 64

    /// Binds every mapping's listen address. Throws `NetSimError` naming the address that could not be bound.
    /// `clock` is monotonic nanoseconds.
    public init(
        mappings: [RelayMapping], spec: ImpairmentSpec, idleTimeoutSeconds: Double = 60,
        clock: @escaping () -> UInt64 = Relay.monotonicNanos
    ) throws(NetSimError) {
        precondition(!mappings.isEmpty, "a relay needs at least one mapping")
        self.spec = spec
        self.clock = clock
        idleTimeoutNanos = UInt64(idleTimeoutSeconds * 1e9)
        var sockets: [UDPSocket] = []
        var bound: [RelayMapping] = []
        for m in mappings {
            do {
                let s = try UDPSocket.bound(to: m.listen)
                sockets.append(s)
                bound.append(RelayMapping(listen: try s.localEndpoint(), target: m.target))
            } catch {
                sockets.forEach { $0.close() }
                throw NetSimError(.system, "relay \(m): \(error.message)")
            }
        }
        listeners = sockets
        self.mappings = bound
        impairments = (0..<2 * mappings.count).map { Impairment(spec: spec, stream: UInt64($0)) }
        flowsOpened = Array(repeating: 0, count: mappings.count)
        started = clock()
        nextSweep = started + 1_000_000_000
        receiveBuffer = .allocate(byteCount: 65536, alignment: 16)
    }

    deinit {
        listeners.forEach { $0.close() }
        for case let flow? in flows { flow.socket.close() }
        receiveBuffer.deallocate()
    }

    public static func monotonicNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Relays until `shouldStop` returns true (checked at least every 50 ms), calling `status` every
    /// `statusEverySeconds` when given. Packets still queued at the end are not delivered.
    public func run(
        until shouldStop: () -> Bool, statusEverySeconds: Double? = nil,
        status: (RelayStatistics) -> Void = { _ in }
    ) {
        let every = statusEverySeconds.map { UInt64($0 * 1e9) }
        var nextStatus = every.map { clock() + $0 }
        while !shouldStop() {
            let now = clock()
            var wait: UInt64 = 50_000_000
            if let n = nextStatus { wait = n > now ? min(wait, n - now) : 0 }
            step(maxWaitNanos: wait)
            if let n = nextStatus, let every, clock() >= n {
                status(statistics)
                nextStatus = n + every
            }
        }
    }

    /// One turn of the loop: wait (at most `maxWaitNanos`, less when a delivery is due sooner) for
    /// datagrams, read and judge them, send what is due, forget idle flows.
    public func step(maxWaitNanos: UInt64) {
        if pollSetStale { rebuildPollSet() }
        let before = clock()
        var wait = maxWaitNanos
        if let due = queue.nextDue { wait = due > before ? min(wait, due - before) : 0 }
        UDPSocket.wait(&pollSet, timeoutNanos: wait)
        // Each packet is stamped when it is read, and whatever is due goes out after each one: a batch of
        // reads never holds back a packet that is due (with latency=0, a packet leaves as soon as it is read).
        for i in pollSet.indices where pollSet[i].revents != 0 {
            let owner = pollOwners[i]
            if owner < 0 { receiveFromClients(mapping: Int(-owner - 1)) } else { receiveFromTarget(flow: owner) }
        }
        deliverDue(now: clock())
        let now = clock()
        if now >= nextSweep {
            expireIdleFlows(now: now)
            nextSweep = now + 1_000_000_000
        }
    }

    /// The counters now.
    public var statistics: RelayStatistics {
        var relays: [RelayStatistics.Mapping] = []
        for (m, mapping) in mappings.enumerated() {
            let open = flows.reduce(0) { $0 + ($1?.mapping == Int32(m) ? 1 : 0) }
            relays.append(
                .init(
                    listen: mapping.listen, target: mapping.target, up: impairments[2 * m].counters,
                    down: impairments[2 * m + 1].counters, flows: open, flowsOpened: flowsOpened[m]))
        }
        return RelayStatistics(
            spec: spec, relays: relays, elapsedSeconds: Double(clock() - started) / 1e9, flowErrors: flowErrors,
            lateness: lateness)
    }

    /// Sends every packet due at `now`, earliest first.
    func deliverDue(now: UInt64) {
        guard let next = queue.nextDue, next <= now else { return }
        while let entry = queue.popDue(now: now) {
            let p = entry.payload
            defer { pool.release(p.slot) }
            guard let flow = flows[Int(p.flow)] else {
                preconditionFailure("a flow with queued packets was forgotten")
            }
            let m = Int(flow.mapping)
            let outcome = pool.withBytes(p.slot) { bytes in
                p.upstream ? flow.socket.send(bytes, to: nil) : listeners[m].send(bytes, to: flow.client)
            }
            let direction = 2 * m + (p.upstream ? 0 : 1)
            let sent = clock()
            lateness.record(sent > entry.due ? sent - entry.due : 0)
            if case .done(let count, _) = outcome {
                impairments[direction].delivered(bytes: count)
            } else {
                impairments[direction].failedToSend()
            }
            flows[Int(p.flow)]?.pending -= 1
        }
    }

    /// Stores the packet in `receiveBuffer[0..<count]` once per copy its fate asks for.
    func schedule(_ fate: Fate, count: Int, flow: Int32, upstream: Bool) {
        guard fate.copies > 0 else { return }
        let bytes = UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count])
        queue.push(due: fate.due, Scheduled(flow: flow, upstream: upstream, slot: pool.store(bytes)))
        if fate.copies == 2 {
            queue.push(due: fate.duplicateDue, Scheduled(flow: flow, upstream: upstream, slot: pool.store(bytes)))
        }
        flows[Int(flow)]?.pending += fate.copies
    }
}

/// A packet waiting in the queue: which flow, which way, and where its bytes are.
struct Scheduled {
    var flow: Int32
    /// Client → target when true.
    var upstream: Bool
    var slot: Int32
}
