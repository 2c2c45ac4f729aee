import Testing
@testable import SeamProtocol

private func error(client bytes: [UInt8]) -> DecodeError? {
    do { _ = try ClientMessage.decode(bytes); return nil } catch { return error }
}

private func error(server bytes: [UInt8]) -> DecodeError? {
    do { _ = try ServerMessage.decode(bytes); return nil } catch { return error }
}

@Suite struct RefusalTests {
    static let hello = ClientMessage.hello(version: Wire.version, name: "ann").encoded()

    @Test func wrongMagic() {
        for i in 1...4 {
            var bytes = Self.hello
            bytes[i] ^= 0x20
            let e = error(client: bytes)
            #expect(e?.offset == 1)
            #expect(e?.reason.contains("magic") == true)
        }
    }

    @Test func wrongVersionDecodesWithEmptyName() throws {
        // The layout after the version may differ in other versions: the decoder stops there.
        let other = Wire.version + 1
        let next = ClientMessage.hello(version: other, name: "bob").encoded()
        #expect(try ClientMessage.decode(next) == .hello(version: other, name: ""))
        #expect(try ClientMessage.decode([0x01] + Wire.magic + [0, 0]) == .hello(version: 0, name: ""))
        #expect(try ClientMessage.decode([0x01] + Wire.magic + [0xFF, 0xFF, 1, 2, 3, 4, 5, 6, 7, 8, 9])
            == .hello(version: 0xFFFF, name: ""))
        // The right version must have its name.
        #expect(error(client: [0x01] + Wire.magic + [UInt8(Wire.version), 0]) != nil)
    }

    @Test func inputCountOutOfRange() {
        for count: UInt8 in [0, 9, 255] {
            var bytes: [UInt8] = [0x02, 0, 0, 0, 0, 100, 0, 0, 0, count]
            bytes += Array(repeating: 0, count: Int(count) * InputCommand.wireSize)
            let e = error(client: bytes)
            #expect(e?.offset == 9)
            #expect(e?.reason.contains("input count") == true)
        }
    }

    @Test func inputCountLargerThanSequenceAllows() {
        // Command i has sequence newest - i, so newest must be at least count - 1.
        let two: [UInt8] = [0x02, 0, 0, 0, 0, 0, 0, 0, 0, 2] + Array(repeating: 0, count: 2 * InputCommand.wireSize)
        #expect(error(client: two)?.offset == 9)
        var ok = two
        ok[5] = 1
        #expect(error(client: ok) == nil)
    }

    @Test func trailingBytes() {
        let messages = Samples.client.map { $0.encoded() }
        for bytes in messages {
            #expect(error(client: bytes + [0]) != nil)
        }
        for bytes in Samples.server.map({ $0.encoded() }) {
            let e = error(server: bytes + [0xAB])
            #expect(e?.offset == bytes.count)
            #expect(e?.reason.contains("trailing") == true)
        }
    }

    @Test func nameTooLongOnTheWire() {
        let bytes: [UInt8] = [0x01] + Wire.magic + [UInt8(Wire.version), 0, 33] + Array(repeating: 0x61, count: 33)
        #expect(error(client: bytes)?.offset == 7)
    }

    @Test func badUTF8Name() {
        for bad: [UInt8] in [[0xFF], [0xC3], [0x61, 0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF]] {
            let bytes: [UInt8] = [0x01] + Wire.magic + [UInt8(Wire.version), 0, UInt8(bad.count)] + bad
            let e = error(client: bytes)
            #expect(e?.reason.contains("UTF-8") == true)
        }
        // Valid multi-byte is fine, NUL too (the zone strips control characters from names itself).
        let ok: [UInt8] = [0x01] + Wire.magic + [UInt8(Wire.version), 0, 3, 0xE2, 0x82, 0xAC]
        #expect(error(client: ok) == nil)
    }

    @Test func unknownTypes() {
        let clientTypes: Set<UInt8> = [0x01, 0x02, 0x03, 0x04, 0x05]
        let serverTypes: Set<UInt8> = [0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D]
        for t in UInt8.min...UInt8.max {
            if !clientTypes.contains(t) {
                let e = error(client: [t, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0])
                #expect(e?.offset == 0)
                #expect(e?.reason.contains("unknown") == true)
            }
            if !serverTypes.contains(t) {
                #expect(error(server: [t, 0, 0])?.offset == 0)
            }
        }
        #expect(error(client: []) != nil)
        #expect(error(server: []) != nil)
    }

    @Test func unknownRefuseCodeAndEventTag() {
        #expect(error(server: [0x82, 0, 0])?.offset == 1)
        #expect(error(server: [0x82, 9, 0])?.offset == 1)
        #expect(error(server: [0x82, 8, 0]) == nil)
        #expect(error(server: [0x84, 1, 0]) != nil)
        #expect(error(server: [0x84, 1, 7, 0, 0, 0, 0]) != nil)
        #expect(error(server: [0x84, 2, 3, 1, 0, 0, 0, 9]) != nil)
    }
}
