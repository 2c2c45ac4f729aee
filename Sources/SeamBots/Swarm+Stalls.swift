import SeamNet

extension Swarm {
    /// A playing bot this long without a snapshot from its owner has lost track of it (10 s: longer than any
    /// handoff gap of a healthy run, several times the worst seen under load); one this long (60 s) has not
    /// found it again by itself.
    static let stallNanos: UInt64 = 10_000_000_000
    static let longStallNanos: UInt64 = 60_000_000_000
    static let stallLimits = [stallNanos, longStallNanos]

    /// Once a second: counts each bot that has just gone `stallNanos`, and each that has just gone
    /// `longStallNanos`, without a snapshot, and logs what it holds (the first 10 of each), so that a stall in
    /// a long run can be traced to its connections. The long ones have their own budget: a machine overloaded
    /// in the connect ramp stalls hundreds of bots for 10 s, which would spend a single one at once.
    func watchForStalls() {
        for i in bots.indices {
            guard let level = bots[i].stalled(now: nowNanos, limits: Swarm.stallLimits) else { continue }
            if level == 0 {
                stats.stalls += 1
                guard stallLogBudget > 0 else { continue }
                stallLogBudget -= 1
            } else {
                stats.longStalls += 1
                guard longStallLogBudget > 0 else { continue }
                longStallLogBudget -= 1
            }
            logger.notice("\(describeStall(bot: i))")
        }
    }

    /// One line: the bot, how long it has been silent, its owner as it sees it, and each of its connections.
    func describeStall(bot i: Int) -> String {
        let bot = bots[i]
        let now = nowNanos, map = config.map
        let duration = { (nanos: UInt64) in String(format: "%.1f s", Double(nanos) / 1e9) }
        let seconds = { (since: UInt64) in duration(now &- since) }
        func connection(_ peer: Peer?) -> String {
            guard let peer else { return "none" }
            let mapped = botOfSlot[bot.hostIndex][peer.slot]
            let owner = mapped == i ? "" : mapped < 0 ? ", not mapped to any bot" : ", mapped to bot \(bots[mapped].index)"
            return "slot \(peer.slot) (\(peer.isConnected ? "connected" : "not connected")\(owner); \(peer.wireIdentity))"
        }
        let zoneId = { (index: UInt16) in map.zone(index: Int(index))?.id ?? "zone \(index)" }
        let standbys = bot.standbys.sorted { $0.key < $1.key }.map { "\(zoneId($0.key)) \(connection($0.value))" }
        let opening = bot.standbysOpening.sorted { $0.key < $1.key }
            .map { "slot \($0.key) to \(zoneId($0.value.zone)) for \(seconds($0.value.sinceNanos))" }
        let owner = bot.switchFromNanos != nil ? ", last Owner \(seconds(bot.switchAtNanos)) ago" : ""
        return "bot \(bot.index) (player \(bot.playerId)) has taken no snapshot for \(duration(bot.silence(now: now) ?? 0)): owner \(bot.zone.id) "
            + "at epoch \(bot.epoch) on \(connection(bot.peer))\(owner); standbys \(standbys.isEmpty ? "none" : standbys.joined(separator: ", ")); "
            + "opening \(opening.isEmpty ? "none" : opening.joined(separator: ", ")); attaching slots "
            + "\(bot.attaching.isEmpty ? "none" : bot.attaching.keys.sorted().map(String.init).joined(separator: ", "))"
    }
}
