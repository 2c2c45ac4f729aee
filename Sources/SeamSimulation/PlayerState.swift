import SeamProtocol
import SeamWorld

/// A player owned by this zone. A value type stored in one array: no per-player objects on the tick path.
public struct PlayerState: Sendable, Equatable {
    public let id: UInt32
    public var name: String
    public var position: Vec2
    public var velocity: Vec2 = .zero
    public var health: Int
    public var alive = true
    public var respawnTick: UInt64 = 0
    /// Coin ids carried, in pickup order.
    public var coins: [UInt32] = []
    public var kills = 0
    public var deaths = 0
    /// The input applied this tick and its sequence number.
    public var input = InputCommand()
    public var inputSequence: UInt32 = 0
    /// Tick of the last shot, for the rate limit.
    public var lastShotTick: UInt64?
    /// Sequence of the input that fired last: one input fires at most once, even if it is applied again.
    public var lastShotSequence: UInt32 = 0

    public init(id: UInt32, name: String, position: Vec2, health: Int) {
        self.id = id
        self.name = name
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
