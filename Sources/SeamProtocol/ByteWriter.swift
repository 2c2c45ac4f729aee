/// Appends little-endian values to a reusable byte buffer. `reset()` keeps the capacity, so a writer
/// reused every tick allocates nothing once warm.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    /// Lends the bytes written so far. `mutating` although it changes nothing: reaching the bytes of a writer
    /// stored in a class through `bytes` copies the array out (a retain and a release, each a locked
    /// instruction waiting for the stores that wrote the message), where a mutating call borrows it in place.
    @inlinable
    public mutating func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        let result = bytes.withUnsafeBytes { raw in Result { () throws(E) in try body(raw) } }
        return try result.get()
    }
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func i8(_ v: Int8) { bytes.append(UInt8(bitPattern: v)) }
    // Multi-byte values go in with one append each: appending byte by byte checks the array's capacity and
    // uniqueness per byte, which showed in a busy zone's profile.
    public mutating func u16(_ v: UInt16) { Swift.withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    public mutating func i16(_ v: Int16) { u16(UInt16(bitPattern: v)) }
    public mutating func u32(_ v: UInt32) { Swift.withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
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

    /// Appends what `body` writes through a `RawWriter` holding room for `maximum` bytes, in one step:
    /// for messages of many small fields (a delta), where an array append per field showed in profiles.
    public mutating func append(atMost maximum: Int, _ body: (inout RawWriter) -> Void) {
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(0, count: maximum))
        let written = bytes.withUnsafeMutableBytes { raw in
            var w = RawWriter(raw.baseAddress! + start, limit: maximum)
            body(&w)
            return w.count
        }
        bytes.removeLast(maximum - written)
    }

    /// Overwrites a u16 written earlier (for counts known only at the end).
    public mutating func patchU16(at offset: Int, _ v: UInt16) {
        bytes[offset] = UInt8(truncatingIfNeeded: v)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: v >> 8)
    }
}

/// Little-endian writes into room a `ByteWriter` made (`append(atMost:_:)`). Every write checks the room.
public struct RawWriter {
    private let base: UnsafeMutableRawPointer
    private let limit: Int
    public private(set) var count = 0

    /// Writes at `base`, where `limit` bytes are writable.
    public init(_ base: UnsafeMutableRawPointer, limit: Int) {
        self.base = base
        self.limit = limit
    }

    @inline(__always)
    private mutating func store<T: FixedWidthInteger>(_ v: T) {
        precondition(count + MemoryLayout<T>.size <= limit, "write past the room reserved")
        base.storeBytes(of: v.littleEndian, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }

    @inline(__always) public mutating func u8(_ v: UInt8) { store(v) }
    @inline(__always) public mutating func i8(_ v: Int8) { store(v) }
    @inline(__always) public mutating func u16(_ v: UInt16) { store(v) }
    @inline(__always) public mutating func i16(_ v: Int16) { store(v) }
    @inline(__always) public mutating func u32(_ v: UInt32) { store(v) }

    /// `count` zero bytes, returning where they start (for bitmaps filled in afterwards with `setBit`).
    public mutating func zeros(_ n: Int) -> Int {
        precondition(count + n <= limit, "write past the room reserved")
        let at = count
        (base + count).initializeMemory(as: UInt8.self, repeating: 0, count: n)
        count += n
        return at
    }

    /// Sets bit `bit` (from the lowest of the first byte) of the bytes starting at `offset`, written before.
    @inline(__always)
    public mutating func setBit(_ bit: Int, at offset: Int) {
        let byte = offset + bit >> 3
        precondition(byte < count, "bit outside what was written")
        let p = base.assumingMemoryBound(to: UInt8.self) + byte
        p.pointee |= 1 << UInt8(bit & 7)
    }

    /// Ors `v` into byte `offset`, written before.
    @inline(__always)
    public mutating func or(_ v: UInt8, at offset: Int) {
        precondition(offset < count, "byte outside what was written")
        let p = base.assumingMemoryBound(to: UInt8.self) + offset
        p.pointee |= v
    }

    /// An entity as a snapshot carries it (14 bytes).
    @inline(__always)
    public mutating func entity(_ e: EntityState) {
        u32(e.id); u16(e.x); u16(e.y); i16(e.vx); i16(e.vy); u8(e.health); u8(e.flags)
    }

    /// A coin as a snapshot carries it (8 bytes).
    @inline(__always)
    public mutating func coin(_ c: CoinView) { u32(c.id); u16(c.x); u16(c.y) }
}
