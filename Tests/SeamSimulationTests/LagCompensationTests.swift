import SeamProtocol
import SeamSimulation
import SeamWorld
import Testing

/// History, rewind window and rewound shots, all in virtual time: ticks are stepped by hand.
@Suite struct LagCompensationTests {
    // MARK: History

    @Test func historyInterpolatesBetweenTicks() {
        var h = PositionHistory()
        h.record(7, at: Vec2(x: 0, y: 0), alive: true, tick: 10)
        h.record(7, at: Vec2(x: 0.5, y: 1), alive: true, tick: 11)
        #expect(h.position(of: 7, at: 10)?.position == Vec2(x: 0, y: 0))
        #expect(h.position(of: 7, at: 10.25)?.position == Vec2(x: 0.125, y: 0.25))
        #expect(h.position(of: 7, at: 10.75)?.position == Vec2(x: 0.375, y: 0.75))
        #expect(h.position(of: 7, at: 11)?.position == Vec2(x: 0.5, y: 1))
        // Past the newest tick: the newest alone. Before the first: nothing was seen then.
        #expect(h.position(of: 7, at: 11.5)?.position == Vec2(x: 0.5, y: 1))
        #expect(h.position(of: 7, at: 9) == nil)
        #expect(h.position(of: 8, at: 10) == nil)
    }

    @Test func historyForgetsWhatIsOlderThanItsDepthAndReusesSlots() {
        var h = PositionHistory()
        for t in UInt64(1)...100 {
            h.record(1, at: Vec2(x: Double(t), y: 0), alive: true, tick: t)
            if t <= 5 { h.record(2, at: Vec2(x: 0, y: Double(t)), alive: true, tick: t) }
            h.prune(now: t)
        }
        let oldest = 100 - UInt64(PositionHistory.depth) + 1
        #expect(h.sample(1, tick: oldest)?.position == Vec2(x: Double(oldest), y: 0))
        #expect(h.sample(1, tick: oldest - 1) == nil)
        // Player 2 vanished at tick 5: its slot was freed, and a newcomer does not inherit its samples.
        #expect(h.tracked == 1)
        h.record(3, at: Vec2(x: 9, y: 9), alive: true, tick: 101)
        #expect(h.sample(3, tick: 5) == nil && h.sample(2, tick: 5) == nil)
        #expect(h.position(of: 3, at: 101)?.position == Vec2(x: 9, y: 9))
    }

    // MARK: Window

    @Test func claimsInsideTheWindowAreTrusted() {
        let policy = RewindPolicy(interpolationTicks: 2, maxRewindTicks: 10)
        // Round trip 3 ticks: estimate 3 + 2 = 5 ticks back, trusted within 1.5 + 2 of it: 1.5 to 8.5 back.
        let rtt = 3.0
        #expect(policy.judgeTime(now: 100, claim: 95.5, roundTripTicks: rtt) == (95.5, .trusted))
        #expect(policy.judgeTime(now: 100, claim: 91.5, roundTripTicks: rtt) == (91.5, .trusted))
        #expect(policy.judgeTime(now: 100, claim: 98.5, roundTripTicks: rtt) == (98.5, .trusted))
        #expect(policy.judgeTime(now: 100, claim: nil, roundTripTicks: rtt) == (95, .estimated))
    }

    @Test func claimsOutsideTheWindowAreClampedToItsEdges() {
        let policy = RewindPolicy(interpolationTicks: 2, maxRewindTicks: 10)
        // Claiming to have seen older news (a bigger rewind) than the link explains: clamped to 8.5 back.
        #expect(policy.judgeTime(now: 100, claim: 90, roundTripTicks: 3) == (91.5, .clamped))
        // Claiming a view fresher than possible, or from the future: clamped to 1.5 back.
        #expect(policy.judgeTime(now: 100, claim: 99, roundTripTicks: 3) == (98.5, .clamped))
        #expect(policy.judgeTime(now: 100, claim: 250, roundTripTicks: 3) == (98.5, .clamped))
    }

    @Test func theMaximumRewindIsNeverExceeded() {
        let policy = RewindPolicy(interpolationTicks: 2, maxRewindTicks: 4)
        // A 20-tick round trip would trust 12 to 32 ticks back: everything is held at 4.
        for claim: Double? in [nil, 60, 70, 85, 96, 99.9] {
            let judged = policy.judgeTime(now: 100, claim: claim, roundTripTicks: 20)
            #expect(judged.time == 96)
            #expect(100 - judged.time <= 4)
        }
        // The maximum is capped by what the history keeps.
        #expect(RewindPolicy(maxRewindTicks: 1000).maxRewindTicks == Double(PositionHistory.depth - 1))
    }

    // MARK: Shots

    /// Range map: shooter 1 at (1.5, 1.5), target 2 at (14.5, 1.5) on an open row; players 3 and 4 on row 3
    /// with a wall at x = 7 between them. The target leaves the shooter's line at tick 3.
    func scene(lagCompensation: Bool, maxRewindTicks: Double = 10) throws -> ZoneSimulation {
        var config = SimulationConfig()
        config.lagCompensation = lagCompensation
        config.rewind = RewindPolicy(interpolationTicks: 2, maxRewindTicks: maxRewindTicks)
        var sim = try simulation(Maps.range, config: config)
        for id: UInt32 in 1...4 { sim.addPlayer(id: id, name: "p\(id)") }
        sim.step()  // tick 1: target in line
        sim.step()  // tick 2
        sim.teleport(2, by: Vec2(x: 0, y: 3))
        sim.step()  // tick 3: target out of line, at (14.5, 4.5)
        _ = sim.drainEvents()
        return sim
    }

    func fireEast(_ sim: inout ZoneSimulation, shooter: UInt32, seenAt view: Double?, sequence: UInt32 = 1) -> [SimEvent] {
        let whole = view.map { $0.rounded(.down) } ?? 0
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire, viewTick: UInt32(whole),
                               viewFraction: UInt8(((view ?? 0) - whole) * 256)), sequence: sequence, to: shooter)
        sim.step()
        return sim.drainEvents().filter { if case .hit = $0 { true } else { false } }
    }

    @Test func aShotIsJudgedWhereTheShooterSawTheTarget() throws {
        var sim = try scene(lagCompensation: true)
        // Fired at tick 4 by a client who saw tick 1.5 (2.5 ticks back, inside the window of a 0 round trip).
        #expect(fireEast(&sim, shooter: 1, seenAt: 1.5) == [.hit(shooter: 1, target: 2, shot: 1, damage: 25, health: 75)])
        #expect(sim.rewindStats.trusted == 1)
    }

    @Test func withoutLagCompensationTheSameShotMisses() throws {
        var sim = try scene(lagCompensation: false)
        #expect(fireEast(&sim, shooter: 1, seenAt: 1.5) == [])
        #expect(sim.rewindStats.shots == 0)
    }

    @Test func aViewAfterTheTargetLeftMisses() throws {
        var sim = try scene(lagCompensation: true)
        // Seen at tick 3.0: the target had already left the line.
        #expect(fireEast(&sim, shooter: 1, seenAt: 3) == [])
    }

    @Test func theMaximumRewindHoldsInAShot() throws {
        // Allowed 1 tick back only: a claim of tick 1.5 is judged at tick 3, when the target was gone.
        var sim = try scene(lagCompensation: true, maxRewindTicks: 1)
        #expect(fireEast(&sim, shooter: 1, seenAt: 1.5) == [])
        #expect(sim.rewindStats.clamped == 1)
    }

    @Test func wallsBlockRewoundShots() throws {
        var sim = try scene(lagCompensation: true)
        // Player 4 stood at (14.5, 3.5) all along, in line with player 3 but behind the wall at x = 7.
        #expect(sim.player(3)!.position.y == sim.player(4)!.position.y)
        #expect(fireEast(&sim, shooter: 3, seenAt: 1.5) == [])
    }

    @Test func aRewoundGhostIsAHitForItsOwner() throws {
        var config = SimulationConfig()
        config.rewind = RewindPolicy(interpolationTicks: 2, maxRewindTicks: 10)
        var sim = try simulation(Maps.range, config: config)
        sim.addPlayer(id: 1, name: "shooter")
        sim.ghosts = [GhostState(id: 99, position: Vec2(x: 12.5, y: 1.5), velocity: .zero, health: 100, alive: true)]
        sim.step()
        sim.step()
        sim.ghosts[0].position = Vec2(x: 12.5, y: 5.5)
        sim.step()
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire, viewTick: 2), sequence: 7, to: 1)
        sim.step()
        #expect(sim.drainEvents() == [.ghostHit(shooter: 1, target: 99, shot: 7, damage: 25)])
    }

    // MARK: Hits from other zones

    @Test func aForwardedHitIsAppliedOrRefusedWithAReason() throws {
        var sim = try simulation(Maps.range)
        sim.addPlayer(id: 5, name: "target")
        var r = sim.applyRemoteHit(shooter: 900, target: 5, shot: 1, origin: 2)
        #expect(r.outcome == .applied && r.health == 75)
        #expect(sim.drainEvents() == [.hit(shooter: 900, target: 5, shot: 1, damage: 25, health: 75, origin: 2)])
        #expect(sim.applyRemoteHit(shooter: 900, target: 6, shot: 2, origin: 2).outcome == .notOwned)
        sim.setFrozen(true, player: 5)
        #expect(sim.applyRemoteHit(shooter: 900, target: 5, shot: 3, origin: 2).outcome == .inHandoff)
        sim.setFrozen(false, player: 5)
        for shot: UInt32 in 4...6 { _ = sim.applyRemoteHit(shooter: 900, target: 5, shot: shot, origin: 2) }
        // The fourth hit killed: no local shooter is credited here (the credit goes back to zone 2).
        let events = sim.drainEvents()
        #expect(events.contains(.kill(killer: 900, victim: 5, shot: 6, origin: 2)))
        r = sim.applyRemoteHit(shooter: 900, target: 5, shot: 7, origin: 2)
        #expect(r.outcome == .dead)
        #expect(sim.creditKill(5) && !sim.creditKill(900))
        #expect(sim.player(5)!.kills == 1)
    }
}

/// What a shot that cannot count says, and jumps that are never interpolated.
@Suite struct VoidShotTests {
    func scene() throws -> ZoneSimulation {
        var sim = try simulation(Maps.range)
        for id: UInt32 in 1...2 { sim.addPlayer(id: id, name: "p\(id)") }
        sim.step()
        sim.step()
        _ = sim.drainEvents()
        return sim
    }

    func kill(_ id: UInt32, in sim: inout ZoneSimulation) {
        for shot: UInt32 in 1...4 { _ = sim.applyRemoteHit(shooter: 900, target: id, shot: shot, origin: 9) }
        _ = sim.drainEvents()
    }

    @Test func aTargetThatDiedSinceTheViewMakesTheShotVoid() throws {
        var sim = try scene()
        kill(2, in: &sim)
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire, viewTick: 1), sequence: 3, to: 1)
        sim.step()
        #expect(sim.drainEvents() == [.shotVoid(shooter: 1, shot: 3, reason: .targetDead)])
        #expect(sim.rewindStats.targetDeadNow == 1)
    }

    @Test func aShooterThatDiedBeforeItsInputArrivedFiresNothing() throws {
        var sim = try scene()
        kill(1, in: &sim)
        sim.apply(InputCommand(aim: 0, buttons: InputCommand.fire, viewTick: 1), sequence: 3, to: 1)
        sim.step()
        #expect(sim.drainEvents() == [.shotVoid(shooter: 1, shot: 3, reason: .shooterDead)])
        #expect(sim.player(2)!.health == 100)
        // The same input applied again stays void once.
        sim.step()
        #expect(sim.drainEvents().isEmpty)
    }

    @Test func aJumpIsNotInterpolated() {
        var h = PositionHistory()
        h.record(4, at: Vec2(x: 10, y: 10), alive: false, tick: 20)
        h.record(4, at: Vec2(x: 2, y: 2), alive: true, tick: 21)
        let then = h.position(of: 4, at: 20.5)
        #expect(then?.position == Vec2(x: 2, y: 2) && then?.alive == true)
        h.record(5, at: Vec2(x: 10, y: 10), alive: true, tick: 20)
        h.record(5, at: Vec2(x: 10.3, y: 10), alive: true, tick: 21)
        #expect(abs(h.position(of: 5, at: 20.5)!.position.x - 10.15) < 1e-12)
    }
}
