import Histogram
import SeamProtocol

/// What the swarm heard of one zone's load from its ZoneStatus messages: the newest report, and over the run
/// every tick's work and each second's longest tick in HDR histograms.
///
/// Every playing bot of a zone receives the same report; only the first copy of each (the newest tick) counts.
public struct ZoneLoad: Sendable {
    public let id: String
    public let index: Int
    public private(set) var latest: ZoneStatusReport?
    /// Seconds into the run when `latest` arrived.
    public private(set) var heardAt = 0.0
    /// Every tick's work the reports listed, in microseconds.
    public private(set) var tickWork = ZoneLoad.histogram()
    /// Each report's longest tick (with 20 ticks a second, also its p99), one sample per report.
    public private(set) var secondMax = ZoneLoad.histogram()
    /// The largest per-second maximum reported.
    public private(set) var tickMaxMicros: UInt32 = 0
    public private(set) var playersPeak = 0
    /// Reports in which the zone said it was degrading (about one per second).
    public private(set) var degradingReports = 0

    public init(id: String, index: Int) {
        self.id = id
        self.index = index
    }

    /// Takes a report unless it is a copy of, or older than, one already taken. Returns whether it was new.
    @discardableResult
    public mutating func note(_ report: ZoneStatusReport, at elapsed: Double) -> Bool {
        if let last = latest, Int32(bitPattern: report.tick &- last.tick) <= 0 { return false }
        latest = report
        heardAt = elapsed
        for t in report.tickMicros { tickWork.record(UInt64(t)) }
        let longest = report.tickMaxMicros
        secondMax.record(UInt64(longest))
        tickMaxMicros = max(tickMaxMicros, longest)
        playersPeak = max(playersPeak, Int(report.players))
        if report.isDegrading { degradingReports += 1 }
        return true
    }

    /// The newest report, unless the zone has been silent for more than `seconds` (no playing bot left there,
    /// or the zone is gone).
    public func current(at elapsed: Double, within seconds: Double = 2.5) -> ZoneStatusReport? {
        elapsed - heardAt <= seconds ? latest : nil
    }

    public var reports: UInt64 { secondMax.totalCount }

    /// The run's tick work p50 and p99 over every tick reported, in microseconds (0 before the first report).
    public var runTickP50Micros: UInt64 { tickWork.percentileOrZero(50) }
    public var runTickP99Micros: UInt64 { tickWork.percentileOrZero(99) }
    /// The p99 of the seconds' longest ticks: the tick time the zone stayed under in all but 1% of its
    /// seconds, a stricter figure than the p99 (about its 99.95th percentile at 20 ticks a second).
    public var runSecondMaxP99Micros: UInt64 { secondMax.percentileOrZero(99) }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }
}
