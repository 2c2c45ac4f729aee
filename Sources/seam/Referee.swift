import ArgumentParser
import Foundation
import SeamNet
import SeamReferee
import SeamWorld
import SeamZone

extension Seam {
    struct Referee: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "referee",
            abstract: "Check the journals of a cluster run against the game's invariants.",
            discussion: """
                Reads every <zone>.jsonl in DIR, merges them by time and checks them,
                trusting only the records: one owner per player and epoch, growing
                epochs, handoffs that settle, state intact across a handoff, the speed
                limit, every player owned until it leaves, coins conserved and held
                once, each shot hitting once, each kill credited once (docs/REFEREE.md).

                Exit status: 0 clean, 1 violations, 2 bad input (no such directory, no
                journals, unreadable file, bad map). Malformed lines are counted and
                reported but are not violations.

                With --live it connects to every zone of --map as an observer instead (the
                zones must share SEAM_SECRET with it), checks the records as they stream in,
                prints a status line every few seconds with how far behind it is, and
                reports when --duration ends or on Ctrl-C.

                Examples:
                  seam referee --journal out/journal
                  seam referee --journal out/journal --map Maps/duel.map
                  seam referee --journal out/journal --report out/referee.json --json
                  SEAM_SECRET=... seam referee --live --map Maps/quad.map --port-offset 500 --duration 60
                """
        )

        @Option(help: ArgumentHelp("Directory holding the <zone>.jsonl journals.", valueName: "dir"))
        var journal: String?

        @Flag(help: "Observe the running zones of --map over ENet instead of reading journals.")
        var live = false

        @Option(help: "With --live: host of the zones, at their map ports plus --port-offset.")
        var host: String = "127.0.0.1"

        @Option(help: "With --live: added to every zone's map port.")
        var portOffset: Int = 0

        @Option(help: "With --live: seconds to observe before reporting (default: until Ctrl-C).")
        var duration: Double?

        @Option(help: "With --live: seconds between status lines.")
        var statusInterval: Double = 5

        @Option(help: ArgumentHelp("Also write the report as JSON to this file.", valueName: "file"))
        var report: String?

        @Option(help: ArgumentHelp("Seconds within which an offer must be committed, aborted or resolved (longer than the zones' --dead-after plus ~10 s to notice a lost link).",
                                   valueName: "seconds"))
        var offerBound: Double = 40

        @Option(help: ArgumentHelp("The map the cluster ran: its coin spots are the coin total, checked against the start records.",
                                   valueName: "path"))
        var map: String?

        @Flag(help: "Print the report as JSON (sorted keys) instead of text.")
        var json = false

        func validate() throws {
            guard offerBound.isFinite, offerBound > 0 else {
                throw ValidationError("--offer-bound must be a positive number of seconds")
            }
            if live {
                guard map != nil else { throw ValidationError("--live needs --map to know the zones") }
                guard journal == nil else { throw ValidationError("give either --journal or --live, not both") }
            } else if journal == nil {
                throw ValidationError("give --journal DIR, or --live with --map")
            }
            if let duration, !(duration > 0) { throw ValidationError("--duration must be positive") }
        }

        func run() throws {
            var options = RefereeOptions(offerBoundSeconds: offerBound)
            if let map {
                do {
                    options.mapCoins = try loadMap(map).coinSpots.count
                } catch {
                    throw badInput("\(error)")
                }
            }
            let result: RefereeReport
            if live {
                result = try runLive(options: options)
            } else {
                do {
                    result = try RefereeRun.check(directory: journal ?? "", options: options)
                } catch {
                    throw badInput(error.description)
                }
            }
            if let report {
                do {
                    try result.jsonText.write(toFile: report, atomically: true, encoding: .utf8)
                } catch {
                    throw badInput("cannot write the report to \(report): \(error.localizedDescription)")
                }
            }
            if json {
                print(result.jsonText, terminator: "")
            } else {
                result.textLines.forEach { print($0) }
            }
            fflush(nil)
            if !result.isClean { throw ExitCode(1) }
        }

        /// Observes every zone of the map, feeding the records to the checker as they come, until the duration
        /// ends or Ctrl-C.
        private func runLive(options: RefereeOptions) throws -> RefereeReport {
            guard let hex = ProcessInfo.processInfo.environment["SEAM_SECRET"], let secretBytes = ClusterSecretText.parse(hex) else {
                throw badInput("--live needs the cluster's secret in SEAM_SECRET (at least 32 hex digits)")
            }
            let gameMap: GameMap
            do { gameMap = try loadMap(map ?? "") } catch { throw badInput("\(error)") }
            let secret = ClusterSecret(secretBytes)
            var zones: [LiveSource.Zone] = []
            for z in gameMap.zones {
                guard let address = try? NetAddress(resolving: host, port: UInt16(clamping: z.port + portOffset)) else {
                    throw badInput("cannot resolve --host \(host)")
                }
                zones.append(.init(id: z.id, index: z.index, address: address, proof: secret.observerProof(zone: z.index)))
            }
            let source: LiveSource
            do { source = try LiveSource(zones: zones) } catch { throw badInput("\(error)") }
            installStopHandlers()
            var referee = SeamReferee.Referee(options: options)
            let start = wallClockNanos()
            let end = duration.map { start + UInt64($0 * 1e9) } ?? .max
            var nextStatus = start + UInt64(statusInterval * 1e9)
            var maxLag: Int64 = 0
            var observingAll = false
            while !processStop.isStopped && wallClockNanos() < end {
                let now = Int64(wallClockNanos() / 1_000_000)
                for record in source.poll(timeoutMs: 20, nowMs: now) { referee.check(record) }
                maxLag = max(maxLag, source.lagMs)
                if !observingAll && source.observing == zones.count {
                    // `seam scenario` waits for this line before its bots connect.
                    observingAll = true
                    print("referee live: observing all \(zones.count) zones")
                    fflush(nil)
                }
                if wallClockNanos() >= nextStatus {
                    nextStatus += UInt64(statusInterval * 1e9)
                    let r = referee.report()
                    print("referee live: observing \(source.observing)/\(zones.count) zones, \(referee.checked.records) records, "
                          + "\(source.lagMs) ms behind (max \(maxLag)), \(r.violations.count) violations")
                    fflush(nil)
                }
            }
            for record in source.drain(nowMs: Int64(wallClockNanos() / 1_000_000)) { referee.check(record) }
            for problem in source.problems.prefix(5) { referee.noteMalformed(problem) }
            let seconds = Double(wallClockNanos() - start) / 1e9
            print("referee live: \(referee.checked.records) records in \(String(format: "%.1f", seconds)) s "
                  + "(\(Int(Double(referee.checked.records) / max(seconds, 0.001))) records/s), at most \(maxLag) ms behind")
            // The zones are still running: the end-of-input checks (players that never left, kills never
            // credited) belong to an offline check of the journals, not to the end of an observation.
            return referee.report()
        }

        /// Prints the message to standard error and gives the exit code for bad input (2).
        private func badInput(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("seam referee: \(message)\n".utf8))
            return ExitCode(2)
        }
    }
}
