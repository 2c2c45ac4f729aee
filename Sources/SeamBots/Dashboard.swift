import Foundation

/// The swarm's live view. On a terminal it redraws in place once a second; otherwise it prints a plain
/// line every `plainInterval` seconds, so logs stay readable.
public struct Dashboard {
    public let inPlace: Bool
    public var plainInterval = 5.0
    private var linesDrawn = 0
    private var lastPlain = -Double.infinity
    private var phaseShown = 0

    /// Zones per block of the in-place zone table, so 16 zones stay within about 80 columns.
    static let zonesPerRow = 8

    public init(inPlace: Bool) { self.inPlace = inPlace }

    /// True when standard output is a terminal.
    public static var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }

    public mutating func show(_ s: SwarmStats) {
        if inPlace {
            var out = linesDrawn > 0 ? "\u{1B}[\(linesDrawn)A" : ""
            let lines = Dashboard.lines(s) + Dashboard.zoneTable(s)
            for line in lines { out += "\u{1B}[2K" + line + "\n" }
            linesDrawn = lines.count
            FileHandle.standardOutput.write(Data(out.utf8))
            return
        }
        var out = ""
        if let phase = s.phases.last, phase.index != phaseShown {
            phaseShown = phase.index
            out += String(format: "t=%5.1fs  ", s.elapsed) + Dashboard.phaseLabel(s) + " begins\n"
        }
        if s.elapsed - lastPlain >= plainInterval {
            lastPlain = s.elapsed
            let zones = Dashboard.zoneLine(s)
            out += (Dashboard.lines(s) + (zones.isEmpty ? [] : [zones])).joined(separator: " | ") + "\n"
        }
        if !out.isEmpty { FileHandle.standardOutput.write(Data(out.utf8)) }
    }

    static func lines(_ s: SwarmStats) -> [String] {
        func p(_ q: Double) -> UInt64 { s.rtt.percentileOrZero(q) }
        func g(_ q: Double) -> UInt64 { s.handoffGap.percentileOrZero(q) }
        func kb(_ v: Double) -> String { String(format: "%.2f", v / 1024) }
        let phase = s.phaseCount > 1 ? "  " + phaseLabel(s) : ""
        return [
            String(format: "t=%5.1fs  bots %d/%d connected (peak %d)  disconnects %d  connect failures %d  refused %d",
                   s.elapsed, s.connected, s.target, s.connectedPeak, s.disconnects, s.connectFailures, s.refusedTotal)
                + phase,
            "rtt p50 \(p(50))ms p99 \(p(99))ms max \(s.rtt.max)ms  per bot in \(kb(s.bytesInPerBotPerSecondNow)) KiB/s "
                + "out \(kb(s.bytesOutPerBotPerSecondNow)) KiB/s",
            "handoffs \(s.handoffs) (\(Int(s.handoffsPerSecondNow.rounded()))/s) failed \(s.handoffsFailed) "
                + "gap p50 \(g(50))ms p99 \(g(99))ms max \(s.handoffGap.max)ms stalls \(s.stalls)  "
                + "shots \(s.shotsFired) client hits \(s.clientHits) confirmed \(s.clientHitsConfirmed)  kills \(s.kills)  coins \(s.coinsPicked)  "
                + String(format: "swarm cpu %.0f%% ticks %.1f/s late p99 %dms rss %.0f MiB  machine busy %.0f%% steal %.0f%%",
                         s.cpuPercentNow, s.ticksPerSecondNow, s.tickLateness.percentileOrZero(99), s.residentMiB,
                         s.machineBusyPercentNow, s.machineStealPercentNow),
        ]
    }

    /// `phase 2/3 hotspot=100`.
    static func phaseLabel(_ s: SwarmStats) -> String {
        guard let phase = s.phases.last else { return "" }
        return "phase \(phase.index + 1)/\(s.phaseCount) \(phase.behaviors)"
    }

    /// The zones heard from as columns, eight to a block: players owned, tick work p50 and p99 over the last
    /// second in milliseconds (`*` after the p99 when the zone is degrading); `-` for a zone that is silent.
    static func zoneTable(_ s: SwarmStats) -> [String] {
        guard s.zones.contains(where: { $0.latest != nil }) else { return [] }
        // A space, the value right-aligned in six columns, then a mark (`*` degrading) that keeps columns aligned.
        func cell(_ text: String, mark: String = " ") -> String {
            " " + String(repeating: " ", count: max(0, 6 - text.count)) + text + mark
        }
        func line(_ parts: [String]) -> String {
            var text = parts.joined()
            while text.last == " " { text.removeLast() }
            return text
        }
        var lines: [String] = []
        var start = 0
        while start < s.zones.count {
            let block = s.zones[start..<min(s.zones.count, start + zonesPerRow)]
            var names = ["zone       "], players = ["players    "], p50 = ["tick p50 ms"], p99 = ["tick p99 ms"]
            for z in block {
                names.append(cell(z.id))
                let r = z.current(at: s.elapsed)
                players.append(cell(r.map { "\($0.players)" } ?? "-"))
                p50.append(cell(r.map { ms($0.tickP50Micros) } ?? "-"))
                p99.append(cell(r.map { ms($0.tickP99Micros) } ?? "-", mark: r?.isDegrading == true ? "*" : " "))
            }
            lines += [names, players, p50, p99].map(line)
            start += zonesPerRow
        }
        return lines
    }

    /// The zone table on one line for plain output: `zones (players tick p50/p99 ms): a1 125 1.2/2.1 ...`.
    static func zoneLine(_ s: SwarmStats) -> String {
        let heard = s.zones.compactMap { z in z.current(at: s.elapsed).map { (z.id, $0) } }
        guard !heard.isEmpty else { return "" }
        return "zones (players tick p50/p99 ms): " + heard.map { id, r in
            "\(id) \(r.players) \(ms(r.tickP50Micros))/\(ms(r.tickP99Micros))\(r.isDegrading ? "*" : "")"
        }.joined(separator: "  ")
    }

    /// Microseconds as milliseconds with one decimal.
    static func ms(_ micros: UInt32) -> String { String(format: "%.1f", Double(micros) / 1000) }
}
