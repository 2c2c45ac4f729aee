import SeamSimulation
import SeamWorld
import Testing

/// Which members of a client's view get a fresh state: the nearest and the forced always, far ones by
/// priority within the byte budget, none starved.
@Suite struct PriorityAccumulatorTests {
    typealias Candidate = PriorityAccumulator.Candidate

    /// Runs `ticks` snapshots of 60 members at 1…60 tiles, each fresh state costing 3 bytes, ages kept as
    /// the zone keeps them (reset when fresh). Returns how many times each member was fresh and the longest
    /// wait of each.
    func simulate(ticks: Int, always: Int, budget: Int, threshold: Double = 1,
                  check: ([Candidate], [Bool], Int) -> Void = { _, _, _ in }) -> (sends: [Int], longestWait: [UInt32]) {
        var acc = PriorityAccumulator()
        var ages = [UInt32](repeating: 0, count: 60)
        var sends = [Int](repeating: 0, count: 60)
        var longest = [UInt32](repeating: 0, count: 60)
        var fresh: [Bool] = []
        for _ in 0..<ticks {
            let candidates = (0..<60).map { i in
                Candidate(age: ages[i], distanceSquared: Double((i + 1) * (i + 1)), cost: 3, forced: false)
            }
            let spent = acc.choose(candidates, always: always, budget: budget, threshold: threshold, into: &fresh)
            check(candidates, fresh, spent)
            for i in 0..<60 {
                if fresh[i] {
                    sends[i] += 1
                    ages[i] = 1
                } else {
                    ages[i] += 1
                    longest[i] = max(longest[i], ages[i])
                }
            }
        }
        return (sends, longest)
    }

    @Test func theNearestAreFreshInEverySnapshot() {
        _ = simulate(ticks: 200, always: 8, budget: 30) { _, fresh, _ in
            #expect(fresh.prefix(8).allSatisfy { $0 }, "the 8 nearest are fresh")
        }
    }

    @Test func farMembersAreRefreshedLessOftenButNeverStarve() {
        // A budget of 10 far updates per snapshot for 52 far members.
        let (sends, longest) = simulate(ticks: 400, always: 8, budget: 8 * 3 + 30)
        #expect(sends.allSatisfy { $0 > 0 }, "every member is refreshed: \(sends)")
        #expect(sends[0] == 400)
        #expect(sends[10] > sends[59], "nearer members are refreshed more often: \(sends[10]) vs \(sends[59])")
        #expect(longest.max()! <= 40, "no member waits more than 2 s: \(longest)")
    }

    @Test func withNoBudgetLeftOneFarMemberIsStillRefreshedPerSnapshot() {
        let (sends, _) = simulate(ticks: 2000, always: 8, budget: 0) { _, fresh, _ in
            #expect((8...9).contains(fresh.filter { $0 }.count), "the 8 nearest and at most one more")
        }
        #expect(sends.allSatisfy { $0 > 0 }, "none starves: \(sends)")
    }

    @Test func theFreshSetRespectsTheByteBudget() {
        var rng = SplitMix64(seed: 77)
        var acc = PriorityAccumulator()
        var fresh: [Bool] = []
        for _ in 0..<500 {
            let count = Int.random(in: 1...100, using: &rng)
            let candidates = (0..<count).map { _ in
                Candidate(age: UInt32.random(in: 0...20, using: &rng), distanceSquared: Double.random(in: 0...256, using: &rng),
                          cost: Int.random(in: 0...6, using: &rng), forced: Int.random(in: 0..<20, using: &rng) == 0)
            }
            let always = Int.random(in: 0...20, using: &rng)
            let budget = Int.random(in: 0...300, using: &rng)
            let spent = acc.choose(candidates, always: always, budget: budget, threshold: 1, into: &fresh)
            #expect(fresh.count == count)
            let total = candidates.indices.filter { fresh[$0] }.reduce(0) { $0 + candidates[$1].cost }
            #expect(spent == total)
            // What must be fresh: forced and the `always` nearest.
            let cut = always == 0 ? -1 : candidates.map(\.distanceSquared).sorted()[min(always, count) - 1]
            let must = candidates.indices.filter { candidates[$0].forced || candidates[$0].distanceSquared <= cut }
            #expect(must.allSatisfy { fresh[$0] })
            let mustCost = must.reduce(0) { $0 + candidates[$1].cost }
            // Beyond them, only due members, within the budget but for the one that is always allowed.
            let optional = candidates.indices.filter { fresh[$0] && !must.contains($0) }
            #expect(optional.allSatisfy {
                PriorityAccumulator.priority(age: candidates[$0].age, distanceSquared: candidates[$0].distanceSquared) >= 1
            })
            if optional.count > 1 || (optional.count == 1 && mustCost + candidates[optional[0]].cost <= budget) {
                #expect(spent <= max(budget, mustCost), "spent \(spent), budget \(budget), must \(mustCost)")
            }
        }
    }

    /// The choice is exactly the greedy one: forced and nearest first, then the due members by priority
    /// (lower index first on a tie), the first whether it fits or not, then the next while they fit.
    @Test func theChoiceIsTheGreedyOneByPriority() {
        var rng = SplitMix64(seed: 91)
        var acc = PriorityAccumulator()
        var fresh: [Bool] = []
        for _ in 0..<500 {
            // Up to 200, with budgets from none to all: the run taken is of every length.
            let count = Int.random(in: 1...200, using: &rng)
            let candidates = (0..<count).map { _ in
                Candidate(age: UInt32.random(in: 0...12, using: &rng),
                          distanceSquared: Double(Int.random(in: 0...64, using: &rng) * 4),
                          cost: Int.random(in: 0...6, using: &rng), forced: Int.random(in: 0..<30, using: &rng) == 0)
            }
            let always = Int.random(in: 0...20, using: &rng)
            let budget = Int.random(in: 0...200, using: &rng)
            let spent = acc.choose(candidates, always: always, budget: budget, threshold: 1, into: &fresh)

            let cut = always == 0 ? -Double.infinity
                : always >= count ? .infinity : candidates.map(\.distanceSquared).sorted()[always - 1]
            var expected = candidates.map { $0.forced || $0.distanceSquared <= cut }
            var expectedSpent = candidates.indices.filter { expected[$0] }.reduce(0) { $0 + candidates[$1].cost }
            let due = candidates.indices.filter { !expected[$0] }.map { k in
                (k, Float(PriorityAccumulator.priority(age: candidates[k].age, distanceSquared: candidates[k].distanceSquared)))
            }.filter { $0.1 >= 1 }
            if expectedSpent + due.reduce(0, { $0 + candidates[$1.0].cost }) <= budget {
                for (k, _) in due { expected[k] = true; expectedSpent += candidates[k].cost }
            } else {
                for (n, (k, _)) in due.sorted(by: { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }).enumerated() {
                    guard n == 0 || expectedSpent + candidates[k].cost <= budget else { break }
                    expected[k] = true
                    expectedSpent += candidates[k].cost
                }
            }
            #expect(fresh == expected)
            #expect(spent == expectedSpent)
        }
    }

    /// `takeDue` on its own, against the greedy written plainly: sort the due members by priority (lower
    /// index first on a tie), take the first, then the next while they fit. Many members share a priority,
    /// and costs run to a full entity state's 14 bytes.
    @Test func takeDueIsTheGreedyOneInPriorityOrder() {
        var rng = SplitMix64(seed: 17)
        for _ in 0..<2_000 {
            let count = Int.random(in: 1...300, using: &rng)
            let members = (0..<count).map { k in
                (index: k, priority: Double(Int.random(in: 1...24, using: &rng)) / 4, cost: Int.random(in: 0...14, using: &rng))
            }
            let due = members.filter { _ in Int.random(in: 0..<4, using: &rng) > 0 }.shuffled(using: &rng)
            guard !due.isEmpty else { continue }
            let wanted = due.reduce(0) { $0 + $1.cost }
            let spent = Int.random(in: 0...40, using: &rng)
            let budget = Int.random(in: 0...(spent + wanted + 10), using: &rng)
            var keys = due.map { PriorityAccumulator.dueKey(priority: $0.priority, index: $0.index, cost: $0.cost) }
            var fresh = Array(repeating: false, count: count)
            let total = keys.withUnsafeMutableBufferPointer { keys in
                fresh.withUnsafeMutableBufferPointer { fresh in
                    PriorityAccumulator.takeDue(keys, wanted: wanted, spent: spent, budget: budget, into: fresh)
                }
            }

            var expected = Array(repeating: false, count: count), expectedSpent = spent
            let ordered = spent + wanted <= budget ? due
                : due.sorted { $0.priority > $1.priority || ($0.priority == $1.priority && $0.index < $1.index) }
            for (n, m) in ordered.enumerated() {
                guard n == 0 || expectedSpent + m.cost <= budget else { break }
                expected[m.index] = true
                expectedSpent += m.cost
            }
            #expect(fresh == expected)
            #expect(total == expectedSpent)
        }
    }

    @Test func forcedMembersAreFreshWhateverTheBudget() {
        var acc = PriorityAccumulator()
        var fresh: [Bool] = []
        let candidates = (0..<20).map { i in
            Candidate(age: 0, distanceSquared: Double(100 + i), cost: 14, forced: i % 2 == 0)
        }
        acc.choose(candidates, always: 0, budget: 10, threshold: 1, into: &fresh)
        #expect(fresh == (0..<20).map { $0 % 2 == 0 })
    }

    /// The frame builder skips the priority of a member `mayReach` rules out: it must never rule out one
    /// whose priority reaches the threshold, on the line (distance exactly where priority equals the
    /// threshold) as well as at random.
    @Test func mayReachNeverRulesOutAMemberWhosePriorityReachesTheThreshold() {
        var rng = SplitMix64(seed: 42)
        var admittedBelow = 0, lines = 0
        for threshold in [0.25, 0.5, 1, 1.5, 2, 3, 4, 7.3] {
            for age in UInt32(0)..<64 {
                let line = 4 * (Double(age) + 1) / threshold - 4
                var distances = (0..<40).map { _ in Double.random(in: 0..<80, using: &rng) }
                if line >= 0 {
                    distances += [line, line.nextDown, line.nextUp, 0]
                    lines += 1
                }
                for d in distances {
                    let d2 = d * d
                    let reaches = PriorityAccumulator.priority(age: age, distanceSquared: d2) >= threshold
                    let may = PriorityAccumulator.mayReach(threshold, inverse: 1 / threshold, age: age, distanceSquared: d2)
                    #expect(may || !reaches, "threshold \(threshold) age \(age) distance \(d)")
                    if may && !reaches { admittedBelow += 1 }
                }
            }
        }
        // And it is tight: only members on the line (just past it) are left to the exact test.
        #expect(admittedBelow <= lines, "\(admittedBelow) admitted below the threshold")
    }

    @Test func selectFindsTheKthSmallestWithTiesAndAnyOrder() {
        var rng = SplitMix64(seed: 17)
        for count in [1, 2, 3, 7, 82, 300] {
            for distinct in [1, 3, count] {
                var values = (0..<count).map { _ in Double(Int.random(in: 0..<distinct, using: &rng)) * 1.5 }
                let sorted = values.sorted()
                for k in Set([0, count / 4, count / 2, count - 1]) {
                    values.shuffle(using: &rng)
                    let found = values.withUnsafeMutableBufferPointer { PriorityAccumulator.select(k, in: $0) }
                    #expect(found == sorted[k], "\(count) values, \(distinct) distinct, k \(k)")
                    #expect(values.sorted() == sorted, "select only reorders")
                }
            }
        }
    }

    @Test func aHigherThresholdUnderLoadRefreshesFarMembersLessOften() {
        let normal = simulate(ticks: 400, always: 8, budget: 1000, threshold: 1).sends
        let degraded = simulate(ticks: 400, always: 8, budget: 1000, threshold: 4).sends
        #expect(degraded[40] * 3 < normal[40], "at 41 tiles: \(degraded[40]) vs \(normal[40])")
        #expect(degraded.allSatisfy { $0 > 0 })
        #expect(degraded[0] == 400)
    }
}
