import Foundation

/// Reads a file one line at a time with `getline`, so a journal is never held in memory whole.
/// In follow mode a last line without its newline is kept back until the rest of it is written.
public final class LineReader {
    private let handle: UnsafeMutablePointer<FILE>
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    private var pending = Data()
    /// Whether an unterminated last line is kept back (following a growing file) or returned (reading once).
    public let follow: Bool
    /// The 1-based number of the last line returned.
    public private(set) var lineNumber = 0

    /// Opens `path` for reading; nil when it cannot be opened.
    public init?(path: String, follow: Bool = false) {
        guard let h = fopen(path, "r") else { return nil }
        handle = h
        self.follow = follow
    }

    deinit {
        free(buffer)
        fclose(handle)
    }

    /// The next line without its newline, or nil at the end of the file (for now, when following).
    public func next() -> Data? {
        while true {
            let n = getline(&buffer, &capacity, handle)
            if n < 0 {
                clearerr(handle)
                if !follow, !pending.isEmpty {
                    defer { pending = Data() }
                    lineNumber += 1
                    return pending
                }
                return nil
            }
            guard let buffer else { return nil }
            let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
            if bytes.last == UInt8(ascii: "\n") {
                var line = pending
                pending = Data()
                line.append(contentsOf: bytes.dropLast())
                lineNumber += 1
                return line
            }
            pending.append(contentsOf: bytes)
        }
    }

    /// Skips to the end of the file (following only what is written from now on). Counts the lines skipped.
    public func skipToEnd() {
        while next() != nil {}
    }
}
