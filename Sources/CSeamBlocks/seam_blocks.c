#include "seam_blocks.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>

// The free blocks of each class are kept in an array of pointers, most recently given back last, not linked
// through the blocks themselves: taking one reads nothing of the block's memory. Linked, taking a block read
// its first word for the next one, a cache miss when the block had gone cold (ENet's packets wait in the
// socket and the send queues for a tick): 2.1% of the whole machine in a continent-2000's border-dance, 86%
// of the allocator's samples on that one load. The header's store into the cold block is left (ENet writes
// the block at once anyway): 1.7% with the array, in a run of the same phase. Before each block handed out,
// a header (SEAM_BLOCKS_HEADER bytes, so the memory after it stays aligned as malloc's) holds its class, or
// -1 for a block that came from malloc directly.
typedef struct {
    // Made when the thread first gives a block of the class back; `capacity(class)` entries.
    void **blocks[SEAM_BLOCKS_CLASSES];
    size_t counts[SEAM_BLOCKS_CLASSES];
    // Whether the thread-exit destructor knows these lists, and whether it has run (then blocks go back to
    // the system: other destructors of the exiting thread may still free ENet memory).
    int registered, exited;
} Lists;

static _Thread_local Lists lists;
static pthread_key_t exitKey;
static pthread_once_t exitKeyOnce = PTHREAD_ONCE_INIT;

static size_t blockSize(int sizeClass) { return (size_t)SEAM_BLOCKS_SMALLEST << sizeClass; }

// How many free blocks a class keeps: SEAM_BLOCKS_LIST_BYTES of them.
static size_t capacity(int sizeClass) { return SEAM_BLOCKS_LIST_BYTES / blockSize(sizeClass); }

int seam_blocks_class(size_t size) {
    size_t needed = size + SEAM_BLOCKS_HEADER;
    if (needed > blockSize(SEAM_BLOCKS_CLASSES - 1)) return -1;
    if (needed <= SEAM_BLOCKS_SMALLEST) return 0;
    // The power of two the block needs, counted from the smallest.
    int bits = 64 - __builtin_clzll((unsigned long long)(needed - 1));
    return bits - __builtin_ctz(SEAM_BLOCKS_SMALLEST);
}

static void releaseLists(void *value) {
    Lists *own = value;
    for (int c = 0; c < SEAM_BLOCKS_CLASSES; c++) {
        for (size_t k = 0; k < own->counts[c]; k++) free(own->blocks[c][k]);
        free(own->blocks[c]);
        own->blocks[c] = NULL;
        own->counts[c] = 0;
    }
    own->exited = 1;
}

static void makeExitKey(void) { pthread_key_create(&exitKey, releaseLists); }

// The first time a thread gives a block back: its lists are released when it exits.
static void registerLists(void) {
    pthread_once(&exitKeyOnce, makeExitKey);
    pthread_setspecific(exitKey, &lists);
    lists.registered = 1;
}

void *seam_blocks_allocate(size_t size) {
    int c = seam_blocks_class(size);
    if (c < 0) {
        int64_t *block = malloc(size + SEAM_BLOCKS_HEADER);
        if (!block) return NULL;
        *block = -1;
        return (char *)block + SEAM_BLOCKS_HEADER;
    }
    void *block;
    if (lists.counts[c] > 0) {
        block = lists.blocks[c][--lists.counts[c]];
    } else {
        block = malloc(blockSize(c));
        if (!block) return NULL;
    }
    *(int64_t *)block = c;
    return (char *)block + SEAM_BLOCKS_HEADER;
}

void seam_blocks_free(void *memory) {
    if (!memory) return;
    void *block = (char *)memory - SEAM_BLOCKS_HEADER;
    int64_t c = *(int64_t *)block;
    if (c < 0 || lists.exited || lists.counts[c] >= capacity((int)c)) {
        free(block);
        return;
    }
    if (!lists.blocks[c]) {
        if (!lists.registered) registerLists();
        lists.blocks[c] = malloc(capacity((int)c) * sizeof(void *));
        if (!lists.blocks[c]) {
            free(block);
            return;
        }
    }
    lists.blocks[c][lists.counts[c]++] = block;
}

size_t seam_blocks_listed(int sizeClass) {
    if (sizeClass < 0 || sizeClass >= SEAM_BLOCKS_CLASSES) return 0;
    return lists.counts[sizeClass];
}
