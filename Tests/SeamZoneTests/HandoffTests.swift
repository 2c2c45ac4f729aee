import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Handoffs between real zone processes of a real `seam cluster`, driven by a hand-written client.
@Suite(.serialized) struct HandoffTests {
    /// A client that walks, follows standby offers and owner switches, as a real client would.
    final class WalkingClient {
        var connections: [UInt16: TestClient] = [:]
        var owner: UInt16
        var sequence: UInt32 = 0
        var recent: [InputCommand] = []
        var owners: [(zone: UInt16, epoch: UInt32)] = []
        var positions: [Double] = []

        init(zone: UInt16, client: TestClient) {
            owner = zone
            connections[zone] = client
        }

        /// One tick: send an input to the owner, service every connection, react to what arrived.
        func step(moveX: Int8) throws {
            sequence += 1
            recent.insert(InputCommand(moveX: moveX), at: 0)
            if recent.count > 4 { recent.removeLast() }
            try connections[owner]?.send(.input(InputMessage(ackTick: 0, newestSequence: sequence, commands: recent)))
            for (zone, client) in connections {
                client.pump(until: { false }, timeout: 0.025)
                for message in client.received {
                    switch message {
                    case .standby(let endpoint, let token):
                        guard connections[endpoint.zoneIndex] == nil else { continue }
                        let standby = try TestClient()
                        try standby.connect(port: endpoint.port)
                        try standby.send(.attach(version: Wire.version, token: token))
                        connections[endpoint.zoneIndex] = standby
                    case .owner(_, let epoch, _, let index) where index == zone:
                        owner = index
                        owners.append((index, epoch))
                    case .snapshot(let s) where zone == owner:
                        positions.append(Quantize.position(s.me.x))
                    default:
                        break
                    }
                }
                client.clearReceived()
            }
        }
    }

    @Test func aPlayerIsHandedOverAndBackWithItsStateIntact() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1)
        let first = try TestClient()
        try first.connect(port: cluster.port(7101))
        try first.send(.hello(version: Wire.version, name: "walker"))
        let welcome = try #require(first.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } })
        first.clearReceived()
        let walker = WalkingClient(zone: welcome.zoneIndex, client: first)
        // East until the east zone owns us, then west until the west zone owns us again.
        var ticks = 0
        while walker.owners.isEmpty && ticks < 400 { try walker.step(moveX: 127); ticks += 1 }
        #expect(walker.owners.first?.zone == 1, "the east zone took the player")
        #expect(walker.owners.first?.epoch == 2)
        ticks = 0
        while walker.owners.count < 2 && ticks < 400 { try walker.step(moveX: -127); ticks += 1 }
        #expect(walker.owners.last?.zone == 0, "the west zone took it back")
        #expect(walker.owners.last?.epoch == 3)
        // No position jump: the client never saw its player skip more than one tick's travel and a margin.
        let jumps = zip(walker.positions, walker.positions.dropFirst()).map { abs($1 - $0) }
        #expect((jumps.max() ?? 0) < 1.0, "largest step between snapshots: \(jumps.max() ?? 0)")
        try walker.connections[walker.owner]?.send(.leave(reason: 0))
        walker.connections[walker.owner]?.pump(until: { false }, timeout: 0.3)
        cluster.stop()

        let west = try cluster.journal("west")
        let east = try cluster.journal("east")
        func records(_ j: [[String: Any]], _ type: String) -> [[String: Any]] { j.filter { $0["type"] as? String == type } }
        let offerOut = try #require(records(west, "offer").first { $0["epoch"] as? Int == 2 })
        let acceptIn = try #require(records(east, "accept").first { $0["epoch"] as? Int == 2 })
        #expect(offerOut["digest"] as? String == acceptIn["digest"] as? String, "state carried intact")
        #expect(records(west, "commit").contains { $0["epoch"] as? Int == 2 })
        #expect(records(east, "offer").contains { $0["epoch"] as? Int == 3 })
        #expect(records(west, "accept").contains { $0["epoch"] as? Int == 3 })
        #expect(records(east, "commit").contains { $0["epoch"] as? Int == 3 })
        #expect(records(west, "abort").isEmpty && records(east, "abort").isEmpty)
    }

    /// The receiving zone freezes (SIGSTOP) after the client's standby attached and before the offer, so the
    /// link fails between offer and accept. The owner must keep the player in doubt, resume it only after
    /// declaring the neighbour dead, at a skipped epoch, and the neighbour, woken up, must not take it.
    @Test func aLinkCutBetweenOfferAndAcceptNeverMakesTwoOwners() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1,
                                           extra: ["--zone-arg=--dead-after=2"])
        let eastPid = try #require(cluster.pid(of: "east"))
        let client = try TestClient()
        try client.connect(port: cluster.port(7101))
        try client.send(.hello(version: Wire.version, name: "walker"))
        let welcome = try #require(client.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } })
        client.clearReceived()
        let walker = WalkingClient(zone: welcome.zoneIndex, client: client)
        var ticks = 0
        while walker.connections[1] == nil && ticks < 300 { try walker.step(moveX: 127); ticks += 1 }
        try #require(walker.connections[1] != nil, "a standby connection to east was offered")
        // Stop east just before the player crosses, so the offer goes out before the link is seen to fail.
        ticks = 0
        while (walker.positions.last ?? 0) < 31 && ticks < 300 { try walker.step(moveX: 127); ticks += 1 }
        kill(eastPid, SIGSTOP)
        defer { kill(eastPid, SIGCONT) }
        // Walk into east: west offers, nobody answers, the link times out, west declares east dead (2 s).
        let inDoubtResolved = { cluster.wait(timeout: 0.01) { _ in
            ((try? cluster.journal("west")) ?? []).contains { $0["type"] as? String == "resolve" }
        } }
        ticks = 0
        while !inDoubtResolved() && ticks < 400 { try walker.step(moveX: 127); ticks += 1 }
        kill(eastPid, SIGCONT)
        // East wakes up with the old offer in its socket; walk on for a while so it is processed.
        for _ in 0..<60 { try walker.step(moveX: 127) }
        cluster.stop()

        let id = Int(welcome.playerId)
        let west = try cluster.journal("west").filter { $0["player"] as? Int == id }
        let east = try cluster.journal("east").filter { $0["player"] as? Int == id }
        func has(_ j: [[String: Any]], _ type: String, epoch: Int) -> Bool {
            j.contains { $0["type"] as? String == type && $0["epoch"] as? Int == epoch }
        }
        #expect(has(west, "offer", epoch: 2))
        #expect(has(west, "in_doubt", epoch: 2))
        #expect(has(west, "resolve", epoch: 3), "resumed at a skipped epoch")
        #expect(!has(east, "accept", epoch: 2), "east never took the player at the epoch west gave up")
        #expect(!walker.owners.contains { $0.zone == 1 && $0.epoch == 2 })
    }

    @Test func aBorderWithADownNeighbourIsAWall() throws {
        // The west zone alone, its east neighbour pointed at a port where nothing listens.
        let nowhere = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 1).localAddress.port
        let zone = try ZoneUnderTest(extra: ["--neighbor", "east=127.0.0.1:\(nowhere)"])
        let client = try TestClient()
        try client.connect(port: zone.port)
        try client.send(.hello(version: Wire.version, name: "walker"))
        _ = client.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } }
        let walker = WalkingClient(zone: 0, client: client)
        for _ in 0..<160 { try walker.step(moveX: 127) }
        #expect(walker.owners.isEmpty)
        #expect((walker.positions.max() ?? 0) <= 32, "never past the border: \(walker.positions.max() ?? 0)")
        #expect((walker.positions.max() ?? 0) > 30, "walked up to the border")
        zone.stop()
        let journal = try zone.journal()
        #expect(!journal.contains { $0["type"] as? String == "offer" })
    }

    @Test func forgedAndMisdirectedTokensAreRefusedAndCounted() throws {
        let zone = try ZoneUnderTest()
        for token in [
            AttachToken(player: 5, zoneIndex: 0, purpose: .standby, expiresMs: UInt64.max / 2, nonce: 1,
                        mac: [UInt8](repeating: 0xAB, count: AttachToken.macSize)),
            AttachToken(player: 5, zoneIndex: 1, purpose: .redirect, expiresMs: 0, nonce: 2,
                        mac: [UInt8](repeating: 0, count: AttachToken.macSize)),
        ] {
            let client = try TestClient()
            try client.connect(port: zone.port)
            try client.send(.attach(version: Wire.version, token: token))
            let code = client.waitFor { m -> RefuseCode? in if case .refuse(let c, _) = m { c } else { nil } }
            #expect(code == .badToken)
            #expect(client.pump(until: { !client.connected }))
        }
        zone.stop()
        #expect(try zone.journal().filter { $0["code"] as? String == "badToken" }.count == 2)
    }
}
