import SeamWorld

extension ZoneSimulation {
    /// Other players within the view radius of player `index`, nearest first, as (index, squared distance).
    /// Uses the grid built at the last step, so the cost follows the local crowd, not the zone's population.
    public func visiblePlayers(from index: Int, into out: inout [(index: Int, distanceSquared: Double)]) {
        out.removeAll(keepingCapacity: true)
        let me = players[index].position
        let r2 = config.viewRadius * config.viewRadius
        grid.forEachCandidate(around: me, radius: config.viewRadius) { j in
            guard j != index, j < players.count else { return }
            let d2 = (players[j].position - me).lengthSquared
            if d2 <= r2 { out.append((j, d2)) }
        }
        out.sort { $0.distanceSquared < $1.distanceSquared || ($0.distanceSquared == $1.distanceSquared && $0.index < $1.index) }
    }

    /// Coins on the ground within the view radius of `center`, nearest first.
    public func visibleCoins(from center: Vec2, into out: inout [(id: UInt32, at: Vec2, distanceSquared: Double)]) {
        out.removeAll(keepingCapacity: true)
        let r2 = config.viewRadius * config.viewRadius
        for c in coins {
            guard case .ground(let at) = c.place else { continue }
            let d2 = (at - center).lengthSquared
            if d2 <= r2 { out.append((c.id, at, d2)) }
        }
        out.sort { $0.distanceSquared < $1.distanceSquared || ($0.distanceSquared == $1.distanceSquared && $0.id < $1.id) }
    }
}
