import SeamWorld
import Testing

/// Small map texts and helpers shared by the SeamWorld tests.
enum Fixtures {
    /// A 4x2 map with two explicit zones; line 7 is the first tile line.
    static let tiny = """
        seam-map 1
        name tiny
        size 4 2
        zone west 0 0 2 2 7001
        zone east 2 0 2 2 7002
        tiles
        S.cS
        #c.#
        """

    /// A 4x4 map with a 2x2 grid; every zone holds one spawn.
    static let grid = """
        # a comment before the header
        seam-map 1

        name grid    # trailing comment
        size 4 4
        zones 2x2 7100
        tiles
        S..S
        .c#.
        ..c.
        S..S
        """

    /// Parses `text`, expecting success.
    static func parse(_ text: String) throws -> GameMap {
        try GameMap.parse(text, file: "test.map")
    }

    /// The error `text` fails with, or nil if it parses.
    static func error(_ text: String) -> MapError? {
        do {
            _ = try GameMap.parse(text, file: "test.map")
            return nil
        } catch {
            return error
        }
    }

    /// `tiny` with line `number` (1-based) replaced by `replacement` (nil removes the line).
    static func tiny(replacingLine number: Int, with replacement: String?) -> String {
        var lines = tiny.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if let replacement {
            lines[number - 1] = replacement
        } else {
            lines.remove(at: number - 1)
        }
        return lines.joined(separator: "\n")
    }

    /// Checks that `text` fails at `line`:`column` with a message containing every one of `parts`.
    static func expectError(
        _ text: String, line: Int, column: Int, _ parts: String...,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard let error = error(text) else {
            Issue.record("expected a MapError, but the map parsed", sourceLocation: sourceLocation)
            return
        }
        #expect(error.file == "test.map", sourceLocation: sourceLocation)
        #expect(error.line == line, "\(error)", sourceLocation: sourceLocation)
        #expect(error.column == column, "\(error)", sourceLocation: sourceLocation)
        for part in parts {
            #expect(error.message.contains(part), "\(error)", sourceLocation: sourceLocation)
        }
    }
}
