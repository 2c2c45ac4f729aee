import Foundation
import SeamReferee

/// Builds journal lines by hand: zones "west" (x < 32) and "east" (x ≥ 32), 20 ticks/s, tick 1000 = ms base.
struct History {
    static let p: UInt32 = 1_048_577  // joined at west (zone index 0)
    static let q: UInt32 = 2_097_153  // joined at east (zone index 1)
    static let baseMs: Int64 = 1_700_000_000_000

    var lines: [String] = []

    static func ms(_ tick: UInt64) -> Int64 { baseMs + Int64(tick - 1000) * 50 }

    /// Appends a record; `late` adds milliseconds (records written between ticks).
    mutating func add(_ type: String, _ zone: String, _ tick: UInt64, late: Int64 = 0, _ fields: String = "") {
        let rest = fields.isEmpty ? "" : "," + fields
        lines.append("{\"type\":\"\(type)\",\"zone\":\"\(zone)\",\"tick\":\(tick),\"ms\":\(Self.ms(tick) + late)\(rest)}")
    }

    mutating func start(_ zone: String, _ tick: UInt64 = 1000, coins: Int) {
        add("start", zone, tick, "\"v\":1,\"map\":\"duel\",\"tick_rate\":20,\"coins\":\(coins),\"capacity\":1000")
    }

    mutating func stop(_ zone: String, _ tick: UInt64, ground: Int = 0) {
        add("digest", zone, tick, late: 1, "\"players\":0,\"coins_ground\":\(ground),\"coins_carried\":0")
        add("stop", zone, tick, late: 2, "\"reason\":\"stopped\"")
    }

    mutating func join(_ zone: String, _ tick: UInt64, _ player: UInt32, x: Double, y: Double = 1.5) {
        add("join", zone, tick, "\"player\":\(player),\"name\":\"bot\",\"x\":\(x),\"y\":\(y)")
    }

    mutating func leave(_ zone: String, _ tick: UInt64, _ player: UInt32) {
        add("leave", zone, tick, late: 5, "\"player\":\(player),\"reason\":\"left\"")
    }

    mutating func positions(_ zone: String, _ tick: UInt64, _ entries: [(UInt32, Double)], y: Double = 1.5) {
        let list = entries.map { "[\($0.0),\($0.1),\(y)]" }.joined(separator: ",")
        add("positions", zone, tick, "\"players\":[\(list)]")
    }

    mutating func digest(_ zone: String, _ tick: UInt64, players: Int = 1, ground: Int, carried: Int) {
        add("digest", zone, tick, "\"players\":\(players),\"coins_ground\":\(ground),\"coins_carried\":\(carried)")
    }

    mutating func pickup(_ zone: String, _ tick: UInt64, _ player: UInt32, coin: Int, x: Double, y: Double = 1.5) {
        add("pickup", zone, tick, "\"player\":\(player),\"coin\":\(coin),\"x\":\(x),\"y\":\(y)")
    }

    mutating func drop(_ zone: String, _ tick: UInt64, late: Int64 = 0, _ player: UInt32, coin: Int, x: Double,
                       cause: String) {
        add("drop", zone, tick, late: late,
            "\"player\":\(player),\"coin\":\(coin),\"x\":\(x),\"y\":1.5,\"cause\":\"\(cause)\"")
    }

    mutating func hit(_ zone: String, _ tick: UInt64, shooter: UInt32, target: UInt32, shot: Int, health: Int) {
        add("hit", zone, tick,
            "\"shooter\":\(shooter),\"target\":\(target),\"shot\":\(shot),\"damage\":25,\"health\":\(health)")
    }

    mutating func kill(_ zone: String, _ tick: UInt64, killer: UInt32, victim: UInt32, shot: Int) {
        add("kill", zone, tick, "\"killer\":\(killer),\"victim\":\(victim),\"shot\":\(shot)")
    }

    /// A handoff record; `extra` is appended as is.
    mutating func phase(_ type: String, _ zone: String, _ tick: UInt64, late: Int64, _ player: UInt32, epoch: Int,
                        from: String, to: String, x: Double, _ extra: String = "") {
        let rest = extra.isEmpty ? "" : "," + extra
        add(type, zone, tick, late: late,
            "\"player\":\(player),\"epoch\":\(epoch),\"from\":\"\(from)\",\"to\":\"\(to)\",\"x\":\(x),\"y\":1.5\(rest)")
    }

    /// offer, accept, commit of `player` from `from` to `to` at `tick`.
    mutating func handoff(_ tick: UInt64, _ player: UInt32, epoch: Int, from: String, to: String, x: Double,
                          coins: [Int] = [], offerDigest: String = "8651bdfb64f7e23d",
                          acceptDigest: String = "8651bdfb64f7e23d") {
        let ids = "\"coin_ids\":[\(coins.map(String.init).joined(separator: ","))]"
        phase("offer", from, tick, late: 2, player, epoch: epoch, from: from, to: to, x: x, "\"digest\":\"\(offerDigest)\"")
        phase("accept", to, tick, late: 14, player, epoch: epoch, from: from, to: to, x: x,
              "\"digest\":\"\(acceptDigest)\",\"coins\":\(coins.count),\(ids)")
        phase("commit", from, tick, late: 17, player, epoch: epoch, from: from, to: to, x: x,
              "\"coins\":\(coins.count),\(ids)")
    }

    /// Feeds the lines, in order, to a referee and returns its final report.
    func check(_ options: RefereeOptions = RefereeOptions()) -> RefereeReport {
        var referee = Referee(options: options)
        for (i, line) in lines.enumerated() {
            do {
                referee.check(try RefereeRecord(line: Array(line.utf8), source: "test:\(i + 1)"))
            } catch {
                referee.noteMalformed("test:\(i + 1): \(error.reason)")
            }
        }
        return referee.finish()
    }

    /// The clean prologue most bad histories start from: both zones up, P joined at west.
    static func twoZones(coinsWest: Int = 0, coinsEast: Int = 0, joinX: Double = 30) -> History {
        var h = History()
        h.start("west", coins: coinsWest)
        h.start("east", coins: coinsEast)
        h.add("link", "west", 1000, late: 5, "\"neighbour\":\"east\",\"state\":\"up\"")
        h.join("west", 1001, p, x: joinX)
        return h
    }
}

/// A directory of journal files that removes itself.
final class TempDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "referee-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func write(_ name: String, _ lines: [String]) {
        let text = lines.joined(separator: "\n") + "\n"
        _ = FileManager.default.createFile(atPath: path + "/" + name, contents: Data(text.utf8))
    }
}
