import SeamTesting
@testable import SeamProtocol


/// Sample messages covering every case of both directions.
enum Samples {
    static let me = SelfState(x: 100, y: 65535, vx: -32768, vy: 32767, health: 100, flags: EntityFlags.alive,
                              coins: 3, kills: 65535, deaths: 1)

    static func entities(_ n: Int) -> [EntityState] {
        var out: [EntityState] = []
        for i in 0..<n {
            let id = UInt32(0x0010_0000 | i)
            let x = UInt16(i * 7)
            let y = UInt16(65535 - i)
            let vx = Int16(i) - 300
            let vy = Int16(-i)
            out.append(EntityState(id: id, x: x, y: y, vx: vx, vy: vy, health: UInt8(i % 101), flags: UInt8(i % 2)))
        }
        return out
    }

    static func coins(_ n: Int) -> [CoinView] {
        var out: [CoinView] = []
        for i in 0..<n {
            let id = UInt32(i + 1)
            out.append(CoinView(id: id, x: UInt16(i * 64), y: UInt16(i * 3)))
        }
        return out
    }

    static let allEvents: [GameEvent] = [
        .hitConfirmed(shot: 0xFFFF_FFFF, target: 0x0020_0001, damage: 25),
        .damaged(shooter: 0x0010_0002, health: 0),
        .killCredited(victim: 7),
        .died(killer: 0x0010_0001, respawnTick: 123_456),
        .respawned(x: 96, y: 65535),
        .coinPicked(coin: 42),
        .shotVoid(shot: 77, reason: .targetDead),
        .shotVoid(shot: 0xFFFF_FFFF, reason: .targetInHandoff),
    ]

    static var eightCommands: [InputCommand] {
        var out: [InputCommand] = []
        for i in 0..<Wire.maximumInputsPerMessage {
            let aim = UInt16(i * 1000)
            out.append(InputCommand(moveX: Int8(i), moveY: Int8(-i), aim: aim, buttons: UInt8(i & 1)))
        }
        return out
    }

    static let client: [ClientMessage] = [
        .hello(version: Wire.version, name: ""),
        .hello(version: Wire.version, name: "bot-17"),
        .hello(version: Wire.version, name: String(repeating: "n", count: Wire.maximumNameBytes)),
        .hello(version: Wire.version, name: "Zoë 🎮 ünïcode"),
        .input(InputMessage(ackTick: 0, newestSequence: 1, commands: [InputCommand()])),
        .input(InputMessage(ackTick: 99, newestSequence: 1000, commands: [
            InputCommand(moveX: 127, moveY: -127, aim: 16384, buttons: InputCommand.fire),
            InputCommand(moveX: -128, moveY: 0, aim: 65535, buttons: 0xFF, viewTick: 0xFFFF_FFFF, viewFraction: 255),
            InputCommand(moveX: 3, aim: 7, buttons: InputCommand.fire, viewTick: 1_234_567, viewFraction: 128),
        ])),
        .input(InputMessage(ackTick: 0xFFFF_FFFF, newestSequence: 0xFFFF_FFFF, commands: eightCommands)),
        .input(InputMessage(ackTick: 5, newestSequence: 7, commands: Array(repeating: InputCommand(moveX: 1), count: 8))),
        .leave(reason: 0),
        .leave(reason: 255),
    ]

    static let server: [ServerMessage] = [
        .welcome(Welcome(playerId: 0x0010_0001, zoneIndex: 0, zoneId: "west", mapName: "duel", tickRate: 20,
                         tick: 1_234_567, x: 96, y: 96, viewRadius: 16)),
        .welcome(Welcome(version: 7, playerId: 0xFFFF_FFFF, zoneIndex: 65535, zoneId: "", mapName: "",
                         tickRate: 255, tick: 0xFFFF_FFFF, x: 65535, y: 0, viewRadius: 255)),
        .welcome(Welcome(playerId: 1, zoneIndex: 3, zoneId: "d4", mapName: String(repeating: "m", count: 255),
                         tickRate: 20, tick: 0, x: 0, y: 0, viewRadius: 0)),
        .refuse(code: .wrongVersion, message: "protocol version 2 is not supported"),
        .refuse(code: .shuttingDown, message: ""),
        .snapshot(Snapshot(tick: 0, lastInputSequence: 0, me: me, entities: [], coins: [])),
        .snapshot(Snapshot(tick: 77, lastInputSequence: 76, me: me, entities: entities(1), coins: [])),
        .snapshot(Snapshot(tick: 78, lastInputSequence: 70, me: me, entities: [], coins: coins(1))),
        .snapshot(Snapshot(tick: 0xFFFF_FFFF, lastInputSequence: 0xFFFF_FFFF, me: me, entities: entities(60),
                           coins: coins(40))),
        .events([]),
        .events(allEvents),
        .events(Array(repeating: .coinPicked(coin: 9), count: 255)),
        .zoneStatus(ZoneStatusReport(zoneIndex: 0, tick: 0, tickMicros: [], players: 0, ghosts: 0, entityLimit: 0,
                                     flags: 0)),
        .zoneStatus(ZoneStatusReport(zoneIndex: 15, tick: 0xFFFF_FFFF, tickMicros: (0..<20).map { 1234 + $0 * 2400 } + [0xFFFF_FFFF],
                                     players: 65535, ghosts: 300, entityLimit: 16, flags: ZoneStatusReport.degrading)),
    ] + refusals + singleEvents + ghosts

    static var ghosts: [ServerMessage] {
        let e = entities(3)
        return [
            .ghost(GhostSnapshot(tick: 5, lastInputSequence: 4, reset: true, me: me)),
            .ghost(GhostSnapshot(
                tick: 0xFFFF_FFFF, lastInputSequence: 9, reset: false, me: me, removed: [0, 7, 255],
                records: [
                    GhostSnapshot.Record(slot: 1, mask: GhostCodec.add, state: e[0]),
                    GhostSnapshot.Record(slot: 2, mask: GhostCodec.motion,
                                         state: EntityState(id: 0, x: 1, y: 2, vx: -3, vy: 4, health: 0, flags: 0)),
                    GhostSnapshot.Record(slot: 3, mask: GhostCodec.healthFlags,
                                         state: EntityState(id: 0, x: 0, y: 0, vx: 0, vy: 0, health: 50, flags: 3)),
                    GhostSnapshot.Record(slot: 255, mask: GhostCodec.motion | GhostCodec.healthFlags, state: e[1]
                                         .withId(0)),
                ],
                coinsRemoved: [9, 0xFFFF_FFFF], coinsAdded: coins(2))),
        ]
    }

    static var refusals: [ServerMessage] {
        RefuseCode.allCases.map { code -> ServerMessage in .refuse(code: code, message: "code \(code)") }
    }

    static var singleEvents: [ServerMessage] {
        allEvents.map { e -> ServerMessage in .events([e]) }
    }
}
