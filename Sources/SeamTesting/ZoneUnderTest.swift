import Foundation

/// A real `seam zone` process on a free port, started and stopped by a test.
public final class ZoneUnderTest: @unchecked Sendable {
    public let port: UInt16
    public let journalDirectory: String
    public let zone: String
    private let child: ChildProcess

    public var process: Process { child.process }

    /// Starts `seam zone --port 0` and waits (at most `timeout` seconds) for its "listening on" line.
    public init(map: String = "duel", zone: String = "west", extra: [String] = [], timeout: Double = 20) throws {
        journalDirectory = SeamProcess.temporaryDirectory("journal")
        self.zone = zone
        child = try ChildProcess(
            ["zone", "--map", SeamProcess.mapPath(map), "--zone", zone, "--port", "0",
             "--journal", journalDirectory, "--status-interval", "1"] + extra,
            timeout: timeout)
        let text = child.firstLine
        guard let range = text.range(of: "listening on "),
            let colon = text[range.upperBound...].firstIndex(of: ":"),
            let port = UInt16(text[text.index(after: colon)...].prefix { $0.isNumber })
        else {
            throw child.failure("zone")
        }
        self.port = port
    }

    /// Sends SIGTERM, waits for a clean exit, returns status and output.
    @discardableResult
    public func stop() -> (status: Int32, stdout: String, stderr: String) { child.stop() }

    /// The zone's journal records, parsed. Call after `stop()` to see everything.
    public func journal() throws -> [[String: Any]] {
        let path = journalDirectory + "/\(zone).jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestSetupError("journal line is not an object: \(line)")
            }
            return obj
        }
    }
}

public struct TestSetupError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
