/// Reads little-endian values from bytes it does not own, checking every bound.
/// Any read past the end throws a `DecodeError` naming what was being read.
public struct ByteReader {
    public let bytes: UnsafeRawBufferPointer
    public private(set) var offset: Int = 0

    public init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }
    public var isAtEnd: Bool { offset == bytes.count }

    @inline(__always)
    private mutating func need(_ n: Int, _ what: StaticString) throws(DecodeError) {
        guard remaining >= n else { throw truncated(n, what) }
    }

    /// Kept out of line: formatting the message would otherwise be inlined into every read.
    @inline(never)
    private func truncated(_ n: Int, _ what: StaticString) -> DecodeError {
        DecodeError("truncated \(what): need \(n) bytes, \(remaining) left", at: offset)
    }

    @inline(__always)
    public mutating func u8(_ what: StaticString = "u8") throws(DecodeError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return bytes[offset]
    }
    @inline(__always)
    public mutating func i8(_ what: StaticString = "i8") throws(DecodeError) -> Int8 {
        Int8(bitPattern: try u8(what))
    }
    @inline(__always)
    public mutating func u16(_ what: StaticString = "u16") throws(DecodeError) -> UInt16 {
        try need(2, what)
        defer { offset += 2 }
        return UInt16(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
    }
    @inline(__always)
    public mutating func i16(_ what: StaticString = "i16") throws(DecodeError) -> Int16 {
        Int16(bitPattern: try u16(what))
    }
    @inline(__always)
    public mutating func u32(_ what: StaticString = "u32") throws(DecodeError) -> UInt32 {
        try need(4, what)
        defer { offset += 4 }
        return UInt32(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
    public mutating func raw(_ n: Int, _ what: StaticString) throws(DecodeError) -> [UInt8] {
        try need(n, what)
        defer { offset += n }
        return Array(bytes[offset..<offset + n])
    }
    /// The next `n` bytes without copying them: valid only as long as the bytes the reader reads.
    public mutating func view(_ n: Int, _ what: StaticString) throws(DecodeError) -> UnsafeRawBufferPointer {
        try need(n, what)
        defer { offset += n }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + n])
    }

    /// A u8-length-prefixed UTF-8 string of at most `maximumBytes`; invalid UTF-8 is refused.
    public mutating func string(_ what: StaticString, maximumBytes: Int = 255) throws(DecodeError) -> String {
        let start = offset
        let length = Int(try u8(what))
        guard length <= maximumBytes else {
            throw DecodeError("\(what) is \(length) bytes, at most \(maximumBytes) allowed", at: start)
        }
        try need(length, what)
        defer { offset += length }
        guard let s = String(validating: bytes[offset..<offset + length], as: UTF8.self) else {
            throw DecodeError("\(what) is not valid UTF-8", at: offset)
        }
        return s
    }

    /// Moves to `offset` (at most the end): for a decoder that read some fields straight from `bytes`.
    mutating func seek(to offset: Int) {
        precondition(offset >= 0 && offset <= bytes.count, "seek past the end")
        self.offset = offset
    }

    /// Steps over `n` bytes, which must be there.
    public mutating func skip(_ n: Int, _ what: StaticString) throws(DecodeError) {
        try need(n, what)
        offset += n
    }

    /// Refuses trailing bytes: a message must be exactly as long as its fields.
    public func expectEnd(_ what: StaticString) throws(DecodeError) {
        guard isAtEnd else { throw DecodeError("\(remaining) unexpected trailing bytes after \(what)", at: offset) }
    }
}
