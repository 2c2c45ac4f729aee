/// A binary max-heap over raw 64-bit keys, in place: no allocation, unlike the standard library's sort
/// (stable, so it allocates a buffer per call; in a zone that ran per tick and per snapshot, and each of
/// those allocations could set off a consolidation of malloc's free lists).
public enum UInt64Heap {
    /// Orders `a` as a max-heap.
    public static func heapify(_ a: UnsafeMutableBufferPointer<UInt64>) {
        var i = a.count / 2
        while i > 0 {
            i -= 1
            siftDown(a, from: i, count: a.count)
        }
    }

    /// Removes and returns the largest of the heap's first `count` entries (moved to `count - 1`).
    public static func popMax(_ a: UnsafeMutableBufferPointer<UInt64>, count: Int) -> UInt64 {
        let top = a[0]
        a[0] = a[count - 1]
        a[count - 1] = top
        siftDown(a, from: 0, count: count - 1)
        return top
    }

    /// Sorts `a` ascending (heapsort: O(n log n), in place).
    public static func sort(_ a: UnsafeMutableBufferPointer<UInt64>) {
        heapify(a)
        var count = a.count
        while count > 1 {
            _ = popMax(a, count: count)
            count -= 1
        }
    }

    @inline(__always)
    private static func siftDown(_ a: UnsafeMutableBufferPointer<UInt64>, from start: Int, count: Int) {
        var i = start
        while true {
            let l = 2 * i + 1
            guard l < count else { return }
            var c = l
            if l + 1 < count && a[l + 1] > a[l] { c = l + 1 }
            guard a[c] > a[i] else { return }
            a.swapAt(c, i)
            i = c
        }
    }
}
