import Foundation
import SeamTesting
import Testing

/// `seam bots` against a `seam zone`, both real processes, as a user runs them.
@Suite(.serialized) struct SwarmAgainstZoneTests {
    /// With either protocol the bots speak (6 by default; 5 still served), on one swarm thread or two.
    @Test(arguments: [("6", 1), ("5", 1), ("6", 2)])
    func everyBotConnectsPlaysAndLeavesCleanly(protocolVersion: String, threads: Int) throws {
        let zone = try ZoneUnderTest()
        let reportPath = SeamProcess.temporaryDirectory("report") + "/bots.json"
        let run = try SeamProcess.run([
            "bots", "--map", SeamProcess.mapPath("duel"), "--zone", "west",
            "--address", "west=127.0.0.1:\(zone.port)", "--count", "120", "--duration", "4",
            "--behavior", "wander=40,coin-rush=30,fight=30", "--no-dashboard", "--report", reportPath,
            "--bots-per-host", "50", "--protocol-version", protocolVersion, "--threads", String(threads),
        ])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: reportPath))) as? [String: Any])
        let bots = try #require(report["bots"] as? [String: Any])
        #expect(bots["target"] as? Int == 120)
        #expect(bots["connected_peak"] as? Int == 120)
        #expect(bots["disconnects"] as? Int == 0)
        #expect(bots["connect_failures"] as? Int == 0)
        let snapshots = try #require(report["snapshots"] as? [String: Any])
        #expect((snapshots["received"] as? Int ?? 0) > 0)
        #expect((snapshots["bytes_max"] as? Int ?? Int.max) <= 1200, "every snapshot within the one-datagram budget")
        if protocolVersion == "6" {
            #expect((snapshots["ghosts"] as? Int ?? 0) > 0, "snapshots are ghost snapshots (protocol 6)")
            #expect((snapshots["ghosts_skipped"] as? Int ?? 1) == 0, "every ghost snapshot applied (no owner changed)")
        } else {
            #expect((snapshots["ghosts"] as? Int ?? 1) == 0, "protocol 5: no ghost snapshots")
            #expect((snapshots["deltas"] as? Int ?? 0) > 0, "protocol 5: delta snapshots")
        }
        #expect((snapshots["malformed"] as? Int ?? 1) == 0)
        #expect((report["bytes_in_per_bot_per_s"] as? Double ?? 0) > 0)
        // The swarm's ticks: every 50 ms of the 4-s play is a tick run or given up, but for the last five at
        // most, which a swarm behind its time has not reached when the play ends, and none after the play.
        let swarm = try #require(report["swarm"] as? [String: Any])
        let ticks = swarm["ticks"] as? Int ?? 0, skipped = swarm["ticks_skipped"] as? Int ?? -1
        #expect(ticks > 0 && skipped >= 0 && (75...80).contains(ticks + skipped), "\(ticks) ticks, \(skipped) skipped")
        #expect((swarm["tick_late_ms"] as? [String: Any])?["p99"] is Int)
        #expect(swarm["threads"] as? Int == threads && swarm["hosts"] as? Int == (threads == 1 ? 3 : 2 * 2),
                 "120 bots on hosts of 50: 3 hosts on one thread, 2 per thread of 60 on two")
        // The zone's ZoneStatus reached the swarm (with the bots' snapshots) in the 4-s play: at least three
        // reports, each window covering a tick or more. (Not a count of ticks: a host that froze the zone for a
        // second, as this one did, left three windows holding 37.)
        let zones = try #require(report["zones"] as? [[String: Any]])
        let west = try #require(zones.first { $0["zone"] as? String == "west" })
        let tick = try #require(west["tick_ms"] as? [String: Any])
        let samples = tick["samples"] as? Int ?? 0
        #expect(samples >= 3 && (tick["ticks"] as? Int ?? 0) >= samples, "\(tick)")
        #expect((west["players_peak"] as? Int ?? 0) == 120)
        let shots = try #require(report["shots"] as? [String: Any])
        #expect((shots["fired"] as? Int ?? 0) >= (shots["confirmed"] as? Int ?? 0))

        zone.stop()
        let journal = try zone.journal()
        let start = try #require(journal.first { $0["type"] as? String == "start" })
        let coins = try #require(start["coins"] as? Int)
        let digests = journal.filter { $0["type"] as? String == "digest" }
        #expect(!digests.isEmpty)
        for d in digests {
            #expect((d["coins_ground"] as? Int ?? -1) + (d["coins_carried"] as? Int ?? -1) == coins)
        }
        #expect(journal.filter { $0["type"] as? String == "join" }.count == 120)
        let joined = Set(journal.filter { $0["type"] as? String == "join" }.compactMap { $0["player"] as? Int })
        let left = journal.filter { $0["type"] as? String == "leave" }.compactMap { $0["player"] as? Int }
        #expect(Set(left) == joined, "every player that joined leaves exactly once")
        #expect(left.count == joined.count)
    }
}
