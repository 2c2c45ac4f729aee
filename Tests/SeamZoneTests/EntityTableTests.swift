import SeamProtocol
import SeamSimulation
import SeamTesting
import SeamWorld
import Testing

@testable import SeamZone

/// The per-tick table puts any view in id order and never shows an id twice.
@Suite struct EntityTableTests {
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
        for round in 0..<50 {
            let visible = (0..<340).filter { _ in Bool.random(using: &rng) }.shuffled(using: &rng)
                .map { (index: $0, distanceSquared: Double($0 * round)) }
            table.members(of: visible, into: &members)
            let expected = visible.map { v in
                v.index < players.count ? players[v.index].id : ghosts[v.index - players.count].id
            }.sorted()
            #expect(members.map(\.state.id) == expected)
            for m in members {
                let v = visible.first { table.states[$0.index].id == m.state.id }
                #expect(m.distanceSquared == v?.distanceSquared)
            }
        }
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
        table.members(of: [(2, 1), (0, 2), (3, 3), (1, 4)], into: &members)
        #expect(members.map(\.state.id) == [7, 8, 9])
        #expect(members[0].state.flags & EntityFlags.ghost == 0, "the owned state, not the ghost")
        #expect(members[0].state.health == 100)
    }
}
