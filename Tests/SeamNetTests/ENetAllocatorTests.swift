import CSeamBlocks
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import SeamNet

/// ENet's memory (`ENetAllocator`, CSeamBlocks): blocks by size class from the calling thread's free lists,
/// reused once given back, aligned as `malloc`'s.
/// Runs `body` on a thread of its own and waits for it: the lists are per thread, so no other test's ENet
/// traffic can take a block in between, and the thread's lists go back to the system when it ends.
private func onOwnThread(_ body: @escaping @Sendable () -> Void) {
    final class Body {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
    var thread = pthread_t()
    let box = Unmanaged.passRetained(Body(body))
    let created = pthread_create(&thread, nil, { raw in
        Unmanaged<Body>.fromOpaque(raw!).takeRetainedValue().run()
        return nil
    }, box.toOpaque())
    precondition(created == 0, "pthread_create failed")
    pthread_join(thread, nil)
}

@Suite struct ENetAllocatorTests {
    @Test func aBlockGivenBackIsTheNextOfItsClassAndKeepsItsBytes() {
        onOwnThread {
            for size in [1, 40, 48, 112, 200, 496, 1000, 2032] {
                let c = seam_blocks_class(size)
                guard let a = seam_blocks_allocate(size), let other = seam_blocks_allocate(size) else {
                    Issue.record("no block for \(size) bytes")
                    return
                }
                #expect(Int(bitPattern: a) % 16 == 0, "aligned for any C type")
                a.initializeMemory(as: UInt8.self, repeating: 0xAB, count: size)
                let listed = seam_blocks_listed(c)
                seam_blocks_free(a)
                seam_blocks_free(other)
                #expect(seam_blocks_listed(c) == listed + 2)
                // Last in, first out, per class.
                #expect(seam_blocks_allocate(size) == other)
                let b = seam_blocks_allocate(size)
                #expect(b == a, "a \(size)-byte block given back is reused")
                b?.initializeMemory(as: UInt8.self, repeating: 0xCD, count: size)
                #expect(b?.load(fromByteOffset: size - 1, as: UInt8.self) == 0xCD)
                #expect(seam_blocks_listed(c) == listed)
                seam_blocks_free(b)
                seam_blocks_free(other)
            }
        }
    }

    @Test func eachThreadReusesOnlyItsOwnBlocks() {
        let size = 100
        let c = seam_blocks_class(size)
        onOwnThread {
            let a = seam_blocks_allocate(size)
            seam_blocks_free(a)
            #expect(seam_blocks_listed(c) == 1)
            let address = UInt(bitPattern: a)
            // Another thread's list is its own: it starts empty and never hands out this thread's block.
            onOwnThread {
                #expect(seam_blocks_listed(c) == 0)
                let b = seam_blocks_allocate(size)
                #expect(UInt(bitPattern: b) != address)
                seam_blocks_free(b)
                #expect(seam_blocks_listed(c) == 1)
            }
            #expect(seam_blocks_allocate(size) == a)
            seam_blocks_free(a)
        }
    }

    @Test func blocksLargerThanTheLargestClassComeFromMallocAndGoBack() {
        let size = 2048 * 4
        #expect(seam_blocks_class(size) == -1)
        onOwnThread {
            guard let a = seam_blocks_allocate(size) else {
                Issue.record("no block for \(size) bytes")
                return
            }
            a.initializeMemory(as: UInt8.self, repeating: 0x5A, count: size)
            #expect(a.load(fromByteOffset: size - 1, as: UInt8.self) == 0x5A)
            seam_blocks_free(a)
            seam_blocks_free(nil)
            for c in 0..<Int32(SEAM_BLOCKS_CLASSES) { #expect(seam_blocks_listed(c) == 0) }
        }
    }

    @Test func aListKeepsAtMostItsBytesAndGivesTheRestBack() {
        onOwnThread {
            let size = 2000, c = seam_blocks_class(size)
            let limit = Int(SEAM_BLOCKS_LIST_BYTES) / (Int(SEAM_BLOCKS_SMALLEST) << Int(c))
            let blocks = (0..<limit + 10).map { _ in seam_blocks_allocate(size) }
            for block in blocks { seam_blocks_free(block) }
            #expect(seam_blocks_listed(c) == limit)
        }
    }

    @Test func eachSizeGetsTheSmallestClassWithRoomForItAndTheHeader() {
        #expect(seam_blocks_class(0) == 0)
        #expect(seam_blocks_class(48) == 0)
        #expect(seam_blocks_class(49) == 1)
        #expect(seam_blocks_class(112) == 1)
        #expect(seam_blocks_class(113) == 2)
        #expect(seam_blocks_class(1008) == 4)
        #expect(seam_blocks_class(1009) == 5)
        #expect(seam_blocks_class(2032) == 5)
        #expect(seam_blocks_class(2033) == -1)
    }
}
