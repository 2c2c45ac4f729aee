import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing

/// Every injected fault must be caught and named by `seam referee`, and a clean run must come out clean.
/// Real `seam cluster` processes, real bots or a scripted client, the real referee binary.
@Suite(.serialized) struct RefereeFaultTests {
    struct Verdict {
        var status: Int32
        var verdict: String
        var invariants: Set<String>
        var raw: String
    }

    /// Runs the referee over the cluster's journals and reads its JSON report.
    func referee(_ cluster: ClusterUnderTest, extra: [String] = []) throws -> Verdict {
        let report = SeamProcess.temporaryDirectory("referee") + "/report.json"
        let run = try SeamProcess.run(["referee", "--journal", cluster.journalDirectory, "--map",
                                       SeamProcess.mapPath("duel"), "--report", report] + extra)
        let data = try Data(contentsOf: URL(fileURLWithPath: report))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let violations = (json["violations"] as? [[String: Any]]) ?? []
        return Verdict(status: run.status, verdict: json["verdict"] as? String ?? "?",
                       invariants: Set(violations.compactMap { $0["invariant"] as? String }),
                       raw: run.stdout + run.stderr)
    }

    func digests(_ cluster: ClusterUnderTest) -> Int {
        ["west", "east"].reduce(0) { n, zone in
            n + ((try? cluster.journal(zone)) ?? []).filter { $0["type"] as? String == "digest" }.count
        }
    }

    func bots(_ cluster: ClusterUnderTest, count: Int, seconds: Int, behavior: String, zone: String? = nil) throws {
        var args = ["bots", "--map", SeamProcess.mapPath("duel"), "--port-offset", String(cluster.portOffset),
                    "--count", String(count), "--duration", String(seconds), "--behavior", behavior, "--no-dashboard"]
        if let zone { args += ["--zone", zone] }
        let run = try SeamProcess.run(args)
        #expect(run.status == 0, "\(run.stderr)")
    }

    /// A scripted player: from its spawn at (3.5, 3.5) in west, up to row 1, then east along it, picking up
    /// the coins at x = 10, 26 and 27 and crossing into east. Returns after `ticks` inputs.
    func walkCoinsAcross(_ cluster: ClusterUnderTest, ticks: Int = 140, pickCoins: Bool = true) throws {
        let client = try TestClient()
        try client.connect(port: cluster.port(7101))
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "carrier"))
        _ = client.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } }
        var recent: [InputCommand] = []
        var y = 3.5
        for seq in 1...UInt32(ticks) {
            // Row 1 has coins at x = 10, 26 and 27; row 3, where the player spawns, has none.
            let up: Int8 = pickCoins && y > 1.6 ? -90 : 0
            recent.insert(InputCommand(moveX: 127, moveY: up), at: 0)
            if recent.count > 4 { recent.removeLast() }
            try client.send(.input(InputMessage(ackTick: 0, newestSequence: seq, commands: recent)))
            client.pump(until: { false }, timeout: 0.05)
            for m in client.received { if case .snapshot(let s) = m { y = Quantize.position(s.me.y) } }
            client.clearReceived()
        }
    }

    @Test func aCleanRunIsClean() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1)
        try walkCoinsAcross(cluster)
        try bots(cluster, count: 60, seconds: 5, behavior: "fight=30,border-dance=40,coin-rush=30")
        cluster.stop()
        let v = try referee(cluster)
        #expect(v.verdict == "clean", "\(v.invariants) \(v.raw)")
        #expect(v.status == 0)
    }

    @Test(arguments: [
        ("duplicate-coin", "coins", true),
        ("drop-commit", "handoff-resolves", false),
        ("resume-early", "single-owner", false),
    ])
    func handoffFaultsAreNamed(fault: String, invariant: String, withCoins: Bool) throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1, extra: ["--fault", "\(fault)@west"])
        try walkCoinsAcross(cluster, pickCoins: withCoins)
        // Let both zones journal two more digests (and positions) after the crossing.
        let before = digests(cluster)
        #expect(cluster.wait(timeout: 10) { _ in digests(cluster) >= before + 4 })
        cluster.stop()
        let v = try referee(cluster, extra: ["--offer-bound", "1"])
        #expect(v.verdict == "violations")
        #expect(v.status == 1)
        #expect(v.invariants == [invariant], "\(fault): \(v.invariants) \(v.raw)")
    }

    @Test(arguments: [
        ("teleport", "west", "wander", "speed-limit"),
        ("double-damage", "east", "fight", "shot-once"),
        ("double-kill", "east", "fight", "kill-once"),
    ])
    func gameplayFaultsAreNamed(fault: String, zone: String, behavior: String, invariant: String) throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1, extra: ["--fault", "\(fault)@\(zone)"])
        try bots(cluster, count: 40, seconds: 5, behavior: behavior, zone: zone)
        cluster.stop()
        let v = try referee(cluster)
        #expect(v.verdict == "violations")
        #expect(v.invariants == [invariant], "\(fault): \(v.invariants) \(v.raw)")
    }

    /// The live referee observes the running zones over ENet: clean on a clean run, and it names a fault
    /// while it happens.
    @Test(arguments: [(nil as String?, nil as String?), ("double-kill", "kill-once")])
    func theLiveRefereeSeesWhatTheJournalsShow(fault: String?, invariant: String?) throws {
        let extra = fault.map { ["--fault", "\($0)@east"] } ?? []
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1, extra: extra)
        let report = SeamProcess.temporaryDirectory("live") + "/report.json"
        let live = try SeamProcess.start(
            ["referee", "--live", "--map", SeamProcess.mapPath("duel"), "--port-offset", String(cluster.portOffset),
             "--duration", "9", "--status-interval", "2", "--report", report],
            environment: ["SEAM_SECRET": cluster.secret])
        try bots(cluster, count: 40, seconds: 4, behavior: "fight=60,border-dance=40")
        let result = live.wait(timeout: 30)
        cluster.stop()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: report))) as? [String: Any])
        let names = Set(((json["violations"] as? [[String: Any]]) ?? []).compactMap { $0["invariant"] as? String })
        #expect(result.stdout.contains("observing 2/2 zones"), "\(result.stdout) \(result.stderr)")
        if let invariant {
            #expect(names == [invariant], "\(names)")
            #expect(result.status == 1)
        } else {
            #expect(names.isEmpty, "\(names) \(result.stdout)")
            #expect(result.status == 0)
        }
    }
}
