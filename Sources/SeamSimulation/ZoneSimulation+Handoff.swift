import SeamProtocol
import SeamWorld

extension ZoneSimulation {
    /// Freezes or unfreezes a player (see `PlayerState.frozen`).
    public mutating func setFrozen(_ frozen: Bool, player id: UInt32) {
        guard let i = indexOfPlayer[id] else { return }
        players[i].frozen = frozen
        if frozen { players[i].velocity = .zero }
    }

    /// The player's full state for an offer to a neighbour, at `epoch`.
    public func transfer(of id: UInt32, epoch: UInt32, lastInputSequence: UInt32) -> PlayerTransfer? {
        guard let i = indexOfPlayer[id] else { return nil }
        let p = players[i]
        return PlayerTransfer(
            player: id, epoch: epoch, lastInputSequence: lastInputSequence, x: p.position.x, y: p.position.y,
            vx: p.velocity.x, vy: p.velocity.y, health: UInt8(clamping: p.health), kills: UInt16(clamping: p.kills),
            deaths: UInt16(clamping: p.deaths), name: names[id] ?? "", coins: carriedCoins(of: id))
    }

    /// Where a coin is in this zone's table, if it is here at all.
    public func coinIndex(_ id: UInt32) -> Int? { indexOfCoin[id] }

    /// Installs a player handed over by a neighbour, with the coins it carries (they join this zone's table).
    public mutating func install(_ t: PlayerTransfer) {
        precondition(indexOfPlayer[t.player] == nil, "player \(t.player) already in zone")
        var p = PlayerState(id: t.player, position: Vec2(x: t.x, y: t.y), health: Int(t.health))
        p.velocity = Vec2(x: t.vx, y: t.vy)
        p.kills = Int(t.kills)
        p.deaths = Int(t.deaths)
        p.coinCount = t.coins.count
        p.inputSequence = t.lastInputSequence
        p.lastShotSequence = t.lastInputSequence
        names[t.player] = t.name
        indexOfPlayer[t.player] = players.count
        players.append(p)
        for coin in t.coins {
            precondition(indexOfCoin[coin] == nil, "coin \(coin) already in zone")
            coins.append(CoinState(id: coin, place: .carried(by: t.player)))
        }
        reindexCoins()
    }

    /// Removes a player handed over to a neighbour, with its coins: they now belong to the new owner.
    public mutating func release(_ id: UInt32) {
        guard let i = indexOfPlayer[id] else { return }
        coins.removeAll { $0.place == .carried(by: id) }
        reindexCoins()
        removeFromTable(at: i)
    }

    /// Puts a copy of every coin the player carries on the ground where it stands, without an event.
    /// Only for fault injection (`duplicate-coin`): it breaks coin conservation on purpose.
    public mutating func dropSilently(_ id: UInt32) {
        guard let i = indexOfPlayer[id] else { return }
        let at = zone.rect.clamp(players[i].position, margin: config.playerRadius)
        for c in coins.indices where coins[c].place == .carried(by: id) {
            coins[c].place = .ground(at)
        }
        groundRevision &+= 1
        players[i].coinCount = 0
    }

    /// Moves a player by `offset` within the territory, without an event. Only for fault injection.
    public mutating func teleport(_ id: UInt32, by offset: Vec2) {
        guard let i = indexOfPlayer[id] else { return }
        players[i].position = zone.rect.clamp(players[i].position + offset, margin: config.playerRadius)
    }

    /// Moves a player back inside the territory (after a refused handoff, the border is a wall).
    public mutating func pushInside(_ id: UInt32) {
        guard let i = indexOfPlayer[id] else { return }
        players[i].position = zone.rect.clamp(players[i].position, margin: config.playerRadius)
        players[i].velocity = .zero
    }

    /// Coins stay sorted by id so drops and digests are deterministic wherever a coin came from.
    private mutating func reindexCoins() {
        coins.sort { $0.id < $1.id }
        indexOfCoin.removeAll(keepingCapacity: true)
        for (k, c) in coins.enumerated() { indexOfCoin[c.id] = k }
    }
}
