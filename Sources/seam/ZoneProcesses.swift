import Foundation
import SeamNet
import SeamWorld

/// Every zone of a map as a `seam zone` child process: one world clock, one cluster secret, neighbours
/// linked at their ports plus an offset, optionally advertising their neighbours to clients at
/// `publicOffset` above that (where `seam cluster --netsim` puts the relays). Used by `seam cluster` and `seam demo`.
final class ZoneProcesses {
    enum Output {
        /// Each child's lines on our standard output, prefixed with its zone id.
        case prefixed
        /// Each child's output in `<directory>/zone-<id>.log`.
        case logs(directory: String)
    }

    let map: GameMap
    let host: String
    let portOffset: Int
    /// The cluster secret (hex) the zones share: SEAM_SECRET when set, else a fresh one.
    let secret: String
    private(set) var children: [(zone: ZoneSpec, process: Process)] = []

    init(map: GameMap, mapPath: String, host: String, portOffset: Int, capacity: Int, statusInterval: Double,
         journal: String?, extra: [String], perZone: [String: [String]] = [:], publicOffset: Int? = nil,
         output: Output) throws {
        self.map = map
        self.host = host
        self.portOffset = portOffset
        for z in map.zones where z.port + portOffset > 65535 || z.port + portOffset < 1 {
            throw CLIError("zone \(z.id): port \(z.port) + offset \(portOffset) is outside 1...65535")
        }
        secret = ProcessInfo.processInfo.environment["SEAM_SECRET"] ?? ClusterSecretText.random()
        let epochMs = wallClockNanos() / 1_000_000_000 * 1000 + 1000
        for z in map.zones {
            var args = ["zone", "--map", mapPath, "--zone", z.id, "--bind", host, "--port", String(z.port + portOffset),
                        "--epoch-ms", String(epochMs), "--capacity", String(capacity),
                        "--status-interval", String(statusInterval)]
            if let journal { args += ["--journal", journal] }
            for n in map.neighbours(of: z) { args += ["--neighbor", "\(n.id)=\(host):\(n.port + portOffset)"] }
            // Clients reach the neighbours through their relays; the links stay direct.
            if let publicOffset {
                for n in map.neighbours(of: z) { args += ["--public", "\(n.id)=\(host):\(n.port + portOffset + publicOffset)"] }
            }
            args += extra + (perZone[z.id] ?? [])
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            p.arguments = args
            var env = ProcessInfo.processInfo.environment
            env["SEAM_SECRET"] = secret
            p.environment = env
            switch output {
            case .prefixed:
                let pipe = Pipe()
                p.standardOutput = pipe
                p.standardError = pipe
                LinePrefixer.forward(pipe.fileHandleForReading, prefix: "[\(z.id)] ")
            case .logs(let directory):
                let path = (directory as NSString).appendingPathComponent("zone-\(z.id).log")
                FileManager.default.createFile(atPath: path, contents: nil)
                guard let handle = FileHandle(forWritingAtPath: path) else { throw CLIError("cannot write \(path)") }
                p.standardOutput = handle
                p.standardError = handle
            }
            do { try p.run() } catch {
                stop()
                throw CLIError("cannot start zone \(z.id): \(error.localizedDescription)")
            }
            children.append((z, p))
        }
    }

    func address(of zone: ZoneSpec) -> NetAddress {
        (try? NetAddress(resolving: host, port: UInt16(zone.port + portOffset))) ?? NetAddress(host: 0x0100_007F, port: UInt16(zone.port + portOffset))
    }

    var summary: String {
        children.map { "\($0.zone.id)=\(host):\($0.zone.port + portOffset) (pid \($0.process.processIdentifier))" }
            .joined(separator: ", ")
    }

    /// Waits until every zone logged in `directory` reports it listens and its links are up (each link is
    /// reported by both of its zones), at most `timeout` seconds. Returns what is still missing, or nil.
    func waitUntilReady(logs directory: String, timeout: Double) -> String? {
        let links = map.zones.reduce(0) { $0 + map.neighbours(of: $1).count }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            var listening = 0
            var up = 0
            for (zone, process) in children {
                guard process.isRunning else { return "zone \(zone.id) exited with status \(process.terminationStatus)" }
                let path = (directory as NSString).appendingPathComponent("zone-\(zone.id).log")
                let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
                if text.contains("listening on ") { listening += 1 }
                up += text.split(separator: "\n").filter { $0.contains("link to neighbour ") && $0.hasSuffix(" up") }.count
            }
            if listening == children.count && up >= links { return nil }
            if Date() >= deadline {
                return "\(listening) of \(children.count) zones listening, \(up) of \(links) link ends up after \(Int(timeout)) s"
            }
            usleep(50_000)
        }
    }

    /// Stops every child with SIGTERM and waits for it.
    func stop() {
        for (_, p) in children where p.isRunning { p.terminate() }
        for (_, p) in children { p.waitUntilExit() }
    }
}
