import SeamProtocol
import SeamSimulation
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// The per-tick table puts any view in id order and never shows an id twice.
@Suite struct EntityTableTests {
    /// The radix sort orders by the upper 32 bits and keeps the input order among equal upper halves (the
    /// table's keys are id << 32 | grid index, so that is the sort by key): checked against the standard
    /// library's stable sort, with ids that share bytes, repeat, or differ only in their top byte.
    @Test func sortByHighWordIsAStableSortByTheUpperHalf() {
        var rng = SplitMix64(seed: 29)
        for round in 0..<300 {
            let n = Int.random(in: 0...700, using: &rng)
            let keys: [UInt64] = (0..<n).map { _ in
                let id: UInt64 = switch round % 3 {
                case 0: UInt64.random(in: 0...UInt64(UInt32.max), using: &rng)
                case 1: UInt64.random(in: 0...40, using: &rng) | 7 << 21
                default: UInt64.random(in: 0...3, using: &rng) << 24
                }
                return id << 32 | UInt64.random(in: 0...UInt64(UInt32.max), using: &rng)
            }
            var sorted = keys
            var scratch = Array(repeating: UInt64(0), count: n)
            sorted.withUnsafeMutableBufferPointer { k in
                scratch.withUnsafeMutableBufferPointer { EntityTable.sortByHighWord(k, scratch: $0) }
            }
            #expect(sorted == keys.enumerated().sorted { ($0.element >> 32, $0.offset) < ($1.element >> 32, $1.offset) }.map(\.element))
        }
    }

    @Test func viewsComeInIdOrderWhateverOrderTheyAreFoundIn() {
        var rng = SplitMix64(seed: 3)
        let players = (0..<300).map { k in
            PlayerState(id: UInt32.random(in: 1...1_000_000, using: &rng) << 8 | UInt32(k),
                        position: Vec2(x: Double(k), y: 1), health: 100)
        }
        let ghosts = (0..<40).map { k in
            GhostState(id: 2_000_000_000 - UInt32(k), position: Vec2(x: 5, y: Double(k)), velocity: .zero, health: 50,
                       alive: true)
        }
        var table = EntityTable()
        table.rebuild(players: players, ghosts: ghosts)
        var members: [(state: EntityState, distanceSquared: Double)] = []
        var view: [EntityTable.Ref] = []
        let center = Vec2(x: 40, y: 3)
        func position(_ j: Int) -> Vec2 { j < players.count ? players[j].position : ghosts[j - players.count].position }
        for round in 0..<50 {
            let visible = (0..<340).filter { _ in Bool.random(using: &rng) }.shuffled(using: &rng)
                .map { (index: $0, distanceSquared: Double($0 * round)) }
            table.members(of: visible, from: center, into: &members, view: &view)
            let expected = visible.map { v in
                v.index < players.count ? players[v.index].id : ghosts[v.index - players.count].id
            }.sorted()
            #expect(members.map(\.state.id) == expected)
            #expect(view.map(\.id) == expected)
            for (m, ref) in zip(members, view) {
                #expect(table.states[Int(ref.index)].id == m.state.id)
                #expect(m.distanceSquared == (position(Int(ref.index)) - center).lengthSquared)
            }
        }
    }

    /// A view kept from an earlier tick gives its members' states and distances now, wherever they moved in
    /// the table, or fails (so the zone chooses again) once one of them left, or is the viewer.
    @Test func aKeptViewGivesCurrentStatesUntilAMemberLeaves() {
        var players = (1...6).map { k in PlayerState(id: UInt32(k * 10), position: Vec2(x: Double(k), y: 1), health: 100) }
        var table = EntityTable()
        table.rebuild(players: players, ghosts: [])
        var members: [(state: EntityState, distanceSquared: Double)] = []
        var view: [EntityTable.Ref] = []
        table.members(of: [(4, 0), (1, 0), (2, 0)], from: players[0].position, into: &members, view: &view)
        #expect(view.map(\.id) == [20, 30, 50])

        // Next tick: everyone moved; same indices.
        for k in players.indices { players[k].position.y += 2 }
        players[1].health = 40
        table.rebuild(players: players, ghosts: [])
        let me = Vec2(x: 1, y: 3)
        #expect(table.members(of: &view, viewer: 10, from: me, into: &members))
        #expect(members.map(\.state.id) == [20, 30, 50])
        #expect(members[0].state.health == 40)
        #expect(members.map(\.distanceSquared) == [1, 4, 16])
        #expect(!table.members(of: &view, viewer: 30, from: me, into: &members), "the viewer is in the view")

        // Players move to other indices (a ghost's index moves whenever the zone's player count changes):
        // found by id, and the view remembers where.
        players.reverse()
        table.rebuild(players: players, ghosts: [])
        #expect(table.members(of: &view, viewer: 10, from: me, into: &members))
        #expect(members.map(\.state.id) == [20, 30, 50])
        #expect(view.map(\.index) == [4, 3, 1])
        #expect(members.map(\.distanceSquared) == [1, 4, 16])

        // A member leaves: the view must be chosen again.
        players.removeAll { $0.id == 30 }
        table.rebuild(players: players, ghosts: [])
        #expect(!table.members(of: &view, viewer: 10, from: me, into: &members))
    }

    /// The favoured test marks exactly the view's members still where it found them, and clears after.
    @Test func favouringMarksTheViewOnly() {
        var players = (1...130).map { k in PlayerState(id: UInt32(k), position: Vec2(x: Double(k), y: 1), health: 100) }
        var table = EntityTable()
        table.rebuild(players: players, ghosts: [])
        let view = [EntityTable.Ref(index: 3, id: 4), EntityTable.Ref(index: 70, id: 71), EntityTable.Ref(index: 90, id: 5)]
        let marked = table.favouring(view) { favoured in (0..<140).filter(favoured) }
        #expect(marked == [3, 70], "index 90 holds id 91, not 5")
        #expect(table.favouring([]) { favoured in (0..<140).filter(favoured) } == [])
        players.removeLast()
        table.rebuild(players: players, ghosts: [])
        #expect(table.favouring(view) { favoured in (0..<140).filter(favoured) } == [3, 70])
    }

    /// A player just accepted here may still be ghosted by its old owner: the owned state is shown, once.
    @Test func anIdBothOwnedAndGhostedIsShownOnceAsOwned() {
        let players = [PlayerState(id: 7, position: Vec2(x: 1, y: 1), health: 100),
                       PlayerState(id: 9, position: Vec2(x: 2, y: 1), health: 100)]
        let ghosts = [GhostState(id: 7, position: Vec2(x: 1.5, y: 1), velocity: .zero, health: 30, alive: true),
                      GhostState(id: 8, position: Vec2(x: 3, y: 1), velocity: .zero, health: 30, alive: true)]
        var table = EntityTable()
        table.rebuild(players: players, ghosts: ghosts)
        var members: [(state: EntityState, distanceSquared: Double)] = []
        var view: [EntityTable.Ref] = []
        table.members(of: [(2, 1), (0, 2), (3, 3), (1, 4)], from: .zero, into: &members, view: &view)
        #expect(members.map(\.state.id) == [7, 8, 9])
        #expect(members[0].state.flags & EntityFlags.ghost == 0, "the owned state, not the ghost")
        #expect(members[0].state.health == 100)
    }
}
