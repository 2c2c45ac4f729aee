import Foundation
import Histogram

/// The end-of-run summary of a swarm as lines for people: totals, handoffs, each phase, each zone.
public enum SwarmSummary {
    /// Bots, RTT, bandwidth, shots, kills, coins in one line.
    public static func totals(_ s: SwarmStats) -> String {
        let p50 = s.rtt.percentileOrZero(50)
        let p99 = s.rtt.percentileOrZero(99)
        return "bots: target \(s.target), connected peak \(s.connectedPeak), disconnects \(s.disconnects), "
            + "connect failures \(s.connectFailures), refused \(s.refusedTotal); rtt p50 \(p50) ms p99 \(p99) ms; "
            + String(format: "per bot in %.0f B/s out %.0f B/s; ", s.bytesInPerBotPerSecond, s.bytesOutPerBotPerSecond)
            + "shots \(s.shotsFired) confirmed \(s.shotsConfirmed); kills \(s.kills); coins picked \(s.coinsPicked)"
    }

    /// Handoffs with their rate and gap.
    public static func handoffs(_ s: SwarmStats) -> String {
        "handoffs: \(s.handoffs) (" + String(format: "%.1f/s, busiest second %.0f/s", s.handoffsPerSecond,
                                               s.handoffsPerSecondMax)
            + "), failed \(s.handoffsFailed); gap \(spread(s.handoffGap))\(named(s.longestHandoffGap)); "
            + "stalls \(s.stalls) (\(s.longStalls) past 60 s), misdirected \(s.misdirected)"
    }

    /// The standby connections: how many attached, were refused or lost, how long attaching took, and how long
    /// of that was ENet's handshake.
    public static func standbys(_ s: SwarmStats) -> String {
        "standbys: \(s.standbysOpened) opened, \(s.standbysAttached) attached, \(s.standbysRefused) refused, "
            + "\(s.standbysLost) lost, \(s.standbysReplaced) replaced; attach \(spread(s.standbyAttach)) (connect \(spread(s.standbyConnect)))"
            + named(s.slowestStandbyAttach)
    }

    /// The swarm's own pace and cost: its ticks (each sends every playing bot's input), how late they began,
    /// the ticks it gave up, its CPU and memory.
    public static func swarm(_ s: SwarmStats) -> String {
        String(format: "swarm: %d ticks (%.2f/s of %d), late \(spread(s.tickLateness)), skipped %d; cpu %.1f s (%.0f%% of a core), rss %.0f MiB",
               s.ticks, s.ticksPerSecond, Swarm.tickRate, s.ticksSkipped, s.cpuSeconds,
               s.elapsed > 0 ? s.cpuSeconds / s.elapsed * 100 : 0, s.residentMiB)
            + String(format: "\nmachine: %d CPUs busy %.0f%% of the time, %.0f%% stolen by the hypervisor", ProcessInfo.processInfo.activeProcessorCount,
                     s.machineBusyPercent, s.machineStealPercent)
    }

    /// A line for a run on a machine whose hypervisor took a share of its time worth naming (5% or more):
    /// the timing checks (tick p99, the swarm's pace) then ran on fewer cores than the machine says it has.
    public static func machineNote(_ s: SwarmStats) -> String? {
        guard s.machineStealPercent >= 5 else { return nil }
        return String(format: "note: the hypervisor took %.0f%% of the machine's time during this run; its timing checks ran on a smaller machine than its %d CPUs",
                      s.machineStealPercent, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// A histogram of milliseconds as the summary shows it: "p50 … ms p99 … ms max … ms".
    static func spread(_ h: Histogram<UInt64>) -> String {
        "p50 \(h.percentileOrZero(50)) ms p99 \(h.percentileOrZero(99)) ms max \(h.max) ms"
    }

    /// " (player … to … at … s)" for the gap or wait it names, with ", … ms before the Owner" for a handoff
    /// gap; nothing without one.
    static func named(_ g: LongestGap?) -> String {
        g.map { g in
            let before = g.beforeOwnerMs.map { ", \($0) ms before the Owner" } ?? ""
            return " (player \(g.player) to \(g.zone) at \(Int(g.atSecond)) s\(before))"
        } ?? ""
    }

    /// One line per phase: when, the mix, what happened, RTT and the zones' tick p99.
    public static func phases(_ s: SwarmStats) -> [String] {
        s.phases.map { p in
            let c = p.counts
            let rtt = p.rtt.percentileOrZero(99)
            let tick = p.zoneTickWork.percentileOrZero(99)
            let worst = p.worstZone.map { " (worst \($0.id) \(Dashboard.ms($0.micros)))" } ?? ""
            return "phase \(p.index + 1)/\(s.phaseCount) \(p.behaviors) "
                + String(format: "%.0f-%.0f s: ", p.start, p.end)
                + "handoffs \(c.handoffs) (" + String(format: "%.1f/s", p.seconds > 0 ? Double(c.handoffs) / p.seconds : 0)
                + "), shots \(c.shotsFired) confirmed \(c.shotsConfirmed), kills \(c.kills), coins \(c.coinsPicked), "
                + "disconnects \(c.disconnects); rtt p99 \(rtt) ms; zone tick p99 \(Dashboard.ms(UInt32(clamping: tick))) ms"
                + worst
        }
    }

    /// The zones as a table, eight to a block: peak players, and over the run the tick work p50 and p99 of
    /// every tick, the p99 of the seconds' longest ticks, and the longest tick, in milliseconds.
    public static func zones(_ s: SwarmStats) -> [String] {
        let heard = s.zones.filter { $0.reports > 0 }
        guard !heard.isEmpty else { return ["zones: no ZoneStatus received"] }
        func cell(_ text: String) -> String { String(repeating: " ", count: max(0, 7 - text.count)) + text }
        var lines: [String] = []
        var start = 0
        while start < heard.count {
            let block = heard[start..<min(heard.count, start + Dashboard.zonesPerRow)]
            lines.append("zone         " + block.map { cell($0.id) }.joined(separator: " "))
            lines.append("players peak " + block.map { cell("\($0.playersPeak)") }.joined(separator: " "))
            lines.append("tick p50 ms  " + block.map { cell(Dashboard.ms(UInt32(clamping: $0.runTickP50Micros))) }.joined(separator: " "))
            lines.append("tick p99 ms  " + block.map { cell(Dashboard.ms(UInt32(clamping: $0.runTickP99Micros))) }.joined(separator: " "))
            lines.append("1 s max p99  " + block.map { cell(Dashboard.ms(UInt32(clamping: $0.runSecondMaxP99Micros))) }.joined(separator: " "))
            lines.append("tick max ms  " + block.map { cell(Dashboard.ms($0.tickMaxMicros)) }.joined(separator: " "))
            lines.append("degrading s  " + block.map { cell("\($0.degradingReports)") }.joined(separator: " "))
            start += Dashboard.zonesPerRow
        }
        return lines
    }

    /// Whether the swarm ran at least `SwarmSummary.paceShare` of the ticks of its play (`playSeconds` at
    /// `Swarm.tickRate`), as a line: below it the zones had less load than the scenario asked for, and what
    /// the run says of them does not hold for the count it names.
    public static func paceCheck(_ s: SwarmStats) -> (passed: Bool, line: String) {
        let due = max(1, Int((s.playSeconds * Double(Swarm.tickRate)).rounded()))
        let share = Double(s.ticks) / Double(due)
        let passed = share >= paceShare
        return (passed, String(format: "swarm pace: %d of %d ticks (%.1f%%), %d skipped, late p99 %d ms: %@",
                               s.ticks, due, share * 100, s.ticksSkipped, Int(s.tickLateness.percentileOrZero(99)),
                               passed ? "ok" : String(format: "FAILED (below %.0f%%: the swarm fell behind)", paceShare * 100)))
    }

    /// The least share of its ticks a swarm must run for the pace check (98%).
    public static let paceShare = 0.98

    /// Whether every zone's tick work p99 over the run (every tick it reported) stayed within `budgetMs`, as
    /// a line, with the zones over it.
    public static func tickCheck(_ s: SwarmStats, budgetMs: Double) -> (passed: Bool, line: String) {
        let budget = UInt64(budgetMs * 1000)
        let over = s.zones.filter { $0.runTickP99Micros > budget }
        let worst = s.zones.max { $0.runTickP99Micros < $1.runTickP99Micros }
        let worstText = worst.map { " (worst \($0.id) \(Dashboard.ms(UInt32(clamping: $0.runTickP99Micros))) ms)" } ?? ""
        let limit = String(format: "%g", budgetMs)
        if over.isEmpty {
            return (true, "tick check: every zone's tick p99 within \(limit) ms: passed\(worstText)")
        }
        let names = over.map { "\($0.id) \(Dashboard.ms(UInt32(clamping: $0.runTickP99Micros))) ms" }
        return (false, "tick check: tick p99 over \(limit) ms in \(over.count) zone\(over.count == 1 ? "" : "s"): "
                + names.joined(separator: ", ") + ": FAILED")
    }
}
