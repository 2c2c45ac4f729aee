/// A client's picture of what its owner zone shows it, kept up to date by v6 ghost snapshots
/// (docs/PROTOCOL.md "Ghost snapshot", "Client rules"): a table of slots, each empty or holding one other
/// player with the state it was last sent and the tick of that state, and the coins in view.
///
/// Applying a snapshot costs what it changes: the slots it names, the coins it names.
public struct GhostTable: Sendable {
    /// One slot's player: its newest state, the tick of that state's motion, and the position before it
    /// (with its tick) for a client that interpolates.
    public struct Entry: Equatable, Sendable {
        public var state: EntityState
        public var tick: UInt32
        public var previousX: UInt16
        public var previousY: UInt16
        public var previousTick: UInt32
    }

    public private(set) var entries: [Entry]
    /// A bit per slot that holds a player.
    public private(set) var occupied: [UInt64]
    /// Coins in view, in no particular order.
    public private(set) var coins: [CoinView] = []
    /// The newest tick applied (0: none since the last `clear`).
    public private(set) var tick: UInt32 = 0
    /// Until a snapshot with the reset flag arrives (at first and after `clear`) snapshots are not applied.
    public private(set) var awaitingReset = true
    /// Updates that named an empty slot (a zone that broke the protocol): skipped.
    public private(set) var updatesOfEmptySlots = 0

    public init() {
        let blank = Entry(state: EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 0, flags: 0), tick: 0,
                          previousX: 0, previousY: 0, previousTick: 0)
        entries = Array(repeating: blank, count: GhostCodec.slotCount)
        occupied = Array(repeating: 0, count: GhostCodec.slotCount / 64)
    }

    /// How many slots hold a player.
    public var count: Int { occupied.reduce(0) { $0 + $1.nonzeroBitCount } }

    /// Forgets everything (the owner changed): nothing is applied until the new owner's reset snapshot, and
    /// the client acknowledges 0 meanwhile.
    public mutating func clear() {
        tick = 0
        awaitingReset = true
        for w in occupied.indices { occupied[w] = 0 }
        coins.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with each occupied slot's entry, in slot order.
    public func forEach(_ body: (Entry) -> Void) {
        for w in occupied.indices {
            var bits = occupied[w]
            while bits != 0 {
                body(entries[w << 6 | bits.trailingZeroBitCount])
                bits &= bits &- 1
            }
        }
    }

    /// The players in the table, sorted by id (for tests and comparisons).
    public var players: [EntityState] {
        var out: [EntityState] = []
        forEach { out.append($0.state) }
        return out.sorted { $0.id < $1.id }
    }

    public enum Outcome: Equatable, Sendable {
        /// Applied; the client acknowledges `tick` from now on.
        case applied
        /// Not newer than the newest applied (ENet's sequencing makes this rare): nothing changed.
        case stale
        /// Waiting for a reset snapshot, and this is not one: nothing changed.
        case awaitingReset
    }

    /// Applies a whole ghost snapshot (type byte included). Throws, changing nothing, if it is malformed.
    @discardableResult
    public mutating func apply(_ bytes: UnsafeRawBufferPointer) throws(DecodeError) -> (GhostCodec.Header, Outcome) {
        let l = try GhostCodec.layout(bytes)
        let h = l.header
        if !h.reset && awaitingReset { return (h, .awaitingReset) }
        if tick != 0 && h.tick <= tick { return (h, .stale) }
        if h.reset {
            for w in occupied.indices { occupied[w] = 0 }
            coins.removeAll(keepingCapacity: true)
            awaitingReset = false
        }
        tick = h.tick
        let base = bytes.baseAddress!
        func u8(_ at: Int) -> UInt8 { base.load(fromByteOffset: at, as: UInt8.self) }
        func u16(_ at: Int) -> UInt16 { UInt16(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt16.self)) }
        func u32(_ at: Int) -> UInt32 { UInt32(littleEndian: base.loadUnaligned(fromByteOffset: at, as: UInt32.self)) }
        occupied.withUnsafeMutableBufferPointer { occupied in
            entries.withUnsafeMutableBufferPointer { entries in
                for k in 0..<l.removedCount {
                    let s = Int(u8(l.removed + k))
                    occupied[s >> 6] &= ~(1 << UInt64(s & 63))
                }
                var at = l.records
                for _ in 0..<l.recordCount {
                    let s = Int(u8(at)), mask = u8(at + 1)
                    at += 2
                    let bit: UInt64 = 1 << UInt64(s & 63)
                    if mask == GhostCodec.add {
                        let x = u16(at + 4), y = u16(at + 6)
                        entries[s] = Entry(
                            state: EntityState(id: u32(at), x: x, y: y, vx: Int16(bitPattern: u16(at + 8)),
                                               vy: Int16(bitPattern: u16(at + 10)), health: u8(at + 12), flags: u8(at + 13)),
                            tick: h.tick, previousX: x, previousY: y, previousTick: h.tick)
                        occupied[s >> 6] |= bit
                        at += EntityState.wireSize
                        continue
                    }
                    let held = occupied[s >> 6] & bit != 0
                    if !held { updatesOfEmptySlots += 1 }
                    if mask & GhostCodec.motion != 0 {
                        if held {
                            entries[s].previousX = entries[s].state.x
                            entries[s].previousY = entries[s].state.y
                            entries[s].previousTick = entries[s].tick
                            entries[s].state.x = u16(at); entries[s].state.y = u16(at + 2)
                            entries[s].state.vx = Int16(bitPattern: u16(at + 4))
                            entries[s].state.vy = Int16(bitPattern: u16(at + 6))
                            entries[s].tick = h.tick
                        }
                        at += 8
                    }
                    if mask & GhostCodec.healthFlags != 0 {
                        if held { entries[s].state.health = u8(at); entries[s].state.flags = u8(at + 1) }
                        at += 2
                    }
                }
            }
        }
        for k in 0..<l.coinsRemovedCount {
            let id = u32(l.coinsRemoved + 4 * k)
            if let i = coins.firstIndex(where: { $0.id == id }) { coins.swapAt(i, coins.count - 1); coins.removeLast() }
        }
        for k in 0..<l.coinsAddedCount {
            let at = l.coinsAdded + CoinView.wireSize * k
            let c = CoinView(id: u32(at), x: u16(at + 4), y: u16(at + 6))
            if let i = coins.firstIndex(where: { $0.id == c.id }) { coins[i] = c } else { coins.append(c) }
        }
        return (h, .applied)
    }
}
