import SeamNet
import SeamProtocol

extension ZoneServer {
    /// Adds one tick's work to the window the next ZoneStatus message covers.
    func noteTickWork(nanos: UInt64) {
        statusWindow.append(UInt32(clamping: nanos / 1000))
    }

    /// Once a second: the ZoneStatus message (tick work over the window, players, ghosts, load), made once
    /// and then sent to each playing client with its next snapshot (`sendStatusIfDue`), on the state channel;
    /// then a new window. Clients that show zone load need it; the others ignore it, and it costs each of them
    /// 15 bytes and 4 per tick a second (95 at 20 Hz). Sent to every client at once, it went alone to the
    /// half whose snapshot was not due that tick while the zone sent snapshots at half rate: a second datagram
    /// for each of them, which doubled the send time of every twentieth tick in a hot zone.
    func makeZoneStatus() {
        let report = ZoneStatusReport(
            zoneIndex: UInt16(config.zone.index), tick: UInt32(truncatingIfNeeded: simulation.tick),
            tickMicros: Array(statusWindow.suffix(ZoneStatusReport.maximumTicks)),
            players: UInt16(clamping: simulation.players.count), ghosts: UInt16(clamping: simulation.ghosts.count),
            entityLimit: UInt8(clamping: entityLimit),
            flags: (entityLimit < ZoneServer.entityLimitMax ? ZoneStatusReport.degrading : 0)
                | (snapshotInterval > 1 ? ZoneStatusReport.halfRate : 0))
        statusWindow.removeAll(keepingCapacity: true)
        var writer = ByteWriter(capacity: 128)
        ServerMessage.zoneStatus(report).encode(into: &writer)
        statusMessage = writer.bytes
        statusSerial &+= 1
    }

    /// Queues the newest ZoneStatus for `slot` after its snapshot if it has not had it yet.
    func sendStatusIfDue(slot: Int, peer: Peer) {
        guard sessions[slot].statusSerial != statusSerial else { return }
        sessions[slot].statusSerial = statusSerial
        do {
            try peer.send(statusMessage, channel: Wire.stateChannel, delivery: .unreliable)
        } catch {
            counters.sendFailures += 1
        }
    }
}
