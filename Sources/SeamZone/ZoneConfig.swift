import Logging
import SeamNet
import SeamSimulation
import SeamWorld

/// Everything a zone server needs to start.
public struct ZoneConfig: Sendable {
    public var map: GameMap
    public var zone: ZoneSpec
    /// Where to bind; port 0 asks the system for a free port.
    public var bind: NetAddress
    /// Most players served at once; a few more peer slots exist so that a full zone can say so.
    public var capacity: Int = 1000
    public var simulation = SimulationConfig()
    /// Directory for the JSON Lines journal (`<zone>.jsonl`); nil for none.
    public var journalDirectory: String?
    /// Start of tick 0 in nanoseconds since the Unix epoch; every zone of a cluster shares it.
    public var epochNanos: UInt64?
    /// Seconds between status reports.
    public var statusInterval: Double = 5
    /// Per-snapshot byte budget; at most `Wire.maximumSnapshotBytes` so a snapshot is one datagram.
    public var snapshotBudget: Int = 1200
    public var clock: any NanoClock = SystemClock()

    public init(map: GameMap, zone: ZoneSpec, bind: NetAddress) {
        self.map = map
        self.zone = zone
        self.bind = bind
    }

    /// Peer slots beyond capacity, used only to refuse with a reason.
    static let spareSlots = 16
}
