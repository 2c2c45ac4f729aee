import SeamNet
import SeamProtocol
import SeamWorld

/// A zone's link to one neighbour: an ENet connection between the two zone servers, proven with the
/// cluster secret. The zone with the lower index connects; the other accepts.
struct NeighbourLink {
    let zone: ZoneSpec
    let address: NetAddress
    /// Where clients reach this neighbour (standby and redirect endpoints).
    let clientEndpoint: NetAddress
    let initiator: Bool
    /// How near this neighbour's territory a player must be for a standby connection to it: the border
    /// band along a shared edge, `ZoneConfig.cornerStandbyBand` for a neighbour touching only at a corner.
    let standbyReach: Double
    var slot: Int?
    /// Both Hellos exchanged and verified.
    var up = false
    var lastAttemptNanos: UInt64 = 0
    /// When the link went down (or the zone started without it): a neighbour down long enough is dead.
    var downSinceNanos: UInt64?
    /// The neighbour's players in our shared border band, with the tick we received them at.
    var ghosts: [UInt32: (state: EntityState, tick: UInt64)] = [:]

    init(zone: ZoneSpec, address: NetAddress, clientEndpoint: NetAddress, initiator: Bool, standbyReach: Double) {
        self.zone = zone
        self.address = address
        self.clientEndpoint = clientEndpoint
        self.initiator = initiator
        self.standbyReach = standbyReach
    }
}
