@testable import SeamSimulation
import SeamWorld
import Testing

/// The selection behind every view: the first k candidates after `keepNearest` are the k smallest by
/// (squared distance, index), the whole a permutation of what went in, whatever the ties.
@Suite struct KeepNearestTests {
    @Test func keepsTheKSmallestByDistanceThenIndex() {
        var rng = SplitMix64(seed: 99)
        for round in 0..<2_000 {
            let n = Int.random(in: 1...300, using: &rng)
            // Few distinct distances now and then, so that ties decide by index.
            let spread = round % 3 == 0 ? 4 : 10_000
            var candidates = (0..<n).map {
                (index: $0, distanceSquared: Double(Int.random(in: 0..<spread, using: &rng)))
            }
            candidates.shuffle(using: &rng)
            let k = Int.random(in: 1...n, using: &rng)
            let expected = candidates.sorted { a, b in
                a.distanceSquared < b.distanceSquared || (a.distanceSquared == b.distanceSquared && a.index < b.index)
            }
            candidates.withUnsafeMutableBufferPointer { ZoneSimulation.keepNearest(k, in: $0) }
            #expect(Set(candidates.prefix(k).map(\.index)) == Set(expected.prefix(k).map(\.index)), "round \(round)")
            #expect(Set(candidates.map(\.index)) == Set(0..<n), "round \(round)")
        }
    }
}
