/// How late the relay sent packets after their due time: its own added delay (waking up, reading the
/// batch that woke it, sending the ones before), in 10 µs buckets up to 10 ms, 1 ms buckets up to 1 s,
/// and one bucket beyond.
public struct LatenessHistogram: Sendable, Equatable, Encodable {
    static let fineNanos: UInt64 = 10_000
    static let fineBuckets = 1_000
    static let coarseNanos: UInt64 = 1_000_000
    static let coarseBuckets = 990
    static let overflow = fineBuckets + coarseBuckets

    private var counts = [UInt64](repeating: 0, count: LatenessHistogram.overflow + 1)
    public private(set) var samples: UInt64 = 0
    public private(set) var maxNanos: UInt64 = 0

    public init() {}

    public mutating func record(_ nanos: UInt64) {
        counts[Self.bucket(of: nanos)] += 1
        samples += 1
        maxNanos = max(maxNanos, nanos)
    }

    static func bucket(of nanos: UInt64) -> Int {
        let fineEnd = fineNanos * UInt64(fineBuckets)
        if nanos < fineEnd { return Int(nanos / fineNanos) }
        return min(fineBuckets + Int((nanos - fineEnd) / coarseNanos), overflow)
    }

    /// The exclusive upper bound of a bucket below the overflow one.
    static func upperBound(of bucket: Int) -> UInt64 {
        bucket < fineBuckets
            ? UInt64(bucket + 1) * fineNanos
            : fineNanos * UInt64(fineBuckets) + UInt64(bucket - fineBuckets + 1) * coarseNanos
    }

    /// The upper bound of the bucket holding the `p`-th percentile (0…100), capped at the maximum seen;
    /// 0 without samples.
    public func percentileNanos(_ p: Double) -> UInt64 {
        guard samples > 0 else { return 0 }
        let rank = max(UInt64((Double(samples) * p / 100).rounded(.up)), 1)
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() {
            seen += c
            if seen >= rank { return i == Self.overflow ? maxNanos : min(Self.upperBound(of: i), maxNanos) }
        }
        return maxNanos
    }

    enum CodingKeys: String, CodingKey { case samples, p50 = "p50_us", p99 = "p99_us", max = "max_us" }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(samples, forKey: .samples)
        try c.encode(percentileNanos(50) / 1_000, forKey: .p50)
        try c.encode(percentileNanos(99) / 1_000, forKey: .p99)
        try c.encode(maxNanos / 1_000, forKey: .max)
    }
}
