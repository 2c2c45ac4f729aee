import ArgumentParser
import Foundation
import SeamNet
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

        @OptionGroup var log: LogOptions

        func validate() throws {
            if let port, !(0...65535).contains(port) { throw ValidationError("--port must be in 0...65535, got \(port)") }
            guard (1...4000).contains(capacity) else { throw ValidationError("--capacity must be in 1...4000, got \(capacity)") }
            guard (1...120).contains(tickRate) else { throw ValidationError("--tick-rate must be in 1...120, got \(tickRate)") }
            guard statusInterval > 0 else { throw ValidationError("--status-interval must be positive") }
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
            let server: ZoneServer
            do {
                server = try ZoneServer(config: config, logger: logger)
            } catch {
                throw CLIError("zone \(spec.id): \(error)")
            }
            installStopHandlers()
            print("zone \(spec.id) of map \(gameMap.name) listening on \(bind):\(server.port) "
                  + "(tick \(tickRate) Hz, capacity \(capacity)\(journal.map { ", journal \($0)" } ?? ""))")
            fflush(nil)
            server.run(until: processStop) { status in
                print(status.line)
                fflush(nil)
            }
            let c = server.counters
            print("zone \(spec.id) stopped: ticks \(c.ticks) joins \(c.joins) leaves \(c.leaves) overruns \(c.overruns) "
                  + "refused \(c.refused) (version \(c.refusedWrongVersion), malformed \(c.refusedMalformed), "
                  + "oversized \(c.refusedOversized), full \(c.refusedFull), unexpected \(c.refusedUnexpected), "
                  + "channel \(c.refusedWrongChannel))")
        }
    }
}
