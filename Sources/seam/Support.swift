import ArgumentParser
import Foundation
import Logging
import SeamNet
import SeamWorld

/// Set by SIGINT and SIGTERM; every long-running subcommand polls it.
let processStop = StopSignal()

/// Makes Ctrl-C and SIGTERM stop the running loop cleanly instead of killing the process.
func installStopHandlers() {
    signal(SIGINT) { _ in processStop.stop() }
    signal(SIGTERM) { _ in processStop.stop() }
    // A parent may have started us with these signals blocked (the mask survives exec; thread pools block
    // signals on their workers), which would make SIGTERM a no-op. Unblock them.
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGINT)
    sigaddset(&set, SIGTERM)
    sigprocmask(SIG_UNBLOCK, &set, nil)
}

/// A failure to report to the user as one line, with a non-zero exit status.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct LogOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "notice"

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("unknown --log-level '\(logLevel)'; use trace, debug, info, notice, warning, error or critical")
        }
    }

    func makeLogger(_ label: String) -> Logger {
        let level = Logger.Level(rawValue: logLevel) ?? .notice
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: label)
        logger.logLevel = level
        return logger
    }
}

/// Loads a map or fails with the parser's file:line:column message.
func loadMap(_ path: String) throws -> GameMap {
    do {
        return try GameMap.load(path: path)
    } catch {
        throw CLIError(error.description)
    }
}

/// Finds a zone by id or fails naming the zones the map has.
func findZone(_ id: String, in map: GameMap, path: String) throws -> ZoneSpec {
    guard let zone = map.zone(id: id) else {
        throw CLIError("map \(path) has no zone '\(id)'; its zones are: \(map.zones.map(\.id).joined(separator: ", "))")
    }
    return zone
}

func wallClockNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func monotonicNanos() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The cluster secret as users give it: hex in SEAM_SECRET.
enum ClusterSecretText {
    static func parse(_ hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count >= 32, chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let byte = UInt8(String(decoding: chars[i..<i + 2], as: UTF8.self), radix: 16) else { return nil }
            out.append(byte)
        }
        return out
    }

    static func random() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}
