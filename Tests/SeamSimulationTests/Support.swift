import SeamTesting
import Foundation
import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing


enum Maps {
    /// 16x8, one zone, an inner wall, spawns (1,1) and (14,6), coins (7,1) (3,3) (11,3) (12,5) = ids 1...4.
    static let room = """
        seam-map 1
        name room
        size 16 8
        zone main 0 0 16 8 7001
        tiles
        ################
        #S.....c.......#
        #......#.......#
        #..c...#...c...#
        #......#.......#
        #......#....c..#
        #.............S#
        ################
        """

    /// 16x8, two zones split at x = 8 with open floor across the seam on most rows.
    static let split = """
        seam-map 1
        name split
        size 16 8
        zone west 0 0 8 8 7001
        zone east 8 0 8 8 7002
        tiles
        ################
        #S.....c.......#
        #..............#
        #..c...##...c..#
        #..............#
        #.............S#
        #..............#
        ################
        """

    /// 16x8 shooting range. Spawns in row-major order: (1,1) (14,1) (1,3) (14,3); a wall at (7,3) between
    /// the second pair; a coin at (14,2) just below the second spawn.
    static let range = """
        seam-map 1
        name range
        size 16 8
        zone main 0 0 16 8 7001
        tiles
        ################
        #S............S#
        #.............c#
        #S.....#......S#
        #..............#
        #..............#
        #..............#
        ################
        """

    /// An open square with a spawn in the middle and a wall border.
    static func open(size: Int) -> String {
        var rows: [String] = []
        for y in 0..<size {
            var row = ""
            for x in 0..<size {
                if x == 0 || y == 0 || x == size - 1 || y == size - 1 { row += "#" }
                else if x == size / 2 && y == size / 2 { row += "S" }
                else { row += "." }
            }
            rows.append(row)
        }
        return "seam-map 1\nname open\nsize \(size) \(size)\nzone main 0 0 \(size) \(size) 7001\ntiles\n"
            + rows.joined(separator: "\n") + "\n"
    }

    static func parse(_ text: String) throws -> GameMap { try GameMap.parse(text, file: "test.map") }
}

func simulation(_ text: String, zone: Int = 0, config: SimulationConfig = SimulationConfig()) throws -> ZoneSimulation {
    let map = try Maps.parse(text)
    return ZoneSimulation(map: map, zone: map.zones[zone], config: config)
}

/// Aim from `a` towards `b`, quantized as a client would send it.
func aim(from a: Vec2, to b: Vec2) -> UInt16 {
    Quantize.angle(atan2(b.y - a.y, b.x - a.x))
}

/// True if the player's square (half-side `r`) overlaps a wall tile: what collision must prevent.
func overlapsWall(_ map: GameMap, _ p: Vec2, r: Double) -> Bool {
    let x0 = Int((p.x - r).rounded(.down)), x1 = Int((p.x + r).rounded(.down))
    let y0 = Int((p.y - r).rounded(.down)), y1 = Int((p.y + r).rounded(.down))
    for ty in y0...y1 { for tx in x0...x1 where map.isWall(x: tx, y: ty) { return true } }
    return false
}

extension ZoneSimulation {
    mutating func drainEvents() -> [SimEvent] {
        var out: [SimEvent] = []
        takeEvents(into: &out)
        return out
    }

    /// Checks that every coin is either on the ground or carried by exactly one present player.
    func checkCoins(total: Int, sourceLocation: SourceLocation = #_sourceLocation) {
        let d = digest
        #expect(d.coinsGround + d.coinsCarried == total, sourceLocation: sourceLocation)
        #expect(coins.count == total, sourceLocation: sourceLocation)
        for p in players {
            #expect(carriedCoins(of: p.id).count == p.coinCount, "coin count out of step with the coins", sourceLocation: sourceLocation)
        }
        for c in coins {
            switch c.place {
            case .ground(let at):
                #expect(zone.rect.contains(at), sourceLocation: sourceLocation)
            case .carried(let by):
                #expect(player(by) != nil, "a coin carried by a player who is gone", sourceLocation: sourceLocation)
            }
        }
    }
}
