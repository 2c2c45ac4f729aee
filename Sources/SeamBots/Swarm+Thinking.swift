import Foundation
import SeamNet
import SeamProtocol
import SeamWorld

extension Swarm {
    /// One tick of a bot: choose where to go and whether to shoot, then send the input with the last few
    /// inputs repeated.
    func think(_ i: Int) {
        var command = InputCommand()
        if bots[i].alive {
            switch bots[i].behavior {
            case .wander:
                command = steer(i, toward: wanderTarget(i))
            case .coinRush:
                if let coin = nearestCoin(i) {
                    bots[i].target = coin
                    command = steer(i, toward: coin)
                } else {
                    command = steer(i, toward: wanderTarget(i))
                }
            case .fight:
                command = fight(i)
            case .borderDance:
                command = steer(i, toward: borderDanceTarget(i))
            case .hotspot:
                command = steer(i, toward: hotspotTarget(i))
            }
        }
        bots[i].sequence += 1
        bots[i].recent.insert(command, at: 0)
        if bots[i].recent.count > config.inputRedundancy { bots[i].recent.removeLast() }
        writer.reset()
        let message = InputMessage(ackTick: bots[i].ackTick, newestSequence: bots[i].sequence,
                                   commands: bots[i].recent)
        ClientMessage.input(message).encode(into: &writer)
        try? bots[i].peer?.send(writer.bytes, channel: Wire.stateChannel, delivery: .unreliable)
    }

    /// A random floor point of the bot's zone; a new one when reached or when no progress for two seconds.
    private func wanderTarget(_ i: Int) -> Vec2 {
        if let t = bots[i].target {
            let d = (t - bots[i].position).length
            if d < 1 { bots[i].target = nil }
            else if d < bots[i].bestDistance - 0.5 {
                bots[i].bestDistance = d
                bots[i].targetSince = nowNanos
            } else if nowNanos - bots[i].targetSince > 2_000_000_000 {
                bots[i].target = nil
            }
        }
        if let t = bots[i].target { return t }
        let rect = bots[i].zone.rect
        var point = bots[i].position
        for _ in 0..<20 {
            let x = rect.x + Int.random(in: 0..<rect.width, using: &bots[i].rng)
            let y = rect.y + Int.random(in: 0..<rect.height, using: &bots[i].rng)
            if !config.map.isWall(x: x, y: y) {
                point = Vec2(x: Double(x) + 0.5, y: Double(y) + 0.5)
                break
            }
        }
        bots[i].target = point
        bots[i].bestDistance = (point - bots[i].position).length
        bots[i].targetSince = nowNanos
        return point
    }

    /// Five tiles past the nearest border the bot's zone shares with a neighbour. After the handoff the
    /// nearest border is the one just crossed, so the bot turns back: a dance with no state to keep.
    /// When a wall holds it up for two seconds it wanders to a random point first.
    private func borderDanceTarget(_ i: Int) -> Vec2 {
        if let t = bots[i].target, bots[i].danceOut == false {
            if (t - bots[i].position).length > 1, nowNanos - bots[i].targetSince < 3_000_000_000 { return t }
            bots[i].danceOut = true
            bots[i].target = nil
        }
        let z = bots[i].zone.rect
        let p = bots[i].position
        var best: (d: Double, target: Vec2)?
        for n in config.map.neighbours(of: bots[i].zone) {
            let r = n.rect
            let lo = max(z.minY, r.minY) + 2, hi = min(z.maxY, r.maxY) - 2
            let left = max(z.minX, r.minX) + 2, right = min(z.maxX, r.maxX) - 2
            var candidate: (Double, Vec2)?
            if r.minX == z.maxX, lo < hi { candidate = (z.maxX - p.x, Vec2(x: z.maxX + 5, y: min(max(p.y, lo), hi))) }
            if r.maxX == z.minX, lo < hi { candidate = (p.x - z.minX, Vec2(x: z.minX - 5, y: min(max(p.y, lo), hi))) }
            if r.minY == z.maxY, left < right { candidate = (z.maxY - p.y, Vec2(x: min(max(p.x, left), right), y: z.maxY + 5)) }
            if r.maxY == z.minY, left < right { candidate = (p.y - z.minY, Vec2(x: min(max(p.x, left), right), y: z.minY - 5)) }
            if let c = candidate, best == nil || c.0 < best!.d { best = (c.0, c.1) }
        }
        guard let goal = best?.target else { return wanderTarget(i) }
        // Progress check: stuck against a wall for two seconds, take a detour to a random point.
        if bots[i].target == nil || (bots[i].target! - goal).length > 3 {
            bots[i].target = goal
            bots[i].bestDistance = (goal - p).length
            bots[i].targetSince = nowNanos
        } else if (goal - p).length < bots[i].bestDistance - 0.5 {
            bots[i].bestDistance = (goal - p).length
            bots[i].targetSince = nowNanos
        } else if nowNanos - bots[i].targetSince > 2_000_000_000 {
            bots[i].danceOut = false
            bots[i].target = nil
            let detour = wanderTarget(i)
            return detour
        }
        return goal
    }

    /// The map's centre (where four zones meet on `quad`), a few tiles off per bot.
    private func hotspotTarget(_ i: Int) -> Vec2 {
        let offset = Double(bots[i].index % 7) - 3
        let offset2 = Double((bots[i].index / 7) % 7) - 3
        return Vec2(x: Double(config.map.width) / 2 + offset, y: Double(config.map.height) / 2 + offset2)
    }

    private func nearestCoin(_ i: Int) -> Vec2? {
        var best: Vec2?
        var bestD = Double.infinity
        for c in bots[i].coins {
            let p = Vec2(x: Quantize.position(c.x), y: Quantize.position(c.y))
            let d = (p - bots[i].position).lengthSquared
            if d < bestD {
                bestD = d
                best = p
            }
        }
        return best
    }

    /// The render time of the bot's view: newest snapshot tick, advanced by the time since it arrived,
    /// minus the interpolation delay.
    private func renderTick(_ i: Int) -> Double {
        let since = Double(nowNanos &- bots[i].newestTickNanos) / Double(tickNanos)
        return Double(bots[i].newestTick) + min(since, 1) - config.interpolationDelayTicks
    }

    /// Chase the nearest visible living player, aim at where the bot sees it (its interpolated view, from
    /// where the bot sees itself at the same time), fire when the gun is ready, and note whether the shot
    /// hits in that view: the client's hit, which the zone should confirm.
    private func fight(_ i: Int) -> InputCommand {
        let time = renderTick(i)
        bots[i].view.render(at: time, into: &rendered)
        var me = bots[i].position
        if let k = rendered.firstIndex(where: { $0.id == bots[i].playerId }) { me = rendered[k].position }
        var best: InterpolationBuffer.Rendered?
        var bestD = Double.infinity
        for e in rendered where e.alive && e.id != bots[i].playerId {
            let d = (e.position - me).lengthSquared
            if d < bestD {
                bestD = d
                best = e
            }
        }
        guard let enemy = best else { return steer(i, toward: wanderTarget(i)) }
        let toward = enemy.position - me
        let distance = toward.length
        var command = distance > 6 ? steer(i, toward: enemy.position) : strafe(i, around: toward)
        command.aim = Quantize.angle(atan2(toward.y, toward.x))
        // The zone allows one shot per 5 ticks; firing only then keeps `shots.fired` equal to shots taken.
        // Not before the bot's own view shows it alive again after a respawn: it would aim from its corpse.
        if distance < 20 && bots[i].sequence + 1 >= bots[i].lastShotSequence + 5 && time >= Double(bots[i].aliveSinceTick) {
            let sequence = bots[i].sequence + 1
            command.buttons |= InputCommand.fire
            // The view time claimed for lag compensation; none before the bot has a view of its own.
            if time >= 1, time < Double(UInt32.max) {
                let whole = time.rounded(.down)
                command.viewTick = UInt32(whole)
                command.viewFraction = UInt8(min(255, max(0, ((time - whole) * 256).rounded(.down))))
            }
            bots[i].lastShotSequence = sequence
            stats.shotsFired += 1
            if let ghost = seenHit(from: me, aim: command.aim, shooter: bots[i].playerId) {
                stats.clientHits += 1
                if ghost { stats.borderClientHits += 1 }
                if bots[i].clientHits.count > 64 { bots[i].clientHits.removeAll() }
                bots[i].clientHits[sequence] = ghost
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

    private func strafe(_ i: Int, around toward: Vec2) -> InputCommand {
        let side: Double = (bots[i].sequence / 40) % 2 == 0 ? 1 : -1
        let dir = Vec2(x: -toward.y * side, y: toward.x * side).normalized()
        return InputCommand(moveX: Int8((dir.x * 127).rounded()), moveY: Int8((dir.y * 127).rounded()))
    }

    private func steer(_ i: Int, toward point: Vec2) -> InputCommand {
        let d = point - bots[i].position
        let length = d.length
        guard length > 0.05 else { return InputCommand() }
        let scale = min(1, length) * 127 / length
        return InputCommand(moveX: Int8(clamping: Int((d.x * scale).rounded())),
                            moveY: Int8(clamping: Int((d.y * scale).rounded())))
    }
}
