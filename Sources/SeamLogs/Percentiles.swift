/// Nearest-rank percentiles: the p-th percentile of n sorted values is the value at rank ⌈p/100 · n⌉.
public enum Percentiles {
    /// The `p`-th percentile (0...100) of `sorted` (ascending); nil when empty.
    public static func value(_ p: Double, ofSorted sorted: [Int64]) -> Int64? {
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}

/// Count, p50, p90, p99 and maximum of a set of latencies in milliseconds.
public struct LatencySummary: Equatable, Sendable {
    public var count: Int
    /// nil when `count` is 0.
    public var p50: Int64?
    public var p90: Int64?
    public var p99: Int64?
    public var max: Int64?

    /// Summarizes `values` (any order).
    public init(_ values: [Int64]) {
        let sorted = values.sorted()
        count = sorted.count
        p50 = Percentiles.value(50, ofSorted: sorted)
        p90 = Percentiles.value(90, ofSorted: sorted)
        p99 = Percentiles.value(99, ofSorted: sorted)
        max = sorted.last
    }

    /// "p50/p90/p99/max", or "-" when there are no values.
    public var text: String {
        guard let p50, let p90, let p99, let max else { return "-" }
        return "\(p50)/\(p90)/\(p99)/\(max)"
    }
}
