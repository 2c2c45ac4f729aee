import Foundation
import SeamProtocol

/// An append-only JSON Lines file, one per zone. Records are buffered and written once per flush,
/// so the tick loop does one write per second instead of one per event.
public final class Journal {
    public let path: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer = ""
    public private(set) var records = 0

    /// Opens (creating the directory if needed) `<directory>/<zone>.jsonl` for appending.
    public init(directory: String, zone: String) throws(ZoneError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ZoneError("cannot create journal directory '\(directory)': \(error.localizedDescription)")
        }
        path = (directory as NSString).appendingPathComponent("\(zone).jsonl")
        guard let f = fopen(path, "a") else {
            throw ZoneError("cannot open journal '\(path)' for appending: \(String(cString: strerror(errno)))")
        }
        file = f
        buffer.reserveCapacity(64 * 1024)
    }

    deinit {
        flush()
        fclose(file)
    }

    public func append(_ record: JournalRecord) {
        record.appendJSONLine(to: &buffer)
        records += 1
    }

    /// Appends a record already encoded by `JournalRecord.appendJSONLine` (with its newline).
    public func append(line: String) {
        buffer += line
        records += 1
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withCString { _ = fputs($0, file) }
        fflush(file)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// A zone failed to start or to keep its files: the message says what and where.
public struct ZoneError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
