import Foundation
import SeamNet
import SeamProtocol

/// A hand-driven Seam client over real ENet, for tests that speak the protocol byte by byte.
public final class TestClient {
    public let host: NetHost
    public private(set) var peer: Peer?
    public private(set) var received: [ServerMessage] = []
    public private(set) var undecodable = 0
    /// The messages that were not zone → client messages (a zone's link messages, when this client
    /// connected as a neighbour), as received.
    public private(set) var undecoded: [[UInt8]] = []
    public private(set) var connected = false
    public private(set) var disconnectData: UInt32?

    public init() throws {
        host = try NetHost(bind: nil, peerLimit: 1, channelLimit: Wire.channelCount)
    }

    /// Connects to `127.0.0.1:port` with ENet connect data `data` and waits for the connection (at most
    /// `timeout` seconds).
    public func connect(port: UInt16, data: UInt32 = 0, timeout: Double = 5) throws {
        peer = try host.connect(to: NetAddress(resolving: "127.0.0.1", port: port), channels: Wire.channelCount,
                                data: data)
        guard pump(until: { self.connected }, timeout: timeout) else { throw TestSetupError("no connection to port \(port)") }
    }

    public func send(_ message: ClientMessage, channel: UInt8? = nil) throws {
        let ch = channel ?? (message.isInput ? Wire.stateChannel : Wire.controlChannel)
        try sendRaw(message.encoded(), channel: ch, delivery: message.isInput ? .unreliable : .reliable)
    }

    public func sendRaw(_ bytes: [UInt8], channel: UInt8, delivery: Delivery = .reliable) throws {
        guard let peer else { throw TestSetupError("not connected") }
        try peer.send(bytes, channel: channel, delivery: delivery)
        host.flush()
    }

    /// Services the host until `condition` holds or `timeout` seconds pass; returns whether it held.
    @discardableResult
    public func pump(until condition: () -> Bool, timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            if Date() >= deadline { return false }
            try? host.service(timeoutMs: 10) { event in
                switch event {
                case .connect: self.connected = true
                case .disconnect(_, let data):
                    self.connected = false
                    self.disconnectData = data
                case .receive(_, _, let bytes):
                    if let m = try? ServerMessage.decode(bytes) {
                        self.received.append(m)
                    } else {
                        self.undecodable += 1
                        self.undecoded.append(Array(bytes))
                    }
                }
            }
        }
        return true
    }

    /// Waits for the first message matching `match`, returning it.
    public func waitFor<T>(timeout: Double = 5, _ match: (ServerMessage) -> T?) -> T? {
        var found: T?
        pump(until: {
            for m in self.received { if let t = match(m) { found = t; return true } }
            return false
        }, timeout: timeout)
        return found
    }

    public func clearReceived() { received.removeAll() }

    public func disconnect() {
        peer?.disconnect()
        pump(until: { !self.connected }, timeout: 2)
    }
}

extension ClientMessage {
    var isInput: Bool { if case .input = self { true } else { false } }
}
