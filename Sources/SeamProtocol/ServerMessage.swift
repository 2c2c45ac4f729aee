/// Zone → client after a valid Hello.
public struct Welcome: Equatable, Sendable {
    public var version: UInt16
    public var playerId: UInt32
    public var zoneIndex: UInt16
    public var zoneId: String
    public var mapName: String
    public var tickRate: UInt8
    /// The zone's current tick, so the client can align its input clock.
    public var tick: UInt32
    public var x: UInt16
    public var y: UInt16
    /// Radius in tiles inside which snapshots carry other players and coins.
    public var viewRadius: UInt8

    public init(
        version: UInt16 = Wire.version, playerId: UInt32, zoneIndex: UInt16, zoneId: String, mapName: String,
        tickRate: UInt8, tick: UInt32, x: UInt16, y: UInt16, viewRadius: UInt8
    ) {
        self.version = version; self.playerId = playerId; self.zoneIndex = zoneIndex; self.zoneId = zoneId
        self.mapName = mapName; self.tickRate = tickRate; self.tick = tick; self.x = x; self.y = y
        self.viewRadius = viewRadius
    }
}

/// Everything a zone may send to a client.
public enum ServerMessage: Equatable, Sendable {
    case welcome(Welcome)
    case refuse(code: RefuseCode, message: String)
    case snapshot(Snapshot)
    case events([GameEvent])
    /// Open a standby connection to this neighbour and Attach with the token (make before break).
    case standby(ZoneEndpoint, token: AttachToken)
    /// The player left the border band: close the standby connection to this zone.
    case standbyDrop(zoneIndex: UInt16)
    /// Sent on the connection to the zone that now owns the player: send inputs here from now on.
    case owner(player: UInt32, epoch: UInt32, tick: UInt32, zoneIndex: UInt16)
    /// The player moved to this zone; connect and Attach with the token if no standby connection exists.
    case redirect(ZoneEndpoint, token: AttachToken)
    /// A standby or redirect Attach succeeded.
    case attached(player: UInt32, zoneIndex: UInt16)
    /// A snapshot as a delta against a frame the client acknowledged: the header is read here, the rest
    /// needs the baseline (`DeltaCodec.apply` on `bytes`, the whole message).
    case delta(DeltaCodec.Header, bytes: [UInt8])
    /// To an observer: one journal record, its JSON line (UTF-8, no newline) as the rest of the message.
    case record(json: String)
    /// Once a second on the state channel to every playing client: the zone's tick times and load.
    case zoneStatus(ZoneStatusReport)
    /// A v6 client's snapshot: changes to its table of slots (`GhostTable` applies one in place).
    case ghost(GhostSnapshot)

    public func encode(into w: inout ByteWriter) {
        switch self {
        case .welcome(let m):
            w.u8(MessageType.welcome.rawValue)
            w.u16(m.version); w.u32(m.playerId); w.u16(m.zoneIndex)
            w.string(m.zoneId); w.string(m.mapName)
            w.u8(m.tickRate); w.u32(m.tick); w.u16(m.x); w.u16(m.y); w.u8(m.viewRadius)
        case .refuse(let code, let message):
            w.u8(MessageType.refuse.rawValue)
            w.u8(code.rawValue)
            w.string(message)
        case .snapshot(let s):
            w.raw(s.encoded())
        case .events(let events):
            precondition(events.count <= 255)
            w.u8(MessageType.events.rawValue)
            w.u8(UInt8(events.count))
            for e in events { e.encode(into: &w) }
        case .standby(let endpoint, let token):
            w.u8(MessageType.standby.rawValue); endpoint.encode(into: &w); token.encode(into: &w)
        case .standbyDrop(let zone):
            w.u8(MessageType.standbyDrop.rawValue); w.u16(zone)
        case .owner(let player, let epoch, let tick, let zone):
            w.u8(MessageType.owner.rawValue); w.u32(player); w.u32(epoch); w.u32(tick); w.u16(zone)
        case .redirect(let endpoint, let token):
            w.u8(MessageType.redirect.rawValue); endpoint.encode(into: &w); token.encode(into: &w)
        case .attached(let player, let zone):
            w.u8(MessageType.attached.rawValue); w.u32(player); w.u16(zone)
        case .record(let json):
            w.u8(MessageType.record.rawValue); w.raw(Array(json.utf8))
        case .delta(_, let bytes):
            w.raw(bytes)
        case .zoneStatus(let report):
            w.u8(MessageType.zoneStatus.rawValue); report.encodeBody(into: &w)
        case .ghost(let snapshot):
            snapshot.encode(into: &w)
        }
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        encode(into: &w)
        return w.bytes
    }

    /// Decodes one zone message. Never traps: every malformed input throws a `DecodeError`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> ServerMessage {
        var r = ByteReader(bytes)
        let type = try r.u8("message type")
        switch MessageType(rawValue: type) {
        case .welcome:
            let m = Welcome(
                version: try r.u16("version"), playerId: try r.u32("player id"), zoneIndex: try r.u16("zone index"),
                zoneId: try r.string("zone id"), mapName: try r.string("map name"), tickRate: try r.u8("tick rate"),
                tick: try r.u32("tick"), x: try r.u16("x"), y: try r.u16("y"), viewRadius: try r.u8("view radius"))
            try r.expectEnd("welcome")
            return .welcome(m)
        case .refuse:
            let raw = try r.u8("refuse code")
            guard let code = RefuseCode(rawValue: raw) else { throw DecodeError("unknown refuse code \(raw)", at: 1) }
            let message = try r.string("refuse message")
            try r.expectEnd("refuse")
            return .refuse(code: code, message: message)
        case .snapshot:
            return .snapshot(try Snapshot.decodeBody(&r))
        case .events:
            let count = Int(try r.u8("event count"))
            var events: [GameEvent] = []
            events.reserveCapacity(count)
            for _ in 0..<count { events.append(try GameEvent.decode(&r)) }
            try r.expectEnd("events")
            return .events(events)
        case .standby, .redirect:
            let endpoint = try ZoneEndpoint.decode(&r)
            let token = try AttachToken.decode(&r)
            try r.expectEnd("standby")
            return type == MessageType.standby.rawValue ? .standby(endpoint, token: token) : .redirect(endpoint, token: token)
        case .standbyDrop:
            let zone = try r.u16("zone index")
            try r.expectEnd("standby drop")
            return .standbyDrop(zoneIndex: zone)
        case .owner:
            let m = ServerMessage.owner(player: try r.u32("player"), epoch: try r.u32("epoch"), tick: try r.u32("tick"),
                                        zoneIndex: try r.u16("zone index"))
            try r.expectEnd("owner")
            return m
        case .attached:
            let m = ServerMessage.attached(player: try r.u32("player"), zoneIndex: try r.u16("zone index"))
            try r.expectEnd("attached")
            return m
        case .delta:
            let header = try DeltaCodec.header(bytes)
            return .delta(header, bytes: Array(bytes))
        case .record:
            let body = try r.raw(r.remaining, "record")
            guard let json = String(validating: body, as: UTF8.self) else { throw DecodeError("record is not UTF-8", at: 1) }
            return .record(json: json)
        case .zoneStatus:
            return .zoneStatus(try ZoneStatusReport.decodeBody(&r))
        case .ghost:
            return .ghost(try GhostSnapshot.decodeBody(bytes))
        default:
            throw DecodeError("unknown zone message type 0x\(String(type, radix: 16))", at: 0)
        }
    }

    /// The JSON line of a record message, in place (no copy, no validation: its reader checks it); nil for
    /// any other message. For an observer that parses many records a second (`decode` copies each line into
    /// an array, then a validated string).
    public static func recordLine(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard bytes.first == MessageType.record.rawValue else { return nil }
        return UnsafeRawBufferPointer(rebasing: bytes[1...])
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ServerMessage {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(DecodeError) in try decode(raw) } }
        return try result.get()
    }
}
