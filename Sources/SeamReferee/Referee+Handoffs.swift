/// Handoffs: single-owner (per epoch), epochs-grow, handoff-resolves, state-intact, coins carried across.
extension Referee {
    mutating func onOffer(_ r: RefereeRecord) {
        guard let id = r.player, let e = r.epoch, requireNotLeft(id, r), requireOwner(id, r) else { return }
        let p = players[id]!
        let taken = max(p.maxAcceptEpoch, p.ownerEpoch)
        if e < p.maxOfferEpoch || e <= taken {
            let why = e < p.maxOfferEpoch
                ? "an earlier offer was at epoch \(p.maxOfferEpoch)"
                : "epoch \(taken) is already taken"
            violate(.epochsGrow, "player \(id) offered by \(r.zone) at epoch \(e), but \(why): epochs must grow",
                    ev(p.lastEpochRecord ?? p.ownerRecord, r, player: id))
        }
        players[id]!.maxOfferEpoch = max(p.maxOfferEpoch, e)
        players[id]!.lastEpochRecord = r
        let key = HandoffKey(player: id, epoch: e, from: r.zone)
        var h = handoffs[key] ?? HandoffState(lastMs: r.ms)
        h.offer = r
        h.offerOpen = true
        h.lastMs = r.ms
        if let accept = h.accept { compareDigests(offer: r, accept: accept) }
        handoffs[key] = h
        if !players[id]!.openOffers.contains(key) { players[id]!.openOffers.append(key) }
        if let x = r.x, let y = r.y { sample(id, x: x, y: y, r) }
    }

    mutating func onAccept(_ r: RefereeRecord) {
        guard let id = r.player, let e = r.epoch, requireNotLeft(id, r) else { return }
        adopt(id, r)
        let p = players[id]!
        if e == p.maxAcceptEpoch {
            if p.maxAcceptZone == r.zone { return }  // a repeated accept: allowed, changes nothing
            if !p.flagged.contains(r.zone) {
                markLiveTwice(id, zone: r.zone)
                violate(.singleOwner,
                        "player \(id) has two owners at epoch \(e): \(p.maxAcceptZone ?? "?") and \(r.zone)",
                        ev(p.maxAcceptRecord, r, player: id))
            }
            return
        }
        if e < p.maxAcceptEpoch || e < p.maxOfferEpoch {
            let newest = max(p.maxAcceptEpoch, p.maxOfferEpoch)
            violate(.epochsGrow,
                    "player \(id) accepted by \(r.zone) at epoch \(e) after epoch \(newest) was already used: epochs must grow",
                    ev(p.lastEpochRecord, r, player: id))
            markLiveTwice(id, zone: r.zone)
            players[id]!.lastEpochRecord = r
            return
        }
        if let owner = p.owner, owner != r.zone, p.ownerEpoch >= e {
            if !p.flagged.contains(r.zone) {
                markLiveTwice(id, zone: r.zone)
                violate(.singleOwner,
                        "player \(id) accepted by \(r.zone) at epoch \(e) while \(owner) already owns it at epoch \(p.ownerEpoch)",
                        ev(p.ownerRecord, r, player: id))
            }
            return
        }
        checked.handoffs += 1
        let key = HandoffKey(player: id, epoch: e, from: r.from ?? "")
        var h = handoffs[key] ?? HandoffState(lastMs: r.ms)
        h.accept = r
        h.lastMs = r.ms
        if let offer = h.offer { compareDigests(offer: offer, accept: r) }
        handoffs[key] = h
        moveCarriedCoins(id, r)

        var q = players[id]!
        q.owner = r.zone
        q.ownerEpoch = e
        q.ownerRecord = r
        q.releasedBy = nil
        q.releaseRecord = nil
        q.flagged = []
        q.maxAcceptEpoch = e
        q.maxAcceptZone = r.zone
        q.maxAcceptRecord = r
        q.lastEpochRecord = r
        players[id] = q
        if let x = r.x, let y = r.y { sample(id, x: x, y: y, r) }
    }

    mutating func onCommit(_ r: RefereeRecord) {
        guard let id = r.player, let e = r.epoch else { return }
        settleOffers(id, zone: r.zone, r, checkTime: true)
        let key = HandoffKey(player: id, epoch: e, from: r.zone)
        var h = handoffs[key] ?? HandoffState(lastMs: r.ms)
        h.releaseTick = r.tick
        h.lastMs = r.ms
        handoffs[key] = h
        guard var p = players[id], !p.left else { return }
        if p.owner == r.zone {
            // The accept was not seen (yet): the player is between owners.
            p.owner = nil
            p.releasedBy = r.zone
            p.releaseRecord = r
            players[id] = p
        }
    }

    mutating func onAbort(_ r: RefereeRecord) {
        guard let id = r.player else { return }
        let accepted = settleOffers(id, zone: r.zone, r, checkTime: true)
        // After an accept, the aborting owner lets go of the player and its coins (a zone stopping mid-handoff).
        for key in accepted {
            handoffs[key]!.releaseTick = r.tick
        }
        guard let p = players[id], !p.left else { return }
        if let owner = p.owner, owner != r.zone {
            // The player was taken by another zone; resuming it here would make it live twice, unless the
            // zone is stopping and releases it.
            let stopping = (r.reason ?? "").contains("stop")
            if !stopping && !p.flagged.contains(r.zone) {
                markLiveTwice(id, zone: r.zone)
                violate(.singleOwner,
                        "zone \(r.zone) resumed player \(id) (abort) although \(owner) accepted it at epoch \(p.ownerEpoch)",
                        ev(p.ownerRecord, r, player: id))
            }
            return
        }
        if p.owner == r.zone, let x = r.x, let y = r.y { sample(id, x: x, y: y, r, reset: true) }
    }

    mutating func onResolve(_ r: RefereeRecord) {
        guard let id = r.player, let e = r.epoch else { return }
        settleOffers(id, zone: r.zone, r, checkTime: true)
        guard (r.reason ?? "").contains("declared dead") else { return }  // a commit or abort follows
        guard requireNotLeft(id, r) else { return }
        adopt(id, r)
        let p = players[id]!
        var flagged: Set<String> = []
        if let owner = p.owner, owner != r.zone {
            violate(.singleOwner,
                    "zone \(r.zone) resumed player \(id) at epoch \(e) (neighbour declared dead) while \(owner), "
                        + "which accepted it at epoch \(p.ownerEpoch), still holds it: the player is live twice",
                    ev(p.ownerRecord, r, player: id))
            flagged.insert(owner)
        } else if p.owner == nil, let released = p.releasedBy, released != r.zone {
            flagged.insert(released)
        }
        var q = p
        q.owner = r.zone
        q.ownerEpoch = max(e, p.ownerEpoch)
        q.ownerRecord = r
        q.releasedBy = nil
        q.releaseRecord = nil
        q.flagged = flagged
        if !flagged.isEmpty { q.duplicated = true }
        players[id] = q
        if let x = r.x, let y = r.y { sample(id, x: x, y: y, r, reset: true) }
    }

    /// Settles the open offers of player `id` made by `zone`; with `checkTime`, reports one settled later than
    /// the bound. Returns the keys of the settled handoffs that had an accept.
    @discardableResult
    mutating func settleOffers(_ id: UInt32, zone: String, _ r: RefereeRecord, checkTime: Bool) -> [HandoffKey] {
        guard let open = players[id]?.openOffers, !open.isEmpty else { return [] }
        var accepted: [HandoffKey] = []
        var still: [HandoffKey] = []
        for key in open {
            guard let h = handoffs[key], h.offerOpen, let offer = h.offer else { continue }
            guard key.from == zone else { still.append(key); continue }
            let e = key.epoch
            handoffs[key]!.offerOpen = false
            handoffs[key]!.lastMs = r.ms
            if h.accept != nil { accepted.append(key) }
            if checkTime, r.ms - offer.ms > offerBoundMs {
                violate(.handoffResolves,
                        "the handoff of player \(id) at epoch \(e) from \(zone) took "
                            + "\(RefereeJSON.decimal(Double(r.ms - offer.ms) / 1000)) s to settle, more than "
                            + "\(RefereeJSON.decimal(options.offerBoundSeconds)) s",
                        ev(offer, h.accept, r, player: id))
            }
        }
        players[id]!.openOffers = still
        return accepted
    }

    mutating func reportLost(_ key: HandoffKey, _ h: HandoffState) {
        handoffs[key]!.offerOpen = false
        players[key.player]?.openOffers.removeAll { $0 == key }
        players[key.player]?.lostInHandoff = true
        let offer = h.offer!
        violate(.handoffResolves,
                "player \(key.player) lost in handoff: \(offer.zone) offered it to \(offer.to ?? "?") at epoch "
                    + "\(key.epoch) and no commit, abort or resolve followed within "
                    + "\(RefereeJSON.decimal(options.offerBoundSeconds)) s",
                ev(offer, h.accept, player: key.player))
    }

    mutating func compareDigests(offer: RefereeRecord, accept: RefereeRecord) {
        guard let sent = offer.digest, let got = accept.digest, sent != got else { return }
        violate(.stateIntact,
                "player \(offer.player ?? 0)'s state changed in the handoff at epoch \(offer.epoch ?? 0): "
                    + "\(offer.zone) offered digest \(String(sent, radix: 16)) but \(accept.zone) accepted "
                    + "digest \(String(got, radix: 16))",
                ev(offer, accept))
    }
}
