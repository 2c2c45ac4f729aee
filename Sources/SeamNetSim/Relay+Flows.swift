#if canImport(Glibc)
import Glibc
#endif

/// One client's path through one relay: its source address, the upstream socket standing in for it
/// toward the target, and its loss-burst state in each direction.
struct Flow {
    var mapping: Int32
    var client: Endpoint
    var socket: UDPSocket
    var lastActive: UInt64
    var burstUp = BurstState()
    var burstDown = BurstState()
    /// Packets of this flow in the queue; a flow is forgotten only when none are.
    var pending = 0
}

struct FlowKey: Hashable {
    var mapping: Int32
    var client: Endpoint
}

extension Relay {
    /// Reads the datagrams waiting on a listen socket, opening a flow for each new client.
    func receiveFromClients(mapping m: Int) {
        for _ in 0..<Self.receiveBatch {
            switch listeners[m].receive(into: receiveBuffer) {
            case .done(let count, let source):
                let now = clock()
                guard let f = flow(mapping: m, client: source, now: now) else { continue }
                flows[Int(f)]?.lastActive = now
                var burst = flows[Int(f)]?.burstUp ?? BurstState()
                let fate = impairments[2 * m].judge(bytes: count, now: now, burst: &burst)
                flows[Int(f)]?.burstUp = burst
                schedule(fate, count: count, flow: f, upstream: true)
                deliverDue(now: now)
            case .wouldBlock:
                return
            case .failed:
                continue  // an error the kernel reported on this socket (e.g. an ICMP); it is consumed
            }
        }
    }

    /// Reads the target's replies on a flow's upstream socket.
    func receiveFromTarget(flow f: Int32) {
        guard let socket = flows[Int(f)]?.socket, let m = flows[Int(f)]?.mapping else { return }
        for _ in 0..<Self.receiveBatch {
            switch socket.receive(into: receiveBuffer) {
            case .done(let count, _):
                let now = clock()
                flows[Int(f)]?.lastActive = now
                var burst = flows[Int(f)]?.burstDown ?? BurstState()
                let fate = impairments[2 * Int(m) + 1].judge(bytes: count, now: now, burst: &burst)
                flows[Int(f)]?.burstDown = burst
                schedule(fate, count: count, flow: f, upstream: false)
                deliverDue(now: now)
            case .wouldBlock:
                return
            case .failed:
                continue  // ECONNREFUSED: the target's port was closed when we last sent; nothing to read
            }
        }
    }

    /// The flow of `client` on mapping `m`, opened (with its upstream socket) when new; nil when the
    /// socket cannot be opened (counted in `flowErrors`, the packet is dropped).
    func flow(mapping m: Int, client: Endpoint, now: UInt64) -> Int32? {
        let key = FlowKey(mapping: Int32(m), client: client)
        if let f = flowIndex[key] { return f }
        let socket: UDPSocket
        do { socket = try UDPSocket.connected(to: mappings[m].target) } catch {
            flowErrors += 1
            return nil
        }
        let flow = Flow(mapping: Int32(m), client: client, socket: socket, lastActive: now)
        let f: Int32
        if let reused = freeFlows.popLast() {
            f = reused
            flows[Int(f)] = flow
        } else {
            f = Int32(flows.count)
            flows.append(flow)
        }
        flowIndex[key] = f
        flowsOpened[m] += 1
        pollSetStale = true
        return f
    }

    /// Forgets flows idle for the idle timeout with nothing queued, closing their upstream sockets.
    func expireIdleFlows(now: UInt64) {
        for f in flows.indices {
            guard let flow = flows[f], flow.pending == 0, now >= flow.lastActive + idleTimeoutNanos else { continue }
            flow.socket.close()
            flowIndex[FlowKey(mapping: flow.mapping, client: flow.client)] = nil
            flows[f] = nil
            freeFlows.append(Int32(f))
            pollSetStale = true
        }
    }

    func rebuildPollSet() {
        pollSet.removeAll(keepingCapacity: true)
        pollOwners.removeAll(keepingCapacity: true)
        for (m, s) in listeners.enumerated() {
            pollSet.append(pollfd(fd: s.descriptor, events: Int16(POLLIN), revents: 0))
            pollOwners.append(Int32(-(m + 1)))
        }
        for (f, flow) in flows.enumerated() {
            guard let flow else { continue }
            pollSet.append(pollfd(fd: flow.socket.descriptor, events: Int16(POLLIN), revents: 0))
            pollOwners.append(Int32(f))
        }
        pollSetStale = false
    }
}
