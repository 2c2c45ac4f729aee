/// One tick's worth of player intent. 10 bytes on the wire.
public struct InputCommand: Equatable, Sendable {
    /// Movement direction, each axis -127...127 (scaled to -1...1; the length is clamped to 1).
    public var moveX: Int8
    public var moveY: Int8
    /// Aim direction as a u16 turn fraction, see `Quantize.angle`.
    public var aim: UInt16
    /// Bit 0: fire.
    public var buttons: UInt8
    /// The world time the client was showing when it made this command (its interpolated view): tick
    /// `viewTick` plus `viewFraction`/256 of a tick. A shot is judged against the world as it was then
    /// (lag compensation), within the zone's trust window. 0 means "no claim": the zone uses its estimate.
    public var viewTick: UInt32
    public var viewFraction: UInt8

    public static let fire: UInt8 = 1
    public static let wireSize = 10

    public init(moveX: Int8 = 0, moveY: Int8 = 0, aim: UInt16 = 0, buttons: UInt8 = 0, viewTick: UInt32 = 0,
                viewFraction: UInt8 = 0) {
        self.moveX = moveX
        self.moveY = moveY
        self.aim = aim
        self.buttons = buttons
        self.viewTick = viewTick
        self.viewFraction = viewFraction
    }

    /// The claimed view time in ticks (fractional), nil when the client made no claim.
    public var viewTime: Double? {
        viewTick == 0 ? nil : Double(viewTick) + Double(viewFraction) / 256
    }

    public var firing: Bool { buttons & InputCommand.fire != 0 }

    /// Wire order: move x i8, move y i8, aim u16, buttons u8, view tick u32, view fraction u8.
    func write(into o: inout RawWriter) {
        o.i8(moveX); o.i8(moveY); o.u16(aim); o.u8(buttons); o.u32(viewTick); o.u8(viewFraction)
    }

    func write(into w: inout ByteWriter) {
        w.append(atMost: InputCommand.wireSize) { write(into: &$0) }
    }

    static func read(_ r: inout ByteReader) throws(DecodeError) -> InputCommand {
        InputCommand(moveX: try r.i8("move x"), moveY: try r.i8("move y"), aim: try r.u16("aim"),
                     buttons: try r.u8("buttons"), viewTick: try r.u32("view tick"),
                     viewFraction: try r.u8("view fraction"))
    }
}

/// The commands of one Input message, newest first: at most `Wire.maximumInputsPerMessage`, stored inline.
/// A zone decodes an Input per client per tick, and an array for its commands was an allocation and a free
/// per message (2% of a busy zone's cycles, most of them in the free).
public struct InputCommands: RandomAccessCollection, MutableCollection, Equatable, Sendable,
    ExpressibleByArrayLiteral {
    public static let capacity = Wire.maximumInputsPerMessage
    /// 8: `capacity` (checked by a test).
    private var storage = InlineArray<8, InputCommand>(repeating: InputCommand())
    public private(set) var endIndex = 0
    public var startIndex: Int { 0 }

    public init() {}

    /// The commands of `commands`, which holds at most `capacity`.
    public init(_ commands: some Sequence<InputCommand>) {
        for c in commands { append(c) }
    }

    public init(arrayLiteral commands: InputCommand...) { self.init(commands) }

    public subscript(i: Int) -> InputCommand {
        get {
            precondition(i >= 0 && i < endIndex, "input command \(i) of \(endIndex)")
            return storage[i]
        }
        set {
            precondition(i >= 0 && i < endIndex, "input command \(i) of \(endIndex)")
            storage[i] = newValue
        }
    }

    public mutating func append(_ c: InputCommand) {
        precondition(endIndex < Self.capacity, "more than \(Self.capacity) input commands")
        storage[endIndex] = c
        endIndex += 1
    }

    /// Puts `c` first, the others one place later, and keeps at most `limit` (the oldest dropped): a client's
    /// newest inputs, newest first, as an Input carries them. One call where a swarm shifted them one
    /// subscript call at a time per bot per tick.
    public mutating func push(_ c: InputCommand, keeping limit: Int) {
        precondition((1...Self.capacity).contains(limit), "keeping \(limit) input commands")
        endIndex = Swift.min(endIndex + 1, limit)
        var k = endIndex - 1
        while k > 0 {
            storage[k] = storage[k - 1]
            k -= 1
        }
        storage[0] = c
    }

    public static func == (a: InputCommands, b: InputCommands) -> Bool { a.elementsEqual(b) }
}

/// Client → zone: the newest inputs, newest first, with the newest one's sequence number.
/// Command `i` has sequence `newestSequence - i`.
public struct InputMessage: Equatable, Sendable {
    /// Newest snapshot tick the client received (its acknowledgement, a baseline for later deltas).
    public var ackTick: UInt32
    public var newestSequence: UInt32
    public var commands: InputCommands

    /// Bytes before the commands: type, ack tick, sequence, command count.
    static let headerSize = 1 + 4 + 4 + 1

    public init(ackTick: UInt32, newestSequence: UInt32, commands: InputCommands) {
        self.ackTick = ackTick
        self.newestSequence = newestSequence
        self.commands = commands
    }

    /// `commands` holds at most `Wire.maximumInputsPerMessage`.
    public init(ackTick: UInt32, newestSequence: UInt32, commands: [InputCommand]) {
        self.init(ackTick: ackTick, newestSequence: newestSequence, commands: InputCommands(commands))
    }

    /// Appends the Input these fields make to `w`, as `ClientMessage.input(...).encode(into:)` does, without
    /// building the message: a swarm writes one per bot per tick, and the message's copies of its commands
    /// (and the enum's) were memory copies each time.
    public static func write(ackTick: UInt32, newestSequence: UInt32, commands: InputCommands,
                             into w: inout ByteWriter) {
        precondition((1...Wire.maximumInputsPerMessage).contains(commands.count))
        // In one reserved run, not field by field: each append checked the array's capacity and uniqueness
        // (4% of a swarm's instructions).
        w.append(atMost: headerSize + commands.count * InputCommand.wireSize) { o in
            o.u8(MessageType.input.rawValue)
            o.u32(ackTick)
            o.u32(newestSequence)
            o.u8(UInt8(commands.count))
            for k in 0..<commands.count { commands[k].write(into: &o) }
        }
    }
}

/// Everything a client may send to a zone.
public enum ClientMessage: Equatable, Sendable {
    case hello(version: UInt16, name: String)
    case input(InputMessage)
    case leave(reason: UInt8)
    /// Instead of Hello on a standby or redirect connection: attach to a player with a zone-signed token.
    case attach(version: UInt16, token: AttachToken)
    /// Instead of Hello: stream this zone's journal records to me (the referee). `proof` is
    /// HMAC-SHA256(secret, "seam-observe" + zone index u16 LE), first 16 bytes.
    case observe(version: UInt16, zoneIndex: UInt16, proof: [UInt8])

    public func encode(into w: inout ByteWriter) {
        switch self {
        case .hello(let version, let name):
            w.u8(MessageType.hello.rawValue)
            w.raw(Wire.magic)
            w.u16(version)
            w.string(name, maximumBytes: Wire.maximumNameBytes)
        case .input(let m):
            InputMessage.write(ackTick: m.ackTick, newestSequence: m.newestSequence, commands: m.commands, into: &w)
        case .leave(let reason):
            w.u8(MessageType.leave.rawValue)
            w.u8(reason)
        case .attach(let version, let token):
            w.u8(MessageType.attach.rawValue)
            w.raw(Wire.magic)
            w.u16(version)
            token.encode(into: &w)
        case .observe(let version, let zone, let proof):
            precondition(proof.count == AttachToken.macSize)
            w.u8(MessageType.observe.rawValue)
            w.raw(Wire.magic)
            w.u16(version)
            w.u16(zone)
            w.raw(proof)
        }
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: 64)
        encode(into: &w)
        return w.bytes
    }

    /// Decodes one client message. Never traps: every malformed input throws a `DecodeError`.
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> ClientMessage {
        var r = ByteReader(bytes)
        let type = try r.u8("message type")
        switch MessageType(rawValue: type) {
        case .hello:
            let magic = try r.raw(4, "magic")
            guard magic == Wire.magic else { throw DecodeError("bad magic, expected 'SEAM'", at: 1) }
            let version = try r.u16("version")
            // A different version may have another layout after the version field: stop reading here.
            if !Wire.supportedVersions.contains(version) { return .hello(version: version, name: "") }
            let name = try r.string("name", maximumBytes: Wire.maximumNameBytes)
            try r.expectEnd("hello")
            return .hello(version: version, name: name)
        case .input:
            // One reading of the layout, the one zones use in place.
            return .input(try InputView(bytes).message)
        case .leave:
            let reason = try r.u8("reason")
            try r.expectEnd("leave")
            return .leave(reason: reason)
        case .attach:
            let magic = try r.raw(4, "magic")
            guard magic == Wire.magic else { throw DecodeError("bad magic, expected 'SEAM'", at: 1) }
            let version = try r.u16("version")
            let token = try AttachToken.decode(&r)
            try r.expectEnd("attach")
            return .attach(version: version, token: token)
        case .observe:
            let magic = try r.raw(4, "magic")
            guard magic == Wire.magic else { throw DecodeError("bad magic, expected 'SEAM'", at: 1) }
            let version = try r.u16("version")
            let zone = try r.u16("zone index")
            let proof = try r.raw(AttachToken.macSize, "proof")
            try r.expectEnd("observe")
            return .observe(version: version, zoneIndex: zone, proof: proof)
        default:
            throw DecodeError("unknown client message type 0x\(String(type, radix: 16))", at: 0)
        }
    }

    public static func decode(_ bytes: [UInt8]) throws(DecodeError) -> ClientMessage {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(DecodeError) in try decode(raw) } }
        return try result.get()
    }
}
