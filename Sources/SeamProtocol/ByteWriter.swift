/// Appends little-endian values to a reusable byte buffer. `reset()` keeps the capacity, so a writer
/// reused every tick allocates nothing once warm.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func i8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    // Multi-byte values go in with one append each: appending byte by byte checks the array's capacity and
    // uniqueness per byte, which showed in a busy zone's profile.
    public mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func i16(_ v: Int16) { u16(UInt16(bitPattern: v)) }
    public mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    /// An entity as a snapshot carries it (14 bytes, docs/PROTOCOL.md "Snapshot").
    public mutating func entity(_ e: EntityState) {
        withUnsafeTemporaryAllocation(byteCount: EntityState.wireSize, alignment: 1) { b in
            b.storeBytes(of: e.id.littleEndian, toByteOffset: 0, as: UInt32.self)
            b.storeBytes(of: e.x.littleEndian, toByteOffset: 4, as: UInt16.self)
            b.storeBytes(of: e.y.littleEndian, toByteOffset: 6, as: UInt16.self)
            b.storeBytes(of: e.vx.littleEndian, toByteOffset: 8, as: Int16.self)
            b.storeBytes(of: e.vy.littleEndian, toByteOffset: 10, as: Int16.self)
            b[12] = e.health
            b[13] = e.flags
            bytes.append(contentsOf: UnsafeRawBufferPointer(b))
        }
    }
    /// A coin as a snapshot carries it (8 bytes).
    public mutating func coin(_ c: CoinView) {
        u32(c.id); u32(UInt32(c.x) | UInt32(c.y) << 16)
    }
    public mutating func raw(_ v: [UInt8]) { bytes.append(contentsOf: v) }

    /// A string as a u8 byte length and UTF-8 bytes, cut at `maximumBytes` on a character boundary.
    public mutating func string(_ s: String, maximumBytes: Int = 255) {
        var utf8 = Array(s.utf8)
        if utf8.count > maximumBytes {
            var cut = maximumBytes
            // Do not split a multi-byte scalar: continuation bytes are 0b10xxxxxx.
            while cut > 0 && utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
            utf8.removeSubrange(cut...)
        }
        u8(UInt8(utf8.count))
        bytes.append(contentsOf: utf8)
    }

    /// Overwrites a u16 written earlier (for counts known only at the end).
    public mutating func patchU16(at offset: Int, _ v: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: v)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }
}
