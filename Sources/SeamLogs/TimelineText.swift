extension LogRecord {
    /// `from→to` of a handoff record, or `-`.
    public var routeText: String {
        guard let from, let to else { return "-" }
        return "\(from)→\(to)"
    }

    /// The record's details: digest, reason or cause, join name, coin totals; `-` when none.
    public var detailText: String {
        var parts: [String] = []
        if let name { parts.append("name \(name)") }
        if let digest { parts.append("digest \(digest)") }
        if let reason { parts.append("reason \(reason)") }
        if let g = coinsGround, let c = coinsCarried { parts.append("coins ground \(g) carried \(c)") }
        return parts.isEmpty ? "-" : parts.joined(separator: ", ")
    }

    /// One line for `--follow`: UTC time of day, zone, tick, type, player, epoch, route, position, details.
    public var followLine: String {
        var line = "\(LogFormat.timeOfDay(ms))  \(zone)  tick \(tick)  \(type)"
        if let player { line += "  player \(player)" }
        if let epoch { line += "  epoch \(epoch)" }
        if from != nil { line += "  \(routeText)" }
        if x != nil { line += "  \(LogFormat.position(x, y))" }
        let detail = detailText
        if detail != "-" { line += "  \(detail)" }
        return line
    }
}

extension PlayerTimeline {
    /// The timeline as lines: a header, one line per record (offset in ms from the player's first record),
    /// and the owner history.
    public var textLines: [String] {
        let records = self.records
        guard let first = records.first else { return ["player \(player): no records"] }
        let zones = Set(records.map(\.zone)).count
        var out = ["player \(player): \(records.count) records in \(zones) zone\(zones == 1 ? "" : "s") over "
                   + "\(LogFormat.seconds(records.last!.ms - first.ms)), first at \(LogFormat.timeOfDay(first.ms)) UTC"]
        var table = TextTable(["+ms", "zone", "tick", "type", "epoch", "from→to", "position", "detail"], right: [0, 2, 4])
        for r in records {
            table.add(["\(r.ms - first.ms)", r.zone, "\(r.tick)", r.type, r.epoch.map { "\($0)" } ?? "-",
                       r.routeText, LogFormat.position(r.x, r.y), r.detailText])
        }
        out += table.lines.map { "  " + $0 }
        out.append("owners:")
        let owners = self.owners
        if owners.isEmpty { out.append("  (no join or accept seen)") }
        for o in owners {
            let end = o.endMs.map { "+\($0 - first.ms)" } ?? "end"
            out.append("  \(o.zone)  epoch \(o.epoch.map { "\($0)" } ?? "?")  +\(o.startMs - first.ms) … \(end) ms"
                       + (o.end.map { "  (\($0))" } ?? "  (still owned at end of journal)"))
        }
        return out
    }
}
