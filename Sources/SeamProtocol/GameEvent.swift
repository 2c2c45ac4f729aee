/// Something that happened to a player, delivered reliably in an Events message.
public enum GameEvent: Equatable, Sendable {
    /// Your shot (fired by the input with sequence `shot`) hit `target` for `damage`.
    case hitConfirmed(shot: UInt32, target: UInt32, damage: UInt8)
    /// You were hit by `shooter`; your health is now `health`.
    case damaged(shooter: UInt32, health: UInt8)
    /// You are credited with killing `victim`.
    case killCredited(victim: UInt32)
    /// You died, killed by `killer`; you respawn at tick `respawnTick`.
    case died(killer: UInt32, respawnTick: UInt32)
    /// You respawned at a spawn point.
    case respawned(x: UInt16, y: UInt16)
    /// You picked up `coin`.
    case coinPicked(coin: UInt32)
    /// Your shot `shot` did nothing although it may have hit as you saw it: see `VoidReason`.
    case shotVoid(shot: UInt32, reason: VoidReason)

    enum Tag: UInt8 {
        case hitConfirmed = 1, damaged, killCredited, died, respawned, coinPicked, shotVoid
    }

    /// Why a shot did nothing. Tells a client's view apart from the zone's rules: the aim may have been right.
    public enum VoidReason: UInt8, Sendable, CaseIterable {
        /// The first player on the ray, where you saw it, had died by the time the shot was judged.
        case targetDead = 1
        /// You had died by the time your shot arrived.
        case shooterDead = 2
        /// The first player on the ray is frozen in a handoff (or was refused across the border).
        case targetInHandoff = 3
    }

    public func encode(into w: inout ByteWriter) {
        switch self {
        case .hitConfirmed(let shot, let target, let damage):
            w.u8(Tag.hitConfirmed.rawValue); w.u32(shot); w.u32(target); w.u8(damage)
        case .damaged(let shooter, let health):
            w.u8(Tag.damaged.rawValue); w.u32(shooter); w.u8(health)
        case .killCredited(let victim):
            w.u8(Tag.killCredited.rawValue); w.u32(victim)
        case .died(let killer, let respawnTick):
            w.u8(Tag.died.rawValue); w.u32(killer); w.u32(respawnTick)
        case .respawned(let x, let y):
            w.u8(Tag.respawned.rawValue); w.u16(x); w.u16(y)
        case .coinPicked(let coin):
            w.u8(Tag.coinPicked.rawValue); w.u32(coin)
        case .shotVoid(let shot, let reason):
            w.u8(Tag.shotVoid.rawValue); w.u32(shot); w.u8(reason.rawValue)
        }
    }

    static func decode(_ r: inout ByteReader) throws(DecodeError) -> GameEvent {
        let at = r.offset
        let tag = try r.u8("event tag")
        switch Tag(rawValue: tag) {
        case .hitConfirmed: return .hitConfirmed(shot: try r.u32("shot"), target: try r.u32("target"), damage: try r.u8("damage"))
        case .damaged: return .damaged(shooter: try r.u32("shooter"), health: try r.u8("health"))
        case .killCredited: return .killCredited(victim: try r.u32("victim"))
        case .died: return .died(killer: try r.u32("killer"), respawnTick: try r.u32("respawn tick"))
        case .respawned: return .respawned(x: try r.u16("x"), y: try r.u16("y"))
        case .coinPicked: return .coinPicked(coin: try r.u32("coin"))
        case .shotVoid:
            let shot = try r.u32("shot")
            let reasonAt = r.offset
            guard let reason = VoidReason(rawValue: try r.u8("void reason")) else {
                throw DecodeError("unknown void reason", at: reasonAt)
            }
            return .shotVoid(shot: shot, reason: reason)
        case nil: throw DecodeError("unknown event tag \(tag)", at: at)
        }
    }
}
