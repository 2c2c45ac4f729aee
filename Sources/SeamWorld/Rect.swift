/// An axis-aligned rectangle with integer edges, in tiles (= world units).
///
/// As a set of points it is half-open: `[minX, maxX) × [minY, maxY)`.
/// As a set of tiles it holds the tiles `x..<x+width` × `y..<y+height`.
public struct Rect: Hashable, Sendable, CustomStringConvertible {
    /// Left edge (first column).
    public var x: Int
    /// Top edge (first row).
    public var y: Int
    /// Width in tiles.
    public var width: Int
    /// Height in tiles.
    public var height: Int

    /// Creates a rectangle from its top-left corner and size.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// Left edge in world units.
    @inlinable public var minX: Double { Double(x) }
    /// Top edge in world units.
    @inlinable public var minY: Double { Double(y) }
    /// Right edge in world units (`x + width`, itself outside the rectangle).
    @inlinable public var maxX: Double { Double(x + width) }
    /// Bottom edge in world units (`y + height`, itself outside the rectangle).
    @inlinable public var maxY: Double { Double(y + height) }

    /// The number of tiles covered.
    public var area: Int { width * height }

    /// The world-space centre point.
    public var center: Vec2 { Vec2(x: Double(x) + Double(width) / 2, y: Double(y) + Double(height) / 2) }

    /// True if `p` lies in `[minX, maxX) × [minY, maxY)`.
    /// Whether `other` touches this rectangle along a stretch of an edge (not only at a corner, not apart).
    public func sharesEdge(with other: Rect) -> Bool {
        let acrossX = (other.maxX == minX || other.minX == maxX) && other.minY < maxY && other.maxY > minY
        let acrossY = (other.maxY == minY || other.minY == maxY) && other.minX < maxX && other.maxX > minX
        return acrossX || acrossY
    }

    @inlinable public func contains(_ p: Vec2) -> Bool {
        p.x >= minX && p.x < maxX && p.y >= minY && p.y < maxY
    }

    /// True if the tile lies inside the rectangle.
    @inlinable public func contains(_ tile: TileCoord) -> Bool {
        tile.x >= x && tile.x < x + width && tile.y >= y && tile.y < y + height
    }

    /// True if the two rectangles share at least one tile.
    public func intersects(_ other: Rect) -> Bool {
        x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
    }

    /// True if the rectangles share an edge or a corner (or overlap).
    public func touches(_ other: Rect) -> Bool {
        x <= other.x + other.width && other.x <= x + width && y <= other.y + other.height && other.y <= y + height
    }

    /// The point nearest to `p` that keeps at least `margin` away from every edge.
    ///
    /// Each axis is clamped to `[min + margin, max - margin]`; if the rectangle is narrower than
    /// `2 * margin` on an axis, that coordinate becomes the centre. The result always satisfies
    /// `contains(_:)` (with `margin == 0` the upper bound is the largest `Double` below `max`).
    /// A NaN coordinate becomes the centre of its axis.
    public func clamp(_ p: Vec2, margin: Double) -> Vec2 {
        Vec2(
            x: Rect.clamp(p.x, lower: minX, upper: maxX, margin: margin),
            y: Rect.clamp(p.y, lower: minY, upper: maxY, margin: margin)
        )
    }

    /// The distance from `p` to the nearest point of the rectangle; 0 inside or on an edge.
    public func distance(to p: Vec2) -> Double {
        let dx = Swift.max(minX - p.x, 0, p.x - maxX)
        let dy = Swift.max(minY - p.y, 0, p.y - maxY)
        return (dx * dx + dy * dy).squareRoot()
    }

    /// `x,y widthxheight`.
    public var description: String { "\(x),\(y) \(width)x\(height)" }

    private static func clamp(_ v: Double, lower: Double, upper: Double, margin: Double) -> Double {
        let lo = lower + Swift.max(margin, 0)
        var hi = upper - Swift.max(margin, 0)
        if hi >= upper { hi = upper.nextDown }
        if lo > hi || v.isNaN { return (lower + upper) / 2 }
        return Swift.min(Swift.max(v, lo), hi)
    }
}
