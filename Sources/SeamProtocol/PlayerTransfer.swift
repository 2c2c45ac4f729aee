/// A player's full state as it crosses from one zone to another in an Offer. Positions and velocities are
/// sent as exact 64-bit floats, so the digest at the offer equals the digest at the accept bit for bit.
public struct PlayerTransfer: Equatable, Sendable {
    public var player: UInt32
    /// The epoch the receiving zone will own the player at (the sender's epoch + 1).
    public var epoch: UInt32
    public var lastInputSequence: UInt32
    public var x: Double
    public var y: Double
    public var vx: Double
    public var vy: Double
    public var health: UInt8
    public var kills: UInt16
    public var deaths: UInt16
    public var name: String
    /// Ids of the coins the player carries; they move with it.
    public var coins: [UInt32]

    public init(player: UInt32, epoch: UInt32, lastInputSequence: UInt32, x: Double, y: Double, vx: Double, vy: Double,
                health: UInt8, kills: UInt16, deaths: UInt16, name: String, coins: [UInt32]) {
        self.player = player; self.epoch = epoch; self.lastInputSequence = lastInputSequence
        self.x = x; self.y = y; self.vx = vx; self.vy = vy; self.health = health
        self.kills = kills; self.deaths = deaths; self.name = name; self.coins = coins
    }

    func encodeState(into w: inout ByteWriter) {
        w.u32(player); w.u32(epoch); w.u32(lastInputSequence)
        for v in [x, y, vx, vy] {
            let bits = v.bitPattern
            w.u32(UInt32(truncatingIfNeeded: bits)); w.u32(UInt32(truncatingIfNeeded: bits >> 32))
        }
        w.u8(health); w.u16(kills); w.u16(deaths)
        w.string(name, maximumBytes: Wire.maximumNameBytes)
        w.u16(UInt16(coins.count))
        for c in coins { w.u32(c) }
    }

    static func decodeState(_ r: inout ByteReader) throws(DecodeError) -> PlayerTransfer {
        let player = try r.u32("player"), epoch = try r.u32("epoch"), seq = try r.u32("input sequence")
        var v: [Double] = []
        for _ in 0..<4 {
            let low = UInt64(try r.u32("f64")), high = UInt64(try r.u32("f64"))
            v.append(Double(bitPattern: high << 32 | low))
        }
        let health = try r.u8("health"), kills = try r.u16("kills"), deaths = try r.u16("deaths")
        let name = try r.string("name", maximumBytes: Wire.maximumNameBytes)
        let count = Int(try r.u16("coin count"))
        guard count * 4 <= r.remaining else { throw DecodeError("coin count \(count) exceeds the message", at: r.offset - 2) }
        var coins: [UInt32] = []
        for _ in 0..<count { coins.append(try r.u32("coin")) }
        return PlayerTransfer(player: player, epoch: epoch, lastInputSequence: seq, x: v[0], y: v[1], vx: v[2], vy: v[3],
                              health: health, kills: kills, deaths: deaths, name: name, coins: coins)
    }

    /// FNV-1a (64-bit) over the state's wire bytes, epoch and input sequence excluded: what must survive a
    /// handoff unchanged. Journaled at offer and at accept.
    public var digest: UInt64 {
        var copy = self
        copy.epoch = 0
        copy.lastInputSequence = 0
        var w = ByteWriter(capacity: 96)
        copy.encodeState(into: &w)
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in w.bytes {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
