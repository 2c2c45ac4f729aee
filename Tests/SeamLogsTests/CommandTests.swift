import Foundation
import SeamTesting
import Testing

/// Runs the real `seam logs`. Until `Logs` is registered in Seam.swift's subcommands the binary answers
/// "Unexpected argument 'logs'"; then these tests check nothing (they are not failures of SeamLogs).
@Suite struct CommandTests {
    func notRegistered(_ r: SeamProcess.Result) -> Bool {
        let all = (r.stdout + r.stderr).lowercased()
        return ["unexpected argument", "unknown subcommand", "unknown option"].contains { all.contains($0) }
    }

    @Test func summaryOfADirectory() throws {
        let r = try SeamProcess.run(["logs", try Fixtures.directory()])
        if notRegistered(r) { return }  // `seam logs` not registered yet: nothing to check.
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("handoffs: 4 offered, 2 committed, 1 aborted, 1 rejected, 1 in doubt (1 resolved)"),
                "\(r.stdout)")
        #expect(r.stdout.contains("1 malformed line skipped, first at west.jsonl:14"))
    }

    @Test func jsonOfAPlayer() throws {
        let r = try SeamProcess.run(["logs", try Fixtures.directory(), "--player", "1", "--json"])
        if notRegistered(r) { return }  // `seam logs` not registered yet: nothing to check.
        #expect(r.status == 0, "\(r.stderr)")
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((o?["records"] as? [Any])?.count == 11)
    }

    @Test func missingDirectoryIsOneLine() throws {
        let r = try SeamProcess.run(["logs", "/nonexistent/journal"])
        if notRegistered(r) { return }  // `seam logs` not registered yet: nothing to check.
        #expect(r.status != 0)
        #expect(r.stderr.contains("journal directory /nonexistent/journal does not exist"), "\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }
}
