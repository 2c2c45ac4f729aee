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

/// A shot fired in one zone that hit a player another zone owns (a ghost in the shooter's zone). The shot's
/// unique id is (shooter, shot): the shooter's player id and the sequence number of the input that fired.
public struct RemoteHit: Equatable, Hashable, Sendable {
    public var shooter: UInt32
    public var shot: UInt32
    public var target: UInt32
    public var damage: UInt8
    /// Index of the zone the shot was fired in (where its result goes).
    public var origin: UInt16
    /// How many times the hit or its result was passed on because its player had been handed over (at most 2).
    public var hops: UInt8

    public init(shooter: UInt32, shot: UInt32, target: UInt32, damage: UInt8, origin: UInt16, hops: UInt8 = 0) {
        self.shooter = shooter; self.shot = shot; self.target = target; self.damage = damage
        self.origin = origin; self.hops = hops
    }

    public static let wireSize = 16
    public static let maximumHops: UInt8 = 2

    func write(into w: inout ByteWriter) {
        w.u32(shooter); w.u32(shot); w.u32(target); w.u8(damage); w.u16(origin); w.u8(hops)
    }

    static func read(_ r: inout ByteReader) throws(DecodeError) -> RemoteHit {
        RemoteHit(shooter: try r.u32("shooter"), shot: try r.u32("shot"), target: try r.u32("target"),
                  damage: try r.u8("damage"), origin: try r.u16("origin zone"), hops: try r.u8("hops"))
    }
}

/// What the target's owner did with a forwarded hit.
public enum HitOutcome: UInt8, Sendable, CaseIterable {
    /// Damage applied; the target lives.
    case applied = 1
    /// Damage applied and the target died: the shooter gets the kill credit.
    case killed = 2
    /// The zone does not own the target (it left, or was handed over and could not be followed).
    case notOwned = 3
    /// The target is frozen in a handoff; its state may not change until the handoff resolves.
    case inHandoff = 4
    /// The target was already dead.
    case dead = 5

    public var name: String {
        switch self {
        case .applied: "applied"
        case .killed: "killed"
        case .notOwned: "not owned"
        case .inHandoff: "in handoff"
        case .dead: "dead"
        }
    }
}

/// Zone ↔ zone messages over a neighbour link (an ENet connection between two zones' hosts).
public enum LinkMessage: Equatable, Sendable {
    /// First message each way: who I am, proven with the cluster secret.
    case hello(zoneIndex: UInt16, mac: [UInt8])
    /// Players of the sender inside the border band it shares with the receiver, this tick.
    case ghosts(tick: UInt32, entities: [EntityState])
    /// Take this player: its full state at epoch `transfer.epoch`, sent at `sentMs` (wall clock, ms).
    case offer(PlayerTransfer, digest: UInt64, sentMs: UInt64)
    /// We took the player. `ownerSent`: we have told its client already, with Owner over the standby
    /// connection it had attached here, so the old owner need not send it a Redirect at once.
    case accept(player: UInt32, epoch: UInt32, digest: UInt64, ownerSent: Bool = false)
    case reject(player: UInt32, epoch: UInt32, reason: RejectReason)
    /// Inputs the old owner received for a player after it froze it, forwarded to the new owner.
    case inputs(player: UInt32, newestSequence: UInt32, commands: [InputCommand])
    /// After a link failure: do you own this player at this epoch? Answered with accept or reject.
    case query(player: UInt32, epoch: UInt32)
    /// Apply this hit to `hit.target`, a player you own (reliable).
    case hit(RemoteHit)
    /// The owner's answer to `hit`, exactly once per shot id (reliable); `health` after the damage.
    case hitResult(RemoteHit, outcome: HitOutcome, health: UInt8)

    enum Tag: UInt8 {
        case hello = 0x41, ghosts, offer, accept, reject, inputs, query, hit, hitResult
    }

    /// Accept's flag: Owner went to the client over its standby connection.
    static let ownerSentFlag: UInt8 = 0x01

    /// Link messages start with 0x41...0x49, never a client or zone message type.
    public static func isLinkMessage(_ firstByte: UInt8) -> Bool { Tag(rawValue: firstByte) != nil }

    public func encode(into w: inout ByteWriter) {
        switch self {
        case .hello(let zone, let mac):
            w.u8(Tag.hello.rawValue); w.raw(Wire.magic); w.u16(Wire.linkVersion); w.u16(zone); w.raw(mac)
        case .ghosts(let tick, let entities):
            w.u8(Tag.ghosts.rawValue); w.u32(tick); w.u16(UInt16(entities.count))
            for e in entities {
                w.u32(e.id); w.u16(e.x); w.u16(e.y); w.i16(e.vx); w.i16(e.vy); w.u8(e.health); w.u8(e.flags)
            }
        case .offer(let t, let digest, let sentMs):
            w.u8(Tag.offer.rawValue); t.encodeState(into: &w)
            w.u32(UInt32(truncatingIfNeeded: digest)); w.u32(UInt32(truncatingIfNeeded: digest >> 32))
            w.u32(UInt32(truncatingIfNeeded: sentMs)); w.u32(UInt32(truncatingIfNeeded: sentMs >> 32))
        case .accept(let player, let epoch, let digest, let ownerSent):
            w.u8(Tag.accept.rawValue); w.u32(player); w.u32(epoch)
            w.u32(UInt32(truncatingIfNeeded: digest)); w.u32(UInt32(truncatingIfNeeded: digest >> 32))
            w.u8(ownerSent ? Self.ownerSentFlag : 0)
        case .reject(let player, let epoch, let reason):
            w.u8(Tag.reject.rawValue); w.u32(player); w.u32(epoch); w.u8(reason.rawValue)
        case .inputs(let player, let newest, let commands):
            w.u8(Tag.inputs.rawValue); w.u32(player); w.u32(newest); w.u8(UInt8(commands.count))
            for c in commands { c.write(into: &w) }
        case .query(let player, let epoch):
            w.u8(Tag.query.rawValue); w.u32(player); w.u32(epoch)
        case .hit(let hit):
            w.u8(Tag.hit.rawValue); hit.write(into: &w)
        case .hitResult(let hit, let outcome, let health):
            w.u8(Tag.hitResult.rawValue); hit.write(into: &w); w.u8(outcome.rawValue); w.u8(health)
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
            guard version == Wire.linkVersion else {
                throw DecodeError("link version \(version), expected \(Wire.linkVersion)", at: 5)
            }
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
            let at = r.offset
            let flags = try r.u8("flags")
            guard flags & ~Self.ownerSentFlag == 0 else { throw DecodeError("unknown accept flags 0x\(String(flags, radix: 16))", at: at) }
            message = .accept(player: player, epoch: epoch, digest: high << 32 | low, ownerSent: flags & Self.ownerSentFlag != 0)
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
            for _ in 0..<count { commands.append(try InputCommand.read(&r)) }
            message = .inputs(player: player, newestSequence: newest, commands: commands)
        case .query:
            message = .query(player: try r.u32("player"), epoch: try r.u32("epoch"))
        case .hit:
            message = .hit(try RemoteHit.read(&r))
        case .hitResult:
            let hit = try RemoteHit.read(&r)
            let at = r.offset
            guard let outcome = HitOutcome(rawValue: try r.u8("outcome")) else { throw DecodeError("unknown hit outcome", at: at) }
            message = .hitResult(hit, outcome: outcome, health: try r.u8("health"))
        case nil:
            throw DecodeError("unknown link message type 0x\(String(type, radix: 16))", at: 0)
        }
        try r.expectEnd("link message")
        return message
    }
}
