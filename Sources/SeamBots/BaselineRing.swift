import SeamProtocol

/// The snapshots a bot decoded from its current owner, by tick modulo 32: the baselines its deltas name. The
/// frames live in a pool, `frames`, where the bot's view (`InterpolationBuffer`) holds a few by index too.
///
/// A swarm decodes a delta per bot per tick, so nothing here allocates once warm: a delta is decoded into a
/// free frame of the pool, which then takes the place of the slot of its tick; the frame it replaces goes
/// back to the pool once the view no longer holds it. The view holds frames by index, not their arrays: when
/// it shared the arrays, letting go of its oldest frame each tick released an array last touched four ticks
/// earlier, out of every cache (about 3% of a swarm). The checksum a later delta names a frame by comes with
/// the decoding; a full snapshot's is computed the first time a delta names it.
struct BaselineRing {
    static let capacity = 32

    struct Slot {
        /// The slot's frame in `frames` (held even when the slot is empty).
        var frame: UInt8
        /// Whether the frame is one of the current owner (false once the owner changes).
        var filled = false
        /// The frame's `checksum`, once computed.
        var checksum: UInt16?
    }

    /// How many frames the pool has: every frame the ring, the view and the bot's coins (`Bot.coinFrame`)
    /// can hold at once, and one to decode into (`holders` spells it out as 38).
    static let poolSize = capacity + InterpolationBuffer.capacity + 1 + 1

    /// The pool. Its bookkeeping below is stored inline, in the bot, rather than in arrays of their own: each
    /// array is one more object per bot to reach (and check for uniqueness) per delta.
    private(set) var frames = Array(repeating: SnapshotFrame(tick: 0, sortedEntities: [], coins: []),
                                    count: BaselineRing.poolSize)
    /// How many of the ring's slots, the view's frames and the bot's coins hold each frame.
    private var holders = InlineArray<38, UInt8> { $0 < BaselineRing.capacity ? 1 : 0 }
    /// A bit per frame nobody holds.
    private var free: UInt64 = (1 << BaselineRing.poolSize - 1) & ~(1 << BaselineRing.capacity - 1)
    private var slots = InlineArray<32, Slot> { Slot(frame: UInt8($0)) }

    init() {
        precondition(holders.count == BaselineRing.poolSize && slots.count == BaselineRing.capacity)
    }

    /// The index in `frames` of the stored frame of `tick`, if any.
    func frameIndex(tick: UInt32) -> Int? {
        let slot = slots[Int(tick) % BaselineRing.capacity]
        return slot.filled && frames[Int(slot.frame)].tick == tick ? Int(slot.frame) : nil
    }

    /// Forgets every frame (a new owner's deltas never name the old one's).
    mutating func removeAll() {
        for k in slots.indices { slots[k].filled = false }
    }

    /// Stores a full snapshot's entities and coins (in any order) as the frame of `tick`; returns its index.
    @discardableResult
    mutating func store(tick: UInt32, entities: [EntityState], coins: [CoinView]) -> Int {
        let f = freeFrame()
        frames[f].tick = tick
        frames[f].entities.removeAll(keepingCapacity: true)
        frames[f].entities.append(contentsOf: entities)
        frames[f].entities.sort { $0.id < $1.id }
        frames[f].coins.removeAll(keepingCapacity: true)
        frames[f].coins.append(contentsOf: coins)
        frames[f].coins.sort { $0.id < $1.id }
        place(f, tick: tick, checksum: nil)
        return f
    }

    /// Rebuilds a delta against the frame its header names and stores the result as the frame of its tick;
    /// returns its index. Throws when that frame is missing or is not the delta's baseline, or the delta is
    /// malformed; nothing stored changes then.
    @discardableResult
    mutating func apply(_ bytes: UnsafeRawBufferPointer, header: DeltaCodec.Header) throws(DecodeError) -> Int {
        let b = Int(header.baselineTick) % BaselineRing.capacity
        let baseline = Int(slots[b].frame)
        guard slots[b].filled, frames[baseline].tick == header.baselineTick else {
            throw DecodeError("no frame of baseline tick \(header.baselineTick)", at: 5)
        }
        let checksum: UInt16
        if let known = slots[b].checksum {
            checksum = known
        } else {
            checksum = frames[baseline].checksum
            slots[b].checksum = checksum
        }
        let f = freeFrame()
        // The baseline's arrays are lent as buffers, not copied in a `SnapshotFrame`: a copy (or a closure
        // over the pool's element) cost a retain and a release of each per delta, each a locked instruction.
        // The buffers outlive their closures here, safely: the pool keeps the baseline's arrays, and nothing
        // mutates or frees them before the decode into the other frame `f` ends.
        let rebuilt = frames.withUnsafeMutableBufferPointer { frames in
            let entities = frames[baseline].entities.withUnsafeBufferPointer { $0 }
            let coins = frames[baseline].coins.withUnsafeBufferPointer { $0 }
            return Result { () throws(DecodeError) in
                try DeltaCodec.apply(bytes, baselineTick: frames[baseline].tick, entities: entities, coins: coins,
                                     baselineChecksum: checksum, into: &frames[f])
            }
        }
        place(f, tick: header.tick, checksum: try rebuilt.get().checksum)
        return f
    }

    /// One more holder of frame `f` (the view, taking it).
    mutating func hold(_ f: Int) {
        holders[f] += 1
    }

    /// One holder fewer of frame `f`: with none left it is free to fill again.
    mutating func release(_ f: Int) {
        holders[f] -= 1
        if holders[f] == 0 { free |= 1 << f }
    }

    /// A frame nobody holds. There is always one: the slots hold `capacity` frames, the view at most
    /// `InterpolationBuffer.capacity` others, the coins one more.
    private func freeFrame() -> Int {
        precondition(free != 0, "every frame of the pool is held")
        return free.trailingZeroBitCount
    }

    /// Puts the filled free frame `f` in the slot of `tick`, in place of the frame there.
    private mutating func place(_ f: Int, tick: UInt32, checksum: UInt16?) {
        assert(free & 1 << f != 0, "frame \(f) is not free")
        free &= ~(1 << f)
        holders[f] = 1
        let k = Int(tick) % BaselineRing.capacity
        let replaced = Int(slots[k].frame)
        slots[k] = Slot(frame: UInt8(f), filled: true, checksum: checksum)
        release(replaced)
    }
}
