/// What a token lets its bearer do at the zone it names.
public enum TokenPurpose: UInt8, Sendable {
    /// Open a standby connection for a player owned by a neighbour (make before break).
    case standby = 1
    /// Attach to the zone that now owns the player (the fallback when no standby exists).
    case redirect = 2
}

/// An attach token: player, zone, purpose, expiry and a nonce, signed by the cluster secret.
/// 35 bytes on the wire. Zones sign and verify (HMAC-SHA256, first 16 bytes); clients only carry it.
public struct AttachToken: Equatable, Sendable {
    public var player: UInt32
    public var zoneIndex: UInt16
    public var purpose: TokenPurpose
    /// Expiry in milliseconds since the Unix epoch.
    public var expiresMs: UInt64
    /// Unique per token: a zone accepts each nonce once (replay protection).
    public var nonce: UInt32
    public var mac: [UInt8]

    public static let macSize = 16
    public static let wireSize = 4 + 2 + 1 + 8 + 4 + macSize
    /// How long a token a zone issues stays valid: its `expiresMs` is the issuer's clock plus this.
    public static let lifetimeMs: UInt64 = 30_000

    public init(player: UInt32, zoneIndex: UInt16, purpose: TokenPurpose, expiresMs: UInt64, nonce: UInt32, mac: [UInt8]) {
        self.player = player; self.zoneIndex = zoneIndex; self.purpose = purpose
        self.expiresMs = expiresMs; self.nonce = nonce; self.mac = mac
    }

    /// The bytes the MAC covers: every field before it, in wire order.
    public var signedBytes: [UInt8] {
        var w = ByteWriter(capacity: 19)
        writeFields(&w)
        return w.bytes
    }

    private func writeFields(_ w: inout ByteWriter) {
        w.u32(player); w.u16(zoneIndex); w.u8(purpose.rawValue)
        w.u32(UInt32(truncatingIfNeeded: expiresMs)); w.u32(UInt32(truncatingIfNeeded: expiresMs >> 32))
        w.u32(nonce)
    }

    public func encode(into w: inout ByteWriter) {
        precondition(mac.count == AttachToken.macSize)
        writeFields(&w)
        w.raw(mac)
    }

    static func decode(_ r: inout ByteReader) throws(DecodeError) -> AttachToken {
        let player = try r.u32("token player")
        let zone = try r.u16("token zone")
        let at = r.offset
        guard let purpose = TokenPurpose(rawValue: try r.u8("token purpose")) else {
            throw DecodeError("unknown token purpose", at: at)
        }
        let low = UInt64(try r.u32("token expiry"))
        let high = UInt64(try r.u32("token expiry"))
        let nonce = try r.u32("token nonce")
        let mac = try r.raw(AttachToken.macSize, "token mac")
        return AttachToken(player: player, zoneIndex: zone, purpose: purpose, expiresMs: high << 32 | low,
                           nonce: nonce, mac: mac)
    }
}

/// Where a client should connect: an IPv4 address in network byte order (as ENet stores it) and a port.
public struct ZoneEndpoint: Equatable, Sendable {
    public var zoneIndex: UInt16
    public var host: UInt32
    public var port: UInt16
    public init(zoneIndex: UInt16, host: UInt32, port: UInt16) {
        self.zoneIndex = zoneIndex; self.host = host; self.port = port
    }

    func encode(into w: inout ByteWriter) { w.u16(zoneIndex); w.u32(host); w.u16(port) }
    static func decode(_ r: inout ByteReader) throws(DecodeError) -> ZoneEndpoint {
        ZoneEndpoint(zoneIndex: try r.u16("zone index"), host: try r.u32("host"), port: try r.u16("port"))
    }
}
