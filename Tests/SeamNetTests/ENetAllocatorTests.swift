import Testing
@testable import SeamNet

/// ENet's memory (`ENetAllocator`): blocks by size class, reused once given back, aligned as `malloc`'s.
@Suite struct ENetAllocatorTests {
    @Test func aBlockGivenBackIsTheNextOfItsClassAndKeepsItsBytes() throws {
        // A pool of the test's own: ENet's is shared with every test using ENet meanwhile.
        let pool = ENetAllocator.Pool()
        for size in [1, 40, 48, 112, 200, 496, 1000, 2032] {
            let a = try #require(pool.allocate(size)), other = try #require(pool.allocate(size))
            #expect(Int(bitPattern: a) % 16 == 0, "aligned for any C type")
            a.initializeMemory(as: UInt8.self, repeating: 0xAB, count: size)
            pool.deallocate(a)
            pool.deallocate(other)
            // Last in, first out, per class.
            #expect(pool.allocate(size) == other)
            let b = try #require(pool.allocate(size))
            #expect(b == a, "a \(size)-byte block given back is reused")
            b.initializeMemory(as: UInt8.self, repeating: 0xCD, count: size)
            #expect(b.load(fromByteOffset: size - 1, as: UInt8.self) == 0xCD)
            pool.deallocate(b)
            pool.deallocate(other)
        }
    }

    @Test func blocksLargerThanTheLargestClassComeFromMallocAndGoBack() throws {
        let size = ENetAllocator.largestBlock * 4
        #expect(ENetAllocator.sizeClass(for: size) == nil)
        let pool = ENetAllocator.Pool()
        let a = try #require(pool.allocate(size))
        a.initializeMemory(as: UInt8.self, repeating: 0x5A, count: size)
        #expect(a.load(fromByteOffset: size - 1, as: UInt8.self) == 0x5A)
        pool.deallocate(a)
        pool.deallocate(nil)
    }

    @Test func eachSizeGetsTheSmallestClassWithRoomForItAndTheHeader() {
        #expect(ENetAllocator.sizeClass(for: 0) == 0)
        #expect(ENetAllocator.sizeClass(for: 48) == 0)
        #expect(ENetAllocator.sizeClass(for: 49) == 1)
        #expect(ENetAllocator.sizeClass(for: 112) == 1)
        #expect(ENetAllocator.sizeClass(for: 113) == 2)
        #expect(ENetAllocator.sizeClass(for: 1008) == 4)
        #expect(ENetAllocator.sizeClass(for: 1009) == 5)
        #expect(ENetAllocator.sizeClass(for: 2032) == 5)
        #expect(ENetAllocator.sizeClass(for: 2033) == nil)
    }
}
