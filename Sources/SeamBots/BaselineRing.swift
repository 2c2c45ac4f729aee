import SeamProtocol

/// The snapshots a bot decoded from its current owner, by tick modulo 32: the baselines its deltas name.
///
/// A swarm decodes a delta per bot per tick, so nothing here allocates once warm: every slot keeps its
/// arrays, and a delta is decoded into a spare frame that then trades places with the slot of its tick. The
/// checksum a later delta names a frame by comes with the decoding; a full snapshot's is computed the first
/// time a delta names it.
struct BaselineRing {
    static let capacity = 32

    private var frames: [SnapshotFrame]
    /// Whether the slot holds a frame of the current owner (emptied when the owner changes).
    private var filled: [Bool]
    /// The slot's `checksum`, once computed.
    private var checksums: [UInt16?]
    private var spare = BaselineRing.emptyFrame

    private static let emptyFrame = SnapshotFrame(tick: 0, sortedEntities: [], coins: [])

    init() {
        frames = Array(repeating: BaselineRing.emptyFrame, count: BaselineRing.capacity)
        filled = Array(repeating: false, count: BaselineRing.capacity)
        checksums = Array(repeating: nil, count: BaselineRing.capacity)
    }

    /// The stored frame of `tick`, if any.
    func frame(tick: UInt32) -> SnapshotFrame? {
        let k = Int(tick) % BaselineRing.capacity
        return filled[k] && frames[k].tick == tick ? frames[k] : nil
    }

    /// Forgets every frame (a new owner's deltas never name the old one's).
    mutating func removeAll() {
        for k in filled.indices { filled[k] = false }
    }

    /// Stores a full snapshot's entities and coins (in any order) as the frame of `tick`.
    mutating func store(tick: UInt32, entities: [EntityState], coins: [CoinView]) {
        let k = Int(tick) % BaselineRing.capacity
        frames[k].tick = tick
        frames[k].entities.removeAll(keepingCapacity: true)
        frames[k].entities.append(contentsOf: entities)
        frames[k].entities.sort { $0.id < $1.id }
        frames[k].coins.removeAll(keepingCapacity: true)
        frames[k].coins.append(contentsOf: coins)
        frames[k].coins.sort { $0.id < $1.id }
        filled[k] = true
        checksums[k] = nil
    }

    /// Rebuilds a delta against the frame its header names and stores the result as the frame of its tick.
    /// Throws when that frame is missing or is not the delta's baseline, or the delta is malformed; nothing
    /// stored changes then.
    mutating func apply(_ bytes: UnsafeRawBufferPointer, header: DeltaCodec.Header) throws(DecodeError) {
        let b = Int(header.baselineTick) % BaselineRing.capacity
        guard filled[b], frames[b].tick == header.baselineTick else {
            throw DecodeError("no frame of baseline tick \(header.baselineTick)", at: 5)
        }
        let checksum: UInt16
        if let known = checksums[b] {
            checksum = known
        } else {
            checksum = frames[b].checksum
            checksums[b] = checksum
        }
        let rebuilt = try DeltaCodec.apply(bytes, baseline: frames[b], baselineChecksum: checksum, into: &spare)
        let k = Int(header.tick) % BaselineRing.capacity
        swap(&spare, &frames[k])
        filled[k] = true
        checksums[k] = rebuilt.checksum
    }
}
