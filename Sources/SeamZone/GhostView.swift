import CSeamBlocks
import SeamProtocol
import SeamSimulation
import SeamWorld

/// What a zone knows of one v6 client's table (docs/PROTOCOL.md "Ghost snapshot"), and the snapshot that
/// changes it each tick.
///
/// Every member of the connection's view has a slot in the client's table. The zone sends a member's add
/// until a snapshot carrying it is acknowledged, then only its motion (by dead reckoning: when it is off where
/// the client predicts it from the last motion sent, the nearest quarter at once, the others within the update
/// budget; and a refresh every `4 + d` ticks) and its health and flags when they change (until acknowledged). A removed slot is named in every snapshot until acknowledged, and only then
/// given to another member. Acknowledgement needs no per-snapshot record: whatever must reach the client is
/// carried by *every* snapshot from a tick `since` on, so a client that acknowledges any tick ≥ `since` has
/// it. Nothing here is proportional to the members each tick beyond one pass over them.
struct GhostView {
    /// 24 bytes: the per-tick pass reads every member's record (and only it: the grid index of its state is
    /// copied here from the view), so the record is kept small (it was 36 bytes, with the view's 8 read beside
    /// it, when the pass waited on memory for a fifth of a busy zone's cycles).
    struct Member {
        /// Where its state is in the entity table this tick (the view's reference, copied whenever the view
        /// moves: when it is chosen, and by `build` when the table's layout changed).
        var index: Int32
        /// Tick of the last motion sent: what the client predicts the member from, with the motion below.
        var lastSent: UInt32 = 0
        /// First tick of the run of snapshots that each carried this member's add (while not `acked`) or its
        /// health and flags (while `healthPending`); 0: none running. An add acknowledged carries the health,
        /// so the two runs never overlap.
        var since: UInt32 = 0
        var sentX: UInt16 = 0
        var sentY: UInt16 = 0
        var sentVX: Int16 = 0
        var sentVY: Int16 = 0
        /// The client's slot; `GhostView.noSlot` while none is free (the member is then not shown).
        var slot: UInt8
        /// `acked`, `healthPending` and `near` in the low three bits, so that the pass tells a member it may
        /// pass over (`bits & Member.flagBits == Member.ackedOnly`) with one comparison; `refreshTicks` - 4 in
        /// the upper five.
        var bits: UInt8 = 0
        /// Health and flags last sent.
        var health: UInt8 = 0
        var flags: UInt8 = 0

        static let ackedOnly: UInt8 = 1
        static let healthBit: UInt8 = 2
        static let nearBit: UInt8 = 4
        static let flagBits: UInt8 = 7

        init(index: Int32, slot: UInt8) {
            self.index = index
            self.slot = slot
        }

        /// The client surely holds this member in `slot`.
        var acked: Bool {
            get { bits & Member.ackedOnly != 0 }
            set { bits = newValue ? bits | Member.ackedOnly : bits & ~Member.ackedOnly }
        }
        /// The client may not have the health and flags last sent.
        var healthPending: Bool {
            get { bits & Member.healthBit != 0 }
            set { bits = newValue ? bits | Member.healthBit : bits & ~Member.healthBit }
        }
        /// Among the nearest quarter, chosen with the view: motion as soon as it is off the client's
        /// prediction, whatever the budget.
        var near: Bool {
            get { bits & Member.nearBit != 0 }
            set { bits = newValue ? bits | Member.nearBit : bits & ~Member.nearBit }
        }
        /// Chosen with the view: the ticks between two refreshes of a member on its prediction, `4 + d` for
        /// its distance `d` in tiles, at most 31 (so that a client that lost a motion has it again).
        var refreshTicks: Int {
            get { 4 + Int(bits >> 3) }
            set { bits = bits & Member.flagBits | UInt8(min(max(newValue - 4, 0), 31)) << 3 }
        }
    }

    /// The slot a member has while the client's table has none free. The zone never gives slot 255 (a view
    /// holds at most 128 others, and removed slots wait for an acknowledgement before they are reused).
    static let noSlot: UInt8 = 255

    /// How far (position units, either axis) a member may be from where the client predicts it before its
    /// motion is sent: 2/64 of a tile. Rounding of the quantized velocity alone moves a prediction about a
    /// unit per 40 ticks.
    static let predictionTolerance = 2

    struct Coin {
        var coin: CoinView
        /// Where the coin lies (exactly, to notice a move).
        var at: Vec2
        var acked = false
        var addSince: UInt32 = 0
    }

    // What `acknowledge` reads on every Input, first and together.
    /// Until a reset snapshot is acknowledged every snapshot carries the reset flag (from `resetSince` on).
    private(set) var resetting = true
    private var resetSince: UInt32 = 0
    private var newestAck: UInt32 = 0
    /// Whether a member may have something unacknowledged (an add or a health change): `acknowledge` has
    /// nothing to look at otherwise.
    private var pending = false
    /// At most the earliest tick from which a pending add or health change went out in every snapshot
    /// (`UInt32.max`: none went out yet): an acknowledgement of an earlier tick acknowledges none of them, and
    /// `acknowledge` does not look (with an input per tick and a round trip of a few ticks, most do not).
    private var pendingSince = UInt32.max
    /// Whether a coin may not be acknowledged yet (`acknowledge` has none to look at otherwise).
    private var coinsPending = false
    /// Whether `removals` and `coinRemovals` hold any, and `coins.count`: read here, with the rest, instead
    /// of in the arrays' own storage (a cache miss on most of a busy zone's Inputs, for lists that are nearly
    /// always empty: half of `acknowledge`'s cycles). Set wherever the arrays change.
    private var hasRemovals = false
    private var hasCoinRemovals = false
    private var coinCount = 0

    /// In the order of the session's `view` (id order), one per view member, and their ids (read only when
    /// the view is chosen again).
    private(set) var members: [Member] = []
    private var ids: [UInt32] = []
    private var nextIds: [UInt32] = []
    /// Slots taken by members or by removals not yet acknowledged, a bit each.
    private var used = InlineArray<4, UInt64>(repeating: 0)
    /// Slots removed from the client's table, and since which tick every snapshot named them (0: not sent).
    private var removals: [(slot: UInt8, since: UInt32)] = []
    private var coins: [Coin] = []
    private var coinRemovals: [(id: UInt32, since: UInt32)] = []
    private var nextCoins: [Coin] = []
    private(set) var lastSentTick: UInt32 = 0
    /// Scratch.
    private var next: [Member] = []
    /// Scratch of `writeMembers`: the members beyond the nearest quarter due a motion this tick.
    private var candidates: [UInt32] = []
    /// Members beyond the nearest quarter, as of the last choice.
    private var farCount = 0
    private var distances: [Double] = []

    /// The coins a snapshot shows: the nearest in view.
    static let maximumCoins = 16

    /// Most coin removals one snapshot names (256 bytes). With the slot removals (at most 255 bytes), the 16
    /// coins' adds and the header, the sections written whole stay within 700 of the 1,200 bytes: a client
    /// that acknowledged nothing while coins came and went by hundreds no longer makes a snapshot that does
    /// not fit (it stopped a busy zone of continent-6000). Removals beyond it wait, unsent, for the next.
    static let maximumCoinRemovals = 64

    /// Asks the processor to bring the members' records into its caches: the zone calls it for the next
    /// connection while it sends the present one's snapshot, so that `build`'s pass over them does not wait on
    /// memory (the records of a thousand connections, 2 MB, do not stay in a core's caches from tick to tick).
    mutating func prefetch() {
        members.withUnsafeMutableBytes { bytes in
            if let start = bytes.baseAddress { seam_prefetch(start, bytes.count) }
        }
    }

    // MARK: Acknowledgement

    /// The client acknowledged tick `tick` (its newest applied; 0 = it holds nothing and waits for a reset).
    mutating func acknowledge(_ tick: UInt32) {
        guard tick != 0 else {
            if !resetting { startReset() }
            return
        }
        guard tick > newestAck else { return }
        newestAck = tick
        if resetting {
            // Acknowledgements of snapshots before the reset say nothing of the table the client has now.
            guard resetSince != 0, tick >= resetSince else { return }
            resetting = false
        }
        if pending && tick >= pendingSince {
            pending = false
            pendingSince = .max
            for k in members.indices where !members[k].acked || members[k].healthPending {
                let since = members[k].since
                if since != 0 && tick >= since {
                    if members[k].acked { members[k].healthPending = false } else { members[k].acked = true }
                    members[k].since = 0
                    continue
                }
                // A member without a slot is never sent: nothing of it is awaited.
                guard members[k].slot != GhostView.noSlot else { continue }
                pending = true
                if since != 0 { pendingSince = min(pendingSince, since) }
            }
        }
        if hasRemovals {
            // By index: a `for` over the array while writing it copied the array each time.
            var kept = 0
            for i in removals.indices {
                let r = removals[i]
                if r.since != 0 && tick >= r.since {
                    free(Int(r.slot))
                } else {
                    removals[kept] = r
                    kept += 1
                }
            }
            removals.removeLast(removals.count - kept)
            hasRemovals = kept > 0
        }
        if coinsPending {
            coinsPending = false
            for k in coins.indices where !coins[k].acked {
                if coins[k].addSince != 0 && tick >= coins[k].addSince { coins[k].acked = true } else { coinsPending = true }
            }
        }
        if hasCoinRemovals {
            coinRemovals.removeAll { $0.since != 0 && tick >= $0.since }
            hasCoinRemovals = !coinRemovals.isEmpty
        }
    }

    /// The client's table is (or will be) empty: everything is sent again, under the reset flag.
    mutating func startReset() {
        resetting = true
        resetSince = 0
        newestAck = 0
        pending = true
        pendingSince = .max
        for k in members.indices {
            members[k].acked = false
            members[k].since = 0
            members[k].healthPending = false
        }
        for k in coins.indices {
            coins[k].acked = false
            coinsPending = true
            coins[k].addSince = 0
        }
    }

    // MARK: Membership

    /// The view was chosen again: `view` (id order) replaces the members. Members that stay keep their slots;
    /// those that left have their slots removed; newcomers get free slots. `states` are the new members' states
    /// and squared distances (for the nearest quarter).
    mutating func choose(view: [EntityTable.Ref],
                         states: UnsafeBufferPointer<(state: EntityState, distanceSquared: Double)>) {
        precondition(states.count == view.count, "GhostView: view and states differ")
        let n = view.count
        // Written through pointers into storage sized once: appending a member at a time (a capacity and a
        // uniqueness check each) cost more than the merge itself.
        next.resize(to: n, fill: Member(index: 0, slot: GhostView.noSlot))
        nextIds.resize(to: n, fill: 0)
        if distances.count < n { distances = Array(repeating: 0, count: n) }
        members.withUnsafeMutableBufferPointer { old in
            next.withUnsafeMutableBufferPointer { out in
                ids.withUnsafeMutableBufferPointer { oldIds in
                    nextIds.withUnsafeMutableBufferPointer { outIds in
                        var i = 0
                        for k in 0..<n {
                            let id = view[k].id
                            while i < old.count && oldIds[i] < id {
                                if old[i].slot != GhostView.noSlot { removals.append((old[i].slot, 0)) }
                                i += 1
                            }
                            if i < old.count && oldIds[i] == id {
                                out[k] = old[i]
                                out[k].index = view[k].index
                                i += 1
                            } else {
                                // Its slot is taken below, once these buffers are given back.
                                out[k] = Member(index: view[k].index, slot: GhostView.noSlot)
                            }
                            outIds[k] = id
                        }
                        while i < old.count {
                            if old[i].slot != GhostView.noSlot { removals.append((old[i].slot, 0)) }
                            i += 1
                        }
                    }
                }
            }
        }
        hasRemovals = !removals.isEmpty
        swap(&members, &next)
        swap(&ids, &nextIds)
        // Newcomers, and members for which no slot was free before, take free slots (each then awaits its add).
        for k in 0..<n where members[k].slot == GhostView.noSlot {
            members[k].slot = takeSlot()
            pending = true
        }
        let nearCut = distances.withUnsafeMutableBufferPointer { d in
            for k in 0..<n { d[k] = states[k].distanceSquared }
            return PriorityAccumulator.nearestCut(always: FrameBuilder.alwaysFresh(of: n),
                                                  in: UnsafeMutableBufferPointer(rebasing: d[0..<n]))
        }
        var near = 0
        members.withUnsafeMutableBufferPointer { members in
            for k in 0..<n {
                let d2 = states[k].distanceSquared
                members[k].near = d2 <= nearCut
                if members[k].near { near += 1 }
                members[k].refreshTicks = 4 + Int(min(d2.squareRoot(), 31) + 0.5)
            }
        }
        farCount = n - near
    }

    private mutating func takeSlot() -> UInt8 {
        for w in 0..<4 where used[w] != ~0 {
            let bit = (~used[w]).trailingZeroBitCount
            guard w << 6 | bit != Int(GhostView.noSlot) else { break }
            used[w] |= 1 << UInt64(bit)
            return UInt8(w << 6 | bit)
        }
        return GhostView.noSlot
    }

    private mutating func free(_ slot: Int) {
        used[slot >> 6] &= ~(1 << UInt64(slot & 63))
    }

    // MARK: The snapshot

    /// What `build` is given beside the members.
    struct Frame {
        var tick: UInt32
        var lastInputSequence: UInt32
        var me: SelfState
        /// Bytes of motion records for members beyond the nearest quarter (adds and health changes aside).
        var updateBudget: Int
        /// The zone's load level for far updates (0 or 1: normal; 2 and up: refreshes that many times rarer).
        var threshold: Double
    }

    /// Writes the snapshot of `frame.tick` into `buffer` (at least `Wire.maximumSnapshotBytes`), returning its
    /// length and how many members it refreshed and did not; nil, writing nothing, when one of that tick
    /// already went out. `view` is the session's view (one reference per member, checked this tick), `states`
    /// the entity table's states its references index, `coins` the coins in view nearest first when they were
    /// found again (nil: the same as before).
    mutating func build(
        _ frame: Frame, view: UnsafeBufferPointer<EntityTable.Ref>, moved: Bool, states: UnsafeBufferPointer<EntityState>,
        coins visible: UnsafeBufferPointer<(id: UInt32, at: Vec2, distanceSquared: Double)>?,
        into buffer: UnsafeMutableRawBufferPointer
    ) -> (bytes: Int, sent: Int, stale: Int)? {
        precondition(view.count == members.count, "GhostView: view and members differ")
        let tick = frame.tick
        guard tick > lastSentTick else { return nil }
        if moved {
            members.withUnsafeMutableBufferPointer { members in
                for k in 0..<members.count { members[k].index = view[k].index }
            }
        }
        lastSentTick = tick
        if let visible { syncCoins(visible) }
        if resetting && resetSince == 0 { resetSince = tick }
        let threshold = max(1, Int(frame.threshold.rounded(.up)))
        precondition(buffer.count >= Wire.maximumSnapshotBytes, "GhostView: buffer too small")
        var w = RawWriter(buffer.baseAddress!, limit: Wire.maximumSnapshotBytes)
        w.u8(MessageType.ghost.rawValue)
        w.u32(tick); w.u32(frame.lastInputSequence); w.u8(resetting ? GhostCodec.resetFlag : 0)
        w.me(frame.me)
        // Removals, then the coins' section, are always written whole: they are small, and everything
        // after them is cut to the room left.
        let removalCount = hasRemovals ? min(removals.count, 255) : 0
        w.u8(UInt8(removalCount))
        for k in 0..<removalCount {
            w.u8(removals[k].slot)
            if removals[k].since == 0 { removals[k].since = tick }
        }
        let coinRemovalCount = hasCoinRemovals ? min(coinRemovals.count, GhostView.maximumCoinRemovals) : 0
        let coinBytes = 2 + coinRemovalCount * 4 + coinCount * CoinView.wireSize
        let room = Wire.maximumSnapshotBytes - w.count - 1 - coinBytes
        let countAt = w.count
        w.u8(0)
        // Adds and health changes, the nearest quarter's motion, then the far members by priority.
        if candidates.count < members.count { candidates = Array(repeating: 0, count: members.count) }
        let motionSize = GhostCodec.recordSize(mask: GhostCodec.motion)
        let farRecords = max(1, frame.updateBudget / motionSize)
        let pass = candidates.withUnsafeMutableBufferPointer { scratch in
            members.withUnsafeMutableBufferPointer { members in
                GhostView.writeMembers(members, states: states, tick: tick, threshold: threshold,
                                       room: room, farRecords: farRecords, period: GhostView.period(far: farCount, records: farRecords),
                                       scratch: scratch, into: &w)
            }
        }
        if pass.pending { pending = true }
        if pass.started { pendingSince = min(pendingSince, tick) }
        let records = pass.records
        w.or(UInt8(records), at: countAt)
        // The removals named before are the list's first (acknowledged ones leave it, new ones join its end),
        // so the prefix written holds every one started, and each goes on in every snapshot until acknowledged.
        w.u8(UInt8(coinRemovalCount))
        for k in 0..<coinRemovalCount {
            w.u32(coinRemovals[k].id)
            if coinRemovals[k].since == 0 { coinRemovals[k].since = tick }
        }
        var added = 0
        if coinsPending { for c in coins where !c.acked { added += 1 } }
        w.u8(UInt8(added))
        if added > 0 {
            for k in coins.indices where !coins[k].acked {
                w.coin(coins[k].coin)
                if coins[k].addSince == 0 { coins[k].addSince = tick }
            }
        }
        return (w.count, records, members.count - records)
    }

    /// One pass over the members in place (`build`'s inner loop): writes the adds, the health changes and the
    /// motion of the nearest quarter that moved off the client's prediction while `room` lasts, then the
    /// motion of up to `farRecords` of the others that moved off it or are due a refresh (`refreshTicks`
    /// times `threshold` since the last): those off their prediction first, the longest unsent first, then
    /// the longest overdue (ties to the earlier member); those others the client holds are looked at every
    /// `period` ticks (a power of two, see `period(far:records:)`). `scratch` holds a word per member.
    private static func writeMembers(
        _ members: UnsafeMutableBufferPointer<Member>, states: UnsafeBufferPointer<EntityState>, tick: UInt32, threshold: Int, room: Int, farRecords: Int, period: Int,
        scratch: UnsafeMutableBufferPointer<UInt32>, into w: inout RawWriter
    ) -> (records: Int, pending: Bool, started: Bool) {
        var room = room, records = 0, due = 0, pending = false, started = false
        // Due members by bucket: 9 and up for those off their prediction (8 + ticks since their last motion, so
        // that none waits for ever behind others), 0 to 7 for a refresh (how many ticks overdue).
        var buckets = InlineArray<32, UInt16>(repeating: 0)
        var topBucket = 0
        for k in 0..<members.count {
            // Members beyond the nearest quarter that the client holds are looked at every `period` ticks (those
            // at places k with k = tick modulo the period): their corrections and refreshes at most period - 1
            // ticks late, when the budget could not have sent them all sooner anyway.
            if (k ^ Int(tick)) & (period - 1) != 0 && members[k].bits & Member.flagBits == Member.ackedOnly {
                continue
            }
            let s = states[Int(members[k].index)]
            if !members[k].acked {
                guard members[k].slot != GhostView.noSlot else { continue }
                if room >= GhostCodec.addSize {
                    GhostWriter.record(members[k].slot, mask: GhostCodec.add, s, into: &w)
                    room -= GhostCodec.addSize
                    records += 1
                    // The run of adds proves the client has one of them: if the health or flags changed during
                    // it, it starts again, so that the add acknowledged carries the present ones.
                    if members[k].since == 0 || s.health != members[k].health || s.flags != members[k].flags {
                        members[k].since = tick
                        started = true
                    }
                    members[k].health = s.health; members[k].flags = s.flags
                    members[k].sent(s, at: tick)
                } else {
                    members[k].since = 0
                }
                continue
            }
            if s.health != members[k].health || s.flags != members[k].flags {
                members[k].health = s.health; members[k].flags = s.flags
                members[k].healthPending = true
                members[k].since = 0
                pending = true
            }
            let moved = members[k].isOffPrediction(s, at: tick)
            if members[k].healthPending || (moved && members[k].near) {
                let health = members[k].healthPending
                let mask = GhostCodec.motion | (health ? GhostCodec.healthFlags : 0)
                let size = GhostCodec.recordSize(mask: mask)
                if room >= size {
                    GhostWriter.record(members[k].slot, mask: mask, s, into: &w)
                    room -= size
                    records += 1
                    members[k].sent(s, at: tick)
                    if health && members[k].since == 0 {
                        members[k].since = tick
                        started = true
                    }
                } else if health {
                    members[k].since = 0
                }
                continue
            }
            let age = Int(tick &- members[k].lastSent)
            let overdue = age &+ 1 &- Int(members[k].refreshTicks) &* threshold
            guard moved || overdue >= 0 else { continue }
            let bucket = moved ? min(8 + age, 31) : min(overdue, 7)
            buckets[bucket] &+= 1
            topBucket = max(topBucket, bucket)
            scratch[due] = UInt32(bucket) << 24 | UInt32(k)
            due += 1
        }
        let motionSize = GhostCodec.recordSize(mask: GhostCodec.motion)
        let allowed = min(farRecords, room / motionSize)
        guard allowed > 0, due > 0 else { return (records, pending, started) }
        // The lowest bucket taken, and how many of it fit after the higher ones.
        var cut = 0, ofCut = Int.max
        if due > allowed {
            var above = 0
            cut = topBucket
            while above + Int(buckets[cut]) < allowed {
                above += Int(buckets[cut])
                cut -= 1
            }
            ofCut = allowed - above
        }
        for i in 0..<due {
            let bucket = Int(scratch[i] >> 24), k = Int(scratch[i] & 0xFF_FFFF)
            guard bucket >= cut else { continue }
            if bucket == cut {
                guard ofCut > 0 else { continue }
                ofCut -= 1
            }
            let state = states[Int(members[k].index)]
            GhostWriter.record(members[k].slot, mask: GhostCodec.motion, state, into: &w)
            members[k].sent(state, at: tick)
            records += 1
        }
        return (records, pending, started)
    }

    /// How often (in ticks: 1, 2 or 4) the members beyond the nearest quarter are looked at: as often as the
    /// update budget could send them all, `far` members at `records` a tick. In a crowd most of them are due
    /// a correction at any time and the budget, not the looking, sets how soon each gets one; where few are in
    /// view, every one is looked at every tick.
    static func period(far: Int, records: Int) -> Int {
        if far <= records { return 1 }
        return far <= 2 * records ? 2 : 4
    }

    /// The coins the client should hold now: the nearest `maximumCoins` of `visible`, kept in that order
    /// (so that a tick that changed nothing costs one comparison per coin). A coin that left is removed; one
    /// that moved is sent again (an add replaces).
    private mutating func syncCoins(_ visible: UnsafeBufferPointer<(id: UInt32, at: Vec2, distanceSquared: Double)>) {
        let wanted = visible.prefix(GhostView.maximumCoins)
        if wanted.count == coins.count && zip(wanted, coins).allSatisfy({ $0.id == $1.coin.id && $0.at == $1.at }) {
            return
        }
        nextCoins.removeAll(keepingCapacity: true)
        for v in wanted {
            if let k = coins.firstIndex(where: { $0.coin.id == v.id }), coins[k].at == v.at {
                nextCoins.append(coins[k])
                continue
            }
            nextCoins.append(Coin(coin: CoinView(id: v.id, x: Quantize.position(v.at.x), y: Quantize.position(v.at.y)),
                                  at: v.at))
        }
        for c in coins where !wanted.contains(where: { $0.id == c.coin.id }) {
            // One removal not named yet covers every leaving before it is: no second one for the same coin.
            if !coinRemovals.contains(where: { $0.id == c.coin.id && $0.since == 0 }) { coinRemovals.append((c.coin.id, 0)) }
        }
        // A coin back in view before its removal was named needs none: named after the coin's add was
        // acknowledged, it would remove a coin in view.
        coinRemovals.removeAll { r in r.since == 0 && nextCoins.contains { $0.coin.id == r.id } }
        if nextCoins.contains(where: { !$0.acked }) { coinsPending = true }
        hasCoinRemovals = !coinRemovals.isEmpty
        swap(&coins, &nextCoins)
        coinCount = coins.count
    }
}

extension GhostView.Member {
    /// Records that `s`'s motion went out at `tick`.
    @inline(__always)
    mutating func sent(_ s: EntityState, at tick: UInt32) {
        lastSent = tick
        sentX = s.x; sentY = s.y; sentVX = s.vx; sentVY = s.vy
    }

    /// Whether `s` is more than `GhostView.predictionTolerance` away from where a client holding the last
    /// motion sent predicts it at `tick` (that motion moved on at its velocity, `v / 80` position units per
    /// tick). A changed velocity alone does not count until it moved the member that far.
    @inline(__always)
    func isOffPrediction(_ s: EntityState, at tick: UInt32) -> Bool {
        // In eightieths of a unit, without a division: 80 (x_sent - x) + vx_sent age. Wrapping arithmetic: the
        // values are far from overflowing (age below 2^32, the rest below 2^24).
        let age = Int(tick &- lastSent)
        let dx = 80 &* (Int(sentX) &- Int(s.x)) &+ Int(sentVX) &* age
        let dy = 80 &* (Int(sentY) &- Int(s.y)) &+ Int(sentVY) &* age
        let limit = 80 * GhostView.predictionTolerance
        return (dx > limit) || (dx < -limit) || (dy > limit) || (dy < -limit)
    }
}
