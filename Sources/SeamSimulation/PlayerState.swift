import SeamProtocol
import SeamWorld

/// A player owned by this zone. Plain data (no references), stored in one array, so reading or copying
/// one on the tick path costs no reference counting. Names and carried coin ids live in the simulation.
public struct PlayerState: Sendable, Equatable {
    public let id: UInt32
    public var position: Vec2
    public var velocity: Vec2 = .zero
    public var health: Int
    public var alive = true
    public var respawnTick: UInt64 = 0
    /// Number of coins carried; which ones is recorded on the coins (`CoinPlace.carried`).
    public var coinCount = 0
    public var kills = 0
    public var deaths = 0
    /// The input applied this tick and its sequence number.
    public var input = InputCommand()
    public var inputSequence: UInt32 = 0
    /// When the next shot is due on the player's schedule of one shot per cooldown (see `SimulationConfig.shotSlackTicks`).
    public var shotReadyTick: UInt64 = 0
    /// Sequence of the input that fired last: one input fires at most once, even if it is applied again.
    public var lastShotSequence: UInt32 = 0
    /// Frozen while handed over: no input applied, no shots, no pickups, not hittable, so its state stays
    /// exactly what was offered.
    public var frozen = false
    /// The client's round-trip time in ticks, kept up to date by the zone: the basis of the rewind window.
    public var roundTripTicks: Double = 0

    public init(id: UInt32, position: Vec2, health: Int) {
        self.id = id
        self.position = position
        self.health = health
    }
}

/// Where a coin is: on the ground at a position, or carried by a player.
public enum CoinPlace: Sendable, Equatable {
    case ground(Vec2)
    case carried(by: UInt32)
}

public struct CoinState: Sendable, Equatable {
    public let id: UInt32
    public var place: CoinPlace
}

/// A player owned by a neighbour zone, seen here because it stands in the shared border band.
public struct GhostState: Sendable, Equatable {
    public var id: UInt32
    public var position: Vec2
    public var velocity: Vec2
    public var health: Int
    public var alive: Bool

    public init(id: UInt32, position: Vec2, velocity: Vec2, health: Int, alive: Bool) {
        self.id = id; self.position = position; self.velocity = velocity; self.health = health; self.alive = alive
    }
}
