import SeamTesting
import Foundation
import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

@Suite struct WorldClockTests {
    @Test func twentyHertz() {
        let e: UInt64 = 1_700_000_000_000_000_000
        let c = WorldClock(epochNanos: e, tickRate: 20)
        #expect(c.tickNanos == 50_000_000)
        #expect(c.tick(at: 0) == 0)
        #expect(c.tick(at: e - 1) == 0)
        #expect(c.tick(at: e) == 0)
        #expect(c.tick(at: e + 49_999_999) == 0)
        #expect(c.tick(at: e + 50_000_000) == 1)
        #expect(c.tick(at: e + 1_000_000_000) == 20)
        #expect(c.tick(at: e + 3_600_000_000_000) == 72_000)
        #expect(c.start(of: 0) == e)
        #expect(c.start(of: 1) == e + 50_000_000)
        #expect(c.start(of: 72_000) == e + 3_600_000_000_000)
    }

    @Test(arguments: [1, 7, 20, 30, 60, 64, 128, 1000])
    func tickAndStartAgree(rate: Int) {
        var rng = SplitMix64(seed: UInt64(rate))
        let e: UInt64 = 1_700_000_000_123_456_789
        let c = WorldClock(epochNanos: e, tickRate: rate)
        for _ in 0..<20_000 {
            let t = e + UInt64.random(in: 0...(86_400 * 1_000_000_000), using: &rng)
            let n = c.tick(at: t)
            #expect(c.start(of: n) <= t && t < c.start(of: n + 1), "t \(t) tick \(n)")
        }
        for n in UInt64(0)...UInt64(3 * rate) {
            // The start of tick n is the first nanosecond that belongs to tick n.
            #expect(c.tick(at: c.start(of: n)) == n, "tick \(n)")
            if n > 0 { #expect(c.tick(at: c.start(of: n) - 1) == n - 1) }
            #expect(c.start(of: n + 1) - c.start(of: n) >= c.tickNanos)
            #expect(c.start(of: n + 1) - c.start(of: n) <= c.tickNanos + 1)
        }
    }

    @Test func zonesSharingAnEpochAgree() {
        let a = WorldClock(epochNanos: 5_000_000_000, tickRate: 20)
        let b = WorldClock(epochNanos: 5_000_000_000, tickRate: 20)
        for t in stride(from: UInt64(5_000_000_000), to: 6_000_000_000, by: 7_777_777) {
            #expect(a.tick(at: t) == b.tick(at: t))
        }
    }
}

@Suite struct SpatialGridTests {
    @Test(arguments: [UInt64(1), 2, 3, 4])
    func queriesReturnEveryItemWithinTheRadius(seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        for _ in 0..<20 {
            let width = Int.random(in: 1...200, using: &rng), height = Int.random(in: 1...200, using: &rng)
            let cellSize = Double.random(in: 0.5...40, using: &rng)
            var grid = SpatialGrid(width: width, height: height, cellSize: cellSize)
            let count = Int.random(in: 0...400, using: &rng)
            var points: [Vec2] = []
            for _ in 0..<count {
                // Mostly inside the map, a few just outside (clamped into the edge cells).
                points.append(Vec2(x: Double.random(in: -1...(Double(width) + 1), using: &rng),
                                   y: Double.random(in: -1...(Double(height) + 1), using: &rng)))
            }
            grid.rebuild(count: points.count) { points[$0] }
            for _ in 0..<100 {
                let center = Vec2(x: Double.random(in: -2...(Double(width) + 2), using: &rng),
                                  y: Double.random(in: -2...(Double(height) + 2), using: &rng))
                let radius = Double.random(in: 0...30, using: &rng)
                var seen = [Int](repeating: 0, count: points.count)
                grid.forEachCandidate(around: center, radius: radius) { seen[$0] += 1 }
                for i in points.indices {
                    #expect(seen[i] <= 1, "item \(i) visited twice")
                    if (points[i] - center).length <= radius {
                        #expect(seen[i] == 1, "item \(i) at \(points[i]) missed around \(center) r \(radius)")
                    }
                }
            }
        }
    }

    @Test func rebuildReplacesThePreviousContents() {
        var grid = SpatialGrid(width: 32, height: 32, cellSize: 8)
        grid.rebuild(count: 3) { Vec2(x: Double($0 * 10) + 1, y: 1) }
        grid.rebuild(count: 1) { _ in Vec2(x: 30, y: 30) }
        var seen: [Int] = []
        grid.forEachCandidate(around: Vec2(x: 16, y: 16), radius: 100) { seen.append($0) }
        #expect(seen == [0])
        grid.rebuild(count: 0) { _ in .zero }
        seen = []
        grid.forEachCandidate(around: Vec2(x: 16, y: 16), radius: 100) { seen.append($0) }
        #expect(seen.isEmpty)
    }
}

@Suite struct RaycastTests {
    /// A random 24x24 map with a border and about a fifth of the inner tiles walls.
    static func randomMap(seed: UInt64) throws -> GameMap {
        var rng = SplitMix64(seed: seed)
        var rows: [String] = []
        for y in 0..<24 {
            var row = ""
            for x in 0..<24 {
                if x == 0 || y == 0 || x == 23 || y == 23 { row += "#" }
                else if x == 1 && y == 1 { row += "S" }
                else { row += Int.random(in: 0..<5, using: &rng) == 0 ? "#" : "." }
            }
            rows.append(row)
        }
        return try Maps.parse("seam-map 1\nname rnd\nsize 24 24\nzone main 0 0 24 24 7001\ntiles\n" + rows.joined(separator: "\n"))
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func wallDistanceMatchesABruteForceMarch(seed: UInt64) throws {
        let maps = [try Maps.parse(Maps.room), try Self.randomMap(seed: seed)]
        var rng = SplitMix64(seed: seed &* 77)
        let step = 1e-3
        var close = 0, total = 0
        for map in maps {
            for _ in 0..<400 {
                var origin: Vec2
                repeat {
                    origin = Vec2(x: Double.random(in: 0..<Double(map.width), using: &rng),
                                  y: Double.random(in: 0..<Double(map.height), using: &rng))
                } while map.isWall(at: origin)
                let angle = Double.random(in: 0..<(2 * Double.pi), using: &rng)
                let d = Vec2(x: cos(angle), y: sin(angle))
                let maxDistance = Double.random(in: 0.5...30, using: &rng)
                let ray = Raycast.wallDistance(map: map, from: origin, direction: d, maxDistance: maxDistance)
                var brute = maxDistance
                var t = 0.0
                while t < maxDistance {
                    if map.isWall(at: origin + d * t) { brute = t; break }
                    t += step
                }
                // No wall before the ray's answer (up to rounding) ...
                #expect(ray <= brute + 1e-9, "origin \(origin) angle \(angle): ray \(ray) brute \(brute)")
                #expect(ray >= 0 && ray <= maxDistance)
                // ... and a wall right after it, unless the range ended first.
                if ray < maxDistance {
                    #expect(map.isWall(at: origin + d * (ray + 1e-7)), "origin \(origin) angle \(angle): ray \(ray)")
                }
                total += 1
                if brute - ray <= step + 1e-9 { close += 1 }
            }
        }
        // Only rays that clip a wall corner by less than a march step may differ by more than a step.
        #expect(close * 100 >= total * 99)
    }

    @Test func axisAlignedDistances() throws {
        let map = try Maps.parse(Maps.room)
        let o = Vec2(x: 1.5, y: 1.5)
        #expect(abs(Raycast.wallDistance(map: map, from: o, direction: Vec2(x: -1, y: 0), maxDistance: 30) - 0.5) < 1e-12)
        #expect(abs(Raycast.wallDistance(map: map, from: o, direction: Vec2(x: 1, y: 0), maxDistance: 30) - 13.5) < 1e-12)
        #expect(Raycast.wallDistance(map: map, from: o, direction: Vec2(x: 1, y: 0), maxDistance: 5) == 5)
        #expect(abs(Raycast.wallDistance(map: map, from: Vec2(x: 3.5, y: 3.5), direction: Vec2(x: 1, y: 0), maxDistance: 30) - 3.5) < 1e-12)
        #expect(Raycast.wallDistance(map: map, from: Vec2(x: 0.5, y: 0.5), direction: Vec2(x: 1, y: 0), maxDistance: 30) == 0)
    }

    @Test func circleHit() {
        let o = Vec2(x: 0, y: 0), east = Vec2(x: 1, y: 0)
        #expect(Raycast.circleHit(from: o, direction: east, center: Vec2(x: 5, y: 0), radius: 0.5) == 4.5)
        #expect(Raycast.circleHit(from: o, direction: east, center: Vec2(x: 5, y: 0.6), radius: 0.5) == nil)
        #expect(Raycast.circleHit(from: o, direction: east, center: Vec2(x: -5, y: 0), radius: 0.5) == nil)
        #expect(Raycast.circleHit(from: o, direction: east, center: Vec2(x: 0.2, y: 0), radius: 0.5) == 0)
        let t = Raycast.circleHit(from: o, direction: east, center: Vec2(x: 3, y: 0.3), radius: 0.5)!
        #expect(abs(t - 2.6) < 1e-12)
    }
}
