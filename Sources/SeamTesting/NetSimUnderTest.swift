import Foundation

/// A real `seam netsim` process relaying to targets on loopback, started and stopped by a test.
public final class NetSimUnderTest: @unchecked Sendable {
    public let process: Process
    /// The ports the relays listen on, in the order of `targets`.
    public let ports: [UInt16]
    public let reportPath: String
    private let collector: OutputCollector
    private var stopped: (status: Int32, stdout: String, stderr: String)?

    /// Starts `seam netsim` with one relay `127.0.0.1:0 → 127.0.0.1:target` per target and waits (at most
    /// `timeout` seconds) for its "netsim listening on" line.
    public init(targets: [UInt16], spec: String, extra: [String] = [], timeout: Double = 20) throws {
        reportPath = SeamProcess.temporaryDirectory("netsim") + "/netsim.json"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: SeamProcess.binary)
        p.arguments =
            ["netsim", "--spec", spec, "--report", reportPath, "--status-interval", "1"]
            + targets.flatMap { ["--relay", "127.0.0.1:0=127.0.0.1:\($0)"] } + extra
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        process = p
        let handle = out.fileHandleForReading
        let text = SeamProcess.firstLine(of: handle, timeout: timeout)
        collector = OutputCollector(out: handle, err: err.fileHandleForReading)
        // "netsim listening on 127.0.0.1:41234 -> 127.0.0.1:7000, 127.0.0.1:41235 -> ... (spec ...)"
        var ports: [UInt16] = []
        if let range = text.range(of: "netsim listening on ") {
            let relays = text[range.upperBound...].prefix { $0 != "(" }
            for relay in relays.split(separator: ",") {
                let listen = relay.split(separator: " ").first ?? ""
                if let colon = listen.lastIndex(of: ":"), let port = UInt16(listen[listen.index(after: colon)...]) {
                    ports.append(port)
                }
            }
        }
        guard ports.count == targets.count else {
            p.terminate()
            p.waitUntilExit()
            let (_, e) = collector.finish()
            throw TestSetupError("netsim did not start: \(text) \(e)")
        }
        self.ports = ports
    }

    /// Sends SIGTERM, waits for a clean exit, returns status and output.
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

    /// The `--report` JSON, parsed. Call after `stop()`.
    public func report() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSetupError("netsim report is not a JSON object")
        }
        return obj
    }
}
