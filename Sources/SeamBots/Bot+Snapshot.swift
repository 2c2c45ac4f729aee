import SeamProtocol
import SeamWorld

extension Bot {
    /// What the swarm counts of a snapshot a bot took.
    struct Taken {
        var entities: Int
        /// Nanoseconds since the last snapshot from the previous owner, for the first snapshot after a switch.
        var handoffGapNanos: UInt64?
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

    /// A snapshot from the owner, already stored as a baseline (`frame`, by index in the ring's pool): the
    /// bot's truth until the next one.
    private mutating func take(tick: UInt32, me: SelfState, frame: Int, now: UInt64) -> Taken {
        var taken = Taken(entities: baselines.frames[frame].entities.count)
        if let from = switchFromNanos {
            taken.handoffGapNanos = now &- from
            switchFromNanos = nil
        }
        lastSnapshotNanos = now
        if tick > ackTick || ackTick == 0 { ackTick = tick }
        guard tick > newestTick || view.newestTick == nil else { return taken }
        newestTick = tick
        newestTickNanos = now
        position = Vec2(x: Quantize.position(me.x), y: Quantize.position(me.y))
        let alive = me.flags & EntityFlags.alive != 0
        if alive && !self.alive { aliveSinceTick = tick }
        self.alive = alive
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
    /// The coins of the newest snapshot taken, in id order (none before the first).
    var coins: [CoinView] {
        guard let coinFrame else { return [] }
        return baselines.frames[coinFrame].coins
    }
}
