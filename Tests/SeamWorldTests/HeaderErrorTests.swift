import SeamWorld
import Testing

/// Errors in the lines before `tiles`. Line numbers refer to `Fixtures.tiny` unless noted.
@Suite struct HeaderErrorTests {
    @Test func emptyFile() {
        Fixtures.expectError("", line: 1, column: 1, "expected the header 'seam-map 1', found end of file")
    }

    @Test func missingHeader() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 1, with: nil), line: 1, column: 1,
            "expected the header 'seam-map 1', found 'name'")
    }

    @Test func headerAfterCommentsAndBlankLines() {
        Fixtures.expectError(
            "# comment\n\n  seam-mop 1\n", line: 3, column: 3, "expected the header 'seam-map 1', found 'seam-mop'")
    }

    @Test func unknownVersion() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 1, with: "seam-map 2"), line: 1, column: 10,
            "unsupported format version '2'", "expected 'seam-map 1'")
    }

    @Test func missingVersion() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 1, with: "seam-map"), line: 1, column: 9,
            "expected a format version", "found end of line")
    }

    @Test func unknownDirective() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 2, with: "title tiny"), line: 2, column: 1,
            "unknown directive 'title'", "expected 'name', 'size', 'zone', 'zones' or 'tiles'")
    }

    @Test func badNumber() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size 4 two"), line: 3, column: 8,
            "expected a whole number for height, found 'two'")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size 4.5 2"), line: 3, column: 6,
            "expected a whole number for width, found '4.5'")
    }

    @Test func sizeOutOfRange() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size 0 2"), line: 3, column: 6,
            "expected width in 1...1024, found 0")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size 4 2000"), line: 3, column: 8,
            "expected height in 1...1024, found 2000")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size -4 2"), line: 3, column: 6,
            "expected width in 1...1024, found -4")
    }

    @Test func wrongArgumentCount() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size 4"), line: 3, column: 1,
            "expected 2 arguments as 'size WIDTH HEIGHT', found 1")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "size 4 2 1"), line: 3, column: 10,
            "expected end of line after 'size WIDTH HEIGHT', found '1'")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 6, with: "tiles now"), line: 6, column: 7,
            "expected end of line after 'tiles', found 'now'")
    }

    @Test func duplicateDirective() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "name again"), line: 3, column: 1,
            "duplicate 'name' directive", "already given on line 2")
    }

    @Test func missingRequiredDirectives() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 2, with: ""), line: 6, column: 1, "expected a 'name NAME' directive")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 3, with: "# no size"), line: 6, column: 1,
            "expected a 'size WIDTH HEIGHT' directive")
        let noZones = Fixtures.tiny.replacingOccurrences(
            of: "zone west 0 0 2 2 7001\nzone east 2 0 2 2 7002\n", with: "")
        Fixtures.expectError(
            noZones, line: 4, column: 1, "expected 'zone' directives or a 'zones' directive before 'tiles'")
    }

    @Test func missingTilesDirective() {
        let text = Fixtures.tiny.components(separatedBy: "tiles")[0]
        Fixtures.expectError(text, line: 6, column: 1, "expected a 'tiles' directive", "found end of file")
    }

    @Test func mixingZoneForms() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 5, with: "zones 2x1 7002"), line: 5, column: 1,
            "cannot mix 'zone' and 'zones' directives")
        Fixtures.expectError(
            Fixtures.grid.replacingOccurrences(of: "tiles\n", with: "zone x 0 0 1 1 9000\ntiles\n"),
            line: 7, column: 1, "cannot mix 'zone' and 'zones' directives", "line 6")
    }
}
