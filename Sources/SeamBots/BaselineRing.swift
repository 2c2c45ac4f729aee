import SeamProtocol

/// The snapshots a bot decoded from its current owner, by tick modulo 32: the baselines its deltas name.
///
/// A swarm decodes a delta per bot per tick, so nothing here allocates once warm: every slot keeps its
/// arrays, and a delta is decoded into a spare frame that then trades places with the slot of its tick. The
/// checksum a later delta names a frame by comes with the decoding; a full snapshot's is computed the first
/// time a delta names it.
struct BaselineRing {
    static let capacity = 32

    struct Slot {
        var frame = SnapshotFrame(tick: 0, sortedEntities: [], coins: [])
        /// Whether the slot holds a frame of the current owner (emptied when the owner changes).
        var filled = false
        /// The frame's `checksum`, once computed.
        var checksum: UInt16?
    }

    private var slots = Array(repeating: Slot(), count: BaselineRing.capacity)
    private var spare = Slot()

    /// The stored frame of `tick`, if any.
    func frame(tick: UInt32) -> SnapshotFrame? {
        let k = Int(tick) % BaselineRing.capacity
        return slots[k].filled && slots[k].frame.tick == tick ? slots[k].frame : nil
    }

    /// Forgets every frame (a new owner's deltas never name the old one's).
    mutating func removeAll() {
        for k in slots.indices { slots[k].filled = false }
    }

    /// Stores a full snapshot's entities and coins (in any order) as the frame of `tick`.
    mutating func store(tick: UInt32, entities: [EntityState], coins: [CoinView]) {
        let k = Int(tick) % BaselineRing.capacity
        slots[k].frame.tick = tick
        slots[k].frame.entities.removeAll(keepingCapacity: true)
        slots[k].frame.entities.append(contentsOf: entities)
        slots[k].frame.entities.sort { $0.id < $1.id }
        slots[k].frame.coins.removeAll(keepingCapacity: true)
        slots[k].frame.coins.append(contentsOf: coins)
        slots[k].frame.coins.sort { $0.id < $1.id }
        slots[k].filled = true
        slots[k].checksum = nil
    }

    /// Rebuilds a delta against the frame its header names and stores the result as the frame of its tick.
    /// Throws when that frame is missing or is not the delta's baseline, or the delta is malformed; nothing
    /// stored changes then.
    mutating func apply(_ bytes: UnsafeRawBufferPointer, header: DeltaCodec.Header) throws(DecodeError) {
        let b = Int(header.baselineTick) % BaselineRing.capacity
        guard slots[b].filled, slots[b].frame.tick == header.baselineTick else {
            throw DecodeError("no frame of baseline tick \(header.baselineTick)", at: 5)
        }
        let checksum: UInt16
        if let known = slots[b].checksum {
            checksum = known
        } else {
            checksum = slots[b].frame.checksum
            slots[b].checksum = checksum
        }
        let rebuilt = try DeltaCodec.apply(bytes, baseline: slots[b].frame, baselineChecksum: checksum,
                                           into: &spare.frame)
        spare.filled = true
        spare.checksum = rebuilt.checksum
        swap(&spare, &slots[Int(header.tick) % BaselineRing.capacity])
    }
}
