import Foundation

/// The swarm's own CPU time and memory, so a saturated swarm is not mistaken for a slow server.
enum ProcessUsage {
    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
            + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Resident memory in MiB, from /proc/self/statm (0 where unavailable).
    static func residentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}

/// The whole machine's CPU time from the first line of /proc/stat (Linux; in USER_HZ ticks, all CPUs added):
/// how busy the machine was and how much of its time the hypervisor gave to other guests (steal). A run on a
/// host that steals a sixth of the time is a slower machine, not a slower server.
public struct MachineTimes: Equatable, Sendable {
    /// Every field of the line added up: user, nice, system, idle, iowait, irq, softirq, steal.
    public var total: UInt64
    /// Idle and waiting for I/O.
    public var idle: UInt64
    public var steal: UInt64

    public init(total: UInt64, idle: UInt64, steal: UInt64) {
        self.total = total
        self.idle = idle
        self.steal = steal
    }

    /// Parses the aggregate `cpu` line of /proc/stat; nil for anything else (fewer than eight numbers).
    /// Guest time is already counted in user and nice, so the two fields after steal are not added.
    public static func parse(_ text: Substring) -> MachineTimes? {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true)
        guard fields.first == "cpu", fields.count >= 9 else { return nil }
        var values: [UInt64] = []
        for field in fields[1...8] {
            guard let v = UInt64(field) else { return nil }
            values.append(v)
        }
        return MachineTimes(total: values.reduce(0, +), idle: values[3] + values[4], steal: values[7])
    }

    /// This machine now; nil where /proc/stat is not readable.
    public static func now() -> MachineTimes? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
              let line = text.split(separator: "\n", maxSplits: 1).first else { return nil }
        return parse(line)
    }

    /// Percent of all CPUs' time since `earlier` spent running anything (steal excluded), and stolen.
    public func percents(since earlier: MachineTimes) -> (busy: Double, steal: Double) {
        guard total > earlier.total else { return (0, 0) }
        let span = Double(total - earlier.total)
        let idleSpan = Double(idle &- earlier.idle)
        let stealSpan = Double(steal &- earlier.steal)
        return (max(0, span - idleSpan - stealSpan) / span * 100, stealSpan / span * 100)
    }
}
