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
    /// Each tick's work in the window (about one second), in microseconds, in the order run: what a client
    /// needs for the percentiles of a whole run (a p99 of per-second p99s is not one: with 20 ticks a
    /// second, each second's p99 is its longest tick).
    public var tickMicros: [UInt32]
    /// Players the zone owns.
    public var players: UInt16
    /// Neighbours' players the zone sees near its borders.
    public var ghosts: UInt16
    /// Most other players a snapshot carries now.
    public var entityLimit: UInt8
    /// Bit 0: degrading (`ZoneStatusReport.degrading`); bit 1: reduced snapshot rate, a snapshot every 2nd or 3rd tick (`ZoneStatusReport.halfRate`);
    /// other bits are 0.
    public var flags: UInt8

    /// Bytes of the message, type included, before the tick times (4 bytes each).
    public static let fixedSize = 15
    /// Most tick times one report carries (a window's worth at up to this many ticks a second).
    public static let maximumTicks = 300

    public init(
        zoneIndex: UInt16, tick: UInt32, tickMicros: [UInt32], players: UInt16, ghosts: UInt16, entityLimit: UInt8,
        flags: UInt8
    ) {
        precondition(tickMicros.count <= Self.maximumTicks, "ZoneStatus: more than \(Self.maximumTicks) ticks")
        self.zoneIndex = zoneIndex; self.tick = tick; self.tickMicros = tickMicros
        self.players = players; self.ghosts = ghosts; self.entityLimit = entityLimit; self.flags = flags
    }

    /// Ticks run in the window (the tick rate, fewer in a first window or after skipped ticks).
    public var ticks: UInt16 { UInt16(truncatingIfNeeded: tickMicros.count) }
    /// Tick work over the window, in microseconds: median, 99th percentile and maximum, nearest rank (the
    /// value at index `round(q × (n − 1))` of the sorted times; 0 for a window without ticks).
    public var tickP50Micros: UInt32 { percentile(0.5) }
    public var tickP99Micros: UInt32 { percentile(0.99) }
    public var tickMaxMicros: UInt32 { tickMicros.max() ?? 0 }

    private func percentile(_ q: Double) -> UInt32 {
        guard !tickMicros.isEmpty else { return 0 }
        let sorted = tickMicros.sorted()
        return sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * q + 0.5))]
    }

    /// Bytes of the message, type included.
    public var wireSize: Int { Self.fixedSize + 4 * tickMicros.count }

    public var isDegrading: Bool { flags & ZoneStatusReport.degrading != 0 }

    /// The body after the type byte.
    func encodeBody(into w: inout ByteWriter) {
        w.u16(zoneIndex); w.u32(tick); w.u16(ticks)
        w.u16(players); w.u16(ghosts); w.u8(entityLimit); w.u8(flags)
        for t in tickMicros { w.u32(t) }
    }

    static func decodeBody(_ r: inout ByteReader) throws(DecodeError) -> ZoneStatusReport {
        let zoneIndex = try r.u16("zone index"), tick = try r.u32("tick")
        let ticksAt = r.offset, ticks = Int(try r.u16("ticks"))
        let players = try r.u16("players"), ghosts = try r.u16("ghosts")
        let entityLimit = try r.u8("entity limit"), flags = try r.u8("flags")
        guard ticks <= maximumTicks else {
            throw DecodeError("zone status: \(ticks) tick times, at most \(maximumTicks)", at: ticksAt)
        }
        var times: [UInt32] = []
        times.reserveCapacity(ticks)
        for _ in 0..<ticks { times.append(try r.u32("tick time")) }
        try r.expectEnd("zone status")
        return ZoneStatusReport(zoneIndex: zoneIndex, tick: tick, tickMicros: times, players: players, ghosts: ghosts,
                                entityLimit: entityLimit, flags: flags)
    }
}
