import SeamWorld

/// A small two-zone map for tests that need a `GameMap` but no zone.
enum BotTestMap {
    static func map() throws -> GameMap {
        try GameMap.parse("""
            seam-map 1
            name tiny
            size 8 4
            zone a 0 0 4 4 7000
            zone b 4 0 4 4 7001
            tiles
            ########
            #S....S#
            #......#
            ########
            """, file: "tiny.map")
    }
}
