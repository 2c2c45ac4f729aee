import SeamWorld
import SeamTesting
import Testing
@testable import SeamProtocol

/// `InputView` (the zone's in-place reading of Input messages) against `ClientMessage.decode`: it must accept
/// exactly the bytes the decoder accepts as an Input, and read the same values from them.
@Suite struct InputViewTests {
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

    @Test func refusesWhatTheDecoderRefuses() {
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
