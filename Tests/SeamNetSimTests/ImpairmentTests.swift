import SeamNetSim
import Testing

/// The impairment decisions in virtual time with fixed seeds: rates within statistical bounds, delays
/// within latency ± jitter, bursts of the asked length, reordering, reproducibility.
@Suite struct ImpairmentTests {
    static let ms: UInt64 = 1_000_000

    /// Runs `count` packets of 100 bytes, one per millisecond from t = 1 s, through a fresh impairment,
    /// delivering each scheduled copy at once, and returns the fates.
    static func run(_ text: String, count: Int, stream: UInt64 = 0) throws -> (
        fates: [Fate], counters: DirectionCounters
    ) {
        var impairment = Impairment(spec: try ImpairmentSpec(parsing: text), stream: stream)
        var burst = BurstState()
        var fates: [Fate] = []
        fates.reserveCapacity(count)
        for i in 0..<count {
            let fate = impairment.judge(bytes: 100, now: 1_000 * ms + UInt64(i) * ms, burst: &burst)
            for _ in 0..<fate.copies { impairment.delivered(bytes: 100) }
            fates.append(fate)
        }
        return (fates, impairment.counters)
    }

    /// True when `observed` is within `sigmas` standard deviations of a binomial(n, p) mean.
    static func withinBinomialBounds(_ observed: UInt64, n: Int, p: Double, sigmas: Double = 4.5) -> Bool {
        let mean = Double(n) * p
        let sd = (Double(n) * p * (1 - p)).squareRoot()
        return abs(Double(observed) - mean) <= sigmas * sd
    }

    @Test func independentLossHappensAtTheAskedRate() throws {
        let (fates, c) = try Self.run("loss=1%,seed=3", count: 100_000)
        #expect(Self.withinBinomialBounds(c.droppedLoss, n: 100_000, p: 0.01), "dropped \(c.droppedLoss) of 100000")
        #expect(UInt64(fates.filter { $0.drop == .loss }.count) == c.droppedLoss)
        #expect(c.receivedPackets == 100_000 && c.receivedBytes == 10_000_000)
        #expect(c.deliveredPackets + c.droppedLoss == c.receivedPackets)
        #expect(c.droppedBurst == 0 && c.duplicated == 0 && c.reordered == 0)
    }

    @Test func noImpairmentDeliversEverythingAtOnce() throws {
        let (fates, c) = try Self.run("", count: 10_000)
        #expect(c.deliveredPackets == 10_000 && c.dropped == 0)
        for (i, fate) in fates.enumerated() {
            #expect(fate.copies == 1 && fate.due == 1_000 * Self.ms + UInt64(i) * Self.ms)
        }
    }

    @Test func burstsHaveTheAskedMeanLengthAndRate() throws {
        let n = 200_000
        let (fates, c) = try Self.run("burst=1%/4,seed=11", count: n)
        var runs: [Int] = []
        var current = 0
        for fate in fates {
            if fate.drop == .burst {
                current += 1
            } else if current > 0 {
                runs.append(current)
                current = 0
            }
            #expect(fate.drop != .loss)
        }
        let mean = Double(runs.reduce(0, +)) / Double(runs.count)
        // About n * 0.01 / 1.04 ≈ 1900 bursts; the mean of geometric lengths (sd ≈ 3.5) is 4 ± 0.08 per sd.
        #expect(runs.count > 1500 && runs.count < 2300, "\(runs.count) bursts")
        #expect(mean > 3.6 && mean < 4.4, "mean burst length \(mean)")
        #expect(runs.contains { $0 >= 12 }, "a geometric length distribution has a tail")
        let rate = ImpairmentSpec.BurstLoss(enter: 0.01, meanLength: 4).lossRate
        #expect(
            abs(Double(c.droppedBurst) / Double(n) - rate) < 0.005,
            "burst loss \(c.droppedBurst) of \(n), expected rate \(rate)")
    }

    @Test func burstStateIsPerFlow() throws {
        // Two flows through one impairment that never starts a burst: flow a is put inside a long one by hand;
        // its packets are dropped while flow b's, interleaved with them, all pass.
        var impairment = Impairment(spec: try ImpairmentSpec(parsing: "burst=0%/1000,seed=2"), stream: 0)
        var a = BurstState()
        a.inBurst = true
        var b = BurstState()
        var droppedA = 0
        for i in 0..<100 {
            if impairment.judge(bytes: 10, now: UInt64(i) * Self.ms, burst: &a).drop == .burst { droppedA += 1 }
            #expect(impairment.judge(bytes: 10, now: UInt64(i) * Self.ms, burst: &b).copies == 1)
        }
        #expect(droppedA >= 1)
        #expect(!b.inBurst)
    }

    @Test func duplicatesAreMadeAtTheAskedRate() throws {
        let (fates, c) = try Self.run("dup=5%,latency=10ms,jitter=2ms,seed=5", count: 100_000)
        #expect(Self.withinBinomialBounds(c.duplicated, n: 100_000, p: 0.05), "duplicated \(c.duplicated)")
        #expect(UInt64(fates.filter { $0.copies == 2 }.count) == c.duplicated)
        #expect(c.deliveredPackets == 100_000 + c.duplicated)
        for (i, fate) in fates.enumerated() where fate.copies == 2 {
            let sent = 1_000 * Self.ms + UInt64(i) * Self.ms
            #expect(fate.duplicateDue >= sent + 8 * Self.ms && fate.duplicateDue <= sent + 12 * Self.ms)
        }
    }

    @Test func deliveryIsWithinLatencyPlusOrMinusJitter() throws {
        let (fates, _) = try Self.run("latency=75ms,jitter=10ms,seed=9", count: 50_000)
        var delays: [UInt64] = []
        for (i, fate) in fates.enumerated() {
            let sent = 1_000 * Self.ms + UInt64(i) * Self.ms
            #expect(fate.due >= sent + 65 * Self.ms, "never before latency - jitter")
            #expect(fate.due <= sent + 85 * Self.ms)
            delays.append(fate.due - sent)
        }
        let mean = Double(delays.reduce(0, +)) / Double(delays.count) / 1e6
        #expect(abs(mean - 75) < 0.2, "mean delay \(mean) ms")
        // Uniform over the whole interval: both ends are reached.
        #expect(delays.min()! < 66 * Self.ms && delays.max()! > 84 * Self.ms)
    }

    @Test func jitterLargerThanLatencyIsClippedAtZero() throws {
        let (fates, _) = try Self.run("latency=5ms,jitter=10ms,seed=4", count: 10_000)
        var atOnce = 0
        for (i, fate) in fates.enumerated() {
            let sent = 1_000 * Self.ms + UInt64(i) * Self.ms
            #expect(fate.due >= sent && fate.due <= sent + 15 * Self.ms)
            if fate.due == sent { atOnce += 1 }
        }
        // A quarter of the draws fall below zero.
        #expect(atOnce > 2_000 && atOnce < 3_000, "\(atOnce) delivered at once")
    }

    @Test func reorderingHoldsPacketsBackSoThatLaterOnesOvertake() throws {
        let n = 20_000
        let (fates, c) = try Self.run("latency=20ms,reorder=10%/30ms,seed=8", count: n)
        #expect(Self.withinBinomialBounds(c.reordered, n: n, p: 0.1), "held back \(c.reordered)")
        #expect(UInt64(fates.filter(\.heldBack).count) == c.reordered)
        // Delivered in due order, the packets' sequence numbers are no longer sorted.
        var queue = DeliveryQueue<Int>()
        for (i, fate) in fates.enumerated() { queue.push(due: fate.due, i) }
        var order: [Int] = []
        while let e = queue.popDue(now: .max) { order.append(e.payload) }
        let overtaken = zip(order, order.dropFirst()).filter { $0 > $1 }.count
        #expect(overtaken > 0)
        for (i, fate) in fates.enumerated() {
            let sent = 1_000 * Self.ms + UInt64(i) * Self.ms
            #expect(fate.due == sent + (fate.heldBack ? 50 : 20) * Self.ms)
        }
        // Without jitter or reordering, order is kept.
        let (plain, _) = try Self.run("latency=20ms,seed=8", count: 1_000)
        #expect(zip(plain, plain.dropFirst()).allSatisfy { $0.due < $1.due })
    }

    @Test func theSameSeedMakesTheSameDecisions() throws {
        let spec = "latency=30ms,jitter=10ms,loss=3%,burst=1%/3,dup=2%,reorder=2%,seed=42"
        let (a, ca) = try Self.run(spec, count: 20_000)
        let (b, cb) = try Self.run(spec, count: 20_000)
        #expect(a == b)
        #expect(ca == cb)
        let (other, _) = try Self.run(spec.replacingOccurrences(of: "seed=42", with: "seed=43"), count: 20_000)
        #expect(a != other)
        let (otherStream, _) = try Self.run(spec, count: 20_000, stream: 1)
        #expect(a != otherStream, "each direction and relay draws its own sequence")
    }

    @Test func aFullQueueDropsUntilPacketsLeave() throws {
        var impairment = Impairment(spec: try ImpairmentSpec(parsing: "latency=10ms,queue=3"), stream: 0)
        var burst = BurstState()
        for _ in 0..<3 { #expect(impairment.judge(bytes: 10, now: 0, burst: &burst).copies == 1) }
        #expect(impairment.judge(bytes: 10, now: 0, burst: &burst).drop == .queueFull)
        impairment.delivered(bytes: 10)
        #expect(impairment.judge(bytes: 10, now: 0, burst: &burst).copies == 1)
        #expect(impairment.counters.queueDepth == 3 && impairment.counters.queueDepthMax == 3)
        #expect(impairment.counters.droppedQueueFull == 1)
    }

    @Test func everyPacketIsAccountedFor() throws {
        var impairment = Impairment(
            spec: try ImpairmentSpec(
                parsing: "latency=5ms,jitter=5ms,loss=2%,burst=1%/3,dup=3%,reorder=2%,queue=50,seed=1"), stream: 0)
        var queue = DeliveryQueue<Int>()
        var burst = BurstState()
        var t: UInt64 = 0
        for i in 0..<50_000 {
            t += Self.ms / 10  // 10 000 packets per second: the queue of 50 fills now and then
            let fate = impairment.judge(bytes: 1 + i % 1200, now: t, burst: &burst)
            if fate.copies >= 1 { queue.push(due: fate.due, 1 + i % 1200) }
            if fate.copies == 2 { queue.push(due: fate.duplicateDue, 1 + i % 1200) }
            while let e = queue.popDue(now: t) {
                if e.payload % 97 == 0 { impairment.failedToSend() } else { impairment.delivered(bytes: e.payload) }
            }
        }
        let c = impairment.counters
        #expect(c.queueDepth == queue.count)
        #expect(
            c.receivedPackets + c.duplicated
                == c.deliveredPackets + c.droppedLoss + c.droppedBurst + c.droppedQueueFull + c.sendErrors
                + UInt64(c.queueDepth))
        #expect(c.droppedQueueFull > 0 && c.sendErrors > 0 && c.droppedLoss > 0 && c.droppedBurst > 0)
        #expect(c.queueDepthMax == 50)
    }
}
