import Foundation

/// A swarm run described in a file: the map, how many bots arrive how fast, and phases of behaviour mixes.
/// The format is in docs/SCENARIOS.md; `Scenario.parse` reads it.
public struct Scenario: Sendable, Equatable {
    /// Which referee checks the run.
    public enum RefereeMode: String, Sendable, CaseIterable {
        /// A live referee observes the zones during the run, and the journals are checked after it.
        case live
        /// The journals are checked after the run.
        case journal
        /// No check.
        case off
    }

    /// The file's name without its folder and extension, e.g. `continent-2000`.
    public var name: String
    /// The map file, as written (relative paths are relative to the current directory).
    public var mapPath: String
    /// The line of the `map` key, for errors about the map file.
    public var mapLine: Int
    public var bots: Int
    public var seed: UInt64 = 1
    /// New connections per second.
    public var ramp: Double = 1000
    public var referee = RefereeMode.journal
    /// When set, every zone's tick work p99 (over every tick it reported) must stay within this many milliseconds.
    public var tickCheckMs: Double?
    /// Each zone's `--tick-budget` (percent of the tick period its work may take before it degrades), when
    /// the file sets `zone-tick-budget`; the zone's default otherwise.
    public var zoneTickBudgetPercent: Double?
    /// The niceness (0...19) the swarm and the live referee run at, from `swarm-nice`: above 0, a machine
    /// they share with the zones serves the zones first. 0 (the default) leaves every process equal.
    public var swarmNice = 0
    /// The niceness (0...19) the zones run at, from `zone-nice`: above 0, a machine they share with the swarm
    /// serves the swarm first, as if its bots had machines of their own. 0 (the default) leaves every process equal.
    public var zoneNice = 0
    /// Whether the swarm and the live referee run under Linux's batch scheduling policy, from
    /// `swarm-scheduling batch`: they keep their share of the machine, but waking up they no longer take a
    /// core from a zone in the middle of its tick (the kernel does not let a batch thread preempt on
    /// wakeup). `normal` (the default) leaves the policy alone.
    public var swarmBatch = false
    /// Whether the zones tick at moments spread over the tick period, from `zone-tick-phases spread`: the
    /// zone at map position k runs its tick's work at the fractional part of k × 0.618 of the period (each
    /// zone's `--tick-phase`), so zones sharing few cores do not all wake at once. `aligned` (the default):
    /// every zone ticks at the start of the period.
    public var zoneTickSpread = false
    /// Threads the swarm runs on, from `swarm-threads` (1 by default; `SwarmThreads`).
    public var swarmThreads = 1
    public var phases: [SwarmPhase]

    /// Seconds from the first connect to the end of the last phase.
    public var duration: Double { phases.reduce(0) { $0 + $1.duration } }

    /// The same scenario with every phase `factor` times as long (for a short trial of a long scenario).
    public func scaled(by factor: Double) -> Scenario {
        var s = self
        for i in s.phases.indices { s.phases[i].duration *= factor }
        return s
    }

    /// Reads and parses a scenario file. Throws a `ScenarioError` naming the file, line and column.
    public static func load(path: String) throws(ScenarioError) -> Scenario {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ScenarioError(file: path, line: 0, column: 0, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: path)
    }

    /// Parses the text of a scenario file; `file` names it in errors and gives the scenario its name.
    public static func parse(_ text: String, file: String) throws(ScenarioError) -> Scenario {
        try ScenarioParser(text: text, file: file).parse()
    }
}

/// A problem in a scenario file, as `file:line:column: message` (`file: message` when it could not be read).
public struct ScenarioError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when the file could not be read.
    public var line: Int
    /// 1-based, in Unicode scalars; 0 when the file could not be read.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line == 0 ? "\(file): \(message)" : "\(file):\(line):\(column): \(message)"
    }
}
