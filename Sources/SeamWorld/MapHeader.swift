/// Everything before the tile block of a `.map` file, with the positions needed for error messages.
struct MapHeader {
    var name: String
    var width: Int
    var height: Int
    /// Explicit `zone` directives, in file order (empty when a grid is used).
    var zones: [ZoneDeclaration]
    /// The `zones CxR base` directive, if the file uses one.
    var grid: GridDeclaration?
    /// Line number of the `tiles` directive.
    var tilesLine: Int
}

/// A `zone id x y width height port` directive and where each value was written.
struct ZoneDeclaration {
    var spec: ZoneSpec
    var line: Int
    var idColumn: Int
    var xColumn: Int
    var yColumn: Int
    var portColumn: Int
}

/// A `zones CxR base` directive and where each value was written.
struct GridDeclaration {
    var columns: Int
    var rows: Int
    var basePort: Int
    var line: Int
    var gridColumn: Int
    var portColumn: Int
}
