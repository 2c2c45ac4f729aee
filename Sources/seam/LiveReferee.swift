import Foundation

/// `seam referee --live` as a child process observing the scenario's zones, its output in
/// `<directory>/referee-live.log` and its report in `<directory>/referee-live.json`.
final class LiveReferee {
    struct Verdict {
        var clean: Bool
        var verdict: String
        var line: String
    }

    let process = Process()
    let logPath: String
    let reportPath: String
    private var verdict: Verdict?

    init(mapPath: String, portOffset: Int, secret: String, directory: String) throws {
        logPath = (directory as NSString).appendingPathComponent("referee-live.log")
        reportPath = (directory as NSString).appendingPathComponent("referee-live.json")
        try? FileManager.default.removeItem(atPath: reportPath)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: logPath) else { throw CLIError("cannot write \(logPath)") }
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["referee", "--live", "--map", mapPath, "--port-offset", String(portOffset),
                             "--status-interval", "10", "--report", reportPath]
        var env = ProcessInfo.processInfo.environment
        env["SEAM_SECRET"] = secret
        process.environment = env
        process.standardOutput = handle
        process.standardError = handle
        do { try process.run() } catch { throw CLIError("cannot start the live referee: \(error.localizedDescription)") }
    }

    /// Waits until the referee says it observes every zone; returns what went wrong, or nil.
    func waitUntilObserving(timeout: Double) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            if text.contains("referee live: observing all") { return nil }
            guard process.isRunning else { return "it exited with status \(process.terminationStatus)" }
            usleep(50_000)
        }
        return "it did not observe every zone within \(Int(timeout)) s"
    }

    /// Stops the referee (SIGTERM: it reports what it saw) and reads its verdict; later calls return it again.
    @discardableResult
    func stop() -> Verdict {
        if let verdict { return verdict }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        let lines = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "").split(separator: "\n")
        let throughput = lines.last { $0.hasPrefix("referee live: ") && $0.contains("records in") }.map(String.init) ?? ""
        let json = (try? Data(contentsOf: URL(fileURLWithPath: reportPath)))
            .flatMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        let name = json?["verdict"] as? String ?? "no report (exit status \(process.terminationStatus))"
        let clean = name == "clean" && process.terminationStatus == 0
        let v = Verdict(clean: clean, verdict: name,
                        line: "referee live: \(name)" + (throughput.isEmpty ? "" : "; " + throughput.dropFirst("referee live: ".count)))
        verdict = v
        return v
    }
}
