/// Why a zone refused an offered player.
public enum RejectReason: UInt8, Sendable {
    /// The offer's epoch is not newer than one the receiver already knows for the player.
    case staleEpoch = 1
    /// The player is not inside (or within the hysteresis margin of) the receiver's territory.
    case outsideTerritory = 2
    case full = 3
    case shuttingDown = 4
    /// Answer to a Query: the receiver does not own the player at that epoch.
    case unknown = 5
    /// The offer is older than half the dead-neighbour timeout: the sender may already have resumed the
    /// player, so taking it now could make two owners.
    case expired = 6
}

/// Zone ↔ zone messages over a neighbour link (an ENet connection between two zones' hosts).
public enum LinkMessage: Equatable, Sendable {
    /// First message each way: who I am, proven with the cluster secret.
    case hello(zoneIndex: UInt16, mac: [UInt8])
    /// Players of the sender inside the border band it shares with the receiver, this tick.
    case ghosts(tick: UInt32, entities: [EntityState])
    /// Take this player: its full state at epoch `transfer.epoch`, sent at `sentMs` (wall clock, ms).
    case offer(PlayerTransfer, digest: UInt64, sentMs: UInt64)
    case accept(player: UInt32, epoch: UInt32, digest: UInt64)
    case reject(player: UInt32, epoch: UInt32, reason: RejectReason)
    /// Inputs the old owner received for a player after it froze it, forwarded to the new owner.
    case inputs(player: UInt32, newestSequence: UInt32, commands: [InputCommand])
    /// After a link failure: do you own this player at this epoch? Answered with accept or reject.
    case query(player: UInt32, epoch: UInt32)

    enum Tag: UInt8 {
        case hello = 0x41, ghosts, offer, accept, reject, inputs, query
    }

    /// Link messages start with 0x41...0x47, never a client or zone message type.
    public static func isLinkMessage(_ firstByte: UInt8) -> Bool { Tag(rawValue: firstByte) != nil }

    public func encode(into w: inout ByteWriter) {
        switch self {
        case .hello(let zone, let mac):
            w.u8(Tag.hello.rawValue); w.raw(Wire.magic); w.u16(Wire.version); w.u16(zone); w.raw(mac)
        case .ghosts(let tick, let entities):
            w.u8(Tag.ghosts.rawValue); w.u32(tick); w.u16(UInt16(entities.count))
            for e in entities {
                w.u32(e.id); w.u16(e.x); w.u16(e.y); w.i16(e.vx); w.i16(e.vy); w.u8(e.health); w.u8(e.flags)
            }
        case .offer(let t, let digest, let sentMs):
            w.u8(Tag.offer.rawValue); t.encodeState(into: &w)
            w.u32(UInt32(truncatingIfNeeded: digest)); w.u32(UInt32(truncatingIfNeeded: digest >> 32))
            w.u32(UInt32(truncatingIfNeeded: sentMs)); w.u32(UInt32(truncatingIfNeeded: sentMs >> 32))
        case .accept(let player, let epoch, let digest):
            w.u8(Tag.accept.rawValue); w.u32(player); w.u32(epoch)
            w.u32(UInt32(truncatingIfNeeded: digest)); w.u32(UInt32(truncatingIfNeeded: digest >> 32))
        case .reject(let player, let epoch, let reason):
            w.u8(Tag.reject.rawValue); w.u32(player); w.u32(epoch); w.u8(reason.rawValue)
        case .inputs(let player, let newest, let commands):
            w.u8(Tag.inputs.rawValue); w.u32(player); w.u32(newest); w.u8(UInt8(commands.count))
            for c in commands { w.i8(c.moveX); w.i8(c.moveY); w.u16(c.aim); w.u8(c.buttons) }
        case .query(let player, let epoch):
            w.u8(Tag.query.rawValue); w.u32(player); w.u32(epoch)
        }
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 128)
        encode(into: &w)
        return w.bytes
    }

    /// Decodes one link message. Never traps: malformed input throws.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> LinkMessage {
        var r = ByteReader(bytes)
        let type = try r.u8("message type")
        let message: LinkMessage
        switch Tag(rawValue: type) {
        case .hello:
            guard try r.raw(4, "magic") == Wire.magic else { throw DecodeError("bad magic", at: 1) }
            let version = try r.u16("version")
            guard version == Wire.version else { throw DecodeError("link version \(version), expected \(Wire.version)", at: 5) }
            message = .hello(zoneIndex: try r.u16("zone index"), mac: try r.raw(AttachToken.macSize, "mac"))
        case .ghosts:
            let tick = try r.u32("tick")
            let count = Int(try r.u16("ghost count"))
            guard count * EntityState.wireSize <= r.remaining else { throw DecodeError("ghost count exceeds the message", at: 5) }
            var entities: [EntityState] = []
            entities.reserveCapacity(count)
            for _ in 0..<count {
                entities.append(EntityState(id: try r.u32("id"), x: try r.u16("x"), y: try r.u16("y"), vx: try r.i16("vx"),
                                            vy: try r.i16("vy"), health: try r.u8("health"), flags: try r.u8("flags")))
            }
            message = .ghosts(tick: tick, entities: entities)
        case .offer:
            let t = try PlayerTransfer.decodeState(&r)
            let low = UInt64(try r.u32("digest")), high = UInt64(try r.u32("digest"))
            let sentLow = UInt64(try r.u32("sent ms")), sentHigh = UInt64(try r.u32("sent ms"))
            message = .offer(t, digest: high << 32 | low, sentMs: sentHigh << 32 | sentLow)
        case .accept:
            let player = try r.u32("player"), epoch = try r.u32("epoch")
            let low = UInt64(try r.u32("digest")), high = UInt64(try r.u32("digest"))
            message = .accept(player: player, epoch: epoch, digest: high << 32 | low)
        case .reject:
            let player = try r.u32("player"), epoch = try r.u32("epoch")
            let at = r.offset
            guard let reason = RejectReason(rawValue: try r.u8("reason")) else { throw DecodeError("unknown reject reason", at: at) }
            message = .reject(player: player, epoch: epoch, reason: reason)
        case .inputs:
            let player = try r.u32("player"), newest = try r.u32("sequence")
            let count = Int(try r.u8("count"))
            guard count <= 64, UInt32(max(count, 1) - 1) <= newest else { throw DecodeError("bad input count \(count)", at: 9) }
            var commands: [InputCommand] = []
            for _ in 0..<count {
                commands.append(InputCommand(moveX: try r.i8("move x"), moveY: try r.i8("move y"), aim: try r.u16("aim"),
                                             buttons: try r.u8("buttons")))
            }
            message = .inputs(player: player, newestSequence: newest, commands: commands)
        case .query:
            message = .query(player: try r.u32("player"), epoch: try r.u32("epoch"))
        case nil:
            throw DecodeError("unknown link message type 0x\(String(type, radix: 16))", at: 0)
        }
        try r.expectEnd("link message")
        return message
    }
}
