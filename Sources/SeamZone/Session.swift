import SeamProtocol
import SeamWorld

/// A connection slot's state in a zone, stored in an array indexed by ENet peer slot.
struct Session {
    enum Phase: Equatable {
        /// No connection in this slot.
        case idle
        /// Connected at the ENet level, no Hello or Attach yet.
        case connected
        /// The owner connection of `playerId`, a player in this zone's simulation.
        case playing
        /// A standby connection for `playerId`, a player a neighbour owns (make before break), or the old
        /// owner's connection after a handoff.
        case standby
        /// A neighbour zone's link.
        case link
        /// A referee streaming this zone's journal records.
        case observer
        /// Refused or leaving: further messages are ignored until the disconnect event.
        case closing
    }

    var phase: Phase = .idle
    var playerId: UInt32 = 0
    /// Where `playerId` was in the simulation's players at this connection's last snapshot (checked by id
    /// before use).
    var playerIndex = 0
    /// The protocol version of the Hello or Attach (the snapshots differ: see `Wire.deltaSnapshotVersion`).
    var version = Wire.version
    /// A v6 client's table as the zone knows it, and the simulation's `groundRevision` when its coins in view
    /// were last found.
    var ghost = GhostView()
    var groundRevision = UInt64.max
    /// The entity table's `layout` at which `view`'s references were last right (v6).
    var viewLayout = UInt64.max
    var leaveReason = "disconnected"
    var ackTick: UInt32 = 0
    /// Events for this player's next Events message.
    var outbox: [GameEvent] = []
    /// Tick of the last snapshot sent on this connection (its frame is in the zone's `FrameStore` while
    /// recent).
    var lastSentTick: UInt32 = 0
    /// The serial of the last ZoneStatus sent on this connection (see `ZoneServer.sendStatusIfDue`).
    var statusSerial: UInt32 = 0
    /// The other players this connection's snapshots carry, as last chosen (see `viewRefreshTicks`).
    var view: [EntityTable.Ref] = []
    /// Tick at which `view` was chosen.
    var viewTick: UInt32 = 0

    /// Membership (which players a snapshot carries) is chosen again every this many ticks, in between
    /// the same members go out with their current states: choosing is the nearest-first search of the
    /// grid, a third of a busy zone's snapshot work when done every tick (every 8th instead of every 4th
    /// saved 3.7% of the zone's CPU). A player coming into view shows up to 7 ticks (350 ms at 20 Hz) later
    /// than it could; connections are staggered by slot (slot mod 8 = tick mod 8).
    static let viewRefreshTicks = 8

    /// The same for v6 (ghost) clients: every 16th tick (0.8 s at 20 Hz; slot mod 16 = tick mod 16). Their
    /// snapshots cost so little between choices that choosing every 8th tick was a third of a busy zone's
    /// instructions; a player coming into view (at the 16-tile edge) shows up to 15 ticks later than it
    /// could, one leaving goes as late. Members' states are current at every tick either way.
    static let ghostViewRefreshTicks = 16

    /// A delta's baseline must be at most this many ticks old (1.6 s at 20 Hz); older means a full snapshot.
    static let frameHistory = 32

    /// The v6 snapshot of this tick (`GhostView.build`) of the view as it is: one access to the session, so
    /// that the view is lent in place while the ghost view changes.
    mutating func buildGhost(
        _ frame: GhostView.Frame, moved: Bool, states: UnsafeBufferPointer<EntityState>,
        coins: UnsafeBufferPointer<(id: UInt32, at: Vec2, distanceSquared: Double)>?, into buffer: UnsafeMutableRawBufferPointer
    ) -> (bytes: Int, sent: Int, stale: Int)? {
        view.withUnsafeMutableBufferPointer { view in
            ghost.build(frame, view: UnsafeBufferPointer(view), moved: moved, states: states, coins: coins, into: buffer)
        }
    }

    /// Back to idle. The zone gives back the slot's frames too (`ZoneServer.resetSession`).
    mutating func reset() {
        self = Session()
    }
}

/// A player's inputs as they arrive (possibly out of order, repeated, or forwarded by the old owner),
/// applied one per tick in sequence order.
///
/// The newest `maximumPending` are kept in the record itself, a ring: a playing client's one input in and one
/// out per tick touch no storage of their own (an array here missed the cache at its first touch on both
/// paths, 7% of a busy zone's user cycles). Only a frozen player's queue grows past them, into `older`.
struct InputQueue {
    typealias Entry = (sequence: UInt32, command: InputCommand)

    var newestReceived: UInt32 = 0
    var lastApplied: UInt32 = 0
    /// The newest queued inputs, oldest first from `recentStart` round the ring (`maximumPending` of them).
    typealias Ring = InlineArray<4, Entry>
    private var recent = Ring(repeating: (0, InputCommand()))
    private var recentStart = 0
    private var recentCount = 0
    /// Queued inputs older than all of `recent`, oldest first: empty unless the player was frozen.
    private var older: [Entry] = []

    /// Inputs queued beyond this are dropped oldest first, so a burst cannot speed a player up. While a
    /// player is frozen for a handoff nothing is applied, and up to `frozenLimit` are kept for forwarding.
    static let maximumPending = Ring.count
    static let frozenLimit = 64

    /// How many inputs are queued.
    var count: Int { older.count + recentCount }

    /// Queues the inputs newer than any seen, oldest first.
    mutating func receive<Commands: RandomAccessCollection<InputCommand>>(
        newestSequence: UInt32, commands: Commands, frozen: Bool
    ) where Commands.Index == Int {
        guard newestSequence > newestReceived else { return }
        let fresh = min(Int(newestSequence - newestReceived), commands.count)
        let limit = frozen ? InputQueue.frozenLimit : InputQueue.maximumPending
        for i in stride(from: fresh - 1, through: 0, by: -1) {
            push((newestSequence - UInt32(i), commands[i]), keeping: limit)
        }
        newestReceived = newestSequence
    }

    /// Queues `entry` as the newest and keeps at most `limit` (at least the ring's size), the oldest dropped.
    private mutating func push(_ entry: Entry, keeping limit: Int) {
        if recentCount < recent.count {
            recent[(recentStart + recentCount) % recent.count] = entry
            recentCount += 1
        } else {
            if limit > recent.count { older.append(recent[recentStart]) }
            recent[recentStart] = entry
            recentStart = (recentStart + 1) % recent.count
        }
        // What is over the limit now is all in `older`: the ring holds at most `limit`.
        if count > limit { older.removeFirst(count - limit) }
    }

    /// The oldest queued input, now no longer queued.
    mutating func takeOldest() -> Entry? {
        if !older.isEmpty { return older.removeFirst() }
        guard recentCount > 0 else { return nil }
        let entry = recent[recentStart]
        recentStart = (recentStart + 1) % recent.count
        recentCount -= 1
        return entry
    }

    /// Every queued input, oldest first.
    var queued: [Entry] {
        older + (0..<recentCount).map { recent[(recentStart + $0) % recent.count] }
    }

    /// The inputs not applied yet, newest first, as an Input or a forwarded-inputs message carries them.
    func unapplied() -> (newest: UInt32, commands: [InputCommand])? {
        let fresh = queued.filter { $0.sequence > lastApplied }
        guard let newest = fresh.last?.sequence else { return nil }
        return (newest, fresh.reversed().map(\.command))
    }
}

/// What the zone knows of a player it owns.
struct OwnedPlayer {
    enum Handoff: Equatable {
        case none
        /// Frozen and offered to `to` at `epoch`, waiting for its answer.
        case offered(to: Int, epoch: UInt32)
        /// The link to `to` failed before it answered: neither resume nor release until it is known.
        case inDoubt(to: Int, epoch: UInt32, sinceNanos: UInt64)
    }

    /// The owner connection's slot, nil until the client attaches (after a handoff without standby).
    var slot: Int?
    var epoch: UInt32
    var handoff = Handoff.none
    /// Neighbour zone indices the client was told to keep a standby connection to.
    var standbys: Set<Int> = []
    var inputs = InputQueue()
    /// When this zone took the player (accept or resume): one with no connection `clientGraceNanos` later leaves.
    var acceptedNanos: UInt64 = 0

    /// The owner connection's slot and the last input applied. `mutating` although it changes nothing, as
    /// is `takeInput`: the hot paths reach a record through `owned.values[k]`, whose getter copies the whole
    /// record (a retain and release per collection in it) where the modify accessor a mutating call goes
    /// through does not.
    mutating func sending() -> (slot: Int?, lastApplied: UInt32) { (slot, inputs.lastApplied) }

    /// What the handoff pass reads of the record: `mutating` for the same reason.
    mutating func handoffState() -> (slot: Int?, handoff: Handoff, epoch: UInt32, lastApplied: UInt32, acceptedNanos: UInt64) {
        (slot, handoff, epoch, inputs.lastApplied, acceptedNanos)
    }

    /// Whether the client was told to keep a standby connection to neighbour `zone`: `mutating` likewise.
    mutating func hasStandby(_ zone: Int) -> Bool { standbys.contains(zone) }

    /// No handoff under way, an owner connection, no standby connection: `mutating` for the same reason.
    mutating func isSettled() -> Bool { handoff == .none && slot != nil && standbys.isEmpty }

    /// Queues a client's inputs if they came on the owner connection `slot` (kept for forwarding while the
    /// player is offered to a neighbour); false, queueing nothing, if not.
    mutating func receiveInputs<Commands: RandomAccessCollection<InputCommand>>(
        newestSequence: UInt32, commands: Commands, on slot: Int
    ) -> Bool where Commands.Index == Int {
        guard self.slot == slot else { return false }
        inputs.receive(newestSequence: newestSequence, commands: commands, frozen: handoff != .none)
        return true
    }

    /// This tick's input for the player: the oldest queued, now counted as applied; none while `frozen`.
    mutating func takeInput(frozen: Bool) -> (sequence: UInt32, command: InputCommand)? {
        guard !frozen, let next = inputs.takeOldest() else { return nil }
        inputs.lastApplied = next.sequence
        return next
    }
}
