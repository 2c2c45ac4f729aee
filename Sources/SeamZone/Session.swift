import SeamProtocol

/// A connection slot's state in a zone, stored in an array indexed by ENet peer slot.
struct Session {
    enum Phase {
        /// No connection in this slot.
        case idle
        /// Connected at the ENet level, no Hello yet.
        case connected
        /// Joined: a player in the simulation.
        case playing
        /// Refused or leaving: further messages are ignored until the disconnect event.
        case closing
    }

    var phase: Phase = .idle
    var playerId: UInt32 = 0
    var leaveReason = "disconnected"
    /// Newest input sequence received and the inputs not yet applied, oldest first.
    var newestReceived: UInt32 = 0
    var pending: [(sequence: UInt32, command: InputCommand)] = []
    var lastApplied: UInt32 = 0
    var ackTick: UInt32 = 0
    /// Events for this player's next Events message.
    var outbox: [GameEvent] = []

    /// Inputs queued beyond this are dropped oldest first, so a burst cannot speed a player up.
    static let maximumPending = 4

    mutating func reset() {
        self = Session()
    }

    /// Queues the inputs of a message that are newer than any seen, oldest first.
    mutating func receive(_ m: InputMessage) {
        guard m.newestSequence > newestReceived else { return }
        let fresh = min(Int(m.newestSequence - newestReceived), m.commands.count)
        for i in stride(from: fresh - 1, through: 0, by: -1) {
            pending.append((m.newestSequence - UInt32(i), m.commands[i]))
        }
        newestReceived = m.newestSequence
        ackTick = max(ackTick, m.ackTick)
        if pending.count > Session.maximumPending {
            pending.removeFirst(pending.count - Session.maximumPending)
        }
    }
}
