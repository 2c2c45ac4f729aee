import ArgumentParser
import Foundation
import SeamNetSim

extension Seam {
    struct NetSim: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "netsim",
            abstract: "A UDP relay that delays, drops, duplicates and reorders datagrams between clients and zones.",
            discussion: """
                Each --relay LISTEN=TARGET forwards datagrams arriving at LISTEN to TARGET and the replies back,
                with one upstream socket per client so the target sees one source per client. Impairments apply
                to each direction separately (latency=75ms adds 150 ms to a round trip). Spec keys: latency,
                jitter, loss, burst=P%/LENGTH, dup, reorder=P%[/DELAY], queue, seed (docs/NETSIM.md).
                Prints "netsim listening on" with every relay once bound, a status line every --status-interval
                seconds, and a summary when stopped by --duration, Ctrl-C or SIGTERM.

                Examples:
                  seam netsim --relay 127.0.0.1:7300=127.0.0.1:7200 --spec "latency=75ms,jitter=10ms,loss=1%"
                  seam netsim --relay 0.0.0.0:0=127.0.0.1:7000 --spec "loss=2%,burst=0.5%/4,seed=7" --report out/netsim.json
                  seam cluster --map Maps/quad.map --netsim "latency=75ms,jitter=10ms,loss=1%"   (relays for every zone)
                """
        )

        @Option(help: "A relay LISTEN=TARGET, each HOST:PORT (repeatable); LISTEN port 0 picks a free port.")
        var relay: [String] = []

        @Option(
            help:
                "Impairments, e.g. \"latency=75ms,jitter=10ms,loss=1%,burst=0.5%/4,dup=0.5%,reorder=1%,seed=7\". Default: none."
        )
        var spec: String = ""

        @Option(help: "Stop after this many seconds. Default: run until Ctrl-C or SIGTERM.")
        var duration: Double?

        @Option(help: "Write the counters as JSON here when stopping.")
        var report: String?

        @Option(help: "Seconds between status lines.")
        var statusInterval: Double = 5

        func validate() throws {
            guard !relay.isEmpty else {
                throw ValidationError(
                    "give at least one --relay LISTEN=TARGET, e.g. --relay 127.0.0.1:7300=127.0.0.1:7200")
            }
            for r in relay {
                do { _ = try RelayMapping(parsing: r) } catch { throw ValidationError("--relay: \(error.message)") }
            }
            do { _ = try ImpairmentSpec(parsing: spec) } catch { throw ValidationError("--spec: \(error.message)") }
            if let duration {
                guard duration > 0 else { throw ValidationError("--duration must be positive, got \(duration)") }
            }
            guard statusInterval > 0 else {
                throw ValidationError("--status-interval must be positive, got \(statusInterval)")
            }
        }

        func run() throws {
            // validate() has parsed both already.
            let mappings = try relay.map { try RelayMapping(parsing: $0) }
            let impairments = try ImpairmentSpec(parsing: spec)
            let relays: Relay
            do { relays = try Relay(mappings: mappings, spec: impairments) } catch { throw CLIError(error.message) }
            installStopHandlers()
            print(
                "netsim listening on \(relays.mappings.map { "\($0.listen) -> \($0.target)" }.joined(separator: ", ")) "
                    + "(spec \(impairments))")
            fflush(nil)
            let deadline = duration.map { monotonicNanos() + UInt64($0 * 1e9) }
            relays.run(
                until: { processStop.isStopped || deadline.map { monotonicNanos() >= $0 } == true },
                statusEverySeconds: statusInterval
            ) { statistics in
                print(statistics.statusLine)
                fflush(nil)
            }
            let statistics = relays.statistics
            statistics.summaryLines.forEach { print($0) }
            if let report {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                do {
                    try encoder.encode(statistics).write(to: URL(fileURLWithPath: report))
                } catch {
                    throw CLIError("cannot write report \(report): \(error.localizedDescription)")
                }
                print("report written to \(report)")
            }
        }
    }
}
