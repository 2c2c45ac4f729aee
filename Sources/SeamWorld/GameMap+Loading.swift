import Foundation

extension GameMap {
    /// Parses the text of a `.map` file (format described in docs/MAPS.md).
    ///
    /// - Parameters:
    ///   - text: The whole file.
    ///   - file: The name used in error messages, e.g. `Maps/duel.map`.
    /// - Throws: `MapError` for the first problem found, with its line and column.
    public static func parse(_ text: String, file: String) throws(MapError) -> GameMap {
        try MapParser(text: text, file: file).parse()
    }

    /// Reads and parses the `.map` file at `path`.
    ///
    /// - Throws: `MapError` with line 0 if the file cannot be read or is not UTF-8;
    ///   otherwise whatever `parse(_:file:)` throws.
    public static func load(path: String) throws(MapError) -> GameMap {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "\(error)" : "no such file"
            throw MapError(file: path, line: 0, column: 0, message: "cannot read map file: \(reason)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw MapError(file: path, line: 0, column: 0, message: "cannot read map file: expected UTF-8 text")
        }
        return try parse(text, file: path)
    }
}
