/// The records of several zones, each arriving in its own journal order, released in the order the offline
/// reading (`JournalSource`) gives the same journals: the head that `comesBefore` the other heads, ties to the
/// zone whose journal file name sorts first. A zone's own order is never changed: sorting all records by
/// time and phase would put a zone's `standby` before its `accept` of the same millisecond.
struct LiveMerge {
    /// Records not yet released, one queue per zone in journal file name order; `heads[q]` is the next one.
    private var queues: [[RefereeRecord]]
    private var heads: [Int]

    init(zoneCount: Int) {
        queues = Array(repeating: [], count: zoneCount)
        heads = Array(repeating: 0, count: zoneCount)
    }

    /// The queue of each zone id, in the order of their journal file names (`<id>.jsonl`).
    static func queueOrder(_ ids: [String]) -> [Int] {
        let sorted = ids.indices.sorted { ids[$0] + ".jsonl" < ids[$1] + ".jsonl" }
        var order = Array(repeating: 0, count: ids.count)
        for (rank, i) in sorted.enumerated() { order[i] = rank }
        return order
    }

    mutating func append(_ record: RefereeRecord, queue: Int) {
        queues[queue].append(record)
    }

    /// Releases, in merge order, every record until the next one is later than `watermark` (ms).
    mutating func release(upTo watermark: Int64) -> [RefereeRecord] {
        var out: [RefereeRecord] = []
        while true {
            var best: Int?
            for q in queues.indices where heads[q] < queues[q].count {
                guard let b = best else {
                    best = q
                    continue
                }
                if JournalSource.comesBefore(queues[q][heads[q]], queues[b][heads[b]]) { best = q }
            }
            guard let b = best, queues[b][heads[b]].ms <= watermark else { break }
            out.append(queues[b][heads[b]])
            heads[b] += 1
        }
        for q in queues.indices where heads[q] > 0 {
            queues[q].removeFirst(heads[q])
            heads[q] = 0
        }
        return out
    }
}
