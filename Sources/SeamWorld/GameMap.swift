/// A parsed, validated map: its tiles, spawn points, coin spots and zone layout.
///
/// Every tile belongs to exactly one zone and every zone holds at least one spawn point.
/// Build one with `GameMap.parse(_:file:)` or `GameMap.load(path:)`.
public struct GameMap: Sendable {
    /// The map's name, from the `name` directive.
    public let name: String
    /// Width in tiles.
    public let width: Int
    /// Height in tiles.
    public let height: Int
    /// The zones, in file order (for a `zones` grid: index order, row by row).
    public let zones: [ZoneSpec]
    /// All spawn tiles (`S`), in row-major order.
    public let spawns: [TileCoord]
    /// All coin spots (`c`), in row-major order; the coin at index `i` has global id `i + 1`.
    public let coinSpots: [TileCoord]

    /// Row-major tiles.
    @usableFromInline let tiles: [Tile]
    /// Row-major index into `zones` of each tile's owner.
    @usableFromInline let zoneOfTile: [Int32]
    /// Zone index by id.
    private let zoneIndexByID: [String: Int]

    init(name: String, width: Int, height: Int, tiles: [Tile], zones: [ZoneSpec], zoneOfTile: [Int32]) {
        self.name = name
        self.width = width
        self.height = height
        self.tiles = tiles
        self.zones = zones
        self.zoneOfTile = zoneOfTile
        var spawns: [TileCoord] = []
        var coins: [TileCoord] = []
        for (offset, tile) in tiles.enumerated() where tile == .spawn || tile == .coin {
            let coord = TileCoord(x: offset % width, y: offset / width)
            if tile == .spawn { spawns.append(coord) } else { coins.append(coord) }
        }
        self.spawns = spawns
        self.coinSpots = coins
        self.zoneIndexByID = Dictionary(uniqueKeysWithValues: zones.map { ($0.id, $0.index) })
    }

    /// The whole map as a rectangle: `0, 0, width, height`.
    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The tile at `x`, `y`; `.wall` outside the map.
    @inlinable public func tile(x: Int, y: Int) -> Tile {
        guard x >= 0, y >= 0, x < width, y < height else { return .wall }
        return tiles[y &* width &+ x]
    }

    /// True if the tile at `x`, `y` is a wall; tiles outside the map count as walls.
    @inlinable public func isWall(x: Int, y: Int) -> Bool {
        guard x >= 0, y >= 0, x < width, y < height else { return true }
        return tiles[y &* width &+ x] == .wall
    }

    /// True if the world point `p` lies in a wall tile, outside the map, or is not finite.
    @inlinable public func isWall(at p: Vec2) -> Bool {
        // The range checks also reject NaN, so the conversions below cannot trap.
        guard p.x >= 0, p.y >= 0, p.x < Double(width), p.y < Double(height) else { return true }
        return tiles[Int(p.y) &* width &+ Int(p.x)] == .wall
    }

    /// The zone with the given id, if any.
    public func zone(id: String) -> ZoneSpec? {
        zoneIndexByID[id].map { zones[$0] }
    }

    /// The zone with the given index (`ZoneSpec.index`, as the wire names zones), if any.
    public func zone(index: Int) -> ZoneSpec? {
        zones.first { $0.index == index }
    }

    /// The zone owning the world point `p`, or nil if `p` is outside the map (or not finite).
    public func zone(containing p: Vec2) -> ZoneSpec? {
        guard p.x >= 0, p.y >= 0, p.x < Double(width), p.y < Double(height) else { return nil }
        return zones[Int(zoneOfTile[Int(p.y) * width + Int(p.x)])]
    }

    /// The zone owning `tile`, or nil if it is outside the map.
    public func zone(containing tile: TileCoord) -> ZoneSpec? {
        guard bounds.contains(tile) else { return nil }
        return zones[Int(zoneOfTile[tile.y * width + tile.x])]
    }

    /// The other zones that share an edge or a corner with `zone`, in zone order.
    public func neighbours(of zone: ZoneSpec) -> [ZoneSpec] {
        zones.filter { $0.id != zone.id && $0.rect.touches(zone.rect) }
    }

    /// The spawn tiles inside `zone`, in row-major order.
    public func spawns(in zone: ZoneSpec) -> [TileCoord] {
        spawns.filter { zone.rect.contains($0) }
    }

    /// The coin spots inside `zone` with their global ids (index in `coinSpots` + 1), in row-major order.
    public func coinSpots(in zone: ZoneSpec) -> [(id: UInt32, tile: TileCoord)] {
        coinSpots.enumerated().compactMap { offset, tile in
            zone.rect.contains(tile) ? (UInt32(offset + 1), tile) : nil
        }
    }

    /// The tile of the coin with global id `id`, or nil if there is no such coin.
    public func coinSpot(id: UInt32) -> TileCoord? {
        let index = Int(id) - 1
        return coinSpots.indices.contains(index) ? coinSpots[index] : nil
    }
}
