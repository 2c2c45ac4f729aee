/// Turns the text of a `.map` file into a `GameMap`, reporting the first problem as a `MapError`.
///
/// The work is split in three passes: the header (`MapParser+Header.swift`), the zone layout
/// (`ZoneLayout.swift`), and the tile block (`MapParser+Tiles.swift`).
struct MapParser {
    /// The only format version this parser understands.
    static let formatVersion = "1"
    /// Allowed map width and height, in tiles.
    static let sizeRange = 1...1024

    let file: String
    let lines: [MapLine]

    init(text: String, file: String) {
        self.file = file
        self.lines = MapLine.split(text)
    }

    /// The position just past the last line, used for "found end of file" errors.
    var endOfFileLine: Int { lines.count + 1 }

    /// An error at `line`, `column` of this file.
    func error(_ line: Int, _ column: Int, _ message: String) -> MapError {
        MapError(file: file, line: line, column: column, message: message)
    }

    /// Parses the whole file.
    func parse() throws(MapError) -> GameMap {
        let header = try parseHeader()
        let layout = try ZoneLayout.build(header: header, parser: self)
        let tiles = try parseTiles(header: header)
        try layout.requireSpawns(tiles: tiles, parser: self)
        return GameMap(
            name: header.name,
            width: header.width,
            height: header.height,
            tiles: tiles,
            zones: layout.zones,
            zoneOfTile: layout.zoneOfTile
        )
    }

    /// Parses a whole number in `range`; `what` names the value in error messages.
    func number(_ token: MapToken, line: Int, what: String, in range: ClosedRange<Int>) throws(MapError) -> Int {
        let isNumeric =
            !token.text.isEmpty
            && token.text.unicodeScalars.enumerated().allSatisfy { offset, scalar in
                ("0"..."9").contains(scalar) || (offset == 0 && scalar == "-" && token.text.unicodeScalars.count > 1)
            }
        guard isNumeric else {
            throw error(line, token.column, "expected a whole number for \(what), found '\(token.text)'")
        }
        guard let value = Int(token.text), range.contains(value) else {
            throw error(
                line, token.column,
                "expected \(what) in \(range.lowerBound)...\(range.upperBound), found \(token.text)")
        }
        return value
    }

    /// A human-readable rendering of one character for "found ..." messages.
    static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": return "a space"
        case "\t": return "a tab"
        case "\u{21}"..."\u{7E}": return "'\(scalar)'"
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        }
    }
}
