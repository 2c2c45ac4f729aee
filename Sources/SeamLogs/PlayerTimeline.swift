/// One player's records across all zones, merged into one order, and the zones that owned the player.
///
/// Order: by `ms`, then by phase (join < standby < offer < accept/reject < commit/abort/in_doubt <
/// resolve < other < leave). Records of one file keep their file order: the files are merged by
/// their heads, so a zone's own sequence is never reordered.
public struct PlayerTimeline: Sendable {
    /// The player id.
    public let player: UInt32
    private var perFile: [String: [LogRecord]] = [:]

    /// An empty timeline of `player`.
    public init(player: UInt32) {
        self.player = player
    }

    /// Keeps the record when it is about this player (its `player` key).
    public mutating func add(_ r: LogRecord) {
        guard r.player == player else { return }
        perFile[r.file, default: []].append(r)
    }

    /// The player's records, merged.
    public var records: [LogRecord] {
        var queues = perFile.keys.sorted().map { perFile[$0]![...] }
        var out: [LogRecord] = []
        out.reserveCapacity(queues.reduce(0) { $0 + $1.count })
        while true {
            var best: Int?
            for i in queues.indices {
                guard let head = queues[i].first else { continue }
                if let b = best, let current = queues[b].first,
                   (current.ms, current.phaseRank) <= (head.ms, head.phaseRank) { continue }
                best = i
            }
            guard let b = best else { return out }
            out.append(queues[b].removeFirst())
        }
    }

    /// A span of time during which one zone owned the player.
    public struct Ownership: Equatable, Sendable {
        /// The owning zone.
        public var zone: String
        /// The ownership epoch; nil when the journal does not say (a join before any standby or offer).
        public var epoch: UInt32?
        /// When it began: the join, accept or resolve record's `ms`.
        public var startMs: Int64
        /// When it ended; nil when the journal ends with the player still owned there.
        public var endMs: Int64?
        /// What ended it: `handoff`, `leave`, `resolve`, or nil while open.
        public var end: String?

        /// An ownership span.
        public init(zone: String, epoch: UInt32?, startMs: Int64, endMs: Int64? = nil, end: String? = nil) {
            self.zone = zone; self.epoch = epoch; self.startMs = startMs; self.endMs = endMs; self.end = end
        }
    }

    /// The owner history: who owned the player when, derived from join, accept, resolve and leave records
    /// (an accept moves ownership; a resume after a dead neighbour at a newer epoch moves it back).
    public var owners: [Ownership] {
        var out: [Ownership] = []
        func close(_ ms: Int64, _ why: String) {
            guard let last = out.indices.last, out[last].endMs == nil else { return }
            out[last].endMs = ms
            out[last].end = why
        }
        for r in records {
            let open = out.last.flatMap { $0.endMs == nil ? $0 : nil }
            switch r.type {
            case "join":
                close(r.ms, "leave")
                out.append(Ownership(zone: r.zone, epoch: nil, startMs: r.ms))
            case "accept":
                close(r.ms, "handoff")
                out.append(Ownership(zone: r.zone, epoch: r.epoch, startMs: r.ms))
            case "resolve":
                guard let epoch = r.epoch, let open, epoch > (open.epoch ?? 0) else { continue }
                close(r.ms, "resolve")
                out.append(Ownership(zone: r.zone, epoch: epoch, startMs: r.ms))
            case "standby", "offer":
                // A join's epoch is learnt from the owner's first handoff record.
                guard let epoch = r.epoch, let last = out.indices.last, out[last].endMs == nil,
                      out[last].zone == r.zone, out[last].epoch == nil else { continue }
                out[last].epoch = r.type == "offer" ? (epoch > 0 ? epoch - 1 : nil) : epoch
            case "leave":
                if open?.zone == r.zone { close(r.ms, "leave") }
            default:
                continue
            }
        }
        return out
    }
}
