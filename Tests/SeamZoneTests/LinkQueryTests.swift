import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// A zone's answer to a Query (docs/PROTOCOL.md "Query"), asked by a test client that connects as its west
/// neighbour: Accept whenever the zone has seen the queried epoch or a newer one for the player, so that an
/// old owner left in doubt commits instead of resuming a second copy of a player the zone took.
@Suite struct LinkQueryTests {
    /// The answers the zone sent to the neighbour so far, as (player, epoch, accepted).
    static func answers(_ neighbour: TestClient) -> [(player: UInt32, epoch: UInt32, accepted: Bool)] {
        neighbour.undecoded.compactMap { bytes in
            switch try? bytes.withUnsafeBytes({ try LinkMessage.decode($0) }) {
            case .accept(let player, let epoch, _, _): (player, epoch, true)
            case .reject(let player, let epoch, _): (player, epoch, false)
            default: nil
            }
        }
    }

    @Test func aQueryIsAcceptedForEveryEpochTheZoneHasSeenOrPassed() throws {
        let secret = [UInt8](repeating: 7, count: 32)
        // The zone dials its west neighbour where nothing listens; the test connects to it as that neighbour.
        let (zone, west, east) = try InProcessZone.duelEast(secret: secret)
        defer { zone.stop() }
        let port = zone.port

        let neighbour = try TestClient()
        try neighbour.connect(port: port, data: ZoneServer.linkConnectData)
        let proof = ClusterSecret(secret).linkProof(from: west.index, to: east.index)
        func send(_ message: LinkMessage) throws {
            try neighbour.sendRaw(message.encoded(), channel: Wire.controlChannel)
        }
        func answer(_ player: UInt32, _ epoch: UInt32) -> Bool? {
            var found: Bool?
            neighbour.pump(until: {
                found = Self.answers(neighbour).last { $0.player == player && $0.epoch == epoch }?.accepted
                return found != nil
            })
            return found
        }
        try send(.hello(zoneIndex: UInt16(west.index), mac: proof))
        #expect(neighbour.pump(until: { !neighbour.undecoded.isEmpty }), "the zone answered the link hello")

        // The zone takes player 5 at epoch 4 (as if it had been handed on and back since the neighbour's
        // offer at epoch 3, which the neighbour holds in doubt).
        let transfer = PlayerTransfer(player: 5, epoch: 4, lastInputSequence: 10, x: 33.5, y: 2.5, vx: 0, vy: 0,
                                      health: 100, kills: 0, deaths: 0, name: "crosser", coins: [])
        let nowMs = UInt64(Date().timeIntervalSince1970 * 1000)
        try send(.offer(transfer, digest: transfer.digest, sentMs: nowMs))
        #expect(answer(5, 4) == true, "the offer at epoch 4 was accepted")

        try send(.query(player: 5, epoch: 4))
        #expect(answer(5, 4) == true, "owned at exactly the queried epoch: taken")
        try send(.query(player: 5, epoch: 3))
        #expect(answer(5, 3) == true, "owned at a newer epoch than the queried one: that offer was taken too")
        try send(.query(player: 5, epoch: 5))
        #expect(answer(5, 5) == false, "an epoch newer than any seen was never taken")
        try send(.query(player: 6, epoch: 2))
        #expect(answer(6, 2) == false, "a player never seen was never taken")
    }
}
