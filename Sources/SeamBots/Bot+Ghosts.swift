import SeamProtocol
import SeamWorld

extension Bot {
    /// The players of the bot's table (v6) as seen at `renderTick` (fractional), in slot order, and the bot
    /// itself. A player's newest state is the position at its tick moving at its velocity: the bot shows it
    /// between its previous and newest positions when the render time lies between their ticks, and moved
    /// on at its velocity (for at most `extrapolationTicks`) when past the newest; a longer move between two
    /// states than a walk is a jump (a respawn), shown at once.
    func renderTable(at renderTick: Double, into out: inout [InterpolationBuffer.Rendered]) {
        out.removeAll(keepingCapacity: true)
        table.forEach { e in
            let s = e.state
            let now = Vec2(x: Quantize.position(s.x), y: Quantize.position(s.y))
            let t = Double(e.tick)
            var p = now
            if renderTick >= t {
                let ahead = min(renderTick - t, Bot.extrapolationTicks) / Double(tickRate)
                p = now + Vec2(x: Quantize.velocity(s.vx), y: Quantize.velocity(s.vy)) * ahead
            } else if e.previousTick < e.tick {
                let before = Vec2(x: Quantize.position(e.previousX), y: Quantize.position(e.previousY))
                let span = t - Double(e.previousTick)
                if (now - before).length <= Wire.jumpTilesPerTick * span {
                    let f = max(0, (renderTick - Double(e.previousTick)) / span)
                    p = before + (now - before) * f
                }
            }
            out.append(InterpolationBuffer.Rendered(id: s.id, position: p, alive: s.flags & EntityFlags.alive != 0,
                                                    ghost: s.flags & EntityFlags.ghost != 0))
        }
        if let me = seenSelf(at: renderTick) {
            out.append(InterpolationBuffer.Rendered(id: playerId, position: me, alive: alive, ghost: false))
        }
    }

    /// Where the bot saw itself at `renderTick`, between the two own positions around it (the oldest or newest
    /// kept outside them); nil before the first snapshot.
    func seenSelf(at renderTick: Double) -> Vec2? {
        guard let newest = selfTrail.last else { return nil }
        func position(_ p: (tick: UInt32, x: UInt16, y: UInt16)) -> Vec2 {
            Vec2(x: Quantize.position(p.x), y: Quantize.position(p.y))
        }
        var later = newest
        for earlier in selfTrail.reversed() {
            if Double(earlier.tick) <= renderTick {
                guard earlier.tick < later.tick else { return position(earlier) }
                let a = position(earlier), b = position(later)
                let span = Double(later.tick - earlier.tick)
                if (b - a).length > Wire.jumpTilesPerTick * span { return b }
                return a + (b - a) * ((renderTick - Double(earlier.tick)) / span)
            }
            later = earlier
        }
        return position(selfTrail[0])
    }

    /// How far past a player's newest state the bot moves it on at its velocity, in ticks.
    static let extrapolationTicks = 6.0
}
