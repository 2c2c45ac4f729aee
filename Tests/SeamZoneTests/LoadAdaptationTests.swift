import Logging
import SeamNet
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// Under load a zone first refreshes far entities less, then sends each client a snapshot every other tick,
/// then carries fewer entities, then sends a snapshot every third tick; it recovers in the opposite order.
@Suite struct LoadAdaptationTests {
    func makeZone(tickBudget: Double = 0.6) throws -> ZoneServer {
        let map = try GameMap.load(path: SeamProcess.mapPath("duel"))
        var config = ZoneConfig(map: map, zone: try #require(map.zone(id: "west")),
                                bind: try NetAddress(resolving: "127.0.0.1", port: 0))
        config.tickBudget = tickBudget
        return try ZoneServer(config: config, logger: Logger(label: "test"))
    }

    /// `--tick-budget 30`: a zone sharing few cores degrades at 40% of the period (the default does not)
    /// and recovers only under 17.5%.
    @Test func aLowerTickBudgetDegradesSoonerAndRecoversLater() throws {
        let period = try makeZone().worldClock.tickNanos
        let relaxed = try makeZone(), frugal = try makeZone(tickBudget: 0.3)
        relaxed.adaptLoad(workNanos: period * 4 / 10)
        frugal.adaptLoad(workNanos: period * 4 / 10)
        #expect(relaxed.isLoadNormal)
        #expect(frugal.updateBudget == 80)
        frugal.adaptLoad(workNanos: period / 5)
        #expect(frugal.updateBudget == 80, "20% is not calm enough for a 30% budget")
        frugal.adaptLoad(workNanos: period / 10)
        #expect(frugal.isLoadNormal)
    }

    @Test func farUpdatesShrinkBeforeTheEntityLimitAndComeBackAfterIt() throws {
        let zone = try makeZone()
        let period = zone.worldClock.tickNanos
        let busy = period * 9 / 10, calm = period / 10
        #expect(zone.updateBudget == 160 && zone.entityLimit == 128)

        zone.adaptLoad(workNanos: busy)
        #expect(zone.updateBudget == 80 && zone.entityLimit == 128, "far updates first")
        zone.adaptLoad(workNanos: busy)
        #expect(zone.updateBudget == 40 && zone.entityLimit == 128 && zone.snapshotInterval == 1)
        zone.adaptLoad(workNanos: busy)
        #expect(zone.snapshotInterval == 2 && zone.entityLimit == 128, "then the snapshot rate")
        zone.adaptLoad(workNanos: busy)
        #expect(zone.updateBudget == 40 && zone.snapshotInterval == 2 && zone.entityLimit < 128, "then the entity limit")
        for _ in 0..<8 { zone.adaptLoad(workNanos: busy) }
        #expect(zone.entityLimit == 16 && zone.snapshotInterval == 2, "the entity limit down to its floor at half rate")
        zone.adaptLoad(workNanos: busy)
        #expect(zone.entityLimit == 16 && zone.snapshotInterval == 3, "last, a third of the rate")
        for _ in 0..<30 { zone.adaptLoad(workNanos: busy) }
        #expect(zone.entityLimit == 16 && zone.snapshotInterval == 3, "never below 16, never below a third of the rate")
        // 2 steps of far updates, 1 of rate, 128 → 102 → 81 → 64 → 51 → 40 → 32 → 25 → 20 → 16, 1 of rate.
        #expect(zone.counters.degradations == 13, "each step down is counted")

        // Calm again: half rate first, then the entity limit, then the full rate, then far updates.
        zone.adaptLoad(workNanos: calm)
        #expect(zone.snapshotInterval == 2 && zone.entityLimit == 16)
        while zone.entityLimit < 128 {
            zone.adaptLoad(workNanos: calm)
            #expect(zone.updateBudget == 40 && zone.snapshotInterval == 2)
        }
        zone.adaptLoad(workNanos: calm)
        #expect(zone.snapshotInterval == 1 && zone.updateBudget == 40)
        zone.adaptLoad(workNanos: period / 2)
        #expect(zone.updateBudget == 40, "half the period is neither busy nor calm")
        zone.adaptLoad(workNanos: calm)
        #expect(zone.updateBudget == 80)
        zone.adaptLoad(workNanos: calm)
        #expect(zone.updateBudget == 160 && zone.updateThreshold == 0, "back to normal")
        // A single busy tick cuts far updates again.
        zone.adaptLoad(workNanos: busy)
        #expect(zone.updateBudget == 80)
    }
}
