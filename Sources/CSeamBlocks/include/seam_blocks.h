#ifndef SEAM_BLOCKS_H
#define SEAM_BLOCKS_H

#include <stddef.h>

// Small blocks for ENet (its `malloc`/`free` callbacks), from free lists of the calling thread by size class.
//
// Block sizes, header included, are powers of two from SEAM_BLOCKS_SMALLEST (class 0) to
// SEAM_BLOCKS_SMALLEST << (SEAM_BLOCKS_CLASSES - 1) (64 to 2,048 bytes); a larger request goes to `malloc`.
// Each thread keeps its own lists, so a block costs no lock and no atomic instruction: ENet takes a packet,
// its data and a command per datagram, and each of a zone's and a swarm's hosts is serviced by one thread.
// A block given back on another thread than the one it came from joins that thread's lists. A list holds at
// most SEAM_BLOCKS_LIST_BYTES of blocks (past that they go back to the system), and a thread's lists are
// given back to the system when it exits.

enum {
    SEAM_BLOCKS_CLASSES = 6,
    SEAM_BLOCKS_SMALLEST = 64,
    SEAM_BLOCKS_HEADER = 16,
    SEAM_BLOCKS_LIST_BYTES = 4 << 20,
};

// A block with room for `size` bytes, aligned to 16 bytes; NULL when the system has no memory.
void *seam_blocks_allocate(size_t size);
// Gives back a block from `seam_blocks_allocate` (NULL is ignored).
void seam_blocks_free(void *memory);

// The class of a block for `size` bytes, or -1 when it is larger than the largest class.
int seam_blocks_class(size_t size);
// How many blocks of class `sizeClass` the calling thread's list holds (for tests).
size_t seam_blocks_listed(int sizeClass);

// Asks the processor to bring the `bytes` bytes at `start` into its caches, a 64-byte line at a time, ahead of
// a read: a hint, with no effect on what is read. The zone issues it for the next connection's per-member
// records while it sends the present one's snapshot (see GhostView.prefetch).
static inline void seam_prefetch(const void *start, size_t bytes) {
    const char *p = (const char *)start;
    for (size_t offset = 0; offset < bytes; offset += 64) __builtin_prefetch(p + offset, 0, 3);
}

#endif
