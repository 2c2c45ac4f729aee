import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing

/// Protocol 6 end to end: v6 clients of a real `seam zone` over real ENet keep the tables its ghost snapshots
/// change, and each sees the other where the other is, by dead reckoning from what it was sent.
@Suite(.serialized) struct GhostSessionTests {
    /// A v6 client: its table, and its own position by tick (from its snapshots' self block).
    final class Player {
        let client: TestClient
        var table = GhostTable()
        var id: UInt32 = 0
        var sequence: UInt32 = 0
        var recent: [InputCommand] = []
        var seenSelf: [UInt32: (x: UInt16, y: UInt16)] = [:]
        var resets = 0
        var applied = 0
        /// The other player, and where this one's table predicted it at each tick applied.
        var watched: UInt32 = 0
        var predicted: [UInt32: (x: Int, y: Int)] = [:]

        init(port: UInt16, name: String) throws {
            client = try TestClient()
            try client.connect(port: port)
            try client.send(.hello(version: Wire.version, name: name))
        }

        /// Takes what arrived: the Welcome, and every ghost snapshot applied to the table in order.
        func take() throws {
            for m in client.received {
                switch m {
                case .welcome(let w): id = w.playerId
                case .ghost(let g):
                    let bytes = ServerMessage.ghost(g).encoded()
                    let (header, outcome) = try bytes.withUnsafeBytes { try table.apply($0) }
                    guard outcome == .applied else { continue }
                    applied += 1
                    if header.reset { resets += 1 }
                    seenSelf[header.tick] = (header.me.x, header.me.y)
                    table.forEach { e in
                        guard e.state.id == watched, watched != 0 else { return }
                        let age = Int(header.tick) - Int(e.tick)
                        predicted[header.tick] = (Int(e.state.x) + Int(e.state.vx) * age / 80,
                                                  Int(e.state.y) + Int(e.state.vy) * age / 80)
                    }
                default: break
                }
            }
            client.clearReceived()
        }

        /// One input walking along `move`, acknowledging the newest tick applied (0 while awaiting a reset).
        func step(_ move: InputCommand) throws {
            sequence += 1
            recent.insert(move, at: 0)
            if recent.count > 4 { recent.removeLast() }
            let ack = table.awaitingReset ? 0 : table.tick
            try client.send(.input(InputMessage(ackTick: ack, newestSequence: sequence, commands: recent)))
        }
    }

    @Test func twoV6ClientsSeeEachOtherWhereTheyAre() throws {
        let zone = try ZoneUnderTest()
        let a = try Player(port: zone.port, name: "a"), b = try Player(port: zone.port, name: "b")
        // They spawn about 21 tiles apart on duel's west zone (beyond the 16-tile view): they walk towards each
        // other for a second and a half, then step back and forth, so that their motions keep changing.
        for k in 0..<40 {
            if k == 1 { a.watched = b.id; b.watched = a.id }
            let sway: Int8 = k < 30 ? 127 : (k % 4 < 2 ? 60 : -60)
            try a.step(InputCommand(moveX: sway))
            try b.step(InputCommand(moveX: -sway, moveY: k < 30 ? 0 : sway / 2))
            a.client.pump(until: { false }, timeout: 0.025)
            b.client.pump(until: { false }, timeout: 0.025)
            try a.take()
            try b.take()
        }
        #expect(a.id != 0 && b.id != 0)
        #expect(a.resets >= 1 && b.resets >= 1, "each table started from a reset")
        #expect(a.applied > 20 && b.applied > 20)
        #expect(a.table.updatesOfEmptySlots == 0 && b.table.updatesOfEmptySlots == 0)
        for (viewer, other) in [(a, b), (b, a)] {
            let entries = viewer.table.players
            #expect(entries.map(\.id) == [other.id], "the table holds the other player, once")
            var found: GhostTable.Entry?
            viewer.table.forEach { if $0.state.id == other.id { found = $0 } }
            let entry = try #require(found)
            // Where the viewer predicts the other at its newest tick, against where the other saw itself then
            // (the other takes snapshots until it has that tick's; the viewer's table stays as it is meanwhile).
            let tick = viewer.table.tick
            for _ in 0..<40 where other.seenSelf[tick] == nil {
                other.client.pump(until: { false }, timeout: 0.025)
                try other.take()
            }
            let truth = try #require(other.seenSelf[tick], "the other's snapshot of tick \(tick)")
            let age = Int(tick) - Int(entry.tick)
            let x = Int(entry.state.x) + Int(entry.state.vx) * age / 80
            let y = Int(entry.state.y) + Int(entry.state.vy) * age / 80
            #expect(abs(x - Int(truth.x)) <= 4 && abs(y - Int(truth.y)) <= 4,
                    "predicted (\(x), \(y)) from tick \(entry.tick), the other was at (\(truth.x), \(truth.y)) at \(tick)")
            // And at every tick the viewer applied while the other was in its table, not only the last.
            var compared = 0, worst = 0
            for (t, p) in viewer.predicted {
                guard let truth = other.seenSelf[t] else { continue }
                compared += 1
                worst = max(worst, abs(p.x - Int(truth.x)), abs(p.y - Int(truth.y)))
            }
            #expect(compared >= 5, "the other was in the table for a while")
            #expect(worst <= 4, "the viewer's prediction was off by \(worst) units at worst")
        }
        zone.stop()
    }
}
