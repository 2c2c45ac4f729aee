import SeamWorld
import Testing

/// Errors in the tile block. In `Fixtures.tiny`, `tiles` is line 6 and the rows are lines 7 and 8.
@Suite struct TileErrorTests {
    @Test func unknownTileCharacter() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 7, with: "S.xS"), line: 7, column: 3,
            "expected a tile character ('#', '.', 'S' or 'c'), found 'x'")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 8, with: "#c\t#"), line: 8, column: 3, "found a tab")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 8, with: "#cé#"), line: 8, column: 3, "found U+00E9")
    }

    @Test func errorDescriptionMatchesTheDocumentedForm() throws {
        let error = try #require(Fixtures.error(Fixtures.tiny(replacingLine: 7, with: "S.xS")))
        #expect(error.description == "test.map:7:3: expected a tile character ('#', '.', 'S' or 'c'), found 'x'")
    }

    @Test func lineTooShort() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 7, with: "S.c"), line: 7, column: 4,
            "expected a tile line of exactly 4 characters, found 3")
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 7, with: ""), line: 7, column: 1,
            "expected a tile line of exactly 4 characters, found 0")
    }

    @Test func lineTooLong() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 7, with: "S.cS."), line: 7, column: 5,
            "expected a tile line of exactly 4 characters, found 5")
    }

    @Test func tooFewTileLines() {
        Fixtures.expectError(
            Fixtures.tiny(replacingLine: 8, with: nil), line: 6, column: 1,
            "expected 2 tile lines after 'tiles', found 1")
    }

    @Test func tooManyTileLines() {
        Fixtures.expectError(
            Fixtures.tiny + "\n\n####\n", line: 10, column: 1, "expected end of file after the 2 tile lines")
    }
}
