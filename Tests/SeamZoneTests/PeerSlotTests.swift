import SeamNet
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// A zone's ENet peer slots (docs/PROTOCOL.md "Peer slots"): its players, as many standby connections per
/// neighbour up to two, a link per neighbour and 16 spares to refuse with a reason; at most ENet's 4,095.
@Suite struct PeerSlotTests {
    func config(capacity: Int, neighbours: Int) throws -> ZoneConfig {
        let map = try GameMap.load(path: SeamProcess.mapPath("duel"))
        var config = ZoneConfig(map: map, zone: try #require(map.zone(id: "west")),
                                bind: try NetAddress(resolving: "127.0.0.1", port: 0))
        config.capacity = capacity
        for n in 0..<neighbours { config.neighbours[n + 10] = try NetAddress(resolving: "127.0.0.1", port: UInt16(9000 + n)) }
        return config
    }

    @Test func standbySlotsAreTheCapacityPerNeighbourUpToTwo() throws {
        #expect(try config(capacity: 400, neighbours: 0).peerLimit == 400 + 16)
        #expect(try config(capacity: 400, neighbours: 1).peerLimit == 400 + 400 + 1 + 16)
        #expect(try config(capacity: 400, neighbours: 2).peerLimit == 400 + 800 + 2 + 16)
        #expect(try config(capacity: 400, neighbours: 4).peerLimit == 400 + 800 + 4 + 16)
        #expect(try config(capacity: 1_700, neighbours: 4).peerLimit == 4_095, "capped at ENet's limit")
        var fixed = try config(capacity: 400, neighbours: 2)
        fixed.standbySlots = 100
        #expect(fixed.peerLimit == 400 + 100 + 2 + 16)
    }
}
