import Foundation
import SeamNet
import SeamProtocol
import SeamTesting
import Testing

/// Real `seam netsim` and `seam zone` / `seam cluster` processes on loopback, reached by a real ENet client.
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
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "relayed"))
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
        try client.send(.hello(version: Wire.deltaSnapshotVersion, name: "lossy"))
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

    @Test func standbyAndHandoffGoThroughTheRelaysOfACluster() throws {
        // duel: west 7101, east 7102; relays at +100.
        let cluster = try ClusterUnderTest(
            map: "duel", ports: [7101, 7102, 7201, 7202], links: 1,
            extra: ["--netsim", "latency=5ms,seed=2"])
        #expect(
            cluster.text.contains(
                "clients connect through netsim at west=127.0.0.1:\(cluster.port(7201)), east=127.0.0.1:\(cluster.port(7202))"
            ))
        #expect(cluster.text.contains("--port-offset \(cluster.portOffset + 100)"))
        let owner = try TestClient()
        try owner.connect(port: cluster.port(7201))
        try owner.send(.hello(version: Wire.deltaSnapshotVersion, name: "walker"))
        #expect(owner.waitFor { m -> Welcome? in if case .welcome(let w) = m { w } else { nil } } != nil)
        // Walk east until the west zone offers a standby connection to the east zone: at its relay.
        var standby: (ZoneEndpoint, AttachToken)?
        var sequence: UInt32 = 0
        for _ in 0..<400 where standby == nil {
            sequence += 1
            try owner.send(
                .input(InputMessage(ackTick: 0, newestSequence: sequence, commands: [InputCommand(moveX: 127)])))
            owner.pump(until: { false }, timeout: 0.025)
            for m in owner.received { if case .standby(let e, let t) = m { standby = (e, t) } }
            owner.clearReceived()
        }
        let (endpoint, token) = try #require(standby)
        #expect(endpoint.zoneIndex == 1)
        #expect(
            endpoint.port == cluster.port(7202),
            "the east zone is advertised at its relay, not at \(cluster.port(7102))")
        let east = try TestClient()
        try east.connect(port: endpoint.port)
        try east.send(.attach(version: Wire.deltaSnapshotVersion, token: token))
        #expect(east.waitFor { m -> UInt32? in if case .attached(let p, _) = m { p } else { nil } } != nil)
        // Keep walking: the east zone takes the player over the standby connection, through the relay.
        var newOwner: UInt16?
        for _ in 0..<400 where newOwner == nil {
            sequence += 1
            try owner.send(
                .input(InputMessage(ackTick: 0, newestSequence: sequence, commands: [InputCommand(moveX: 127)])))
            owner.pump(until: { false }, timeout: 0.0125)
            east.pump(until: { false }, timeout: 0.0125)
            for m in east.received { if case .owner(_, _, _, let index) = m { newOwner = index } }
            east.clearReceived()
            owner.clearReceived()
        }
        #expect(newOwner == 1)
        east.disconnect()
        owner.disconnect()
        let out = cluster.stop()
        #expect(out.contains("[netsim] netsim stopped after"))
        #expect(out.contains("[west] zone west tells clients to reach east=127.0.0.1:\(cluster.port(7202))"))
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
        (["cluster", "--map", "Maps/duel.map", "--netsim-report", "x.json"], "--netsim-report needs --netsim"),
        (["cluster", "--map", "Maps/duel.map", "--netsim", "loss=1%", "--netsim-offset", "1"], "another zone's port"),
        (
            ["zone", "--map", "Maps/duel.map", "--zone", "west", "--public", "east"],
            "--public must look like ID=HOST:PORT"
        ),
        (["zone", "--map", "Maps/duel.map", "--zone", "west", "--public", "north=127.0.0.1:1"], "has no zone 'north'"),
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
