import ArgumentParser
import Foundation
import SeamNetSim
import SeamWorld
import SeamZone

extension Seam {
    struct Cluster: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start every zone of a map as its own `seam zone` process and supervise them.",
            discussion: """
                Each zone runs as a child process at its map port (plus --port-offset), linked to its neighbours,
                with one shared world clock and a fresh cluster secret (passed in SEAM_SECRET). The children's
                lines are shown prefixed with their zone id. Ctrl-C or SIGTERM stops them all. A zone that dies
                is reported; the others keep running and close their borders with it.

                Examples:
                  seam cluster --map Maps/quad.map --journal out/journal
                  seam cluster --map Maps/duel.map --port-offset 1000 --capacity 2000
                  seam cluster --map Maps/quad.map --netsim "latency=75ms,jitter=10ms,loss=1%"

                With --netsim, a `seam netsim` child relays every zone's client traffic from the zone's port plus
                --netsim-offset (default 100) with those impairments, and each zone tells clients to reach its
                neighbours there (standby connections and redirects go through the relays too); zone-to-zone
                links stay direct. Clients connect at the relays: `seam bots --port-offset` is --port-offset plus
                --netsim-offset.
                """
        )

        @Option(help: "Path of the map file.")
        var map: String

        @Option(help: "Directory for the zones' journals.")
        var journal: String?

        @Option(help: "Added to every zone's map port (to run beside another cluster).")
        var portOffset: Int = 0

        @Option(help: "Host the zones bind and advertise.")
        var host: String = "127.0.0.1"

        @Option(help: "Most players per zone.")
        var capacity: Int = 1000

        @Option(help: "Seconds between each zone's status lines.")
        var statusInterval: Double = 5

        @Option(help: "Extra argument passed to every `seam zone` (repeatable), e.g. --zone-arg=--hysteresis=3.")
        var zoneArg: [String] = []

        @Flag(help: "Every zone sends full snapshots only, never deltas.")
        var noDelta = false

        @Flag(help: "Every zone judges shots against the present, without lag compensation.")
        var noLagCompensation = false

        @Option(help: "Inject a fault into one zone, NAME@ZONE (repeatable), to test the referee; see `seam zone --help`.")
        var fault: [String] = []

        @Option(help: "Put every zone's client traffic through a `seam netsim` relay with this spec, e.g. \"latency=75ms,jitter=10ms,loss=1%\" (see `seam netsim --help`).")
        var netsim: String?

        @Option(help: "With --netsim: each zone's relay listens at the zone's port plus this.")
        var netsimOffset: Int = 100

        @Option(help: "With --netsim: the relay writes its counters as JSON here when the cluster stops.")
        var netsimReport: String?

        func validate() throws {
            guard (0...60000).contains(portOffset) else { throw ValidationError("--port-offset must be in 0...60000") }
            guard (1...4000).contains(capacity) else { throw ValidationError("--capacity must be in 1...4000") }
            if let netsim {
                do { _ = try ImpairmentSpec(parsing: netsim) } catch { throw ValidationError("--netsim: \(error.message)") }
                guard (1...60000).contains(netsimOffset) else { throw ValidationError("--netsim-offset must be in 1...60000") }
            } else if netsimReport != nil {
                throw ValidationError("--netsim-report needs --netsim")
            }
            for f in fault {
                let parts = f.split(separator: "@")
                guard parts.count == 2, ZoneFault(rawValue: String(parts[0])) != nil else {
                    throw ValidationError("--fault must be NAME@ZONE with NAME one of \(ZoneFault.allCases.map(\.rawValue).joined(separator: ", ")); got '\(f)'")
                }
            }
        }

        func run() throws {
            let gameMap = try loadMap(map)
            var perZone: [String: [String]] = [:]
            if let netsim {
                do { _ = try ImpairmentSpec(parsing: netsim) } catch { throw ValidationError("--netsim: \(error.message)") }
                guard (1...60000).contains(netsimOffset) else { throw ValidationError("--netsim-offset must be in 1...60000") }
            } else if netsimReport != nil {
                throw ValidationError("--netsim-report needs --netsim")
            }
            for f in fault {
                let parts = f.split(separator: "@").map(String.init)
                _ = try findZone(parts[1], in: gameMap, path: map)
                perZone[parts[1], default: []] += ["--fault", parts[0]]
            }
            installStopHandlers()
            // The relays first, so that they listen before the zones advertise them.
            let relays = try netsim.map { spec in
                try NetSimProcess(map: gameMap, host: host, portOffset: portOffset, netsimOffset: netsimOffset, spec: spec,
                                  statusInterval: statusInterval, report: netsimReport)
            }
            let zones: ZoneProcesses
            do {
                zones = try ZoneProcesses(
                    map: gameMap, mapPath: map, host: host, portOffset: portOffset, capacity: capacity,
                    statusInterval: statusInterval, journal: journal, extra: zoneArg + (noDelta ? ["--no-delta"] : [])
                        + (noLagCompensation ? ["--no-lag-compensation"] : []),
                    perZone: perZone, publicOffset: relays.map { _ in netsimOffset }, output: .prefixed)
            } catch {
                relays?.stop()
                throw error
            }
            let children = zones.children
            print("cluster of map \(gameMap.name): \(children.count) zones started \(zones.summary)")
            if let relays {
                print("clients connect through netsim at \(relays.summary); "
                      + "e.g. seam bots --map \(map) --port-offset \(portOffset + netsimOffset) --count 100")
            }
            fflush(nil)
            var reported = Set<String>()
            var relaysReported = false
            while !processStop.isStopped {
                for (z, p) in children where !p.isRunning && !reported.contains(z.id) {
                    reported.insert(z.id)
                    print("cluster: zone \(z.id) exited with status \(p.terminationStatus); its neighbours close their borders with it")
                    fflush(nil)
                }
                if let relays, !relays.process.isRunning, !relaysReported {
                    relaysReported = true
                    print("cluster: netsim exited with status \(relays.process.terminationStatus); clients can no longer reach the zones")
                    fflush(nil)
                }
                if reported.count == children.count { break }
                usleep(100_000)
            }
            zones.stop()
            relays?.stop()
            LinePrefixer.drain()
            print("cluster stopped")
        }
    }
}

/// Copies a child's output to ours line by line, each line prefixed, on a background thread.
enum LinePrefixer {
    private static let group = DispatchGroup()

    /// `watch` sees every line (without the prefix) on the forwarding thread.
    static func forward(_ handle: FileHandle, prefix: String, watch: @escaping @Sendable (String) -> Void = { _ in }) {
        group.enter()
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = pending[pending.startIndex..<newline]
                    FileHandle.standardOutput.write(Data(prefix.utf8) + line + Data([0x0A]))
                    watch(String(decoding: line, as: UTF8.self))
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { FileHandle.standardOutput.write(Data(prefix.utf8) + pending + Data([0x0A])) }
            group.leave()
        }
    }

    static func drain() { _ = group.wait(timeout: .now() + 2) }
}
