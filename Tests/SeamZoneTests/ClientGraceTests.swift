import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing

@testable import SeamZone

/// A player a zone takes in a handoff waits for its client as long as the client's tokens can still attach
/// it: a client seconds behind (a loaded machine) finds its player, and one that never comes is let go.
@Suite struct ClientGraceTests {
    @Test func aHandedOverPlayerWaitsForALateClientAndLeavesWhenNoneComes() throws {
        let secret = [UInt8](repeating: 7, count: 32)
        let clock = SteppedClock()
        let (zone, west, east) = try InProcessZone.duelEast(secret: secret, clock: clock)
        defer { zone.stop() }
        let cluster = ClusterSecret(secret)

        // Watches the journal as it is written, and a player here watches the zone's status once a second.
        let observer = try TestClient()
        try observer.connect(port: zone.port)
        try observer.send(.observe(version: Wire.version, zoneIndex: UInt16(east.index),
                                   proof: cluster.observerProof(zone: east.index)))
        let witness = try TestClient()
        try witness.connect(port: zone.port)
        try witness.send(.hello(version: Wire.version, name: "witness"))
        /// The first status report the witness gets for a tick at or after `tick`.
        func status(from tick: UInt32) -> ZoneStatusReport? {
            witness.waitFor { if case .zoneStatus(let r) = $0, r.tick >= tick { r } else { nil } }
        }
        let first = try #require(status(from: 0))

        // The test is the west neighbour, which hands over players 5 and 6; neither client has attached here.
        let neighbour = try TestClient()
        try neighbour.connect(port: zone.port, data: ZoneServer.linkConnectData)
        func link(_ message: LinkMessage) throws { try neighbour.sendRaw(message.encoded(), channel: Wire.controlChannel) }
        try link(.hello(zoneIndex: UInt16(west.index), mac: cluster.linkProof(from: west.index, to: east.index)))
        for player: UInt32 in [5, 6] {
            let transfer = PlayerTransfer(player: player, epoch: 2, lastInputSequence: 10, x: 33.5, y: 2.5 + Double(player),
                                          vx: 0, vy: 0, health: 100, kills: 0, deaths: 0, name: "late", coins: [])
            try link(.offer(transfer, digest: transfer.digest, sentMs: clock.nowMs))
        }
        #expect(observer.waitFor { accept(of: 6, in: $0) } == true, "the zone took both players")

        // Ten seconds on (twice the grace zones used to give), both players are still here.
        clock.advance(seconds: 10)
        let later = try #require(status(from: first.tick + 200))
        #expect(later.players == 3, "the witness and both handed-over players")
        #expect(!observer.received.contains { leave(of: 5, in: $0) != nil || leave(of: 6, in: $0) != nil })

        // Player 5's client attaches at last with the Redirect its old owner gave it: it owns the player.
        let client = try TestClient()
        try client.connect(port: zone.port)
        try client.send(.attach(version: Wire.version, token: cluster.sign(AttachToken(
            player: 5, zoneIndex: UInt16(east.index), purpose: .redirect, expiresMs: clock.nowMs + AttachToken.lifetimeMs,
            nonce: 1, mac: []))))
        #expect(client.waitFor { if case .owner(5, 2, _, _) = $0 { true } else { nil } } == true)

        // Player 6's client never comes: once its tokens have run out, the player leaves, saying why.
        clock.advance(seconds: 30)
        #expect(observer.waitFor { leave(of: 6, in: $0) } == "no client")
        let last = try #require(status(from: later.tick + 600))
        #expect(last.players == 2, "the witness and player 5")
        #expect(!observer.received.contains { leave(of: 5, in: $0) != nil })
    }

    /// The reason of a journal `leave` of `player` carried by `message`, if it is one.
    private func leave(of player: UInt32, in message: ServerMessage) -> String? {
        guard case .record(let json) = message, json.contains("\"type\":\"leave\""),
            json.contains("\"player\":\(player),")
        else { return nil }
        guard let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["reason"] as? String
    }

    private func accept(of player: UInt32, in message: ServerMessage) -> Bool? {
        guard case .record(let json) = message, json.contains("\"type\":\"accept\""), json.contains("\"player\":\(player),")
        else { return nil }
        return true
    }
}
