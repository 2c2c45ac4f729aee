/// The records of several zones, each arriving in its own journal order, released in the order the offline
/// reading (`JournalSource`) gives the same journals: the head that `comesBefore` the other heads, ties to the
/// zone whose journal file name sorts first. A zone's own order is never changed: sorting all records by
/// time and phase would put a zone's `standby` before its `accept` of the same millisecond.
struct LiveMerge {
    /// Records not yet released, one queue per zone in journal file name order; `heads[q]` is the next one.
    private var queues: [[RefereeRecord]]
    private var heads: [Int]
    /// The time of the newest record appended to each queue, nil before its first.
    private var newest: [Int64?]

    init(zoneCount: Int) {
        queues = Array(repeating: [], count: zoneCount)
        heads = Array(repeating: 0, count: zoneCount)
        newest = Array(repeating: nil, count: zoneCount)
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
        newest[queue] = max(newest[queue] ?? record.ms, record.ms)
    }

    /// The time up to which records may be released at `now` (ms): at least `delay` ago, and before the
    /// newest record of every queue in `streaming` (indexed by queue). Each zone's records come in order, so
    /// once a zone has sent a record of time T none earlier can still come from it; one of time T itself can,
    /// hence "before". A zone that has sent nothing yet holds nobody back (what it sends first, the replayed
    /// `start`, is old by design). A zone that falls more than `maximumHold` behind holds the others back no
    /// longer than that: the merge may then differ from the offline reading's (the referee's lag shows it).
    /// With a fixed hold-back alone, a zone whose records reached the referee more than `delay` late (a zone
    /// of 1,700 players in a 6,000-bot run) had its `offer` checked after its neighbour's `accept`: a false
    /// single-owner violation the offline check of the same journals did not find.
    func watermark(now: Int64, delay: Int64, maximumHold: Int64, streaming: [Bool]) -> Int64 {
        var mark = now - delay
        for q in queues.indices where streaming[q] {
            if let n = newest[q] { mark = min(mark, n - 1) }
        }
        return max(mark, now - maximumHold)
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
        // Released records leave their queue once they are half of it: removing them at every release moved
        // the held-back rest (a third of a second of a zone's records) each time.
        for q in queues.indices where heads[q] > 0 && heads[q] * 2 >= queues[q].count {
            queues[q].removeFirst(heads[q])
            heads[q] = 0
        }
        return out
    }
}
