import ArgumentParser
import Foundation
import Logging
import SeamBots
import SeamReferee
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
            guard let offset = NetHost.freePortOffset(for: gameMap.zones.map(\.port)) else {
                throw CLIError("no free range of ports found for the zones")
            }
            let zones = try ZoneProcesses(
                map: gameMap, mapPath: map, host: "127.0.0.1", portOffset: offset,
                capacity: min(4000, bots + 100), statusInterval: 5, journal: journalDir, extra: [],
                output: .logs(directory: out))
            defer { zones.stop() }
            print("\(gameMap.zones.count) zones of \(gameMap.name) started: \(zones.summary); journals in \(journalDir)")
            fflush(nil)
            // The first bot connects once every zone listens and every link is up.
            if let missing = zones.waitUntilReady(logs: out, timeout: 15) {
                throw CLIError("the zones did not come up: \(missing); see \(out)/zone-*.log")
            }
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
            // The referee's verdict on the run, from the journals.
            var options = RefereeOptions()
            options.mapCoins = gameMap.coinSpots.count
            let verdict: RefereeReport
            do {
                verdict = try RefereeRun.check(directory: journalDir, options: options)
            } catch {
                throw CLIError("referee: \(error.description)")
            }
            verdict.textLines.prefix(12).forEach { print($0) }
            if !verdict.isClean || stats.disconnects > 0 { throw ExitCode(1) }
        }
    }
}
