import Foundation
import SeamWorld

/// The `seam netsim` child of `seam cluster --netsim`: one relay per zone, from the zone's port plus the
/// netsim offset to the zone's port, its output prefixed `[netsim]`.
final class NetSimProcess {
    let process: Process
    let map: GameMap
    let host: String
    let relayOffset: Int

    /// Starts the child and waits (at most `timeout` seconds) until it reports its relays bound.
    init(
        map: GameMap, host: String, portOffset: Int, netsimOffset: Int, spec: String, statusInterval: Double,
        report: String?, timeout: Double = 10
    ) throws {
        self.map = map
        self.host = host
        relayOffset = portOffset + netsimOffset
        let zonePorts = Set(map.zones.map { $0.port + portOffset })
        for z in map.zones {
            let port = z.port + relayOffset
            guard (1...65535).contains(port) else {
                throw CLIError(
                    "zone \(z.id): relay port \(z.port) + \(portOffset) + netsim offset \(netsimOffset) is outside 1...65535"
                )
            }
            guard !zonePorts.contains(port) else {
                throw CLIError(
                    "zone \(z.id): its relay port \(port) is another zone's port; choose another --netsim-offset")
            }
        }
        var args = ["netsim", "--spec", spec, "--status-interval", String(statusInterval)]
        for z in map.zones { args += ["--relay", "\(host):\(z.port + relayOffset)=\(host):\(z.port + portOffset)"] }
        if let report { args += ["--report", report] }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        let ready = DispatchSemaphore(value: 0)
        LinePrefixer.forward(pipe.fileHandleForReading, prefix: "[netsim] ") { line in
            if line.hasPrefix("netsim listening on ") { ready.signal() }
        }
        do { try p.run() } catch { throw CLIError("cannot start netsim: \(error.localizedDescription)") }
        process = p
        let deadline = Date().addingTimeInterval(timeout)
        while ready.wait(timeout: .now() + 0.05) == .timedOut {
            guard p.isRunning else {
                LinePrefixer.drain()
                throw CLIError(
                    "netsim exited with status \(p.terminationStatus) before its relays were up (see its output above)")
            }
            if Date() >= deadline {
                stop()
                throw CLIError("netsim did not report its relays within \(Int(timeout)) s")
            }
        }
    }

    /// Where clients reach each zone.
    var summary: String {
        map.zones.map { "\($0.id)=\(host):\($0.port + relayOffset)" }.joined(separator: ", ")
    }

    /// Stops the child with SIGTERM (it writes its report and summary) and waits for it.
    func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }
}
