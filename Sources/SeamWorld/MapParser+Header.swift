extension MapParser {
    /// The header being collected, line by line.
    private struct Draft {
        var name: (value: String, line: Int)?
        var size: (width: Int, height: Int, line: Int)?
        var zones: [ZoneDeclaration] = []
        var grid: GridDeclaration?
    }

    /// Parses everything up to and including the `tiles` line.
    func parseHeader() throws(MapError) -> MapHeader {
        var index = try parseVersionLine()
        var draft = Draft()
        while index < lines.count {
            let line = lines[index]
            index += 1
            let tokens = line.tokens()
            guard let directive = tokens.first else { continue }  // blank or comment
            let args = Array(tokens.dropFirst())
            switch directive.text {
            case "name":
                try expectArguments(args, count: 1, after: directive, usage: "name NAME", line: line.number)
                if let previous = draft.name { throw duplicate(directive, line.number, previous.line) }
                draft.name = (args[0].text, line.number)
            case "size":
                try expectArguments(args, count: 2, after: directive, usage: "size WIDTH HEIGHT", line: line.number)
                if let previous = draft.size { throw duplicate(directive, line.number, previous.line) }
                let width = try number(args[0], line: line.number, what: "width", in: Self.sizeRange)
                let height = try number(args[1], line: line.number, what: "height", in: Self.sizeRange)
                draft.size = (width, height, line.number)
            case "zone":
                if let grid = draft.grid { throw mixedZones(directive, line.number, other: "zones", grid.line) }
                let declaration = try parseZone(args, directive: directive, line: line.number, index: draft.zones.count)
                draft.zones.append(declaration)
            case "zones":
                if let grid = draft.grid { throw duplicate(directive, line.number, grid.line) }
                if let first = draft.zones.first { throw mixedZones(directive, line.number, other: "zone", first.line) }
                draft.grid = try parseGrid(args, directive: directive, line: line.number)
            case "tiles":
                try expectArguments(args, count: 0, after: directive, usage: "tiles", line: line.number)
                return try finish(draft, tilesLine: line.number)
            default:
                throw error(
                    line.number, directive.column,
                    "unknown directive '\(directive.text)'; expected 'name', 'size', 'zone', 'zones' or 'tiles'")
            }
        }
        throw error(endOfFileLine, 1, "expected a 'tiles' directive followed by the tile rows, found end of file")
    }

    /// Checks the `seam-map 1` line and returns the index of the line after it.
    private func parseVersionLine() throws(MapError) -> Int {
        for (index, line) in lines.enumerated() {
            let tokens = line.tokens()
            guard let first = tokens.first else { continue }
            guard first.text == "seam-map" else {
                throw error(line.number, first.column, "expected the header 'seam-map 1', found '\(first.text)'")
            }
            guard tokens.count >= 2 else {
                throw error(
                    line.number, first.column + 8,
                    "expected a format version after 'seam-map' (this parser reads version 1), found end of line")
            }
            guard tokens[1].text == Self.formatVersion else {
                throw error(
                    line.number, tokens[1].column,
                    "unsupported format version '\(tokens[1].text)'; expected 'seam-map 1'")
            }
            if tokens.count > 2 {
                throw error(
                    line.number, tokens[2].column, "expected end of line after 'seam-map 1', found '\(tokens[2].text)'")
            }
            return index + 1
        }
        throw error(endOfFileLine, 1, "expected the header 'seam-map 1', found end of file")
    }

    /// Checks that the required directives were given and packs the header.
    private func finish(_ draft: Draft, tilesLine: Int) throws(MapError) -> MapHeader {
        guard let name = draft.name else {
            throw error(tilesLine, 1, "expected a 'name NAME' directive before 'tiles'")
        }
        guard let size = draft.size else {
            throw error(tilesLine, 1, "expected a 'size WIDTH HEIGHT' directive before 'tiles'")
        }
        guard !draft.zones.isEmpty || draft.grid != nil else {
            throw error(tilesLine, 1, "expected 'zone' directives or a 'zones' directive before 'tiles'")
        }
        return MapHeader(
            name: name.value, width: size.width, height: size.height,
            zones: draft.zones, grid: draft.grid, tilesLine: tilesLine)
    }

    /// Parses the arguments of `zone id x y width height port`.
    private func parseZone(
        _ args: [MapToken], directive: MapToken, line: Int, index: Int
    ) throws(MapError) -> ZoneDeclaration {
        try expectArguments(args, count: 6, after: directive, usage: "zone ID X Y WIDTH HEIGHT PORT", line: line)
        let id = args[0]
        guard ZoneSpec.isValidID(id.text) else {
            throw error(
                line, id.column,
                "expected a zone id of 1 to 16 characters from a-z, 0-9 and '-', found '\(id.text)'")
        }
        let maxEdge = Self.sizeRange.upperBound
        let x = try number(args[1], line: line, what: "zone x", in: 0...(maxEdge - 1))
        let y = try number(args[2], line: line, what: "zone y", in: 0...(maxEdge - 1))
        let width = try number(args[3], line: line, what: "zone width", in: 1...maxEdge)
        let height = try number(args[4], line: line, what: "zone height", in: 1...maxEdge)
        let port = try number(args[5], line: line, what: "port", in: 1...65535)
        return ZoneDeclaration(
            spec: ZoneSpec(id: id.text, index: index, rect: Rect(x: x, y: y, width: width, height: height), port: port),
            line: line, idColumn: id.column, xColumn: args[1].column, yColumn: args[2].column,
            portColumn: args[5].column)
    }

    /// Parses the arguments of `zones COLUMNSxROWS base`.
    private func parseGrid(_ args: [MapToken], directive: MapToken, line: Int) throws(MapError) -> GridDeclaration {
        try expectArguments(args, count: 2, after: directive, usage: "zones COLUMNSxROWS BASEPORT", line: line)
        let grid = args[0]
        let parts = grid.text.split(separator: "x", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty,
            parts.allSatisfy({ $0.unicodeScalars.allSatisfy { ("0"..."9").contains($0) } })
        else {
            throw error(line, grid.column, "expected a grid as COLUMNSxROWS (e.g. 4x4), found '\(grid.text)'")
        }
        let columns = try number(
            MapToken(text: String(parts[0]), column: grid.column), line: line,
            what: "grid columns (one letter a-z each)", in: 1...26)
        let rows = try number(
            MapToken(text: String(parts[1]), column: grid.column + parts[0].count + 1), line: line,
            what: "grid rows", in: 1...Self.sizeRange.upperBound)
        let base = try number(args[1], line: line, what: "base port", in: 1...65535)
        let lastPort = base + columns * rows - 1
        guard lastPort <= 65535 else {
            throw error(
                line, args[1].column,
                "expected the ports of all \(columns * rows) zones (\(base)...\(lastPort)) to be at most 65535")
        }
        return GridDeclaration(
            columns: columns, rows: rows, basePort: base, line: line,
            gridColumn: grid.column, portColumn: args[1].column)
    }

    /// Checks that a directive has exactly `count` arguments.
    private func expectArguments(
        _ args: [MapToken], count: Int, after directive: MapToken, usage: String, line: Int
    ) throws(MapError) {
        if args.count > count {
            throw error(line, args[count].column, "expected end of line after '\(usage)', found '\(args[count].text)'")
        }
        if args.count < count {
            let found = args.count == 0 ? "none" : "\(args.count)"
            throw error(
                line, directive.column,
                "expected \(count) argument\(count == 1 ? "" : "s") as '\(usage)', found \(found)")
        }
    }

    private func duplicate(_ directive: MapToken, _ line: Int, _ previous: Int) -> MapError {
        error(
            line, directive.column, "duplicate '\(directive.text)' directive; it was already given on line \(previous)")
    }

    private func mixedZones(_ directive: MapToken, _ line: Int, other: String, _ otherLine: Int) -> MapError {
        error(
            line, directive.column,
            "cannot mix 'zone' and 'zones' directives; expected only '\(other)' as on line \(otherLine)")
    }
}
