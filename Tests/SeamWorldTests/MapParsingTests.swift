import SeamWorld
import Testing

@Suite struct MapParsingTests {
    @Test func explicitZones() throws {
        let map = try Fixtures.parse(Fixtures.tiny)
        #expect(map.name == "tiny")
        #expect(map.width == 4 && map.height == 2)
        #expect(map.zones.map(\.id) == ["west", "east"])
        #expect(map.zones.map(\.index) == [0, 1])
        #expect(map.zones.map(\.port) == [7001, 7002])
        #expect(map.zones[1].rect == Rect(x: 2, y: 0, width: 2, height: 2))
        #expect(map.spawns == [TileCoord(x: 0, y: 0), TileCoord(x: 3, y: 0)])
        #expect(map.coinSpots == [TileCoord(x: 2, y: 0), TileCoord(x: 1, y: 1)])
    }

    @Test func gridZones() throws {
        let map = try Fixtures.parse(Fixtures.grid)
        #expect(map.name == "grid")
        #expect(map.zones.map(\.id) == ["a1", "b1", "a2", "b2"])
        #expect(map.zones.map(\.index) == [0, 1, 2, 3])
        #expect(map.zones.map(\.port) == [7100, 7101, 7102, 7103])
        #expect(map.zone(id: "b1")?.rect == Rect(x: 2, y: 0, width: 2, height: 2))
        #expect(map.zone(id: "a2")?.rect == Rect(x: 0, y: 2, width: 2, height: 2))
        #expect(map.zone(id: "c1") == nil)
        #expect(map.zone(index: 2)?.id == "a2")
        #expect(map.zone(index: 4) == nil)
    }

    @Test func gridIdsUseLettersForColumnsAndNumbersForRows() throws {
        let rows = Array(repeating: String(repeating: "S", count: 26), count: 2)
        let text = "seam-map 1\nname wide\nsize 26 2\nzones 26x2 100\ntiles\n" + rows.joined(separator: "\n")
        let map = try Fixtures.parse(text)
        #expect(map.zones.first?.id == "a1")
        #expect(map.zones[25].id == "z1")
        #expect(map.zones[26].id == "a2")
        #expect(map.zones[26].port == 126)
    }

    @Test func walls() throws {
        let map = try Fixtures.parse(Fixtures.grid)
        #expect(map.isWall(x: 2, y: 1))
        #expect(!map.isWall(x: 1, y: 1))
        #expect(map.isWall(x: -1, y: 0))
        #expect(map.isWall(x: 4, y: 0))
        #expect(map.isWall(x: 0, y: 4))
        #expect(map.isWall(at: Vec2(x: 2.9, y: 1.1)))
        #expect(!map.isWall(at: Vec2(x: 3.0, y: 1.1)))
        #expect(map.isWall(at: Vec2(x: -0.1, y: 1)))
        #expect(map.isWall(at: Vec2(x: .nan, y: 1)))
        #expect(map.isWall(at: Vec2(x: 1e300, y: 1)))
        #expect(map.tile(x: 1, y: 1) == .coin)
        #expect(map.tile(x: 0, y: 0) == .spawn)
    }

    @Test func zoneContainingPoint() throws {
        let map = try Fixtures.parse(Fixtures.grid)
        #expect(map.zone(containing: Vec2(x: 0, y: 0))?.id == "a1")
        #expect(map.zone(containing: Vec2(x: 1.99, y: 1.99))?.id == "a1")
        #expect(map.zone(containing: Vec2(x: 2, y: 1.99))?.id == "b1")
        #expect(map.zone(containing: Vec2(x: 1.5, y: 2))?.id == "a2")
        #expect(map.zone(containing: Vec2(x: 3.99, y: 3.99))?.id == "b2")
        #expect(map.zone(containing: Vec2(x: 4, y: 1)) == nil)
        #expect(map.zone(containing: Vec2(x: -0.01, y: 1)) == nil)
        #expect(map.zone(containing: Vec2(x: .infinity, y: 1)) == nil)
        #expect(map.zone(containing: TileCoord(x: 3, y: 0))?.id == "b1")
    }

    @Test func spawnsAndCoinsPerZone() throws {
        let map = try Fixtures.parse(Fixtures.tiny)
        let west = try #require(map.zone(id: "west"))
        let east = try #require(map.zone(id: "east"))
        #expect(map.spawns(in: west) == [TileCoord(x: 0, y: 0)])
        #expect(map.spawns(in: east) == [TileCoord(x: 3, y: 0)])
        let westCoins = map.coinSpots(in: west)
        let eastCoins = map.coinSpots(in: east)
        #expect(westCoins.map(\.id) == [2])
        #expect(westCoins.map(\.tile) == [TileCoord(x: 1, y: 1)])
        #expect(eastCoins.map(\.id) == [1])
        #expect(eastCoins.map(\.tile) == [TileCoord(x: 2, y: 0)])
        #expect(map.coinSpot(id: 2) == TileCoord(x: 1, y: 1))
        #expect(map.coinSpot(id: 0) == nil)
        #expect(map.coinSpot(id: 3) == nil)
    }

    @Test func coinIdsAreStableAcrossParses() throws {
        let first = try Fixtures.parse(Fixtures.grid)
        let second = try Fixtures.parse(Fixtures.grid)
        for zone in first.zones {
            let a = first.coinSpots(in: zone)
            let b = second.coinSpots(in: zone)
            #expect(a.map(\.id) == b.map(\.id))
            #expect(a.map(\.tile) == b.map(\.tile))
        }
        // ids are global: every coin appears in exactly one zone, ids 1...count
        let ids = first.zones.flatMap { first.coinSpots(in: $0).map(\.id) }.sorted()
        #expect(ids == Array(1...UInt32(first.coinSpots.count)))
    }

    @Test func neighboursInGrid() throws {
        let map = try Fixtures.parse(Fixtures.grid)
        for zone in map.zones {
            let ids = map.neighbours(of: zone).map(\.id)
            #expect(ids.count == 3)
            #expect(!ids.contains(zone.id))
        }
    }

    @Test func crlfLineEndingsAndTrailingBlankLines() throws {
        let text = Fixtures.tiny.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n\r\n  \n"
        let map = try Fixtures.parse(text)
        #expect(map.coinSpots.count == 2)
    }

    @Test func directivesMayComeInAnyOrder() throws {
        let text = """
            seam-map 1
            zone east 2 0 2 2 7002
            size 4 2
            zone west 0 0 2 2 7001
            name reordered
            tiles
            S.cS
            #c.#
            """
        let map = try Fixtures.parse(text)
        #expect(map.zones.map(\.id) == ["east", "west"])
        #expect(map.zones.map(\.index) == [0, 1])
        #expect(map.zone(containing: Vec2(x: 0.5, y: 0.5))?.id == "west")
    }

    @Test func errorDescriptionIsOneLine() {
        let error = MapError(file: "Maps/duel.map", line: 12, column: 5, message: "expected x, found y")
        #expect(error.description == "Maps/duel.map:12:5: expected x, found y")
        let unreadable = MapError(file: "nope.map", line: 0, column: 0, message: "cannot read map file: no such file")
        #expect(unreadable.description == "nope.map: cannot read map file: no such file")
    }

    @Test func loadingAMissingFileFailsWithLineZero() {
        do {
            _ = try GameMap.load(path: "/nonexistent/dir/missing.map")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 0)
            #expect(error.file == "/nonexistent/dir/missing.map")
            #expect(error.message.contains("cannot read"))
        }
    }
}
