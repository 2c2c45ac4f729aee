import ArgumentParser
import Foundation
import SeamBots
import SeamNet
import SeamProtocol
import SeamWorld

/// Flags shared by `seam bots` and `seam demo` to shape the swarm.
struct SwarmOptions: ParsableArguments {
    @Option(help: "Behaviour, or a mix by weight: wander, coin-rush, fight, e.g. wander=70,fight=30. Default: wander (demo: wander=50,coin-rush=25,fight=25).")
    var behavior: String?

    @Option(help: "Seed of every random choice the bots make.")
    var seed: UInt64 = 1

    @Option(help: "Bots per ENet client host.")
    var botsPerHost: Int = 500

    @Option(help: "New connections per second.")
    var connectRate: Double = 1000

    @Option(help: "Threads the swarm runs on, each with its share of the bots and hosts of its own.")
    var threads: Int = 1

    @Flag(help: "Print plain status lines instead of redrawing a dashboard in place.")
    var noDashboard = false

    @Option(help: "Protocol version the bots speak: 6 (ghost snapshots, the default) or 5 (delta snapshots).")
    var protocolVersion: UInt16 = Wire.version

    func validate() throws {
        if let behavior {
            do { _ = try BehaviorMix(parsing: behavior) } catch { throw ValidationError("--behavior: \(error.message)") }
        }
        guard (1...4000).contains(botsPerHost) else { throw ValidationError("--bots-per-host must be in 1...4000") }
        guard connectRate > 0 else { throw ValidationError("--connect-rate must be positive") }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
        guard protocolVersion == 5 || protocolVersion == 6 else { throw ValidationError("--protocol-version must be 5 or 6") }
    }

    func apply(to config: inout SwarmConfig) {
        config.seed = seed
        config.botsPerHost = botsPerHost
        config.connectRate = connectRate
        config.threads = threads
        config.protocolVersion = protocolVersion
    }

    /// The mix asked for, or `fallback` when none was; `validate()` has already checked the text.
    func mix(default fallback: String) -> BehaviorMix {
        (try? BehaviorMix(parsing: behavior ?? fallback)) ?? (try! BehaviorMix(parsing: "wander"))
    }
}

/// Runs a swarm with the dashboard and returns its stats.
func runSwarm(_ config: SwarmConfig, dashboard inPlace: Bool, logger: Logger) throws -> SwarmStats {
    var dashboard = Dashboard(inPlace: inPlace)
    do {
        return try SwarmThreads.run(config: config, logger: logger, until: processStop, clock: { monotonicNanos() }) {
            dashboard.show($0)
        }
    } catch {
        throw CLIError(error.message)
    }
}

import Logging

extension Seam {
    struct Bots: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drive many headless players against running zones.",
            discussion: """
                Bots are spread over the map's zones (or the --zone ones), connect to each zone's default port on
                --host unless --address overrides it, play for --duration seconds, leave cleanly and report.

                Examples:
                  seam bots --map Maps/duel.map --zone west --count 500 --duration 30
                  seam bots --map Maps/duel.map --count 200 --behavior wander=70,fight=30 --report out/bots.json
                  seam bots --map Maps/duel.map --zone west --address west=127.0.0.1:9000 --count 50 --no-dashboard
                """
        )

        @Option(help: "Path of the map file.")
        var map: String

        @Option(help: "Number of bots (1...20000).")
        var count: Int

        @Option(help: "Only use this zone (repeatable). Default: every zone of the map.")
        var zone: [String] = []

        @Option(help: "Host where the zones run, at their default ports.")
        var host: String = "127.0.0.1"

        @Option(help: "Address of a zone, overriding host and default port: ID=HOST:PORT (repeatable).")
        var address: [String] = []

        @Option(help: "Added to every zone's default port (as given to `seam cluster --port-offset`).")
        var portOffset: Int = 0

        @Option(help: "Seconds to play before leaving and reporting.")
        var duration: Double = 30

        @Option(help: "Write the JSON report here.")
        var report: String?

        @OptionGroup var swarm: SwarmOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            guard (1...20000).contains(count) else { throw ValidationError("--count must be in 1...20000, got \(count)") }
            guard duration > 0 else { throw ValidationError("--duration must be positive, got \(duration)") }
            for a in address where !a.contains("=") {
                throw ValidationError("--address must look like ID=HOST:PORT, got '\(a)'")
            }
        }

        func run() throws {
            let logger = log.makeLogger("seam.bots")
            let gameMap = try loadMap(map)
            let zones = try zone.isEmpty ? gameMap.zones : zone.map { try findZone($0, in: gameMap, path: map) }
            var overrides: [String: NetAddress] = [:]
            for a in address {
                let parts = a.split(separator: "=", maxSplits: 1).map(String.init)
                _ = try findZone(parts[0], in: gameMap, path: map)
                do { overrides[parts[0]] = try NetAddress(parsing: parts[1]) } catch {
                    throw CLIError("--address \(a): \(error.message)")
                }
            }
            var targets: [SwarmConfig.Target] = []
            for z in zones {
                do {
                    targets.append(.init(zone: z, address: try overrides[z.id] ?? NetAddress(resolving: host, port: UInt16(clamping: z.port + portOffset))))
                } catch {
                    throw CLIError("--host \(host): \(error)")
                }
            }
            var config = SwarmConfig(map: gameMap, targets: targets, count: count, behaviors: swarm.mix(default: "wander"))
            config.duration = duration
            swarm.apply(to: &config)
            installStopHandlers()
            let stats = try runSwarm(config, dashboard: !swarm.noDashboard && Dashboard.stdoutIsTerminal, logger: logger)
            print(summary(stats))
            if let report {
                do { try SwarmReport.write(stats: stats, config: config, to: report) } catch {
                    throw CLIError("cannot write report \(report): \(error.localizedDescription)")
                }
                print("report written to \(report)")
            }
        }
    }
}

func summary(_ s: SwarmStats) -> String { SwarmSummary.totals(s) + "\n" + SwarmSummary.swarm(s) }
