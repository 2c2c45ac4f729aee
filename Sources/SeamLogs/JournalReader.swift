import Foundation

/// Why a journal directory cannot be read. `description` is one line for the user.
public enum JournalError: Error, Equatable, CustomStringConvertible {
    case directoryMissing(String)
    case noJournals(String)
    case unreadable(String)

    public var description: String {
        switch self {
        case .directoryMissing(let path): "journal directory \(path) does not exist or is not a directory"
        case .noJournals(let path): "journal directory \(path) has no *.jsonl files"
        case .unreadable(let path): "cannot read journal file \(path)"
        }
    }
}

/// Lines that were not journal records: how many, and where the first one was.
public struct MalformedLines: Equatable, Sendable {
    /// How many lines were skipped.
    public var count = 0
    /// `FILE:LINE` of the first skipped line (file name without its directory), nil when none.
    public var first: String?

    public init() {}

    /// Counts a skipped line.
    public mutating func note(file: String, line: Int) {
        if count == 0 { first = "\(file):\(line)" }
        count += 1
    }

    /// "N malformed lines skipped, first at FILE:LINE", or nil when there were none.
    public var message: String? {
        guard let first else { return nil }
        return "\(count) malformed line\(count == 1 ? "" : "s") skipped, first at \(first)"
    }
}

/// Finds the `*.jsonl` journals of a directory and streams their records, one line at a time.
public struct JournalReader {
    /// The directory read.
    public let directory: String
    /// The journal file names found, sorted.
    public let files: [String]
    /// Lines skipped so far by `forEachRecord`.
    public private(set) var malformed = MalformedLines()

    /// Lists the journals of `directory`; throws when it is missing or (unless `allowEmpty`) has none.
    public init(directory: String, allowEmpty: Bool = false) throws {
        self.directory = directory
        self.files = try JournalReader.journalFiles(in: directory)
        if files.isEmpty, !allowEmpty { throw JournalError.noJournals(directory) }
    }

    /// The sorted `*.jsonl` names in `directory`.
    public static func journalFiles(in directory: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory)
        else { throw JournalError.directoryMissing(directory) }
        return names.filter { $0.hasSuffix(".jsonl") }.sorted()
    }

    /// The path of a journal file of this directory.
    public func path(of file: String) -> String {
        (directory as NSString).appendingPathComponent(file)
    }

    /// Calls `body` with every record of every file, file by file in name order and line by line;
    /// malformed lines are counted in `malformed` and skipped.
    public mutating func forEachRecord(_ body: (LogRecord) throws -> Void) throws {
        for file in files {
            guard let reader = LineReader(path: path(of: file)) else { throw JournalError.unreadable(path(of: file)) }
            while let data = reader.next() {
                if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                if let record = RecordParser.parse(data, file: file, lineNumber: reader.lineNumber) {
                    try body(record)
                } else {
                    malformed.note(file: file, line: reader.lineNumber)
                }
            }
        }
    }
}
