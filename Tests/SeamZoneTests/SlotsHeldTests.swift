import Foundation
import Logging
import SeamNet
import SeamTesting
import SeamWorld
import Synchronization
import Testing

@testable import SeamZone

/// The zone counts the peer slots it holds from each connection's connect event to its disconnect event, and
/// reports them (now and the peak since the last report) beside ENet's count of connected peers, which drops
/// a peer as soon as its disconnect starts: the count the standby reserve works from.
@Suite struct SlotsHeldTests {
    /// The zone, handed to the thread that runs it (the test only reads its port before).
    final class Running: @unchecked Sendable {
        let server: ZoneServer
        init(_ server: ZoneServer) { self.server = server }
    }

    @Test func slotsHeldFollowConnectsAndDisconnects() throws {
        let map = try GameMap.load(path: SeamProcess.mapPath("duel"))
        var config = ZoneConfig(map: map, zone: try #require(map.zone(id: "west")),
                                bind: try NetAddress(resolving: "127.0.0.1", port: 0))
        config.statusInterval = 0.05
        let zone = Running(try ZoneServer(config: config, logger: Logger(label: "test")))
        let port = zone.server.port
        let statuses = Mutex<[ZoneStatus]>([])
        let stop = StopSignal(), done = DispatchSemaphore(value: 0)
        Thread {
            zone.server.run(until: stop) { status in statuses.withLock { $0.append(status) } }
            done.signal()
        }.start()
        defer { stop.stop(); done.wait() }

        let clients = try (0..<3).map { _ in try TestClient() }
        for client in clients { try client.connect(port: port) }
        // Until the newest report holds `held` slots, the clients servicing their hosts meanwhile.
        func reported(_ held: Int, by live: [TestClient]) -> Bool {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                for client in live { _ = client.pump(until: { false }, timeout: 0.01) }
                if statuses.withLock({ $0.last?.slotsHeld == held }) { return true }
            }
            return false
        }
        #expect(reported(3, by: clients), "a report with the 3 connections' slots held")
        clients[2].disconnect()
        #expect(reported(2, by: Array(clients.prefix(2))), "a report with 2 slots held once one client left")
        let seen = statuses.withLock { $0 }
        #expect(seen.allSatisfy { $0.slotsHeld >= $0.connectedPeers && $0.slotsHeldPeak >= $0.slotsHeld })
        #expect(seen.contains { $0.slotsHeldPeak == 3 })
        #expect(seen.last?.line.contains("(slots held 2, peak") == true, "\(seen.last?.line ?? "")")
    }
}
