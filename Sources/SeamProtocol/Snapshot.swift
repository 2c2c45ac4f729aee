/// The receiving player's own state in a snapshot. 16 bytes.
public struct SelfState: Equatable, Sendable {
    public var x: UInt16
    public var y: UInt16
    public var vx: Int16
    public var vy: Int16
    public var health: UInt8
    /// See `EntityFlags`.
    public var flags: UInt8
    public var coins: UInt16
    public var kills: UInt16
    public var deaths: UInt16

    public init(x: UInt16, y: UInt16, vx: Int16, vy: Int16, health: UInt8, flags: UInt8, coins: UInt16, kills: UInt16, deaths: UInt16) {
        self.x = x; self.y = y; self.vx = vx; self.vy = vy
        self.health = health; self.flags = flags; self.coins = coins; self.kills = kills; self.deaths = deaths
    }
    static let wireSize = 16
}

public enum EntityFlags {
    /// The player is alive (not waiting to respawn).
    public static let alive: UInt8 = 1
    /// The player is owned by a neighbour zone and seen across the border.
    public static let ghost: UInt8 = 2
}

/// Another player as seen in a snapshot. 14 bytes.
public struct EntityState: Equatable, Sendable {
    public var id: UInt32
    public var x: UInt16
    public var y: UInt16
    public var vx: Int16
    public var vy: Int16
    public var health: UInt8
    public var flags: UInt8

    public init(id: UInt32, x: UInt16, y: UInt16, vx: Int16, vy: Int16, health: UInt8, flags: UInt8) {
        self.id = id; self.x = x; self.y = y; self.vx = vx; self.vy = vy; self.health = health; self.flags = flags
    }
    public static let wireSize = 14
}

/// A coin lying on the ground, as seen in a snapshot. 8 bytes.
public struct CoinView: Equatable, Sendable {
    public var id: UInt32
    public var x: UInt16
    public var y: UInt16

    public init(id: UInt32, x: UInt16, y: UInt16) {
        self.id = id; self.x = x; self.y = y
    }
    public static let wireSize = 8
}

/// Zone → client, every tick, unreliable: the player's own state and what it sees.
public struct Snapshot: Equatable, Sendable {
    public var tick: UInt32
    /// Newest input sequence the zone has applied for this player.
    public var lastInputSequence: UInt32
    public var me: SelfState
    public var entities: [EntityState]
    public var coins: [CoinView]

    public init(tick: UInt32, lastInputSequence: UInt32, me: SelfState, entities: [EntityState], coins: [CoinView]) {
        self.tick = tick; self.lastInputSequence = lastInputSequence; self.me = me
        self.entities = entities; self.coins = coins
    }

    /// Bytes before the entity list: type, tick, sequence, self, entity count.
    public static let headerSize = 1 + 4 + 4 + SelfState.wireSize + 2
}

/// Writes a snapshot field by field into a reused buffer, so the zone can stop adding entities when the
/// byte budget is reached. Call `begin`, then entities, then `beginCoins`, then coins, then `finish`.
public struct SnapshotWriter {
    public var writer = ByteWriter(capacity: Wire.maximumSnapshotBytes)
    private var entityCountOffset = 0
    private var coinCountOffset = 0
    private var entityCount: UInt16 = 0
    private var coinCount: UInt16 = 0

    public init() {}

    public var count: Int { writer.count }

    public mutating func begin(tick: UInt32, lastInputSequence: UInt32, me: SelfState) {
        writer.reset()
        entityCount = 0
        coinCount = 0
        writer.u8(MessageType.snapshot.rawValue)
        writer.u32(tick)
        writer.u32(lastInputSequence)
        writer.u16(me.x); writer.u16(me.y); writer.i16(me.vx); writer.i16(me.vy)
        writer.u8(me.health); writer.u8(me.flags); writer.u16(me.coins); writer.u16(me.kills); writer.u16(me.deaths)
        entityCountOffset = writer.count
        writer.u16(0)
    }

    public mutating func entity(_ e: EntityState) {
        writer.entity(e)
        entityCount += 1
    }

    public mutating func beginCoins() {
        writer.patchU16(at: entityCountOffset, entityCount)
        coinCountOffset = writer.count
        writer.u16(0)
    }

    public mutating func coin(_ c: CoinView) {
        writer.coin(c)
        coinCount += 1
    }

    public mutating func finish() {
        writer.patchU16(at: coinCountOffset, coinCount)
    }
}

extension Snapshot {
    public func encoded() -> [UInt8] {
        var w = SnapshotWriter()
        w.begin(tick: tick, lastInputSequence: lastInputSequence, me: me)
        for e in entities { w.entity(e) }
        w.beginCoins()
        for c in coins { w.coin(c) }
        w.finish()
        return w.writer.bytes
    }

    /// Decodes a snapshot whose type byte has already been read by `r`.
    static func decodeBody(_ r: inout ByteReader) throws(DecodeError) -> Snapshot {
        let tick = try r.u32("tick")
        let seq = try r.u32("input sequence")
        let me = SelfState(
            x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"), vy: try r.i16("vy"),
            health: try r.u8("health"), flags: try r.u8("flags"), coins: try r.u16("coins"),
            kills: try r.u16("kills"), deaths: try r.u16("deaths"))
        let entityCount = Int(try r.u16("entity count"))
        guard entityCount * EntityState.wireSize <= r.remaining else {
            throw DecodeError("entity count \(entityCount) exceeds the message", at: r.offset - 2)
        }
        var entities: [EntityState] = []
        entities.reserveCapacity(entityCount)
        for _ in 0..<entityCount {
            entities.append(
                EntityState(
                    id: try r.u32("entity id"), x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"),
                    vy: try r.i16("vy"), health: try r.u8("health"), flags: try r.u8("flags")))
        }
        let coinCount = Int(try r.u16("coin count"))
        guard coinCount * CoinView.wireSize <= r.remaining else {
            throw DecodeError("coin count \(coinCount) exceeds the message", at: r.offset - 2)
        }
        var coins: [CoinView] = []
        coins.reserveCapacity(coinCount)
        for _ in 0..<coinCount {
            coins.append(CoinView(id: try r.u32("coin id"), x: try r.u16("x"), y: try r.u16("y")))
        }
        try r.expectEnd("snapshot")
        return Snapshot(tick: tick, lastInputSequence: seq, me: me, entities: entities, coins: coins)
    }
}
