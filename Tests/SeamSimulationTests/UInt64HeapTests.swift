import SeamSimulation
import SeamWorld
import SeamTesting
import Testing

/// The in-place heap the zone sorts and ranks with instead of the standard library's allocating sort.
@Suite struct UInt64HeapTests {
    @Test func sortsAscendingLikeTheStandardLibrary() {
        var rng = SplitMix64(seed: 5)
        for count in [0, 1, 2, 3, 7, 64, 500, 1001] {
            var keys = (0..<count).map { _ in UInt64.random(in: 0...UInt64(count * 3), using: &rng) }
            let expected = keys.sorted()
            keys.withUnsafeMutableBufferPointer { UInt64Heap.sort($0) }
            #expect(keys == expected, "\(count) keys")
        }
    }

    @Test func popsTheLargestFirst() {
        var rng = SplitMix64(seed: 6)
        var keys = (0..<200).map { _ in UInt64.random(in: 0...1_000_000, using: &rng) }
        let expected = Array(keys.sorted().reversed())
        var popped: [UInt64] = []
        keys.withUnsafeMutableBufferPointer { heap in
            UInt64Heap.heapify(heap)
            for remaining in stride(from: heap.count, to: 0, by: -1) { popped.append(UInt64Heap.popMax(heap, count: remaining)) }
        }
        #expect(popped == expected)
    }
}
