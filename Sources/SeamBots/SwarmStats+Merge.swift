import Histogram

extension SwarmStats {
    /// The stats of a swarm run on several threads, from each thread's own (`SwarmThreads`): what each thread
    /// counted adds up; maxima are the largest; what the whole process or machine measures (CPU, memory) is the same
    /// figure in every part and is taken once; the swarm's pace is its slowest thread's.
    ///
    /// Zone reports reach every thread that has a bot in the zone, and each thread keeps its own copy of them:
    /// a zone's figures, and a phase's zone figures, are those of the thread that heard most reports.
    public static func merged(_ parts: [SwarmStats]) -> SwarmStats {
        guard var total = parts.first else { return SwarmStats() }
        for s in parts.dropFirst() {
            for counter in SwarmStats.summedCounters { total[keyPath: counter] += s[keyPath: counter] }
            total.refused.merge(s.refused, uniquingKeysWith: +)
            total.clientHitsVoid.merge(s.clientHitsVoid, uniquingKeysWith: +)
            total.snapshotBytesMax = max(total.snapshotBytesMax, s.snapshotBytesMax)
            total.handoffGap.add(s.handoffGap)
            total.longestHandoffGap = longer(total.longestHandoffGap, s.longestHandoffGap)
            total.standbyAttach.add(s.standbyAttach)
            total.slowestStandbyAttach = longer(total.slowestStandbyAttach, s.slowestStandbyAttach)
            total.standbyConnect.add(s.standbyConnect)
            total.bytesIn += s.bytesIn
            total.bytesOut += s.bytesOut
            total.connectedBotSeconds += s.connectedBotSeconds
            total.elapsed = max(total.elapsed, s.elapsed)
            total.playSeconds = max(total.playSeconds, s.playSeconds)
            total.rtt.add(s.rtt)
            // Each thread's last second; the busiest second of the whole is `SwarmThreads`' to keep.
            total.handoffsPerSecondNow += s.handoffsPerSecondNow
            // The process's own figures: every thread read the same ones.
            total.cpuPercentNow = max(total.cpuPercentNow, s.cpuPercentNow)
            total.cpuSeconds = max(total.cpuSeconds, s.cpuSeconds)
            total.residentMiB = max(total.residentMiB, s.residentMiB)
            total.machineBusyPercentNow = max(total.machineBusyPercentNow, s.machineBusyPercentNow)
            total.machineStealPercentNow = max(total.machineStealPercentNow, s.machineStealPercentNow)
            total.machineBusyPercent = max(total.machineBusyPercent, s.machineBusyPercent)
            total.machineStealPercent = max(total.machineStealPercent, s.machineStealPercent)
            // The pace of the slowest thread.
            total.ticks = min(total.ticks, s.ticks)
            total.ticksSkipped = max(total.ticksSkipped, s.ticksSkipped)
            total.ticksPerSecondNow = min(total.ticksPerSecondNow, s.ticksPerSecondNow)
            total.tickLateness.add(s.tickLateness)
            for z in total.zones.indices where z < s.zones.count && s.zones[z].reports > total.zones[z].reports {
                total.zones[z] = s.zones[z]
            }
            total.phases = mergedPhases(total.phases, s.phases)
        }
        // Per-bot rates over every thread's bots.
        let playing = parts.reduce(0) { $0 + $1.connected }
        if playing > 0 {
            total.bytesInPerBotPerSecondNow = parts.reduce(0) { $0 + $1.bytesInPerBotPerSecondNow * Double($1.connected) } / Double(playing)
            total.bytesOutPerBotPerSecondNow = parts.reduce(0) { $0 + $1.bytesOutPerBotPerSecondNow * Double($1.connected) } / Double(playing)
        }
        return total
    }

    /// What each thread counts of its own bots, added up.
    static let summedCounters: [WritableKeyPath<SwarmStats, Int> & Sendable] = [
        \.target, \.connected, \.connectedPeak, \.disconnects, \.connectFailures, \.shotsFired, \.shotsConfirmed,
        \.clientHits, \.clientHitsConfirmed, \.borderClientHits, \.borderClientHitsConfirmed, \.borderClientHitsVoid,
        \.kills, \.deaths, \.coinsPicked, \.snapshots, \.snapshotBytes, \.snapshotEntities, \.deltaSnapshots,
        \.deltaFailures, \.ghostsSkipped, \.ghostSnapshots, \.malformedFromZone, \.handoffs, \.handoffsFailed,
        \.standbysOpened, \.standbysAttached, \.standbysRefused, \.standbysLost, \.standbysReplaced, \.stalls, \.longStalls, \.misdirected,
    ]

    private static func longer(_ a: LongestGap?, _ b: LongestGap?) -> LongestGap? {
        guard let b else { return a }
        guard let a else { return b }
        return b.ms > a.ms ? b : a
    }

    /// Phase by phase: counters add, RTT samples add, the zone figures of the part that heard most; a phase
    /// one thread has entered and another not yet is taken as the one thread has it.
    private static func mergedPhases(_ a: [PhaseStats], _ b: [PhaseStats]) -> [PhaseStats] {
        var merged: [PhaseStats] = []
        for p in 0..<max(a.count, b.count) {
            guard p < a.count else { merged.append(b[p]); continue }
            guard p < b.count else { merged.append(a[p]); continue }
            var phase = a[p]
            phase.end = max(a[p].end, b[p].end)
            phase.atStart = a[p].atStart + b[p].atStart
            phase.atEnd = a[p].atEnd + b[p].atEnd
            phase.rtt.add(b[p].rtt)
            if b[p].zoneTickWork.totalCount > a[p].zoneTickWork.totalCount {
                phase.zoneTickWork = b[p].zoneTickWork
                phase.worstZone = b[p].worstZone
            }
            merged.append(phase)
        }
        return merged
    }
}

extension SwarmTally {
    public static func + (a: SwarmTally, b: SwarmTally) -> SwarmTally {
        var t = SwarmTally()
        t.handoffs = a.handoffs + b.handoffs
        t.handoffsFailed = a.handoffsFailed + b.handoffsFailed
        t.shotsFired = a.shotsFired + b.shotsFired
        t.shotsConfirmed = a.shotsConfirmed + b.shotsConfirmed
        t.kills = a.kills + b.kills
        t.coinsPicked = a.coinsPicked + b.coinsPicked
        t.disconnects = a.disconnects + b.disconnects
        t.snapshots = a.snapshots + b.snapshots
        return t
    }
}
