/// Zone → client, once a second on the state channel: how the zone is coping, so a client (the bot swarm's
/// dashboard) can show zone tick times that only the zone can measure. Message ZoneStatus, `0x8C`.
public struct ZoneStatusReport: Equatable, Sendable {
    /// The degrading flag: the zone has shrunk its snapshots' entity limit under load.
    public static let degrading: UInt8 = 1
    /// The reduced-rate flag: under load each client gets a snapshot every 2nd or 3rd tick.
    public static let halfRate: UInt8 = 2

    public var zoneIndex: UInt16
    /// The zone's tick when it sent the report (low 32 bits): of two reports, the newer has the higher tick.
    public var tick: UInt32
    /// Ticks run in the window the times cover (about one second: the tick rate, fewer if ticks were skipped).
    public var ticks: UInt16
    /// Tick work over the window, in microseconds: median, 99th percentile (nearest rank) and maximum.
    public var tickP50Micros: UInt32
    public var tickP99Micros: UInt32
    public var tickMaxMicros: UInt32
    /// Players the zone owns.
    public var players: UInt16
    /// Neighbours' players the zone sees near its borders.
    public var ghosts: UInt16
    /// Most other players a snapshot carries now.
    public var entityLimit: UInt8
    /// Bit 0: degrading (`ZoneStatusReport.degrading`); bit 1: reduced snapshot rate, a snapshot every 2nd or 3rd tick (`ZoneStatusReport.halfRate`);
    /// other bits are 0.
    public var flags: UInt8

    /// Bytes of the message, type included.
    public static let wireSize = 27

    public init(
        zoneIndex: UInt16, tick: UInt32, ticks: UInt16, tickP50Micros: UInt32, tickP99Micros: UInt32,
        tickMaxMicros: UInt32, players: UInt16, ghosts: UInt16, entityLimit: UInt8, flags: UInt8
    ) {
        self.zoneIndex = zoneIndex; self.tick = tick; self.ticks = ticks; self.tickP50Micros = tickP50Micros
        self.tickP99Micros = tickP99Micros; self.tickMaxMicros = tickMaxMicros; self.players = players
        self.ghosts = ghosts; self.entityLimit = entityLimit; self.flags = flags
    }

    public var isDegrading: Bool { flags & ZoneStatusReport.degrading != 0 }

    /// The body after the type byte.
    func encodeBody(into w: inout ByteWriter) {
        w.u16(zoneIndex); w.u32(tick); w.u16(ticks)
        w.u32(tickP50Micros); w.u32(tickP99Micros); w.u32(tickMaxMicros)
        w.u16(players); w.u16(ghosts); w.u8(entityLimit); w.u8(flags)
    }

    static func decodeBody(_ r: inout ByteReader) throws(DecodeError) -> ZoneStatusReport {
        let report = ZoneStatusReport(
            zoneIndex: try r.u16("zone index"), tick: try r.u32("tick"), ticks: try r.u16("ticks"),
            tickP50Micros: try r.u32("tick p50"), tickP99Micros: try r.u32("tick p99"),
            tickMaxMicros: try r.u32("tick max"), players: try r.u16("players"), ghosts: try r.u16("ghosts"),
            entityLimit: try r.u8("entity limit"), flags: try r.u8("flags"))
        try r.expectEnd("zone status")
        return report
    }
}
