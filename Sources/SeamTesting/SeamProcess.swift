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
    public static func run(_ arguments: [String], timeout: Double = 60, directory: String? = nil,
                           environment: [String: String] = [:]) throws -> Result {
        try start(arguments, directory: directory, environment: environment).wait(timeout: timeout)
    }

    /// Starts `seam ARGS` without waiting for it.
    public static func start(_ arguments: [String], directory: String? = nil,
                             environment: [String: String] = [:]) throws -> Running {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = arguments
        if !environment.isEmpty {
            p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { p.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        return Running(process: p, collector: OutputCollector(out: out.fileHandleForReading, err: err.fileHandleForReading))
    }

    /// A started `seam` process.
    public final class Running: @unchecked Sendable {
        let process: Process
        let collector: OutputCollector
        init(process: Process, collector: OutputCollector) {
            self.process = process
            self.collector = collector
        }

        /// Waits for the exit, killing the process after `timeout` seconds (a failing test, not a hang).
        public func wait(timeout: Double = 60) -> Result {
            let deadline = Date().addingTimeInterval(timeout)
            while process.isRunning && Date() < deadline { usleep(20_000) }
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            let (o, e) = collector.finish()
            return Result(status: process.terminationStatus, stdout: o, stderr: e)
        }
    }

    /// Reads a process's first output line byte by byte (so nothing after it is consumed), giving up after
    /// `timeout` seconds between bytes or at the end of the output.
    public static func firstLine(of handle: FileHandle, timeout: Double) -> String {
        var line = Data()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let byte = handle.readData(ofLength: 1)
            if byte.isEmpty || byte == Data([0x0A]) { break }
            line.append(byte)
        }
        return String(decoding: line, as: UTF8.self)
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
