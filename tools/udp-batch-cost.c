// udp-batch-cost.c — CPU time per UDP datagram on loopback, sent and read one system call each
// (sendmsg/recvmsg, as ENet does) or in batches (sendmmsg/recvmmsg, as Seam's CSeamSockets does).
//
//   cc -O2 -o tools/bin/udp-batch-cost tools/udp-batch-cost.c
//   tools/bin/udp-batch-cost [DATAGRAMS [BYTES]]      # defaults: 200000 datagrams of 100 bytes
//
// One process, two sockets: it sends 1,000 datagrams at a time to itself, then reads them back, and charges
// its CPU time (user + system, getrusage) to the sends and the reads separately. On loopback a send also
// delivers the datagram into the receiving socket (the receiver's network work runs in the sender's call),
// so the send column holds most of the cost. Each batch size runs twice, interleaved; the machine is noisy.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>

enum { MOST = 64, ROUND = 1000, SLOT = 2048 };

static double cpuSeconds(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void measure(int batch, int total, int bytes, int tx, int rx, struct sockaddr_in *to) {
    static unsigned char data[MOST][SLOT];
    struct iovec vectors[MOST];
    struct mmsghdr messages[MOST];
    double sendSeconds = 0, readSeconds = 0;
    long read = 0;
    for (int done = 0; done < total; done += ROUND) {
        for (int k = 0; k < batch; k++) {
            memset(&messages[k], 0, sizeof messages[k]);
            vectors[k].iov_base = data[k];
            vectors[k].iov_len = (size_t)bytes;
            messages[k].msg_hdr.msg_iov = &vectors[k];
            messages[k].msg_hdr.msg_iovlen = 1;
            messages[k].msg_hdr.msg_name = to;
            messages[k].msg_hdr.msg_namelen = sizeof *to;
        }
        double start = cpuSeconds();
        for (int sent = 0; sent < ROUND;) {
            int count = ROUND - sent < batch ? ROUND - sent : batch;
            int taken = count == 1 ? (sendmsg(tx, &messages[0].msg_hdr, 0) >= 0 ? 1 : -1)
                                   : sendmmsg(tx, messages, (unsigned)count, 0);
            if (taken <= 0) {
                perror("udp-batch-cost: send");
                exit(1);
            }
            sent += taken;
        }
        double sentAt = cpuSeconds();
        for (int k = 0; k < batch; k++) {
            vectors[k].iov_len = SLOT;
            messages[k].msg_hdr.msg_name = NULL;
            messages[k].msg_hdr.msg_namelen = 0;
        }
        for (int got = 0; got < ROUND;) {
            int n = batch == 1 ? (recvmsg(rx, &messages[0].msg_hdr, MSG_DONTWAIT) >= 0 ? 1 : -1)
                               : recvmmsg(rx, messages, (unsigned)batch, MSG_DONTWAIT, NULL);
            if (n <= 0) break;
            got += n;
            read += n;
        }
        readSeconds += cpuSeconds() - sentAt;
        sendSeconds += sentAt - start;
    }
    printf("| %d | %.2f | %.2f | %.2f | %ld of %d |\n", batch, sendSeconds / total * 1e6, readSeconds / total * 1e6,
           (sendSeconds + readSeconds) / total * 1e6, read, total);
}

int main(int argc, char **argv) {
    int total = argc > 1 ? atoi(argv[1]) : 200000;
    int bytes = argc > 2 ? atoi(argv[2]) : 100;
    if (total < ROUND || bytes < 1 || bytes > SLOT) {
        fprintf(stderr, "usage: udp-batch-cost [DATAGRAMS >= %d [BYTES 1...%d]]\n", ROUND, SLOT);
        return 2;
    }
    total -= total % ROUND;
    int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
    int buffer = 64 << 20;
    setsockopt(rx, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
    setsockopt(tx, SOL_SOCKET, SO_SNDBUF, &buffer, sizeof buffer);
    struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t length = sizeof to;
    if (bind(rx, (struct sockaddr *)&to, sizeof to) != 0 || getsockname(rx, (struct sockaddr *)&to, &length) != 0) {
        perror("udp-batch-cost: bind");
        return 1;
    }
    printf("| datagrams per call | send µs/datagram | read µs/datagram | both | read back |\n|---|---|---|---|---|\n");
    int batches[] = {1, 8, 32, 64};
    for (int round = 0; round < 2; round++)
        for (size_t k = 0; k < sizeof batches / sizeof batches[0]; k++) measure(batches[k], total, bytes, tx, rx, &to);
    return 0;
}
