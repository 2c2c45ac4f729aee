import Foundation
import SeamWorld
import Testing

/// Loads every `.map` file in the package's `Maps/` directory.
@Suite struct ShippedMapsTests {
    /// `Maps/`, found from this file: Tests/SeamWorldTests/ShippedMapsTests.swift.
    static let mapsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Maps")

    static func load(_ name: String) throws -> GameMap {
        try GameMap.load(path: mapsDirectory.appendingPathComponent(name).path)
    }

    static func mapFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: mapsDirectory.path)
            .filter { $0.hasSuffix(".map") }.sorted()
    }

    @Test func everyShippedMapParses() throws {
        let files = try Self.mapFiles()
        #expect(Set(files).isSuperset(of: ["continent.map", "duel.map", "quad.map"]))
        for file in files {
            do {
                _ = try Self.load(file)
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test func everyFloorTileIsReachable() throws {
        for file in try Self.mapFiles() {
            let map = try Self.load(file)
            let unreachable = Self.unreachableFloorTiles(in: map)
            #expect(unreachable == 0, "\(file): \(unreachable) floor tiles cannot be reached from the first spawn")
        }
    }

    @Test func shippedMapsHaveBorderWalls() throws {
        for file in try Self.mapFiles() {
            let map = try Self.load(file)
            for x in 0..<map.width {
                #expect(map.isWall(x: x, y: 0) && map.isWall(x: x, y: map.height - 1), "\(file) column \(x)")
            }
            for y in 0..<map.height {
                #expect(map.isWall(x: 0, y: y) && map.isWall(x: map.width - 1, y: y), "\(file) row \(y)")
            }
        }
    }

    @Test func duel() throws {
        let map = try Self.load("duel.map")
        #expect(map.name == "duel")
        #expect(map.width == 64 && map.height == 32)
        #expect(map.zones.map(\.id) == ["west", "east"])
        #expect(map.zones.map(\.port) == [7101, 7102])
        let west = try #require(map.zone(id: "west"))
        let east = try #require(map.zone(id: "east"))
        #expect(map.neighbours(of: west) == [east])
        #expect(map.neighbours(of: east) == [west])
        for zone in map.zones {
            #expect(map.spawns(in: zone).count >= 4)
            #expect((15...25).contains(map.coinSpots(in: zone).count))
        }
        #expect(map.zone(containing: Vec2(x: 31.99, y: 16))?.id == "west")
        #expect(map.zone(containing: Vec2(x: 32, y: 16))?.id == "east")
        // Players can cross: some row has floor on both sides of x = 32.
        #expect((0..<map.height).contains { !map.isWall(x: 31, y: $0) && !map.isWall(x: 32, y: $0) })
    }

    @Test func quad() throws {
        let map = try Self.load("quad.map")
        #expect(map.width == 96 && map.height == 96)
        #expect(map.zones.map(\.id) == ["a1", "b1", "a2", "b2"])
        #expect(map.zones.map(\.port) == [7200, 7201, 7202, 7203])
        for zone in map.zones {
            let neighbours = map.neighbours(of: zone)
            #expect(neighbours.count == 3)
            #expect(Set(neighbours.map(\.id)) == Set(map.zones.map(\.id)).subtracting([zone.id]))
            #expect(map.spawns(in: zone).count >= 3)
            #expect((25...35).contains(map.coinSpots(in: zone).count))
        }
        for y in 46..<50 {
            for x in 46..<50 {
                #expect(!map.isWall(x: x, y: y), "the meeting corner must be open at (\(x), \(y))")
            }
        }
        #expect(map.zone(containing: Vec2(x: 47.9, y: 48.1))?.id == "a2")
        #expect(map.zone(containing: Vec2(x: 48.1, y: 47.9))?.id == "b1")
    }

    @Test func continent() throws {
        let map = try Self.load("continent.map")
        #expect(map.width == 256 && map.height == 256)
        #expect(map.zones.count == 16)
        #expect(map.zones.first?.port == 7300 && map.zones.last?.port == 7315)
        #expect(map.zones.last?.id == "d4")
        let counts = Dictionary(uniqueKeysWithValues: map.zones.map { ($0.id, map.neighbours(of: $0).count) })
        #expect(counts["a1"] == 3 && counts["d1"] == 3 && counts["a4"] == 3 && counts["d4"] == 3)
        #expect(counts["b1"] == 5 && counts["a2"] == 5 && counts["d3"] == 5 && counts["c4"] == 5)
        #expect(counts["b2"] == 8 && counts["c2"] == 8 && counts["b3"] == 8 && counts["c3"] == 8)
        let b2 = try #require(map.zone(id: "b2"))
        #expect(Set(map.neighbours(of: b2).map(\.id)) == ["a1", "b1", "c1", "a2", "c2", "a3", "b3", "c3"])
        for zone in map.zones {
            #expect(map.spawns(in: zone).count >= 8)
            #expect((35...45).contains(map.coinSpots(in: zone).count))
        }
        #expect(map.zone(containing: Vec2(x: 200, y: 10))?.id == "d1")
        #expect(map.zone(containing: Vec2(x: 64, y: 191.5))?.id == "b3")
    }

    @Test func coinIdsAreGlobalAndRowMajor() throws {
        let map = try Self.load("continent.map")
        let all = map.zones.flatMap { map.coinSpots(in: $0) }.sorted { $0.id < $1.id }
        #expect(all.map(\.id) == Array(1...UInt32(map.coinSpots.count)))
        #expect(all.map(\.tile) == map.coinSpots)
        #expect(map.coinSpots == map.coinSpots.sorted { ($0.y, $0.x) < ($1.y, $1.x) })
    }

    /// Flood-fills from the first spawn and counts the non-wall tiles never reached.
    static func unreachableFloorTiles(in map: GameMap) -> Int {
        guard let start = map.spawns.first else { return -1 }
        var seen = [Bool](repeating: false, count: map.width * map.height)
        var stack = [start]
        seen[start.y * map.width + start.x] = true
        while let tile = stack.popLast() {
            for (dx, dy) in [(1, 0), (-1, 0), (0, 1), (0, -1)] {
                let next = TileCoord(x: tile.x + dx, y: tile.y + dy)
                if !map.isWall(x: next.x, y: next.y), !seen[next.y * map.width + next.x] {
                    seen[next.y * map.width + next.x] = true
                    stack.append(next)
                }
            }
        }
        var unreachable = 0
        for y in 0..<map.height {
            for x in 0..<map.width where !map.isWall(x: x, y: y) && !seen[y * map.width + x] {
                unreachable += 1
            }
        }
        return unreachable
    }
}
