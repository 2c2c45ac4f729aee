import SeamWorld
import SeamTesting
import Testing
@testable import SeamProtocol

/// `InputView` (the zone's in-place reading of Input messages, which `ClientMessage.decode` also reads Inputs
/// through) against the encoder and against the rule docs/PROTOCOL.md "Input" states: it must accept exactly
/// the well-formed Inputs and read from them what was encoded.
@Suite struct InputViewTests {
    /// docs/PROTOCOL.md "Input", on its own: type 0x02, count k in 1...8 at offset 9 with k - 1 ≤ the newest
    /// sequence (offset 5), length exactly 10 + 10k; every command byte is valid.
    private func wellFormed(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= 10, bytes[0] == 0x02 else { return false }
        let newest = UInt32(bytes[5]) | UInt32(bytes[6]) << 8 | UInt32(bytes[7]) << 16 | UInt32(bytes[8]) << 24
        let k = Int(bytes[9])
        return (1...8).contains(k) && UInt32(k - 1) <= newest && bytes.count == 10 + 10 * k
    }

    /// What each reads from `bytes`: the message, or nil when it throws (`decode` giving another message
    /// type counts as not an Input).
    private func both(_ bytes: [UInt8]) -> (view: InputMessage?, decoded: InputMessage?) {
        let view = bytes.withUnsafeBytes { try? InputView($0).message }
        guard case .input(let decoded)? = try? ClientMessage.decode(bytes) else { return (view, nil) }
        return (view, decoded)
    }

    private func randomInput(_ rng: inout SplitMix64) -> InputMessage {
        let count = Int.random(in: 1...Wire.maximumInputsPerMessage, using: &rng)
        let commands = (0..<count).map { _ in
            InputCommand(moveX: .random(in: .min ... .max, using: &rng), moveY: .random(in: .min ... .max, using: &rng),
                         aim: .random(in: 0 ... .max, using: &rng), buttons: .random(in: 0 ... .max, using: &rng),
                         viewTick: .random(in: 0 ... .max, using: &rng), viewFraction: .random(in: 0 ... .max, using: &rng))
        }
        return InputMessage(ackTick: .random(in: 0 ... .max, using: &rng),
                            newestSequence: .random(in: UInt32(count - 1) ... .max, using: &rng), commands: commands)
    }

    @Test func readsWhatTheDecoderReads() throws {
        var rng = SplitMix64(seed: 0x1A7E)
        for _ in 0..<2_000 {
            let message = randomInput(&rng)
            let bytes = ClientMessage.input(message).encoded()
            let (view, decoded) = both(bytes)
            #expect(view == message)
            #expect(decoded == message)
            // Each command on its own, as the zone reads only the fresh ones.
            try bytes.withUnsafeBytes { raw in
                let v = try InputView(raw)
                #expect(v.count == message.commands.count)
                for i in v.indices { #expect(v[i] == message.commands[i]) }
            }
        }
    }

    @Test func refusesExactlyTheMalformed() {
        var rng = SplitMix64(seed: 0xBAD1)
        var refused = 0
        for _ in 0..<20_000 {
            var bytes = ClientMessage.input(randomInput(&rng)).encoded()
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: bytes.removeLast(Int.random(in: 1...bytes.count, using: &rng))      // truncated
            case 1: bytes.append(contentsOf: [0, 1, 2].prefix(Int.random(in: 1...3, using: &rng)))  // trailing bytes
            case 2: bytes[9] = UInt8.random(in: 0...255, using: &rng)                  // any count
            case 3: bytes.replaceSubrange(5..<9, with: [UInt8.random(in: 0...7, using: &rng), 0, 0, 0])  // small sequence
            default:
                let bit = Int.random(in: 0..<(bytes.count * 8), using: &rng)               // a bit flipped anywhere
                bytes[bit / 8] ^= 1 << UInt8(bit % 8)
            }
            let (view, decoded) = both(bytes)
            #expect(view == decoded, "bytes \(bytes)")
            #expect((view != nil) == wellFormed(bytes), "accepted exactly when well formed: \(bytes)")
            if view == nil { refused += 1 }
        }
        #expect(refused > 5_000, "most of these are malformed")
    }

    @Test func refusesOtherMessageTypes() {
        for message in Samples.client {
            if case .input = message { continue }
            let bytes = message.encoded()
            #expect(throws: DecodeError.self) { try bytes.withUnsafeBytes { _ = try InputView($0) } }
        }
    }
}
