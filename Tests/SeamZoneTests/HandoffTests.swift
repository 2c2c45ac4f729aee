import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import SeamWorld
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
        /// Refusals on any connection, in order.
        var refusals: [RefuseCode] = []
        /// The player's id, when `joined` made it.
        var playerId: UInt32 = 0

        init(zone: UInt16, client: TestClient) {
            owner = zone
            connections[zone] = client
        }

        /// A client joined at `port` (Hello answered by Welcome), walking from there.
        static func joined(port: UInt16) throws -> WalkingClient {
            let client = try TestClient()
            try client.connect(port: port)
            try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "walker"))
            let welcome = try #require(client.waitFor { m -> Welcome? in
                if case .welcome(let w) = m { w } else { nil }
            })
            client.clearReceived()
            let walker = WalkingClient(zone: welcome.zoneIndex, client: client)
            walker.playerId = welcome.playerId
            return walker
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
                        try standby.send(.attach(version: Wire.deltaSnapshotVersion, token: token))
                        connections[endpoint.zoneIndex] = standby
                    case .redirect(let endpoint, let token):
                        // After a handoff the old owner names the new one's address: attach there unless
                        // a standby connection already did.
                        guard connections[endpoint.zoneIndex]?.connected != true else { continue }
                        let redirected = try TestClient()
                        try redirected.connect(port: endpoint.port)
                        try redirected.send(.attach(version: Wire.deltaSnapshotVersion, token: token))
                        connections[endpoint.zoneIndex] = redirected
                    case .refuse(let code, _):
                        refusals.append(code)
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

    /// Standby reach (docs/PROTOCOL.md, "Handoff"): a neighbour sharing an edge is offered within the border
    /// band (view radius + hysteresis, 18 tiles), the diagonal neighbour, which touches only at a corner,
    /// within 4 × the hysteresis (8 tiles). A client walks from its spawn in a1 to the four-zone corner of
    /// quad (round the walls, along a breadth-first path) and notes where it was when each offer came.
    @Test func theDiagonalNeighbourIsOfferedOnlyNearTheCorner() throws {
        let map = try GameMap.load(path: SeamProcess.mapPath("quad"))
        let zones = try ["a1", "b1", "a2", "b2"].map { try #require(map.zone(id: $0)) }
        let cluster = try ClusterUnderTest(map: "quad", ports: zones.map(\.port), links: 6)
        defer { cluster.stop() }
        let client = try TestClient()
        try client.connect(port: cluster.port(zones[0].port))
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "cornerwalker"))
        let welcome = try #require(client.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } })
        #expect(welcome.zoneIndex == UInt16(zones[0].index))
        var position: Vec2?
        _ = client.waitFor { m -> Bool? in
            if case .snapshot(let s) = m { position = Vec2(x: Quantize.position(s.me.x), y: Quantize.position(s.me.y)); return true }
            return nil
        }
        let start = try #require(position)
        let target = TileCoord(x: 46, y: 46)
        let path = try #require(Self.path(on: map, from: TileCoord(x: Int(start.x), y: Int(start.y)), to: target),
                                "a walkable path from the spawn to the corner")
        var offeredAt: [UInt16: Vec2] = [:]
        var next = 0, sequence: UInt32 = 0, recent: [InputCommand] = []
        for _ in 0..<2000 where offeredAt[UInt16(zones[3].index)] == nil {
            let here = try #require(position)
            var aim = Vec2(x: Double(path[next].x) + 0.5, y: Double(path[next].y) + 0.5)
            if (aim - here).length < 0.35 && next + 1 < path.count {
                next += 1
                aim = Vec2(x: Double(path[next].x) + 0.5, y: Double(path[next].y) + 0.5)
            }
            let d = aim - here, length = max(d.length, 1e-9)
            let scale = min(1, length / 0.3) * 127 / length
            sequence += 1
            recent.insert(InputCommand(moveX: Int8(clamping: Int((d.x * scale).rounded())),
                                       moveY: Int8(clamping: Int((d.y * scale).rounded()))), at: 0)
            if recent.count > 4 { recent.removeLast() }
            try client.send(.input(InputMessage(ackTick: 0, newestSequence: sequence, commands: recent)))
            client.pump(until: { false }, timeout: 0.025)
            for message in client.received {
                switch message {
                case .snapshot(let s):
                    position = Vec2(x: Quantize.position(s.me.x), y: Quantize.position(s.me.y))
                case .standby(let endpoint, _) where offeredAt[endpoint.zoneIndex] == nil:
                    offeredAt[endpoint.zoneIndex] = position
                default:
                    break
                }
            }
            client.clearReceived()
        }
        let band = 16.0 + 2, corner = 4 * 2.0
        // The client learns its position from snapshots, a tick or two behind the zone's decision.
        let slack = 1.0
        for edge in [zones[1], zones[2]] {
            let at = try #require(offeredAt[UInt16(edge.index)], "\(edge.id) was offered")
            #expect(edge.rect.distance(to: at) <= band + slack, "\(edge.id) offered \(edge.rect.distance(to: at)) tiles away")
        }
        let diagonal = zones[3]
        let at = try #require(offeredAt[UInt16(diagonal.index)], "the diagonal neighbour was offered at the corner")
        let distance = diagonal.rect.distance(to: at)
        #expect(distance <= corner + slack, "\(diagonal.id) offered \(distance) tiles away")
        #expect(distance > corner - 2, "\(diagonal.id) offered as soon as within reach, not later: \(distance)")
    }

    /// A shortest walk over floor tiles, stepping diagonally only where both sides are floor too.
    static func path(on map: GameMap, from start: TileCoord, to goal: TileCoord) -> [TileCoord]? {
        var previous: [TileCoord: TileCoord] = [start: start]
        var queue = [start], head = 0
        while head < queue.count {
            let c = queue[head]
            head += 1
            if c == goal { break }
            for dy in -1...1 {
                for dx in -1...1 where dx != 0 || dy != 0 {
                    let n = TileCoord(x: c.x + dx, y: c.y + dy)
                    guard previous[n] == nil, !map.isWall(x: n.x, y: n.y),
                        !map.isWall(x: c.x + dx, y: c.y), !map.isWall(x: c.x, y: c.y + dy) else { continue }
                    previous[n] = c
                    queue.append(n)
                }
            }
        }
        guard previous[goal] != nil else { return nil }
        var path = [goal]
        while path.last! != start { path.append(previous[path.last!]!) }
        return path.reversed()
    }

    @Test func aPlayerIsHandedOverAndBackWithItsStateIntact() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1)
        let walker = try WalkingClient.joined(port: cluster.port(7101))
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

    /// A client joined at west of a duel cluster, walked east until it holds a standby connection to east and
    /// stands a tile short of crossing.
    func walkerAtTheBorder(of cluster: ClusterUnderTest) throws -> WalkingClient {
        let walker = try WalkingClient.joined(port: cluster.port(7101))
        var ticks = 0
        while walker.connections[1] == nil && ticks < 300 { try walker.step(moveX: 127); ticks += 1 }
        try #require(walker.connections[1] != nil, "a standby connection to east was offered")
        ticks = 0
        while (walker.positions.last ?? 0) < 31 && ticks < 300 { try walker.step(moveX: 127); ticks += 1 }
        return walker
    }

    /// The receiving zone freezes (SIGSTOP) after the client's standby attached and before the offer, so the
    /// link fails between offer and accept. The owner must keep the player in doubt, resume it only after
    /// declaring the neighbour dead, at a skipped epoch, and the neighbour, woken up, must not take it.
    @Test func aLinkCutBetweenOfferAndAcceptNeverMakesTwoOwners() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1,
                                           extra: ["--zone-arg=--dead-after=2"])
        let eastPid = try #require(cluster.pid(of: "east"))
        // Stop east just before the player crosses, so the offer goes out before the link is seen to fail.
        let walker = try walkerAtTheBorder(of: cluster)
        kill(eastPid, SIGSTOP)
        defer { kill(eastPid, SIGCONT) }
        // Walk into east: west offers, nobody answers, the link times out, west declares east dead (2 s).
        let inDoubtResolved = { cluster.wait(timeout: 0.01) { _ in
            ((try? cluster.journal("west")) ?? []).contains { $0["type"] as? String == "resolve" }
        } }
        var ticks = 0
        while !inDoubtResolved() && ticks < 400 { try walker.step(moveX: 127); ticks += 1 }
        kill(eastPid, SIGCONT)
        // East wakes up with the old offer in its socket; walk on for a while so it is processed.
        for _ in 0..<60 { try walker.step(moveX: 127) }
        cluster.stop()

        let id = Int(walker.playerId)
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

    /// The receiving zone freezes after the offer reached its socket and wakes once the owner has lost the link
    /// (in doubt): it takes the player, but its Accept finds no link. Only when its own end of the link has
    /// timed out too does the link come back; the owner must then learn by Query that the neighbour took the
    /// player and commit, not resume it at a skipped epoch. Dead-after is 30 s so that east, woken when west has
    /// lost the link (up to ~10 s), still takes the offer (the age fence is half of dead-after).
    @Test func aNeighbourThatWakesAfterTheLinkWasLostKeepsThePlayer() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1,
                                           extra: ["--zone-arg=--dead-after=30"])
        let eastPid = try #require(cluster.pid(of: "east"))
        let walker = try walkerAtTheBorder(of: cluster)
        kill(eastPid, SIGSTOP)
        defer { kill(eastPid, SIGCONT) }
        func journaled(_ zone: String, _ type: String) -> Bool {
            ((try? cluster.journal(zone)) ?? []).contains { $0["type"] as? String == type && $0["player"] as? Int == Int(walker.playerId) }
        }
        // West offers, nobody answers, west loses the link: the player is in doubt.
        var ticks = 0
        while !cluster.wait(timeout: 0.01, until: { _ in journaled("west", "in_doubt") }) && ticks < 400 {
            try walker.step(moveX: 127); ticks += 1
        }
        try #require(journaled("west", "in_doubt"), "west lost the link with the offer unanswered")
        kill(eastPid, SIGCONT)
        // East takes the offer from its socket; the link heals when east's end times out and west reconnects.
        ticks = 0
        while !cluster.wait(timeout: 0.01, until: { _ in journaled("west", "resolve") }) && ticks < 800 {
            try walker.step(moveX: 127); ticks += 1
        }
        cluster.stop()

        let id = Int(walker.playerId)
        let west = try cluster.journal("west").filter { $0["player"] as? Int == id }
        let east = try cluster.journal("east").filter { $0["player"] as? Int == id }
        func record(_ j: [[String: Any]], _ type: String, epoch: Int) -> [String: Any]? {
            j.first { $0["type"] as? String == type && $0["epoch"] as? Int == epoch }
        }
        #expect(record(east, "accept", epoch: 2) != nil, "east took the player from the offer in its socket")
        let resolve = try #require(record(west, "resolve", epoch: 2), "west resolved the doubt at the offered epoch")
        #expect(resolve["reason"] as? String == "neighbour confirmed it took the player")
        #expect(record(west, "commit", epoch: 2) != nil)
        #expect(record(west, "resolve", epoch: 3) == nil, "west never resumed the player east holds")
    }

    /// What a stopping zone's handoff waits for.
    enum Unanswered: CaseIterable {
        /// The offer, over a link that is up.
        case offered
        /// The link, lost with the offer unanswered: the owner waits for it to heal and asks (Query).
        case inDoubt
    }

    /// A zone asked to stop while a handoff waits for its answer lets the answer come first: the neighbour
    /// (stopped until the owner says it waits) takes the player, and the owner commits instead of releasing the
    /// player and its coins unanswered (when the neighbour had refused or was gone, those coins were nowhere).
    /// In doubt, dead-after is 30 s, as in `aNeighbourThatWakesAfterTheLinkWasLostKeepsThePlayer`, so that the
    /// woken neighbour still takes the offer in its socket.
    @Test(arguments: Unanswered.allCases)
    func aZoneStoppedDuringAHandoffWaitsForTheAnswer(_ unanswered: Unanswered) throws {
        let inDoubt = unanswered == .inDoubt
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1,
                                           extra: inDoubt ? ["--zone-arg=--dead-after=30"] : [])
        let westPid = try #require(cluster.pid(of: "west"))
        let eastPid = try #require(cluster.pid(of: "east"))
        let walker = try walkerAtTheBorder(of: cluster)
        kill(eastPid, SIGSTOP)
        defer { kill(eastPid, SIGCONT) }
        let id = Int(walker.playerId)
        func journaled(_ type: String) -> Bool {
            ((try? cluster.journal("west")) ?? []).contains { $0["type"] as? String == type && $0["player"] as? Int == id }
        }
        // West offers and nobody answers; in doubt, west also loses the link.
        let reached = inDoubt ? "in_doubt" : "offer"
        var ticks = 0
        while !cluster.wait(timeout: 0.01, until: { _ in journaled(reached) }) && ticks < 400 {
            try walker.step(moveX: 127); ticks += 1
        }
        try #require(journaled(reached), "west journaled \(reached) with east stopped")
        kill(westPid, SIGTERM)
        let notice = inDoubt ? "stopping: 1 players in doubt wait for their links to heal" : "stopping: 1 offers wait for their answers"
        let waits = cluster.wait(timeout: 10) { $0.contains(notice) }
        kill(eastPid, SIGCONT)
        #expect(waits, "west said \(notice)")
        // In doubt, the link heals when east's end times out and west reconnects, and west's Query is answered.
        _ = cluster.wait(timeout: 30) { _ in ((try? cluster.journal("west")) ?? []).contains { $0["type"] as? String == "stop" } }
        cluster.stop()

        let west = try cluster.journal("west").filter { $0["player"] as? Int == id }
        let east = try cluster.journal("east").filter { $0["player"] as? Int == id }
        #expect(east.contains { $0["type"] as? String == "accept" && $0["epoch"] as? Int == 2 }, "east took the player")
        if inDoubt {
            #expect(west.contains { $0["type"] as? String == "resolve" && $0["epoch"] as? Int == 2
                    && $0["reason"] as? String == "neighbour confirmed it took the player" })
        }
        #expect(west.contains { $0["type"] as? String == "commit" && $0["epoch"] as? Int == 2 }, "west committed before stopping")
        #expect(!west.contains { $0["type"] as? String == "abort" }, "west did not release the player unanswered")
    }

    @Test func aBorderWithADownNeighbourIsAWall() throws {
        // The west zone alone, its east neighbour pointed at a port where nothing listens.
        let nowhere = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 1).localAddress.port
        let zone = try ZoneUnderTest(extra: ["--neighbor", "east=127.0.0.1:\(nowhere)"])
        let client = try TestClient()
        try client.connect(port: zone.port)
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "walker"))
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

    /// A zone keeps its last peer slots for players (docs/PROTOCOL.md "Peer slots"): short of them it refuses
    /// a standby connection with `full`, and the player crosses all the same, through the redirect.
    @Test func aZoneShortOfSlotsRefusesStandbysAndThePlayerIsRedirected() throws {
        // Capacity 2: east has 2 + 2 + 1 + 16 = 21 slots and keeps 16 spares and 1 for a player.
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1, extra: ["--capacity", "2"])
        defer { cluster.stop() }
        // Three connections that never say Hello bring east (with its link) to 4 of 21 taken: one more
        // would leave fewer free than it keeps.
        var idle: [TestClient] = []
        for _ in 0..<3 {
            let c = try TestClient()
            try c.connect(port: cluster.port(7102))
            idle.append(c)
        }
        let walker = try WalkingClient.joined(port: cluster.port(7101))
        var ticks = 0
        while walker.owners.isEmpty && ticks < 400 {
            try walker.step(moveX: 127)
            for c in idle { c.pump(until: { false }, timeout: 0.001) }  // answered, so that they stay
            ticks += 1
        }
        #expect(idle.allSatisfy { $0.connected })
        #expect(walker.refusals == [.full], "east refused the standby connection")
        // A connection that says it is for a standby is dropped at its connect, with the code for `full`.
        let standby = try TestClient()
        try standby.connect(port: cluster.port(7102), data: Wire.standbyConnectData)
        #expect(standby.pump(until: { !standby.connected }), "dropped at once")
        #expect(standby.disconnectData == UInt32(RefuseCode.full.rawValue))
        #expect(walker.owners.first?.zone == 1, "the east zone took the player, through the redirect")
        cluster.stop()
        let east = try cluster.journal("east")
        #expect(east.contains { $0["type"] as? String == "refuse" && $0["code"] as? String == "full" })
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
            try client.send(.attach(version: Wire.deltaSnapshotVersion, token: token))
            let code = client.waitFor { m -> RefuseCode? in if case .refuse(let c, _) = m { c } else { nil } }
            #expect(code == .badToken)
            #expect(client.pump(until: { !client.connected }))
        }
        zone.stop()
        #expect(try zone.journal().filter { $0["code"] as? String == "badToken" }.count == 2)
    }
}
