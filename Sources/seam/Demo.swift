import ArgumentParser
import Foundation
import Logging
import SeamBots
import SeamNet

extension Seam {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A sharded cluster and a bot swarm with a live dashboard, then a summary.",
            discussion: """
                Starts every zone of the map (default: Maps/quad.map, four zones) as its own `seam zone` process
                on free ports, drives bots across their borders with the dashboard, stops the zones cleanly, and
                checks from their journals that handoffs resolved and coins were conserved across the cluster.

                Examples:
                  seam demo
                  seam demo --bots 1000 --duration 60 --behavior border-dance
                  seam demo --map Maps/duel.map --bots 200
                """
        )

        @Option(help: "Path of the map file.")
        var map: String = "Maps/quad.map"

        @Option(help: "Number of bots.")
        var bots: Int = 400

        @Option(help: "Seconds the bots play.")
        var duration: Double = 30

        @Option(help: "Directory for the zones' journals and logs.")
        var out: String = "out/demo"

        @OptionGroup var swarm: SwarmOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            guard (1...8000).contains(bots) else { throw ValidationError("--bots must be in 1...8000, got \(bots)") }
            guard duration > 0 else { throw ValidationError("--duration must be positive") }
        }

        func run() throws {
            let logger = log.makeLogger("seam.demo")
            let gameMap = try loadMap(map)
            let journalDir = (out as NSString).appendingPathComponent("journal")
            try? FileManager.default.removeItem(atPath: journalDir)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let offset = ZoneProcesses.freeOffset(for: gameMap)
            let zones = try ZoneProcesses(
                map: gameMap, mapPath: map, host: "127.0.0.1", portOffset: offset,
                capacity: min(4000, bots + 100), statusInterval: 5, journal: journalDir, extra: [],
                output: .logs(directory: out))
            defer { zones.stop() }
            print("\(gameMap.zones.count) zones of \(gameMap.name) started: \(zones.summary); journals in \(journalDir)")
            fflush(nil)
            // Let the zones bind and link before the first bot connects.
            usleep(1_500_000)
            installStopHandlers()
            var config = SwarmConfig(
                map: gameMap, targets: gameMap.zones.map { .init(zone: $0, address: zones.address(of: $0)) },
                count: bots, behaviors: swarm.mix(default: "border-dance=40,wander=30,coin-rush=15,fight=15"))
            config.duration = duration
            swarm.apply(to: &config)
            let stats = try runSwarm(config, dashboard: !swarm.noDashboard && Dashboard.stdoutIsTerminal, logger: logger)
            zones.stop()
            print(summary(stats))
            for z in gameMap.zones {
                let path = (out as NSString).appendingPathComponent("zone-\(z.id).log")
                let lines = (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n") ?? []
                if let last = lines.last(where: { $0.contains("stopped:") }) { print(last) }
            }
            let check = JournalCheck(directory: journalDir, zones: gameMap.zones.map(\.id), coins: gameMap.coinSpots.count)
            for line in check.lines { print(line) }
            if !check.ok || stats.disconnects > 0 { throw ExitCode(1) }
        }
    }
}

/// Reads every zone's journal and checks what can be checked without a referee: every offer resolved
/// (commit or abort) and, at every tick where all zones wrote a digest, coins on the ground plus coins
/// carried across the cluster equal the map's coins. A coin carried by a player in mid-handoff can be
/// counted by both zones for an instant; such ticks are reported, not failed.
struct JournalCheck {
    var ok = true
    var lines: [String] = []

    init(directory: String, zones: [String], coins: Int) {
        var totals: [Int: [String: Int]] = [:]
        var offers = Set<String>()
        var resolved = Set<String>()
        // Coins of a carrier between accept (in the new zone) and commit (in the old one) are in both
        // zones' digests: a digest at tick T counts them twice when accept.tick < T <= commit.tick.
        var acceptTick: [String: Int] = [:]
        var commitTick: [String: (tick: Int, coins: Int)] = [:]
        var records = 0
        for zone in zones {
            let path = (directory as NSString).appendingPathComponent("\(zone).jsonl")
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                ok = false
                lines.append("journal check: cannot read \(path)")
                continue
            }
            for line in text.split(separator: "\n") {
                records += 1
                guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                    let type = obj["type"] as? String
                else {
                    ok = false
                    lines.append("journal check: a line of \(path) is not a JSON object")
                    continue
                }
                let key = "\(obj["player"] ?? "")@\(obj["epoch"] ?? "")"
                switch type {
                case "offer": offers.insert(key)
                case "accept": acceptTick[key] = obj["tick"] as? Int
                case "commit":
                    resolved.insert(key)
                    if let t = obj["tick"] as? Int, let c = obj["coins"] as? Int, c > 0 { commitTick[key] = (t, c) }
                case "abort": resolved.insert(key)
                case "digest":
                    if let tick = obj["tick"] as? Int, let g = obj["coins_ground"] as? Int, let c = obj["coins_carried"] as? Int {
                        totals[tick, default: [:]][zone] = g + c
                    }
                default: break
                }
            }
        }
        let unresolved = offers.subtracting(resolved)
        let complete = totals.filter { $0.value.count == zones.count }
        var inFlight: [Int: Int] = [:]
        for (key, commit) in commitTick {
            guard let accepted = acceptTick[key] else { continue }
            for tick in complete.keys where accepted < tick && tick <= commit.tick { inFlight[tick, default: 0] += commit.coins }
        }
        let off = complete.filter { $0.value.values.reduce(0, +) - (inFlight[$0.key] ?? 0) != coins }
        let flying = inFlight.values.filter { $0 > 0 }.count
        lines.append("journal check: \(records) records, \(offers.count) handoffs, \(unresolved.count) unresolved; "
                     + "coins conserved at \(complete.count - off.count) of \(complete.count) cluster-wide digests (\(coins) coins"
                     + (flying > 0 ? "; \(flying) digests counted a carrier between accept and commit, subtracted)" : ")"))
        if !unresolved.isEmpty || !off.isEmpty || complete.isEmpty { ok = false }
        for (tick, zonesAtTick) in off.sorted(by: { $0.key < $1.key }).prefix(3) {
            lines.append("journal check: coins NOT conserved at tick \(tick): \(zonesAtTick.values.reduce(0, +)) counted, "
                         + "\(inFlight[tick] ?? 0) in flight, \(coins) expected")
        }
    }
}
