/// Columns two spaces apart, text left-aligned and the `right` columns (numbers) right-aligned.
struct TextTable {
    var header: [String]
    var right: Set<Int>
    var rows: [[String]] = []

    init(_ header: [String], right: Set<Int> = []) { self.header = header; self.right = right }

    mutating func add(_ row: [String]) { rows.append(row) }

    var lines: [String] {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        return all.map { row in
            row.indices.map { c in
                let pad = String(repeating: " ", count: widths[c] - row[c].count)
                return right.contains(c) ? pad + row[c] : row[c] + pad
            }.joined(separator: "  ").trimmingTrailingSpaces()
        }
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Pads on the right to `width` characters.
    func padded(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
