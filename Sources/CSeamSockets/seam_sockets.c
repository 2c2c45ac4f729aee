#define _GNU_SOURCE
#include "seam_sockets.h"

#include <enet/enet.h>
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

// The queues of one batched socket. Outgoing datagrams are packed one after another in `outBytes`; each
// incoming one has a slot of ENet's largest datagram, since `recvmmsg` fills fixed buffers.
typedef struct {
    struct mmsghdr out[SEAM_SOCKETS_SEND_BATCH];
    struct iovec outVector[SEAM_SOCKETS_SEND_BATCH];
    struct sockaddr_in outAddress[SEAM_SOCKETS_SEND_BATCH];
    int outCount;
    size_t outUsed;
    unsigned char outBytes[SEAM_SOCKETS_SEND_BYTES];

    struct mmsghdr in[SEAM_SOCKETS_RECEIVE_BATCH];
    struct iovec inVector[SEAM_SOCKETS_RECEIVE_BATCH];
    struct sockaddr_in inAddress[SEAM_SOCKETS_RECEIVE_BATCH];
    // Datagrams taken by the last `recvmmsg`, and the next one ENet reads.
    int inCount, inNext;
    unsigned char inBytes[SEAM_SOCKETS_RECEIVE_BATCH][ENET_PROTOCOL_MAXIMUM_MTU];

    seam_sockets_counts counts;
} Batch;

// Batched sockets by number. Each entry is written by the thread that batches or releases its socket and
// read by the one that services it (the same thread, or one that took the host over after it was made).
static Batch *batches[SEAM_SOCKETS_MOST];

static Batch *batchOf(int socket) {
    if (socket < 0 || socket >= SEAM_SOCKETS_MOST) return NULL;
    return __atomic_load_n(&batches[socket], __ATOMIC_ACQUIRE);
}

int seam_sockets_batch(int socket) {
    if (socket < 0 || socket >= SEAM_SOCKETS_MOST) return -1;
    if (batchOf(socket) != NULL) return 0;
    Batch *batch = calloc(1, sizeof(Batch));
    if (batch == NULL) return -1;
    // Each message header names its own address and vector for good; a send fills those in, a read only
    // gives the address's room back.
    for (int k = 0; k < SEAM_SOCKETS_SEND_BATCH; k++) {
        batch->out[k].msg_hdr.msg_name = &batch->outAddress[k];
        batch->out[k].msg_hdr.msg_namelen = sizeof batch->outAddress[k];
        batch->out[k].msg_hdr.msg_iov = &batch->outVector[k];
        batch->out[k].msg_hdr.msg_iovlen = 1;
    }
    for (int k = 0; k < SEAM_SOCKETS_RECEIVE_BATCH; k++) {
        batch->inVector[k].iov_base = batch->inBytes[k];
        batch->inVector[k].iov_len = sizeof batch->inBytes[k];
        batch->in[k].msg_hdr.msg_name = &batch->inAddress[k];
        batch->in[k].msg_hdr.msg_iov = &batch->inVector[k];
        batch->in[k].msg_hdr.msg_iovlen = 1;
    }
    __atomic_store_n(&batches[socket], batch, __ATOMIC_RELEASE);
    return 0;
}

static void sendQueued(Batch *batch, int socket) {
    int done = 0;
    while (done < batch->outCount) {
        int sent = sendmmsg(socket, batch->out + done, (unsigned)(batch->outCount - done), MSG_NOSIGNAL);
        batch->counts.sendCalls += 1;
        if (sent > 0) {
            done += sent;
            batch->counts.datagramsSent += (uint64_t)sent;
        } else if (sent < 0 && errno == EINTR) {
            continue;
        } else {
            // The first datagram left was refused (a full socket buffer, an unreachable address): dropped.
            done += 1;
            batch->counts.sendsRefused += 1;
        }
    }
    batch->outCount = 0;
    batch->outUsed = 0;
}

void seam_sockets_flush(int socket) {
    Batch *batch = batchOf(socket);
    if (batch != NULL && batch->outCount > 0) sendQueued(batch, socket);
}

int seam_sockets_pending(int socket) {
    Batch *batch = batchOf(socket);
    return batch == NULL ? 0 : batch->inCount - batch->inNext;
}

void seam_sockets_release(int socket) {
    Batch *batch = batchOf(socket);
    if (batch == NULL) return;
    if (batch->outCount > 0) sendQueued(batch, socket);
    __atomic_store_n(&batches[socket], NULL, __ATOMIC_RELEASE);
    free(batch);
}

seam_sockets_counts seam_sockets_counts_of(int socket) {
    Batch *batch = batchOf(socket);
    seam_sockets_counts none = {0};
    return batch == NULL ? none : batch->counts;
}

static size_t totalLength(const ENetBuffer *buffers, size_t bufferCount) {
    size_t length = 0;
    for (size_t k = 0; k < bufferCount; k++) length += buffers[k].dataLength;
    return length;
}

// The system's form of an ENet address (ENet keeps the host in network order, the port in host order).
static void systemAddress(const ENetAddress *address, struct sockaddr_in *to) {
    memset(to, 0, sizeof *to);
    to->sin_family = AF_INET;
    to->sin_port = htons(address->port);
    to->sin_addr.s_addr = address->host;
}

// One datagram now, as ENet sends it: 0 when the socket would block, -1 on another failure.
static int sendNow(int socket, const ENetAddress *address, const ENetBuffer *buffers, size_t bufferCount) {
    struct sockaddr_in to;
    struct msghdr header;
    memset(&header, 0, sizeof header);
    if (address != NULL) {
        systemAddress(address, &to);
        header.msg_name = &to;
        header.msg_namelen = sizeof to;
    }
    // ENetBuffer on Unix is laid out as struct iovec (data, length), which is why ENet passes it as one.
    header.msg_iov = (struct iovec *)buffers;
    header.msg_iovlen = bufferCount;
    int sent = (int)sendmsg(socket, &header, MSG_NOSIGNAL);
    if (sent < 0) return errno == EWOULDBLOCK ? 0 : -1;
    return sent;
}

int enet_socket_send(ENetSocket socket, const ENetAddress *address, const ENetBuffer *buffers, size_t bufferCount) {
    Batch *batch = batchOf(socket);
    size_t length = totalLength(buffers, bufferCount);
    if (batch == NULL || address == NULL || length > SEAM_SOCKETS_SEND_BYTES) {
        if (batch != NULL && batch->outCount > 0) sendQueued(batch, socket);
        return sendNow(socket, address, buffers, bufferCount);
    }
    if (batch->outCount == SEAM_SOCKETS_SEND_BATCH || batch->outUsed + length > SEAM_SOCKETS_SEND_BYTES) {
        sendQueued(batch, socket);
    }
    int k = batch->outCount;
    unsigned char *start = batch->outBytes + batch->outUsed;
    size_t at = 0;
    for (size_t b = 0; b < bufferCount; b++) {
        memcpy(start + at, buffers[b].data, buffers[b].dataLength);
        at += buffers[b].dataLength;
    }
    systemAddress(address, &batch->outAddress[k]);
    batch->outVector[k].iov_base = start;
    batch->outVector[k].iov_len = length;
    batch->outCount = k + 1;
    batch->outUsed += length;
    return (int)length;
}

// Copies `length` bytes into ENet's buffers; false when they do not fit.
static int scatter(const unsigned char *bytes, size_t length, ENetBuffer *buffers, size_t bufferCount) {
    if (length > totalLength(buffers, bufferCount)) return 0;
    size_t at = 0;
    for (size_t b = 0; b < bufferCount && at < length; b++) {
        size_t part = buffers[b].dataLength < length - at ? buffers[b].dataLength : length - at;
        memcpy(buffers[b].data, bytes + at, part);
        at += part;
    }
    return 1;
}

static void give(const struct sockaddr_in *from, ENetAddress *address) {
    if (address == NULL) return;
    address->host = from->sin_addr.s_addr;
    address->port = ntohs(from->sin_port);
}

// One datagram now, as ENet reads it, except that one too long for ENet's buffers is dropped, not an error.
static int receiveNow(int socket, ENetAddress *address, ENetBuffer *buffers, size_t bufferCount) {
    for (;;) {
        struct sockaddr_in from;
        struct msghdr header;
        memset(&header, 0, sizeof header);
        header.msg_name = &from;
        header.msg_namelen = sizeof from;
        header.msg_iov = (struct iovec *)buffers;
        header.msg_iovlen = bufferCount;
        int length = (int)recvmsg(socket, &header, MSG_NOSIGNAL);
        if (length < 0) return errno == EWOULDBLOCK ? 0 : -1;
        if (header.msg_flags & MSG_TRUNC) continue;
        give(&from, address);
        return length;
    }
}

int enet_socket_receive(ENetSocket socket, ENetAddress *address, ENetBuffer *buffers, size_t bufferCount) {
    Batch *batch = batchOf(socket);
    if (batch == NULL) return receiveNow(socket, address, buffers, bufferCount);
    if (batch->outCount > 0) sendQueued(batch, socket);
    for (;;) {
        if (batch->inNext == batch->inCount) {
            batch->inCount = batch->inNext = 0;
            for (int k = 0; k < SEAM_SOCKETS_RECEIVE_BATCH; k++) {
                batch->in[k].msg_hdr.msg_namelen = sizeof batch->inAddress[k];
            }
            int taken = recvmmsg(socket, batch->in, SEAM_SOCKETS_RECEIVE_BATCH, MSG_DONTWAIT, NULL);
            batch->counts.receiveCalls += 1;
            if (taken < 0) return errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
            if (taken == 0) return 0;
            batch->inCount = taken;
            batch->counts.datagramsReceived += (uint64_t)taken;
        }
        struct mmsghdr *next = &batch->in[batch->inNext];
        const struct sockaddr_in *from = &batch->inAddress[batch->inNext];
        const unsigned char *bytes = batch->inBytes[batch->inNext];
        batch->inNext += 1;
        size_t length = next->msg_len;
        if ((next->msg_hdr.msg_flags & MSG_TRUNC) || !scatter(bytes, length, buffers, bufferCount)) {
            batch->counts.oversizeDropped += 1;
            continue;
        }
        give(from, address);
        return (int)length;
    }
}

int enet_socket_wait(ENetSocket socket, enet_uint32 *condition, enet_uint32 timeout) {
    Batch *batch = batchOf(socket);
    if (batch != NULL) {
        if (batch->outCount > 0) sendQueued(batch, socket);
        if ((*condition & ENET_SOCKET_WAIT_RECEIVE) && batch->inNext < batch->inCount) {
            *condition = ENET_SOCKET_WAIT_RECEIVE;
            return 0;
        }
    }
    struct pollfd watched = {.fd = socket, .events = 0, .revents = 0};
    if (*condition & ENET_SOCKET_WAIT_SEND) watched.events |= POLLOUT;
    if (*condition & ENET_SOCKET_WAIT_RECEIVE) watched.events |= POLLIN;
    int ready = poll(&watched, 1, (int)timeout);
    if (ready < 0) {
        if (errno == EINTR && (*condition & ENET_SOCKET_WAIT_INTERRUPT)) {
            *condition = ENET_SOCKET_WAIT_INTERRUPT;
            return 0;
        }
        return -1;
    }
    *condition = ENET_SOCKET_WAIT_NONE;
    if (ready == 0) return 0;
    if (watched.revents & POLLOUT) *condition |= ENET_SOCKET_WAIT_SEND;
    if (watched.revents & POLLIN) *condition |= ENET_SOCKET_WAIT_RECEIVE;
    return 0;
}
