@testable import SeamBots
import SeamProtocol
import SeamWorld
import Testing

/// A bot's view renders what a plain buffer of copied, sorted frames with the bot among the entities
/// renders (the model below): same entities, same order, same positions, at any render time.
@Suite struct InterpolationBufferTests {
    /// Frames copied with `me` sorted in (stably), as the view kept them before it shared its frames.
    struct Model {
        var frames: [(tick: UInt32, entities: [EntityState])] = []

        mutating func add(tick: UInt32, entities: [EntityState], me: EntityState) {
            if let newest = frames.last?.tick, tick <= newest { return }
            if frames.count == InterpolationBuffer.capacity { frames.removeFirst() }
            var all = entities + [me]
            all.sort { $0.id < $1.id }
            frames.append((tick, all))
        }

        func render(at renderTick: Double) -> [InterpolationBuffer.Rendered] {
            guard let newest = frames.last else { return [] }
            func position(_ e: EntityState) -> Vec2 { Vec2(x: Quantize.position(e.x), y: Quantize.position(e.y)) }
            func rendered(_ e: EntityState, _ p: Vec2) -> InterpolationBuffer.Rendered {
                .init(id: e.id, position: p, alive: e.flags & EntityFlags.alive != 0,
                      ghost: e.flags & EntityFlags.ghost != 0)
            }
            // Between the newest frame at or before the render time and the one after it, else the newest.
            guard let k = frames.lastIndex(where: { Double($0.tick) <= renderTick }), k + 1 < frames.count else {
                return newest.entities.map { rendered($0, position($0)) }
            }
            let from = frames[k], newer = frames[k + 1]
            let t = min(1, max(0, (renderTick - Double(from.tick)) / Double(newer.tick - from.tick)))
            let jump = Wire.jumpTilesPerTick * Double(newer.tick - from.tick)
            return newer.entities.map { e in
                let p1 = position(e)
                if let prev = from.entities.first(where: { $0.id == e.id }), (p1 - position(prev)).length <= jump {
                    let p0 = position(prev)
                    return rendered(e, p0 + (p1 - p0) * t)
                }
                return rendered(e, p1)
            }
        }
    }

    @Test func rendersWhatCopiedSortedFramesRender() {
        var rng = SplitMix64(seed: 8)
        for _ in 0..<200 {
            var view = InterpolationBuffer()
            // The frames the view names by index, as a bot's `BaselineRing` pool holds them.
            var stored: [SnapshotFrame] = []
            var model = Model()
            // The bot's own id sometimes equals another entity's: a stable sort puts the bot after it.
            let myId = UInt32.random(in: 0...40, using: &rng)
            var tick = UInt32.random(in: 10...1000, using: &rng)
            var entities = (0..<Int.random(in: 0...12, using: &rng)).map { _ in
                EntityState(id: UInt32.random(in: 0...40, using: &rng), x: UInt16.random(in: 0...2000, using: &rng),
                            y: UInt16.random(in: 0...2000, using: &rng), vx: 0, vy: 0, health: 100,
                            flags: UInt8.random(in: 0...3, using: &rng))
            }
            for _ in 0..<8 {
                for k in entities.indices {
                    entities[k].x = UInt16(clamping: Int(entities[k].x) + Int.random(in: -120...120, using: &rng))
                }
                if Bool.random(using: &rng), !entities.isEmpty { entities.remove(at: 0) }
                let me = EntityState(id: myId, x: UInt16.random(in: 0...2000, using: &rng), y: 9, vx: 0, vy: 0,
                                     health: 100, flags: 1)
                stored.append(SnapshotFrame(tick: tick, entities: entities, coins: []))
                let oldest = view.frames.first?.frame
                let letGo = view.add(tick: tick, frame: stored.count - 1, me: me)
                // What the view lets go of: the frame given for an ignored tick, the oldest once full.
                if let newest = model.frames.last?.tick, tick <= newest {
                    #expect(letGo == stored.count - 1)
                } else {
                    #expect(letGo == (model.frames.count == InterpolationBuffer.capacity ? oldest : nil))
                }
                model.add(tick: tick, entities: entities, me: me)
                for _ in 0..<4 {
                    let at = Double(tick) + Double.random(in: -6...1, using: &rng)
                    var out: [InterpolationBuffer.Rendered] = []
                    view.render(at: at, from: stored, into: &out)
                    let expected = model.render(at: at)
                    #expect(out.map(\.id) == expected.map(\.id))
                    #expect(out.map(\.position) == expected.map(\.position))
                    #expect(out.map(\.alive) == expected.map(\.alive))
                    #expect(out.map(\.ghost) == expected.map(\.ghost))
                }
                // Now and then a duplicate or older tick, which is ignored.
                tick = Bool.random(using: &rng) ? tick + UInt32.random(in: 1...3, using: &rng) : tick
            }
        }
    }
}
