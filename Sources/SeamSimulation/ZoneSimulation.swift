#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeamProtocol
import SeamWorld

/// The deterministic simulation of one zone: players, coins, shots. Pure: no sockets, files or wall time.
/// Feed inputs with `apply(_:sequence:to:)`, advance with `step()`, read state and events.
public struct ZoneSimulation: Sendable {
    public let map: GameMap
    public let zone: ZoneSpec
    public let config: SimulationConfig
    public private(set) var tick: UInt64
    public internal(set) var players: [PlayerState] = []
    public internal(set) var coins: [CoinState] = []
    /// Changes whenever a coin is picked up or dropped (the coins on the ground changed).
    public internal(set) var groundRevision: UInt64 = 0
    /// Events of the last `step()` (and of joins/leaves since), cleared by `takeEvents`.
    public private(set) var events: [SimEvent] = []
    public private(set) var grid: SpatialGrid
    /// Where players may move: the territory, widened by the handoff hysteresis toward reachable neighbours.
    /// Set by the zone each tick; defaults to the territory (every border a wall).
    public var movementBounds: (minX: Double, minY: Double, maxX: Double, maxY: Double)
    /// Neighbours' players in the border band, set by the zone each tick; in the grid after players.
    public var ghosts: [GhostState] = []
    /// Positions of owned players and ghosts over the last second, for lag compensation.
    public private(set) var history = PositionHistory()
    /// How shots were judged since the zone started: rewind verdicts and the summed rewind, in ticks.
    public private(set) var rewindStats = RewindStats()

    var indexOfPlayer: [UInt32: Int] = [:]
    var names: [UInt32: String] = [:]
    var indexOfCoin: [UInt32: Int] = [:]
    private let spawnPoints: [Vec2]
    private var nextSpawn = 0

    public init(map: GameMap, zone: ZoneSpec, config: SimulationConfig = SimulationConfig(), startTick: UInt64 = 0) {
        self.map = map
        self.zone = zone
        self.config = config
        self.tick = startTick
        spawnPoints = map.spawns(in: zone).map { Vec2(x: Double($0.x) + 0.5, y: Double($0.y) + 0.5) }
        precondition(!spawnPoints.isEmpty, "a zone needs a spawn point; the map parser guarantees one")
        for (id, tile) in map.coinSpots(in: zone) {
            indexOfCoin[id] = coins.count
            coins.append(CoinState(id: id, place: .ground(Vec2(x: Double(tile.x) + 0.5, y: Double(tile.y) + 0.5))))
        }
        grid = SpatialGrid(width: map.width, height: map.height, cellSize: config.viewRadius / 4)
        movementBounds = (zone.rect.minX, zone.rect.minY, zone.rect.maxX, zone.rect.maxY)
    }

    // MARK: Players

    public func index(of player: UInt32) -> Int? { indexOfPlayer[player] }
    public func name(of player: UInt32) -> String? { names[player] }

    /// Ids of the coins `player` carries, ascending.
    public func carriedCoins(of player: UInt32) -> [UInt32] {
        coins.compactMap { $0.place == .carried(by: player) ? $0.id : nil }
    }
    public func player(_ id: UInt32) -> PlayerState? { indexOfPlayer[id].map { players[$0] } }

    /// Adds a player at the next spawn point (round-robin, deterministic).
    @discardableResult
    public mutating func addPlayer(id: UInt32, name: String) -> PlayerState {
        precondition(indexOfPlayer[id] == nil, "player \(id) already in zone")
        let p = PlayerState(id: id, position: takeSpawnPoint(), health: config.maxHealth)
        names[id] = name
        indexOfPlayer[id] = players.count
        players.append(p)
        return p
    }

    /// Removes a player; its coins drop where it stood (cause "leave"), so no coin leaves the world with it.
    public mutating func removePlayer(id: UInt32) {
        guard let i = indexOfPlayer[id] else { return }
        dropCoins(of: i, cause: "leave")
        removeFromTable(at: i)
    }

    /// Removes player `i` from the tables (swap with the last, O(1)); its coins are the caller's business.
    mutating func removeFromTable(at i: Int) {
        let id = players[i].id
        indexOfPlayer[id] = nil
        names[id] = nil
        let last = players.count - 1
        if i != last {
            players.swapAt(i, last)
            indexOfPlayer[players[i].id] = i
        }
        players.removeLast()
    }

    /// Sets the input the player follows from the next step on.
    public mutating func apply(_ input: InputCommand, sequence: UInt32, to id: UInt32) {
        guard let i = indexOfPlayer[id] else { return }
        apply(input, sequence: sequence, at: i)
    }

    /// The same for the player at `index` of `players` (a zone's tick walks them in order: no lookup by id).
    public mutating func apply(_ input: InputCommand, sequence: UInt32, at index: Int) {
        players[index].input = input
        players[index].inputSequence = sequence
    }

    public mutating func takeEvents(into out: inout [SimEvent]) {
        out.append(contentsOf: events)
        events.removeAll(keepingCapacity: true)
    }

    // MARK: Step

    /// Advances one tick: respawns, movement, shots, pickups, in that order.
    public mutating func step() {
        step(to: tick + 1)
    }

    /// Runs one tick's work and sets the tick to `newTick`. A zone that fell far behind the world clock
    /// skips ticks this way instead of running them back to back.
    public mutating func step(to newTick: UInt64) {
        precondition(newTick > tick, "ticks only grow")
        tick = newTick
        respawnDue()
        move()
        let owned = players.count
        grid.resize(cellSize: ZoneSimulation.cellSize(items: owned + ghosts.count, area: zone.rect.area, view: config.viewRadius))
        grid.rebuild(count: owned + ghosts.count) { $0 < owned ? players[$0].position : ghosts[$0 - owned].position }
        recordHistory()
        shoot()
        pickUpCoins()
    }

    private mutating func respawnDue() {
        for i in players.indices where !players[i].alive && players[i].respawnTick <= tick {
            players[i].alive = true
            players[i].health = config.maxHealth
            players[i].velocity = .zero
            players[i].position = takeSpawnPoint()
            events.append(.respawn(player: players[i].id, at: players[i].position))
        }
    }

    private mutating func takeSpawnPoint() -> Vec2 {
        defer { nextSpawn = (nextSpawn + 1) % spawnPoints.count }
        return spawnPoints[nextSpawn]
    }

    private mutating func move() {
        let dt = config.tickSeconds
        let maxDelta = config.acceleration * dt
        // What the walls and bounds test reads, taken once: a method of `self` called per player from this
        // mutating loop made Swift copy the whole simulation for each call (a retain per array it holds,
        // most of a busy zone's retains).
        let map = map, bounds = movementBounds, r = config.playerRadius
        for i in players.indices where players[i].alive && !players[i].frozen {
            let input = players[i].input
            var wish = Vec2(x: Double(input.moveX) / 127, y: Double(input.moveY) / 127)
            let length = wish.length
            if length > 1 { wish = wish * (1 / length) }
            let desired = wish * config.maxSpeed
            var v = players[i].velocity
            let change = desired - v
            let changeLength = change.length
            v = changeLength <= maxDelta ? desired : v + change * (maxDelta / changeLength)
            // Work on locals: passing `&players[i].velocity` into a method of `self` made Swift copy the whole
            // players array for every player (quadratic: 68% of a 4,000-player tick).
            let position = Self.collide(players[i].position, velocity: &v, dt: dt, map: map, bounds: bounds, radius: r)
            players[i].velocity = v
            players[i].position = position
        }
    }

    /// Moves along x then y, stopping at wall tiles and at the zone's territory (a wall until handoff exists).
    private static func collide(
        _ start: Vec2, velocity v: inout Vec2, dt: Double, map: GameMap,
        bounds b: (minX: Double, minY: Double, maxX: Double, maxY: Double), radius r: Double
    ) -> Vec2 {
        var p = start
        let nx = p.x + v.x * dt
        if overlapsWall(x: nx, y: p.y, r: r, map: map) {
            v.x = 0
        } else {
            p.x = nx
        }
        let ny = p.y + v.y * dt
        if overlapsWall(x: p.x, y: ny, r: r, map: map) {
            v.y = 0
        } else {
            p.y = ny
        }
        let clamped = Vec2(x: min(max(p.x, b.minX + r), b.maxX - r), y: min(max(p.y, b.minY + r), b.maxY - r))
        if clamped.x != p.x { v.x = 0 }
        if clamped.y != p.y { v.y = 0 }
        return clamped
    }

    @inline(__always)
    private static func overlapsWall(x: Double, y: Double, r: Double, map: GameMap) -> Bool {
        let x0 = Int((x - r).rounded(.down)), x1 = Int((x + r).rounded(.down))
        let y0 = Int((y - r).rounded(.down)), y1 = Int((y + r).rounded(.down))
        for ty in y0...y1 {
            for tx in x0...x1 where map.isWall(x: tx, y: ty) { return true }
        }
        return false
    }

    /// This tick's positions of everyone a shot could hit, as clients will see them in this tick's snapshot.
    private mutating func recordHistory() {
        for p in players { history.record(p.id, at: p.position, alive: p.alive && !p.frozen, tick: tick) }
        for g in ghosts { history.record(g.id, at: g.position, alive: g.alive, tick: tick) }
        history.prune(now: tick)
    }

    private mutating func shoot() {
        for i in players.indices {
            let shooter = players[i]
            guard !shooter.frozen, shooter.input.firing, shooter.inputSequence != shooter.lastShotSequence else { continue }
            guard shooter.alive else {
                players[i].lastShotSequence = shooter.inputSequence
                events.append(.shotVoid(shooter: shooter.id, shot: shooter.inputSequence, reason: .shooterDead))
                continue
            }
            guard tick + config.shotSlackTicks >= shooter.shotReadyTick else { continue }
            players[i].shotReadyTick = max(shooter.shotReadyTick, tick) + config.shotCooldownTicks
            players[i].lastShotSequence = shooter.inputSequence
            guard let target = judgeShot(of: i) else { continue }
            if target < players.count {
                damage(target: target, shooter: shooter.id, shooterIndex: i, shot: shooter.inputSequence, origin: nil)
            } else {
                let g = ghosts[target - players.count]
                events.append(.ghostHit(shooter: shooter.id, target: g.id, shot: shooter.inputSequence,
                                        damage: config.shotDamage))
            }
        }
    }

    /// The first player (owned index, or `players.count + ghost index`) the shot of player `i` hits, judged
    /// as the shooter saw the world: shooter and targets rewound to the trusted view time, interpolated
    /// between ticks; walls stop the ray. Without lag compensation, against the present.
    mutating func judgeShot(of i: Int) -> Int? {
        let shooter = players[i]
        let angle = Quantize.angle(shooter.input.aim)
        let d = Vec2(x: cos(angle), y: sin(angle))
        var time = Double(tick)
        var origin = shooter.position
        if config.lagCompensation {
            let judged = config.rewind.judgeTime(now: tick, claim: shooter.input.viewTime,
                                                 roundTripTicks: shooter.roundTripTicks)
            time = judged.time
            rewindStats.note(judged.verdict, rewind: Double(tick) - time)
            if let then = history.position(of: shooter.id, at: time) {
                // Dead at the time it claims to have seen: its own view was not yet alive, no shot.
                guard then.alive else {
                    events.append(.shotVoid(shooter: shooter.id, shot: shooter.inputSequence, reason: .shooterDead))
                    return nil
                }
                origin = then.position
            }
        }
        let limit = Raycast.wallDistance(map: map, from: origin, direction: d, maxDistance: config.shotRange)
        // Candidates come from the grid at present positions: widen the search by how far shooter and
        // target can have moved since `time`.
        let moved = 2 * config.maxSpeed * (Double(tick) - time) * config.tickSeconds
        let owned = players.count
        var best: (index: Int, t: Double, id: UInt32)?
        var unavailable: (t: Double, frozen: Bool)?
        grid.forEachCandidate(around: shooter.position, radius: limit + config.hitRadius + moved) { j in
            guard j != i else { return }
            let id: UInt32
            let available: Bool
            var frozen = false
            if j < owned {
                available = players[j].alive && !players[j].frozen
                frozen = players[j].frozen
                id = players[j].id
            } else {
                available = ghosts[j - owned].alive
                id = ghosts[j - owned].id
            }
            let center: Vec2
            if config.lagCompensation {
                guard let then = history.position(of: id, at: time), then.alive else { return }
                center = then.position
            } else {
                center = j < owned ? players[j].position : ghosts[j - owned].position
            }
            guard let t = Raycast.circleHit(from: origin, direction: d, center: center, radius: config.hitRadius),
                  t <= limit else { return }
            guard available else {
                // Hit as seen, but dead or frozen in a handoff now: no damage, and the shooter is told why.
                if unavailable == nil || t < unavailable!.t { unavailable = (t, frozen) }
                return
            }
            if best == nil || t < best!.t || (t == best!.t && id < best!.id) { best = (j, t, id) }
        }
        if let u = unavailable, best == nil || u.t < best!.t {
            rewindStats.noteUnavailable(frozen: u.frozen)
            events.append(.shotVoid(shooter: shooter.id, shot: shooter.inputSequence,
                                    reason: u.frozen ? .targetInHandoff : .targetDead))
            return nil
        }
        return best?.index
    }

    /// Applies one shot's damage to owned player `j`. `shooterIndex` is the shooter's index when this zone
    /// owns it (it is credited a kill here), nil for a hit forwarded from zone `origin`.
    private mutating func damage(target j: Int, shooter: UInt32, shooterIndex i: Int?, shot: UInt32, origin: UInt16?) {
        let damage = min(config.shotDamage, players[j].health)
        players[j].health -= damage
        events.append(.hit(shooter: shooter, target: players[j].id, shot: shot, damage: damage,
                           health: players[j].health, origin: origin))
        guard players[j].health <= 0 else { return }
        players[j].alive = false
        players[j].deaths += 1
        players[j].velocity = .zero
        players[j].respawnTick = tick + config.respawnTicks
        if let i { players[i].kills += 1 }
        events.append(.kill(killer: shooter, victim: players[j].id, shot: shot, origin: origin))
        events.append(.died(player: players[j].id, killer: shooter, respawnTick: players[j].respawnTick))
        dropCoins(of: j, cause: "death")
    }

    /// Drops every carried coin at the player's position, clamped inside the zone's territory.
    /// Scans the zone's coins (tens, not thousands), in id order, so drops are deterministic.
    private mutating func dropCoins(of i: Int, cause: String) {
        guard players[i].coinCount > 0 else { return }
        let at = zone.rect.clamp(players[i].position, margin: config.playerRadius)
        let id = players[i].id
        for c in coins.indices where coins[c].place == .carried(by: id) {
            coins[c].place = .ground(at)
            events.append(.drop(player: id, coin: coins[c].id, at: at, cause: cause))
        }
        groundRevision &+= 1
        players[i].coinCount = 0
    }

    private mutating func pickUpCoins() {
        let r2 = config.pickupRadius * config.pickupRadius
        for c in coins.indices {
            guard case .ground(let at) = coins[c].place else { continue }
            var best: (index: Int, d2: Double)?
            grid.forEachCandidate(around: at, radius: config.pickupRadius) { j in
                guard j < players.count, players[j].alive, !players[j].frozen else { return }
                let d2 = (players[j].position - at).lengthSquared
                guard d2 <= r2 else { return }
                if best == nil || d2 < best!.d2 || (d2 == best!.d2 && players[j].id < players[best!.index].id) {
                    best = (j, d2)
                }
            }
            if let j = best?.index {
                coins[c].place = .carried(by: players[j].id)
                groundRevision &+= 1
                players[j].coinCount += 1
                events.append(.pickup(player: players[j].id, coin: coins[c].id, at: at))
            }
        }
    }

    /// A cell size for about three items per cell at the zone's current density, in whole tiles from 2 up
    /// to a quarter of the view radius (the fixed size before crowds were measured), so the grid is not
    /// resized for every player who joins.
    static func cellSize(items: Int, area: Int, view: Double) -> Double {
        guard items > 0 else { return view / 4 }
        let ideal = (3 * Double(area) / Double(items)).squareRoot()
        return min(max(ideal.rounded(.down), 2), view / 4)
    }

    // MARK: Cross-border hits

    /// Sets the round-trip time (ticks) of the client of the player at `index`, the base of its rewind window.
    public mutating func setRoundTrip(_ ticks: Double, at index: Int) {
        players[index].roundTripTicks = ticks
    }

    /// A hit forwarded by zone `origin` on player `target`, which this zone should own: applies it (events
    /// `hit`, and `kill`/`died` if fatal, carry `origin`) or says why not. The caller keeps shots unique.
    /// With `origin` nil the shot was fired here at a ghost that has been handed over to this zone since:
    /// a local hit, late (a local shooter is credited the kill here).
    public mutating func applyRemoteHit(shooter: UInt32, target: UInt32, shot: UInt32, origin: UInt16?) -> (outcome: HitOutcome, health: Int) {
        guard let j = indexOfPlayer[target] else { return (.notOwned, 0) }
        guard !players[j].frozen else { return (.inHandoff, players[j].health) }
        guard players[j].alive else { return (.dead, 0) }
        let before = players[j].deaths
        damage(target: j, shooter: shooter, shooterIndex: origin == nil ? indexOfPlayer[shooter] : nil, shot: shot,
               origin: origin)
        return (players[j].deaths > before ? .killed : .applied, players[j].health)
    }

    /// Credits owned player `killer` with a kill confirmed by another zone. False when not owned here.
    public mutating func creditKill(_ killer: UInt32) -> Bool {
        guard let i = indexOfPlayer[killer] else { return false }
        players[i].kills += 1
        return true
    }

    // MARK: Digest

    /// Totals for the journal's periodic digest.
    public var digest: (players: Int, coinsGround: Int, coinsCarried: Int) {
        var ground = 0
        for c in coins { if case .ground = c.place { ground += 1 } }
        return (players.count, ground, coins.count - ground)
    }
}
