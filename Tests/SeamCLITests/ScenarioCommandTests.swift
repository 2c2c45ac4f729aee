import Foundation
import SeamTesting
import Testing

/// `seam scenario` end to end: real zones, a live referee and a swarm, all as processes, as a user runs them.
@Suite(.serialized) struct ScenarioCommandTests {
    func report(_ dir: String) throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/bots.json"))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    /// The shipped smoke scenario's shape (three phases on quad, live referee) at a size a debug build
    /// runs beside the other test suites: 40 bots, phases of 10 s scaled by 0.2.
    @Test func theSmokeScenarioShortenedPassesWithAVerdict() throws {
        let out = SeamProcess.temporaryDirectory("scenario")
        let smoke = try String(contentsOfFile: SeamProcess.repositoryRoot + "/tools/scenarios/smoke.scenario", encoding: .utf8)
        let small = smoke.replacingOccurrences(of: "bots 200", with: "bots 40")
            .replacingOccurrences(of: "map Maps/quad.map", with: "map \(SeamProcess.mapPath("quad"))")
        #expect(small != smoke)
        let file = SeamProcess.temporaryDirectory("scenario-file") + "/smoke.scenario"
        try small.write(toFile: file, atomically: true, encoding: .utf8)
        let r = try SeamProcess.run(
            ["scenario", file, "--duration-scale", "0.2", "--out", out, "--no-dashboard"],
            timeout: 180)
        #expect(r.status == 0, "\(r.stdout)\n\(r.stderr)")
        for line in [
            "scenario smoke: 40 bots on quad (4 zones)", "phase 2/3 hotspot=100 begins",
            "phase 3/3 border-dance=100 begins", "bots: target 40, connected peak 40, disconnects 0",
            "referee live: clean", "referee: clean", "scenario smoke: PASS",
        ] {
            #expect(r.stdout.contains(line), "missing '\(line)' in\n\(r.stdout)")
        }
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("zone ") && ["a1", "b1", "a2", "b2"].allSatisfy($0.contains) })
        #expect(lines.filter { $0.hasPrefix("phase ") && $0.contains(" s: handoffs ") }.count == 3)

        let json = try report(out)
        let phases = try #require(json["phases"] as? [[String: Any]])
        #expect(phases.compactMap { $0["behaviors"] as? String }
                == ["wander=60,coin-rush=20,fight=20", "hotspot=100", "border-dance=100"])
        // Every zone had bots, so every zone's ZoneStatus reached the swarm.
        let zones = try #require(json["zones"] as? [[String: Any]])
        #expect(zones.compactMap { $0["zone"] as? String } == ["a1", "b1", "a2", "b2"])
        for z in zones {
            let tick = try #require(z["tick_ms"] as? [String: Any])
            #expect((tick["samples"] as? Int ?? 0) > 0, "\(z)")
            // Each report lists its second's ticks (20 at 20 Hz; fewer only in a zone's first window).
            let reports = tick["samples"] as? Int ?? 0, ticks = tick["ticks"] as? Int ?? 0
            #expect(ticks > 0 && ticks >= 20 * (reports - 1), "\(z)")
            #expect((z["players_peak"] as? Int ?? 0) > 0, "\(z)")
        }
        let handoffs = try #require(json["handoffs"] as? [String: Any])
        #expect(handoffs["per_second"] != nil)
        // Border-dance opens standby connections, and the zones attach them.
        let standbys = try #require(handoffs["standbys"] as? [String: Any])
        let opened = standbys["opened"] as? Int ?? 0, attached = standbys["attached"] as? Int ?? 0
        #expect(attached > 0 && attached <= opened, "\(standbys)")
        #expect(lines.contains { $0.hasPrefix("standbys: \(opened) opened, \(attached) attached") }, "\(r.stdout)")
    }

    /// A scenario written on the spot: a tick check nobody meets (1 µs) fails the run with exit status 1,
    /// while the referee stays clean. The swarm runs under batch scheduling (any user may ask for it).
    @Test func aFailedTickCheckFailsTheRun() throws {
        let dir = SeamProcess.temporaryDirectory("scenario-tiny")
        try """
            seam-scenario 1
            map \(SeamProcess.mapPath("duel"))
            bots 12
            seed 3
            ramp 50
            referee journal
            tick-check 0.001ms
            swarm-scheduling batch
            zone-tick-phases spread
            phase 1s wander=50% fight=50%
            phase 1s border-dance=100%
            """.write(toFile: dir + "/tiny.scenario", atomically: true, encoding: .utf8)
        let r = try SeamProcess.run(["scenario", dir + "/tiny.scenario", "--out", dir + "/out", "--no-dashboard"],
                                    timeout: 120)
        #expect(r.status == 1, "\(r.stdout)\n\(r.stderr)")
        #expect(r.stdout.contains("tick check: tick p99 over 0.001 ms in 2 zones"), "\(r.stdout)")
        #expect(r.stdout.contains("referee: clean"), "\(r.stdout)")
        #expect(r.stdout.contains("scenario tiny: FAIL (tick check)"), "\(r.stdout)")
        #expect(r.stdout.contains("swarm and referee under batch scheduling"), "\(r.stdout)")
        #expect(r.stdout.contains("zones tick at moments spread over the tick period"), "\(r.stdout)")
    }

    @Test func aBadScenarioFileIsOneLineWithItsPosition() throws {
        let dir = SeamProcess.temporaryDirectory("scenario-bad")
        try "seam-scenario 1\nmap Maps/duel.map\nbots many\n".write(toFile: dir + "/bad.scenario", atomically: true, encoding: .utf8)
        let r = try SeamProcess.run(["scenario", dir + "/bad.scenario"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.scenario:3:6: expected a number of bots"), "\(r.stderr)")
        let missingMap = try SeamProcess.run(["scenario", dir + "/none.scenario"])
        #expect(missingMap.status != 0)
        #expect(missingMap.stderr.contains("none.scenario: cannot read the file"), "\(missingMap.stderr)")
    }
}
