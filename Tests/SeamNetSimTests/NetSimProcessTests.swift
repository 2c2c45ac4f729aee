import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing

/// Real `seam netsim` and `seam zone` processes on loopback, reached by a real ENet client.
@Suite(.serialized) struct NetSimProcessTests {
    static func counters(_ report: [String: Any], _ direction: String) -> [String: Int] {
        let total = report["total"] as? [String: Any] ?? [:]
        return total[direction] as? [String: Int] ?? [:]
    }

    @Test func aClientPlaysThroughTheRelayAndTheCountersMatchItsTraffic() throws {
        let zone = try ZoneUnderTest()
        let netsim = try NetSimUnderTest(targets: [zone.port], spec: "latency=20ms,seed=3")
        let client = try TestClient()
        try client.connect(port: netsim.ports[0])
        try client.send(.hello(version: Wire.version, name: "relayed"))
        let welcome = try #require(client.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } })
        #expect(welcome.zoneIndex == 0)
        var snapshots = 0
        #expect(
            client.pump(
                until: {
                    snapshots = client.received.filter { if case .snapshot = $0 { true } else { false } }.count
                    return snapshots >= 10
                }, timeout: 10), "\(snapshots) snapshots through the relay")
        // ENet measures the round trip through the relay: 20 ms each way is never beaten.
        #expect((client.peer?.roundTripTimeMs ?? 0) >= 40)
        try client.send(.leave(reason: 0))
        client.disconnect()
        #expect(!client.connected)
        // Whatever the zone sent before the disconnect is through the relay's 20 ms by now.
        client.pump(until: { false }, timeout: 0.3)
        let traffic = client.host.traffic
        let stopped = netsim.stop()
        #expect(stopped.status == 0, "\(stopped.stderr)")
        #expect(stopped.stdout.contains("netsim stopped after"))
        #expect(stopped.stdout.contains("report written to \(netsim.reportPath)"))
        zone.stop()

        let report = try netsim.report()
        #expect(report["seam_netsim_report"] as? Int == 1)
        #expect(report["spec"] as? String == "latency=20ms,seed=3")
        let up = Self.counters(report, "up")
        let down = Self.counters(report, "down")
        #expect(
            up["received_packets"] == Int(traffic.datagramsSent), "every datagram the client sent reached the relay")
        #expect(up["received_bytes"] == Int(traffic.bytesSent))
        #expect(up["delivered_packets"] == up["received_packets"], "no impairment but delay: all delivered")
        #expect(down["delivered_packets"] == Int(traffic.datagramsReceived), "the client got what the relay delivered")
        #expect(down["delivered_bytes"] == Int(traffic.bytesReceived))
        #expect(down["delivered_packets"] == down["received_packets"])
        for key in [
            "dropped_loss", "dropped_burst", "dropped_queue_full", "duplicated", "reordered", "send_errors",
            "queue_depth",
        ] {
            #expect(up[key] == 0 && down[key] == 0, "\(key)")
        }
        #expect((down["queue_depth_max"] ?? 0) >= 1)
        let relays = report["relays"] as? [[String: Any]] ?? []
        #expect(relays.count == 1 && relays.first?["flows_opened"] as? Int == 1, "one client socket, one flow")
        #expect(relays.first?["target"] as? String == "127.0.0.1:\(zone.port)")
    }

    @Test func lossDuplicationAndHoldingBackAreCountedAndAccountedFor() throws {
        let zone = try ZoneUnderTest()
        let netsim = try NetSimUnderTest(
            targets: [zone.port], spec: "latency=5ms,jitter=5ms,loss=10%,dup=10%,reorder=10%/20ms,seed=5")
        let client = try TestClient()
        try client.connect(port: netsim.ports[0], timeout: 10)
        try client.send(.hello(version: Wire.version, name: "lossy"))
        #expect(client.waitFor(timeout: 10) { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } } != nil)
        // 200 inputs up, about as many snapshots down: at 10% each, every impairment shows in both directions.
        var snapshots = 0
        for sequence in 1...200 {
            try client.send(
                .input(InputMessage(ackTick: 0, newestSequence: UInt32(sequence), commands: [InputCommand(moveX: 0)])))
            client.pump(until: { false }, timeout: 0.02)
            snapshots += client.received.filter { if case .snapshot = $0 { true } else { false } }.count
            client.clearReceived()
        }
        #expect(snapshots >= 50, "\(snapshots) snapshots through a lossy relay")
        client.disconnect()
        netsim.stop()
        zone.stop()
        let report = try netsim.report()
        for direction in ["up", "down"] {
            let c = Self.counters(report, direction)
            #expect(
                (c["dropped_loss"] ?? 0) > 0 && (c["duplicated"] ?? 0) > 0 && (c["reordered"] ?? 0) > 0,
                "\(direction): \(c)")
            let accounted =
                (c["delivered_packets"] ?? 0) + (c["dropped_loss"] ?? 0) + (c["dropped_burst"] ?? 0)
                + (c["dropped_queue_full"] ?? 0) + (c["send_errors"] ?? 0) + (c["queue_depth"] ?? 0)
            #expect((c["received_packets"] ?? 0) + (c["duplicated"] ?? 0) == accounted, "\(direction): \(c)")
        }
    }

    @Test(arguments: [
        (["netsim", "--spec", "latency=5ms"], "at least one --relay"),
        (["netsim", "--relay", "127.0.0.1:0", "--spec", "latency=5ms"], "--relay: a relay is LISTEN=TARGET"),
        (["netsim", "--relay", "127.0.0.1:0=127.0.0.1:70000"], "--relay: relay '127.0.0.1:0=127.0.0.1:70000'"),
        (
            ["netsim", "--relay", "127.0.0.1:0=127.0.0.1:7000", "--spec", "latency=75"],
            "--spec: spec part 'latency=75': latency needs a unit"
        ),
        (["netsim", "--relay", "127.0.0.1:0=127.0.0.1:7000", "--spec", "loss=2"], "loss is a percentage"),
        (["netsim", "--relay", "127.0.0.1:0=127.0.0.1:7000", "--duration", "0"], "--duration must be positive"),
        (
            ["cluster", "--map", "Maps/duel.map", "--netsim", "wobble=3%"],
            "--netsim: spec part 'wobble=3%': unknown key 'wobble'"
        ),
        (
            ["zone", "--map", "Maps/duel.map", "--zone", "west", "--public", "east"],
            "--public must look like ID=HOST:PORT"
        ),
    ])
    func badFlagsAreRefused(arguments: [String], message: String) throws {
        let r = try SeamProcess.run(arguments, timeout: 20, directory: SeamProcess.repositoryRoot)
        #expect(r.status != 0)
        #expect(r.stderr.contains(message), "\(r.stderr)")
    }

    @Test func aDurationEndsTheRelayWithItsSummary() throws {
        let r = try SeamProcess.run([
            "netsim", "--relay", "127.0.0.1:0=127.0.0.1:9", "--spec", "latency=1ms", "--duration", "0.3",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("netsim listening on 127.0.0.1:"))
        #expect(r.stdout.contains("-> 127.0.0.1:9 (spec latency=1ms,seed=1)"))
        #expect(r.stdout.contains("netsim stopped after"))
    }
}
