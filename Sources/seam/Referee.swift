import ArgumentParser
import Foundation
import SeamReferee
import SeamWorld

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

                Examples:
                  seam referee --journal out/journal
                  seam referee --journal out/journal --map Maps/duel.map
                  seam referee --journal out/journal --report out/referee.json --json
                """
        )

        @Option(help: ArgumentHelp("Directory holding the <zone>.jsonl journals.", valueName: "dir"))
        var journal: String

        @Option(help: ArgumentHelp("Also write the report as JSON to this file.", valueName: "file"))
        var report: String?

        @Option(help: ArgumentHelp("Seconds within which an offer must be committed, aborted or resolved.",
                                   valueName: "seconds"))
        var offerBound: Double = 10

        @Option(help: ArgumentHelp("The map the cluster ran: its coin spots are the coin total, checked against the start records.",
                                   valueName: "path"))
        var map: String?

        @Flag(help: "Print the report as JSON (sorted keys) instead of text.")
        var json = false

        func validate() throws {
            guard offerBound.isFinite, offerBound > 0 else {
                throw ValidationError("--offer-bound must be a positive number of seconds")
            }
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
            do {
                result = try RefereeRun.check(directory: journal, options: options)
            } catch {
                throw badInput(error.description)
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

        /// Prints the message to standard error and gives the exit code for bad input (2).
        private func badInput(_ message: String) -> ExitCode {
            FileHandle.standardError.write(Data("seam referee: \(message)\n".utf8))
            return ExitCode(2)
        }
    }
}
