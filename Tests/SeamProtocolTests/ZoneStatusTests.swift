import Testing
@testable import SeamProtocol

/// ZoneStatus (0x8C): the layout of docs/PROTOCOL.md, byte by byte. Round trips and truncations are in
/// RoundTripTests and DecoderRobustnessTests (the samples include two ZoneStatus messages).
@Suite struct ZoneStatusTests {
    /// Three ticks of 0x0C0B_0A09, 0x1413_1211 and 0x100F_0E0D µs.
    let report = ZoneStatusReport(
        zoneIndex: 0x0201, tick: 0x0605_0403, tickMicros: [0x0C0B_0A09, 0x1413_1211, 0x100F_0E0D],
        players: 0x1615, ghosts: 0x1817, entityLimit: 0x19, flags: 0x01)

    @Test func layoutIsLittleEndianInDocumentedOrder() {
        let bytes = ServerMessage.zoneStatus(report).encoded()
        let fixed: [UInt8] = [0x8C, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x03, 0x00]
            + [0x15, 0x16, 0x17, 0x18, 0x19, 0x01]
        let times: [UInt8] = [0x09, 0x0A, 0x0B, 0x0C, 0x11, 0x12, 0x13, 0x14, 0x0D, 0x0E, 0x0F, 0x10]
        #expect(bytes == fixed + times)
        #expect(bytes.count == ZoneStatusReport.fixedSize + 12 && bytes.count == report.wireSize)
    }

    @Test func percentilesAreNearestRankOverTheTickTimes() {
        let times = (1...20).map { UInt32($0 * 100) }.shuffled()
        let r = ZoneStatusReport(zoneIndex: 0, tick: 20, tickMicros: times, players: 0, ghosts: 0, entityLimit: 128, flags: 0)
        #expect(r.ticks == 20 && r.tickMicros == times)
        // Index round(0.5 × 19) = 10 of the sorted times is 1,100; with 20 ticks the p99 is the longest.
        #expect(r.tickP50Micros == 1100 && r.tickP99Micros == 2000 && r.tickMaxMicros == 2000)
        let none = ZoneStatusReport(zoneIndex: 0, tick: 20, tickMicros: [], players: 0, ghosts: 0, entityLimit: 128, flags: 0)
        #expect(none.tickP50Micros == 0 && none.tickP99Micros == 0 && none.tickMaxMicros == 0)
    }

    @Test func moreTickTimesThanTheLimitAreRefused() {
        var bytes = ServerMessage.zoneStatus(report).encoded()
        let count = ZoneStatusReport.maximumTicks + 1
        bytes[7] = UInt8(count & 0xFF)
        bytes[8] = UInt8(count >> 8)
        bytes += Array(repeating: 0, count: 4 * (ZoneStatusReport.maximumTicks + 1 - 3))
        #expect(throws: DecodeError.self) { try ServerMessage.decode(bytes) }
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
