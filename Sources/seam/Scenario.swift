import ArgumentParser
import Foundation
import Logging
import SeamBots
import SeamNet
import SeamProtocol
import SeamReferee
import SeamWorld

extension Seam {
    struct Scenario: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scenario",
            abstract: "Run a scenario file: its cluster, a bot swarm through its phases, the referee, a verdict.",
            discussion: """
                Starts every zone of the scenario's map as its own `seam zone` process on free ports, a live
                referee when the scenario asks for one, and a swarm that connects on the scenario's ramp and
                switches behaviours at each phase; then stops everything, checks the journals and prints a
                summary. The format of scenario files is in docs/SCENARIOS.md.

                Exit status: 0 when the referee's verdict is clean, no bot was disconnected or failed to
                connect and the tick check (if any) passed; 1 otherwise; bad input (a bad scenario file or
                map, bad flags) also exits 1 with one line on standard error.

                Examples:
                  seam scenario tools/scenarios/smoke.scenario
                  seam scenario tools/scenarios/continent-2000.scenario --duration-scale 0.2
                """
        )

        @Argument(help: "Path of the .scenario file.")
        var file: String

        @Option(help: "Multiply every phase's duration by this factor, e.g. 0.2 for a short trial run.")
        var durationScale: Double = 1

        @Option(help: "Directory for the journals, logs and reports. Default: out/scenario/<name>.")
        var out: String?

        @Option(help: "Bots per ENet client host.")
        var botsPerHost: Int = 500

        @Option(help: "Threads the swarm runs on, overriding the file's swarm-threads.")
        var threads: Int?

        @Option(help: "Protocol version the bots speak: 6 (ghost snapshots, the default) or 5 (delta snapshots).")
        var protocolVersion: UInt16 = Wire.version

        @Flag(help: "Print plain status lines instead of redrawing a dashboard in place.")
        var noDashboard = false

        @OptionGroup var log: LogOptions

        func validate() throws {
            guard durationScale.isFinite, durationScale > 0 else {
                throw ValidationError("--duration-scale must be a positive number, got \(durationScale)")
            }
            guard (1...4000).contains(botsPerHost) else { throw ValidationError("--bots-per-host must be in 1...4000") }
            if let threads, !(1...64).contains(threads) { throw ValidationError("--threads must be in 1...64, got \(threads)") }
            guard protocolVersion == 5 || protocolVersion == 6 else { throw ValidationError("--protocol-version must be 5 or 6") }
        }

        func run() throws {
            let logger = log.makeLogger("seam.scenario")
            var scenario: SeamBots.Scenario
            do { scenario = try SeamBots.Scenario.load(path: file) } catch { throw CLIError(error.description) }
            scenario = scenario.scaled(by: durationScale)
            let gameMap: GameMap
            do { gameMap = try GameMap.load(path: scenario.mapPath) } catch {
                throw CLIError("\(file):\(scenario.mapLine): map: \(error.description)")
            }
            let dir = out ?? "out/scenario/\(scenario.name)"
            let journalDir = (dir as NSString).appendingPathComponent("journal")
            try? FileManager.default.removeItem(atPath: journalDir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            guard let offset = NetHost.freePortOffset(for: gameMap.zones.map(\.port)) else {
                throw CLIError("no free range of ports found for the zones")
            }
            print("scenario \(scenario.name): \(scenario.bots) bots on \(gameMap.name) (\(gameMap.zones.count) zones), "
                  + "ramp \(String(format: "%g", scenario.ramp))/s, \(scenario.phases.count) phases, "
                  + "\(String(format: "%g", scenario.duration)) s, seed \(scenario.seed), referee \(scenario.referee)")
            let zones = try ZoneProcesses(
                map: gameMap, mapPath: scenario.mapPath, host: "127.0.0.1", portOffset: offset,
                capacity: Scenario.zoneCapacity(bots: scenario.bots, zones: gameMap.zones.count), statusInterval: 5, journal: journalDir,
                extra: scenario.zoneTickBudgetPercent.map { ["--tick-budget", String(format: "%g", $0)] } ?? [],
                perZone: scenario.zoneTickSpread ? Self.spreadTickPhases(gameMap) : [:],
                output: .logs(directory: dir))
            defer { zones.stop() }
            print("zones started: \(zones.summary); logs and journals in \(dir)")
            if scenario.zoneTickSpread { print("zones tick at moments spread over the tick period (zone-tick-phases spread)") }
            fflush(nil)
            if let missing = zones.waitUntilReady(logs: dir, timeout: 30) {
                throw CLIError("the zones did not come up: \(missing); see \(dir)/zone-*.log")
            }
            var live: LiveReferee?
            if scenario.referee == .live {
                live = try LiveReferee(mapPath: scenario.mapPath, portOffset: offset, secret: zones.secret, directory: dir)
                if let problem = live?.waitUntilObserving(timeout: 15) {
                    live?.stop()
                    throw CLIError("the live referee did not start: \(problem); see \(dir)/referee-live.log")
                }
            }
            defer { live?.stop() }
            if scenario.zoneNice > 0 {
                for child in zones.children {
                    if let problem = Self.renice(pid: child.process.processIdentifier, to: Int32(scenario.zoneNice)) {
                        throw CLIError("cannot lower zone \(child.zone.id)'s priority: \(problem)")
                    }
                }
                print("zones at nice \(scenario.zoneNice): the swarm is served first")
            }
            // After the zones started (they keep their own niceness and policy): this process runs the swarm.
            let swarmAndReferee = [("swarm", getpid())] + (live.map { [("live referee", $0.process.processIdentifier)] } ?? [])
            if scenario.swarmNice > 0 {
                for (what, pid) in swarmAndReferee {
                    if let problem = Self.renice(pid: pid, to: Int32(scenario.swarmNice)) {
                        throw CLIError("cannot lower the \(what)'s priority: \(problem)")
                    }
                }
                print("swarm and referee at nice \(scenario.swarmNice): the zones are served first")
            }
            if scenario.swarmBatch {
                for (what, pid) in swarmAndReferee {
                    if let problem = Self.scheduleAsBatch(pid: pid) {
                        throw CLIError("cannot put the \(what) under batch scheduling: \(problem)")
                    }
                }
                print("swarm and referee under batch scheduling: waking, they do not preempt a zone's tick")
            }
            installStopHandlers()

            var config = SwarmConfig(
                map: gameMap, targets: gameMap.zones.map { .init(zone: $0, address: zones.address(of: $0)) },
                count: scenario.bots, behaviors: scenario.phases[0].behaviors)
            config.phases = scenario.phases
            config.duration = scenario.duration
            config.seed = scenario.seed
            config.connectRate = scenario.ramp
            config.botsPerHost = botsPerHost
            config.threads = min(scenario.bots, threads ?? scenario.swarmThreads)
            config.protocolVersion = protocolVersion
            let stats = try runSwarm(config, dashboard: !noDashboard && Dashboard.stdoutIsTerminal, logger: logger)
            let liveVerdict = live?.stop()
            zones.stop()

            let reportPath = (dir as NSString).appendingPathComponent("bots.json")
            do { try SwarmReport.write(stats: stats, config: config, to: reportPath) } catch {
                throw CLIError("cannot write report \(reportPath): \(error.localizedDescription)")
            }
            print("")
            print("summary of scenario \(scenario.name) (swarm report in \(reportPath))")
            print(SwarmSummary.totals(stats))
            print(SwarmSummary.handoffs(stats))
            print(SwarmSummary.standbys(stats))
            print(SwarmSummary.swarm(stats))
            SwarmSummary.phases(stats).forEach { print($0) }
            SwarmSummary.zones(stats).forEach { print($0) }
            var failures: [String] = []
            if stats.disconnects > 0 { failures.append("\(stats.disconnects) bots disconnected") }
            if stats.connectFailures > 0 { failures.append("\(stats.connectFailures) bots failed to connect") }
            // A bot a minute without a snapshot from its owner is as lost as a disconnected one (its player may be
            // gone from the world while it stays connected), though no connection closed.
            if stats.longStalls > 0 { failures.append("\(stats.longStalls) bots went 60 s without a snapshot") }
            if let budget = scenario.tickCheckMs {
                let check = SwarmSummary.tickCheck(stats, budgetMs: budget)
                print(check.line)
                if !check.passed { failures.append("tick check") }
                let pace = SwarmSummary.paceCheck(stats)
                print(pace.line)
                if !pace.passed { failures.append("swarm pace") }
            }
            if let liveVerdict {
                print(liveVerdict.line)
                if !liveVerdict.clean { failures.append("live referee: \(liveVerdict.verdict)") }
            }
            if scenario.referee != .off {
                var options = RefereeOptions()
                options.mapCoins = gameMap.coinSpots.count
                let verdict: RefereeReport
                do { verdict = try RefereeRun.check(directory: journalDir, options: options) } catch {
                    throw CLIError("referee: \(error.description)")
                }
                verdict.textLines.prefix(12).forEach { print($0) }
                if !verdict.isClean { failures.append("referee: \(verdict.verdict)") }
            }
            if processStop.isStopped { failures.append("stopped before the end") }
            if let note = SwarmSummary.machineNote(stats) { print(note) }
            print(failures.isEmpty ? "scenario \(scenario.name): PASS"
                  : "scenario \(scenario.name): FAIL (\(failures.joined(separator: "; ")))")
            fflush(nil)
            if !failures.isEmpty { throw ExitCode(1) }
        }
    }
}

extension Seam.Scenario {
    /// Players per zone: room for a quarter of the bots (a hotspot where four zones meet) plus a margin,
    /// not all of them. Every peer slot costs each ENet service a check, so a zone sized for the whole swarm
    /// spends its time walking empty slots.
    static func zoneCapacity(bots: Int, zones: Int) -> Int {
        zones <= 4 ? min(4000, bots + 100) : min(4000, max(400, bots / 4 + 200))
    }

    /// Puts every thread of process `pid` under SCHED_BATCH (threads started later inherit it), keeping each
    /// thread's niceness: the same share of the machine, no preemption on wakeup. Returns what failed, or nil.
    static func scheduleAsBatch(pid: Int32) -> String? {
        // SCHED_BATCH of <linux/sched.h>; Glibc's module leaves it out (it sits behind _GNU_SOURCE).
        let batch: Int32 = 3
        var param = sched_param(sched_priority: 0)
        return forEachThread(of: pid, "sched_setscheduler(SCHED_BATCH)") { sched_setscheduler($0, batch, &param) }
    }

    /// Each zone's `--tick-phase` for `zone-tick-phases spread`: the fractional part of k × 0.618 (the golden
    /// ratio's) for the zone at map position k, so that any run of consecutive zones ticks at moments far apart.
    static func spreadTickPhases(_ map: GameMap) -> [String: [String]] {
        var phases: [String: [String]] = [:]
        for (k, zone) in map.zones.enumerated() {
            let phase = (Double(k) * 0.618_034).truncatingRemainder(dividingBy: 1)
            phases[zone.id] = ["--tick-phase", String(format: "%.4f", phase)]
        }
        return phases
    }

    /// Sets the niceness of every thread of process `pid` (Linux keeps one per thread; threads started
    /// later inherit their creator's). Returns what failed, or nil.
    static func renice(pid: Int32, to nice: Int32) -> String? {
        forEachThread(of: pid, "setpriority(\(nice))") {
            setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t($0), nice)
        }
    }

    /// Calls `apply` (a system call: 0, or -1 with errno) for each thread of process `pid`, stopping at the
    /// first that fails. Returns what failed (`call` names the system call), or nil.
    private static func forEachThread(of pid: Int32, _ call: String, _ apply: (Int32) -> Int32) -> String? {
        let dir = "/proc/\(pid)/task"
        guard let threads = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return "cannot list \(dir)" }
        for tid in threads.compactMap(Int32.init) where apply(tid) != 0 {
            return "\(call) on thread \(tid): \(String(cString: strerror(errno)))"
        }
        return nil
    }
}

