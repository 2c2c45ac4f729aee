import Histogram
import SeamProtocol

/// What the swarm heard of one zone's load from its ZoneStatus messages: the newest report, and over the run
/// the per-second tick times in HDR histograms.
///
/// Every playing bot of a zone receives the same report; only the first copy of each (the newest tick) counts.
public struct ZoneLoad: Sendable {
    public let id: String
    public let index: Int
    public private(set) var latest: ZoneStatusReport?
    /// Seconds into the run when `latest` arrived.
    public private(set) var heardAt = 0.0
    /// Per-second tick work p50s and p99s as reported, in microseconds, one sample per report.
    public private(set) var tickP50 = ZoneLoad.histogram()
    public private(set) var tickP99 = ZoneLoad.histogram()
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
        tickP50.record(UInt64(report.tickP50Micros))
        tickP99.record(UInt64(report.tickP99Micros))
        tickMaxMicros = max(tickMaxMicros, report.tickMaxMicros)
        playersPeak = max(playersPeak, Int(report.players))
        if report.isDegrading { degradingReports += 1 }
        return true
    }

    /// The newest report, unless the zone has been silent for more than `seconds` (no playing bot left there,
    /// or the zone is gone).
    public func current(at elapsed: Double, within seconds: Double = 2.5) -> ZoneStatusReport? {
        elapsed - heardAt <= seconds ? latest : nil
    }

    public var reports: UInt64 { tickP99.totalCount }

    /// The run's p50 of the per-second p50s, in microseconds (0 before the first report).
    public var runTickP50Micros: UInt64 { tickP50.totalCount == 0 ? 0 : tickP50.valueAtPercentile(50) }
    /// The run's p99 of the per-second p99s, in microseconds: the tick time the zone stayed under in 99% of
    /// its seconds.
    public var runTickP99Micros: UInt64 { tickP99.totalCount == 0 ? 0 : tickP99.valueAtPercentile(99) }

    static func histogram() -> Histogram<UInt64> {
        Histogram<UInt64>(highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)
    }
}
