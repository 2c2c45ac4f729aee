import Testing
@testable import SeamNet

/// ENet's memory (`ENetAllocator`): blocks by size class, reused once given back, aligned as `malloc`'s.
@Suite struct ENetAllocatorTests {
    @Test func aBlockGivenBackIsTheNextOfItsClassAndKeepsItsBytes() throws {
        for size in [1, 40, 48, 112, 200, 496, 1000, 2032] {
            let a = try #require(ENetAllocator.allocate(size))
            #expect(Int(bitPattern: a) % 16 == 0, "aligned for any C type")
            a.initializeMemory(as: UInt8.self, repeating: 0xAB, count: size)
            ENetAllocator.deallocate(a)
            // The list is per class and last in, first out; another thread (a parallel test using ENet) may
            // take the block in between, so look for it among a few.
            var taken: [UnsafeMutableRawPointer] = []
            var found = false
            for _ in 0..<64 {
                let b = try #require(ENetAllocator.allocate(size))
                b.initializeMemory(as: UInt8.self, repeating: 0xCD, count: size)
                taken.append(b)
                if b == a { found = true; break }
            }
            #expect(found, "a \(size)-byte block given back is reused")
            taken.forEach(ENetAllocator.deallocate)
        }
    }

    @Test func blocksLargerThanTheLargestClassComeFromMallocAndGoBack() throws {
        let size = ENetAllocator.largestBlock * 4
        #expect(ENetAllocator.sizeClass(for: size) == nil)
        let a = try #require(ENetAllocator.allocate(size))
        a.initializeMemory(as: UInt8.self, repeating: 0x5A, count: size)
        #expect(a.load(fromByteOffset: size - 1, as: UInt8.self) == 0x5A)
        ENetAllocator.deallocate(a)
        ENetAllocator.deallocate(nil)
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
