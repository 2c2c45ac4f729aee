import Foundation
import Logging
import SeamNet
import SeamProtocol
import Synchronization
import Testing

@testable import SeamBots

/// One bot of a real swarm (its own thread, real ENet sockets) against two zones this test plays by hand on
/// ENet hosts of its own: zone a (index 0) welcomes the bot and points it at zone b (index 1), whose
/// connections the test answers message by message. So the test decides what a zone knows and in which order
/// the bot hears things, which a live cluster does only by chance.
@Suite(.serialized) struct SwarmRedirectTests {
    /// The zone b forgot the bot's attached standby without a word (the client pings a standby only every
    /// 20 s, so it would learn late): a Redirect there opens a new connection beside the standby, and once
    /// that one is attached the old one is closed; Owner on the new one moves the bot there.
    @Test func aRedirectReplacesAStandbyTheZoneForgot() throws {
        let run = try SwarmUnderTest()
        let standby = try run.attachStandby()

        try run.a.send(.redirect(run.b.endpoint, token: run.token(.redirect, nonce: 2)), to: run.botAtA)
        let fresh = try #require(run.b.waitForAttach(nonce: 2), "the Redirect opened a connection of its own")
        #expect(fresh.data == 0 && fresh.peer != standby.peer)
        try run.b.sendAcknowledged(.attached(player: SwarmUnderTest.player, zoneIndex: 1), to: fresh.peer)
        #expect(run.b.waitForDisconnect(of: standby.peer), "the replaced standby is closed once the new one is attached")

        try run.b.send(.owner(player: SwarmUnderTest.player, epoch: 2, tick: 40, zoneIndex: 1), to: fresh.peer)
        #expect(run.b.waitForInput(on: fresh.peer), "Inputs come on the new connection")
        // Another player's Owner on the bot's connection is counted and never taken.
        try run.b.sendAcknowledged(.owner(player: SwarmUnderTest.player + 1, epoch: 9, tick: 41, zoneIndex: 1), to: fresh.peer)
        #expect(run.b.waitForInput(on: fresh.peer))

        let stats = try run.stop()
        #expect(stats.standbysReplaced == 1 && stats.standbysOpened == 2 && stats.standbysAttached == 2)
        #expect(stats.misdirected == 1, "the Owner for another player")
        #expect(stats.handoffs == 1 && stats.disconnects == 0 && stats.handoffsFailed == 0)
    }

    /// The standby was fine, its Owner only late: the Owner arriving there first keeps it, and the connection
    /// the Redirect opened, not attached yet, is closed.
    @Test func anOwnerOverTheStandbyKeepsItAndClosesTheReplacement() throws {
        let run = try SwarmUnderTest()
        let standby = try run.attachStandby()

        try run.a.send(.redirect(run.b.endpoint, token: run.token(.redirect, nonce: 2)), to: run.botAtA)
        let fresh = try #require(run.b.waitForAttach(nonce: 2))
        try run.b.send(.owner(player: SwarmUnderTest.player, epoch: 2, tick: 40, zoneIndex: 1), to: standby.peer)
        #expect(run.b.waitForInput(on: standby.peer), "Inputs come on the standby, now the owner connection")
        #expect(run.b.waitForDisconnect(of: fresh.peer), "the replacement is closed")
        #expect(run.b.waitForInput(on: standby.peer))
        #expect(!run.b.disconnected.contains(standby.peer))

        let stats = try run.stop()
        #expect(stats.standbysReplaced == 0 && stats.standbysOpened == 2)
        #expect(stats.handoffs == 1 && stats.disconnects == 0)
    }

    /// A Redirect to a zone whose standby is still opening opens nothing more: the zone binds that one as the
    /// owner connection when it attaches.
    @Test func aRedirectWaitsForAStandbyStillOpening() throws {
        let run = try SwarmUnderTest()
        try run.a.send(.standby(run.b.endpoint, token: run.token(.standby, nonce: 1)), to: run.botAtA)
        let standby = try #require(run.b.waitForAttach(nonce: 1))
        // The Redirect is acknowledged, so taken by the bot, before zone b answers the Attach.
        try run.a.sendAcknowledged(.redirect(run.b.endpoint, token: run.token(.redirect, nonce: 2)), to: run.botAtA)
        try run.b.send(.attached(player: SwarmUnderTest.player, zoneIndex: 1), to: standby.peer)
        try run.b.send(.owner(player: SwarmUnderTest.player, epoch: 2, tick: 40, zoneIndex: 1), to: standby.peer)
        #expect(run.b.waitForInput(on: standby.peer))

        let stats = try run.stop()
        #expect(stats.standbysOpened == 1, "no second connection to zone b")
        #expect(stats.standbysReplaced == 0 && stats.handoffs == 1)
    }
}

/// A swarm of one bot on a thread of its own, and the two zones it talks to.
final class SwarmUnderTest {
    static let player: UInt32 = 7
    let a: HandPlayedZone
    let b: HandPlayedZone
    /// Zone a's end of the bot's first connection.
    let botAtA: Peer
    private let stopSignal = StopSignal()
    private let result = Outcome()
    private let finished = DispatchSemaphore(value: 0)

    init() throws {
        a = try HandPlayedZone(index: 0)
        b = try HandPlayedZone(index: 1)
        let map = try BotTestMap.map()
        var settings = SwarmConfig(map: map, targets: [.init(zone: map.zones[0], address: a.address)], count: 1,
                                   behaviors: try BehaviorMix(parsing: "wander=100"))
        settings.duration = 120
        let config = settings, stop = stopSignal, result = self.result, finished = self.finished
        let thread = Thread {
            let start = DispatchTime.now().uptimeNanoseconds
            let stats = try? SwarmThreads.run(config: config, logger: Logger(label: "swarm-under-test"), until: stop,
                                              clock: { DispatchTime.now().uptimeNanoseconds - start + 1 })
            result.stats.withLock { $0 = stats }
            finished.signal()
        }
        thread.start()
        guard let hello = a.waitForMessage(where: { if case .hello = $0.message { true } else { false } }) else {
            stop.stop()
            throw HandPlayedZone.Failure("the bot sent no Hello")
        }
        botAtA = hello.peer
        try a.send(.welcome(Welcome(playerId: SwarmUnderTest.player, zoneIndex: 0, zoneId: "a", mapName: "tiny",
                                    tickRate: 20, tick: 1, x: 300, y: 300, viewRadius: 16)), to: botAtA)
        guard a.waitForInput(on: botAtA) else {
            stop.stop()
            throw HandPlayedZone.Failure("the bot sent no Input after Welcome")
        }
    }

    deinit { stopSignal.stop() }

    /// The swarm's stats, handed from its thread.
    final class Outcome: Sendable {
        let stats = Mutex<SwarmStats?>(nil)
    }

    /// A token for zone b (the bot never checks the MAC: only the zone does).
    func token(_ purpose: TokenPurpose, nonce: UInt32) -> AttachToken {
        AttachToken(player: SwarmUnderTest.player, zoneIndex: 1, purpose: purpose,
                    expiresMs: UInt64.max, nonce: nonce, mac: [UInt8](repeating: 0, count: AttachToken.macSize))
    }

    /// Zone a sends Standby for zone b; zone b answers the Attach: the bot holds an attached standby there.
    func attachStandby() throws -> HandPlayedZone.Attach {
        try a.send(.standby(b.endpoint, token: token(.standby, nonce: 1)), to: botAtA)
        guard let standby = b.waitForAttach(nonce: 1) else { throw HandPlayedZone.Failure("no standby Attach") }
        #expect(standby.data == Wire.standbyConnectData)
        try b.sendAcknowledged(.attached(player: SwarmUnderTest.player, zoneIndex: 1), to: standby.peer)
        return standby
    }

    /// Stops the swarm and returns its stats, servicing both zones while it says goodbye (at most 3 s).
    func stop() throws -> SwarmStats {
        stopSignal.stop()
        let deadline = Date().addingTimeInterval(30)
        while finished.wait(timeout: .now() + 0.01) == .timedOut {
            guard Date() < deadline else { throw HandPlayedZone.Failure("the swarm did not stop within 30 s") }
            a.pump(forMs: 5)
            b.pump(forMs: 5)
        }
        guard let stats = result.stats.withLock({ $0 }) else { throw HandPlayedZone.Failure("the swarm did not run") }
        return stats
    }
}

/// An ENet host on loopback standing in for a zone: it records what arrives and sends what the test says.
final class HandPlayedZone {
    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
    struct Received {
        let peer: Peer
        let message: ClientMessage
    }
    struct Attach {
        let peer: Peer
        let data: UInt32
        let token: AttachToken
    }

    let index: UInt16
    let host: NetHost
    let address: NetAddress
    var connectData: [Peer: UInt32] = [:]
    var messages: [Received] = []
    var inputs: [Peer: Int] = [:]
    var disconnected: Set<Peer> = []
    var attaches: [Attach] {
        messages.compactMap { r in
            guard case .attach(_, let token) = r.message else { return nil }
            return Attach(peer: r.peer, data: connectData[r.peer] ?? 0, token: token)
        }
    }

    init(index: UInt16) throws {
        self.index = index
        host = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 8, channelLimit: Wire.channelCount)
        address = try NetAddress(resolving: "127.0.0.1", port: host.localAddress.port)
    }

    var endpoint: ZoneEndpoint { ZoneEndpoint(zoneIndex: index, host: address.host, port: address.port) }

    func send(_ message: ServerMessage, to peer: Peer) throws {
        try peer.send(message.encoded(), channel: Wire.controlChannel, delivery: .reliable)
        host.flush()
    }

    /// Sends and services the host until the bot's ENet acknowledged it. ENet acknowledges a datagram before
    /// it hands the message to the swarm, in the same service, and the swarm handles it there: anything the
    /// test sends afterwards, on any connection, reaches the bot after it.
    func sendAcknowledged(_ message: ServerMessage, to peer: Peer) throws {
        try send(message, to: peer)
        guard pump(until: { !peer.awaitsAcknowledgement }) else { throw Failure("\(message) was not acknowledged") }
    }

    func pump(forMs ms: UInt32) {
        _ = try? host.service(timeoutMs: ms) { event in
            switch event {
            case .connect(let peer, let data):
                connectData[peer] = data
            case .disconnect(let peer, _):
                disconnected.insert(peer)
            case .receive(let peer, _, let bytes):
                if bytes.first == MessageType.input.rawValue {
                    inputs[peer, default: 0] += 1
                } else if let message = try? ClientMessage.decode(bytes) {
                    messages.append(Received(peer: peer, message: message))
                }
            }
        }
    }

    /// Services the host until `done` holds, for at most 10 s.
    @discardableResult
    func pump(until done: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while !done() {
            if Date() >= deadline { return false }
            pump(forMs: 5)
        }
        return true
    }

    func waitForMessage(where match: (Received) -> Bool) -> Received? {
        var found: Received?
        pump { found = messages.first(where: match); return found != nil }
        return found
    }

    func waitForAttach(nonce: UInt32) -> Attach? {
        var found: Attach?
        pump { found = attaches.first { $0.token.nonce == nonce }; return found != nil }
        return found
    }

    /// Waits for an Input on `peer` newer than any seen so far.
    func waitForInput(on peer: Peer) -> Bool {
        let seen = inputs[peer, default: 0]
        return pump { inputs[peer, default: 0] > seen }
    }

    func waitForDisconnect(of peer: Peer) -> Bool { pump { disconnected.contains(peer) } }
}
