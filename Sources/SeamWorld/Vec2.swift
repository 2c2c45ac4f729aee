/// A 2D vector or point in world units (one unit is one tile).
public struct Vec2: Hashable, Sendable, CustomStringConvertible {
    /// Horizontal component; grows to the right.
    public var x: Double
    /// Vertical component; grows downward.
    public var y: Double

    /// Creates a vector from its components.
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    /// The zero vector.
    public static let zero = Vec2(x: 0, y: 0)

    /// The squared Euclidean length; cheaper than `length` for comparisons.
    @inlinable public var lengthSquared: Double { x * x + y * y }

    /// The Euclidean length.
    @inlinable public var length: Double { lengthSquared.squareRoot() }

    /// This vector scaled to length 1, or `.zero` if its length is 0 (or not finite).
    public func normalized() -> Vec2 {
        let len = length
        guard len > 0, len.isFinite else { return .zero }
        return Vec2(x: x / len, y: y / len)
    }

    /// The dot product with `other`.
    @inlinable public func dot(_ other: Vec2) -> Double { x * other.x + y * other.y }

    /// The Euclidean distance between this point and `other`.
    @inlinable public func distance(to other: Vec2) -> Double { (self - other).length }

    /// True if both components are finite (neither NaN nor infinite).
    @inlinable public var isFinite: Bool { x.isFinite && y.isFinite }

    /// `(x, y)`.
    public var description: String { "(\(x), \(y))" }

    /// Component-wise sum.
    @inlinable public static func + (a: Vec2, b: Vec2) -> Vec2 { Vec2(x: a.x + b.x, y: a.y + b.y) }
    /// Component-wise difference.
    @inlinable public static func - (a: Vec2, b: Vec2) -> Vec2 { Vec2(x: a.x - b.x, y: a.y - b.y) }
    /// The vector pointing the opposite way.
    @inlinable public static prefix func - (a: Vec2) -> Vec2 { Vec2(x: -a.x, y: -a.y) }
    /// Scales `v` by `s`.
    @inlinable public static func * (v: Vec2, s: Double) -> Vec2 { Vec2(x: v.x * s, y: v.y * s) }
    /// Scales `v` by `s`.
    @inlinable public static func * (s: Double, v: Vec2) -> Vec2 { Vec2(x: v.x * s, y: v.y * s) }
    /// Divides each component of `v` by `s`.
    @inlinable public static func / (v: Vec2, s: Double) -> Vec2 { Vec2(x: v.x / s, y: v.y / s) }
    /// Adds `b` to `a`.
    @inlinable public static func += (a: inout Vec2, b: Vec2) { a = a + b }
    /// Subtracts `b` from `a`.
    @inlinable public static func -= (a: inout Vec2, b: Vec2) { a = a - b }
    /// Scales `v` by `s` in place.
    @inlinable public static func *= (v: inout Vec2, s: Double) { v = v * s }
}
