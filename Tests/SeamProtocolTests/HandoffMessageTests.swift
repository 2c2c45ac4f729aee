import SeamWorld
import SeamProtocol
import SeamTesting
import Testing

/// The handoff's wire messages: client ones, zone ones and zone-to-zone link ones.
@Suite struct HandoffMessageTests {
    static let token = AttachToken(player: 0x0010_0001, zoneIndex: 3, purpose: .redirect, expiresMs: 1_795_000_000_123,
                                   nonce: 0xDEAD_BEEF, mac: Array(0..<16))
    static let endpoint = ZoneEndpoint(zoneIndex: 3, host: 0x0100_007F, port: 7203)
    static let transfer = PlayerTransfer(player: 0x0010_0001, epoch: 7, lastInputSequence: 99, x: 47.25, y: 3.5,
                                         vx: 6, vy: -0.1, health: 75, kills: 2, deaths: 1, name: "walker",
                                         coins: [3, 17, 40])

    @Test func clientAndZoneMessagesRoundTrip() throws {
        let attach = ClientMessage.attach(version: Wire.version, token: Self.token)
        #expect(try ClientMessage.decode(attach.encoded()) == attach)
        #expect(attach.encoded().count == 1 + 4 + 2 + AttachToken.wireSize)
        let observe = ClientMessage.observe(version: Wire.version, zoneIndex: 2, proof: Array(0..<16))
        #expect(try ClientMessage.decode(observe.encoded()) == observe)
        for m: ServerMessage in [
            .standby(Self.endpoint, token: Self.token), .standbyDrop(zoneIndex: 2),
            .owner(player: 9, epoch: 4, tick: 1234, zoneIndex: 1), .redirect(Self.endpoint, token: Self.token),
            .attached(player: 9, zoneIndex: 1), .record(json: "{\"type\":\"digest\",\"zone\":\"west\"}"),
        ] {
            #expect(try ServerMessage.decode(m.encoded()) == m)
        }
    }

    @Test func linkMessagesRoundTrip() throws {
        for m: LinkMessage in [
            .hello(zoneIndex: 2, mac: Array(repeating: 7, count: 16)),
            .ghosts(tick: 55, entities: [EntityState(id: 1, x: 2, y: 3, vx: -4, vy: 5, health: 100, flags: 1)]),
            .offer(Self.transfer, digest: Self.transfer.digest, sentMs: 1_795_000_000_123),
            .accept(player: 1, epoch: 2, digest: 0xFFEE_DDCC_BBAA_9988),
            .accept(player: 1, epoch: 2, digest: 7, ownerSent: true),
            .reject(player: 1, epoch: 2, reason: .staleEpoch),
            .inputs(player: 1, newestSequence: 10, commands: [InputCommand(moveX: 1), InputCommand(moveY: -1)]),
            .query(player: 1, epoch: 2),
            .hit(RemoteHit(shooter: 7, shot: 0xFFFF_FFFE, target: 9, damage: 25, origin: 3)),
            .hit(RemoteHit(shooter: 0xFFFF_FFFF, shot: 1, target: 0, damage: 255, origin: 65535, hops: 2)),
            .hitResult(RemoteHit(shooter: 7, shot: 12, target: 9, damage: 25, origin: 3, hops: 1), outcome: .killed, health: 0),
            .hitResult(RemoteHit(shooter: 7, shot: 12, target: 9, damage: 25, origin: 3), outcome: .inHandoff, health: 75),
        ] {
            let bytes = m.encoded()
            let decoded = try bytes.withUnsafeBytes { try LinkMessage.decode($0) }
            #expect(decoded == m)
            #expect(LinkMessage.isLinkMessage(bytes[0]))
            // Every truncation is refused, never a trap.
            for n in 0..<bytes.count {
                #expect(throws: DecodeError.self) { _ = try Array(bytes.prefix(n)).withUnsafeBytes { try LinkMessage.decode($0) } }
            }
        }
    }

    @Test func acceptLayoutAndUnknownFlags() throws {
        var accept = LinkMessage.accept(player: 0x0403_0201, epoch: 5, digest: 0x0D0C_0B0A_0908_0706, ownerSent: true).encoded()
        #expect(accept == [0x44, 1, 2, 3, 4, 5, 0, 0, 0, 6, 7, 8, 9, 10, 11, 12, 13, 1])
        #expect(LinkMessage.accept(player: 1, epoch: 5, digest: 0).encoded().last == 0, "owner sent is off by default")
        for bad: UInt8 in [2, 3, 0x80] {
            accept[17] = bad
            #expect(throws: DecodeError.self) { _ = try accept.withUnsafeBytes { try LinkMessage.decode($0) } }
        }
    }

    @Test func aLinkHelloOfAnotherVersionIsRefused() throws {
        var hello = LinkMessage.hello(zoneIndex: 1, mac: Array(repeating: 7, count: 16)).encoded()
        #expect(hello[5] == UInt8(Wire.linkVersion) && hello[6] == 0)
        hello[5] = 6
        #expect(throws: DecodeError.self) { _ = try hello.withUnsafeBytes { try LinkMessage.decode($0) } }
    }

    @Test func hitLayoutAndUnknownOutcome() throws {
        let hit = RemoteHit(shooter: 0x0403_0201, shot: 0x0807_0605, target: 0x0C0B_0A09, damage: 25, origin: 0x0E0D, hops: 1)
        #expect(LinkMessage.hit(hit).encoded() == [0x48, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 25, 0x0D, 0x0E, 1])
        var result = LinkMessage.hitResult(hit, outcome: .dead, health: 0).encoded()
        #expect(result.count == 1 + RemoteHit.wireSize + 2 && result[0] == 0x49 && result[17] == 5)
        for bad: UInt8 in [0, 6, 255] {
            result[17] = bad
            #expect(throws: DecodeError.self) { _ = try result.withUnsafeBytes { try LinkMessage.decode($0) } }
        }
    }

    @Test func theDigestIgnoresEpochAndSequenceButNothingElse() {
        var moved = Self.transfer
        moved.epoch += 1
        moved.lastInputSequence += 5
        #expect(moved.digest == Self.transfer.digest)
        var changed = Self.transfer
        changed.coins.append(41)
        #expect(changed.digest != Self.transfer.digest)
        changed = Self.transfer
        changed.x = changed.x.nextUp
        #expect(changed.digest != Self.transfer.digest)
    }

    @Test func randomBytesNeverTrapTheLinkDecoder() {
        var rng = SplitMix64(seed: 77)
        for _ in 0..<50_000 {
            var bytes = (0..<Int.random(in: 0...120, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            if !bytes.isEmpty { bytes[0] = UInt8.random(in: 0x41...0x49, using: &rng) }
            _ = try? bytes.withUnsafeBytes { try LinkMessage.decode($0) }
        }
    }
}
