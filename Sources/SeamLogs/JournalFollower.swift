/// Follows a journal directory as zones write it: each `poll()` returns the records appended since the
/// last one, from the files known and from new `*.jsonl` files (read from their start).
public final class JournalFollower {
    /// The directory followed.
    public let directory: String
    private var readers: [String: LineReader] = [:]
    /// Lines skipped so far.
    public private(set) var malformed = MalformedLines()

    /// Starts following `directory` (which must exist). With `fromStart` false, what the files already
    /// hold is skipped and only records written from now on are returned.
    public init(directory: String, fromStart: Bool = false) throws {
        self.directory = directory
        for file in try JournalReader.journalFiles(in: directory) {
            guard let reader = open(file) else { continue }
            if !fromStart { reader.skipToEnd() }
        }
    }

    private func open(_ file: String) -> LineReader? {
        let path = directory.hasSuffix("/") ? directory + file : directory + "/" + file
        guard let reader = LineReader(path: path, follow: true) else { return nil }
        readers[file] = reader
        return reader
    }

    /// The records written since the last poll, file by file in name order.
    public func poll() -> [LogRecord] {
        if let files = try? JournalReader.journalFiles(in: directory) {
            for file in files where readers[file] == nil { _ = open(file) }
        }
        var out: [LogRecord] = []
        for file in readers.keys.sorted() {
            let reader = readers[file]!
            while let data = reader.next() {
                if data.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                if let r = RecordParser.parse(data, file: file, lineNumber: reader.lineNumber) {
                    out.append(r)
                } else {
                    malformed.note(file: file, line: reader.lineNumber)
                }
            }
        }
        return out
    }
}
