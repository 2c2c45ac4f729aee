import Testing
@testable import SeamProtocol

/// ZoneStatus (0x8C): the layout of docs/PROTOCOL.md, byte by byte. Round trips and truncations are in
/// RoundTripTests and DecoderRobustnessTests (the samples include two ZoneStatus messages).
@Suite struct ZoneStatusTests {
    let report = ZoneStatusReport(
        zoneIndex: 0x0201, tick: 0x0605_0403, ticks: 0x0807, tickP50Micros: 0x0C0B_0A09, tickP99Micros: 0x100F_0E0D,
        tickMaxMicros: 0x1413_1211, players: 0x1615, ghosts: 0x1817, entityLimit: 0x19, flags: 0x01)

    @Test func layoutIsLittleEndianInDocumentedOrder() {
        let bytes = ServerMessage.zoneStatus(report).encoded()
        #expect(bytes == [0x8C] + (0x01...0x19).map { UInt8($0) } + [0x01])
        #expect(bytes.count == ZoneStatusReport.wireSize)
    }

    @Test func decodesWhatWasEncoded() throws {
        #expect(try ServerMessage.decode(ServerMessage.zoneStatus(report).encoded()) == .zoneStatus(report))
        #expect(report.isDegrading)
    }

    @Test func trailingByteIsRefused() {
        let bytes = ServerMessage.zoneStatus(report).encoded() + [0]
        #expect(throws: DecodeError.self) { try ServerMessage.decode(bytes) }
    }

    @Test func everyPrefixIsRefused() {
        let bytes = ServerMessage.zoneStatus(report).encoded()
        for n in 0..<bytes.count {
            #expect(throws: DecodeError.self, "prefix of \(n) bytes") { try ServerMessage.decode(Array(bytes[0..<n])) }
        }
    }
}
