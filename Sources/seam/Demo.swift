import ArgumentParser
import Foundation
import Logging
import SeamBots
import SeamNet

extension Seam {
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One zone and a bot swarm with a live dashboard, then a summary.",
            discussion: """
                Starts `seam zone` as a child process on a free port with a journal, drives bots against it with
                the dashboard, stops the zone cleanly and checks from its journal that no coin was lost.

                Examples:
                  seam demo
                  seam demo --bots 500 --duration 30 --behavior wander=50,coin-rush=25,fight=25
                """
        )

        @Option(help: "Path of the map file.")
        var map: String = "Maps/duel.map"

        @Option(help: "Zone to run.")
        var zone: String = "west"

        @Option(help: "Number of bots.")
        var bots: Int = 200

        @Option(help: "Seconds the bots play.")
        var duration: Double = 20

        @Option(help: "Directory for the zone's journal and log.")
        var out: String = "out/demo"

        @OptionGroup var swarm: SwarmOptions
        @OptionGroup var log: LogOptions

        func validate() throws {
            guard (1...4000).contains(bots) else { throw ValidationError("--bots must be in 1...4000, got \(bots)") }
            guard duration > 0 else { throw ValidationError("--duration must be positive") }
        }

        func run() throws {
            let logger = log.makeLogger("seam.demo")
            let gameMap = try loadMap(map)
            let spec = try findZone(zone, in: gameMap, path: map)
            let journalDir = (out as NSString).appendingPathComponent("journal")
            try? FileManager.default.removeItem(atPath: journalDir)
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let logPath = (out as NSString).appendingPathComponent("zone-\(spec.id).log")
            let child = try ZoneProcess.start(
                arguments: ["zone", "--map", map, "--zone", spec.id, "--port", "0", "--journal", journalDir,
                            "--capacity", String(bots + 50), "--status-interval", "5"],
                log: logPath)
            defer { child.stop() }
            print("zone \(spec.id) started (pid \(child.pid)) on port \(child.port); journal in \(journalDir)")
            fflush(nil)
            installStopHandlers()
            var config = SwarmConfig(
                map: gameMap, targets: [.init(zone: spec, address: NetAddress(host: 0x0100_007F, port: child.port))],
                count: bots, behaviors: swarm.mix(default: "wander=50,coin-rush=25,fight=25"))
            config.duration = duration
            swarm.apply(to: &config)
            let stats = try runSwarm(config, dashboard: !swarm.noDashboard && Dashboard.stdoutIsTerminal, logger: logger)
            child.stop()
            print(summary(stats))
            let lines = (try? String(contentsOfFile: logPath, encoding: .utf8))?.split(separator: "\n") ?? []
            if let last = lines.last(where: { $0.contains("stopped:") }) { print(last) }
            let journalPath = (journalDir as NSString).appendingPathComponent("\(spec.id).jsonl")
            let check = JournalCoinCheck(path: journalPath)
            print(check.verdict)
            if !check.ok || stats.disconnects > 0 { throw ExitCode(1) }
        }
    }
}

/// A `seam zone` child process whose output goes to a log file; its port is read from its first line.
final class ZoneProcess {
    let process: Process
    let port: UInt16
    var pid: Int32 { process.processIdentifier }

    private init(process: Process, port: UInt16) {
        self.process = process
        self.port = port
    }

    static func start(arguments: [String], log: String) throws -> ZoneProcess {
        FileManager.default.createFile(atPath: log, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: log) else { throw CLIError("cannot write \(log)") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = arguments
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        // Wait up to 10 s for "listening on HOST:PORT".
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: log, encoding: .utf8),
                let range = text.range(of: "listening on ")
            {
                let rest = text[range.upperBound...].prefix { $0 != " " && $0 != "\n" }
                if let colon = rest.lastIndex(of: ":"), let port = UInt16(rest[rest.index(after: colon)...]) {
                    return ZoneProcess(process: p, port: port)
                }
            }
            if !p.isRunning {
                let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                throw CLIError("zone exited at start: \(text.split(separator: "\n").last ?? "no output")")
            }
            usleep(50_000)
        }
        p.terminate()
        throw CLIError("zone did not report its port within 10 s; see \(log)")
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }
}

/// Reads a zone journal and checks that coins on the ground plus coins carried stayed equal to the coins
/// the zone started with, in every digest.
struct JournalCoinCheck {
    var ok = true
    var verdict = ""

    init(path: String) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            ok = false
            verdict = "journal check: cannot read \(path)"
            return
        }
        var total: Int?
        var digests = 0
        var records = 0
        for line in text.split(separator: "\n") {
            records += 1
            guard let obj = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let type = obj["type"] as? String
            else {
                ok = false
                verdict = "journal check: line \(records) is not a JSON object"
                return
            }
            if type == "start" { total = obj["coins"] as? Int }
            if type == "digest", let g = obj["coins_ground"] as? Int, let c = obj["coins_carried"] as? Int {
                digests += 1
                if g + c != total {
                    ok = false
                    verdict = "journal check: coins not conserved at tick \(obj["tick"] ?? "?"): \(g) + \(c) != \(total ?? -1)"
                    return
                }
            }
        }
        verdict = "journal check: \(records) records, \(digests) digests, coins conserved (\(total ?? 0) in every digest)"
    }
}
