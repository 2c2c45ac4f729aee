import Foundation
import SeamWorld
/// What a bot tries to do. Seeded, so a run can be reproduced.
public enum Behavior: String, CaseIterable, Sendable, Codable {
    /// Walk to random points of its zone.
    case wander
    /// Walk to the nearest visible coin; wander when none is in view.
    case coinRush = "coin-rush"
    /// Chase the nearest visible player, aim at its interpolated position and shoot.
    case fight
    /// Cross the nearest zone border and come back, again and again.
    case borderDance = "border-dance"
    /// Converge on one point: the map's centre, where four zones meet on `quad`.
    case hotspot
}

/// A behaviour mix such as `wander=70,fight=30`, or a single name.
public struct BehaviorMix: Sendable, Equatable, CustomStringConvertible {
    public var weights: [(Behavior, Int)]

    public static func == (a: BehaviorMix, b: BehaviorMix) -> Bool {
        a.weights.map(\.0) == b.weights.map(\.0) && a.weights.map(\.1) == b.weights.map(\.1)
    }

    /// A mix from weights, as given (each behaviour once, at least one weight above 0).
    public init(weights: [(Behavior, Int)]) {
        precondition(weights.reduce(0, { $0 + $1.1 }) > 0, "behavior weights add up to 0")
        self.weights = weights
    }

    /// Parses `NAME` or `NAME=WEIGHT,NAME=WEIGHT,...`. Throws a message naming the bad part.
    public init(parsing text: String) throws(BotError) {
        var weights: [(Behavior, Int)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "=", omittingEmptySubsequences: false)
            let name = String(pieces[0]).trimmingCharacters(in: .whitespaces)
            guard let behavior = Behavior(rawValue: name) else {
                let known = Behavior.allCases.map(\.rawValue).joined(separator: ", ")
                throw BotError("unknown behavior '\(name)' (known: \(known))")
            }
            var weight = 1
            if pieces.count == 2 {
                guard let w = Int(pieces[1].trimmingCharacters(in: .whitespaces)), w >= 0 else {
                    throw BotError("weight of '\(name)' must be a whole number ≥ 0, got '\(pieces[1])'")
                }
                weight = w
            } else if pieces.count > 2 {
                throw BotError("expected NAME=WEIGHT, got '\(part)'")
            }
            guard !weights.contains(where: { $0.0 == behavior }) else { throw BotError("behavior '\(name)' given twice") }
            weights.append((behavior, weight))
        }
        guard weights.reduce(0, { $0 + $1.1 }) > 0 else { throw BotError("behavior weights add up to 0") }
        self.weights = weights
    }

    public var description: String { weights.map { "\($0.0.rawValue)=\($0.1)" }.joined(separator: ",") }

    /// Exactly proportional counts (largest remainder), shuffled with `seed`.
    public func assign(count: Int, seed: UInt64) -> [Behavior] {
        let total = weights.reduce(0) { $0 + $1.1 }
        var counts = weights.map { count * $0.1 / total }
        var remainders = weights.indices.map { (index: $0, rest: count * weights[$0].1 % total) }
        remainders.sort { $0.rest > $1.rest || ($0.rest == $1.rest && $0.index < $1.index) }
        var missing = count - counts.reduce(0, +)
        for r in remainders where missing > 0 {
            counts[r.index] += 1
            missing -= 1
        }
        var out: [Behavior] = []
        for (i, c) in counts.enumerated() { out += Array(repeating: weights[i].0, count: c) }
        var rng = SplitMix64(seed: seed ^ 0xB0B5)
        out.shuffle(using: &rng)
        return out
    }
}
