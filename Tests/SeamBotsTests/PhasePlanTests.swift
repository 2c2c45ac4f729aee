import SeamBots
import Testing

/// Phases switch behaviours at their boundaries, deterministically from the seed; no sockets.
@Suite struct PhasePlanTests {
    func mix(_ text: String) throws -> BehaviorMix { try BehaviorMix(parsing: text) }

    func plan() throws -> PhasePlan {
        PhasePlan(phases: [
            SwarmPhase(duration: 60, behaviors: try mix("wander=70,coin-rush=20,fight=10")),
            SwarmPhase(duration: 120, behaviors: try mix("hotspot")),
            SwarmPhase(duration: 30, behaviors: try mix("border-dance=50,wander=50")),
        ])
    }

    @Test func phasesStartWhereThePreviousEnd() throws {
        let p = try plan()
        #expect(p.starts == [0, 60, 180])
        #expect(p.duration == 210)
        #expect([0, 59.99, 60, 179.9, 180, 209, 500].map { p.phase(at: $0) } == [0, 0, 1, 1, 2, 2, 2])
    }

    @Test func eachPhaseAssignsItsMixExactly() throws {
        let p = try plan()
        let first = p.behaviors(ofPhase: 0, count: 1000, seed: 3)
        #expect(first.filter { $0 == .wander }.count == 700)
        #expect(first.filter { $0 == .coinRush }.count == 200)
        #expect(first.filter { $0 == .fight }.count == 100)
        #expect(p.behaviors(ofPhase: 1, count: 1000, seed: 3).allSatisfy { $0 == .hotspot })
        let last = p.behaviors(ofPhase: 2, count: 7, seed: 3)
        #expect(last.filter { $0 == .borderDance }.count + last.filter { $0 == .wander }.count == 7)
        #expect(abs(last.filter { $0 == .borderDance }.count - last.filter { $0 == .wander }.count) == 1)
    }

    @Test func theSameSeedGivesTheSameBehavioursAndAnotherSeedOthers() throws {
        let p = try plan()
        for phase in 0..<3 {
            #expect(p.behaviors(ofPhase: phase, count: 500, seed: 9) == p.behaviors(ofPhase: phase, count: 500, seed: 9))
        }
        #expect(p.behaviors(ofPhase: 0, count: 500, seed: 9) != p.behaviors(ofPhase: 0, count: 500, seed: 10))
        #expect(p.behaviors(ofPhase: 2, count: 500, seed: 9) != p.behaviors(ofPhase: 2, count: 500, seed: 10))
    }

    @Test func phasesWithTheSameMixShuffleAnew() throws {
        let m = try mix("wander=50,fight=50")
        let p = PhasePlan(phases: [SwarmPhase(duration: 1, behaviors: m), SwarmPhase(duration: 1, behaviors: m)])
        #expect(p.behaviors(ofPhase: 0, count: 200, seed: 1) != p.behaviors(ofPhase: 1, count: 200, seed: 1))
    }

    @Test func withoutPhasesTheRunIsOnePhaseAssignedAsBefore() throws {
        let m = try mix("wander=70,fight=30")
        let map = try BotTestMap.map()
        var config = SwarmConfig(map: map, targets: [], count: 100, behaviors: m)
        config.duration = 42
        config.seed = 5
        let p = PhasePlan(config: config)
        #expect(p.phases.count == 1)
        #expect(p.duration == 42)
        #expect(p.behaviors(ofPhase: 0, count: 100, seed: 5) == m.assign(count: 100, seed: 5))
    }
}
