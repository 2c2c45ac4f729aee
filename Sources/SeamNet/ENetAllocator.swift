import CENet
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where ENet gets its memory (`enet_initialize_with_callbacks`): small blocks from free lists by size class,
/// kept for reuse, instead of the C library's `malloc` per packet, packet data and command.
///
/// ENet allocates a packet, its data and a command for every datagram it takes in, up to 256 datagrams per
/// service call before the application has freed any of them: far past the C library's per-thread cache,
/// so each allocation went down `malloc`'s slow path (7% of a bot swarm's CPU, 2.4% of a busy zone's). Here
/// a block of a class goes back to its class's list and comes off it again, under one lock (tests use ENet
/// from several threads). Blocks are never returned to the system: the lists hold what was once in use at
/// the same time. Larger blocks go to `malloc` directly.
enum ENetAllocator {
    /// Block sizes, header included, are powers of two from `smallestBlock` (class 0) to `largestBlock`
    /// (64 to 2,048 bytes): a packet's struct and a command fit the first, a snapshot's data the third or
    /// fourth, a full datagram's the last.
    static let classCount = 6
    static let smallestBlock = 64
    static var largestBlock: Int { blockSize(ofClass: classCount - 1) }

    @inline(__always)
    static func blockSize(ofClass c: Int) -> Int { smallestBlock << c }
    /// Before each block handed out: its class, or -1 for a block from `malloc` directly. 16 bytes keep the
    /// pointer ENet gets aligned as `malloc`'s are.
    static let headerSize = 16

    /// The address of the head of each class's list of free blocks (0: empty); a free block's first word
    /// holds the next one's. Addresses, not pointers, so that the lock's state is plain data.
    struct FreeLists: ~Copyable {
        var heads = InlineArray<6, UInt>(repeating: 0)

        init() { precondition(heads.count == ENetAllocator.classCount, "a list head per class") }
    }

    /// ENet's pool (tests make pools of their own, which no other thread uses).
    static let shared = Pool()

    /// The class of a block for `size` bytes (plus the header), nil when larger than the largest: the power
    /// of two the block needs, counted from the smallest (arithmetic, as it runs per datagram).
    @inline(__always)
    static func sizeClass(for size: Int) -> Int? {
        let needed = size + headerSize
        guard needed <= largestBlock else { return nil }
        let powerOfTwo = Int.bitWidth - (needed - 1).leadingZeroBitCount
        return max(0, powerOfTwo - smallestBlock.trailingZeroBitCount)
    }

    /// Free lists by class, under one lock (tests use ENet from several threads).
    final class Pool: Sendable {
        let lists = Mutex(FreeLists())

        func allocate(_ size: Int) -> UnsafeMutableRawPointer? {
            guard let c = ENetAllocator.sizeClass(for: size) else {
                guard let block = malloc(size + ENetAllocator.headerSize) else { return nil }
                block.storeBytes(of: -1, as: Int.self)
                return block + ENetAllocator.headerSize
            }
            let reused = lists.withLock { lists -> UInt in
                let head = lists.heads[c]
                if let block = UnsafeMutableRawPointer(bitPattern: head) { lists.heads[c] = block.load(as: UInt.self) }
                return head
            }
            guard let block = UnsafeMutableRawPointer(bitPattern: reused) ?? malloc(ENetAllocator.blockSize(ofClass: c)) else { return nil }
            block.storeBytes(of: c, as: Int.self)
            return block + ENetAllocator.headerSize
        }

        func deallocate(_ memory: UnsafeMutableRawPointer?) {
            guard let memory else { return }
            let block = memory - ENetAllocator.headerSize
            let c = block.load(as: Int.self)
            guard c >= 0 else {
                free(block)
                return
            }
            let address = UInt(bitPattern: block)
            lists.withLock { lists in
                UnsafeMutableRawPointer(bitPattern: address)!.storeBytes(of: lists.heads[c], as: UInt.self)
                lists.heads[c] = address
            }
        }
    }

    /// The callbacks `enet_initialize_with_callbacks` takes.
    static var callbacks: ENetCallbacks {
        ENetCallbacks(
            malloc: { size in ENetAllocator.shared.allocate(size) },
            free: { memory in ENetAllocator.shared.deallocate(memory) },
            no_memory: { fatalError("ENet could not allocate memory") })
    }
}
