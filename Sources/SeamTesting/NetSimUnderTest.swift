import Foundation

/// A real `seam netsim` process relaying to targets on loopback, started and stopped by a test.
public final class NetSimUnderTest: @unchecked Sendable {
    /// The ports the relays listen on, in the order of `targets`.
    public let ports: [UInt16]
    public let reportPath: String
    private let child: ChildProcess

    public var process: Process { child.process }

    /// Starts `seam netsim` with one relay `127.0.0.1:0 → 127.0.0.1:target` per target and waits (at most
    /// `timeout` seconds) for its "netsim listening on" line.
    public init(targets: [UInt16], spec: String, extra: [String] = [], timeout: Double = 20) throws {
        reportPath = SeamProcess.temporaryDirectory("netsim") + "/netsim.json"
        child = try ChildProcess(
            ["netsim", "--spec", spec, "--report", reportPath, "--status-interval", "1"]
                + targets.flatMap { ["--relay", "127.0.0.1:0=127.0.0.1:\($0)"] } + extra,
            timeout: timeout)
        let text = child.firstLine
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
        guard ports.count == targets.count else { throw child.failure("netsim") }
        self.ports = ports
    }

    /// Sends SIGTERM, waits for a clean exit, returns status and output.
    @discardableResult
    public func stop() -> (status: Int32, stdout: String, stderr: String) { child.stop() }

    /// The `--report` JSON, parsed. Call after `stop()`.
    public func report() throws -> [String: Any] {
        let data = try Data(contentsOf: URL(fileURLWithPath: reportPath))
        guard let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw TestSetupError("netsim report is not a JSON object")
        }
        return obj
    }
}
