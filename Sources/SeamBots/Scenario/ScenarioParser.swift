import Foundation

/// Reads the line-based scenario format (docs/SCENARIOS.md), reporting the first problem with its line and
/// column, as the map parser does.
struct ScenarioParser {
    /// One whitespace-separated word and the 1-based column of its first character.
    struct Word {
        var text: String
        var column: Int
    }

    static let formatVersion = "1"
    static let botsRange = 1...20000
    static let keys = ["map", "bots", "seed", "ramp", "referee", "tick-check", "zone-tick-budget", "swarm-nice", "zone-nice", "swarm-threads", "swarm-scheduling", "zone-tick-phases", "phase"]

    let file: String
    /// The words of each line, comments dropped; index 0 is line 1.
    let lines: [[Word]]

    init(text: String, file: String) {
        self.file = file
        var lines: [[Word]] = []
        // "\r\n" is one Character in Swift, and a newline like "\n".
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lines.append(ScenarioParser.words(line))
        }
        // A final newline does not start another line, and an empty text has none.
        if text.isEmpty || text.last?.isNewline == true { lines.removeLast() }
        self.lines = lines
    }

    /// The words of a line up to a word starting with `#`.
    static func words(_ line: Substring) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        for (offset, scalar) in line.unicodeScalars.enumerated() {
            if scalar == " " || scalar == "\t" {
                if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
                current = ""
                continue
            }
            if current.isEmpty {
                if scalar == "#" { return words }
                start = offset
            }
            current.unicodeScalars.append(scalar)
        }
        if !current.isEmpty { words.append(Word(text: current, column: start + 1)) }
        return words
    }

    func error(_ line: Int, _ column: Int, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: line, column: column, message: message)
    }

    func parse() throws(ScenarioError) -> Scenario {
        var index = try versionLine()
        var seen: [String: Int] = [:]
        var map: (path: String, line: Int)?
        var bots: Int?
        var scenario = Scenario(name: ScenarioParser.name(of: file), mapPath: "", mapLine: 0, bots: 0, phases: [])
        while index < lines.count {
            let words = lines[index]
            let line = index + 1
            index += 1
            guard let key = words.first else { continue }
            let args = Array(words.dropFirst())
            guard ScenarioParser.keys.contains(key.text) else {
                throw error(line, key.column, "unknown key '\(key.text)'; expected one of "
                            + ScenarioParser.keys.joined(separator: ", "))
            }
            if key.text != "phase" {
                if let first = seen[key.text] {
                    throw error(line, key.column, "'\(key.text)' given twice (first on line \(first))")
                }
                seen[key.text] = line
            }
            switch key.text {
            case "map":
                try expect(args, 1, key: key, usage: "map PATH", line: line)
                map = (args[0].text, line)
            case "bots":
                try expect(args, 1, key: key, usage: "bots COUNT", line: line)
                guard let n = Int(args[0].text), ScenarioParser.botsRange.contains(n) else {
                    throw error(line, args[0].column, "expected a number of bots in 1...20000, found '\(args[0].text)'")
                }
                bots = n
            case "seed":
                try expect(args, 1, key: key, usage: "seed NUMBER", line: line)
                guard let n = UInt64(args[0].text) else {
                    throw error(line, args[0].column, "expected a whole number ≥ 0 for the seed, found '\(args[0].text)'")
                }
                scenario.seed = n
            case "ramp":
                try expect(args, 1, key: key, usage: "ramp BOTS-PER-SECOND", line: line)
                guard let r = Double(args[0].text), r.isFinite, r > 0 else {
                    throw error(line, args[0].column, "expected new connections per second (a positive number), found '\(args[0].text)'")
                }
                scenario.ramp = r
            case "referee":
                try expect(args, 1, key: key, usage: "referee live|journal|off", line: line)
                guard let mode = Scenario.RefereeMode(rawValue: args[0].text) else {
                    throw error(line, args[0].column, "expected live, journal or off, found '\(args[0].text)'")
                }
                scenario.referee = mode
            case "tick-check":
                try expect(args, 1, key: key, usage: "tick-check DURATION (e.g. 50ms)", line: line)
                scenario.tickCheckMs = try duration(args[0], line: line) * 1000
            case "zone-tick-budget":
                try expect(args, 1, key: key, usage: "zone-tick-budget PERCENT (e.g. 30%)", line: line)
                let text = args[0].text
                guard text.hasSuffix("%"), let p = Double(text.dropLast()), (10...100).contains(p) else {
                    throw error(line, args[0].column, "expected a percentage from 10% to 100%, found '\(text)'")
                }
                scenario.zoneTickBudgetPercent = p
            case "swarm-nice":
                scenario.swarmNice = try niceness(args, key: key, line: line)
            case "zone-nice":
                scenario.zoneNice = try niceness(args, key: key, line: line)
            case "swarm-scheduling":
                try expect(args, 1, key: key, usage: "swarm-scheduling batch|normal", line: line)
                switch args[0].text {
                case "batch": scenario.swarmBatch = true
                case "normal": scenario.swarmBatch = false
                default: throw error(line, args[0].column, "expected batch or normal, found '\(args[0].text)'")
                }
            case "zone-tick-phases":
                try expect(args, 1, key: key, usage: "zone-tick-phases spread|aligned", line: line)
                switch args[0].text {
                case "spread": scenario.zoneTickSpread = true
                case "aligned": scenario.zoneTickSpread = false
                default: throw error(line, args[0].column, "expected spread or aligned, found '\(args[0].text)'")
                }
            case "swarm-threads":
                try expect(args, 1, key: key, usage: "swarm-threads COUNT (1 to 64)", line: line)
                guard let n = Int(args[0].text), (1...64).contains(n) else {
                    throw error(line, args[0].column, "expected a thread count from 1 to 64, found '\(args[0].text)'")
                }
                scenario.swarmThreads = n
            default:
                scenario.phases.append(try phase(args, key: key, line: line))
            }
        }
        let end = lines.count + 1
        guard let map else { throw error(end, 1, "missing 'map PATH': which map the zones run") }
        guard let bots else { throw error(end, 1, "missing 'bots COUNT': how many bots play") }
        guard !scenario.phases.isEmpty else {
            throw error(end, 1, "missing 'phase DURATION NAME=P% ...': at least one phase, e.g. 'phase 60s wander=100%'")
        }
        scenario.mapPath = map.path
        scenario.mapLine = map.line
        scenario.bots = bots
        return scenario
    }

    /// Checks the `seam-scenario 1` line and returns the index of the line after it.
    private func versionLine() throws(ScenarioError) -> Int {
        for (index, words) in lines.enumerated() {
            guard let first = words.first else { continue }
            guard first.text == "seam-scenario" else {
                throw error(index + 1, first.column, "expected the header 'seam-scenario 1', found '\(first.text)'")
            }
            guard words.count == 2, words[1].text == ScenarioParser.formatVersion else {
                let found = words.count > 1 ? "'\(words.dropFirst().map(\.text).joined(separator: " "))'" : "end of line"
                throw error(index + 1, words.count > 1 ? words[1].column : first.column + 13,
                            "expected 'seam-scenario 1' (this parser reads version 1), found \(found) after 'seam-scenario'")
            }
            return index + 1
        }
        throw error(lines.count + 1, 1, "expected the header 'seam-scenario 1', found end of file")
    }

    private func expect(_ args: [Word], _ count: Int, key: Word, usage: String, line: Int) throws(ScenarioError) {
        if args.count < count {
            throw error(line, key.column + key.text.count, "expected '\(usage)', found end of line")
        }
        if args.count > count {
            throw error(line, args[count].column, "expected end of line after '\(usage)', found '\(args[count].text)'")
        }
    }

    /// `KEY NICENESS`, a niceness from 0 to 19.
    private func niceness(_ args: [Word], key: Word, line: Int) throws(ScenarioError) -> Int {
        try expect(args, 1, key: key, usage: "\(key.text) NICENESS (0 to 19)", line: line)
        guard let n = Int(args[0].text), (0...19).contains(n) else {
            throw error(line, args[0].column, "expected a niceness from 0 to 19, found '\(args[0].text)'")
        }
        return n
    }

    /// `phase DURATION NAME=P% ...`: the percentages add up to 100.
    private func phase(_ args: [Word], key: Word, line: Int) throws(ScenarioError) -> SwarmPhase {
        guard let first = args.first else {
            throw error(line, key.column + key.text.count, "expected 'phase DURATION NAME=P% ...', found end of line")
        }
        let seconds = try duration(first, line: line)
        guard args.count > 1 else {
            throw error(line, first.column + first.text.count,
                        "expected behaviours with percentages after the duration, e.g. 'wander=70% fight=30%', found end of line")
        }
        var weights: [(Behavior, Int)] = []
        for word in args.dropFirst() {
            let parts = word.text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let behavior = Behavior(rawValue: String(parts[0])) else {
                let known = Behavior.allCases.map(\.rawValue).joined(separator: ", ")
                throw error(line, word.column, "unknown behaviour '\(parts[0])'; known: \(known)")
            }
            guard parts.count == 2, parts[1].hasSuffix("%"), let percent = Int(parts[1].dropLast()), (0...100).contains(percent)
            else {
                throw error(line, word.column + parts[0].count + (parts.count == 2 ? 1 : 0),
                            "expected a percentage 0%...100% after '\(parts[0])=', e.g. '\(parts[0])=50%'")
            }
            guard !weights.contains(where: { $0.0 == behavior }) else {
                throw error(line, word.column, "behaviour '\(behavior.rawValue)' given twice in this phase")
            }
            weights.append((behavior, percent))
        }
        let total = weights.reduce(0) { $0 + $1.1 }
        guard total == 100 else {
            throw error(line, args[1].column, "the percentages of a phase must add up to 100%, these add up to \(total)%")
        }
        return SwarmPhase(duration: seconds, behaviors: BehaviorMix(weights: weights))
    }

    /// `500ms`, `30s`, `1.5s`, `10m`: positive, in seconds.
    private func duration(_ word: Word, line: Int) throws(ScenarioError) -> Double {
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60)]
        for (suffix, scale) in units where word.text.hasSuffix(suffix) {
            let number = word.text.dropLast(suffix.count)
            // "10ms" also ends in "s": only a number before the suffix counts.
            guard let value = Double(number), value.isFinite else { continue }
            guard value > 0, value * scale <= 86_400 else {
                throw error(line, word.column, "expected a duration above 0 and at most 24 hours, found '\(word.text)'")
            }
            return value * scale
        }
        throw error(line, word.column, "expected a duration such as 500ms, 30s or 10m, found '\(word.text)'")
    }

    /// `tools/scenarios/continent-2000.scenario` → `continent-2000`.
    static func name(of file: String) -> String {
        let last = (file as NSString).lastPathComponent
        return last.hasSuffix(".scenario") ? String(last.dropLast(".scenario".count)) : last
    }
}
