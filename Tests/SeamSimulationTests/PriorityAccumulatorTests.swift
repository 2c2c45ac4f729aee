import SeamSimulation
import Testing

/// The snapshot's entity choice when more are in view than fit: nearest always, far ones in turn.
@Suite struct PriorityAccumulatorTests {
    /// 60 candidates at distances 1…60 tiles, room for 20, the 8 nearest always.
    static let candidates: [(index: Int, id: UInt32, distanceSquared: Double)] = (0..<60).map { i in
        let d = Double(i + 1)
        return (index: i, id: UInt32(100 + i), distanceSquared: d * d)
    }

    @Test func theNearestAreAlwaysInTheSnapshot() {
        var acc = PriorityAccumulator()
        var out: [Int] = []
        for tick in UInt64(1)...200 {
            acc.select(Self.candidates, limit: 20, always: 8, tick: tick, into: &out)
            #expect(out.count == 20)
            #expect(Set(0..<8).isSubset(of: Set(out)), "tick \(tick): \(out.sorted())")
            #expect(Set(out).count == out.count, "no entity twice")
        }
    }

    @Test func farEntitiesAreSentLessOftenButNeverStarve() {
        var acc = PriorityAccumulator()
        var out: [Int] = []
        var sends = [Int](repeating: 0, count: 60)
        for tick in UInt64(1)...400 {
            acc.select(Self.candidates, limit: 20, always: 8, tick: tick, into: &out)
            for i in out { sends[i] += 1 }
        }
        #expect(sends.allSatisfy { $0 > 0 }, "every entity in view is sent at some point: \(sends)")
        #expect(sends[10] > sends[59], "nearer entities are sent more often: \(sends[10]) vs \(sends[59])")
        #expect(sends[0] == 400)
    }

    @Test func whenEverythingFitsEverythingIsSent() {
        var acc = PriorityAccumulator()
        var out: [Int] = []
        acc.select(Array(Self.candidates.prefix(10)), limit: 20, always: 8, tick: 1, into: &out)
        #expect(out.sorted() == Array(0..<10))
    }
}
