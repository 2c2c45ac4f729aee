import SeamNet
import SeamProtocol

extension ZoneServer {
    /// Adds one tick's work to the window the next ZoneStatus message covers.
    func noteTickWork(nanos: UInt64) {
        statusWindow.append(UInt32(clamping: nanos / 1000))
    }

    /// Once a second: the ZoneStatus message (tick work over the window, players, ghosts, load) to every
    /// playing client on the state channel, then a new window. Clients that show zone load need it; the
    /// others ignore it, and it costs each of them 15 bytes and 4 per tick a second (95 at 20 Hz).
    func sendZoneStatus() {
        let report = ZoneStatusReport(
            zoneIndex: UInt16(config.zone.index), tick: UInt32(truncatingIfNeeded: simulation.tick),
            tickMicros: Array(statusWindow.suffix(ZoneStatusReport.maximumTicks)),
            players: UInt16(clamping: simulation.players.count), ghosts: UInt16(clamping: simulation.ghosts.count),
            entityLimit: UInt8(clamping: entityLimit),
            flags: (entityLimit < ZoneServer.entityLimitMax ? ZoneStatusReport.degrading : 0)
                | (snapshotInterval > 1 ? ZoneStatusReport.halfRate : 0))
        statusWindow.removeAll(keepingCapacity: true)
        eventWriter.reset()
        ServerMessage.zoneStatus(report).encode(into: &eventWriter)
        for slot in liveSlots where sessions[slot].phase == .playing {
            do {
                try host.peer(slot: slot).send(eventWriter.bytes, channel: Wire.stateChannel, delivery: .unreliable)
            } catch {
                counters.sendFailures += 1
            }
        }
    }
}
