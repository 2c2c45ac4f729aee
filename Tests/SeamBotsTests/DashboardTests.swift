import SeamProtocol
import Testing
@testable import SeamBots

/// The dashboard's zone table stays readable with sixteen zones.
@Suite struct DashboardTests {
    func stats(zones: Int) -> SwarmStats {
        var s = SwarmStats()
        s.elapsed = 10
        s.zones = (0..<zones).map { ZoneLoad(id: "z\($0)", index: $0) }
        for i in 0..<zones where i != 3 {
            let r = ZoneStatusReport(zoneIndex: UInt16(i), tick: 200,
                                     tickMicros: Array(repeating: 1500, count: 19) + [UInt32(2000 + i * 1000)], players: 125,
                                     ghosts: 3, entityLimit: i == 5 ? 64 : 128, flags: i == 5 ? ZoneStatusReport.degrading : 0)
            s.zones[i].note(r, at: 9.5)
        }
        return s
    }

    @Test func sixteenZonesMakeTwoAlignedBlocksWithinEightyColumns() {
        let lines = Dashboard.zoneTable(stats(zones: 16))
        #expect(lines.count == 8)
        #expect(lines.allSatisfy { $0.count <= 80 }, "\(lines)")
        #expect(lines[0].hasPrefix("zone ") && lines[0].contains("z0") && lines[0].contains("z7") && !lines[0].contains("z8"))
        #expect(lines[4].contains("z8") && lines[4].contains("z15"))
        #expect(lines[1].split(separator: " ").filter { $0 == "-" }.count == 1, "z3 sent nothing: '-'")
        #expect(lines[3].contains("7.0*"), "z5 is degrading: \(lines[3])")
        // Every cell is eight columns wide: the first block's rows are as long as each other.
        #expect(Set(lines[0..<4].map(\.count)).count == 1, "\(lines)")
    }

    @Test func silentZonesAreUnknownAfterTwoAndAHalfSeconds() {
        var s = stats(zones: 4)
        s.elapsed = 13
        #expect(Dashboard.zoneLine(s).isEmpty)
        #expect(Dashboard.zoneTable(s).count == 4, "the table keeps its shape, every value '-'")
    }
}
