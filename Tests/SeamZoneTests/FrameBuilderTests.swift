import SeamProtocol
import SeamSimulation
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// A frame as these tests keep it, in arrays (the zone keeps its frames in a `FrameStore`).
struct SentFrame {
    var frame: SnapshotFrame
    var freshTicks: [UInt32]
    var checksum: UInt16 { frame.checksum }
}

extension FrameBuilder {
    /// `build` with frames kept in arrays, lent to the builder for the call.
    mutating func build(tick: UInt32, baseline: SentFrame?, previous: SentFrame?, budget: Int, threshold: Double) {
        func lend(_ f: SentFrame?, _ body: (Sent?) -> Void) {
            guard let f else { return body(nil) }
            f.frame.entities.withUnsafeBufferPointer { entities in
                f.freshTicks.withUnsafeBufferPointer { body(Sent(tick: f.frame.tick, entities: entities, freshTicks: $0)) }
            }
        }
        lend(baseline) { b in
            lend(previous) { p in build(tick: tick, baseline: b, previous: p, budget: budget, threshold: threshold) }
        }
    }
}

/// Fresh and carried members over a lossy, late channel: the client's frames stay the zone's frames, the
/// nearest are always fresh, no member's state goes back in time or waits for ever.
@Suite struct FrameBuilderTests {
    struct Outcome {
        var bytes = 0
        var stale = 0
        var entities = 0
    }

    /// 80 members wandering for `ticks` ticks; member `id` is `id / 5` tiles away. The zone sends a snapshot
    /// per tick; the client loses `lossPercent`% of them, gets a fifth of the rest 1–2 ticks late, and
    /// acknowledges the newest it decoded, which reaches the zone before its next tick three times in four. Membership changes now and then; health sometimes.
    /// `budget`: bytes for the delta's entity section. No member may wait more than `longestWait` ticks for
    /// a fresh state.
    func run(ticks: Int, budget: Int, threshold: Double, seed: UInt64, lossPercent: Int = 5, longestWait: UInt32 = 8)
        throws -> Outcome
    {
        var rng = SplitMix64(seed: seed)
        var truth = (1...80).map { id in
            EntityState(id: UInt32(id), x: UInt16(20_000 + id * 50), y: 30_000, vx: Int16.random(in: -1500...1500, using: &rng),
                        vy: Int16.random(in: -1500...1500, using: &rng), health: 100, flags: EntityFlags.alive)
        }
        func distanceSquared(_ id: UInt32) -> Double { let d = Double(id) / 5; return d * d }
        var builder = FrameBuilder()
        var zoneFrames = [SentFrame?](repeating: nil, count: Session.frameHistory)
        var sent: [UInt32: SnapshotFrame] = [:]
        var lastSent: UInt32 = 0
        var clientFrames = [SnapshotFrame?](repeating: nil, count: 32)
        var clientAck: UInt32 = 0
        var zoneAck: UInt32 = 0
        var inFlight: [(arrives: Int, bytes: [UInt8])] = []
        var lastFreshTick: [UInt32: UInt32] = [:]
        var outcome = Outcome()
        var w = ByteWriter(capacity: 2048)
        var encoder = DeltaEncoder()
        var zoneWriter = ByteWriter(capacity: 2048)
        for step in 1...ticks {
            let tick = UInt32(5000 + step)
            // The world moves on: velocities drift, positions follow them with a little noise.
            for k in truth.indices {
                truth[k].vx = Int16(clamping: Int(truth[k].vx) + Int.random(in: -30...30, using: &rng))
                truth[k].vy = Int16(clamping: Int(truth[k].vy) + Int.random(in: -30...30, using: &rng))
                let moved = DeltaCodec.carried(truth[k], ticks: 1)
                truth[k].x = moved.x &+ UInt16.random(in: 0...1, using: &rng)
                truth[k].y = moved.y
                if Int.random(in: 0..<400, using: &rng) == 0 { truth[k].health = UInt8.random(in: 0...100, using: &rng) }
            }
            builder.members.removeAll()
            for e in truth.shuffled(using: &rng) where (e.id + tick / 40) % 13 != 0 {
                builder.members.append((e, distanceSquared(e.id)))
            }
            builder.members.sort { $0.state.id < $1.state.id }
            let baseline = zoneAck != 0 && tick &- zoneAck < 32 ? zoneFrames[Int(zoneAck) % 32] : nil
            let previous = zoneFrames[Int(lastSent) % 32].flatMap { $0.frame.tick == lastSent ? $0 : nil }
            builder.build(tick: tick, baseline: baseline?.frame.tick == zoneAck ? baseline : nil, previous: previous,
                          budget: budget, threshold: threshold)
            let frame = SnapshotFrame(tick: tick, entities: builder.entities, coins: [])
            let truthById = Dictionary(uniqueKeysWithValues: truth.map { ($0.id, $0) })
            // The nearest quarter (and at least 8) are fresh.
            let byDistance = builder.members.sorted { $0.distanceSquared < $1.distanceSquared }
            for m in byDistance.prefix(FrameBuilder.alwaysFresh(of: byDistance.count)) {
                #expect(frame.entities.first { $0.id == m.state.id } == truthById[m.state.id], "tick \(tick) id \(m.state.id)")
            }
            for (k, e) in frame.entities.enumerated() {
                let freshTick = builder.freshTicks[k]
                if freshTick == tick { #expect(e == truthById[e.id]) }
                #expect(e.health == truthById[e.id]!.health, "a status change is always fresh")
                // What the client is shown never goes back to an older fresh state.
                if let before = lastFreshTick[e.id] { #expect(freshTick >= before) }
                #expect(tick - freshTick <= longestWait, "id \(e.id) waited \(tick - freshTick) ticks")
            }
            lastFreshTick = Dictionary(uniqueKeysWithValues: zip(frame.entities.map(\.id), builder.freshTicks))
            outcome.stale += builder.stale
            outcome.entities += frame.entities.count
            w.reset()
            if let baseline = baseline, baseline.frame.tick == zoneAck {
                DeltaCodec.encode(frame, lastInputSequence: 0, me: SelfState(x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1,
                                                                              coins: 0, kills: 0, deaths: 0),
                                  baseline: baseline.frame, into: &w)
                // The zone's encoder, reused tick after tick and given the changes and baseline indices the
                // builder found, writes the same bytes as the one-off encoder that works them out.
                let checksum = encoder.encode(
                    frame, lastInputSequence: 0,
                    me: SelfState(x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0),
                    baseline: baseline.frame, baselineChecksum: baseline.checksum, known: builder.known, into: &zoneWriter)
                #expect(zoneWriter.bytes == w.bytes, "tick \(tick)")
                // And hashes the frame as it goes: the checksum the next delta names.
                #expect(checksum == frame.checksum, "tick \(tick)")
            } else {
                let full = Snapshot(tick: tick, lastInputSequence: 0,
                                    me: SelfState(x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0),
                                    entities: frame.entities, coins: [])
                w.raw(full.encoded())
            }
            outcome.bytes += w.count
            zoneFrames[Int(tick) % 32] = SentFrame(frame: frame, freshTicks: builder.freshTicks)
            sent[tick] = frame
            lastSent = tick
            let fate = Int.random(in: 0..<100, using: &rng)
            if fate >= lossPercent {
                inFlight.append((step + (fate % 5 == 0 ? Int.random(in: 1...2, using: &rng) : 0), w.bytes))
            }
            // The client decodes what arrives; its frame must be the zone's, checksum and all. Its
            // acknowledgement reaches the zone before the next tick, or a tick later.
            zoneAck = clientAck
            for message in inFlight where message.arrives == step {
                let decoded: Snapshot
                switch try ServerMessage.decode(message.bytes) {
                case .snapshot(let s):
                    decoded = s
                case .delta(let header, let raw):
                    let base = try #require(clientFrames[Int(header.baselineTick) % 32], "the client holds every baseline it acknowledged")
                    decoded = try raw.withUnsafeBytes { try DeltaCodec.apply($0, baseline: base) }
                default:
                    Issue.record("not a snapshot")
                    continue
                }
                let clientFrame = SnapshotFrame(tick: decoded.tick, entities: decoded.entities, coins: [])
                #expect(clientFrame == sent[decoded.tick])
                clientFrames[Int(decoded.tick) % 32] = clientFrame
                clientAck = max(clientAck, decoded.tick)
            }
            inFlight.removeAll { $0.arrives <= step }
            if zoneAck < clientAck, Int.random(in: 0..<4, using: &rng) != 0 { zoneAck = clientAck }
        }
        return outcome
    }

    @Test func clientFramesMatchTheZoneAndTheNearestAreFresh() throws {
        for seed in UInt64(1)...4 {
            let outcome = try run(ticks: 400, budget: 180, threshold: 0, seed: seed, lossPercent: 15, longestWait: 30)
            #expect(outcome.stale > outcome.entities / 5, "far members are carried: \(outcome.stale) of \(outcome.entities)")
        }
    }

    @Test func withNoBudgetOneFarMemberIsStillRefreshedPerSnapshot() throws {
        // 60 far members, one refreshed per tick, the nearer more often: the farthest wait about four
        // seconds, but none waits for ever.
        _ = try run(ticks: 400, budget: 0, threshold: 0, seed: 9, longestWait: 100)
    }

    @Test func carryingFarMembersSavesBytes() throws {
        let carrying = try run(ticks: 400, budget: 180, threshold: 0, seed: 5, longestWait: 30)
        let allFresh = try run(ticks: 400, budget: 10_000, threshold: 0, seed: 5)
        #expect(allFresh.stale == 0)
        #expect(carrying.bytes * 5 < allFresh.bytes * 4, "carrying \(carrying.bytes) bytes, all fresh \(allFresh.bytes)")
    }

    /// Bytes per delta for a crowd of 150 bots wandering in quad's zone a1 (the simulation itself, bots
    /// steering as `seam bots --behavior wander` does), every client acknowledging `lag` ticks late (0:
    /// 1 to 6 ticks at random), with a delta budget of `budget` bytes.
    func wanderingCrowd(budget: Int, lag: UInt32, ticks: Int = 80) throws -> Double {
        let map = try GameMap.load(path: SeamProcess.mapPath("quad"))
        let zone = try #require(map.zone(id: "a1"))
        var sim = ZoneSimulation(map: map, zone: zone)
        var rng = SplitMix64(seed: 42)
        let players = 150
        for id in 1...players { sim.addPlayer(id: UInt32(id), name: "p") }
        func pick() -> Vec2 {
            while true {
                let x = zone.rect.x + Int.random(in: 0..<zone.rect.width, using: &rng)
                let y = zone.rect.y + Int.random(in: 0..<zone.rect.height, using: &rng)
                if !map.isWall(x: x, y: y) { return Vec2(x: Double(x) + 0.5, y: Double(y) + 0.5) }
            }
        }
        var targets = (0...players).map { _ in pick() }
        var builders = [FrameBuilder](repeating: FrameBuilder(), count: players + 1)
        var frames = [[SentFrame?]](repeating: Array(repeating: nil, count: 32), count: players + 1)
        var visible: [(index: Int, distanceSquared: Double)] = []
        var w = ByteWriter(capacity: 2048)
        var bytes = 0, deltas = 0
        let me = SelfState(x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0)
        for t in 1...ticks {
            for p in sim.players {
                // A bot steers from its position as its last snapshot gave it.
                let at = Vec2(x: Quantize.position(Quantize.position(p.position.x)),
                              y: Quantize.position(Quantize.position(p.position.y)))
                if (targets[Int(p.id)] - at).length < 1 { targets[Int(p.id)] = pick() }
                let d = targets[Int(p.id)] - at, length = d.length
                let scale = min(1, length) * 127 / length
                sim.apply(InputCommand(moveX: Int8(clamping: Int((d.x * scale).rounded())),
                                       moveY: Int8(clamping: Int((d.y * scale).rounded()))), sequence: UInt32(t), to: p.id)
            }
            sim.step()
            let tick = UInt32(sim.tick)
            for index in sim.players.indices {
                let id = Int(sim.players[index].id)
                sim.visiblePlayers(from: index, limit: 77, into: &visible)
                builders[id].members.removeAll(keepingCapacity: true)
                for (j, d2) in visible {
                    let o = sim.players[j]
                    let state = EntityState(id: o.id, x: Quantize.position(o.position.x), y: Quantize.position(o.position.y),
                                            vx: Quantize.velocity(o.velocity.x), vy: Quantize.velocity(o.velocity.y),
                                            health: UInt8(o.health), flags: EntityFlags.alive)
                    builders[id].members.append((state, d2))
                }
                builders[id].members.sort { $0.state.id < $1.state.id }
                let l = lag == 0 ? UInt32.random(in: 1...6, using: &rng) : lag
                let baseline = t > 8 ? frames[id][Int(tick - l) % 32] : nil
                let previous = t > 1 ? frames[id][Int(tick - 1) % 32] : nil
                builders[id].build(tick: tick, baseline: baseline, previous: previous,
                                   budget: budget - DeltaCodec.headerSize - 2, threshold: 0)
                let frame = SnapshotFrame(tick: tick, sortedEntities: builders[id].entities, coins: [])
                if let baseline, t > 30 {
                    DeltaCodec.encode(frame, lastInputSequence: 0, me: me, baseline: baseline.frame, into: &w)
                    bytes += w.count
                    deltas += 1
                }
                frames[id][Int(tick) % 32] = SentFrame(frame: frame, freshTicks: builders[id].freshTicks)
            }
        }
        return Double(bytes) / Double(deltas)
    }

    @Test(arguments: [UInt32(1), 0])
    func aWanderingCrowdCostsLessWithFarMembersCarried(lag: UInt32) throws {
        let allFresh = try wanderingCrowd(budget: 100_000, lag: lag)
        let carrying = try wanderingCrowd(budget: 160, lag: lag)
        #expect(carrying < allFresh * 0.95, "lag \(lag): \(carrying) bytes per delta carrying, \(allFresh) all fresh")
    }
}
