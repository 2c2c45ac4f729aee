import Foundation
import SeamProtocol
import SeamTesting
import Testing

/// A shot across the border of a real two-zone cluster: judged by the shooter's zone, applied once by the
/// target's owner, confirmed and credited back once; the referee agrees.
@Suite(.serialized) struct CrossBorderHitTests {
    /// A player that joined and stands still, seen through full snapshots (it acknowledges nothing).
    final class Player {
        let client: TestClient
        let id: UInt32
        var sequence: UInt32 = 0
        var newestTick: UInt32 = 0
        var me: SelfState?
        var confirmed: [UInt32] = []
        var credited: [UInt32] = []
        var died = 0
        var seen: [UInt32: EntityState] = [:]

        init(port: UInt16, name: String) throws {
            client = try TestClient()
            try client.connect(port: port)
            try client.send(.hello(version: Wire.deltaSnapshotVersion, name: name))
            let welcome = try #require(client.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } })
            id = welcome.playerId
        }

        /// One input (standing still, aiming east, firing if asked, claiming the view of two ticks ago),
        /// then what arrived.
        func step(fire: Bool = false) throws {
            sequence += 1
            let command = InputCommand(aim: 0, buttons: fire ? InputCommand.fire : 0,
                                       viewTick: fire && newestTick > 2 ? newestTick - 2 : 0)
            try client.send(.input(InputMessage(ackTick: 0, newestSequence: sequence, commands: [command])))
            client.pump(until: { false }, timeout: 0.05)
            for message in client.received {
                switch message {
                case .snapshot(let s):
                    guard s.tick > newestTick else { continue }
                    newestTick = s.tick
                    me = s.me
                    seen = Dictionary(s.entities.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                case .events(let events):
                    for e in events {
                        switch e {
                        case .hitConfirmed(let shot, _, _): confirmed.append(shot)
                        case .killCredited(let victim): credited.append(victim)
                        case .died: died += 1
                        default: break
                        }
                    }
                default:
                    break
                }
            }
            client.clearReceived()
        }
    }

    @Test func aShotAcrossTheBorderHitsOnceAndIsCreditedOnce() throws {
        let cluster = try ClusterUnderTest(map: "duel", ports: [7101, 7102], links: 1)
        // West's spawns go (3,3), (26,3), ...; east's (37,3), ...: the second west player and the first east
        // player stand on row 3, eleven open tiles apart across the border at x = 32.
        let decoy = try Player(port: cluster.port(7101), name: "decoy")
        let shooter = try Player(port: cluster.port(7101), name: "shooter")
        let target = try Player(port: cluster.port(7102), name: "target")
        // Wait until the shooter sees the target as a ghost.
        for _ in 0..<100 where shooter.seen[target.id] == nil {
            try shooter.step(); try target.step(); try decoy.step()
        }
        // The first shot claims the view of two ticks before the newest snapshot; the shooter's zone has the
        // ghost's position from the tick of the first snapshot that showed it, and skips a target it has no
        // position for. So fire only once that claim is at or after that tick (on a loaded machine the
        // first shot could otherwise claim a tick before the ghost was recorded, and miss).
        let ghostSince = shooter.newestTick
        for _ in 0..<100 where shooter.newestTick < ghostSince + 2 {
            try shooter.step(); try target.step(); try decoy.step()
        }
        #expect(shooter.newestTick >= ghostSince + 2)
        let ghost = try #require(shooter.seen[target.id])
        #expect(ghost.flags & EntityFlags.ghost != 0)
        #expect(Quantize.position(shooter.me!.y) == Quantize.position(ghost.y))
        // Four shots (one per 5-tick cooldown, each on a new input) take the target from 100 to 0.
        var fired: [UInt32] = []
        for k in 0..<40 {
            let fire = k % 6 == 0 && fired.count < 4
            try shooter.step(fire: fire)
            if fire { fired.append(shooter.sequence) }
            try target.step(); try decoy.step()
        }
        for _ in 0..<20 where shooter.credited.isEmpty { try shooter.step(); try target.step() }
        for _ in 0..<4 { try shooter.step() }  // a snapshot after the credit
        #expect(Set(shooter.confirmed) == Set(fired))
        #expect(shooter.confirmed.count == 4)
        #expect(shooter.credited == [target.id])
        #expect(shooter.me?.kills == 1)
        #expect(target.died == 1)
        _ = cluster.stop()

        let west = try cluster.journal("west"), east = try cluster.journal("east")
        func records(_ j: [[String: Any]], _ type: String) -> [[String: Any]] { j.filter { $0["type"] as? String == type } }
        let forwards = records(west, "hit_forward")
        let applied = records(east, "hit").filter { $0["from"] as? String == "west" }
        let results = records(west, "hit_result")
        #expect(forwards.count == 4 && applied.count == 4 && results.count == 4)
        #expect(Set(applied.compactMap { $0["shot"] as? Int }) == Set(fired.map(Int.init)))
        #expect(applied.map { $0["health"] as? Int } == [75, 50, 25, 0])
        #expect(records(east, "kill").filter { $0["from"] as? String == "west" }.count == 1)
        #expect(results.map { $0["outcome"] as? String } == ["applied", "applied", "applied", "killed"])
        // The shooter's zone never journals the damage itself.
        #expect(records(west, "hit").isEmpty)

        let report = cluster.journalDirectory + "/referee.json"
        let run = try SeamProcess.run(["referee", "--journal", cluster.journalDirectory, "--map",
                                       SeamProcess.mapPath("duel"), "--report", report])
        #expect(run.status == 0, "\(run.stdout)")
    }
}
