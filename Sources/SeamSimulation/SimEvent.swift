import SeamProtocol
import SeamWorld

/// What a tick changed, in the order it happened. The zone turns these into journal records and client events.
public enum SimEvent: Equatable, Sendable {
    case pickup(player: UInt32, coin: UInt32, at: Vec2)
    /// `cause`: "death" or "leave".
    case drop(player: UInt32, coin: UInt32, at: Vec2, cause: String)
    /// `shot` is the sequence number of the shooter's input that fired. `origin`: the index of the zone the
    /// shot was fired in when it is another zone (a forwarded cross-border hit), else nil.
    case hit(shooter: UInt32, target: UInt32, shot: UInt32, damage: Int, health: Int, origin: UInt16? = nil)
    case kill(killer: UInt32, victim: UInt32, shot: UInt32, origin: UInt16? = nil)
    /// A shot that did nothing although it may have hit as the shooter saw it (the zone tells the client).
    case shotVoid(shooter: UInt32, shot: UInt32, reason: GameEvent.VoidReason)
    /// A shot fired here hit a ghost (a player another zone owns): the zone forwards it to the owner.
    case ghostHit(shooter: UInt32, target: UInt32, shot: UInt32, damage: Int)
    case died(player: UInt32, killer: UInt32, respawnTick: UInt64)
    case respawn(player: UInt32, at: Vec2)
}
