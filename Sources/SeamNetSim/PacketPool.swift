/// Byte buffers for queued packets, reused: after warm-up the relay stores and sends packets without
/// allocating.
struct PacketPool {
    private var buffers: [[UInt8]] = []
    private var free: [Int32] = []

    /// Copies `bytes` into a free buffer and returns its slot.
    mutating func store(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        let slot: Int32
        if let reused = free.popLast() {
            slot = reused
            buffers[Int(slot)].removeAll(keepingCapacity: true)
        } else {
            slot = Int32(buffers.count)
            buffers.append([])
        }
        buffers[Int(slot)].append(contentsOf: bytes)
        return slot
    }

    func withBytes<R>(_ slot: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        buffers[Int(slot)].withUnsafeBytes(body)
    }

    mutating func release(_ slot: Int32) {
        free.append(slot)
    }

    /// Buffers in use.
    var inUse: Int { buffers.count - free.count }
}
