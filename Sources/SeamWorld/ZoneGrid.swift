/// Expands a `zones COLUMNSxROWS base` directive into one zone per grid cell.
enum ZoneGrid {
    /// The id of the grid cell at `column`, `row` (both 0-based): a letter and a 1-based number, e.g. "b3".
    static func id(column: Int, row: Int) -> String {
        let letter = Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8(column)))
        return "\(letter)\(row + 1)"
    }

    /// The zones of the grid in index order (`row * columns + column`).
    static func expand(
        _ grid: GridDeclaration, width: Int, height: Int, parser: MapParser
    ) throws(MapError) -> [ZoneDeclaration] {
        guard width % grid.columns == 0 else {
            throw parser.error(
                grid.line, grid.gridColumn,
                "map width \(width) cannot be divided evenly into \(grid.columns) columns; expected a column count that divides \(width)"
            )
        }
        guard height % grid.rows == 0 else {
            throw parser.error(
                grid.line, grid.gridColumn,
                "map height \(height) cannot be divided evenly into \(grid.rows) rows; expected a row count that divides \(height)"
            )
        }
        let cellWidth = width / grid.columns
        let cellHeight = height / grid.rows
        var result: [ZoneDeclaration] = []
        result.reserveCapacity(grid.columns * grid.rows)
        for row in 0..<grid.rows {
            for column in 0..<grid.columns {
                let index = row * grid.columns + column
                let spec = ZoneSpec(
                    id: id(column: column, row: row), index: index,
                    rect: Rect(x: column * cellWidth, y: row * cellHeight, width: cellWidth, height: cellHeight),
                    port: grid.basePort + index)
                result.append(
                    ZoneDeclaration(
                        spec: spec, line: grid.line, idColumn: grid.gridColumn, xColumn: grid.gridColumn,
                        yColumn: grid.gridColumn, portColumn: grid.portColumn))
            }
        }
        return result
    }
}
