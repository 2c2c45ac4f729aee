extension JournalSummary {
    /// The summary as lines a person reads at a glance.
    public var textLines: [String] {
        var out: [String] = []
        let records = zones.reduce(0) { $0 + $1.records }
        out.append("journal \(directory): \(files.count) file\(files.count == 1 ? "" : "s"), "
                   + "\(zones.count) zone\(zones.count == 1 ? "" : "s"), \(records) records")
        var zoneTable = TextTable(["zone", "records", "ticks", "seconds"], right: [1, 3])
        for z in zones {
            zoneTable.add([z.zone, "\(z.records)", "\(z.firstTick)…\(z.lastTick)",
                           LogFormat.seconds(z.lastMs - z.firstMs)])
        }
        out += zoneTable.lines.map { "  " + $0 }
        let reasons = players.leaveReasons.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
        out.append("players: \(players.joined) joined (\(players.distinct) distinct), \(players.left) left"
                   + (reasons.isEmpty ? "" : " (\(reasons.joined(separator: ", ")))"))
        let h = handoffs
        out.append("handoffs: \(h.offered) offered, \(h.committed) committed, \(h.aborted) aborted, "
                   + "\(h.rejected) rejected, \(h.inDoubt) in doubt (\(h.resolved) resolved)")
        if !borders.isEmpty {
            var table = TextTable(["border", "direction", "offers", "commits", "rejects", "aborts", "in-doubt",
                                   "accept ms p50/p90/p99/max", "commit ms p50/p90/p99/max"],
                                  right: Set(2...8))
            for b in borders {
                for (i, d) in b.directions.enumerated() {
                    table.add([i == 0 ? b.border : "", "\(d.from)→\(d.to)", "\(d.offers)", "\(d.commits)",
                               "\(d.rejects)", "\(d.aborts)", "\(d.inDoubt)",
                               i == 0 ? b.offerToAccept.text : "", i == 0 ? b.offerToCommit.text : ""])
                }
            }
            out += table.lines.map { "  " + $0 }
        }
        if coins.isEmpty {
            out.append("coins: no digest records")
        } else {
            let parts = coins.map { "\($0.zone) \($0.total) (ground \($0.ground), carried \($0.carried), tick \($0.tick))" }
            out.append("coins at each zone's last digest: \(parts.joined(separator: "; ")); cluster total \(coinsTotal)")
        }
        if let message = malformed.message { out.append(message) }
        return out
    }
}

/// Small formatting helpers shared by the text renderings.
public enum LogFormat {
    /// Milliseconds as seconds with one decimal, e.g. `12.3s`.
    public static func seconds(_ ms: Int64) -> String {
        let tenths = (ms + 50) / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }

    /// A position with three decimals, as journaled: `(12.500, 3.000)`.
    public static func position(_ x: Double?, _ y: Double?) -> String {
        guard let x, let y else { return "-" }
        return "(\(fixed3(x)), \(fixed3(y)))"
    }

    static func fixed3(_ v: Double) -> String {
        let milli = Int((v * 1000).rounded())
        let a = abs(milli)
        let frac = String(a % 1000)
        return "\(milli < 0 ? "-" : "")\(a / 1000)." + String(repeating: "0", count: 3 - frac.count) + frac
    }

    /// Wall-clock milliseconds as UTC time of day, `HH:MM:SS.mmm`.
    public static func timeOfDay(_ ms: Int64) -> String {
        let dayMs = ((ms % 86_400_000) + 86_400_000) % 86_400_000
        func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let milli = dayMs % 1000
        let m3 = milli < 10 ? "00\(milli)" : milli < 100 ? "0\(milli)" : "\(milli)"
        return "\(two(dayMs / 3_600_000)):\(two(dayMs / 60_000 % 60)):\(two(dayMs / 1000 % 60)).\(m3)"
    }
}
