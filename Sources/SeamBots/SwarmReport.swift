import Foundation
import Histogram

/// The JSON report of a swarm run; keys are documented in docs/BOTS.md.
public enum SwarmReport {
    public static func json(stats s: SwarmStats, config: SwarmConfig) -> [String: Any] {
        func pct(_ q: Double) -> UInt64 { s.rtt.percentileOrZero(q) }
        var behaviors: [String: Int] = [:]
        for (b, w) in config.behaviors.weights { behaviors[b.rawValue] = w }
        return [
            "seam_report": 2,
            "map": config.map.name,
            "zones": zones(s, config: config),
            "phases": s.phases.map(phase),
            "behaviors": behaviors,
            "seed": config.seed,
            "duration_s": round3(s.elapsed),
            "bots": [
                "target": s.target,
                "connected_peak": s.connectedPeak,
                "disconnects": s.disconnects,
                "connect_failures": s.connectFailures,
                "refused": s.refused,
            ],
            "rtt_ms": [
                "p50": pct(50), "p90": pct(90), "p99": pct(99), "max": s.rtt.max, "samples": s.rtt.totalCount,
            ],
            "bytes_in_per_bot_per_s": round3(s.bytesInPerBotPerSecond),
            "bytes_out_per_bot_per_s": round3(s.bytesOutPerBotPerSecond),
            "connected_bot_seconds": round3(s.connectedBotSeconds),
            "snapshot": [
                "bytes_mean": round3(s.snapshots > 0 ? Double(s.snapshotBytes) / Double(s.snapshots) : 0),
                "entities_mean": round3(s.snapshots > 0 ? Double(s.snapshotEntities) / Double(s.snapshots) : 0),
            ],
            "snapshots": [
                "received": s.snapshots,
                "per_bot_per_s": round3(s.connectedBotSeconds > 0 ? Double(s.snapshots) / s.connectedBotSeconds : 0),
                "bytes_mean": round3(s.snapshots > 0 ? Double(s.snapshotBytes) / Double(s.snapshots) : 0),
                "bytes_max": s.snapshotBytesMax,
                "entities_mean": round3(s.snapshots > 0 ? Double(s.snapshotEntities) / Double(s.snapshots) : 0),
                "deltas": s.deltaSnapshots,
                "delta_failures": s.deltaFailures,
                "ghosts": s.ghostSnapshots,
                "ghosts_skipped": s.ghostsSkipped,
                "malformed": s.malformedFromZone,
            ],
            "shots": [
                "fired": s.shotsFired, "confirmed": s.shotsConfirmed, "client_hits": s.clientHits,
                "client_hits_confirmed": s.clientHitsConfirmed,
                "confirmed_per_client_hit": round3(s.clientHits > 0 ? Double(s.clientHitsConfirmed) / Double(s.clientHits) : 0),
                "client_hits_void": [
                    "target_dead": s.clientHitsVoid[1, default: 0], "shooter_dead": s.clientHitsVoid[2, default: 0],
                    "target_in_handoff": s.clientHitsVoid[3, default: 0],
                ],
                // Agreement on the shots the zone could judge: neither side died in flight, no handoff.
                "confirmed_per_judged_client_hit": round3(s.clientHits - s.clientHitsVoidTotal > 0
                    ? Double(s.clientHitsConfirmed) / Double(s.clientHits - s.clientHitsVoidTotal) : 0),
                "border": [
                    "client_hits": s.borderClientHits, "client_hits_confirmed": s.borderClientHitsConfirmed,
                    "client_hits_void": s.borderClientHitsVoid,
                    "confirmed_per_judged_client_hit": round3(s.borderClientHits - s.borderClientHitsVoid > 0
                        ? Double(s.borderClientHitsConfirmed) / Double(s.borderClientHits - s.borderClientHitsVoid) : 0),
                    "confirmed_per_client_hit": round3(s.borderClientHits > 0 ? Double(s.borderClientHitsConfirmed) / Double(s.borderClientHits) : 0),
                ],
            ],
            "handoffs": [
                "count": s.handoffs,
                "failed": s.handoffsFailed,
                "per_second": round3(s.handoffsPerSecond),
                "per_second_max": round3(s.handoffsPerSecondMax),
                "gap_ms": milliseconds(s.handoffGap).merging(["samples": s.handoffGap.totalCount]) { $1 },
                "longest_gap": named(s.longestHandoffGap),
                "stalls": s.stalls,
                "long_stalls": s.longStalls,
                "misdirected": s.misdirected,
                "standbys": [
                    "opened": s.standbysOpened, "attached": s.standbysAttached,
                    "refused": s.standbysRefused, "lost": s.standbysLost, "replaced": s.standbysReplaced,
                    "attach_ms": milliseconds(s.standbyAttach),
                    "connect_ms": milliseconds(s.standbyConnect),
                    "slowest_attach": named(s.slowestStandbyAttach),
                ] as [String: Any],
            ],
            "kills": s.kills,
            "deaths": s.deaths,
            "coins_picked": s.coinsPicked,
            "swarm": [
                "cpu_s": round3(s.cpuSeconds),
                "cpu_percent": round3(s.elapsed > 0 ? s.cpuSeconds / s.elapsed * 100 : 0),
                "resident_mib": round3(s.residentMiB),
                "hosts": config.hostCount,
                "threads": config.threads,
                "ticks": s.ticks,
                "ticks_per_s": round3(s.ticksPerSecond),
                "ticks_skipped": s.ticksSkipped,
                "tick_late_ms": milliseconds(s.tickLateness),
            ] as [String: Any],
            "machine": [
                "cpus": ProcessInfo.processInfo.activeProcessorCount,
                "busy_percent": round3(s.machineBusyPercent),
                "steal_percent": round3(s.machineStealPercent),
            ] as [String: Any],
        ]
    }

    /// A histogram of milliseconds as the report gives it: p50, p99 and max (0 when empty).
    static func milliseconds(_ h: Histogram<UInt64>) -> [String: Any] {
        ["p50": h.percentileOrZero(50), "p99": h.percentileOrZero(99),
         "max": h.max]
    }

    /// A gap or wait with what finds it in the journals (`ms`, `player`, `zone`, `at_s`, and for a handoff
    /// gap `before_owner_ms`), null when none.
    static func named(_ g: LongestGap?) -> Any {
        g.map { g in
            var named: [String: Any] = ["ms": g.ms, "player": g.player, "zone": g.zone, "at_s": round3(g.atSecond)]
            if let before = g.beforeOwnerMs { named["before_owner_ms"] = before }
            return named
        } ?? NSNull()
    }

    /// The zones the bots were sent to, in map order, with what their ZoneStatus messages said.
    static func zones(_ s: SwarmStats, config: SwarmConfig) -> [[String: Any]] {
        let used = Set(config.targets.map(\.zone.index))
        return s.zones.filter { used.contains($0.index) || $0.latest != nil }.map { z in
            [
                "zone": z.id,
                "players_last": Int(z.latest?.players ?? 0),
                "players_peak": z.playersPeak,
                "tick_ms": [
                    "p50": round3(Double(z.runTickP50Micros) / 1000),
                    "p99": round3(Double(z.runTickP99Micros) / 1000),
                    "second_max_p99": round3(Double(z.runSecondMaxP99Micros) / 1000),
                    "max": round3(Double(z.tickMaxMicros) / 1000),
                    "ticks": z.tickWork.totalCount,
                    "samples": z.reports,
                ],
                "degrading_s": z.degradingReports,
            ] as [String: Any]
        }
    }

    static func phase(_ p: PhaseStats) -> [String: Any] {
        let c = p.counts
        return [
            "index": p.index + 1,
            "behaviors": p.behaviors,
            "start_s": round3(p.start),
            "duration_s": round3(p.seconds),
            "handoffs": c.handoffs,
            "handoffs_per_second": round3(p.seconds > 0 ? Double(c.handoffs) / p.seconds : 0),
            "handoffs_failed": c.handoffsFailed,
            "disconnects": c.disconnects,
            "shots_fired": c.shotsFired,
            "shots_confirmed": c.shotsConfirmed,
            "kills": c.kills,
            "coins_picked": c.coinsPicked,
            "rtt_ms": ["p50": p.rtt.percentileOrZero(50),
                       "p99": p.rtt.percentileOrZero(99)],
            "zone_tick_p99_ms": [
                "p99": round3(Double(p.zoneTickWork.percentileOrZero(99)) / 1000),
                "max": round3(Double(p.worstZone?.micros ?? 0) / 1000),
                "max_zone": p.worstZone?.id ?? "",
            ] as [String: Any],
        ]
    }

    /// Writes the report, pretty-printed with sorted keys.
    public static func write(stats: SwarmStats, config: SwarmConfig, to path: String) throws {
        let data = try JSONSerialization.data(
            withJSONObject: json(stats: stats, config: config), options: [.prettyPrinted, .sortedKeys])
        try data.write(to: URL(fileURLWithPath: path))
    }

    private static func round3(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
}
