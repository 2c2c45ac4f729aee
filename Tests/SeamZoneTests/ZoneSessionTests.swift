import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing

/// A real `seam zone` process spoken to over real ENet.
@Suite(.serialized) struct ZoneSessionTests {
    @Test func joinGetsWelcomeAndSnapshotsAndMovementFollowsInput() throws {
        let zone = try ZoneUnderTest()
        let client = try TestClient()
        try client.connect(port: zone.port)
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "tester"))
        let welcome = try #require(client.waitFor { if case .welcome(let w) = $0 { w } else { nil } })
        #expect(welcome.zoneId == "west")
        #expect(welcome.mapName == "duel")
        #expect(welcome.playerId >> 20 == 1, "player ids carry the zone index + 1 in their top bits")
        let first = try #require(client.waitFor { if case .snapshot(let s) = $0 { s } else { nil } })
        #expect(first.tick >= welcome.tick)
        #expect(first.me.health == 100)

        // Walk right for a while: every input is sent with redundancy, as a real client would.
        var recent: [InputCommand] = []
        for seq in UInt32(1)...UInt32(30) {
            recent.insert(InputCommand(moveX: 127), at: 0)
            if recent.count > 4 { recent.removeLast() }
            try client.send(.input(InputMessage(ackTick: first.tick, newestSequence: seq, commands: recent)))
            client.pump(until: { false }, timeout: 0.05)
        }
        let moved = try #require(client.waitFor { m -> Snapshot? in
            if case .snapshot(let s) = m, s.lastInputSequence >= 20 { s } else { nil }
        })
        // The first player spawns at (3.5, 3.5) in duel's west zone; row 3 is open floor to the east,
        // so 20 ticks at full speed carry it well over a tile to the right.
        #expect(Quantize.position(first.me.x) == 3.5)
        #expect(Quantize.position(moved.me.x) > Quantize.position(first.me.x) + 1, "the player walked right")
        #expect(moved.me.y == first.me.y, "and only right")
        try client.send(.leave(reason: 0))
        // The zone lets the client go once it has handled the Leave (generous bound: CI machines are busy).
        #expect(client.pump(until: { !client.connected }, timeout: 30), "the zone never let the client go")
        zone.stop()
        let journal = try zone.journal()
        #expect(journal.contains { $0["type"] as? String == "join" && $0["name"] as? String == "tester" })
        #expect(journal.contains { $0["type"] as? String == "leave" && $0["reason"] as? String == "left" })
        #expect(journal.last?["type"] as? String == "stop")
    }

    /// A zone ticking half a period after the world clock's tick starts (`--tick-phase 0.5`) still serves:
    /// snapshots come, their ticks advance, and the ticks it numbers are the clock's.
    @Test func aZoneAtAnotherTickPhaseServesAndNumbersTicksByTheWorldClock() throws {
        let epochMs = UInt64(Date().timeIntervalSince1970 * 1000) / 1000 * 1000 - 60_000
        let zone = try ZoneUnderTest(extra: ["--tick-phase", "0.5", "--epoch-ms", "\(epochMs)"])
        let client = try TestClient()
        try client.connect(port: zone.port)
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "phase"))
        let welcome = try #require(client.waitFor { if case .welcome(let w) = $0 { w } else { nil } })
        // A minute after the epoch at 20 ticks a second: tick 1,200 and on (the phase moves no tick number).
        #expect(welcome.tick >= 1_200)
        // No input, so no acknowledgement: every snapshot is a full one.
        var ticks: [UInt32] = []
        for _ in 0..<5 {
            client.clearReceived()
            ticks.append(try #require(client.waitFor { if case .snapshot(let s) = $0 { s.tick } else { nil } }))
        }
        // (The first may come at once on joining, between ticks, with the tick the next one has too.)
        #expect(zip(ticks, ticks.dropFirst()).allSatisfy { $1 >= $0 } && ticks.last! >= ticks.first! + 3, "ticks \(ticks)")
        zone.stop()
    }

    @Test func wrongVersionIsRefusedWithAReasonAndTheZoneCarriesOn() throws {
        let zone = try ZoneUnderTest()
        let bad = try TestClient()
        try bad.connect(port: zone.port)
        var w = ByteWriter()
        w.u8(MessageType.hello.rawValue); w.raw(Wire.magic); w.u16(99)
        try bad.sendRaw(w.bytes, channel: Wire.controlChannel)
        let refusal = try #require(bad.waitFor { if case .refuse(let c, let m) = $0 { (c, m) } else { nil } })
        #expect(refusal.0 == .wrongVersion)
        #expect(refusal.1.contains("99"))
        #expect(bad.pump(until: { !bad.connected }), "the zone disconnects a refused peer")
        #expect(bad.disconnectData == UInt32(RefuseCode.wrongVersion.rawValue))

        let good = try TestClient()
        try good.connect(port: zone.port)
        try good.send(.hello(version: Wire.deltaSnapshotVersion, name: "after"))
        let welcomed = good.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } }
        #expect(welcomed != nil)
        let result = zone.stop()
        #expect(result.stdout.contains("version 1,"))
        let refuse = try zone.journal().filter { $0["type"] as? String == "refuse" }
        #expect(refuse.count == 1)
        #expect(refuse.first?["code"] as? String == "wrongVersion")
    }

    @Test(arguments: [
        ("garbage", [UInt8](repeating: 0xEE, count: 40), RefuseCode.malformed),
        ("oversized", [UInt8](repeating: 0x01, count: 300), RefuseCode.oversized),
        ("input before hello", ClientMessage.input(InputMessage(ackTick: 0, newestSequence: 1, commands: [InputCommand()])).encoded(), RefuseCode.unexpected),
        ("truncated hello", Array(ClientMessage.hello(version: 1, name: "x").encoded().prefix(5)), RefuseCode.malformed),
        // Inputs are read in place (InputView), not through ClientMessage.decode: the same refusals.
        ("truncated input", Array(ClientMessage.input(InputMessage(ackTick: 0, newestSequence: 5,
            commands: [InputCommand(), InputCommand()])).encoded().prefix(25)), RefuseCode.malformed),
        ("input with more commands than its sequence", [0x02, 0, 0, 0, 0, 1, 0, 0, 0, 3] + [UInt8](repeating: 0, count: 30),
            RefuseCode.malformed),
        ("input on the control channel", ClientMessage.input(InputMessage(ackTick: 0, newestSequence: 1,
            commands: [InputCommand()])).encoded(), RefuseCode.wrongChannel),
    ])
    func badInputIsRefusedAndCounted(label: String, bytes: [UInt8], expected: RefuseCode) throws {
        let zone = try ZoneUnderTest()
        let client = try TestClient()
        try client.connect(port: zone.port)
        let channel = expected == .unexpected ? Wire.stateChannel : Wire.controlChannel
        try client.sendRaw(bytes, channel: channel)
        let code = client.waitFor { if case .refuse(let c, _) = $0 { c } else { nil } }
        #expect(code == expected, "\(label)")
        #expect(client.pump(until: { !client.connected }))
        // The zone still serves others.
        let other = try TestClient()
        try other.connect(port: zone.port)
        try other.send(.hello(version: Wire.deltaSnapshotVersion, name: "other"))
        let welcomed = other.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } }
        #expect(welcomed != nil)
        zone.stop()
        #expect(try zone.journal().filter { $0["type"] as? String == "refuse" }.count == 1)
    }

    @Test func aFullZoneSaysSo() throws {
        let zone = try ZoneUnderTest(extra: ["--capacity", "1"])
        let first = try TestClient()
        try first.connect(port: zone.port)
        try first.send(.hello(version: Wire.deltaSnapshotVersion, name: "one"))
        let welcomed = first.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } }
        #expect(welcomed != nil)
        let second = try TestClient()
        try second.connect(port: zone.port)
        try second.send(.hello(version: Wire.deltaSnapshotVersion, name: "two"))
        let code = second.waitFor { m -> RefuseCode? in if case .refuse(let c, _) = m { c } else { nil } }
        #expect(code == .full)
        zone.stop()
    }
}
