import Foundation
import SeamTesting
import Testing

/// Bad input to the `seam` binary: one clear line, non-zero exit status.
@Suite struct CommandLineTests {
    @Test func helpListsTheSubcommands() throws {
        let r = try SeamProcess.run(["--help"])
        #expect(r.status == 0)
        for name in ["zone", "bots", "demo"] { #expect(r.stdout.contains(name)) }
    }

    @Test func missingMap() throws {
        let r = try SeamProcess.run(["zone", "--map", "/nonexistent/x.map", "--zone", "west"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("/nonexistent/x.map"))
    }

    @Test func badMapNamesFileLineAndColumn() throws {
        let dir = SeamProcess.temporaryDirectory("badmap")
        let path = dir + "/bad.map"
        try "seam-map 1\nname bad\nsize 4 2\nzone a 0 0 4 2 7000\ntiles\n####\n#Sx#\n".write(
            toFile: path, atomically: true, encoding: .utf8)
        let r = try SeamProcess.run(["zone", "--map", path, "--zone", "a"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("bad.map:7:3"), "\(r.stderr)")
    }

    @Test func unknownZoneListsTheZones() throws {
        let r = try SeamProcess.run(["zone", "--map", SeamProcess.mapPath("duel"), "--zone", "north"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("north"))
        #expect(r.stderr.contains("west, east"))
    }

    @Test func portInUseIsOneClearLine() throws {
        let zone = try ZoneUnderTest()
        let r = try SeamProcess.run(["zone", "--map", SeamProcess.mapPath("duel"), "--zone", "west", "--port", "\(zone.port)"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("cannot bind"))
        #expect(r.stderr.contains("\(zone.port)"))
        zone.stop()
    }

    @Test(arguments: [
        (["bots", "--map", "Maps/duel.map", "--count", "0"], "--count"),
        (["bots", "--map", "Maps/duel.map", "--count", "5", "--behavior", "dance"], "unknown behavior 'dance'"),
        (["bots", "--map", "Maps/duel.map", "--count", "5", "--address", "west"], "ID=HOST:PORT"),
        (["zone", "--map", "Maps/duel.map", "--zone", "west", "--port", "70000"], "--port"),
        (["zone", "--map", "Maps/duel.map", "--zone", "west", "--tick-rate", "0"], "--tick-rate"),
        (["zone", "--map", "Maps/duel.map", "--zone", "west", "--tick-budget", "5"], "--tick-budget must be in 10...100"),
        (["zone", "--map", "Maps/duel.map", "--zone", "west", "--tick-phase", "1"], "--tick-phase must be in [0, 1)"),
        (["zone", "--map", "Maps/duel.map"], "--zone"),
    ])
    func badFlagsAreRefused(arguments: [String], message: String) throws {
        let r = try SeamProcess.run(arguments, directory: SeamProcess.repositoryRoot)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }
}
