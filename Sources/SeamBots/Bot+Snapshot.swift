import SeamProtocol
import SeamWorld

extension Bot {
    /// What the swarm counts of a snapshot a bot took.
    struct Taken {
        var entities: Int
        /// Nanoseconds since the last snapshot from the previous owner, for the first snapshot after a switch,
        /// and how many of them passed before the Owner that switched it arrived.
        var handoffGapNanos: UInt64?
        var handoffGapBeforeOwnerNanos: UInt64 = 0
    }

    /// A delta from the owner: rebuilt against the baseline it names, stored as a baseline in turn, and taken
    /// as the bot's truth. Throws, changing nothing, when the baseline is gone or the delta does not fit it.
    ///
    /// One call per delta rather than field by field from the swarm: each access to a bot in the swarm's
    /// array costs a uniqueness and an exclusivity check.
    mutating func takeDelta(_ bytes: UnsafeRawBufferPointer, header: DeltaCodec.Header,
                            now: UInt64) throws(DecodeError) -> Taken {
        let frame = try baselines.apply(bytes, header: header)
        return take(tick: header.tick, me: header.me, frame: frame, now: now)
    }

    /// A full snapshot from the owner: stored as a baseline and taken as the bot's truth.
    mutating func takeSnapshot(_ s: Snapshot, now: UInt64) -> Taken {
        // The view and the coins take the stored frame, sorted by id.
        let frame = baselines.store(tick: s.tick, entities: s.entities, coins: s.coins)
        return take(tick: s.tick, me: s.me, frame: frame, now: now)
    }

    /// A ghost snapshot from the owner (v6), applied to the bot's table: the bot's truth until the next one.
    /// Nil when the table did not take it (stale, or not the reset the bot waits for); throws, changing
    /// nothing, when it is malformed.
    mutating func takeGhost(_ bytes: UnsafeRawBufferPointer, now: UInt64) throws(DecodeError) -> Taken? {
        let (h, outcome) = try table.apply(bytes)
        guard outcome == .applied else { return nil }
        let taken = arrived(entities: table.count, now: now)
        ackTick = h.tick
        guard h.tick > newestTick || selfTrail.isEmpty else { return taken }
        see(h.me, tick: h.tick, now: now)
        // Where the bot saw itself, for aiming from there at the render time (as the v5 view does).
        if selfTrail.count == 4 { selfTrail.removeFirst() }
        selfTrail.append((h.tick, h.me.x, h.me.y))
        return taken
    }

    /// A snapshot of `entities` others arrived from the owner at `now`: the handoff gap it ends, if any.
    private mutating func arrived(entities: Int, now: UInt64) -> Taken {
        var taken = Taken(entities: entities)
        if let from = switchFromNanos {
            taken.handoffGapNanos = now &- from
            taken.handoffGapBeforeOwnerNanos = switchAtNanos &- from
            switchFromNanos = nil
        }
        lastSnapshotNanos = now
        stallLevel = 0
        return taken
    }

    /// How long the bot, playing, has gone without a snapshot from its owner at `now` (from its Welcome if it
    /// never took one); nil when it is not playing.
    func silence(now: UInt64) -> UInt64? {
        guard phase == .playing else { return nil }
        let since = max(lastSnapshotNanos, newestTickNanos)
        guard since > 0 else { return nil }
        return now > since ? now - since : 0
    }

    /// The first of `limits` (ascending) that the bot's silence at `now` has newly reached, as its index: each
    /// limit is reported once per silence (the next snapshot ends it); nil when none is newly reached.
    mutating func stalled(now: UInt64, limits: [UInt64]) -> Int? {
        guard let quiet = silence(now: now), stallLevel < limits.count, quiet >= limits[stallLevel] else { return nil }
        stallLevel += 1
        return stallLevel - 1
    }

    /// The newest snapshot's own state, of `tick`: where the bot is and whether it is alive.
    private mutating func see(_ me: SelfState, tick: UInt32, now: UInt64) {
        newestTick = tick
        newestTickNanos = now
        position = Vec2(x: Quantize.position(me.x), y: Quantize.position(me.y))
        let alive = me.flags & EntityFlags.alive != 0
        if alive && !self.alive { aliveSinceTick = tick }
        self.alive = alive
    }

    /// A snapshot from the owner, already stored as a baseline (`frame`, by index in the ring's pool): the
    /// bot's truth until the next one.
    private mutating func take(tick: UInt32, me: SelfState, frame: Int, now: UInt64) -> Taken {
        let taken = arrived(entities: baselines.frames[frame].entities.count, now: now)
        if tick > ackTick || ackTick == 0 { ackTick = tick }
        guard tick > newestTick || view.newestTick == nil else { return taken }
        see(me, tick: tick, now: now)
        // The bot itself joins its view, so it aims from where it saw itself at the render time.
        baselines.hold(frame)
        let letGo = view.add(tick: tick, frame: frame,
                             me: EntityState(id: playerId, x: me.x, y: me.y, vx: me.vx, vy: me.vy,
                                             health: me.health, flags: me.flags))
        if let letGo { baselines.release(letGo) }
        // The coins are the frame's, held by index like the view's: sharing the frame's array instead let go
        // of the one of 32 ticks earlier, out of every cache, a release per delta (4% of a swarm).
        baselines.hold(frame)
        if let old = coinFrame { baselines.release(old) }
        coinFrame = frame
        return taken
    }
}

extension Bot {
    /// The coins of the newest snapshot taken (none before the first).
    var coins: [CoinView] {
        if speaksGhosts { return table.coins }
        guard let coinFrame else { return [] }
        return baselines.frames[coinFrame].coins
    }
}

extension Bot {
    /// What an Owner message does to the bot (docs/PROTOCOL.md "What a client does").
    enum OwnerChange: Equatable {
        /// An epoch not newer than the newest seen: stale, nothing changes.
        case stale
        /// The Owner's connection becomes the owner connection.
        case move
        /// The Owner came on the owner connection itself: the player went away and came back before the
        /// bot heard of the first move (Owners on two connections arrive in either order). It stays, with
        /// the new epoch.
        case stay
    }

    /// Takes an Owner of `epoch` that came on the owner connection or not, at `now`. For `move` and `stay` the
    /// epoch is the bot's from now on, its baselines are dropped (it acknowledges 0 until the owner's full
    /// snapshot) and the handoff gap starts; the caller moves the connections for `move`. Comparing epochs
    /// on the owner connection too keeps an older Owner, delivered later on another connection, from
    /// moving the bot to a zone that no longer owns it (it then waited for the next handoff: gaps of 24 and
    /// 31 s in 10-minute continent-6000 runs).
    mutating func takeOwner(epoch: UInt32, onOwnerConnection: Bool, now: UInt64) -> OwnerChange {
        guard epoch > self.epoch else { return .stale }
        self.epoch = epoch
        switchFromNanos = lastSnapshotNanos
        switchAtNanos = now
        ackTick = 0
        baselines.removeAll()
        table.clear()
        selfTrail.removeAll(keepingCapacity: true)
        return onOwnerConnection ? .stay : .move
    }
}
