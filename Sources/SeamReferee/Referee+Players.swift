/// Ownership, lifecycle and movement: single-owner, player-owned, speed-limit.
extension Referee {
    // MARK: Helpers

    /// Creates the player's state if it is unknown (a player first seen in a record other than join, e.g. when
    /// its join is not in the input): the record's zone is taken as its owner.
    mutating func adopt(_ id: UInt32, _ r: RefereeRecord) {
        guard players[id] == nil else { return }
        var p = PlayerState()
        p.owner = r.zone
        p.ownerRecord = r.evidenceCopy(player: id)
        players[id] = p
        checked.players += 1
    }

    /// Reports a record naming a player that already left (once per player). Returns whether it is live.
    mutating func requireNotLeft(_ id: UInt32, _ r: RefereeRecord) -> Bool {
        guard let p = players[id], p.left else { return true }
        if !p.reportedAfterLeave {
            players[id]!.reportedAfterLeave = true
            violate(.playerOwned,
                    "player \(id) appears in a \(r.type) record at \(r.place) after it left "
                        + "(\(p.leaveRecord?.type ?? "leave") at \(p.leaveRecord?.place ?? "?"))",
                    ev(p.leaveRecord, r, player: id))
        }
        return false
    }

    /// Whether `r.zone` may show player `id` active (move, shoot, be hit, pick up, offer it). Reports
    /// single-owner, once per zone until the player changes owner, when another zone owns it.
    mutating func requireOwner(_ id: UInt32, _ r: RefereeRecord) -> Bool {
        adopt(id, r)
        let p = players[id]!
        if p.owner == r.zone { return true }
        guard let owner = p.owner else {
            if p.releasedBy == r.zone {
                if !p.flagged.contains(r.zone) {
                    markLiveTwice(id, zone: r.zone)
                    violate(.singleOwner,
                            "zone \(r.zone) released player \(id) at epoch \(p.releaseRecord?.epoch ?? 0) "
                                + "but still shows it active (\(r.type) at tick \(r.tick))",
                            ev(p.releaseRecord, r, player: id))
                }
                return false
            }
            // Released by another zone and its accept not seen yet: take this zone as the owner.
            players[id]!.owner = r.zone
            players[id]!.ownerRecord = r.evidenceCopy(player: id)
            return true
        }
        if !p.flagged.contains(r.zone) {
            markLiveTwice(id, zone: r.zone)
            violate(.singleOwner,
                    "player \(id) is live in two zones: \(r.zone) shows it active (\(r.type) at tick \(r.tick)) "
                        + "while \(owner) owns it at epoch \(p.ownerEpoch)",
                    ev(p.ownerRecord, r, player: id))
        }
        return false
    }

    /// Records that `zone` holds a second live copy of the player (already reported as single-owner): its
    /// open offers are explained by that and are not reported again as lost.
    mutating func markLiveTwice(_ id: UInt32, zone: String) {
        guard var p = players[id] else { return }
        p.flagged.insert(zone)
        p.duplicated = true
        for key in p.openOffers where key.from == zone {
            handoffs[key]?.offerOpen = false
        }
        p.openOffers.removeAll { $0.from == zone }
        players[id] = p
    }

    /// A position of the player. `reset` starts a new baseline (join, respawn, push back inside).
    mutating func sample(_ id: UInt32, x: Double, y: Double, _ r: RefereeRecord, reset: Bool = false,
                         extraSlack: Double = 0, keep: Bool = true) {
        guard players[id] != nil else { return }
        // A positions record is kept whole: its players share one list, and evidence shows only this player's
        // entry (`ev(_:player:)`). A copy reduced to the one entry per player per record was an allocation
        // each, 12% of the offline check of continent-2000's journals.
        let here = PositionSample(x: x, y: y, tick: r.tick, record: r)
        guard !reset, let prev = players[id]!.position else {
            players[id]!.position = here
            return
        }
        let ticks = r.tick > prev.tick ? r.tick - prev.tick : 0
        let dt = Double(ticks) / Double(tickRate)
        let dx = x - prev.x, dy = y - prev.y
        let distance = (dx * dx + dy * dy).squareRoot()
        let allowed = options.maxSpeed * dt + options.speedSlack + extraSlack
        if distance > allowed + 1e-9 {
            let speed = dt > 0 ? " (\(RefereeJSON.decimal(distance / dt)) tiles/s)" : ""
            violate(.speedLimit,
                    "player \(id) moved \(RefereeJSON.decimal(distance)) tiles in \(ticks) ticks\(speed) from "
                        + "\(prev.record.type) at \(prev.record.place) to \(r.type) at \(r.place); at most "
                        + "\(RefereeJSON.decimal(allowed)) tiles are possible",
                    ev(prev.record, r, player: id))
            players[id]!.position = here
            return
        }
        if keep { players[id]!.position = here }
    }

    // MARK: Lifecycle

    mutating func onStart(_ r: RefereeRecord) {
        var z = zones[r.zone]!
        z.started = true
        z.stopped = false
        z.startCoins = r.coins ?? 0
        z.startRecord = r
        z.runStartMs = r.ms
        z.lastDigestTick = nil
        z.lastDigest = nil
        z.pendingFatal = []
        zones[r.zone] = z
        if let rate = r.tickRate, rate > 0 { tickRate = rate }
        // Digest ticks waiting for this zone's earlier run can no longer complete.
        pendingDigests = pendingDigests.filter { $0.value[r.zone] == nil }
    }

    mutating func onStop(_ r: RefereeRecord) {
        settleFatalHits(zone: r.zone, before: UInt64.max)
        zones[r.zone]!.stopped = true
        // An offer must be settled before its owner stops (a stopping zone journals an abort).
        for (key, h) in handoffs where h.offerOpen && key.from == r.zone {
            handoffs[key]!.offerOpen = false
            players[key.player]?.openOffers.removeAll { $0 == key }
            players[key.player]?.lostInHandoff = true
            violate(.handoffResolves,
                    "player \(key.player) lost in handoff: zone \(r.zone) offered it to \(h.offer?.to ?? "?") at "
                        + "epoch \(key.epoch) and stopped without a commit, abort or resolve",
                    ev(h.offer, h.accept, r, player: key.player))
        }
        // Its players leave with it (their leave records, if any, came before).
        for (id, p) in players where !p.left && p.owner == r.zone {
            players[id]!.left = true
            players[id]!.leftZone = r.zone
            players[id]!.leftMs = r.ms
            players[id]!.leaveRecord = r
        }
        // Digest ticks still waiting for this zone will not complete.
        pendingDigests = pendingDigests.filter { $0.value[r.zone] != nil }
    }

    mutating func onJoin(_ r: RefereeRecord) {
        guard let id = r.player else { return }
        if let p = players[id] {
            if p.left {
                let newRun = (zones[r.zone]?.runStartMs ?? Int64.min) > p.leftMs
                if !newRun {
                    violate(.playerOwned,
                            "player \(id) joins again at \(r.place) after it left (ids are not reused within a run)",
                            ev(p.leaveRecord, r, player: id))
                }
                players[id] = nil
            } else {
                if !p.flagged.contains(r.zone) {
                    markLiveTwice(id, zone: r.zone)
                    violate(.singleOwner,
                            "player \(id) joins at \(r.place) while zone \(p.owner ?? "?") owns it at epoch \(p.ownerEpoch)",
                            ev(p.ownerRecord, r, player: id))
                }
                return
            }
        }
        var p = PlayerState()
        p.owner = r.zone
        p.ownerEpoch = 1
        p.ownerRecord = r
        p.maxAcceptEpoch = 1
        p.maxAcceptZone = r.zone
        p.maxAcceptRecord = r
        players[id] = p
        checked.players += 1
        if let x = r.x, let y = r.y { sample(id, x: x, y: y, r, reset: true) }
    }

    mutating func onLeave(_ r: RefereeRecord) {
        guard let id = r.player else { return }
        // A zone that no longer owns the player (a frozen copy released at shutdown, a second live copy) drops
        // its copy: not the player's leave, even after the player left elsewhere.
        if let p = players[id], p.left, p.leftZone != r.zone { return }
        guard requireNotLeft(id, r) else { return }
        adopt(id, r)
        let p = players[id]!
        guard p.owner == r.zone || (p.owner == nil && p.releasedBy != r.zone) else { return }
        settleOffers(id, zone: r.zone, r, checkTime: false)
        if let other = p.flagged.sorted().first(where: { zones[$0]?.isActive == true }) ?? p.flagged.sorted().first {
            // The player is live twice: this copy left, the other one carries on as the owner.
            var q = p
            q.owner = other
            q.ownerRecord = r
            q.flagged.remove(other)
            q.flagged.insert(r.zone)
            q.position = nil
            players[id] = q
            return
        }
        players[id]!.left = true
        players[id]!.leftZone = r.zone
        players[id]!.leftMs = r.ms
        players[id]!.leaveRecord = r
    }

    mutating func onRespawn(_ r: RefereeRecord) {
        guard let id = r.player, requireNotLeft(id, r), requireOwner(id, r) else { return }
        if let x = r.x, let y = r.y { sample(id, x: x, y: y, r, reset: true) }
    }

    mutating func onPositions(_ r: RefereeRecord) {
        guard let entries = r.positions else { return }
        for e in entries {
            guard requireNotLeft(e.player, r) else { continue }
            if players[e.player] == nil {
                adopt(e.player, r)
            } else if !requireOwner(e.player, r) {
                continue
            }
            sample(e.player, x: e.x, y: e.y, r)
        }
    }

    mutating func onStandby(_ r: RefereeRecord) {
        guard let id = r.player, requireNotLeft(id, r), requireOwner(id, r) else { return }
        if let x = r.x, let y = r.y { sample(id, x: x, y: y, r) }
    }

    // MARK: End of input

    mutating func finishChecks() {
        for zone in zones.keys { settleFatalHits(zone: zone, before: UInt64.max) }
        for (key, h) in handoffs where h.offerOpen {
            guard let offer = h.offer, now - offer.ms > offerBoundMs else { continue }
            reportLost(key, h)
        }
        for (id, p) in players.sorted(by: { $0.key < $1.key }) where !p.left && !p.lostInHandoff {
            if let owner = p.owner {
                if zones[owner]?.stopped == true { continue }
                violate(.playerOwned,
                        "player \(id) vanished: it never left and its owner \(owner) (epoch \(p.ownerEpoch)) never stopped",
                        ev(p.ownerRecord, player: id))
            } else {
                violate(.playerOwned,
                        "player \(id) vanished: zone \(p.releasedBy ?? "?") released it (commit) but no zone accepted it",
                        ev(p.releaseRecord, player: id))
            }
        }
        if let mapCoins = options.mapCoins {
            let started = zones.values.filter(\.started)
            let total = started.reduce(0) { $0 + $1.startCoins }
            if total != mapCoins {
                violate(.coins,
                        "the start records give the zones \(total) coins in all but the map has \(mapCoins) coin spots",
                        started.compactMap { $0.startRecord?.jsonValue() }.sorted { $0.text() < $1.text() })
            }
        }
    }

    /// Drops players that left long ago, old hits and kills, settled handoffs; times out offers.
    mutating func sweep() {
        let retention = Int64(options.retentionSeconds * 1000)
        let shotRetention = Int64(options.shotRetentionSeconds * 1000)
        var gone: Set<UInt32> = []
        for (id, p) in players where p.left && now - p.leftMs > retention { gone.insert(id) }
        for id in gone { players[id] = nil }
        // In place: most entries stay, and rebuilding the tables copied every record in them each second.
        func expire<Key>(_ table: inout [Key: RefereeRecord]) {
            let old = table.compactMap { now - $0.value.ms > shotRetention ? $0.key : nil }
            for key in old { table[key] = nil }
        }
        expire(&recentHits)
        expire(&recentKills)
        expire(&recentCredits)

        let minTick = zones.values.filter(\.isActive).compactMap(\.lastDigestTick).min() ?? UInt64.max
        var drop: [HandoffKey] = []
        for (key, h) in handoffs {
            if h.offerOpen, let offer = h.offer, now - offer.ms > offerBoundMs {
                reportLost(key, h)
                continue
            }
            if h.offerOpen { continue }
            if gone.contains(key.player) { drop.append(key); continue }
            if h.accept != nil {
                if let t = h.releaseTick, t < minTick, h.accept!.tick < minTick { drop.append(key) }
            } else if now - h.lastMs > retention {
                drop.append(key)
            }
        }
        for key in drop { handoffs[key] = nil }
    }
}
