/// A problem found while reading or parsing a `.map` file.
///
/// Its description is the one-line form `file:line:column: message`, e.g.
/// `Maps/duel.map:12:5: expected a tile character ('#', '.', 'S' or 'c'), found 'x'`.
/// When the file could not be read at all, `line` and `column` are 0 and the description is
/// `file: message`.
public struct MapError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file name or path given to `GameMap.parse(_:file:)` or `GameMap.load(path:)`.
    public var file: String
    /// 1-based line of the problem; 0 if the file could not be read.
    public var line: Int
    /// 1-based column (in Unicode scalars) of the problem; 0 if the file could not be read.
    public var column: Int
    /// What was expected and what was found.
    public var message: String

    /// Creates an error.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, or `file: message` when `line` is 0.
    public var description: String {
        line == 0 ? "\(file): \(message)" : "\(file):\(line):\(column): \(message)"
    }
}
