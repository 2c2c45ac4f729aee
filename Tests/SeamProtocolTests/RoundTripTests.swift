import Testing
@testable import SeamProtocol

@Suite struct RoundTripTests {
    @Test(arguments: Samples.client)
    func clientMessageRoundTrips(_ message: ClientMessage) throws {
        let bytes = message.encoded()
        #expect(bytes.count <= Wire.maximumClientMessage)
        #expect(try ClientMessage.decode(bytes) == message)
    }

    @Test(arguments: Samples.server)
    func serverMessageRoundTrips(_ message: ServerMessage) throws {
        let bytes = message.encoded()
        #expect(try ServerMessage.decode(bytes) == message)
    }

    @Test func typeBytes() {
        #expect(ClientMessage.hello(version: 1, name: "a").encoded()[0] == 0x01)
        #expect(ClientMessage.input(InputMessage(ackTick: 0, newestSequence: 1, commands: [InputCommand()])).encoded()[0] == 0x02)
        #expect(ClientMessage.leave(reason: 0).encoded()[0] == 0x03)
        for m in Samples.server {
            let expected: UInt8 = switch m {
            case .welcome: 0x81
            case .refuse: 0x82
            case .snapshot: 0x83
            case .events: 0x84
            case .standby: 0x85
            case .standbyDrop: 0x86
            case .owner: 0x87
            case .redirect: 0x88
            case .attached: 0x89
            case .record: 0x8A
            case .delta: 0x8B
            case .zoneStatus: 0x8C
            case .ghost: 0x8D
            }
            #expect(m.encoded()[0] == expected)
        }
    }

    @Test func helloLayoutIsLittleEndian() {
        let bytes = ClientMessage.hello(version: 0x0201, name: "ab").encoded()
        #expect(bytes == [0x01, 0x53, 0x45, 0x41, 0x4D, 0x01, 0x02, 2, 0x61, 0x62])
    }

    @Test func inputLayout() {
        let m = InputMessage(ackTick: 0x0403_0201, newestSequence: 0x0807_0605, commands: [
            InputCommand(moveX: -1, moveY: 2, aim: 0xBBAA, buttons: 1, viewTick: 0x0D0C_0B0A, viewFraction: 0x80),
        ])
        #expect(ClientMessage.input(m).encoded()
            == [0x02, 1, 2, 3, 4, 5, 6, 7, 8, 1, 0xFF, 2, 0xAA, 0xBB, 1, 0x0A, 0x0B, 0x0C, 0x0D, 0x80])
        #expect(ClientMessage.leave(reason: 9).encoded() == [0x03, 9])
    }

    /// A client's newest inputs kept by `push`: newest first, at most the limit, the oldest dropped — as a
    /// list that inserts at the front and cuts the tail keeps them — and written without building a message,
    /// they decode to the same fields.
    @Test func pushedCommandsAreTheNewestFirstAndWriteAsAnInput() throws {
        for limit in 1...InputCommands.capacity {
            var pushed = InputCommands(), model: [InputCommand] = []
            for k in 0..<20 {
                let c = InputCommand(moveX: Int8(k), aim: UInt16(k * 3), viewTick: UInt32(k))
                pushed.push(c, keeping: limit)
                model.insert(c, at: 0)
                if model.count > limit { model.removeLast() }
                #expect(Array(pushed) == model)
                var w = ByteWriter()
                InputMessage.write(ackTick: 9, newestSequence: UInt32(100 + k), commands: pushed, into: &w)
                let decoded = try w.bytes.withUnsafeBytes { try ClientMessage.decode($0) }
                guard case .input(let m) = decoded else { Issue.record("not an input"); return }
                #expect(m.ackTick == 9 && m.newestSequence == UInt32(100 + k) && Array(m.commands) == model)
            }
        }
    }

    /// An Input's commands are held inline, up to the wire's limit: the decoded message keeps each of them,
    /// in order, for every count the wire allows.
    @Test func inputCommandsHoldWhatTheWireAllows() throws {
        #expect(InputCommands.capacity == Wire.maximumInputsPerMessage)
        for count in 1...Wire.maximumInputsPerMessage {
            let commands = (0..<count).map { InputCommand(moveX: Int8($0), aim: UInt16($0 * 7), viewTick: UInt32($0)) }
            let m = InputMessage(ackTick: 3, newestSequence: 100, commands: commands)
            #expect(Array(m.commands) == commands)
            let bytes = ClientMessage.input(m).encoded()
            let decoded = try bytes.withUnsafeBytes { try ClientMessage.decode($0) }
            guard case .input(let back) = decoded else { Issue.record("not an input"); return }
            #expect(back == m && Array(back.commands) == commands)
        }
    }

    @Test func snapshotSizes() {
        let empty = Snapshot(tick: 1, lastInputSequence: 1, me: Samples.me, entities: [], coins: [])
        #expect(empty.encoded().count == Snapshot.headerSize + 2)
        #expect(Snapshot.headerSize == 27)
        let full = Snapshot(tick: 1, lastInputSequence: 1, me: Samples.me, entities: Samples.entities(10),
                            coins: Samples.coins(5))
        #expect(full.encoded().count == 29 + 10 * EntityState.wireSize + 5 * CoinView.wireSize)
    }

    @Test func snapshotWriterMatchesEncoded() {
        let s = Snapshot(tick: 5, lastInputSequence: 4, me: Samples.me, entities: Samples.entities(3),
                         coins: Samples.coins(2))
        var w = SnapshotWriter()
        w.begin(tick: 999, lastInputSequence: 1, me: Samples.me)  // reused writer: begin resets it
        w.entity(Samples.entities(1)[0])
        w.beginCoins()
        w.finish()
        w.begin(tick: s.tick, lastInputSequence: s.lastInputSequence, me: s.me)
        for e in s.entities { w.entity(e) }
        w.beginCoins()
        for c in s.coins { w.coin(c) }
        w.finish()
        #expect(w.writer.bytes == s.encoded())
        #expect(ServerMessage.snapshot(s).encoded() == s.encoded())
    }

    @Test func eventTags() {
        let tags = Samples.allEvents.map { ServerMessage.events([$0]).encoded()[2] }
        #expect(tags == [1, 2, 3, 4, 5, 6, 7, 7])
        let sizes = Samples.allEvents.map { ServerMessage.events([$0]).encoded().count - 2 }
        #expect(sizes == [10, 6, 5, 9, 5, 5, 6, 6])
    }

    @Test func nameAtLimitIsKept() throws {
        let name = String(repeating: "x", count: Wire.maximumNameBytes)
        let bytes = ClientMessage.hello(version: Wire.version, name: name).encoded()
        #expect(bytes.count == 7 + 1 + 32)
        #expect(try ClientMessage.decode(bytes) == .hello(version: Wire.version, name: name))
    }

    @Test func longNameIsCutAtLimit() throws {
        let bytes = ClientMessage.hello(version: Wire.version, name: String(repeating: "y", count: 40)).encoded()
        #expect(bytes[7] == 32)
        #expect(try ClientMessage.decode(bytes) == .hello(version: Wire.version, name: String(repeating: "y", count: 32)))
    }

    @Test(arguments: 0...3)
    func multiByteNameIsCutOnScalarBoundary(_ prefix: Int) throws {
        // "é" is 2 bytes, "€" 3, "🎮" 4: place each so that the 32-byte limit falls inside it.
        for scalar in ["é", "€", "🎮"] {
            let name = String(repeating: "a", count: 30 + prefix % 2) + String(repeating: scalar, count: 4)
            let bytes = ClientMessage.hello(version: Wire.version, name: name).encoded()
            #expect(Int(bytes[7]) <= Wire.maximumNameBytes)
            guard case .hello(_, let decoded) = try ClientMessage.decode(bytes) else {
                Issue.record("not a hello"); continue
            }
            #expect(name.hasPrefix(decoded))
            #expect(decoded.utf8.count == Int(bytes[7]))
            #expect(Wire.maximumNameBytes - decoded.utf8.count < scalar.utf8.count)
        }
    }

    @Test func longStringsInServerMessagesAreCutAt255() throws {
        let long = String(repeating: "é", count: 200)  // 400 bytes
        let bytes = ServerMessage.refuse(code: .malformed, message: long).encoded()
        #expect(bytes[2] == 254)
        guard case .refuse(_, let message) = try ServerMessage.decode(bytes) else { Issue.record("not a refuse"); return }
        #expect(message == String(repeating: "é", count: 127))
    }
}
