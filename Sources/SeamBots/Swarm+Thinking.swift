import Foundation
import SeamNet
import SeamProtocol
import SeamWorld

extension Swarm {
    /// One tick of a bot: choose where to go and whether to shoot, then send the input with the last few
    /// inputs repeated.
    ///
    /// The bot is passed in place (`think(&bots[i])`) rather than reached as `bots[i]` at each use: every such
    /// access to the swarm's array costs an exclusivity and a uniqueness check.
    func think(_ bot: inout Bot) {
        var command = InputCommand()
        if bot.alive {
            switch bot.behavior {
            case .wander:
                command = steer(from: bot.position, toward: wanderTarget(&bot))
            case .coinRush:
                if let coin = nearestCoin(bot) {
                    bot.target = coin
                    command = steer(from: bot.position, toward: coin)
                } else {
                    command = steer(from: bot.position, toward: wanderTarget(&bot))
                }
            case .fight:
                command = fight(&bot)
            case .borderDance:
                command = steer(from: bot.position, toward: borderDanceTarget(&bot))
            case .hotspot:
                command = steer(from: bot.position, toward: hotspotTarget(bot))
            }
        }
        bot.sequence += 1
        bot.recent.push(command, keeping: config.inputRedundancy)
        writer.reset()
        InputMessage.write(ackTick: bot.ackTick, newestSequence: bot.sequence, commands: bot.recent, into: &writer)
        guard let peer = bot.peer else { return }
        // The keep-alive ping rides with this input when due within two ticks, not alone between ticks.
        peer.pingIfDue(nowMs: tickStartMs, leadMs: UInt32(2 * tickNanos / 1_000_000))
        try? writer.withUnsafeBytes { bytes throws(NetError) in
            try inputPackets.sendUnreliable(bytes, slot: bot.index, to: peer, channel: Wire.stateChannel)
        }
    }

    /// A random floor point of the bot's zone; a new one when reached or when no progress for two seconds.
    private func wanderTarget(_ bot: inout Bot) -> Vec2 {
        if let t = bot.target {
            let d = (t - bot.position).length
            if d < 1 { bot.target = nil }
            else if d < bot.bestDistance - 0.5 {
                bot.bestDistance = d
                bot.targetSince = nowNanos
            } else if nowNanos - bot.targetSince > 2_000_000_000 {
                bot.target = nil
            }
        }
        if let t = bot.target { return t }
        let rect = bot.zone.rect
        var point = bot.position
        for _ in 0..<20 {
            let x = rect.x + Int.random(in: 0..<rect.width, using: &bot.rng)
            let y = rect.y + Int.random(in: 0..<rect.height, using: &bot.rng)
            if !config.map.isWall(x: x, y: y) {
                point = Vec2(x: Double(x) + 0.5, y: Double(y) + 0.5)
                break
            }
        }
        bot.target = point
        bot.bestDistance = (point - bot.position).length
        bot.targetSince = nowNanos
        return point
    }

    /// Five tiles past the nearest border the bot's zone shares with a neighbour. After the handoff the
    /// nearest border is the one just crossed, so the bot turns back: a dance with no state to keep.
    /// When a wall holds it up for two seconds it wanders to a random point first.
    private func borderDanceTarget(_ bot: inout Bot) -> Vec2 {
        if let t = bot.target, bot.danceOut == false {
            if (t - bot.position).length > 1, nowNanos - bot.targetSince < 3_000_000_000 { return t }
            bot.danceOut = true
            bot.target = nil
        }
        let z = bot.zone.rect
        let p = bot.position
        var best: (d: Double, target: Vec2)?
        for r in neighbourRects[bot.zone.index] {
            let lo = max(z.minY, r.minY) + 2, hi = min(z.maxY, r.maxY) - 2
            let left = max(z.minX, r.minX) + 2, right = min(z.maxX, r.maxX) - 2
            var candidate: (Double, Vec2)?
            if r.minX == z.maxX, lo < hi { candidate = (z.maxX - p.x, Vec2(x: z.maxX + 5, y: min(max(p.y, lo), hi))) }
            if r.maxX == z.minX, lo < hi { candidate = (p.x - z.minX, Vec2(x: z.minX - 5, y: min(max(p.y, lo), hi))) }
            if r.minY == z.maxY, left < right { candidate = (z.maxY - p.y, Vec2(x: min(max(p.x, left), right), y: z.maxY + 5)) }
            if r.maxY == z.minY, left < right { candidate = (p.y - z.minY, Vec2(x: min(max(p.x, left), right), y: z.minY - 5)) }
            if let c = candidate, best == nil || c.0 < best!.d { best = (c.0, c.1) }
        }
        guard let goal = best?.target else { return wanderTarget(&bot) }
        // Progress check: stuck against a wall for two seconds, take a detour to a random point.
        if bot.target == nil || (bot.target! - goal).length > 3 {
            bot.target = goal
            bot.bestDistance = (goal - p).length
            bot.targetSince = nowNanos
        } else if (goal - p).length < bot.bestDistance - 0.5 {
            bot.bestDistance = (goal - p).length
            bot.targetSince = nowNanos
        } else if nowNanos - bot.targetSince > 2_000_000_000 {
            bot.danceOut = false
            bot.target = nil
            let detour = wanderTarget(&bot)
            return detour
        }
        return goal
    }

    /// The map's centre (where four zones meet on `quad`), a few tiles off per bot.
    private func hotspotTarget(_ bot: Bot) -> Vec2 {
        let offset = Double(bot.index % 7) - 3
        let offset2 = Double((bot.index / 7) % 7) - 3
        return Vec2(x: Double(config.map.width) / 2 + offset, y: Double(config.map.height) / 2 + offset2)
    }

    private func nearestCoin(_ bot: Bot) -> Vec2? {
        var best: Vec2?
        var bestD = Double.infinity
        for c in bot.coins {
            let p = Vec2(x: Quantize.position(c.x), y: Quantize.position(c.y))
            let d = (p - bot.position).lengthSquared
            if d < bestD {
                bestD = d
                best = p
            }
        }
        return best
    }

    /// The render time of the bot's view: newest snapshot tick, advanced by the time since it arrived,
    /// minus the interpolation delay.
    private func renderTick(_ bot: Bot) -> Double {
        let since = Double(nowNanos &- bot.newestTickNanos) / Double(tickNanos)
        return Double(bot.newestTick) + min(since, 1) - config.interpolationDelayTicks
    }

    /// Chase the nearest visible living player, aim at where the bot sees it (its interpolated view, from
    /// where the bot sees itself at the same time), fire when the gun is ready, and note whether the shot
    /// hits in that view: the client's hit, which the zone should confirm.
    private func fight(_ bot: inout Bot) -> InputCommand {
        let time = renderTick(bot)
        if bot.speaksGhosts {
            bot.renderTable(at: time, into: &rendered)
        } else {
            bot.view.render(at: time, from: bot.baselines.frames, into: &rendered)
        }
        var me = bot.position
        if let k = rendered.firstIndex(where: { $0.id == bot.playerId }) { me = rendered[k].position }
        var best: InterpolationBuffer.Rendered?
        var bestD = Double.infinity
        for e in rendered where e.alive && e.id != bot.playerId {
            let d = (e.position - me).lengthSquared
            if d < bestD {
                bestD = d
                best = e
            }
        }
        guard let enemy = best else { return steer(from: bot.position, toward: wanderTarget(&bot)) }
        let toward = enemy.position - me
        let distance = toward.length
        var command = distance > 6 ? steer(from: bot.position, toward: enemy.position) : strafe(bot, around: toward)
        command.aim = Quantize.angle(atan2(toward.y, toward.x))
        // The zone allows one shot per 5 ticks; firing only then keeps `shots.fired` equal to shots taken.
        // Not before the bot's own view shows it alive again after a respawn: it would aim from its corpse.
        if distance < 20 && bot.sequence + 1 >= bot.lastShotSequence + 5 && time >= Double(bot.aliveSinceTick) {
            let sequence = bot.sequence + 1
            command.buttons |= InputCommand.fire
            // The view time claimed for lag compensation; none before the bot has a view of its own.
            if time >= 1, time < Double(UInt32.max) {
                let whole = time.rounded(.down)
                command.viewTick = UInt32(whole)
                command.viewFraction = UInt8(min(255, max(0, ((time - whole) * 256).rounded(.down))))
            }
            bot.lastShotSequence = sequence
            stats.shotsFired += 1
            if let ghost = seenHit(from: me, aim: command.aim, shooter: bot.playerId) {
                stats.clientHits += 1
                if ghost { stats.borderClientHits += 1 }
                if bot.clientHits.count > 64 { bot.clientHits.removeAll() }
                bot.clientHits[sequence] = ghost
            }
        }
        return command
    }

    /// Whether a shot from `origin` at the quantized `aim` hits someone in the rendered view before a wall
    /// or the end of its range, by the zone's rules (hit radius, range): nil for a miss, else whether the
    /// first player hit is a ghost.
    private func seenHit(from origin: Vec2, aim: UInt16, shooter: UInt32) -> Bool? {
        let angle = Quantize.angle(aim)
        let d = Vec2(x: cos(angle), y: sin(angle))
        let limit = Raycast.wallDistance(map: config.map, from: origin, direction: d, maxDistance: Swarm.shotRange)
        var first: (t: Double, ghost: Bool)?
        for e in rendered where e.alive && e.id != shooter {
            guard let t = Raycast.circleHit(from: origin, direction: d, center: e.position, radius: Swarm.hitRadius),
                  t <= limit else { continue }
            if first == nil || t < first!.t { first = (t, e.ghost) }
        }
        return first?.ghost
    }

    private func strafe(_ bot: Bot, around toward: Vec2) -> InputCommand {
        let side: Double = (bot.sequence / 40) % 2 == 0 ? 1 : -1
        let dir = Vec2(x: -toward.y * side, y: toward.x * side).normalized()
        return InputCommand(moveX: Int8((dir.x * 127).rounded()), moveY: Int8((dir.y * 127).rounded()))
    }

    /// Read before the target is chosen: choosing one never moves the bot.
    private func steer(from position: Vec2, toward point: Vec2) -> InputCommand {
        let d = point - position
        let length = d.length
        guard length > 0.05 else { return InputCommand() }
        let scale = min(1, length) * 127 / length
        return InputCommand(moveX: Int8(clamping: Int((d.x * scale).rounded())),
                            moveY: Int8(clamping: Int((d.y * scale).rounded())))
    }
}
