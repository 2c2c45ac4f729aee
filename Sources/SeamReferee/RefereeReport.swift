/// The invariants the referee checks (docs/REFEREE.md). The raw value is the id used in reports.
public enum Invariant: String, CaseIterable, Comparable, Sendable {
    case singleOwner = "single-owner"
    case epochsGrow = "epochs-grow"
    case handoffResolves = "handoff-resolves"
    case stateIntact = "state-intact"
    case speedLimit = "speed-limit"
    case playerOwned = "player-owned"
    case coins = "coins"
    case shotOnce = "shot-once"
    case killOnce = "kill-once"

    public static func < (a: Invariant, b: Invariant) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One broken invariant: what went wrong in a sentence and the records that show it.
public struct RefereeViolation: Equatable, Sendable {
    public var invariant: Invariant
    public var explanation: String
    /// The records involved, as JSON objects with the journal's keys (zone, tick, epoch … and `source`).
    public var evidence: [RefereeJSON]

    public init(invariant: Invariant, explanation: String, evidence: [RefereeJSON]) {
        self.invariant = invariant; self.explanation = explanation; self.evidence = evidence
    }

    public var jsonValue: RefereeJSON {
        .object([
            "invariant": .string(invariant.rawValue),
            "explanation": .string(explanation),
            "evidence": .array(evidence),
        ])
    }
}

/// What was looked at.
public struct RefereeChecked: Equatable, Sendable {
    /// Records fed to the referee (malformed lines not included).
    public var records = 0
    /// Distinct players seen (joined, or first seen in another record).
    public var players = 0
    /// Handoffs accepted (accept records).
    public var handoffs = 0
    /// Distinct coin ids seen in pickup, drop and handoff records.
    public var coins = 0
    /// Hit records.
    public var shots = 0
    /// Kill records.
    public var kills = 0
    /// Distinct zones.
    public var zones = 0

    public init() {}

    public var jsonValue: RefereeJSON {
        .object([
            "records": .int(Int64(records)), "players": .int(Int64(players)), "handoffs": .int(Int64(handoffs)),
            "coins": .int(Int64(coins)), "shots": .int(Int64(shots)), "kills": .int(Int64(kills)),
            "zones": .int(Int64(zones)),
        ])
    }
}

/// Lines that could not be read as records: counted and reported, never a violation.
public struct MalformedLines: Equatable, Sendable {
    public var count = 0
    /// The first few, as `file:line: reason`.
    public var examples: [String] = []
    public static let exampleLimit = 10

    public init() {}

    public mutating func note(_ text: String) {
        count += 1
        if examples.count < Self.exampleLimit { examples.append(text) }
    }

    public mutating func merge(_ other: MalformedLines) {
        count += other.count
        examples.append(contentsOf: other.examples.prefix(max(0, Self.exampleLimit - examples.count)))
    }

    public var jsonValue: RefereeJSON {
        .object(["count": .int(Int64(count)), "examples": .array(examples.map { .string($0) })])
    }
}

/// The referee's verdict over one stream of records.
public struct RefereeReport: Equatable, Sendable {
    /// "clean" or "violations".
    public var verdict: String { violationCounts.isEmpty ? "clean" : "violations" }
    public var isClean: Bool { violationCounts.isEmpty }
    /// The violations kept: at most `RefereeOptions.violationsPerInvariant` per invariant, in the order found.
    public var violations: [RefereeViolation]
    /// How many violations each invariant had in all (kept or not).
    public var violationCounts: [Invariant: Int]
    public var checked: RefereeChecked
    public var malformed: MalformedLines
    /// Whether end-of-input checks ran (`Referee.finish()`), as opposed to an interim report.
    public var final: Bool

    /// The invariants that were broken, in report order.
    public var brokenInvariants: [Invariant] { violationCounts.keys.sorted() }

    /// How many violations of `invariant` were counted but not kept.
    public func omitted(_ invariant: Invariant) -> Int {
        (violationCounts[invariant] ?? 0) - violations.filter { $0.invariant == invariant }.count
    }

    public var jsonValue: RefereeJSON {
        var counts: [String: RefereeJSON] = [:]
        var omittedCounts: [String: RefereeJSON] = [:]
        for (inv, n) in violationCounts {
            counts[inv.rawValue] = .int(Int64(n))
            let o = omitted(inv)
            if o > 0 { omittedCounts[inv.rawValue] = .int(Int64(o)) }
        }
        return .object([
            "verdict": .string(verdict),
            "violations": .array(violations.map(\.jsonValue)),
            "violation_counts": .object(counts),
            "violations_omitted": .object(omittedCounts),
            "checked": checked.jsonValue,
            "malformed_lines": malformed.jsonValue,
            "final": .bool(final),
        ])
    }

    /// The report as pretty JSON with sorted keys, ending with a newline.
    public var jsonText: String { jsonValue.text(pretty: true) + "\n" }

    /// The report for a person to read.
    public var textLines: [String] {
        var lines: [String] = []
        let total = violationCounts.values.reduce(0, +)
        lines.append(isClean ? "referee: clean" : "referee: \(total) violation\(total == 1 ? "" : "s")")
        let c = checked
        lines.append("checked: \(c.records) records, \(c.zones) zones, \(c.players) players, \(c.handoffs) handoffs, "
            + "\(c.coins) coins, \(c.shots) shots, \(c.kills) kills")
        if malformed.count > 0 {
            lines.append("malformed lines (skipped, not violations): \(malformed.count)")
            for e in malformed.examples { lines.append("  \(e)") }
        }
        for inv in brokenInvariants {
            let n = violationCounts[inv] ?? 0
            lines.append("")
            lines.append("[\(inv.rawValue)] \(n) violation\(n == 1 ? "" : "s")")
            for v in violations where v.invariant == inv {
                lines.append("  - \(v.explanation)")
                for e in v.evidence { lines.append("      \(e.text())") }
            }
            let o = omitted(inv)
            if o > 0 { lines.append("  … and \(o) more not shown") }
        }
        return lines
    }
}
