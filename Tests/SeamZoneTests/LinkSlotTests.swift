import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// A neighbour link gets a peer slot even when connections would take every one (docs/PROTOCOL.md "Peer
/// slots"): while a link is down the zone keeps a slot free for it, turning other connections away (Refuse
/// code `full`). At continent-6000 the hot zones, every slot taken, could not connect their links again for
/// seconds and resumed players their neighbours held.
@Suite struct LinkSlotTests {
    enum Setting: CaseIterable {
        /// The zone under test connects the link (west, the lower index).
        case zoneDials
        /// Its neighbour (the test) connects to it.
        case neighbourDials
        /// Its neighbour connects to it when a connect that will never finish has taken the slot kept free
        /// (the zone drops it: its own timeouts would keep it for 5 s and more).
        case neighbourDialsPastAnUnfinishedConnect
    }

    @Test(arguments: Setting.allCases)
    func aLinkDownKeepsASlotFree(_ setting: Setting) throws {
        let zoneDials = setting == .zoneDials
        let map = try GameMap.load(path: SeamProcess.mapPath("duel"))
        let west = try #require(map.zone(id: "west")), east = try #require(map.zone(id: "east"))
        let (me, other) = zoneDials ? (west, east) : (east, west)
        let secret = [UInt8](repeating: 7, count: 32)
        let neighbour = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 4)
        var config = ZoneConfig(map: map, zone: me, bind: try NetAddress(resolving: "127.0.0.1", port: 0))
        config.secret = secret
        config.neighbours = [other.index: try NetAddress(resolving: "127.0.0.1", port: neighbour.localAddress.port)]
        config.capacity = 1
        config.standbySlots = 0
        // Stale handshakes are left alone here (ENet alone then keeps them at least 5 s).
        config.staleHandshakeMs = 60_000
        let slots = config.peerLimit
        let zone = try InProcessZone(config: config)
        defer { zone.stop() }
        let port = zone.port

        // Until the connections are in, the neighbour turns the zone's link away at once (so the zone keeps
        // dialling) or does not dial.
        var linking = false
        var linkPeer: Peer?
        var hello: UInt16?
        var clients: [TestClient] = []
        var rounds = 0
        func serviceAll() {
            try? neighbour.service(timeoutMs: 2) { event in
                switch event {
                case .connect(let peer, _):
                    if linking { linkPeer = peer } else { peer.disconnectNow() }
                case .receive(_, _, let bytes):
                    if case .hello(let index, _) = try? LinkMessage.decode(bytes) { hello = index }
                case .disconnect: break
                }
            }
            // The connections answer the zone's pings now and then, so that none times out.
            rounds += 1
            if rounds % 50 == 0 { for c in clients { c.pump(until: { false }, timeout: 0.001) } }
        }
        // Connections that never say who they are, until one is turned away or every slot is taken.
        let full = UInt32(RefuseCode.full.rawValue)
        while clients.count(where: { $0.connected }) < slots, !clients.contains(where: { $0.disconnectData == full }),
              clients.count < 2 * slots
        {
            let c = try TestClient()
            clients.append(c)
            try? c.connect(port: port, timeout: 1)
            for _ in 0..<5 { serviceAll() }
            c.pump(until: { c.disconnectData != nil }, timeout: 0.05)
        }
        // The last of them is turned away (`full`) or, dropped in its handshake at the end of a tick, never
        // finishes its connection; the link must get the slot kept free either way.
        if setting == .neighbourDialsPastAnUnfinishedConnect {
            // A connect whose host is gone before the zone's answer: it takes the free slot and keeps it.
            let gone = try NetHost(bind: nil, peerLimit: 1)
            _ = try gone.connect(to: NetAddress(resolving: "127.0.0.1", port: port))
            gone.flush()
            for _ in 0..<50 { serviceAll() }
        }
        linking = true
        if !zoneDials {
            _ = try neighbour.connect(to: NetAddress(resolving: "127.0.0.1", port: port), channels: Wire.channelCount,
                                      data: ZoneServer.linkConnectData)
        }
        // Within 4 s: before ENet itself (5 s at least) could free a slot an unfinished connect holds.
        let deadline = Date().addingTimeInterval(4)
        var said = false
        while hello == nil && Date() < deadline {
            serviceAll()
            if !zoneDials, !said, let linkPeer {
                // The neighbour's hello, with the link proof; the zone answers with its own.
                let proof = ClusterSecret(secret).linkProof(from: other.index, to: me.index)
                try linkPeer.send(LinkMessage.hello(zoneIndex: UInt16(other.index), mac: proof).encoded(),
                                  channel: Wire.controlChannel, delivery: .reliable)
                said = true
            }
        }
        #expect(linkPeer != nil, "the link connected")
        #expect(hello == UInt16(me.index), "the zone said hello over its link")
    }
}
