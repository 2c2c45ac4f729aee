import SeamNet
import SeamProtocol
import SeamSimulation

/// A shot's unique id: the shooter and the sequence number of the input that fired.
struct ShotID: Hashable {
    var shooter: UInt32
    var shot: UInt32

    init(_ hit: RemoteHit) {
        shooter = hit.shooter
        shot = hit.shot
    }
}

/// Cross-border hits (DESIGN §6): a shot fired here that hits a ghost is judged here, then sent to the
/// target's owner, which applies it once and answers once; a kill is credited back to the shooter once.
/// A target handed over meanwhile is followed (at most `RemoteHit.maximumHops` times) or refused with a
/// logged reason; the answer always goes back along the way the hit came.
extension ZoneServer {
    /// A shot fired here hit the ghost `target`: send it to the neighbour that ghosts it.
    func forwardHit(shooter: UInt32, target: UInt32, shot: UInt32, damage: Int) {
        guard let to = ghostOwner[target]?.zone, links[to]?.up == true else {
            return  // the ghost's link went down: the shot simply missed
        }
        let hit = RemoteHit(shooter: shooter, shot: shot, target: target, damage: UInt8(clamping: damage),
                            origin: UInt16(config.zone.index))
        forwardedHits[ShotID(hit)] = (hit, to, simulation.tick)
        counters.remoteHitsForwarded += 1
        journal(.hitForward(shooter: shooter, target: target, shot: shot, to: links[to]!.zone.id))
        sendLink(.hit(hit), to: to)
    }

    /// A neighbour's shot hit a player it sees as a ghost of ours.
    func receiveRemoteHit(_ hit: RemoteHit, from index: Int) {
        let id = ShotID(hit)
        guard answeredHits[id] == nil, relayedHits[id] == nil else {
            counters.remoteHitDuplicates += 1
            return
        }
        if owned[hit.target] == nil, let next = handedOff[hit.target], next != index, hit.hops < RemoteHit.maximumHops,
            links[next]?.up == true
        {
            // Handed over since the shooter saw it: follow it once more, and bring the answer back.
            var onward = hit
            onward.hops += 1
            relayedHits[id] = (index, simulation.tick)
            counters.remoteHitsPassedOn += 1
            sendLink(.hit(onward), to: next)
            return
        }
        answeredHits[id] = simulation.tick
        let result = simulation.applyRemoteHit(shooter: hit.shooter, target: hit.target, shot: hit.shot, origin: hit.origin)
        let outcome = result.outcome
        if outcome == .applied || outcome == .killed {
            counters.remoteHitsApplied += 1
            // Journal and tell the target now, in this tick, as the local hits of the tick were.
            dispatchSimulationEvents()
        } else {
            counters.remoteHitsRefused += 1
        }
        sendLink(.hitResult(hit, outcome: outcome, health: UInt8(clamping: result.health)), to: index)
    }

    /// The answer to a hit: relay it back toward the shooter's zone, or credit the shooter here.
    func receiveHitResult(_ hit: RemoteHit, outcome: HitOutcome, health: UInt8, from index: Int) {
        let id = ShotID(hit)
        if let relay = relayedHits.removeValue(forKey: id) {
            sendLink(.hitResult(hit, outcome: outcome, health: health), to: relay.back)
            return
        }
        forwardedHits[id] = nil
        guard creditedHits[id] == nil else {
            counters.remoteHitDuplicates += 1
            return
        }
        if owned[hit.shooter] == nil, let next = handedOff[hit.shooter], hit.hops < RemoteHit.maximumHops,
            links[next]?.up == true
        {
            // The shooter was handed over meanwhile: its credit follows it.
            var onward = hit
            onward.hops += 1
            counters.remoteHitsPassedOn += 1
            sendLink(.hitResult(onward, outcome: outcome, health: health), to: next)
            return
        }
        creditedHits[id] = simulation.tick
        let from = links[index]?.zone.id ?? "?"
        if outcome == .notOwned, owned[hit.target] != nil, answeredHits[id] == nil {
            // The target was handed over to this zone while the hit was on its way: apply it here, once.
            answeredHits[id] = simulation.tick
            let late = simulation.applyRemoteHit(shooter: hit.shooter, target: hit.target, shot: hit.shot, origin: owned[hit.shooter] != nil ? nil : UInt16(config.zone.index))
            journal(.hitResult(shooter: hit.shooter, target: hit.target, shot: hit.shot,
                               outcome: "handed over here: \(late.outcome.name)", from: from))
            if late.outcome == .applied || late.outcome == .killed {
                counters.remoteHitsApplied += 1
                dispatchSimulationEvents()  // journals the hit, confirms it and credits a kill, as a local shot
            } else if owned[hit.shooter] != nil {
                post(.shotVoid(shot: hit.shot, reason: late.outcome == .dead ? .targetDead : .targetInHandoff), to: hit.shooter)
            }
            return
        }
        journal(.hitResult(shooter: hit.shooter, target: hit.target, shot: hit.shot,
                           outcome: owned[hit.shooter] == nil && outcome == .killed ? "killed, shooter gone" : outcome.name,
                           from: from))
        guard owned[hit.shooter] != nil else { return }
        switch outcome {
        case .dead: post(.shotVoid(shot: hit.shot, reason: .targetDead), to: hit.shooter)
        case .inHandoff, .notOwned: post(.shotVoid(shot: hit.shot, reason: .targetInHandoff), to: hit.shooter)
        case .applied, .killed: break
        }
        guard outcome == .applied || outcome == .killed else { return }
        post(.hitConfirmed(shot: hit.shot, target: hit.target, damage: hit.damage), to: hit.shooter)
        if outcome == .killed, simulation.creditKill(hit.shooter) {
            post(.killCredited(victim: hit.target), to: hit.shooter)
        }
    }

    /// Once a second: forwarded hits unanswered for 5 s are journaled as timed out (their link went down);
    /// shot ids older than 10 s are forgotten.
    func expireRemoteHits() {
        let tick = simulation.tick
        let rate = UInt64(config.simulation.tickRate)
        for (id, f) in forwardedHits where tick >= f.tick + 5 * rate {
            forwardedHits[id] = nil
            creditedHits[id] = tick
            counters.remoteHitsTimedOut += 1
            journal(.hitResult(shooter: id.shooter, target: f.hit.target, shot: id.shot, outcome: "timeout",
                               from: links[f.to]?.zone.id ?? "?"))
        }
        answeredHits = answeredHits.filter { tick < $0.value + 10 * rate }
        creditedHits = creditedHits.filter { tick < $0.value + 10 * rate }
        relayedHits = relayedHits.filter { tick < $0.value.tick + 10 * rate }
        ghostOwner = ghostOwner.filter { tick < $0.value.tick + 2 * rate }
    }
}
