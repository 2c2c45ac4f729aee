#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A source of wall time in nanoseconds since the Unix epoch. Injected, so tests run in virtual time.
public protocol NanoClock: Sendable {
    func nowNanos() -> UInt64
}

/// The real clock (CLOCK_REALTIME): shared by every process on the machine, so zones agree on tick starts.
public struct SystemClock: NanoClock {
    public init() {}
    public func nowNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}

/// The world clock: tick `n` starts at `epoch + n / tickRate` on every zone.
public struct WorldClock: Sendable, Equatable {
    public var epochNanos: UInt64
    public var tickRate: Int

    public init(epochNanos: UInt64, tickRate: Int) {
        precondition(tickRate > 0)
        self.epochNanos = epochNanos
        self.tickRate = tickRate
    }

    public var tickNanos: UInt64 { 1_000_000_000 / UInt64(tickRate) }

    /// The tick in progress at `nanos` (0 before the epoch).
    public func tick(at nanos: UInt64) -> UInt64 {
        nanos <= epochNanos ? 0 : (nanos - epochNanos) * UInt64(tickRate) / 1_000_000_000
    }

    /// When tick `n` starts: the first nanosecond at which `tick(at:)` is `n` (rounded up, so rates that
    /// do not divide a second still agree with `tick(at:)`).
    public func start(of tick: UInt64) -> UInt64 {
        epochNanos + (tick * 1_000_000_000 + UInt64(tickRate) - 1) / UInt64(tickRate)
    }
}
