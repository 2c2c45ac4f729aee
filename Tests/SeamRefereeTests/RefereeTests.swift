import Foundation
import SeamReferee
import Testing

private let p = History.p
private let q = History.q

/// P walks from west to east carrying coin 1, dies there, respawns, walks back and leaves; Q (east) kills P
/// and picks the coin up. Digests every second; both zones stop.
func cleanThereAndBack() -> History {
    var h = History.twoZones(coinsWest: 3, coinsEast: 2, joinX: 3.5)
    h.join("east", 1002, q, x: 40)
    h.pickup("west", 1010, p, coin: 1, x: 5.5)
    let walk: [(UInt64, Double)] = [(1020, 6), (1040, 12), (1060, 18), (1080, 24), (1100, 30)]
    for (tick, x) in walk {
        h.positions("west", tick, [(p, x)])
        h.digest("west", tick, ground: 2, carried: 1)
        h.positions("east", tick, [(q, 40)])
        h.digest("east", tick, ground: 2, carried: 0)
        if tick == 1040 {
            h.phase("standby", "west", 1050, late: 1, p, epoch: 1, from: "west", to: "east", x: 15)
        }
    }
    h.handoff(1110, p, epoch: 2, from: "west", to: "east", x: 34, coins: [1])
    h.positions("west", 1120, [])
    h.digest("west", 1120, players: 0, ground: 2, carried: 0)
    h.positions("east", 1120, [(p, 36), (q, 40)])
    h.digest("east", 1120, players: 2, ground: 2, carried: 1)
    h.hit("east", 1125, shooter: q, target: p, shot: 11, health: 0)
    h.kill("east", 1125, killer: q, victim: p, shot: 11)
    h.drop("east", 1125, p, coin: 1, x: 36.5, cause: "death")
    h.digest("west", 1140, players: 0, ground: 2, carried: 0)
    h.positions("east", 1140, [(q, 40)])
    h.digest("east", 1140, players: 2, ground: 3, carried: 0)
    h.digest("west", 1160, players: 0, ground: 2, carried: 0)
    h.positions("east", 1160, [(q, 39)])
    h.digest("east", 1160, players: 2, ground: 3, carried: 0)
    h.digest("west", 1180, players: 0, ground: 2, carried: 0)
    h.positions("east", 1180, [(q, 38)])
    h.digest("east", 1180, players: 2, ground: 3, carried: 0)
    h.add("respawn", "east", 1185, "\"player\":\(p),\"x\":35.0,\"y\":1.5")
    h.pickup("east", 1190, q, coin: 1, x: 36.5)
    h.digest("west", 1200, players: 0, ground: 2, carried: 0)
    h.positions("east", 1200, [(p, 33.5), (q, 36.5)])
    h.digest("east", 1200, players: 2, ground: 2, carried: 1)
    h.handoff(1210, p, epoch: 3, from: "east", to: "west", x: 29.9, offerDigest: "1c0d2b7e95aa4f3",
              acceptDigest: "1c0d2b7e95aa4f3")
    h.positions("west", 1220, [(p, 28)])
    h.digest("west", 1220, players: 1, ground: 2, carried: 0)
    h.positions("east", 1220, [(q, 36.5)])
    h.digest("east", 1220, players: 1, ground: 2, carried: 1)
    h.pickup("west", 1230, p, coin: 2, x: 27.5)
    h.positions("west", 1240, [(p, 27)])
    h.digest("west", 1240, players: 1, ground: 1, carried: 1)
    h.positions("east", 1240, [(q, 36.5)])
    h.digest("east", 1240, players: 1, ground: 2, carried: 1)
    h.leave("west", 1250, p)
    h.drop("west", 1250, late: 6, p, coin: 2, x: 27, cause: "leave")
    h.leave("east", 1255, q)
    h.drop("east", 1255, late: 6, q, coin: 1, x: 36.5, cause: "leave")
    h.digest("west", 1260, players: 0, ground: 2, carried: 0)
    h.digest("east", 1260, players: 0, ground: 3, carried: 0)
    h.stop("west", 1270, ground: 2)
    h.stop("east", 1270, ground: 3)
    return h
}

@Suite struct CleanHistory {
    @Test func thereAndBackIsClean() {
        let report = cleanThereAndBack().check()
        #expect(report.verdict == "clean", "\(report.textLines.joined(separator: "\n"))")
        #expect(report.violations.isEmpty)
        #expect(report.checked.players == 2)
        #expect(report.checked.handoffs == 2)
        #expect(report.checked.coins == 2)
        #expect(report.checked.shots == 1)
        #expect(report.checked.kills == 1)
        #expect(report.checked.zones == 2)
        #expect(report.malformed.count == 0)
    }

    @Test func reportJSONHasSortedKeysAndVerdict() {
        let report = cleanThereAndBack().check()
        let text = report.jsonValue.text()
        #expect(text.hasPrefix("{\"checked\":{\"coins\":2,"))
        #expect(text.contains("\"verdict\":\"clean\""))
        let parsed = try? JSONSerialization.jsonObject(with: Data(report.jsonText.utf8)) as? [String: Any]
        #expect(parsed?["verdict"] as? String == "clean")
    }

    /// The receiver's clock runs ahead of a busy sender's: the sender releases the carrier at its tick 1110
    /// while the receiver accepts at its tick 1113, so both zones' digests of tick 1112 leave its coin out.
    /// Conservation holds by each zone's own tick, not by a shared one.
    @Test func aCarrierBetweenTwoSkewedTicksIsCountedByNeitherAndThatIsFine() {
        var h = History.twoZones(coinsWest: 3, coinsEast: 2, joinX: 3.5)
        h.pickup("west", 1010, p, coin: 1, x: 5.5)
        h.positions("west", 1100, [(p, 30)])
        h.digest("west", 1100, ground: 2, carried: 1)
        h.digest("east", 1100, players: 0, ground: 2, carried: 0)
        h.phase("standby", "west", 1101, late: 1, p, epoch: 1, from: "west", to: "east", x: 31)
        let ids = "\"coin_ids\":[1]"
        h.phase("offer", "west", 1110, late: 140, p, epoch: 2, from: "west", to: "east", x: 32.5,
                "\"digest\":\"8651bdfb64f7e23d\"")
        h.digest("east", 1112, players: 0, ground: 2, carried: 0)
        h.phase("accept", "east", 1113, late: 5, p, epoch: 2, from: "west", to: "east", x: 32.5,
                "\"digest\":\"8651bdfb64f7e23d\",\"coins\":1,\(ids)")
        h.phase("commit", "west", 1110, late: 175, p, epoch: 2, from: "west", to: "east", x: 32.5, "\"coins\":1,\(ids)")
        h.digest("west", 1112, players: 0, ground: 2, carried: 0)
        h.digest("west", 1120, players: 0, ground: 2, carried: 0)
        h.positions("east", 1120, [(p, 33)])
        h.digest("east", 1120, players: 1, ground: 2, carried: 1)
        h.stop("west", 1140, ground: 2)
        h.stop("east", 1140, ground: 3)
        let report = h.check()
        #expect(report.isClean, "\(report.textLines.joined(separator: "\n"))")
    }

    @Test func mapCoinCountIsCrossChecked() {
        #expect(cleanThereAndBack().check(RefereeOptions(mapCoins: 5)).isClean)
        let report = cleanThereAndBack().check(RefereeOptions(mapCoins: 6))
        #expect(report.brokenInvariants == [.coins])
    }
}

/// Each bad history breaks exactly one invariant.
@Suite struct BadHistories {
    func expectOnly(_ invariant: Invariant, _ h: History, count: Int? = nil,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        let report = h.check()
        #expect(report.brokenInvariants == [invariant], "\(report.textLines.joined(separator: "\n"))",
                sourceLocation: sourceLocation)
        if let count {
            #expect(report.violationCounts[invariant] == count, sourceLocation: sourceLocation)
        }
        for v in report.violations {
            #expect(!v.evidence.isEmpty, sourceLocation: sourceLocation)
            for e in v.evidence {
                #expect(e["zone"] != nil && e["tick"] != nil, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func oldOwnerStillShowsPlayerAfterHandoff() {
        var h = History.twoZones()
        h.handoff(1010, p, epoch: 2, from: "west", to: "east", x: 34)
        h.positions("west", 1020, [(p, 34)])
        h.positions("east", 1020, [(p, 34)])
        h.positions("west", 1040, [(p, 34)])
        h.leave("east", 1050, p)
        h.stop("west", 1060)
        h.stop("east", 1060)
        expectOnly(.singleOwner, h, count: 1)
    }

    @Test func deadNeighbourResumeWhileNeighbourHoldsPlayer() {
        var h = History.twoZones()
        h.phase("offer", "west", 1010, late: 2, p, epoch: 2, from: "west", to: "east", x: 34, "\"digest\":\"ab\"")
        h.phase("accept", "east", 1010, late: 14, p, epoch: 2, from: "west", to: "east", x: 34,
                "\"digest\":\"ab\",\"coins\":0,\"coin_ids\":[]")
        h.phase("in_doubt", "west", 1011, late: 0, p, epoch: 2, from: "west", to: "east", x: 34,
                "\"reason\":\"link lost before the answer\"")
        h.phase("resolve", "west", 1110, late: 0, p, epoch: 3, from: "west", to: "east", x: 31.7,
                "\"reason\":\"neighbour declared dead; resumed at a skipped epoch\"")
        h.positions("east", 1120, [(p, 34)])
        h.stop("west", 1200)
        h.stop("east", 1200)
        expectOnly(.singleOwner, h, count: 1)
    }

    @Test func twoZonesAcceptTheSameEpoch() {
        var h = History.twoZones()
        h.start("north", coins: 0)
        h.handoff(1010, p, epoch: 2, from: "west", to: "east", x: 34)
        h.phase("accept", "north", 1011, late: 0, p, epoch: 2, from: "west", to: "north", x: 34,
                "\"digest\":\"8651bdfb64f7e23d\",\"coins\":0,\"coin_ids\":[]")
        h.leave("east", 1050, p)
        h.stop("west", 1060)
        h.stop("east", 1060)
        h.stop("north", 1060)
        expectOnly(.singleOwner, h, count: 1)
    }

    @Test func offeredEpochGoesDown() {
        var h = History.twoZones()
        h.handoff(1010, p, epoch: 2, from: "west", to: "east", x: 34)
        h.phase("offer", "east", 1030, late: 2, p, epoch: 2, from: "east", to: "west", x: 29.9, "\"digest\":\"ab\"")
        h.phase("reject", "west", 1030, late: 10, p, epoch: 2, from: "east", to: "west", x: 29.9,
                "\"digest\":\"ab\",\"reason\":\"epoch 2 is not newer than 2\"")
        h.phase("abort", "east", 1030, late: 12, p, epoch: 2, from: "east", to: "west", x: 32.3,
                "\"reason\":\"staleEpoch\"")
        h.leave("east", 1050, p)
        h.stop("west", 1060)
        h.stop("east", 1060)
        expectOnly(.epochsGrow, h, count: 1)
    }

    @Test func offerNeverAnsweredIsPlayerLost() {
        var h = History.twoZones()
        h.phase("offer", "west", 1010, late: 2, p, epoch: 2, from: "west", to: "east", x: 34, "\"digest\":\"ab\"")
        // 45 s of stream time: past the 40-s offer bound.
        for s in 1...45 { h.digest("east", 1000 + UInt64(s) * 20, players: 0, ground: 0, carried: 0) }
        expectOnly(.handoffResolves, h, count: 1)
    }

    @Test func offerSettledTooLate() {
        var h = History.twoZones()
        h.phase("offer", "west", 1010, late: 2, p, epoch: 2, from: "west", to: "east", x: 34, "\"digest\":\"ab\"")
        // 45 s after the offer: past the 40-s offer bound.
        h.phase("abort", "west", 1910, late: 5, p, epoch: 1, from: "west", to: "east", x: 31.7,
                "\"reason\":\"full\"")
        h.leave("west", 1920, p)
        h.stop("west", 1930)
        h.stop("east", 1930)
        expectOnly(.handoffResolves, h, count: 1)
    }

    @Test func digestChangesInHandoff() {
        var h = History.twoZones()
        h.handoff(1010, p, epoch: 2, from: "west", to: "east", x: 34, offerDigest: "8651bdfb64f7e23d",
                  acceptDigest: "8651bdfb64f7e23e")
        h.leave("east", 1050, p)
        h.stop("west", 1060)
        h.stop("east", 1060)
        expectOnly(.stateIntact, h, count: 1)
    }

    @Test func teleport() {
        var h = History.twoZones()
        h.positions("west", 1020, [(p, 30)])
        h.positions("west", 1040, [(p, 10)])
        h.positions("west", 1060, [(p, 11)])
        h.leave("west", 1070, p)
        h.stop("west", 1080)
        h.stop("east", 1080)
        expectOnly(.speedLimit, h, count: 1)
    }

    @Test func respawnResetsTheBaseline() {
        var h = History.twoZones()
        h.positions("west", 1020, [(p, 30)])
        h.add("respawn", "west", 1030, "\"player\":\(p),\"x\":5.0,\"y\":1.5")
        h.positions("west", 1040, [(p, 6)])
        h.leave("west", 1070, p)
        h.stop("west", 1080)
        h.stop("east", 1080)
        #expect(h.check().isClean)
    }

    @Test func playerVanishes() {
        var h = History.twoZones()
        h.positions("west", 1020, [(p, 30)])
        h.stop("east", 1080)
        expectOnly(.playerOwned, h, count: 1)
    }

    @Test func recordAfterLeave() {
        var h = History.twoZones()
        h.leave("west", 1010, p)
        h.positions("west", 1020, [(p, 30)])
        h.stop("west", 1080)
        h.stop("east", 1080)
        expectOnly(.playerOwned, h, count: 1)
    }

    @Test func coinHeldTwice() {
        var h = History.twoZones(coinsWest: 1)
        h.join("west", 1002, q, x: 30.5)
        h.pickup("west", 1010, p, coin: 1, x: 30.5)
        h.pickup("west", 1011, q, coin: 1, x: 30.5)
        h.leave("west", 1020, p)
        h.leave("west", 1020, q)
        h.stop("west", 1080, ground: 1)
        h.stop("east", 1080)
        expectOnly(.coins, h)
    }

    @Test func dropOfACoinNotCarried() {
        var h = History.twoZones(coinsWest: 1)
        h.pickup("west", 1010, p, coin: 1, x: 30.5)
        h.drop("west", 1011, p, coin: 1, x: 30.5, cause: "death")
        h.drop("west", 1012, p, coin: 1, x: 30.5, cause: "death")
        h.leave("west", 1020, p)
        h.stop("west", 1080, ground: 1)
        h.stop("east", 1080)
        expectOnly(.coins, h, count: 1)
    }

    @Test func coinsNotConserved() {
        var h = History.twoZones(coinsWest: 3, coinsEast: 2)
        h.digest("west", 1020, ground: 3, carried: 0)
        h.digest("east", 1020, ground: 2, carried: 0)
        h.digest("west", 1040, ground: 3, carried: 1)  // a coin appeared from nowhere
        h.digest("east", 1040, ground: 2, carried: 0)
        h.digest("west", 1060, ground: 3, carried: 1)
        h.digest("east", 1060, ground: 2, carried: 0)
        h.leave("west", 1070, p)
        h.stop("west", 1080, ground: 3)
        h.stop("east", 1080, ground: 2)
        expectOnly(.coins, h, count: 1)
    }

    @Test func coinsInFlightAreNotCountedTwice() {
        // The digest at 1020 falls between accept (1010) and a late commit (1030): both zones count the coin.
        var h = History.twoZones(coinsWest: 1)
        h.pickup("west", 1005, p, coin: 1, x: 31.5)
        h.phase("offer", "west", 1010, late: 2, p, epoch: 2, from: "west", to: "east", x: 34, "\"digest\":\"ab\"")
        h.phase("accept", "east", 1010, late: 14, p, epoch: 2, from: "west", to: "east", x: 34,
                "\"digest\":\"ab\",\"coins\":1,\"coin_ids\":[1]")
        h.digest("west", 1020, ground: 0, carried: 1)
        h.digest("east", 1020, ground: 0, carried: 1)
        h.phase("commit", "west", 1030, late: 3, p, epoch: 2, from: "west", to: "east", x: 34,
                "\"coins\":1,\"coin_ids\":[1]")
        h.digest("west", 1040, ground: 0, carried: 0)
        h.digest("east", 1040, ground: 0, carried: 1)
        h.leave("east", 1050, p)
        h.drop("east", 1050, late: 6, p, coin: 1, x: 34, cause: "leave")
        h.stop("west", 1060)
        h.stop("east", 1060, ground: 1)
        #expect(h.check().isClean, "\(h.check().textLines.joined(separator: "\n"))")
    }

    @Test func coinLeftOutOfTheHandoff() {
        var h = History.twoZones(coinsWest: 1)
        h.pickup("west", 1005, p, coin: 1, x: 31.5)
        h.handoff(1010, p, epoch: 2, from: "west", to: "east", x: 34, coins: [])
        h.leave("east", 1050, p)
        h.stop("west", 1060)
        h.stop("east", 1060, ground: 1)
        expectOnly(.coins, h)
    }

    @Test func shotHitsTwice() {
        var h = History.twoZones()
        h.join("west", 1002, q, x: 30.5)
        h.hit("west", 1010, shooter: p, target: q, shot: 7, health: 75)
        h.hit("west", 1011, shooter: p, target: q, shot: 7, health: 50)
        h.leave("west", 1020, p)
        h.leave("west", 1020, q)
        h.stop("west", 1080)
        h.stop("east", 1080)
        expectOnly(.shotOnce, h, count: 1)
    }

    @Test func killCreditedTwice() {
        var h = History.twoZones()
        h.join("west", 1002, q, x: 30.5)
        h.hit("west", 1010, shooter: p, target: q, shot: 7, health: 0)
        h.kill("west", 1010, killer: p, victim: q, shot: 7)
        h.kill("west", 1010, killer: p, victim: q, shot: 7)
        h.leave("west", 1020, p)
        h.leave("west", 1020, q)
        h.stop("west", 1080)
        h.stop("east", 1080)
        expectOnly(.killOnce, h, count: 1)
    }

    @Test func deathNotCredited() {
        var h = History.twoZones()
        h.join("west", 1002, q, x: 30.5)
        h.hit("west", 1010, shooter: p, target: q, shot: 7, health: 0)
        h.leave("west", 1020, p)
        h.leave("west", 1020, q)
        h.stop("west", 1080)
        h.stop("east", 1080)
        expectOnly(.killOnce, h, count: 1)
    }
}

@Suite struct Input {
    @Test func mergeOrderAcrossFiles() throws {
        let dir = TempDirectory()
        let base = History.baseMs
        dir.write("a-east.jsonl", [
            "{\"type\":\"accept\",\"zone\":\"east\",\"tick\":1,\"ms\":\(base + 100),\"player\":5,\"epoch\":2,\"from\":\"west\",\"to\":\"east\",\"x\":1.0,\"y\":1.0}",
            "{\"type\":\"link\",\"zone\":\"east\",\"tick\":3,\"ms\":\(base + 300),\"neighbour\":\"west\",\"state\":\"down\"}",
        ])
        dir.write("b-west.jsonl", [
            "{\"type\":\"link\",\"zone\":\"west\",\"tick\":1,\"ms\":\(base + 50),\"neighbour\":\"east\",\"state\":\"up\"}",
            "{\"type\":\"offer\",\"zone\":\"west\",\"tick\":1,\"ms\":\(base + 100),\"player\":5,\"epoch\":2,\"from\":\"west\",\"to\":\"east\",\"x\":1.0,\"y\":1.0}",
            "{\"type\":\"commit\",\"zone\":\"west\",\"tick\":1,\"ms\":\(base + 100),\"player\":5,\"epoch\":2,\"from\":\"west\",\"to\":\"east\",\"x\":1.0,\"y\":1.0}",
            "{\"type\":\"link\",\"zone\":\"west\",\"tick\":2,\"ms\":\(base + 200),\"neighbour\":\"east\",\"state\":\"down\"}",
        ])
        dir.write("notes.txt", ["not a journal"])
        let source = try JournalSource(directory: dir.path)
        var order: [String] = []
        while let r = try source.next() { order.append("\(r.type)@\(r.zone)") }
        #expect(order == ["link@west", "offer@west", "accept@east", "commit@west", "link@west", "link@east"])
        #expect(source.paths.count == 2)
    }

    @Test func malformedLinesAreCountedNotViolations() throws {
        let dir = TempDirectory()
        var h = History()
        h.start("west", coins: 0)
        h.stop("west", 1010)
        dir.write("west.jsonl", [h.lines[0], "this is not json", "{\"type\":\"join\",\"zone\":\"west\"}", "[1,2]", "",
                                 h.lines[1], h.lines[2]])
        let report = try RefereeRun.check(directory: dir.path)
        #expect(report.isClean)
        #expect(report.malformed.count == 3)
        #expect(report.malformed.examples.first?.hasPrefix("west.jsonl:2: not JSON") == true,
                "\(report.malformed.examples)")
        #expect(report.checked.records == 3)
    }

    @Test func badInput() {
        #expect(throws: JournalInputError.self) { try JournalSource(directory: "/nonexistent/referee/dir") }
        let empty = TempDirectory()
        #expect(throws: JournalInputError.self) { try JournalSource(directory: empty.path) }
    }

    @Test func fileCheckMatchesInMemoryCheck() throws {
        let dir = TempDirectory()
        let h = cleanThereAndBack()
        dir.write("all.jsonl", h.lines)
        let report = try RefereeRun.check(directory: dir.path)
        #expect(report.isClean, "\(report.textLines.joined(separator: "\n"))")
        #expect(report.checked.records == h.lines.count)
    }

    @Test func recordsFromJSONObjects() {
        var referee = Referee()
        let a = referee.check(object: ["type": "start", "zone": "west", "tick": 1000, "ms": 5, "coins": 0])
        let b = referee.check(object: ["type": "join", "zone": "west", "tick": 1001, "ms": 6, "player": 1_048_577,
                                       "name": "a", "x": 1.5, "y": 2])
        let c = referee.check(object: ["type": "positions", "zone": "west", "tick": 1020, "ms": 7,
                                       "players": [[1_048_577, 2.0, 2.0]]])
        let d = referee.check(object: ["type": "accept", "zone": "west", "tick": 1, "ms": 8])
        #expect(a && b && c && !d)
        #expect(referee.malformed.count == 1)
        let report = referee.finish()
        #expect(report.brokenInvariants == [.playerOwned])  // never left, west never stopped
        #expect(report.checked.records == 3)
    }
}

@Suite struct BoundedState {
    /// 200k records: players join at west, cross to east, shoot, leave; tables must stay small.
    @Test func tablesStaySmall() {
        var referee = Referee()
        var fed = 0
        func feed(_ r: RefereeRecord) {
            referee.check(r)
            fed += 1
        }
        func record(_ type: String, _ zone: String, _ tick: UInt64, _ ms: Int64) -> RefereeRecord {
            RefereeRecord(type: type, zone: zone, tick: tick, ms: ms)
        }
        var s0 = record("start", "west", 1000, History.baseMs)
        s0.coins = 0
        feed(s0)
        var s1 = record("start", "east", 1000, History.baseMs)
        s1.coins = 0
        feed(s1)
        func id(_ s: Int) -> UInt32 { UInt32(1 << 20 | s) }
        var second = 1
        var maxPlayers = 0
        while fed < 200_000 {
            let tick = UInt64(1000 + 20 * second)
            let ms = History.baseMs + Int64(second) * 1000
            var join = record("join", "west", tick, ms)
            join.player = id(second); join.x = 31; join.y = 10
            feed(join)
            if second > 2 {
                var hit = record("hit", "west", tick, ms)
                hit.shooter = id(second - 1); hit.target = id(second - 2); hit.shot = UInt32(second); hit.health = 50
                feed(hit)
            }
            if second > 3 {
                let mover = id(second - 3)
                for (type, zone, late) in [("offer", "west", 2), ("accept", "east", 14), ("commit", "west", 17)] {
                    var r = record(type, zone, tick, ms + Int64(late))
                    r.player = mover; r.epoch = 2; r.from = "west"; r.to = "east"; r.x = 32; r.y = 10
                    if type != "commit" { r.digest = 0xabc }
                    if type != "offer" { r.coins = 0; r.coinIDs = [] }
                    feed(r)
                }
            }
            if second > 6 {
                var leave = record("leave", "east", tick, ms + 20)
                leave.player = id(second - 6)
                feed(leave)
            }
            let westPlayers = (second - 2...second).filter { $0 >= 1 }
            var pw = record("positions", "west", tick + 20, ms + 1000 - 1)
            pw.positions = westPlayers.map { PlayerPosition(player: id($0), x: 31, y: 10) }
            var pe = record("positions", "east", tick + 20, ms + 1000 - 1)
            pe.positions = (second - 5...second - 3).filter { $0 >= 1 }
                .map { PlayerPosition(player: id($0), x: 33, y: 10) }
            for (zone, pos) in [("west", pw), ("east", pe)] {
                feed(pos)
                var d = record("digest", zone, tick + 20, ms + 1000 - 1)
                d.coinsGround = 0; d.coinsCarried = 0; d.playerCount = pos.positions!.count
                feed(d)
            }
            maxPlayers = max(maxPlayers, referee.tableSizes.players)
            second += 1
        }
        let sizes = referee.tableSizes
        #expect(maxPlayers < 60, "players table grew to \(maxPlayers)")
        #expect(sizes.handoffs < 10, "\(sizes)")
        #expect(sizes.recentHits <= 12, "\(sizes)")
        #expect(sizes.pendingDigestTicks <= 2, "\(sizes)")
        #expect(sizes.coins == 0)
        let report = referee.report()
        #expect(report.isClean, "\(report.textLines.prefix(20).joined(separator: "\n"))")
        #expect(report.checked.records == fed)
        #expect(report.checked.players == second - 1)
    }
}
