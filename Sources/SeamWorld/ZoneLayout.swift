/// The validated zones of a map and, for each tile, the index of the zone that owns it.
struct ZoneLayout {
    /// The zones in index order.
    var zones: [ZoneSpec]
    /// Row-major, one entry per tile: index into `zones`.
    var zoneOfTile: [Int32]
    /// Where each zone was declared: (line, column of the id or grid), by zone index.
    var origins: [(line: Int, column: Int)]

    /// Expands a grid if needed and checks that the zones lie inside the map, have unique ids and
    /// ports, do not overlap, and together cover every tile.
    static func build(header: MapHeader, parser: MapParser) throws(MapError) -> ZoneLayout {
        let declarations: [ZoneDeclaration]
        if let grid = header.grid {
            declarations = try ZoneGrid.expand(grid, width: header.width, height: header.height, parser: parser)
        } else {
            declarations = header.zones
        }
        var owner = [Int32](repeating: -1, count: header.width * header.height)
        var lineOfID: [String: Int] = [:]
        var lineOfPort: [Int: Int] = [:]
        for declaration in declarations {
            let zone = declaration.spec
            try checkInside(declaration, width: header.width, height: header.height, parser: parser)
            if let previous = lineOfID[zone.id] {
                throw parser.error(
                    declaration.line, declaration.idColumn,
                    "duplicate zone id '\(zone.id)'; expected a unique id, it is already used on line \(previous)")
            }
            if let previous = lineOfPort[zone.port] {
                throw parser.error(
                    declaration.line, declaration.portColumn,
                    "duplicate port \(zone.port) for zone '\(zone.id)'; expected a unique port, it is already used on line \(previous)"
                )
            }
            lineOfID[zone.id] = declaration.line
            lineOfPort[zone.port] = declaration.line
            try paint(declaration, into: &owner, width: header.width, declarations: declarations, parser: parser)
        }
        if let hole = owner.firstIndex(of: -1) {
            let tile = TileCoord(x: hole % header.width, y: hole / header.width)
            let last = declarations[declarations.count - 1]
            throw parser.error(
                last.line, 1,
                "zones do not cover the whole map: tile \(tile) belongs to no zone; expected every tile of the \(header.width)x\(header.height) map to be in exactly one zone"
            )
        }
        return ZoneLayout(
            zones: declarations.map(\.spec),
            zoneOfTile: owner,
            origins: declarations.map { ($0.line, $0.idColumn) })
    }

    /// Checks that every zone contains at least one spawn tile.
    func requireSpawns(tiles: [Tile], parser: MapParser) throws(MapError) {
        var hasSpawn = [Bool](repeating: false, count: zones.count)
        for (offset, tile) in tiles.enumerated() where tile == .spawn {
            hasSpawn[Int(zoneOfTile[offset])] = true
        }
        if let missing = hasSpawn.firstIndex(of: false) {
            let zone = zones[missing]
            throw parser.error(
                origins[missing].line, origins[missing].column,
                "zone '\(zone.id)' (\(zone.rect)) has no spawn point; expected at least one 'S' tile inside it")
        }
    }

    private static func checkInside(
        _ declaration: ZoneDeclaration, width: Int, height: Int, parser: MapParser
    ) throws(MapError) {
        let rect = declaration.spec.rect
        if rect.x + rect.width > width {
            throw parser.error(
                declaration.line, declaration.xColumn,
                "zone '\(declaration.spec.id)' spans columns \(rect.x)..<\(rect.x + rect.width), outside the map; expected x + width <= \(width)"
            )
        }
        if rect.y + rect.height > height {
            throw parser.error(
                declaration.line, declaration.yColumn,
                "zone '\(declaration.spec.id)' spans rows \(rect.y)..<\(rect.y + rect.height), outside the map; expected y + height <= \(height)"
            )
        }
    }

    /// Marks the zone's tiles as owned by it, failing at the first tile another zone already owns.
    private static func paint(
        _ declaration: ZoneDeclaration, into owner: inout [Int32], width: Int,
        declarations: [ZoneDeclaration], parser: MapParser
    ) throws(MapError) {
        let rect = declaration.spec.rect
        let index = Int32(declaration.spec.index)
        for y in rect.y..<(rect.y + rect.height) {
            for x in rect.x..<(rect.x + rect.width) {
                let previous = owner[y * width + x]
                if previous >= 0 {
                    let other = declarations[Int(previous)]
                    throw parser.error(
                        declaration.line, declaration.xColumn,
                        "zone '\(declaration.spec.id)' overlaps zone '\(other.spec.id)' (line \(other.line)) at tile \(TileCoord(x: x, y: y)); expected zones not to share tiles"
                    )
                }
                owner[y * width + x] = index
            }
        }
    }
}
