/// How late the relay sent packets after their due time: its own added delay (waking up, reading the
/// batch that woke it, sending the ones before), in 10 µs buckets up to 10 ms and one bucket beyond.
public struct LatenessHistogram: Sendable, Equatable, Encodable {
    static let bucketNanos: UInt64 = 10_000
    static let buckets = 1_000

    private var counts = [UInt64](repeating: 0, count: LatenessHistogram.buckets + 1)
    public private(set) var samples: UInt64 = 0
    public private(set) var maxNanos: UInt64 = 0

    public init() {}

    public mutating func record(_ nanos: UInt64) {
        counts[Int(min(nanos / Self.bucketNanos, UInt64(Self.buckets)))] += 1
        samples += 1
        maxNanos = max(maxNanos, nanos)
    }

    /// The upper bound of the bucket holding the `p`-th percentile (0…100), capped at the maximum seen;
    /// 0 without samples.
    public func percentileNanos(_ p: Double) -> UInt64 {
        guard samples > 0 else { return 0 }
        let rank = UInt64((Double(samples) * p / 100).rounded(.up))
        var seen: UInt64 = 0
        for (i, c) in counts.enumerated() {
            seen += c
            if seen >= max(rank, 1) { return i == Self.buckets ? maxNanos : min(UInt64(i + 1) * Self.bucketNanos, maxNanos) }
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
