import SeamWorld
import Testing

/// Errors in zone directives. In `Fixtures.tiny` the zones are on lines 4 (west) and 5 (east):
/// `zone east 2 0 2 2 7002` has its id at column 6, x at 11, y at 13, width at 15, height at 17, port at 19.
@Suite struct ZoneErrorTests {
    @Test func badZoneId() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone East 2 0 2 2 7002"), line: 5, column: 6,
            "expected a zone id of 1 to 16 characters from a-z, 0-9 and '-', found 'East'")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone abcdefghijklmnopq 2 0 2 2 7002"), line: 5, column: 6,
            "expected a zone id")
    }

    @Test func longestValidZoneId() throws {
        let map = try Fixtures.parse(Fixtures.tiny(replacingLine: 5, with: "zone east-0123456789 2 0 2 2 7002"))
        #expect(map.zones[1].id == "east-0123456789")
    }

    @Test func badZoneNumbers() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 top 2 2 7002"), line: 5, column: 13,
            "expected a whole number for zone y, found 'top'")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 0 2 7002"), line: 5, column: 15,
            "expected zone width in 1...1024, found 0")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 2 2"), line: 5, column: 1,
            "expected 6 arguments as 'zone ID X Y WIDTH HEIGHT PORT', found 5")
    }

    @Test func portOutOfRange() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 2 2 70000"), line: 5, column: 19,
            "expected port in 1...65535, found 70000")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 2 2 0"), line: 5, column: 19,
            "expected port in 1...65535, found 0")
    }

    @Test func zoneOutsideTheMap() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 3 2 7002"), line: 5, column: 11,
            "zone 'east' spans columns 2..<5, outside the map", "expected x + width <= 4")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 1 2 2 7002"), line: 5, column: 13,
            "zone 'east' spans rows 1..<3, outside the map", "expected y + height <= 2")
    }

    @Test func overlappingZones() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 1 0 3 2 7002"), line: 5, column: 11,
            "zone 'east' overlaps zone 'west' (line 4) at tile (1, 0)")
    }

    @Test func zonesNotCoveringTheMap() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 1 2 7002"), line: 5, column: 1,
            "zones do not cover the whole map: tile (3, 0) belongs to no zone")
    }

    @Test func duplicateZoneId() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone west 2 0 2 2 7002"), line: 5, column: 6,
            "duplicate zone id 'west'", "already used on line 4")
    }

    @Test func duplicatePort() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zone east 2 0 2 2 7001"), line: 5, column: 19,
            "duplicate port 7001 for zone 'east'", "already used on line 4")
    }

    @Test func zoneWithoutSpawn() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 7, with: "..cS"), line: 4, column: 6,
            "zone 'west' (0,0 2x2) has no spawn point", "expected at least one 'S' tile")
    }

    @Test func noCoinsIsFine() throws {
        let map = try Fixtures.parse(
            Fixtures.tiny(replacingLine: 7, with: "S..S").replacingOccurrences(of: "#c.#", with: "#..#"))
        #expect(map.coinSpots.isEmpty)
        #expect(map.coinSpots(in: map.zones[0]).isEmpty)
    }
}

/// Errors in a `zones COLUMNSxROWS base` directive, on line 6 of `Fixtures.grid`
/// (`zones 2x2 7100`: grid at column 7, base port at column 11).
@Suite struct ZoneGridErrorTests {
    func grid(_ directive: String) -> String {
        Fixtures.grid.replacingOccurrences(of: "zones 2x2 7100", with: directive)
    }

    @Test func malformedGrid() {
        Fixtures.expectError(
            grid("zones 2by2 7100"), line: 6, column: 7, "expected a grid as COLUMNSxROWS (e.g. 4x4), found '2by2'")
        Fixtures.expectError(grid("zones 2x 7100"), line: 6, column: 7, "expected a grid as COLUMNSxROWS")
        Fixtures.expectError(
            grid("zones 27x1 7100"), line: 6, column: 7,
            "expected grid columns (one letter a-z each) in 1...26, found 27")
        Fixtures.expectError(grid("zones 2x0 7100"), line: 6, column: 9, "expected grid rows in 1...1024, found 0")
    }

    @Test func gridMustDivideTheMap() {
        Fixtures.expectError(
            grid("zones 3x2 7100"), line: 6, column: 7,
            "map width 4 cannot be divided evenly into 3 columns")
        Fixtures.expectError(
            grid("zones 2x3 7100"), line: 6, column: 7,
            "map height 4 cannot be divided evenly into 3 rows")
    }

    @Test func gridPorts() {
        Fixtures.expectError(
            grid("zones 2x2 65534"), line: 6, column: 11,
            "expected the ports of all 4 zones (65534...65537) to be at most 65535")
        Fixtures.expectError(grid("zones 2x2 0"), line: 6, column: 11, "expected base port in 1...65535, found 0")
    }

    @Test func gridZoneWithoutSpawn() {
        Fixtures.expectError(
            Fixtures.grid.replacingOccurrences(of: "S..S\n.c#.", with: "S...\n.c#."), line: 6, column: 7,
            "zone 'b1' (2,0 2x2) has no spawn point")
    }

    @Test func duplicateGrid() {
        Fixtures.expectError(
            grid("zones 2x2 7100\nzones 1x1 7200"), line: 7, column: 1,
            "duplicate 'zones' directive", "already given on line 6")
    }
}
