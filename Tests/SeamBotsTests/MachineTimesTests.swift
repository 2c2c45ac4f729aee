import Testing
@testable import SeamBots

/// The machine's busy and stolen time comes from /proc/stat's aggregate line.
@Suite struct MachineTimesTests {
    @Test func theAggregateLineGivesTotalIdleAndSteal() throws {
        let t = try #require(MachineTimes.parse("cpu  2990253 908645 1785076 3671905 31601 0 461241 137724 0 0"))
        #expect(t.total == 2990253 + 908645 + 1785076 + 3671905 + 31601 + 0 + 461241 + 137724)
        #expect(t.idle == 3671905 + 31601, "iowait counts as idle")
        #expect(t.steal == 137724)
    }

    @Test func aPerCPULineOrAShortOrGarbledLineIsNotTaken() {
        #expect(MachineTimes.parse("cpu0 1 2 3 4 5 6 7 8 0 0") == nil)
        #expect(MachineTimes.parse("cpu 1 2 3 4 5 6 7") == nil)
        #expect(MachineTimes.parse("cpu 1 2 3 x 5 6 7 8") == nil)
        #expect(MachineTimes.parse("") == nil)
    }

    @Test func percentsSplitASpanIntoBusyAndStolen() {
        let before = MachineTimes(total: 1000, idle: 400, steal: 50)
        // 200 ticks later: 60 idle, 40 stolen, 100 running.
        let after = MachineTimes(total: 1200, idle: 460, steal: 90)
        let p = after.percents(since: before)
        #expect(p.busy == 50)
        #expect(p.steal == 20)
        #expect(before.percents(since: before) == (0, 0), "no time passed: nothing to say")
    }

    @Test func thisMachineIsReadableOnLinux() throws {
        #if os(Linux)
        let t = try #require(MachineTimes.now())
        #expect(t.total >= t.idle + t.steal)
        #endif
    }

    @Test func aRunWithAStolenShareOfTheMachineSaysSo() throws {
        var s = SwarmStats()
        s.machineStealPercent = 16.2
        let note = try #require(SwarmSummary.machineNote(s))
        #expect(note.contains("took 16% of the machine's time"))
        s.machineStealPercent = 3
        #expect(SwarmSummary.machineNote(s) == nil, "a few percent is noise, not worth a line")
    }
}
