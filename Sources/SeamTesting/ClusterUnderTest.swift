import Foundation
import SeamNet

/// A real `seam cluster` process on free ports, started and stopped by a test.
public final class ClusterUnderTest: @unchecked Sendable {
    public let process: Process
    public let portOffset: Int
    public let journalDirectory: String
    private let lock = NSLock()
    private var output = ""
    private let done = DispatchSemaphore(value: 0)

    /// Starts `seam cluster` on the map with a port offset whose ports are all free, and waits until every
    /// zone reports its neighbour links up (at most `timeout` seconds).
    /// The cluster secret given to the zones (hex), so a test can observe them live.
    public let secret: String

    public init(map: String, ports: [Int], links: Int, extra: [String] = [], timeout: Double = 30) throws {
        secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        journalDirectory = SeamProcess.temporaryDirectory("cluster")
        guard let offset = NetHost.freePortOffset(for: ports) else { throw TestSetupError("no free port range found") }
        portOffset = offset
        let p = Process()
        p.executableURL = URL(fileURLWithPath: SeamProcess.binary)
        p.arguments = ["cluster", "--map", SeamProcess.mapPath(map), "--journal", journalDirectory,
                       "--port-offset", String(portOffset), "--status-interval", "1"] + extra
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.environment = ProcessInfo.processInfo.environment.merging(["SEAM_SECRET": secret]) { $1 }
        try p.run()
        process = p
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { break }
                lock.lock()
                output += String(decoding: data, as: UTF8.self)
                lock.unlock()
            }
            done.signal()
        }
        // Each link is reported up by both of its zones.
        guard wait(timeout: timeout, until: { $0.components(separatedBy: "link to neighbour").count - 1 >= 2 * links }) else {
            stop()
            throw TestSetupError("cluster links did not come up: \(text)")
        }
    }

    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return output
    }

    /// Polls the cluster's output until `condition` holds or `timeout` passes.
    public func wait(timeout: Double, until condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(text) { return true }
            usleep(20_000)
        }
        return condition(text)
    }

    public func port(_ mapPort: Int) -> UInt16 { UInt16(mapPort + portOffset) }

    /// The process id of a zone, from the cluster's "ID=HOST:PORT (pid N)" start line.
    public func pid(of zone: String) -> Int32? {
        guard let range = text.range(of: "\(zone)=") else { return nil }
        let rest = text[range.upperBound...]
        guard let pidRange = rest.range(of: "(pid ") else { return nil }
        return Int32(rest[pidRange.upperBound...].prefix { $0.isNumber })
    }

    @discardableResult
    public func stop() -> String {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        _ = done.wait(timeout: .now() + 5)
        return text
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Journal records of one zone, parsed.
    public func journal(_ zone: String) throws -> [[String: Any]] {
        let text = try String(contentsOfFile: journalDirectory + "/\(zone).jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            guard let obj = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                throw TestSetupError("journal line is not an object: \(line)")
            }
            return obj
        }
    }
}
