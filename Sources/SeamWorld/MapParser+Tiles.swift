extension MapParser {
    /// Parses the `height` lines after `tiles`; only blank lines may follow them.
    func parseTiles(header: MapHeader) throws(MapError) -> [Tile] {
        let first = header.tilesLine  // index of the first tile line (line numbers are 1-based)
        let available = lines.count - first
        guard available >= header.height else {
            throw error(
                header.tilesLine, 1,
                "expected \(header.height) tile lines after 'tiles', found \(max(available, 0))")
        }
        var tiles: [Tile] = []
        tiles.reserveCapacity(header.width * header.height)
        for line in lines[first..<(first + header.height)] {
            try parseRow(line, width: header.width, into: &tiles)
        }
        if let extra = lines[(first + header.height)...].first(where: { !$0.isBlank }) {
            throw error(
                extra.number, 1,
                "expected end of file after the \(header.height) tile lines, found another line; the tile block must have exactly 'height' (\(header.height)) lines"
            )
        }
        return tiles
    }

    private func parseRow(_ line: MapLine, width: Int, into tiles: inout [Tile]) throws(MapError) {
        for (offset, scalar) in line.scalars.prefix(width).enumerated() {
            guard let tile = Tile(mapCharacter: scalar) else {
                throw error(
                    line.number, offset + 1,
                    "expected a tile character ('#', '.', 'S' or 'c'), found \(Self.describe(scalar))")
            }
            tiles.append(tile)
        }
        if line.scalars.count != width {
            let column = min(line.scalars.count, width) + 1
            throw error(
                line.number, column,
                "expected a tile line of exactly \(width) characters, found \(line.scalars.count)")
        }
    }
}
