import SeamNetSim
import SeamWorld
import Testing

@Suite struct DeliveryQueueTests {
    @Test func entriesLeaveByDueTimeThenInArrivalOrder() {
        var queue = DeliveryQueue<String>()
        queue.push(due: 30, "c")
        queue.push(due: 10, "a1")
        queue.push(due: 20, "b")
        queue.push(due: 10, "a2")
        #expect(queue.nextDue == 10 && queue.count == 4)
        #expect(queue.popDue(now: 9) == nil, "nothing is due before its time")
        var out: [String] = []
        while let e = queue.popDue(now: 25) { out.append(e.payload) }
        #expect(out == ["a1", "a2", "b"])
        #expect(queue.nextDue == 30)
    }

    @Test func randomDueTimesComeOutSorted() {
        var g = SplitMix64(seed: 1)
        var queue = DeliveryQueue<Int>()
        var expected: [(UInt64, Int)] = []
        for i in 0..<5_000 {
            let due = UInt64.random(in: 0..<1_000, using: &g)
            queue.push(due: due, i)
            expected.append((due, i))
            // Interleave pops, as the relay does.
            if i % 7 == 0, let e = queue.popDue(now: 100) {
                let index = expected.firstIndex { $0.1 == e.payload }!
                #expect(e.due <= 100)
                expected.remove(at: index)
            }
        }
        expected.sort { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
        var out: [(UInt64, Int)] = []
        while let e = queue.popDue(now: .max) { out.append((e.due, e.payload)) }
        #expect(out.map(\.0) == expected.map(\.0))
        #expect(out.map(\.1) == expected.map(\.1))
    }
}

@Suite struct LatenessHistogramTests {
    @Test func percentilesAreBucketBoundsCappedAtTheMaximum() {
        var h = LatenessHistogram()
        #expect(h.percentileNanos(50) == 0)
        for _ in 0..<98 { h.record(3_000) }  // 3 µs: the first 10 µs bucket
        h.record(55_000)
        h.record(20_500_000)  // in a 1 ms bucket
        #expect(h.samples == 100)
        #expect(h.percentileNanos(50) == 10_000)
        #expect(h.percentileNanos(99) == 60_000)
        #expect(h.percentileNanos(100) == 20_500_000, "capped at the maximum")
        h.record(2_000_000_000)  // beyond the last bucket
        h.record(15_200_000)
        #expect(h.percentileNanos(100) == 2_000_000_000)
        #expect(h.percentileNanos(98) == 16_000_000, "the 1 ms bucket's upper bound")
    }
}
