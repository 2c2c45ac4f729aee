/// Coins (ids and digests) and combat (shot-once, kill-once).
extension Referee {
    // MARK: Coins

    mutating func noteCoin(_ coin: UInt32) {
        if coinTable[coin] == nil { checked.coins += 1 }
    }

    mutating func onPickup(_ r: RefereeRecord) {
        guard let id = r.player, let coin = r.coin else { return }
        let live = requireNotLeft(id, r)
        let owned = live && requireOwner(id, r)
        noteCoin(coin)
        if let c = coinTable[coin], let holder = c.holder, !isDuplicated(id), !isDuplicated(holder) {
            violate(.coins,
                    "coin \(coin) held twice: player \(id) picks it up at \(r.place) while player \(holder) carries it",
                    ev(c.record, r))
            players[holder]?.carried.remove(coin)
        }
        coinTable[coin] = CoinState(holder: id, record: r)
        if players[id] != nil { players[id]!.carried.insert(coin) }
        if owned, let x = r.x, let y = r.y { sample(id, x: x, y: y, r) }
    }

    mutating func onDrop(_ r: RefereeRecord) {
        guard let id = r.player, let coin = r.coin else { return }
        var owned = false
        if let p = players[id], p.left, r.cause == "leave", p.leftZone == r.zone {
            // The coins of a player that just left, dropped where it left.
        } else if requireNotLeft(id, r) {
            owned = requireOwner(id, r)
        }
        noteCoin(coin)
        let c = coinTable[coin]
        if c?.holder != id, !isDuplicated(id), !(c?.holder.map(isDuplicated) ?? false) {
            let state = c.map { $0.holder.map { "player \($0) carries it" } ?? "it lies on the ground" }
                ?? "it was never picked up"
            violate(.coins, "player \(id) drops coin \(coin) at \(r.place) but does not carry it: \(state)",
                    ev(c?.record, r))
            if let holder = c?.holder { players[holder]?.carried.remove(coin) }
        }
        coinTable[coin] = CoinState(holder: nil, record: r)
        players[id]?.carried.remove(coin)
        if owned, r.cause != "leave", let x = r.x, let y = r.y {
            sample(id, x: x, y: y, r, extraSlack: options.dropClampSlack, keep: false)
        }
    }

    /// An accept with `coin_ids` moves those coins, carried by the player, into the new zone.
    mutating func moveCarriedCoins(_ id: UInt32, _ r: RefereeRecord) {
        guard let ids = r.coinIDs else { return }
        if isDuplicated(id) {
            for coin in ids {
                noteCoin(coin)
                coinTable[coin] = CoinState(holder: id, record: r)
            }
            players[id]?.carried = Set(ids)
            return
        }
        if let n = r.coins, n != ids.count {
            violate(.coins, "the accept of player \(id) at \(r.place) counts \(n) coins but lists \(ids.count) coin ids",
                    ev(r))
        }
        let before = players[id]?.carried ?? []
        for coin in ids {
            noteCoin(coin)
            if let c = coinTable[coin] {
                if let holder = c.holder, holder != id, !isDuplicated(holder) {
                    violate(.coins,
                            "coin \(coin) held twice: player \(id) carries it into \(r.zone) while player \(holder) carries it",
                            ev(c.record, r))
                    players[holder]?.carried.remove(coin)
                } else if c.holder == nil {
                    violate(.coins,
                            "coin \(coin) held twice: player \(id) carries it into \(r.zone) while it lies on the ground",
                            ev(c.record, r))
                }
            }
            coinTable[coin] = CoinState(holder: id, record: r)
        }
        let missing = before.subtracting(ids).sorted()
        if !missing.isEmpty {
            let list = missing.map(String.init).joined(separator: ", ")
            violate(.coins,
                    "coin\(missing.count == 1 ? "" : "s") \(list) lost in the handoff of player \(id): it carried "
                        + "\(missing.count == 1 ? "it" : "them") but the accept at \(r.place) does not list "
                        + "\(missing.count == 1 ? "it" : "them")",
                    ev(missing.compactMap { coinTable[$0]?.record }.first, r))
            for coin in missing where coinTable[coin]?.holder == id { coinTable[coin] = nil }
        }
        players[id]?.carried = Set(ids)
    }

    /// Whether the player was live twice (its coin ids cannot be followed per player any more).
    func isDuplicated(_ id: UInt32) -> Bool {
        players[id]?.duplicated ?? false
    }

    mutating func onDigest(_ r: RefereeRecord) {
        guard var z = zones[r.zone] else { return }
        z.lastDigestTick = r.tick
        z.lastDigest = r
        zones[r.zone] = z
        guard z.isActive else { return }
        pendingDigests[r.tick, default: [:]][r.zone] = r
        checkPendingDigests()
    }

    /// Checks conservation at every tick all running zones wrote a digest for; forgets ticks that can no longer
    /// complete (a late zone skips ticks).
    mutating func checkPendingDigests() {
        let active = zones.filter { $0.value.isActive }
        guard !active.isEmpty else { pendingDigests = [:]; return }
        for tick in pendingDigests.keys.sorted() {
            let entry = pendingDigests[tick]!
            guard active.keys.allSatisfy({ entry[$0] != nil }) else { continue }
            pendingDigests[tick] = nil
            checkConservation(tick: tick, digests: entry)
        }
        let minTick = active.values.compactMap(\.lastDigestTick).min() ?? 0
        if active.values.allSatisfy({ $0.lastDigestTick != nil }) {
            pendingDigests = pendingDigests.filter { $0.key >= minTick }
        }
    }

    mutating func checkConservation(tick: UInt64, digests: [String: RefereeRecord]) {
        var counted = 0
        var evidence: [RefereeRecord] = []
        var expected = 0
        for (zone, z) in zones.sorted(by: { $0.key < $1.key }) where z.started {
            expected += z.startCoins
            // A stopped zone keeps the coins of its last digest on its ground.
            guard let d = digests[zone] ?? (z.stopped ? z.lastDigest : nil) else { continue }
            counted += (d.coinsGround ?? 0) + (d.coinsCarried ?? 0)
            evidence.append(d)
        }
        // A carrier's coins are in the receiver's digests from the tick after its accept and in the sender's
        // up to the tick of its release, each by its own zone's tick. Zones share the world clock but a busy
        // zone runs its ticks late, so the two windows may overlap (counted twice) or, when the receiver's
        // clock is ahead, leave a gap (counted by neither); both are corrected here.
        var moving = 0
        var handoffEvidence: [RefereeRecord] = []
        for h in handoffs.values {
            guard let accept = h.accept, h.coins > 0 else { continue }
            let copies = (accept.tick < tick ? 1 : 0) + (h.releaseTick.map { tick <= $0 } ?? true ? 1 : 0)
            guard copies != 1 else { continue }
            moving += (copies - 1) * h.coins
            handoffEvidence.append(accept)
        }
        let delta = counted - moving - expected
        defer { lastCoinDelta = delta }
        guard delta != 0, delta != lastCoinDelta else { return }
        let movingText = moving > 0 ? " (\(moving) of them counted twice by zones in a handoff)"
            : moving < 0 ? " (and \(-moving) carried in a handoff counted by neither zone at that tick)" : ""
        violate(.coins,
                "coins are not conserved at tick \(tick): the zones' digests count \(counted) coins\(movingText), "
                    + "\(delta > 0 ? "\(delta) more" : "\(-delta) fewer") than the \(expected) the zones started with",
                (evidence + handoffEvidence.sorted { $0.ms < $1.ms }).map { $0.jsonValue() })
    }

    // MARK: Combat

    mutating func onHit(_ r: RefereeRecord) {
        guard let shooter = r.shooter, let target = r.target, let shot = r.shot else { return }
        checked.shots += 1
        // A forwarded hit (`from` the shooter's zone) is journaled by the target's owner, not the shooter's.
        if r.from == nil, requireNotLeft(shooter, r) { _ = requireOwner(shooter, r) }
        if requireNotLeft(target, r) { _ = requireOwner(target, r) }
        let key = ShotKey(a: shooter, b: 0, shot: shot)
        if let earlier = recentHits[key] {
            violate(.shotOnce,
                    "shot \(shot) of player \(shooter) hit twice: \(earlier.target ?? 0) at \(earlier.place) and "
                        + "\(target) at \(r.place)",
                    ev(earlier, r))
            return  // a repeated hit is not a second death waiting for its kill
        }
        recentHits[key] = r
        if let health = r.health, health <= 0 {
            zones[r.zone]!.pendingFatal.append(r)
        }
    }

    mutating func onKill(_ r: RefereeRecord) {
        guard let killer = r.killer, let victim = r.victim, let shot = r.shot else { return }
        checked.kills += 1
        if r.from == nil, requireNotLeft(killer, r) { _ = requireOwner(killer, r) }
        if requireNotLeft(victim, r) { _ = requireOwner(victim, r) }
        let key = ShotKey(a: killer, b: victim, shot: shot)
        if let i = zones[r.zone]!.pendingFatal.firstIndex(where: {
            $0.shooter == killer && $0.target == victim && $0.shot == shot
        }) {
            zones[r.zone]!.pendingFatal.remove(at: i)
            recentKills[key] = r
        } else if let earlier = recentKills[key] {
            violate(.killOnce,
                    "the death of player \(victim) by shot \(shot) of player \(killer) is credited twice",
                    ev(earlier, r))
        } else {
            let hit = recentHits[ShotKey(a: killer, b: 0, shot: shot)]
            violate(.killOnce,
                    "kill of player \(victim) by player \(killer) (shot \(shot)) at \(r.place) without a hit "
                        + "that took it to 0 health in that zone",
                    ev(hit, r))
            recentKills[key] = r
        }
    }

    /// The shooter's zone credits a forwarded kill when the answer comes: at most once per shot.
    mutating func onHitResult(_ r: RefereeRecord) {
        guard r.reason == "killed", let shooter = r.shooter, let target = r.target, let shot = r.shot else { return }
        let key = ShotKey(a: shooter, b: target, shot: shot)
        if let earlier = recentCredits[key] {
            violate(.killOnce, "the kill of player \(target) by shot \(shot) of player \(shooter) is credited twice "
                        + "across the border", ev(earlier, r))
            return
        }
        recentCredits[key] = r
    }

    /// A fatal hit's kill follows in the same tick: once the zone writes a later tick, a fatal hit without
    /// its kill is a death nobody was credited for.
    mutating func settleFatalHits(zone: String, before tick: UInt64) {
        guard let pending = zones[zone]?.pendingFatal, !pending.isEmpty else { return }
        var still: [RefereeRecord] = []
        for hit in pending {
            if hit.tick < tick {
                violate(.killOnce,
                        "player \(hit.target ?? 0) was hit to 0 health by player \(hit.shooter ?? 0) (shot "
                            + "\(hit.shot ?? 0)) at \(hit.place) but no kill was credited",
                        ev(hit))
            } else {
                still.append(hit)
            }
        }
        zones[zone]!.pendingFatal = still
    }
}
