/// One line of a `.map` file, split into Unicode scalars so columns are exact.
struct MapLine {
    /// 1-based line number.
    var number: Int
    /// The line's scalars, without the line terminator (`\n` or `\r\n`).
    var scalars: [Unicode.Scalar]

    /// Splits `text` into lines at `\n`, dropping a `\r` before it.
    /// A final line terminator does not start another (empty) line.
    static func split(_ text: String) -> [MapLine] {
        var lines: [MapLine] = []
        var current: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if current.last == "\r" { current.removeLast() }
                lines.append(MapLine(number: lines.count + 1, scalars: current))
                current = []
            } else {
                current.append(scalar)
            }
        }
        if !current.isEmpty {
            if current.last == "\r" { current.removeLast() }
            lines.append(MapLine(number: lines.count + 1, scalars: current))
        }
        return lines
    }

    /// True if the line holds nothing but spaces and tabs.
    var isBlank: Bool { scalars.allSatisfy { $0 == " " || $0 == "\t" } }

    /// The whitespace-separated words of a header line, up to a word starting with `#`.
    func tokens() -> [MapToken] {
        var result: [MapToken] = []
        var index = 0
        while index < scalars.count {
            if scalars[index] == " " || scalars[index] == "\t" {
                index += 1
                continue
            }
            if scalars[index] == "#" { break }
            let start = index
            while index < scalars.count, scalars[index] != " ", scalars[index] != "\t" { index += 1 }
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[start..<index])
            result.append(MapToken(text: text, column: start + 1))
        }
        return result
    }
}

/// One whitespace-separated word of a header line.
struct MapToken {
    /// The word itself.
    var text: String
    /// 1-based column of its first character.
    var column: Int
}
