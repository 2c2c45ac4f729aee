import ArgumentParser
import Foundation
import SeamLogs

extension Seam {
    struct Logs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarize, trace or follow the JSON Lines journals of a cluster.",
            discussion: """
                Reads every <zone>.jsonl in DIR (as written by --journal). Without options: zones, players,
                handoffs, per-border latencies and coin totals. --player: one player's timeline across zones.
                --follow: print handoff, join and leave records as the zones write them, until Ctrl-C.
                Keys of --json are described in docs/LOGS.md.

                Examples:
                  seam logs out/journal
                  seam logs out/journal --player 1048577
                  seam logs out/journal --json
                  seam logs out/journal --follow
                """
        )

        @Argument(help: "Directory holding the <zone>.jsonl journals.")
        var directory: String

        @Option(help: "Show this player's timeline across all zones.")
        var player: UInt32?

        @Flag(help: "Print JSON instead of text (JSON Lines with --follow).")
        var json = false

        @Flag(help: "Keep reading the journals as they grow (new files too) and print each new handoff, join and leave.")
        var follow = false

        func run() throws {
            do {
                if follow { return try runFollow() }
                if let player {
                    let (timeline, malformed) = try JournalAnalysis.timeline(of: player, in: directory)
                    if json {
                        print(LogJSON.text(timeline.jsonObject(malformed: malformed)))
                    } else {
                        timeline.textLines.forEach { print($0) }
                        if let message = malformed.message { print(message) }
                    }
                } else {
                    let summary = try JournalAnalysis.summary(of: directory)
                    if json {
                        print(LogJSON.text(summary.jsonObject))
                    } else {
                        summary.textLines.forEach { print($0) }
                    }
                }
            } catch let error as JournalError {
                throw CLIError(error.description)
            }
        }

        private func runFollow() throws {
            let follower = try JournalFollower(directory: directory)
            installStopHandlers()
            if !json { print("following \(directory) (Ctrl-C to stop)") }
            fflush(nil)
            var reported = 0
            while !processStop.isStopped {
                for r in follower.poll() where r.isFollowed && (player == nil || r.player == player) {
                    print(json ? LogJSON.text(r.jsonObject, pretty: false) : r.followLine)
                }
                if follower.malformed.count > reported, !json {
                    reported = follower.malformed.count
                    print(follower.malformed.message ?? "")
                }
                fflush(nil)
                usleep(200_000)
            }
            if !json, let message = follower.malformed.message { print(message) }
        }
    }
}
