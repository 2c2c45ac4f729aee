import Foundation

/// A `seam` subcommand started by a test as its own process: output collected, the first line read (its
/// "listening on" line), stopped with SIGTERM. `ZoneUnderTest` and `NetSimUnderTest` are built on it.
public final class ChildProcess: @unchecked Sendable {
    public let process: Process
    /// The first line the process printed (or what it printed before `timeout`).
    public let firstLine: String
    private let collector: OutputCollector
    private var stopped: (status: Int32, stdout: String, stderr: String)?

    /// Runs `seam ARGUMENTS` and waits at most `timeout` seconds for its first line.
    init(_ arguments: [String], timeout: Double) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: SeamProcess.binary)
        p.arguments = arguments
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        process = p
        let handle = out.fileHandleForReading
        firstLine = SeamProcess.firstLine(of: handle, timeout: timeout)
        collector = OutputCollector(out: handle, err: err.fileHandleForReading)
    }

    /// Stops the process and returns the error to throw when it did not start as expected.
    func failure(_ what: String) -> TestSetupError {
        let (_, _, e) = stop()
        return TestSetupError("\(what) did not start: \(firstLine) \(e)")
    }

    /// Sends SIGTERM, waits for a clean exit, returns status and output (the same on every call).
    @discardableResult
    public func stop() -> (status: Int32, stdout: String, stderr: String) {
        if let stopped { return stopped }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let (o, e) = collector.finish()
        let result = (process.terminationStatus, o, e)
        stopped = result
        return result
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}
