import Histogram

extension Histogram {
    /// The value at percentile `q` (0...100), or 0 when nothing was recorded (the histogram itself would trap
    /// or report its lowest trackable value): what every report, summary and dashboard line shows.
    func percentileOrZero(_ q: Double) -> UInt64 {
        totalCount == 0 ? 0 : valueAtPercentile(q)
    }
}
