import Foundation
import Logging
import SeamNet
import SeamSimulation
import SeamTesting
import SeamWorld
import Synchronization

@testable import SeamZone

/// A zone server run in this process, on a thread of its own, for tests that play its neighbour.
final class InProcessZone: @unchecked Sendable {
    let server: ZoneServer
    private let stopSignal = StopSignal()
    private let done = DispatchSemaphore(value: 0)

    init(config: ZoneConfig) throws {
        server = try ZoneServer(config: config, logger: Logger(label: "test"))
        Thread { [self] in
            server.run(until: stopSignal) { _ in }
            done.signal()
        }.start()
    }

    var port: UInt16 { server.port }

    /// Stops the zone and waits for its thread to end.
    func stop() {
        stopSignal.stop()
        done.wait()
    }
}

extension InProcessZone {
    /// Maps/duel.map's east zone with cluster secret `secret`, dialling its west neighbour where nothing
    /// listens: the test connects to it as that neighbour (link connect data, link Hello with the proof).
    static func duelEast(secret: [UInt8], clock: any NanoClock = SystemClock()) throws
        -> (zone: InProcessZone, west: ZoneSpec, east: ZoneSpec)
    {
        let map = try GameMap.load(path: SeamProcess.mapPath("duel"))
        guard let west = map.zone(id: "west"), let east = map.zone(id: "east") else {
            throw TestSetupError("Maps/duel.map has no west or east zone")
        }
        let nowhere = try NetHost(bind: NetAddress(resolving: "127.0.0.1", port: 0), peerLimit: 1).localAddress.port
        var config = ZoneConfig(map: map, zone: east, bind: try NetAddress(resolving: "127.0.0.1", port: 0))
        config.secret = secret
        config.clock = clock
        config.neighbours = [west.index: try NetAddress(resolving: "127.0.0.1", port: nowhere)]
        return (try InProcessZone(config: config), west, east)
    }
}

/// The system clock moved on by hand: a test jumps a zone's wall time forward (its ticks skip ahead, as
/// after a stall) to reach a deadline of seconds without waiting for it. ENet keeps its own clock.
final class SteppedClock: NanoClock {
    private let offsetNanos = Atomic<UInt64>(0)

    func nowNanos() -> UInt64 { SystemClock().nowNanos() + offsetNanos.load(ordering: .relaxed) }

    var nowMs: UInt64 { nowNanos() / 1_000_000 }

    func advance(seconds: UInt64) {
        offsetNanos.add(seconds * 1_000_000_000, ordering: .relaxed)
    }
}
