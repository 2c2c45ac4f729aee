import SeamNet
import SeamProtocol
import SeamWorld

extension Swarm {
    func handle(_ event: NetEvent, host h: Int) {
        switch event {
        case .connect(let peer, _):
            let i = botOfSlot[h][peer.slot]
            guard i >= 0 else { return }
            peer.disableThrottle()
            bots[i].phase = .handshaking
            writer.reset()
            ClientMessage.hello(version: Wire.version, name: "\(config.namePrefix)-\(i)").encode(into: &writer)
            try? peer.send(writer.bytes, channel: Wire.controlChannel, delivery: .reliable)
        case .disconnect(let peer, let data):
            let i = botOfSlot[h][peer.slot]
            guard i >= 0 else { return }
            botOfSlot[h][peer.slot] = -1
            switch bots[i].phase {
            case .connecting, .handshaking:
                bots[i].phase = .failed
                stats.connectFailures += 1
            case .playing:
                bots[i].phase = .gone
                stats.disconnects += 1
                if data != 0, refusalLogBudget > 0 {
                    refusalLogBudget -= 1
                    logger.notice("bot \(i) disconnected by its zone (code \(data))")
                }
            default:
                break
            }
            bots[i].peer = nil
        case .receive(let peer, _, let bytes):
            let i = botOfSlot[h][peer.slot]
            guard i >= 0 else { return }
            receive(bytes, bot: i)
        }
    }

    private func receive(_ bytes: UnsafeRawBufferPointer, bot i: Int) {
        let message: ServerMessage
        do {
            message = try ServerMessage.decode(bytes)
        } catch {
            stats.malformedFromZone += 1
            return
        }
        switch message {
        case .welcome(let w):
            guard bots[i].phase == .handshaking else { return }
            bots[i].phase = .playing
            bots[i].playerId = w.playerId
            bots[i].tickRate = Int(w.tickRate)
            bots[i].position = Vec2(x: Quantize.position(w.x), y: Quantize.position(w.y))
            bots[i].newestTick = w.tick
            bots[i].newestTickNanos = nowNanos
            stats.connected += 1
            stats.connectedPeak = max(stats.connectedPeak, stats.connected)
        case .refuse(let code, let text):
            stats.refused["\(code)", default: 0] += 1
            if refusalLogBudget > 0 {
                refusalLogBudget -= 1
                logger.notice("bot \(i) refused: \(code): \(text)")
            }
        case .snapshot(let s):
            guard bots[i].phase == .playing else { return }
            stats.snapshots += 1
            stats.snapshotBytes += bytes.count
            guard s.tick > bots[i].newestTick || bots[i].view.newestTick == nil else { return }
            bots[i].newestTick = s.tick
            bots[i].newestTickNanos = nowNanos
            bots[i].position = Vec2(x: Quantize.position(s.me.x), y: Quantize.position(s.me.y))
            bots[i].alive = s.me.flags & EntityFlags.alive != 0
            bots[i].view.add(tick: s.tick, entities: s.entities)
            bots[i].coins = s.coins
        case .events(let events):
            for e in events {
                switch e {
                case .hitConfirmed: stats.shotsConfirmed += 1
                case .killCredited: stats.kills += 1
                case .died: stats.deaths += 1
                case .coinPicked: stats.coinsPicked += 1
                case .damaged, .respawned: break
                }
            }
        }
    }
}
