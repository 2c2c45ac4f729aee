/// The relay's counters at one moment: per relay and direction, and summed.
public struct RelayStatistics: Sendable, Encodable {
    public struct Mapping: Sendable, Encodable {
        public var listen: Endpoint
        public var target: Endpoint
        /// Client → target.
        public var up: DirectionCounters
        /// Target → client.
        public var down: DirectionCounters
        /// Client flows (distinct source addresses) open now, and ever opened.
        public var flows: Int
        public var flowsOpened: UInt64

        enum CodingKeys: String, CodingKey {
            case listen, target, up, down, flows
            case flowsOpened = "flows_opened"
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(listen.description, forKey: .listen)
            try c.encode(target.description, forKey: .target)
            try c.encode(up, forKey: .up)
            try c.encode(down, forKey: .down)
            try c.encode(flows, forKey: .flows)
            try c.encode(flowsOpened, forKey: .flowsOpened)
        }
    }

    public var spec: ImpairmentSpec
    public var relays: [Mapping]
    /// Seconds since the relay started.
    public var elapsedSeconds: Double
    /// Client packets dropped because no upstream socket could be opened for their flow.
    public var flowErrors: UInt64
    /// How late packets left after their due time, over the whole run.
    public var lateness: LatenessHistogram

    public var up: DirectionCounters { relays.reduce(into: DirectionCounters()) { $0.add($1.up) } }
    public var down: DirectionCounters { relays.reduce(into: DirectionCounters()) { $0.add($1.down) } }
    public var flows: Int { relays.reduce(0) { $0 + $1.flows } }

    enum CodingKeys: String, CodingKey {
        case version = "seam_netsim_report"
        case spec, seed
        case duration = "duration_s"
        case relays, total
        case flowErrors = "flow_errors"
        case lateness
    }

    enum TotalKeys: String, CodingKey { case up, down, flows }

    /// The `--report` JSON: see docs/NETSIM.md.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(1, forKey: .version)
        try c.encode(spec.description, forKey: .spec)
        try c.encode(spec.seed, forKey: .seed)
        try c.encode((elapsedSeconds * 1000).rounded() / 1000, forKey: .duration)
        try c.encode(relays, forKey: .relays)
        var total = c.nestedContainer(keyedBy: TotalKeys.self, forKey: .total)
        try total.encode(up, forKey: .up)
        try total.encode(down, forKey: .down)
        try total.encode(flows, forKey: .flows)
        try c.encode(flowErrors, forKey: .flowErrors)
        try c.encode(lateness, forKey: .lateness)
    }

    /// One status line: both directions summed over every relay.
    public var statusLine: String {
        "netsim t=\(Int(elapsedSeconds))s flows \(flows) late p50 \(lateness.percentileNanos(50) / 1_000)us "
            + "p99 \(lateness.percentileNanos(99) / 1_000)us | up \(Self.brief(up)) | down \(Self.brief(down))"
    }

    /// The final summary: one line per relay and direction.
    public var summaryLines: [String] {
        var lines = ["netsim stopped after \(Int(elapsedSeconds.rounded())) s, spec \(spec)"]
        for r in relays {
            lines.append("  \(r.listen) -> \(r.target)  flows opened \(r.flowsOpened)")
            lines.append("    up   \(Self.brief(r.up))")
            lines.append("    down \(Self.brief(r.down))")
        }
        lines.append(
            "  sent late by p50 \(lateness.percentileNanos(50) / 1_000) us, p99 \(lateness.percentileNanos(99) / 1_000) us, "
                + "max \(lateness.maxNanos / 1_000) us over \(lateness.samples) packets")
        if flowErrors > 0 { lines.append("  \(flowErrors) client packets dropped: no upstream socket could be opened") }
        return lines
    }

    static func brief(_ c: DirectionCounters) -> String {
        "rx \(c.receivedPackets) tx \(c.deliveredPackets) lost \(c.droppedLoss) burst \(c.droppedBurst) "
            + "full \(c.droppedQueueFull) dup \(c.duplicated) held \(c.reordered) errors \(c.sendErrors) "
            + "queue \(c.queueDepth) (max \(c.queueDepthMax))"
    }
}
