import Foundation
import Logging
import SeamNet

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
