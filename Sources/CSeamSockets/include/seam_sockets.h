#ifndef SEAM_SOCKETS_H
#define SEAM_SOCKETS_H

#include <stdint.h>

// ENet's socket layer, batched: one `sendmmsg` for many datagrams and one `recvmmsg` for many.
//
// ENet sends each datagram with its own `sendmsg` and reads each with its own `recvmsg`, through its
// platform functions `enet_socket_send`, `enet_socket_receive` and `enet_socket_wait`. libenet calls them
// through its procedure linkage table, so a program that defines them is called instead, and this file
// defines them. For a socket not handed to `seam_sockets_batch` they behave as ENet's own do. For a
// batched socket:
// - a datagram ENet sends is copied into the socket's queue and counted as sent; the queue goes out in one
//   `sendmmsg` when it is full, when ENet next reads or waits on the socket, and at `seam_sockets_flush`,
//   which the owner calls after every ENet call that may send (`enet_host_service`, `enet_host_flush`,
//   `enet_peer_disconnect_now`). A datagram the system refuses is dropped and counted, as UDP may drop it;
//   ENet's reliability resends what mattered.
// - ENet's reads are served from datagrams taken SEAM_SOCKETS_RECEIVE_BATCH at a time with one `recvmmsg`;
//   `enet_socket_wait` reports a socket with datagrams taken and not yet read as readable at once, and
//   `seam_sockets_pending` counts them for an owner that polls the socket itself.
// - a datagram longer than ENet's largest (ENET_PROTOCOL_MAXIMUM_MTU) is dropped and counted; ENet's own
//   receive failed the whole service call on one.
// A batched socket is used by one thread at a time, as its ENet host is.

enum {
    // Datagrams one `sendmmsg` sends at most, and the bytes they may hold together.
    SEAM_SOCKETS_SEND_BATCH = 64,
    SEAM_SOCKETS_SEND_BYTES = 64 * 1024,
    // Datagrams one `recvmmsg` takes at most.
    SEAM_SOCKETS_RECEIVE_BATCH = 32,
    // Sockets numbered from this up are not batched.
    SEAM_SOCKETS_MOST = 16384,
};

// What a batched socket did since it was batched.
typedef struct {
    uint64_t sendCalls, datagramsSent, sendsRefused;
    uint64_t receiveCalls, datagramsReceived, oversizeDropped;
} seam_sockets_counts;

// Batches `socket` from now on. 0 when done, -1 when the socket number is too high or memory is short (the
// socket then stays as ENet's own).
int seam_sockets_batch(int socket);
// Sends the datagrams queued for `socket` (nothing when it is not batched).
void seam_sockets_flush(int socket);
// Datagrams taken from `socket` and not yet read by ENet.
int seam_sockets_pending(int socket);
// Sends what is queued and stops batching `socket`; datagrams taken and not read are dropped. Call before
// the socket is closed.
void seam_sockets_release(int socket);
// The counts of a batched socket (zeros when it is not batched).
seam_sockets_counts seam_sockets_counts_of(int socket);

#endif
