import SeamProtocol
import SeamWorld
import Testing

@testable import SeamZone

/// The zone's side of v6 ghost snapshots (`GhostView`) against the client's (`GhostTable`) through a channel
/// that loses, delays and reorders-by-dropping as ENet's sequenced unreliable channel does, both ways. However
/// much is lost, once the loss stops the client's table is exactly the zone's view: the same players in it,
/// each with the state of the tick it was last sent, current health and flags, and the coins in view.
@Suite struct GhostViewTests {
    /// A datagram channel: each packet is lost with probability `loss` or arrives 1...3 ticks later; one
    /// older than a packet already delivered is dropped (ENet's sequencing).
    struct Channel<Packet> {
        var inFlight: [(due: Int, serial: Int, packet: Packet)] = []
        var serial = 0
        var newestDelivered = -1

        mutating func send(_ packet: Packet, now: Int, loss: Double, rng: inout SplitMix64) {
            serial += 1
            guard Double.random(in: 0..<1, using: &rng) >= loss else { return }
            inFlight.append((now + Int.random(in: 1...3, using: &rng), serial, packet))
        }

        mutating func receive(now: Int) -> [Packet] {
            let due = inFlight.filter { $0.due <= now }.sorted { $0.serial < $1.serial }
            inFlight.removeAll { $0.due <= now }
            var out: [Packet] = []
            for p in due where p.serial > newestDelivered {
                newestDelivered = p.serial
                out.append(p.packet)
            }
            return out
        }
    }

    struct World {
        var ids: [UInt32]
        var states: [UInt32: EntityState] = [:]
        var coins: [(id: UInt32, at: Vec2)] = []

        init(rng: inout SplitMix64) {
            ids = (0..<80).map { UInt32($0 * 7 + 3) }
            for id in ids {
                states[id] = EntityState(id: id, x: UInt16.random(in: 0...60_000, using: &rng),
                                         y: UInt16.random(in: 0...60_000, using: &rng), vx: 0, vy: 0, health: 100,
                                         flags: EntityFlags.alive)
            }
            coins = (0..<30).map { (UInt32(1000 + $0), Vec2(x: Double($0), y: 5)) }
        }

        /// Everyone moves; with `changes`, some are hurt, die or revive and some coins move.
        mutating func step(changes: Bool, rng: inout SplitMix64) {
            for id in ids {
                var s = states[id]!
                s.vx = Int16.random(in: -800...800, using: &rng)
                s.vy = Int16.random(in: -800...800, using: &rng)
                s.x = s.x &+ UInt16(bitPattern: s.vx / 80)
                s.y = s.y &+ UInt16(bitPattern: s.vy / 80)
                if changes && Int.random(in: 0..<40, using: &rng) == 0 {
                    s.health = UInt8.random(in: 0...100, using: &rng)
                    s.flags = s.health == 0 ? 0 : EntityFlags.alive | (id % 3 == 0 ? EntityFlags.ghost : 0)
                }
                states[id] = s
            }
            if changes && Int.random(in: 0..<5, using: &rng) == 0 {
                let k = Int.random(in: 0..<coins.count, using: &rng)
                coins[k].at = Vec2(x: Double.random(in: 0..<100, using: &rng), y: 5)
            }
        }
    }

    @Test(arguments: [UInt64(1), 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    func theClientsTableConvergesToTheViewWhateverIsLost(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        var world = World(rng: &rng)
        var view = GhostView()
        var table = GhostTable()
        var down = Channel<[UInt8]>(), up = Channel<UInt32>()
        var buffer = [UInt8](repeating: 0, count: Wire.maximumSnapshotBytes)
        var members: [EntityTable.Ref] = []
        var visible: [(id: UInt32, at: Vec2, distanceSquared: Double)] = []
        /// The members' states sent at each tick, and the coins the client should hold after it.
        var history: [UInt32: [UInt32: EntityState]] = [:]
        var coinHistory: [UInt32: Set<UInt32>] = [:]
        var ack: UInt32 = 0
        var coinsSeen: [Int] = []
        let lossyTicks = 400, calmTicks = 30
        for t in 1...(lossyTicks + calmTicks) {
            let tick = UInt32(t)
            let lossy = t <= lossyTicks
            world.step(changes: lossy, rng: &rng)
            // A new view every 8 ticks while lossy: a random half of the world, in id order.
            var states: [(state: EntityState, distanceSquared: Double)] = []
            if lossy && (t % 8 == 1 || members.isEmpty) {
                members = world.ids.enumerated().filter { _ in Bool.random(using: &rng) }
                    .map { EntityTable.Ref(index: Int32($0.offset), id: $0.element) }
            }
            for m in members {
                states.append((world.states[m.id]!, Double(m.id % 17) * Double(m.id % 17)))
            }
            if lossy && (t % 8 == 1 || t == 1) {
                states.withUnsafeBufferPointer { view.choose(view: members, states: $0) }
            }
            // The client loses its table now and then (a change of owner) and the zone resets at other times.
            if lossy && Int.random(in: 0..<97, using: &rng) == 0 { table.clear() }
            if lossy && Int.random(in: 0..<89, using: &rng) == 0 { view.startReset() }
            // Coins come into view and leave every few ticks (a coin may leave and come back within a round trip).
            if lossy && t % 3 == 1 { coinsSeen = world.coins.indices.filter { _ in Int.random(in: 0..<3, using: &rng) > 0 } }
            visible = coinsSeen.map { (id: world.coins[$0].id, at: world.coins[$0].at, distanceSquared: Double($0)) }
            let frame = GhostView.Frame(tick: tick, lastInputSequence: tick, me: SelfState(
                x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0),
                updateBudget: 160, threshold: 1)
            // The entity table the view's references index: the members' states in order.
            let entityStates = states.map(\.state)
            let refs = members.enumerated().map { EntityTable.Ref(index: Int32($0.offset), id: $0.element.id) }
            let built = entityStates.withUnsafeBufferPointer { entityStates in
                refs.withUnsafeBufferPointer { refs in
                    visible.withUnsafeBufferPointer { coins in
                        buffer.withUnsafeMutableBytes {
                            view.build(frame, view: refs, moved: true, states: entityStates, coins: coins, into: $0)
                        }
                    }
                }
            }
            let sent = try #require(built, "one snapshot per tick")
            #expect(sent.bytes <= Wire.maximumSnapshotBytes)
            var sentStates: [UInt32: EntityState] = [:]
            for s in states { sentStates[s.state.id] = s.state }
            history[tick] = sentStates
            coinHistory[tick] = Set(visible.prefix(GhostView.maximumCoins).map(\.id))
            down.send(Array(buffer[0..<sent.bytes]), now: t, loss: lossy ? 0.3 : 0, rng: &rng)

            for packet in down.receive(now: t) {
                let (header, outcome) = try packet.withUnsafeBytes { try table.apply($0) }
                if outcome == .applied { ack = header.tick }
            }
            up.send(table.awaitingReset ? 0 : ack, now: t, loss: lossy ? 0.3 : 0, rng: &rng)
            for a in up.receive(now: t) { view.acknowledge(a) }
            #expect(table.updatesOfEmptySlots == 0, "an update named a slot the client does not hold (tick \(t))")
        }

        // Calm: the client's table is the view.
        #expect(!table.awaitingReset)
        let held = table.players
        #expect(held.map(\.id) == members.map(\.id), "the table holds exactly the view's members")
        // What the zone counts as acknowledged: nothing is sent again for ever once the client has it.
        #expect(view.members.allSatisfy { $0.acked && !$0.healthPending },
                "the zone saw every add and health change acknowledged")
        let now = history[UInt32(lossyTicks + calmTicks)]!
        var stale = 0
        table.forEach { entry in
            let id = entry.state.id
            guard let then = history[entry.tick]?[id], let current = now[id] else {
                Issue.record("player \(id) in the table at tick \(entry.tick) was not sent then")
                return
            }
            #expect(entry.state.x == then.x && entry.state.y == then.y && entry.state.vx == then.vx
                    && entry.state.vy == then.vy, "player \(id)'s motion is the one of the tick it came with")
            #expect(entry.state.health == current.health && entry.state.flags == current.flags,
                    "player \(id)'s health and flags are current")
            if table.tick - entry.tick > 24 { stale += 1 }
        }
        #expect(stale == 0, "every member was refreshed within 24 ticks (4 + its distance, at most 20, and the round trip)")
        #expect(Set(table.coins.map(\.id)) == coinHistory[table.tick], "the coins are the ones in view")
        for c in table.coins {
            let at = try #require(world.coins.first { $0.id == c.id }?.at)
            #expect(c.x == Quantize.position(at.x) && c.y == Quantize.position(at.y), "coin \(c.id) where it lies")
        }
    }
}

extension GhostViewTests {
    /// A client that acknowledges nothing while players and coins come into view and leave, tick after tick:
    /// the slot and coin removals the zone owes it pile up, yet every snapshot fits in 1,200 bytes, and once
    /// the client acknowledges again it holds exactly the view's players and coins.
    @Test func churnWithoutAcknowledgementsStillFitsASnapshot() throws {
        var rng = SplitMix64(seed: 99)
        var view = GhostView()
        var table = GhostTable()
        var buffer = [UInt8](repeating: 0, count: Wire.maximumSnapshotBytes)
        var coins: [(id: UInt32, at: Vec2)] = []
        for k in 0..<400 {
            let x = Double(k % 40), y = Double(k / 40)
            coins.append((UInt32(5000 + k), Vec2(x: x, y: y)))
        }
        var entities: [EntityState] = []
        for k in 0..<300 {
            entities.append(EntityState(id: UInt32(k + 1), x: UInt16(k * 100), y: 500, vx: 0, vy: 0, health: 100,
                                        flags: EntityFlags.alive))
        }
        var members: [EntityTable.Ref] = []
        var visible: [(id: UInt32, at: Vec2, distanceSquared: Double)] = []
        for t in 1...700 {
            let silent = t <= 600
            // While silent other players and coins are nearest every tick; then the view stays.
            if silent || t == 601 {
                let nearest = coins.shuffled(using: &rng).prefix(GhostView.maximumCoins)
                visible = nearest.enumerated().map { k, c in (id: c.id, at: c.at, distanceSquared: Double(k)) }
                let picked = (0..<entities.count).filter { _ in Int.random(in: 0..<300, using: &rng) < 40 }
                members = picked.map { EntityTable.Ref(index: Int32($0), id: entities[$0].id) }
            }
            // Chosen again every tick while silent, and every 16th after (as a zone does): members left without
            // a slot while removals held them all get one then.
            if silent || t == 601 || t % 16 == 0 {
                let chosen = members.map { (state: entities[Int($0.index)], distanceSquared: Double($0.index)) }
                chosen.withUnsafeBufferPointer { view.choose(view: members, states: $0) }
            }
            let frame = GhostView.Frame(tick: UInt32(t), lastInputSequence: UInt32(t), me: SelfState(
                x: 0, y: 0, vx: 0, vy: 0, health: 100, flags: 1, coins: 0, kills: 0, deaths: 0),
                updateBudget: 160, threshold: 1)
            let built = entities.withUnsafeBufferPointer { states in
                members.withUnsafeBufferPointer { refs in
                    visible.withUnsafeBufferPointer { seen in
                        buffer.withUnsafeMutableBytes {
                            view.build(frame, view: refs, moved: false, states: states, coins: seen, into: $0)
                        }
                    }
                }
            }
            let sent = try #require(built)
            #expect(sent.bytes <= Wire.maximumSnapshotBytes, "tick \(t): \(sent.bytes) bytes")
            // The client gets only the first snapshot of the silent stretch (applied, never acknowledged), then
            // every one after it, acknowledging each.
            guard t == 1 || !silent else { continue }
            let (header, outcome) = try buffer[0..<sent.bytes].withUnsafeBytes { try table.apply($0) }
            if outcome == .applied && !silent { view.acknowledge(header.tick) }
        }
        #expect(table.players.map(\.id) == members.map(\.id), "the client holds the players in view")
        #expect(Set(table.coins.map(\.id)) == Set(visible.map(\.id)), "the client holds the coins in view")
    }
}

@Suite struct GhostMemberLayoutTests {
    /// The per-tick pass reads every member's record of every view: its size is what the pass costs in
    /// memory traffic (docs/BENCHMARKS.md, sixteenth session).
    @Test func aMemberRecordIs24Bytes() {
        #expect(MemoryLayout<GhostView.Member>.stride == 24)
    }

    @Test func aMembersFlagsAndRefreshShareOneByte() {
        var m = GhostView.Member(index: 3, slot: 7)
        m.refreshTicks = 23
        m.acked = true
        m.near = true
        #expect(m.refreshTicks == 23 && m.acked && m.near && !m.healthPending)
        m.near = false
        m.healthPending = true
        #expect(m.refreshTicks == 23 && m.acked && !m.near && m.healthPending)
        m.refreshTicks = 400
        #expect(m.refreshTicks == 35, "at most 4 + 31")
        m.refreshTicks = 0
        #expect(m.refreshTicks == 4 && m.acked && m.healthPending)
        m.healthPending = false
        #expect(m.bits & GhostView.Member.flagBits == GhostView.Member.ackedOnly, "a member the pass may pass over")
    }
}
