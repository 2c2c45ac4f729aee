import Foundation
@testable import SeamNet
import SeamProtocol
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// The owner connection a zone bound at an accept can be one its client already lost, while the client attached
/// again through the Redirect and that connection stayed a standby (the player was bound). When the lost one's
/// disconnect comes, the client's live connection becomes the owner connection: the player does not leave.
@Suite struct OwnerReboundTests {
    @Test func aLostOwnerConnectionGivesWayToTheClientsOtherConnection() throws {
        let secret = [UInt8](repeating: 9, count: 32)
        let (zone, west, east) = try InProcessZone.duelEast(secret: secret)
        defer { zone.stop() }

        // The test is the west neighbour, which hands player 5 over.
        let neighbour = try TestClient()
        try neighbour.connect(port: zone.port, data: ZoneServer.linkConnectData)
        let cluster = ClusterSecret(secret)
        // The zone's end of a client's connection (the same ENet connect id): ENet's ping interval on it, read
        // once the zone has answered.
        func zonePingInterval(of client: TestClient) -> UInt32? {
            guard let id = client.peer?.pointer.pointee.connectID else { return nil }
            return (0..<zone.server.host.walkedSlots).map { zone.server.host.peer(slot: $0) }
                .first { $0.isConnected && $0.pointer.pointee.connectID == id }?.pingIntervalMs
        }
        func link(_ message: LinkMessage) throws { try neighbour.sendRaw(message.encoded(), channel: Wire.controlChannel) }
        try link(.hello(zoneIndex: UInt16(west.index), mac: cluster.linkProof(from: west.index, to: east.index)))
        #expect(neighbour.pump(until: { !neighbour.undecoded.isEmpty }), "the zone answered the link hello")

        let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
        func token(_ purpose: TokenPurpose, nonce: UInt32) -> AttachToken {
            cluster.sign(AttachToken(player: 5, zoneIndex: UInt16(east.index), purpose: purpose, expiresMs: nowMs + 30_000,
                                     nonce: nonce, mac: []))
        }
        // The client's standby connection, attached before the handoff.
        let lost = try TestClient()
        try lost.connect(port: zone.port, data: Wire.standbyConnectData)
        try lost.send(.attach(version: Wire.version, token: token(.standby, nonce: 1)))
        #expect(lost.waitFor { if case .attached(5, _) = $0 { true } else { nil } } == true)
        #expect(zonePingInterval(of: lost) == Peer.standbyPingIntervalMs, "the zone pings a standby every 20 s")

        let transfer = PlayerTransfer(player: 5, epoch: 2, lastInputSequence: 10, x: 33.5, y: 2.5, vx: 0, vy: 0,
                                      health: 100, kills: 0, deaths: 0, name: "crosser", coins: [])
        try link(.offer(transfer, digest: transfer.digest, sentMs: nowMs))
        #expect(lost.waitFor { if case .owner(5, 2, _, _) = $0 { true } else { nil } } == true,
                "the standby connection was bound as the owner")
        #expect(zonePingInterval(of: lost) == Peer.ownerPingIntervalMs, "an owner connection pings every 2 s")

        // The client never heard that Owner; it attaches again after the old owner's Redirect.
        let live = try TestClient()
        try live.connect(port: zone.port)
        try live.send(.attach(version: Wire.version, token: token(.redirect, nonce: 2)))
        #expect(live.waitFor { if case .attached(5, _) = $0 { true } else { nil } } == true)
        #expect(!live.received.contains { if case .owner = $0 { true } else { false } }, "the player was bound already")
        #expect(zonePingInterval(of: live) == Peer.standbyPingIntervalMs)

        // The bound connection goes.
        lost.disconnect()
        #expect(live.waitFor { if case .owner(5, 2, _, _) = $0 { true } else { nil } } == true,
                "the client's live connection is the owner connection now")
        #expect(zonePingInterval(of: live) == Peer.ownerPingIntervalMs)
        #expect(live.waitFor { message -> Bool? in
            switch message {
            case .ghost, .snapshot, .delta: true
            default: nil
            }
        } == true, "and the player's snapshots come on it")
    }
}
