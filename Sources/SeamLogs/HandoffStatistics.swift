/// Aggregates records, in any order and from any number of files, into a `JournalSummary`.
/// Keeps counters, the last digest per zone, and the times of offers, accepts and commits by
/// player and epoch (to match them across files); nothing else of a record is kept.
public struct HandoffStatistics {
    private struct Attempt: Hashable {
        var player: UInt32
        var epoch: UInt32
    }

    private struct Offer {
        var ms: Int64
        var from: String
        var to: String
    }

    private var zones: [String: JournalSummary.Zone] = [:]
    private var players = JournalSummary.Players()
    private var joinedIds: Set<UInt32> = []
    private var handoffs = JournalSummary.Handoffs()
    private var directions: [String: JournalSummary.Direction] = [:]
    private var offers: [Attempt: Offer] = [:]
    private var accepts: [Attempt: Int64] = [:]
    private var commits: [Attempt: Int64] = [:]
    private var coins: [String: JournalSummary.Coins] = [:]

    public init() {}

    /// Counts one record.
    public mutating func add(_ r: LogRecord) {
        countZone(r)
        switch r.type {
        case "join":
            players.joined += 1
            if let p = r.player { joinedIds.insert(p) }
        case "leave":
            players.left += 1
            players.leaveReasons[r.reason ?? "unknown", default: 0] += 1
        case "digest":
            if let ground = r.coinsGround, let carried = r.coinsCarried,
               coins[r.zone].map({ ($0.tick, $0.ms) <= (r.tick, r.ms) }) ?? true {
                coins[r.zone] = .init(zone: r.zone, tick: r.tick, ms: r.ms, ground: ground, carried: carried)
            }
        default:
            if r.isHandoff { countHandoff(r) }
        }
    }

    private mutating func countZone(_ r: LogRecord) {
        guard var z = zones[r.zone] else {
            zones[r.zone] = .init(zone: r.zone, records: 1, firstTick: r.tick, lastTick: r.tick, firstMs: r.ms, lastMs: r.ms)
            return
        }
        z.records += 1
        z.firstTick = min(z.firstTick, r.tick)
        z.lastTick = max(z.lastTick, r.tick)
        z.firstMs = min(z.firstMs, r.ms)
        z.lastMs = max(z.lastMs, r.ms)
        zones[r.zone] = z
    }

    private mutating func countHandoff(_ r: LogRecord) {
        guard let player = r.player, let epoch = r.epoch, let from = r.from, let to = r.to else { return }
        let attempt = Attempt(player: player, epoch: epoch)
        let key = from + "\u{0}" + to
        var d = directions[key] ?? .init(from: from, to: to)
        switch r.type {
        case "standby":
            handoffs.standby += 1
        case "offer":
            handoffs.offered += 1; d.offers += 1
            if offers[attempt] == nil { offers[attempt] = Offer(ms: r.ms, from: from, to: to) }
        case "accept":
            handoffs.accepted += 1; d.accepts += 1
            if accepts[attempt] == nil { accepts[attempt] = r.ms }
        case "commit":
            handoffs.committed += 1; d.commits += 1
            if commits[attempt] == nil { commits[attempt] = r.ms }
        case "reject":
            handoffs.rejected += 1; d.rejects += 1
        case "abort":
            handoffs.aborted += 1; d.aborts += 1
        case "in_doubt":
            handoffs.inDoubt += 1; d.inDoubt += 1
        case "resolve":
            handoffs.resolved += 1
        default:
            break
        }
        directions[key] = d
    }

    /// The summary of everything added so far.
    public func summary(directory: String, files: [String], malformed: MalformedLines) -> JournalSummary {
        var acceptLatency: [String: [Int64]] = [:]
        var commitLatency: [String: [Int64]] = [:]
        for (attempt, offer) in offers {
            let border = HandoffStatistics.borderName(offer.from, offer.to)
            if let ms = accepts[attempt] { acceptLatency[border, default: []].append(ms - offer.ms) }
            if let ms = commits[attempt] { commitLatency[border, default: []].append(ms - offer.ms) }
        }
        var pairs: [String: (String, String)] = [:]
        for d in directions.values where d.from != d.to {
            pairs[HandoffStatistics.borderName(d.from, d.to)] = (min(d.from, d.to), max(d.from, d.to))
        }
        let borders = pairs.map { name, pair in
            JournalSummary.Border(
                border: name,
                directions: [(pair.0, pair.1), (pair.1, pair.0)].map { from, to in
                    directions[from + "\u{0}" + to] ?? .init(from: from, to: to)
                },
                offerToAccept: LatencySummary(acceptLatency[name] ?? []),
                offerToCommit: LatencySummary(commitLatency[name] ?? []))
        }
        var players = self.players
        players.distinct = joinedIds.count
        return JournalSummary(
            directory: directory, files: files, malformed: malformed,
            zones: zones.values.sorted { $0.zone < $1.zone },
            players: players, handoffs: handoffs,
            borders: borders.sorted { $0.border < $1.border },
            coins: coins.values.sorted { $0.zone < $1.zone })
    }

    /// The name of the border between two zones: their ids sorted, joined by `|`.
    public static func borderName(_ a: String, _ b: String) -> String {
        a < b ? "\(a)|\(b)" : "\(b)|\(a)"
    }
}
