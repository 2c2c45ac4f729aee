/// The integer coordinate of one map tile.
///
/// Tile `(x, y)` covers the world-space square `[x, x+1) × [y, y+1)`.
/// `x` grows to the right and `y` grows downward; `(0, 0)` is the top-left tile.
public struct TileCoord: Hashable, Sendable, CustomStringConvertible {
    /// Column of the tile, counted from the left edge of the map.
    public var x: Int
    /// Row of the tile, counted from the top edge of the map.
    public var y: Int

    /// Creates a tile coordinate.
    public init(x: Int, y: Int) {
        self.x = x
        self.y = y
    }

    /// The world-space point in the middle of the tile.
    public var center: Vec2 { Vec2(x: Double(x) + 0.5, y: Double(y) + 0.5) }

    /// The tile that contains the world-space point `p` (rounding each coordinate down).
    ///
    /// `p` must be finite and within the range of `Int`.
    public init(containing p: Vec2) {
        self.init(x: Int(p.x.rounded(.down)), y: Int(p.y.rounded(.down)))
    }

    /// `(x, y)`.
    public var description: String { "(\(x), \(y))" }
}
