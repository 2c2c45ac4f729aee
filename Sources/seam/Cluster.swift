import ArgumentParser
import Foundation
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

        func validate() throws {
            guard (0...60000).contains(portOffset) else { throw ValidationError("--port-offset must be in 0...60000") }
            guard (1...4000).contains(capacity) else { throw ValidationError("--capacity must be in 1...4000") }
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
            for f in fault {
                let parts = f.split(separator: "@").map(String.init)
                _ = try findZone(parts[1], in: gameMap, path: map)
                perZone[parts[1], default: []] += ["--fault", parts[0]]
            }
            installStopHandlers()
            let zones = try ZoneProcesses(
                map: gameMap, mapPath: map, host: host, portOffset: portOffset, capacity: capacity,
                statusInterval: statusInterval, journal: journal, extra: zoneArg + (noDelta ? ["--no-delta"] : [])
                    + (noLagCompensation ? ["--no-lag-compensation"] : []),
                perZone: perZone, output: .prefixed)
            let children = zones.children
            print("cluster of map \(gameMap.name): \(children.count) zones started \(zones.summary)")
            fflush(nil)
            var reported = Set<String>()
            while !processStop.isStopped {
                for (z, p) in children where !p.isRunning && !reported.contains(z.id) {
                    reported.insert(z.id)
                    print("cluster: zone \(z.id) exited with status \(p.terminationStatus); its neighbours close their borders with it")
                    fflush(nil)
                }
                if reported.count == children.count { break }
                usleep(100_000)
            }
            zones.stop()
            LinePrefixer.drain()
            print("cluster stopped")
        }
    }
}

/// Copies a child's output to ours line by line, each line prefixed, on a background thread.
enum LinePrefixer {
    private static let group = DispatchGroup()

    static func forward(_ handle: FileHandle, prefix: String) {
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
                    pending.removeSubrange(pending.startIndex...newline)
                }
            }
            if !pending.isEmpty { FileHandle.standardOutput.write(Data(prefix.utf8) + pending + Data([0x0A])) }
            group.leave()
        }
    }

    static func drain() { _ = group.wait(timeout: .now() + 2) }
}
