/// An Input message (docs/PROTOCOL.md "Input") read in place from its datagram: checked whole when made,
/// with the same rules and errors as `ClientMessage.decode`, and each command decoded only when asked for.
/// A zone reads an Input per client per tick and queues only its fresh commands (usually one of up to
/// eight): decoded into a `ClientMessage` first, every command was read and the message copied twice on
/// its way to the queue, 5% of a busy zone's cycles.
public struct InputView: RandomAccessCollection {
    public let ackTick: UInt32
    public let newestSequence: UInt32
    /// The datagram; valid only as long as the buffer it was made from.
    let bytes: UnsafeRawBufferPointer
    public let endIndex: Int
    public var startIndex: Int { 0 }

    /// Checks `bytes` as an Input message: type, count within 1 ... `Wire.maximumInputsPerMessage` and at
    /// most the newest sequence + 1, length exactly that of `count` commands (every command's bytes are
    /// valid as they are).
    public init(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) {
        var r = ByteReader(bytes)
        let type = try r.u8("message type")
        guard type == MessageType.input.rawValue else {
            throw DecodeError("not an input message (type 0x\(String(type, radix: 16)))", at: 0)
        }
        ackTick = try r.u32("ack tick")
        newestSequence = try r.u32("sequence")
        let count = Int(try r.u8("input count"))
        guard (1...Wire.maximumInputsPerMessage).contains(count) else {
            throw DecodeError("input count \(count) outside 1...\(Wire.maximumInputsPerMessage)", at: 9)
        }
        guard UInt32(count - 1) <= newestSequence else {
            throw DecodeError("input count \(count) exceeds sequence \(newestSequence) + 1", at: 9)
        }
        try r.skip(count * InputCommand.wireSize, "input commands")
        try r.expectEnd("input")
        self.bytes = bytes
        endIndex = count
    }

    /// Command `i` (sequence `newestSequence - i`).
    public subscript(i: Int) -> InputCommand {
        precondition(i >= 0 && i < endIndex, "input command \(i) of \(endIndex)")
        let at = InputMessage.headerSize + i * InputCommand.wireSize
        var r = ByteReader(UnsafeRawBufferPointer(rebasing: bytes[at..<(at + InputCommand.wireSize)]))
        // The length was checked when the view was made, and a command's bytes are valid whatever they hold.
        guard let command = try? InputCommand.read(&r) else { preconditionFailure("input command \(i) cut short") }
        return command
    }

    /// The message as `ClientMessage.decode` gives it.
    public var message: InputMessage {
        InputMessage(ackTick: ackTick, newestSequence: newestSequence, commands: InputCommands(self))
    }
}
