import Foundation
import SeamBots
import Testing

/// The scenario format of docs/SCENARIOS.md: a good file, and every kind of mistake named with its line and
/// column.
@Suite struct ScenarioParsingTests {
    let good = """
        # A comment before the header.
        seam-scenario 1
        map Maps/quad.map          # where the zones run
        bots 200
        seed 42
        ramp 12.5
        referee live
        tick-check 50ms
        zone-tick-budget 30%
        swarm-nice 10
        zone-nice 3
        swarm-threads 2
        swarm-scheduling batch
        zone-tick-phases spread

        phase 60s wander=70% coin-rush=20% fight=10%
        phase 2m hotspot=100%
        phase 1.5s border-dance=100%
        phase 500ms wander=0% fight=100%
        """

    @Test func aGoodFileGivesEverySetting() throws {
        let s = try Scenario.parse(good, file: "dir/good.scenario")
        #expect(s.name == "good")
        #expect(s.mapPath == "Maps/quad.map")
        #expect(s.mapLine == 3)
        #expect(s.bots == 200)
        #expect(s.seed == 42)
        #expect(s.ramp == 12.5)
        #expect(s.referee == .live)
        #expect(s.tickCheckMs == 50)
        #expect(s.zoneTickBudgetPercent == 30)
        #expect(s.swarmNice == 10)
        #expect(s.zoneNice == 3)
        #expect(s.swarmThreads == 2)
        #expect(s.swarmBatch)
        #expect(s.zoneTickSpread)
        #expect(s.phases.map(\.duration) == [60, 120, 1.5, 0.5])
        #expect(s.phases.map(\.behaviors.description) == [
            "wander=70,coin-rush=20,fight=10", "hotspot=100", "border-dance=100", "wander=0,fight=100",
        ])
        #expect(s.duration == 182)
        #expect(s.scaled(by: 0.5).phases.map(\.duration) == [30, 60, 0.75, 0.25])
    }

    @Test func defaultsAndWindowsLineEnds() throws {
        let text = "seam-scenario 1\r\nmap m.map\r\nbots 1\r\nphase 1s wander=100%\r\n"
        let s = try Scenario.parse(text, file: "d.scenario")
        #expect(s.seed == 1)
        #expect(s.ramp == 1000)
        #expect(s.referee == .journal)
        #expect(s.tickCheckMs == nil)
        #expect(!s.zoneTickSpread)
        #expect(s.phases.count == 1)
    }

    @Test func theShippedScenariosParse() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("tools/scenarios").path
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".scenario") }
        #expect(Set(files).isSuperset(of: ["smoke.scenario", "continent-2000.scenario", "continent-2500.scenario", "continent-3000.scenario"]))
        for f in files {
            let s = try Scenario.load(path: dir + "/" + f)
            #expect(FileManager.default.fileExists(atPath: dir + "/../../" + s.mapPath), "\(f): \(s.mapPath)")
        }
        let continent = try Scenario.load(path: dir + "/continent-2000.scenario")
        #expect(continent.bots == 2000 && continent.duration == 600 && continent.phases.count > 1)
        let smoke = try Scenario.load(path: dir + "/smoke.scenario")
        #expect(smoke.duration == 30 && smoke.phases.count == 3)
    }

    /// Each case: the file's lines after the header, and the `line:column: message` start expected.
    @Test(arguments: [
        ("bots 2\nphase 1s wander=100%", "4:1: missing 'map PATH'"),
        ("map m\nphase 1s wander=100%", "4:1: missing 'bots COUNT'"),
        ("map m\nbots 2", "4:1: missing 'phase DURATION"),
        ("map m\nbots 2\nspeed 3\nphase 1s wander=100%", "4:1: unknown key 'speed'"),
        ("map m\nmap n\nbots 2\nphase 1s wander=100%", "3:1: 'map' given twice (first on line 2)"),
        ("map\nbots 2\nphase 1s wander=100%", "2:4: expected 'map PATH', found end of line"),
        ("map a b\nbots 2\nphase 1s wander=100%", "2:7: expected end of line after 'map PATH', found 'b'"),
        ("map m\nbots two\nphase 1s wander=100%", "3:6: expected a number of bots in 1...20000, found 'two'"),
        ("map m\nbots 0\nphase 1s wander=100%", "3:6: expected a number of bots in 1...20000, found '0'"),
        ("map m\nbots 2\nseed -1\nphase 1s wander=100%", "4:6: expected a whole number ≥ 0 for the seed"),
        ("map m\nbots 2\nramp 0\nphase 1s wander=100%", "4:6: expected new connections per second"),
        ("map m\nbots 2\nreferee maybe\nphase 1s wander=100%", "4:9: expected live, journal or off, found 'maybe'"),
        ("map m\nbots 2\ntick-check 50\nphase 1s wander=100%", "4:12: expected a duration such as 500ms, 30s or 10m"),
        ("map m\nbots 2\nzone-tick-budget 30\nphase 1s wander=100%", "4:18: expected a percentage from 10% to 100%, found '30'"),
        ("map m\nbots 2\nzone-tick-budget 5%\nphase 1s wander=100%", "4:18: expected a percentage from 10% to 100%, found '5%'"),
        ("map m\nbots 2\nswarm-nice 20\nphase 1s wander=100%", "4:12: expected a niceness from 0 to 19, found '20'"),
        ("map m\nbots 2\nzone-nice -1\nphase 1s wander=100%", "4:11: expected a niceness from 0 to 19, found '-1'"),
        ("map m\nbots 2\nswarm-threads 0\nphase 1s wander=100%", "4:15: expected a thread count from 1 to 64, found '0'"),
        ("map m\nbots 2\nswarm-scheduling idle\nphase 1s wander=100%", "4:18: expected batch or normal, found 'idle'"),
        ("map m\nbots 2\nzone-tick-phases random\nphase 1s wander=100%", "4:18: expected spread or aligned, found 'random'"),
        ("map m\nbots 2\nswarm-nice -5\nphase 1s wander=100%", "4:12: expected a niceness from 0 to 19, found '-5'"),
        ("map m\nbots 2\nphase", "4:6: expected 'phase DURATION NAME=P% ...', found end of line"),
        ("map m\nbots 2\nphase 60 wander=100%", "4:7: expected a duration such as 500ms, 30s or 10m, found '60'"),
        ("map m\nbots 2\nphase 0s wander=100%", "4:7: expected a duration above 0"),
        ("map m\nbots 2\nphase 25h wander=100%", "4:7: expected a duration such as"),
        ("map m\nbots 2\nphase 10s", "4:10: expected behaviours with percentages after the duration"),
        ("map m\nbots 2\nphase 10s dance=100%", "4:11: unknown behaviour 'dance'"),
        ("map m\nbots 2\nphase 10s wander=70% fight=30", "4:28: expected a percentage 0%...100% after 'fight='"),
        ("map m\nbots 2\nphase 10s wander", "4:17: expected a percentage 0%...100% after 'wander='"),
        ("map m\nbots 2\nphase 10s wander=150%", "4:18: expected a percentage 0%...100%"),
        ("map m\nbots 2\nphase 10s wander=50% wander=50%", "4:22: behaviour 'wander' given twice in this phase"),
        ("map m\nbots 2\nphase 10s wander=50% fight=40%", "4:11: the percentages of a phase must add up to 100%, these add up to 90%"),
    ])
    func mistakesAreNamedWithLineAndColumn(body: String, expected: String) {
        let text = "seam-scenario 1\n" + body + "\n"
        do {
            _ = try Scenario.parse(text, file: "t.scenario")
            Issue.record("parsed: \(body)")
        } catch {
            #expect(error.description.hasPrefix("t.scenario:" + expected), "\(error.description)")
        }
    }

    @Test(arguments: [
        ("", "t.scenario:1:1: expected the header 'seam-scenario 1', found end of file"),
        ("map m\n", "t.scenario:1:1: expected the header 'seam-scenario 1', found 'map'"),
        ("# c\n  seam-scenario 2\n", "t.scenario:2:17: expected 'seam-scenario 1' (this parser reads version 1), found '2'"),
        ("seam-scenario\n", "t.scenario:1:14: expected 'seam-scenario 1' (this parser reads version 1), found end of line"),
    ])
    func theHeaderIsChecked(text: String, expected: String) {
        #expect(throws: ScenarioError.self) { try Scenario.parse(text, file: "t.scenario") }
        do { _ = try Scenario.parse(text, file: "t.scenario") } catch {
            #expect(error.description.hasPrefix(expected), "\(error.description)")
        }
    }

    @Test func anUnreadableFileNamesTheFile() {
        do {
            _ = try Scenario.load(path: "/nonexistent/x.scenario")
            Issue.record("loaded")
        } catch {
            #expect(error.line == 0)
            #expect(error.description.hasPrefix("/nonexistent/x.scenario: cannot read the file"))
        }
    }
}
