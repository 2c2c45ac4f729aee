import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// A client seconds behind its player (a loaded machine) still finds it: a player a zone takes in a handoff
/// waits for its client as long as the client's tokens can attach it, also when the connection first bound
/// for it was one the client had already dropped, and a zone the player has left points a late Attach to
/// where the player went. A client that never comes is let go.
@Suite struct ClientGraceTests {
    /// Maps/duel.map's east zone on a clock the test moves, with the test as its west neighbour and as an
    /// observer of its journal.
    final class Harness {
        let zone: InProcessZone
        let west: ZoneSpec, east: ZoneSpec
        let clock = SteppedClock()
        let cluster: ClusterSecret
        let observer: TestClient
        let neighbour: TestClient
        private var nonce: UInt32 = 0

        init() throws {
            let secret = [UInt8](repeating: 7, count: 32)
            cluster = ClusterSecret(secret)
            observer = try TestClient()
            neighbour = try TestClient()
            (zone, west, east) = try InProcessZone.duelEast(secret: secret, clock: clock)
            try observer.connect(port: zone.port)
            try observer.send(.observe(version: Wire.version, zoneIndex: UInt16(east.index),
                                       proof: cluster.observerProof(zone: east.index)))
            try neighbour.connect(port: zone.port, data: ZoneServer.linkConnectData)
            try link(.hello(zoneIndex: UInt16(west.index), mac: cluster.linkProof(from: west.index, to: east.index)))
        }

        func stop() { zone.stop() }

        func link(_ message: LinkMessage) throws { try neighbour.sendRaw(message.encoded(), channel: Wire.controlChannel) }

        /// West hands `player` over at `x` (epoch 2) and the zone takes it (its `accept` journaled).
        func handOver(_ player: UInt32, x: Double = 33.5) throws {
            let transfer = PlayerTransfer(player: player, epoch: 2, lastInputSequence: 10, x: x, y: 2.5 + Double(player),
                                          vx: 0, vy: 0, health: 100, kills: 0, deaths: 0, name: "late", coins: [])
            try link(.offer(transfer, digest: transfer.digest, sentMs: clock.nowMs))
            #expect(observer.waitFor { journaled("accept", of: player, in: $0) } != nil, "the zone took player \(player)")
        }

        /// A new connection of `player`'s client attaching with a fresh token of `purpose`.
        func attach(_ player: UInt32, _ purpose: TokenPurpose, data: UInt32 = 0) throws -> TestClient {
            nonce += 1
            let client = try TestClient()
            try client.connect(port: zone.port, data: data)
            try client.send(.attach(version: Wire.version, token: cluster.sign(AttachToken(
                player: player, zoneIndex: UInt16(east.index), purpose: purpose,
                expiresMs: clock.nowMs + AttachToken.lifetimeMs, nonce: nonce, mac: []))))
            return client
        }

        /// Whether the observer has received a `leave` of `player`. Reliable and in order: complete up to the
        /// newest record received.
        func left(_ player: UInt32) -> Bool { observer.received.contains { journaled("leave", of: player, in: $0) != nil } }

        /// The zone's first `digest` record (journaled once a second, at the end of the tick) at or after `tick`:
        /// every record journaled before it has reached the observer too.
        func digest(from tick: Int) -> (tick: Int, players: Int)? {
            observer.waitFor { message -> (Int, Int)? in
                guard case .record(let json) = message, json.contains("\"type\":\"digest\""),
                    let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
                    let t = object["tick"] as? Int, t >= tick, let players = object["players"] as? Int
                else { return nil }
                return (t, players)
            }
        }
    }

    /// The JSON object of a journal record of `type` about `player` carried by `message`, if it is one.
    static func journaled(_ type: String, of player: UInt32, in message: ServerMessage) -> [String: Any]? {
        guard case .record(let json) = message, json.contains("\"type\":\"\(type)\""), json.contains("\"player\":\(player),"),
            let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        else { return nil }
        return object
    }

    static func isOwner(_ player: UInt32) -> (ServerMessage) -> Bool? {
        { if case .owner(player, _, _, _) = $0 { true } else { nil } }
    }

    @Test func aHandedOverPlayerWaitsForALateClientAndLeavesWhenNoneComes() throws {
        let h = try Harness()
        defer { h.stop() }
        let first = try #require(h.digest(from: 0))

        // West hands over players 5 and 6; neither client has attached here.
        try h.handOver(5)
        try h.handOver(6)

        // Ten seconds on (twice the grace zones used to give), both players are still here.
        h.clock.advance(seconds: 10)
        let later = try #require(h.digest(from: first.tick + 200))
        #expect(later.players == 2, "both handed-over players")
        #expect(!h.left(5) && !h.left(6))

        // Player 5's client attaches at last with the Redirect its old owner gave it: it owns the player.
        let client = try h.attach(5, .redirect)
        #expect(client.waitFor(Self.isOwner(5)) == true)

        // Player 6's client never comes: once its tokens have run out, the player leaves, saying why.
        h.clock.advance(seconds: 30)
        #expect(h.observer.waitFor { Self.journaled("leave", of: 6, in: $0)?["reason"] as? String } == "no client")
        let last = try #require(h.digest(from: later.tick + 600))
        #expect(last.players == 1, "player 5")
        #expect(!h.left(5))
    }

    /// A connection bound between two ticks gets its first snapshot at once, not at the next tick: its tick is
    /// the one its Owner names (a tick's own snapshots carry that tick's number, the one after).
    @Test func anOwnerBoundBetweenTicksGetsItsSnapshotAtOnce() throws {
        let h = try Harness()
        defer { h.stop() }
        try h.handOver(5)
        let client = try h.attach(5, .redirect)
        let ownerTick = try #require(client.waitFor { if case .owner(5, _, let tick, _) = $0 { tick } else { nil } })
        func snapshotTick(_ message: ServerMessage) -> UInt32? {
            switch message {
            case .ghost(let g): g.tick
            case .snapshot(let s): s.tick
            default: nil
            }
        }
        // Wait until a tick's snapshot came too, then look at the first one.
        #expect(client.waitFor { snapshotTick($0).flatMap { $0 > ownerTick ? $0 : nil } } != nil)
        let ticks = client.received.compactMap(snapshotTick)
        #expect(ticks.first == ownerTick, "snapshot ticks \(ticks.prefix(3)) after Owner at tick \(ownerTick)")
    }

    /// The connection bound at the accept is a standby the client has since dropped (its disconnect was on the
    /// way); the client's newer standby attaches after that disconnect and becomes the owner connection.
    @Test func anOwnerConnectionLostRightAfterTheHandoffWaitsForTheClientsNextAttach() throws {
        let h = try Harness()
        defer { h.stop() }
        let dropped = try h.attach(5, .standby, data: Wire.standbyConnectData)
        #expect(dropped.waitFor { if case .attached(5, _) = $0 { true } else { nil } } == true)
        try h.handOver(5)
        #expect(dropped.waitFor(Self.isOwner(5)) == true, "the standby was bound as the owner connection")
        // Returns once the zone acknowledged the disconnect, which it handles in the same service.
        dropped.disconnect()
        #expect(!dropped.connected)

        let newer = try h.attach(5, .standby, data: Wire.standbyConnectData)
        let ownerTick = newer.waitFor { if case .owner(5, _, let tick, _) = $0 { tick } else { nil } }
        #expect(ownerTick != nil, "the player waited and the newer connection owns it")
        #expect(h.digest(from: Int(ownerTick ?? 0) + 1) != nil)
        #expect(!h.left(5), "and it never left")
    }

    /// The zone handed the player on before this client heard of it as the owner: the client's Attach here
    /// is answered with a Redirect to the zone that took it.
    @Test func anAttachForAPlayerThatMovedOnIsRedirectedToWhereItWent() throws {
        let h = try Harness()
        defer { h.stop() }
        // Taken inside west's territory by more than the hysteresis: the zone offers it straight back once
        // it has an owner connection.
        try h.handOver(5, x: 32 - h.zone.server.config.hysteresis - 1)
        let owner = try h.attach(5, .redirect)
        #expect(owner.waitFor(Self.isOwner(5)) == true)
        let offer = h.neighbour.pump(until: {
            h.neighbour.undecoded.contains { bytes in
                if case .offer(let t, _, _) = try? bytes.withUnsafeBytes({ try LinkMessage.decode($0) }), t.player == 5,
                    t.epoch == 3 { true } else { false }
            }
        })
        #expect(offer, "the zone offered player 5 back to west")
        let digest = try #require(h.neighbour.undecoded.lazy.compactMap { bytes -> UInt64? in
            if case .offer(let t, let d, _) = try? bytes.withUnsafeBytes({ try LinkMessage.decode($0) }), t.player == 5 { d } else { nil }
        }.first)
        try h.link(.accept(player: 5, epoch: 3, digest: digest))
        #expect(h.observer.waitFor { Self.journaled("commit", of: 5, in: $0) } != nil)

        let late = try h.attach(5, .standby, data: Wire.standbyConnectData)
        let redirect = late.waitFor { m -> ZoneEndpoint? in if case .redirect(let e, _) = m { e } else { nil } }
        #expect(redirect?.zoneIndex == UInt16(h.west.index), "pointed at west, which took the player")
        #expect(!late.received.contains { if case .owner = $0 { true } else { false } })
    }

    /// The zone hands player 5 back to west, whose Accept says it sent Owner over the client's standby: the
    /// zone holds the Redirect back, and sends it only when the client, which never got that Owner, is still
    /// heard from on the old connection later. West's Accept for player 6 does not say so: its Redirect
    /// goes at once. (Which Redirect a client got first tells when it was made: its token expires 30 s
    /// after, by the zone's clock, which the test moves.)
    @Test func aRedirectIsHeldBackWhenTheNewOwnerSentOwnerOverAStandby() throws {
        let h = try Harness()
        defer { h.stop() }
        func redirectExpiry(_ m: ServerMessage) -> UInt64? { if case .redirect(_, let token) = m { token.expiresMs } else { nil } }
        var clients: [UInt32: TestClient] = [:]
        var committedMs: [UInt32: UInt64] = [:]
        for (player, ownerSent) in [(UInt32(5), true), (6, false)] {
            try h.handOver(player, x: 32 - h.zone.server.config.hysteresis - 1)
            let client = try h.attach(player, .redirect)
            #expect(client.waitFor(Self.isOwner(player)) == true)
            var digest: UInt64?
            #expect(h.neighbour.pump(until: {
                digest = h.neighbour.undecoded.lazy.compactMap { bytes -> UInt64? in
                    if case .offer(let t, let d, _) = try? bytes.withUnsafeBytes({ try LinkMessage.decode($0) }),
                        t.player == player, t.epoch == 3 { d } else { nil }
                }.first
                return digest != nil
            }), "the zone offered player \(player) back to west")
            try h.link(.accept(player: player, epoch: 3, digest: try #require(digest), ownerSent: ownerSent))
            #expect(h.observer.waitFor { Self.journaled("commit", of: player, in: $0) } != nil)
            committedMs[player] = h.clock.nowMs
            clients[player] = client
        }
        let six = try #require(clients[6]), five = try #require(clients[5])
        let committedSix = try #require(committedMs[6]), committedFive = try #require(committedMs[5])
        let sixExpiry = try #require(six.waitFor(redirectExpiry), "west sent no Owner for player 6: Redirect at once")
        #expect(sixExpiry <= committedSix + AttachToken.lifetimeMs, "made at the commit")

        // Ten seconds on, player 5's client (it never heard west's Owner) sends an Input on the old connection.
        h.clock.advance(seconds: 10)
        try five.send(.input(InputMessage(ackTick: 0, newestSequence: 20, commands: [InputCommand(moveX: 1)])))
        let fiveExpiry = try #require(five.waitFor(redirectExpiry), "the client still here got its Redirect")
        #expect(fiveExpiry > committedFive + AttachToken.lifetimeMs, "made after the Input, not at the commit")
    }
}
