/// Fixed-point encodings of world quantities on the wire.
///
/// Positions are unsigned 16-bit in 1/64 tile (0 ... 1023.98 tiles, resolution 0.016 tile);
/// velocities signed 16-bit in 1/256 tile per second (±128 tiles/s).
public enum Quantize {
    public static let positionScale = 64.0
    public static let velocityScale = 256.0

    @inline(__always)
    public static func position(_ v: Double) -> UInt16 {
        // Clamp in floating point first: Int(_:) traps on NaN and on values beyond Int's range.
        let scaled = (v * positionScale).rounded()
        return scaled.isNaN ? 0 : UInt16(min(max(scaled, 0), 65535))
    }
    @inline(__always)
    public static func position(_ q: UInt16) -> Double { Double(q) / positionScale }
    @inline(__always)
    public static func velocity(_ v: Double) -> Int16 {
        let scaled = (v * velocityScale).rounded()
        return scaled.isNaN ? 0 : Int16(min(max(scaled, -32768), 32767))
    }
    @inline(__always)
    public static func velocity(_ q: Int16) -> Double { Double(q) / velocityScale }

    /// Aim angle in radians to a u16 turn fraction (65536 = one full turn).
    public static func angle(_ radians: Double) -> UInt16 {
        guard radians.isFinite else { return 0 }
        let turn = radians / (2 * Double.pi)
        let fraction = turn - turn.rounded(.down)
        return UInt16(truncatingIfNeeded: Int((fraction * 65536).rounded()))
    }
    public static func angle(_ q: UInt16) -> Double { Double(q) / 65536 * 2 * Double.pi }
}
