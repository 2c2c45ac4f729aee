import CENet
import CSeamBlocks

/// Where ENet gets its memory (`enet_initialize_with_callbacks`): small blocks from free lists of the calling
/// thread by size class (`seam_blocks_allocate` in CSeamBlocks), kept for reuse, instead of the C library's
/// `malloc` per packet, packet data and command.
///
/// ENet allocates a packet, its data and a command for every datagram it takes in, up to 256 datagrams per
/// service call before the application has freed any of them: far past the C library's per-thread cache,
/// so each allocation went down `malloc`'s slow path (7% of a bot swarm's CPU, 2.4% of a busy zone's). A
/// first version kept one set of lists under a lock: its two locked instructions per block, each waiting
/// for the stores before it, then cost 9% of the swarm and 5.6% of the zone. The lists are per thread now
/// (each host is serviced by one thread), in C for its thread-local storage; sizes and limits are in
/// `seam_blocks.h`.
enum ENetAllocator {
    /// The callbacks `enet_initialize_with_callbacks` takes.
    static var callbacks: ENetCallbacks {
        ENetCallbacks(malloc: seam_blocks_allocate, free: seam_blocks_free,
                      no_memory: { fatalError("ENet could not allocate memory") })
    }
}
