/// Scheduled deliveries, earliest first: a binary min-heap on (due time, arrival order), so packets due
/// at the same instant leave in the order they were scheduled.
public struct DeliveryQueue<Payload> {
    public struct Entry {
        public var due: UInt64
        var order: UInt64
        public var payload: Payload
    }

    private var heap: [Entry] = []
    private var nextOrder: UInt64 = 0

    public init() {}

    public var count: Int { heap.count }
    public var isEmpty: Bool { heap.isEmpty }
    /// When the earliest entry is due, nil when empty.
    public var nextDue: UInt64? { heap.first?.due }

    public mutating func push(due: UInt64, _ payload: Payload) {
        heap.append(Entry(due: due, order: nextOrder, payload: payload))
        nextOrder &+= 1
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard Self.precedes(heap[child], heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the earliest entry if it is due at `now`.
    public mutating func popDue(now: UInt64) -> Entry? {
        guard let first = heap.first, first.due <= now else { return nil }
        let last = heap.removeLast()
        guard !heap.isEmpty else { return first }
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1
            guard left < heap.count else { break }
            var smallest = left
            if left + 1 < heap.count, Self.precedes(heap[left + 1], heap[left]) { smallest = left + 1 }
            guard Self.precedes(heap[smallest], heap[parent]) else { break }
            heap.swapAt(smallest, parent)
            parent = smallest
        }
        return first
    }

    private static func precedes(_ a: Entry, _ b: Entry) -> Bool {
        a.due != b.due ? a.due < b.due : a.order < b.order
    }
}
