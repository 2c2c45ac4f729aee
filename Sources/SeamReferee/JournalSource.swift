import Foundation

/// Why journals could not be read at all (the CLI's exit code 2).
public struct JournalInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Every `*.jsonl` of a directory merged into one stream of records, ordered by `ms`, then (on equal `ms`)
/// by microseconds (`us`) when both have them, then offer before accept before commit, then by file (name order); each file keeps its own order. Files are read
/// a chunk at a time and merged head by head, so memory does not grow with the journals' length.
/// Lines that are not records are counted in `malformed` and skipped; blank lines are ignored.
public final class JournalSource {
    /// The journal files, in merge order (sorted by name).
    public let paths: [String]
    public private(set) var malformed = MalformedLines()
    private var streams: [LineStream]
    private var heads: [RefereeRecord?]

    public init(directory: String) throws(JournalInputError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw JournalInputError("journal directory \(directory) does not exist")
        }
        guard isDirectory.boolValue else { throw JournalInputError("\(directory) is not a directory") }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw JournalInputError("cannot list \(directory): \(error.localizedDescription)")
        }
        let journals = names.filter { $0.hasSuffix(".jsonl") }.sorted()
        guard !journals.isEmpty else { throw JournalInputError("no *.jsonl journals in \(directory)") }
        let base = directory.hasSuffix("/") ? directory : directory + "/"
        paths = journals.map { base + $0 }
        var opened: [LineStream] = []
        for (path, name) in zip(paths, journals) {
            guard let s = LineStream(path: path, name: name) else {
                throw JournalInputError("cannot read \(path)")
            }
            opened.append(s)
        }
        streams = opened
        heads = Array(repeating: nil, count: opened.count)
        for i in streams.indices { try fill(i) }
    }

    /// The next record of the merged stream, nil at the end.
    public func next() throws(JournalInputError) -> RefereeRecord? {
        var best: Int?
        for i in heads.indices {
            guard let h = heads[i] else { continue }
            if let b = best, let current = heads[b] {
                if Self.comesBefore(h, current) { best = i }
            } else {
                best = i
            }
        }
        guard let b = best else { return nil }
        let record = heads[b]
        try fill(b)
        return record
    }

    /// Merge order of two heads of different files (the earlier file wins ties: it is scanned first).
    static func comesBefore(_ a: RefereeRecord, _ b: RefereeRecord) -> Bool {
        if a.ms != b.ms { return a.ms < b.ms }
        // Within a millisecond, microseconds when both records have them (a zone's accept of tick t and its
        // neighbour's offer of the same millisecond are then in real-time order), else offer before accept
        // before commit.
        if let ua = a.us, let ub = b.us, ua != ub { return ua < ub }
        return phaseRank(a.type) < phaseRank(b.type)
    }

    /// Offer before accept before commit when they share a millisecond (clocks are coarser than a link).
    static func phaseRank(_ type: String) -> Int {
        switch type {
        case "offer": 1
        case "accept": 2
        case "commit": 3
        default: 0
        }
    }

    private func fill(_ i: Int) throws(JournalInputError) {
        heads[i] = nil
        let stream = streams[i]
        while let line = try stream.nextLine() {
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            let source = "\(stream.name):\(stream.lineNumber)"
            do {
                heads[i] = try RefereeRecord(line: line, source: source)
                return
            } catch {
                malformed.note("\(source): \(error.reason)")
            }
        }
    }
}

/// A file read one line at a time through a fixed-size chunk buffer.
final class LineStream {
    let name: String
    private let file: UnsafeMutablePointer<FILE>
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private(set) var lineNumber = 0
    private static let chunkSize = 1 << 16

    init?(path: String, name: String) {
        guard let f = fopen(path, "rb") else { return nil }
        file = f
        self.name = name
    }

    deinit { fclose(file) }

    /// The next line without its newline (and without a trailing carriage return), nil at the end.
    func nextLine() throws(JournalInputError) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                var end = newline
                if end > start, buffer[end - 1] == 0x0D { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                lineNumber += 1
                return line
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                lineNumber += 1
                return line
            }
            buffer.removeFirst(start)
            start = 0
            var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
            let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, Self.chunkSize, file) }
            if n > 0 { buffer.append(contentsOf: chunk[0..<n]) }
            if n < Self.chunkSize {
                if ferror(file) != 0 { throw JournalInputError("cannot read \(name) after line \(lineNumber)") }
                atEnd = true
            }
        }
    }
}

/// Checks a directory of journals offline.
public enum RefereeRun {
    /// Reads every journal of `directory`, checks the merged stream and returns the final report (malformed
    /// lines included). Throws only when the journals cannot be read at all.
    public static func check(directory: String, options: RefereeOptions = RefereeOptions())
        throws(JournalInputError) -> RefereeReport
    {
        let source = try JournalSource(directory: directory)
        var referee = Referee(options: options)
        while let record = try source.next() {
            referee.check(record)
        }
        referee.noteMalformed(source.malformed)
        return referee.finish()
    }
}
