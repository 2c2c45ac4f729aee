import SeamProtocol

extension Swarm {
    /// Ends the running phase at `elapsed` seconds and starts phase `index`: every bot takes its behaviour of
    /// the new phase (`PhasePlan`) and forgets what it was heading for.
    func enterPhase(_ index: Int, at elapsed: Double) {
        closePhase(at: elapsed)
        let behaviors = plan.behaviors(ofPhase: index, count: config.count, seed: config.seed)
        for i in bots.indices {
            bots[i].behavior = behaviors[bots[i].index]
            bots[i].target = nil
            bots[i].bestDistance = .infinity
            bots[i].danceOut = true
        }
        stats.phases.append(PhaseStats(index: index, behaviors: plan.phases[index].behaviors.description,
                                       start: elapsed, tally: stats.tally))
    }

    /// Brings the running phase's end and counters up to now.
    func closePhase(at elapsed: Double) {
        let last = stats.phases.count - 1
        stats.phases[last].end = elapsed
        stats.phases[last].atEnd = stats.tally
    }

    /// A ZoneStatus message: the first copy of each report feeds the zone's figures and the running phase's.
    func noteZoneStatus(_ report: ZoneStatusReport) {
        let z = Int(report.zoneIndex)
        guard stats.zones.indices.contains(z), stats.zones[z].note(report, at: Double(nowNanos &- runStartNanos) / 1e9) else { return }
        let last = stats.phases.count - 1
        for t in report.tickMicros { stats.phases[last].zoneTickWork.record(UInt64(t)) }
        let p99 = report.tickP99Micros
        if p99 > stats.phases[last].worstZone?.micros ?? 0 { stats.phases[last].worstZone = (stats.zones[z].id, p99) }
    }
}
