import Foundation

/// The swarm's live view. On a terminal it redraws in place once a second; otherwise it prints a plain
/// line every `plainInterval` seconds, so logs stay readable.
public struct Dashboard {
    public let inPlace: Bool
    public var plainInterval = 5.0
    private var linesDrawn = 0
    private var lastPlain = -Double.infinity

    public init(inPlace: Bool) { self.inPlace = inPlace }

    /// True when standard output is a terminal.
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    public mutating func show(_ s: SwarmStats) {
        if inPlace {
            var out = linesDrawn > 0 ? "\u{1B}[\(linesDrawn)A" : ""
            let lines = Dashboard.lines(s)
            for line in lines { out += "\u{1B}[2K" + line + "\n" }
            linesDrawn = lines.count
            FileHandle.standardOutput.write(Data(out.utf8))
        } else if s.elapsed - lastPlain >= plainInterval {
            lastPlain = s.elapsed
            FileHandle.standardOutput.write(Data((Dashboard.lines(s).joined(separator: " | ") + "\n").utf8))
        }
    }

    static func lines(_ s: SwarmStats) -> [String] {
        func p(_ q: Double) -> UInt64 { s.rtt.totalCount == 0 ? 0 : s.rtt.valueAtPercentile(q) }
        func g(_ q: Double) -> UInt64 { s.handoffGap.totalCount == 0 ? 0 : s.handoffGap.valueAtPercentile(q) }
        func kb(_ v: Double) -> String { String(format: "%.2f", v / 1024) }
        return [
            String(format: "t=%5.1fs  bots %d/%d connected (peak %d)  disconnects %d  connect failures %d  refused %d",
                   s.elapsed, s.connected, s.target, s.connectedPeak, s.disconnects, s.connectFailures, s.refusedTotal),
            "rtt p50 \(p(50))ms p99 \(p(99))ms max \(s.rtt.max)ms  per bot in \(kb(s.bytesInPerBotPerSecondNow)) KiB/s "
                + "out \(kb(s.bytesOutPerBotPerSecondNow)) KiB/s",
            "handoffs \(s.handoffs) failed \(s.handoffsFailed) gap p50 \(g(50))ms p99 \(g(99))ms max \(s.handoffGap.max)ms  "
                + "shots \(s.shotsFired) client hits \(s.clientHits) confirmed \(s.clientHitsConfirmed)  kills \(s.kills)  coins \(s.coinsPicked)  "
                + String(format: "swarm cpu %.0f%% rss %.0f MiB", s.cpuPercentNow, s.residentMiB),
        ]
    }
}
