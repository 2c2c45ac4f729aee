import Testing
@testable import SeamProtocol

extension EntityState {
    func withId(_ id: UInt32) -> EntityState {
        var e = self
        e.id = id
        return e
    }
}

/// The v6 ghost snapshot's layout and the client's table (docs/PROTOCOL.md "Ghost snapshot").
@Suite struct GhostCodecTests {
    static let me = SelfState(x: 1, y: 2, vx: 3, vy: 4, health: 100, flags: 1, coins: 5, kills: 6, deaths: 7)

    static func bytes(_ s: GhostSnapshot) -> [UInt8] { ServerMessage.ghost(s).encoded() }

    static func apply(_ s: GhostSnapshot, to table: inout GhostTable) throws -> GhostTable.Outcome {
        try bytes(s).withUnsafeBytes { try table.apply($0).1 }
    }

    @Test func layoutByteByByte() {
        let s = GhostSnapshot(
            tick: 0x0403_0201, lastInputSequence: 0x0807_0605, reset: true, me: Self.me, removed: [9],
            records: [GhostSnapshot.Record(slot: 2, mask: GhostCodec.healthFlags,
                                           state: EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0x33, flags: 1))],
            coinsRemoved: [0x0C0B_0A09], coinsAdded: [CoinView(id: 1, x: 0x0201, y: 0x0403)])
        let expected: [UInt8] = [0x8D, 1, 2, 3, 4, 5, 6, 7, 8, 1,
                                 1, 0, 2, 0, 3, 0, 4, 0, 100, 1, 5, 0, 6, 0, 7, 0,
                                 1, 9,
                                 1, 2, 0x04, 0x33, 1,
                                 1, 9, 0x0A, 0x0B, 0x0C,
                                 1, 1, 0, 0, 0, 1, 2, 3, 4]
        #expect(Self.bytes(s) == expected)
        #expect(expected.count == GhostCodec.headerSize + 1 + 1 + 1 + 4 + 1 + 4 + 1 + 8)
    }

    @Test func malformedSnapshotsAreRefusedAndChangeNothing() throws {
        var table = GhostTable()
        let add = GhostSnapshot(tick: 10, lastInputSequence: 0, reset: true, me: Self.me, records: [
            GhostSnapshot.Record(slot: 4, mask: GhostCodec.add, state: EntityState(id: 77, x: 1, y: 1, vx: 0, vy: 0,
                                                                                      health: 100, flags: 1)),
        ])
        #expect(try Self.apply(add, to: &table) == .applied)
        let good = Self.bytes(GhostSnapshot(tick: 11, lastInputSequence: 0, reset: false, me: Self.me, removed: [4]))
        var bad: [[UInt8]] = [
            Array(good.dropLast()),                      // truncated
            good + [0],                                  // trailing byte
        ]
        var flags = good
        flags[9] = 0x02                                  // unknown flag
        bad.append(flags)
        var count = good
        count[26] = 2                                    // more removed slots than the message holds
        bad.append(count)
        for mask: UInt8 in [0, 0x03, 0x08, 0x81] {       // masks other than add, motion, health, both
            bad.append(Self.bytes(GhostSnapshot(tick: 11, lastInputSequence: 0, reset: false, me: Self.me)).dropLast(3)
                       + [1, 4, mask, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] + [0, 0])
        }
        for b in bad {
            #expect(throws: DecodeError.self) { try b.withUnsafeBytes { try table.apply($0) } }
            #expect(throws: DecodeError.self) { try ServerMessage.decode(b) }
        }
        #expect(table.players.map(\.id) == [77], "nothing malformed changed the table")
        #expect(table.tick == 10)
    }

    @Test func theTableFollowsResetsRemovalsAddsUpdatesAndCoins() throws {
        var table = GhostTable()
        let a = EntityState(id: 5, x: 100, y: 200, vx: 8, vy: -8, health: 100, flags: 1)
        let b = EntityState(id: 9, x: 300, y: 400, vx: 0, vy: 0, health: 90, flags: 3)
        // Not a reset: the new table waits for one.
        let early = GhostSnapshot(tick: 3, lastInputSequence: 0, reset: false, me: Self.me, records: [
            GhostSnapshot.Record(slot: 0, mask: GhostCodec.add, state: a),
        ])
        #expect(try Self.apply(early, to: &table) == .awaitingReset)
        #expect(table.count == 0 && table.tick == 0)
        let first = GhostSnapshot(tick: 4, lastInputSequence: 0, reset: true, me: Self.me, records: [
            GhostSnapshot.Record(slot: 0, mask: GhostCodec.add, state: a),
            GhostSnapshot.Record(slot: 200, mask: GhostCodec.add, state: b),
        ], coinsAdded: [CoinView(id: 1, x: 1, y: 1), CoinView(id: 2, x: 2, y: 2)])
        #expect(try Self.apply(first, to: &table) == .applied)
        #expect(table.players == [a, b])
        #expect(try Self.apply(first, to: &table) == .stale, "a tick not newer is not applied again")
        let moved = EntityState(id: 0, x: 110, y: 190, vx: 16, vy: 0, health: 0, flags: 0)
        let hurt = EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 40, flags: 1)
        let second = GhostSnapshot(tick: 6, lastInputSequence: 0, reset: false, me: Self.me, removed: [200, 17],
                                   records: [
                                       GhostSnapshot.Record(slot: 0, mask: GhostCodec.motion, state: moved),
                                       GhostSnapshot.Record(slot: 1, mask: GhostCodec.healthFlags, state: hurt),
                                   ],
                                   coinsRemoved: [1, 99], coinsAdded: [CoinView(id: 2, x: 5, y: 5)])
        #expect(try Self.apply(second, to: &table) == .applied)
        #expect(table.players == [EntityState(id: 5, x: 110, y: 190, vx: 16, vy: 0, health: 100, flags: 1)])
        #expect(table.updatesOfEmptySlots == 1, "slot 1 is empty: its update is skipped and counted")
        #expect(table.entries[0].tick == 6 && table.entries[0].previousTick == 4)
        #expect(table.entries[0].previousX == 100 && table.entries[0].previousY == 200)
        #expect(table.coins == [CoinView(id: 2, x: 5, y: 5)], "coin 1 removed, coin 2 moved")
        table.clear()
        #expect(table.awaitingReset && table.tick == 0 && table.count == 0 && table.coins.isEmpty)
        let third = GhostSnapshot(tick: 7, lastInputSequence: 0, reset: true, me: Self.me, records: [
            GhostSnapshot.Record(slot: 3, mask: GhostCodec.add, state: b),
        ])
        #expect(try Self.apply(third, to: &table) == .applied)
        #expect(table.players == [b])
    }
}
