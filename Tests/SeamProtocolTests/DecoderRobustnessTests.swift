import SeamWorld
import SeamTesting
import Testing
@testable import SeamProtocol

/// Decodes with both decoders; returns how many succeeded. A trap here fails the whole test run.
@discardableResult
private func decodeBoth(_ bytes: [UInt8]) -> Int {
    var ok = 0
    if (try? ClientMessage.decode(bytes)) != nil { ok += 1 }
    if (try? ServerMessage.decode(bytes)) != nil { ok += 1 }
    return ok
}

@Suite struct DecoderRobustnessTests {
    static let typeBytes: [UInt8] = [0x01, 0x02, 0x03, 0x81, 0x82, 0x83, 0x84]

    @Test func randomBytesNeverTrap() {
        var rng = SplitMix64(seed: 0x5EA4_0001)
        var decoded = 0
        var buffer: [UInt8] = []
        for i in 0..<200_000 {
            let length = Int.random(in: 0...300, using: &rng)
            buffer.removeAll(keepingCapacity: true)
            for _ in 0..<length { buffer.append(UInt8.random(in: 0...255, using: &rng)) }
            // Every seventh string gets a valid type byte, and some of those the Hello magic and version,
            // so the fuzzing reaches past the first branch.
            if length > 0 && i % 7 == 0 {
                buffer[0] = Self.typeBytes[Int.random(in: 0..<Self.typeBytes.count, using: &rng)]
                if buffer[0] == 0x01 && length >= 7 && Bool.random(using: &rng) {
                    buffer.replaceSubrange(1..<7, with: Wire.magic + [UInt8(Wire.version), 0])
                }
                if buffer[0] == 0x02 && length >= 10 && Bool.random(using: &rng) {
                    buffer[9] = UInt8.random(in: 1...8, using: &rng)
                }
            }
            decoded += decodeBoth(buffer)
        }
        // Random bytes occasionally form a valid short message (e.g. a Leave), never most of the time.
        #expect(decoded < 200_000)
    }

    @Test func shortValidLookingPrefixesFuzzed() {
        // Valid headers followed by random tails: exercises counts and strings deeply.
        var rng = SplitMix64(seed: 42)
        let heads: [[UInt8]] = Samples.client.map { Array($0.encoded().prefix(10)) }
            + Samples.server.map { Array($0.encoded().prefix(30)) }
        for _ in 0..<20_000 {
            var bytes = heads[Int.random(in: 0..<heads.count, using: &rng)]
            let cut = Int.random(in: 1...bytes.count, using: &rng)
            bytes.removeSubrange(cut...)
            for _ in 0..<Int.random(in: 0...120, using: &rng) { bytes.append(UInt8.random(in: 0...255, using: &rng)) }
            decodeBoth(bytes)
        }
    }

    @Test(arguments: Samples.client.indices)
    func everyTruncatedClientMessageThrows(_ index: Int) throws {
        let bytes = Samples.client[index].encoded()
        #expect(try ClientMessage.decode(bytes) == Samples.client[index])
        for n in 0..<bytes.count {
            #expect(throws: DecodeError.self, "prefix of \(n) bytes") { try ClientMessage.decode(Array(bytes[0..<n])) }
            #expect(throws: DecodeError.self) { try ServerMessage.decode(Array(bytes[0..<n])) }
        }
    }

    @Test(arguments: Samples.server.indices)
    func everyTruncatedServerMessageThrows(_ index: Int) throws {
        let bytes = Samples.server[index].encoded()
        #expect(try ServerMessage.decode(bytes) == Samples.server[index])
        for n in 0..<bytes.count {
            #expect(throws: DecodeError.self, "prefix of \(n) bytes") { try ServerMessage.decode(Array(bytes[0..<n])) }
            #expect(throws: DecodeError.self) { try ClientMessage.decode(Array(bytes[0..<n])) }
        }
    }

    @Test func truncationErrorsPointInsideTheMessage() {
        for m in Samples.server {
            let bytes = m.encoded()
            for n in 0..<bytes.count {
                do {
                    _ = try ServerMessage.decode(Array(bytes[0..<n]))
                    Issue.record("prefix decoded")
                } catch {
                    #expect(error.offset >= 0 && error.offset <= n)
                    #expect(!error.description.isEmpty)
                }
            }
        }
    }

    @Test func bitFlipsDecodeOrThrow() {
        let all = Samples.client.map { $0.encoded() } + Samples.server.map { $0.encoded() }
        var flips = 0
        for original in all {
            // Every bit of short messages; a sample of bits of long ones.
            let stride = original.count > 200 ? 7 : 1
            for bit in Swift.stride(from: 0, to: original.count * 8, by: stride) {
                var bytes = original
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
                decodeBoth(bytes)
                flips += 1
            }
        }
        #expect(flips > 5_000)
    }

    @Test func doubleBitFlipsDecodeOrThrow() {
        var rng = SplitMix64(seed: 7)
        let all = Samples.client.map { $0.encoded() } + Samples.server.map { $0.encoded() }
        for _ in 0..<20_000 {
            var bytes = all[Int.random(in: 0..<all.count, using: &rng)]
            for _ in 0..<2 {
                let bit = Int.random(in: 0..<(bytes.count * 8), using: &rng)
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            decodeBoth(bytes)
        }
    }

    @Test func hugeCountsAreRefusedWithoutAllocating() {
        // A snapshot claiming 65535 entities in a 29-byte message, and an events message claiming 255.
        var snapshot = Snapshot(tick: 1, lastInputSequence: 1, me: Samples.me, entities: [], coins: []).encoded()
        snapshot[25] = 0xFF; snapshot[26] = 0xFF
        #expect(throws: DecodeError.self) { try ServerMessage.decode(snapshot) }
        var coins = Snapshot(tick: 1, lastInputSequence: 1, me: Samples.me, entities: [], coins: []).encoded()
        coins[27] = 0xFF; coins[28] = 0xFF
        #expect(throws: DecodeError.self) { try ServerMessage.decode(coins) }
        #expect(throws: DecodeError.self) { try ServerMessage.decode([0x84, 0xFF]) }
    }
}
