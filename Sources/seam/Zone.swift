import ArgumentParser
import Foundation
import SeamNet
import SeamSimulation
import SeamZone

extension Seam {
    struct Zone: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve one zone of a map at a fixed tick.",
            discussion: """
                Binds the zone's UDP port (the map's default, or --port), accepts players, simulates the zone and
                sends every player a snapshot each tick. Ctrl-C or SIGTERM stops it cleanly.

                Examples:
                  seam zone --map Maps/duel.map --zone west
                  seam zone --map Maps/duel.map --zone east --port 0 --journal out/journal --capacity 2000
                """
        )

        @Option(help: "Path of the map file.")
        var map: String

        @Option(help: "Id of the zone to serve (as named in the map).")
        var zone: String

        @Option(help: "UDP port; default: the zone's port in the map; 0 picks a free port.")
        var port: Int?

        @Option(help: "Address to bind.")
        var bind: String = "0.0.0.0"

        @Option(help: "Most players served at once (1...4000).")
        var capacity: Int = 1000

        @Option(help: "Simulation ticks per second (1...120).")
        var tickRate: Int = 20

        @Option(help: "Directory for the JSON Lines journal <zone>.jsonl (created if missing).")
        var journal: String?

        @Option(help: "Start of tick 0 in milliseconds since the Unix epoch; zones of one cluster share it.")
        var epochMs: UInt64?

        @Option(help: "Seconds between status lines.")
        var statusInterval: Double = 5

        @Option(help: "Address of a neighbour zone: ID=HOST:PORT (repeatable). Default: every neighbour in the map at --neighbor-host and its default port.")
        var neighbor: [String] = []

        @Option(help: "Host of the neighbours not given by --neighbor.")
        var neighborHost: String = "127.0.0.1"

        @Option(name: .customLong("public"), help: ArgumentHelp(
            "Address clients are told to use for a neighbour zone, ID=HOST:PORT (repeatable), e.g. its `seam netsim` relay.",
            discussion: "Standby and Redirect messages carry it; links still go to the --neighbor address. Default: the neighbour's link address. Zones that are not neighbours are ignored, so every zone can be given the same list."))
        var publicAddress: [String] = []

        @Option(help: "Tiles a player may stand inside a neighbour's territory before it is handed over.")
        var hysteresis: Double = 2

        @Option(help: ArgumentHelp("Seconds a neighbour's link may be down before it is declared dead (in-doubt players resume).",
            discussion: "Keep it longer than a link between live zones takes to heal (about 11 s: each end notices within 10 s, the initiator reconnects within 1 s); shorter, a neighbour alive but slow may hold a player this zone resumes."))
        var deadAfter: Double = 20

        @Flag(help: "Send full snapshots only, never deltas (to measure what deltas save).")
        var noDelta = false

        @Flag(help: "Judge shots against the present instead of the world the shooter saw (to measure what lag compensation gives).")
        var noLagCompensation = false

        @Option(help: "Furthest back a shot is judged, in milliseconds (50...1150).")
        var maxRewindMs: Double = 500

        @Option(help: "Interpolation delay clients are expected to use, in milliseconds: part of the rewind window.")
        var interpolationMs: Double = 100

        @Option(help: "Bytes a snapshot may take at most (100...1200; 1200 fits one datagram).")
        var snapshotBudget: Int = 1200

        @Option(help: "Bytes a delta snapshot aims at (0...1200): beyond the nearest quarter, entities are refreshed by priority while it fits, else predicted by the client.")
        var updateBudget: Int = 160

        @Option(help: "Percent of the tick period the tick's work may take before the zone degrades its snapshots (10...100); lower it when many zones share few cores.")
        var tickBudget: Double = 60

        @Option(help: "When in each tick period this zone ticks, as a fraction of the period (0 <= F < 1): zones sharing a machine can take turns instead of all waking at the world clock's tick starts (0).")
        var tickPhase: Double = 0

        @Option(help: ArgumentHelp(
            "Inject a fault, to test the referee (repeatable; never in a real run): \(ZoneFault.allCases.map(\.rawValue).joined(separator: ", ")).",
            discussion: "duplicate-coin: coins also stay behind at a commit; drop-commit: accepts are ignored (player lost); resume-early: the player resumes right after its offer (two owners); teleport: a player jumps 12 tiles every 3 s; double-damage: every hit journaled twice; double-kill: every kill credited twice."))
        var fault: [String] = []

        @OptionGroup var log: LogOptions

        func validate() throws {
            if let port, !(0...65535).contains(port) { throw ValidationError("--port must be in 0...65535, got \(port)") }
            guard (1...4000).contains(capacity) else { throw ValidationError("--capacity must be in 1...4000, got \(capacity)") }
            guard (1...120).contains(tickRate) else { throw ValidationError("--tick-rate must be in 1...120, got \(tickRate)") }
            guard statusInterval > 0 else { throw ValidationError("--status-interval must be positive") }
            guard hysteresis > 0, hysteresis < 8 else { throw ValidationError("--hysteresis must be in (0, 8) tiles") }
            guard deadAfter > 0 else { throw ValidationError("--dead-after must be positive") }
            guard (50...1150).contains(maxRewindMs) else { throw ValidationError("--max-rewind-ms must be in 50...1150, got \(maxRewindMs)") }
            guard (0...1000).contains(interpolationMs) else { throw ValidationError("--interpolation-ms must be in 0...1000, got \(interpolationMs)") }
            guard (100...1200).contains(snapshotBudget) else {
                throw ValidationError("--snapshot-budget must be in 100...1200 bytes, got \(snapshotBudget)")
            }
            guard (0...1200).contains(updateBudget) else {
                throw ValidationError("--update-budget must be in 0...1200 bytes, got \(updateBudget)")
            }
            if !(tickPhase >= 0 && tickPhase < 1) {
                throw ValidationError("--tick-phase must be in [0, 1), got \(tickPhase)")
            }
            guard (10...100).contains(tickBudget) else {
                throw ValidationError("--tick-budget must be in 10...100 percent, got \(tickBudget)")
            }
            for f in fault where ZoneFault(rawValue: f) == nil {
                throw ValidationError("unknown --fault '\(f)'; known: \(ZoneFault.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            for n in neighbor where !n.contains("=") {
                throw ValidationError("--neighbor must look like ID=HOST:PORT, got '\(n)'")
            }
            for p in publicAddress where !p.contains("=") {
                throw ValidationError("--public must look like ID=HOST:PORT, got '\(p)'")
            }
        }

        func run() throws {
            let logger = log.makeLogger("seam.zone")
            let gameMap = try loadMap(map)
            let spec = try findZone(zone, in: gameMap, path: map)
            let address: NetAddress
            do {
                address = try NetAddress(resolving: bind, port: UInt16(port ?? spec.port))
            } catch {
                throw CLIError("bad --bind: \(error.message)")
            }
            var config = ZoneConfig(map: gameMap, zone: spec, bind: address)
            config.capacity = capacity
            config.simulation.tickRate = tickRate
            config.journalDirectory = journal
            config.epochNanos = epochMs.map { $0 * 1_000_000 }
            config.statusInterval = statusInterval
            config.hysteresis = hysteresis
            config.deadAfterSeconds = deadAfter
            config.faults = Set(fault.compactMap(ZoneFault.init(rawValue:)))
            config.deltas = !noDelta
            let tickMs = 1000 / Double(tickRate)
            config.simulation.lagCompensation = !noLagCompensation
            config.simulation.rewind = RewindPolicy(interpolationTicks: interpolationMs / tickMs,
                                                    maxRewindTicks: maxRewindMs / tickMs)
            config.snapshotBudget = snapshotBudget
            config.updateBudget = updateBudget
            config.tickBudget = tickBudget / 100
            config.tickPhase = tickPhase
            if deadAfter < ZoneServer.linkHealSeconds {
                logger.warning("--dead-after \(deadAfter) s is shorter than a link takes to heal (\(ZoneServer.linkHealSeconds) s): a neighbour alive but slow may hold a player this zone resumes")
            }
            if !config.faults.isEmpty {
                logger.warning("FAULTS INJECTED: \(fault.joined(separator: ", ")) — this zone is broken on purpose")
            }
            var given: [String: NetAddress] = [:]
            for n in neighbor {
                let parts = n.split(separator: "=", maxSplits: 1).map(String.init)
                _ = try findZone(parts[0], in: gameMap, path: map)
                do { given[parts[0]] = try NetAddress(parsing: parts[1]) } catch {
                    throw CLIError("--neighbor \(n): \(error.message)")
                }
            }
            for n in gameMap.neighbours(of: spec) {
                do {
                    config.neighbours[n.index] = try given[n.id] ?? NetAddress(resolving: neighborHost, port: UInt16(n.port))
                } catch {
                    throw CLIError("--neighbor-host \(neighborHost): \(error)")
                }
            }
            var advertised: [String: NetAddress] = [:]
            for p in publicAddress {
                let parts = p.split(separator: "=", maxSplits: 1).map(String.init)
                _ = try findZone(parts[0], in: gameMap, path: map)
                do { advertised[parts[0]] = try NetAddress(parsing: parts[1]) } catch {
                    throw CLIError("--public \(p): \(error.message)")
                }
            }
            for n in gameMap.neighbours(of: spec) {
                if let address = advertised[n.id] { config.clientEndpoints[n.index] = address }
            }
            if let hex = ProcessInfo.processInfo.environment["SEAM_SECRET"] {
                guard let secret = ClusterSecretText.parse(hex) else {
                    throw CLIError("SEAM_SECRET must be at least 32 hex digits (16 bytes)")
                }
                config.secret = secret
            } else if !config.neighbours.isEmpty {
                logger.notice("SEAM_SECRET is not set: links to neighbours will be refused (run zones with `seam cluster`, or give every zone the same SEAM_SECRET)")
            }
            let server: ZoneServer
            do {
                server = try ZoneServer(config: config, logger: logger)
            } catch {
                throw CLIError("zone \(spec.id): \(error)")
            }
            installStopHandlers()
            print("zone \(spec.id) of map \(gameMap.name) listening on \(bind):\(server.port) "
                  + "(tick \(tickRate) Hz, capacity \(capacity)\(journal.map { ", journal \($0)" } ?? ""))")
            let publicLine = gameMap.neighbours(of: spec).compactMap { n in config.clientEndpoints[n.index].map { "\(n.id)=\($0)" } }
            if !publicLine.isEmpty { print("zone \(spec.id) tells clients to reach \(publicLine.joined(separator: ", "))") }
            fflush(nil)
            server.run(until: processStop) { status in
                print(status.line)
                fflush(nil)
            }
            let c = server.counters
            print("zone \(spec.id) stopped: ticks \(c.ticks) joins \(c.joins) leaves \(c.leaves) overruns \(c.overruns) "
                  + "refused \(c.refused) (version \(c.refusedWrongVersion), malformed \(c.refusedMalformed), "
                  + "oversized \(c.refusedOversized), full \(c.refusedFull), unexpected \(c.refusedUnexpected), "
                  + "channel \(c.refusedWrongChannel)) snapshots \(c.snapshotsSent) (deltas \(c.deltasSent), ghost \(c.ghostsSent)) "
                  + "entities \(c.entitiesSent) (carried \(c.entitiesSent == 0 ? 0 : c.entitiesStale * 100 / c.entitiesSent)%)")
        }
    }
}
