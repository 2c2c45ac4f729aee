import Foundation

/// Runs the built `seam` executable the way a user does, for tests.
public enum SeamProcess {
    /// The `seam` binary next to the test bundle (SwiftPM builds both into the same directory),
    /// or `$SEAM_BINARY` when set.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["SEAM_BINARY"] { return path }
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // The test runner may live inside `SeamPackageTests.xctest/`; climb until `seam` is found.
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("seam").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "seam"
    }

    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// Runs `seam ARGS` to completion, killing it after `timeout` seconds (a failing test, not a hang).
    public static func run(_ arguments: [String], timeout: Double = 60, directory: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let collector = OutputCollector(out: out.fileHandleForReading, err: err.fileHandleForReading)
        let deadline = Date().addingTimeInterval(timeout)
        while p.isRunning && Date() < deadline { usleep(20_000) }
        if p.isRunning {
            p.terminate()
        }
        p.waitUntilExit()
        let (o, e) = collector.finish()
        return Result(status: p.terminationStatus, stdout: o, stderr: e)
    }

    /// The repository root, found from this file's path.
    public static var repositoryRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    public static func mapPath(_ name: String) -> String { repositoryRoot + "/Maps/\(name).map" }

    /// A fresh temporary directory.
    public static func temporaryDirectory(_ label: String) -> String {
        let path = NSTemporaryDirectory() + "seam-\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

/// Drains a process's pipes on background threads so a chatty child never blocks on a full pipe.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var outData = Data()
    private var errData = Data()
    private let group = DispatchGroup()

    init(out: FileHandle, err: FileHandle) {
        for (handle, isOut) in [(out, true), (err, false)] {
            group.enter()
            Thread.detachNewThread { [self] in
                let data = handle.readDataToEndOfFile()
                lock.lock()
                if isOut { outData = data } else { errData = data }
                lock.unlock()
                group.leave()
            }
        }
    }

    func finish() -> (String, String) {
        group.wait()
        lock.lock()
        defer { lock.unlock() }
        return (String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}
