/// What the simulator did to one direction of one relay (or of all of them, summed).
///
/// Every packet received ends up delivered, dropped, failed to send or still queued, and each duplicate
/// adds one packet to deliver: `receivedPackets + duplicated` equals
/// `deliveredPackets + droppedLoss + droppedBurst + droppedQueueFull + sendErrors + queueDepth`.
public struct DirectionCounters: Equatable, Sendable, Encodable {
    /// Datagrams (and their UDP payload bytes) that arrived at the relay in this direction.
    public var receivedPackets: UInt64 = 0
    public var receivedBytes: UInt64 = 0
    /// Datagrams (and bytes) sent onward, duplicates included.
    public var deliveredPackets: UInt64 = 0
    public var deliveredBytes: UInt64 = 0
    /// Dropped by independent loss (`loss=`).
    public var droppedLoss: UInt64 = 0
    /// Dropped inside a loss burst (`burst=`).
    public var droppedBurst: UInt64 = 0
    /// Dropped because the direction's queue held `queue=` packets already.
    public var droppedQueueFull: UInt64 = 0
    /// Extra copies made (`dup=`).
    public var duplicated: UInt64 = 0
    /// Packets held back to be overtaken (`reorder=`). Reordering by jitter alone is not counted.
    public var reordered: UInt64 = 0
    /// Sends the kernel refused (e.g. the target's port was closed: ECONNREFUSED); the packet is lost.
    public var sendErrors: UInt64 = 0
    /// Packets waiting for their delivery time now, and the most that ever waited at once.
    public var queueDepth: Int = 0
    public var queueDepthMax: Int = 0

    public init() {}

    /// Adds another direction's counts; queue maxima are summed too (an upper bound of the sum's maximum).
    public mutating func add(_ other: DirectionCounters) {
        receivedPackets += other.receivedPackets
        receivedBytes += other.receivedBytes
        deliveredPackets += other.deliveredPackets
        deliveredBytes += other.deliveredBytes
        droppedLoss += other.droppedLoss
        droppedBurst += other.droppedBurst
        droppedQueueFull += other.droppedQueueFull
        duplicated += other.duplicated
        reordered += other.reordered
        sendErrors += other.sendErrors
        queueDepth += other.queueDepth
        queueDepthMax += other.queueDepthMax
    }

    /// Packets that will never be delivered.
    public var dropped: UInt64 { droppedLoss + droppedBurst + droppedQueueFull + sendErrors }

    enum CodingKeys: String, CodingKey {
        case receivedPackets = "received_packets"
        case receivedBytes = "received_bytes"
        case deliveredPackets = "delivered_packets"
        case deliveredBytes = "delivered_bytes"
        case droppedLoss = "dropped_loss"
        case droppedBurst = "dropped_burst"
        case droppedQueueFull = "dropped_queue_full"
        case duplicated, reordered
        case sendErrors = "send_errors"
        case queueDepth = "queue_depth"
        case queueDepthMax = "queue_depth_max"
    }
}
