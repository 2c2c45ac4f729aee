import Foundation
import SeamNet
import SeamProtocol

/// The referee's live input: an observer connection to every zone, their records merged into one stream.
///
/// Records of one zone arrive in order, but zones are independent: a record is held back `delayMs` after
/// its own timestamp, and until every observed zone has sent a later one, so that records of other zones with
/// earlier timestamps can still arrive (at most `maximumHoldMs`: see `LiveMerge.watermark`), then released in
/// stream order (the order `JournalSource` gives offline). `lagMs` says how far behind the zones the checker
/// is.
public final class LiveSource {
    /// A zone to observe, with the proof of the cluster secret it expects (see `ClusterSecret.observerProof`).
    public struct Zone: Sendable {
        public var id: String
        public var index: Int
        public var address: NetAddress
        public var proof: [UInt8]
        public init(id: String, index: Int, address: NetAddress, proof: [UInt8]) {
            self.id = id; self.index = index; self.address = address; self.proof = proof
        }
    }

    struct Connection {
        var zone: Zone
        var peer: Peer?
        var observing = false
        var lastAttemptMs: Int64 = 0
    }

    let host: NetHost
    let delayMs: Int64
    let maximumHoldMs: Int64
    var connections: [Connection]
    var merge: LiveMerge
    /// Each connection's queue in `merge`.
    let queueOfConnection: [Int]
    var writer = ByteWriter(capacity: 32)
    /// Records that could not be parsed, and refusals from zones, as sentences.
    public private(set) var problems: [String] = []
    public private(set) var received = 0
    /// Wall-clock milliseconds between the newest record released and now.
    public private(set) var lagMs: Int64 = 0
    /// Whether the last poll's service handled any event (see `poll`).
    private var heardLastPoll = false
    /// How long records gather between services once they flow (20 ms: a fifteenth of the hold-back).
    static let gatherMicros: UInt32 = 20_000

    public init(zones: [Zone], delayMs: Int = 300, maximumHoldMs: Int = 10_000) throws(NetError) {
        host = try NetHost(bind: nil, peerLimit: max(1, zones.count), channelLimit: Wire.channelCount)
        self.delayMs = Int64(delayMs)
        self.maximumHoldMs = Int64(maximumHoldMs)
        connections = zones.map { Connection(zone: $0) }
        merge = LiveMerge(zoneCount: zones.count)
        queueOfConnection = LiveMerge.queueOrder(zones.map(\.id))
    }

    public var observing: Int { connections.filter(\.observing).count }

    /// Connects what is not connected (once a second), services the network for up to `timeoutMs` (after
    /// `gatherMicros` of letting records gather when the last service found some), and returns the records
    /// whose hold-back time has passed, in stream order.
    public func poll(timeoutMs: UInt32, nowMs: Int64) -> [RefereeRecord] {
        for i in connections.indices where connections[i].peer == nil && nowMs - connections[i].lastAttemptMs >= 1000 {
            connections[i].lastAttemptMs = nowMs
            connections[i].peer = try? host.connect(to: connections[i].zone.address, channels: Wire.channelCount)
        }
        // Records are held back `delayMs` anyway: after a service that found some, let the next ones gather
        // first. Each service acknowledges every zone that sent anything in a datagram of its own, and the
        // zones send records as they happen, so servicing as each arrived cost a wake-up and up to sixteen
        // acknowledgements per record or two.
        if heardLastPoll { usleep(Self.gatherMicros) }
        let handled = (try? host.service(timeoutMs: timeoutMs) { event in handle(event) }) ?? 0
        heardLastPoll = handled > 0
        var streaming = Array(repeating: false, count: connections.count)
        for i in connections.indices { streaming[queueOfConnection[i]] = connections[i].observing }
        let watermark = merge.watermark(now: nowMs, delay: delayMs, maximumHold: maximumHoldMs, streaming: streaming)
        return release(upTo: watermark, nowMs: nowMs)
    }

    /// Everything still held back, in stream order (at the end of a run).
    public func drain(nowMs: Int64) -> [RefereeRecord] {
        release(upTo: .max, nowMs: nowMs)
    }

    private func release(upTo watermark: Int64, nowMs: Int64) -> [RefereeRecord] {
        let ready = merge.release(upTo: watermark)
        guard !ready.isEmpty else { return [] }
        // A replayed `start` record is old by design: it does not say how far behind the stream is.
        if let last = ready.last(where: { $0.type != "start" }) { lagMs = max(0, nowMs - last.ms) }
        return ready
    }

    private func handle(_ event: NetEvent) {
        switch event {
        case .connect(let peer, _):
            guard let i = connections.firstIndex(where: { $0.peer == peer }) else { return }
            writer.reset()
            ClientMessage.observe(version: Wire.version, zoneIndex: UInt16(connections[i].zone.index),
                                  proof: connections[i].zone.proof).encode(into: &writer)
            try? peer.send(writer.bytes, channel: Wire.controlChannel, delivery: .reliable)
            connections[i].observing = true
        case .disconnect(let peer, _):
            guard let i = connections.firstIndex(where: { $0.peer == peer }) else { return }
            connections[i].peer = nil
            connections[i].observing = false
        case .receive(let peer, _, let bytes):
            guard let i = connections.firstIndex(where: { $0.peer == peer }) else { return }
            // A record is parsed straight from the packet; the parser checks every string's UTF-8 and refuses
            // any other byte above ASCII.
            if let line = ServerMessage.recordLine(bytes) {
                received += 1
                guard let record = try? RefereeRecord(line: line, source: connections[i].zone.id) else {
                    problems.append("zone \(connections[i].zone.id) sent a record that does not parse")
                    return
                }
                merge.append(record, queue: queueOfConnection[i])
                return
            }
            switch try? ServerMessage.decode(bytes) {
            case .refuse(let code, let message):
                problems.append("zone \(connections[i].zone.id) refused the referee: \(code): \(message)")
            default:
                break
            }
        }
    }
}
