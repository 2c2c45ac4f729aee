/*
 * enet-baseline — the yardstick for Seam's CPU cost.
 *
 * It moves the same number and size of packets as a Seam zone and its bot
 * swarm do, through libenet directly, and does nothing else: no game logic,
 * no serialisation, no allocation beyond ENet's own packets. Whatever CPU
 * this costs per connected peer is the floor set by ENet and the kernel's
 * UDP path; Seam's cost above it is Seam's own.
 *
 *   enet-baseline server --port P --peers N --snapshot-bytes S --rate HZ
 *                        [--duration SECONDS]
 *       Every tick, sends each connected peer one unreliable S-byte packet
 *       on channel 1, then flushes. Received packets are counted, dropped.
 *   enet-baseline client --host H --port P --peers N --input-bytes I
 *                        --rate HZ --duration SECONDS [--hosts K]
 *       Connects N peers spread over K client hosts (default ceil(N/500));
 *       every tick sends each connected peer one unreliable I-byte packet.
 *
 * Each prints one summary line of key=value pairs at exit (also on
 * SIGINT/SIGTERM). bytes_* count packet payloads; wire_* count UDP payload
 * bytes including ENet headers (host->totalSentData/totalReceivedData).
 *
 * Build: cc -O2 -Wall -o tools/bin/enet-baseline tools/enet-baseline.c -lenet
 */
#include <enet/enet.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#define BUFFER_BYTES (4 * 1024 * 1024)
#define PEERS_PER_CLIENT_HOST 500
#define MAX_PEERS_PER_HOST 4000 /* ENet's peer id limit is 4095 */

enum { IDLE, CONNECTING, CONNECTED, GONE };

static volatile sig_atomic_t stop_requested = 0;
static void on_signal(int sig) { (void)sig; stop_requested = 1; }

static uint64_t packets_in, packets_out, bytes_in, bytes_out;

static void fail(const char *msg, const char *arg) {
    fprintf(stderr, "enet-baseline: %s%s\n", msg, arg ? arg : "");
    exit(2);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Milliseconds to wait until `deadline`, rounded up so we never spin. */
static enet_uint32 ms_until(double deadline) {
    double wait = deadline - now_s();
    return wait > 0 ? (enet_uint32)(wait * 1000.0) + 1 : 0;
}

static long parse_long(const char *flag, const char *value, long min, long max) {
    char *end;
    errno = 0;
    long v = strtol(value, &end, 10);
    if (errno || *end || end == value || v < min || v > max) {
        fprintf(stderr, "enet-baseline: bad value for %s: '%s' (want %ld..%ld)\n",
                flag, value, min, max);
        exit(2);
    }
    return v;
}

static ENetHost *make_host(const ENetAddress *address, size_t peers) {
    ENetHost *host = enet_host_create(address, peers, 2, 0, 0);
    if (!host) {
        fprintf(stderr, "enet-baseline: enet_host_create failed\n");
        exit(1);
    }
    enet_socket_set_option(host->socket, ENET_SOCKOPT_RCVBUF, BUFFER_BYTES);
    enet_socket_set_option(host->socket, ENET_SOCKOPT_SNDBUF, BUFFER_BYTES);
#if defined(SO_RCVBUFFORCE) && defined(SO_SNDBUFFORCE)
    /* Beats net.core.rmem_max/wmem_max when privileged; failure is fine. */
    int size = BUFFER_BYTES;
    (void)setsockopt(host->socket, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size);
    (void)setsockopt(host->socket, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size);
#endif
    return host;
}

/* Sends one unreliable packet of `bytes` bytes on channel 1. */
static void send_packet(ENetPeer *peer, const unsigned char *payload, size_t bytes) {
    ENetPacket *packet = enet_packet_create(payload, bytes, 0);
    if (packet && enet_peer_send(peer, 1, packet) == 0) {
        packets_out++;
        bytes_out += bytes;
    } else if (packet) {
        enet_packet_destroy(packet);
    }
}

/* Per-peer state for the client, indexed by the peer's slot in its host. */
static unsigned char *peer_state(ENetPeer *peer) { return (unsigned char *)peer->data; }

static int connected_now, peak_connected, connect_failures, disconnects;

static void handle_event(ENetEvent *ev, int is_client) {
    switch (ev->type) {
    case ENET_EVENT_TYPE_CONNECT:
        /* Like Seam, turn off ENet's unreliable-packet throttle so both sides move every packet. */
        enet_peer_throttle_configure(ev->peer, 5000, ENET_PEER_PACKET_THROTTLE_SCALE, 0);
        if (is_client) *peer_state(ev->peer) = CONNECTED;
        if (++connected_now > peak_connected) peak_connected = connected_now;
        break;
    case ENET_EVENT_TYPE_DISCONNECT:
        if (is_client && *peer_state(ev->peer) == CONNECTING) {
            connect_failures++;
        } else {
            connected_now--;
            disconnects++;
        }
        if (is_client) *peer_state(ev->peer) = GONE;
        break;
    case ENET_EVENT_TYPE_RECEIVE:
        packets_in++;
        bytes_in += ev->packet->dataLength;
        enet_packet_destroy(ev->packet);
        break;
    default:
        break;
    }
}

static void print_totals(ENetHost **hosts, int count) {
    uint64_t wire_in = 0, wire_out = 0;
    for (int i = 0; i < count; i++) {
        wire_in += hosts[i]->totalReceivedData;
        wire_out += hosts[i]->totalSentData;
    }
    printf(" packets_in=%llu packets_out=%llu bytes_in=%llu bytes_out=%llu"
           " wire_in=%llu wire_out=%llu\n",
           (unsigned long long)packets_in, (unsigned long long)packets_out,
           (unsigned long long)bytes_in, (unsigned long long)bytes_out,
           (unsigned long long)wire_in, (unsigned long long)wire_out);
    fflush(stdout);
}

static int run_server(int port, int peers, int bytes, int rate, int duration) {
    ENetAddress address = { .host = ENET_HOST_ANY, .port = (enet_uint16)port };
    ENetHost *host = make_host(&address, (size_t)peers + 16);
    unsigned char *payload = calloc(1, (size_t)bytes);
    double period = 1.0 / rate, start = now_s(), next_tick = start;
    ENetEvent ev;

    while (!stop_requested && (duration == 0 || now_s() < start + duration)) {
        double t = now_s();
        if (t >= next_tick) {
            payload[0]++;
            for (ENetPeer *p = host->peers; p < host->peers + host->peerCount; p++)
                if (p->state == ENET_PEER_STATE_CONNECTED) send_packet(p, payload, bytes);
            enet_host_flush(host);
            next_tick += period;
            if (next_tick < t) next_tick = t + period; /* fell behind: don't burst */
        }
        if (enet_host_service(host, &ev, ms_until(next_tick)) < 0) {
            fprintf(stderr, "enet-baseline: enet_host_service failed\n");
            break;
        }
        if (ev.type != ENET_EVENT_TYPE_NONE) handle_event(&ev, 0);
        while (enet_host_check_events(host, &ev) > 0) handle_event(&ev, 0);
    }
    printf("server connected=%d peak=%d disconnects=%d", connected_now, peak_connected,
           disconnects);
    print_totals(&host, 1);
    enet_host_destroy(host);
    free(payload);
    return 0;
}

static int run_client(const char *hostname, int port, int peers, int bytes, int rate,
                      int duration, int host_count) {
    ENetAddress server = { .port = (enet_uint16)port };
    if (enet_address_set_host(&server, hostname) != 0) fail("cannot resolve host ", hostname);
    if (host_count == 0) host_count = (peers + PEERS_PER_CLIENT_HOST - 1) / PEERS_PER_CLIENT_HOST;
    if (host_count > peers) host_count = peers;
    int share = (peers + host_count - 1) / host_count;
    if (share > MAX_PEERS_PER_HOST) fail("too many peers per host; raise --hosts", NULL);

    ENetHost **hosts = calloc((size_t)host_count, sizeof *hosts);
    unsigned char *states = calloc((size_t)peers, 1);
    struct pollfd *fds = calloc((size_t)host_count, sizeof *fds);
    unsigned char *payload = calloc(1, (size_t)bytes);
    for (int h = 0; h < host_count; h++) {
        int mine = peers - h * share < share ? peers - h * share : share;
        hosts[h] = make_host(NULL, (size_t)mine);
        fds[h].fd = hosts[h]->socket;
        fds[h].events = POLLIN;
    }

    /* Connect everyone up front; ENet paces the handshakes itself. */
    for (int i = 0; i < peers; i++) {
        ENetPeer *p = enet_host_connect(hosts[i / share], &server, 2, 0);
        if (!p) { connect_failures++; continue; }
        p->data = &states[i];
        states[i] = CONNECTING;
    }

    double period = 1.0 / rate, start = now_s(), next_tick = start;
    ENetEvent ev;
    while (!stop_requested && now_s() < start + duration) {
        double t = now_s();
        if (t >= next_tick) {
            payload[0]++;
            for (int h = 0; h < host_count; h++) {
                for (ENetPeer *p = hosts[h]->peers; p < hosts[h]->peers + hosts[h]->peerCount; p++)
                    if (p->state == ENET_PEER_STATE_CONNECTED) send_packet(p, payload, bytes);
                enet_host_flush(hosts[h]);
            }
            next_tick += period;
            if (next_tick < t) next_tick = t + period;
        }
        /* One wait over every host's socket, then service each without blocking. */
        poll(fds, (nfds_t)host_count, (int)ms_until(next_tick));
        for (int h = 0; h < host_count; h++) {
            if (enet_host_service(hosts[h], &ev, 0) < 0) continue;
            if (ev.type != ENET_EVENT_TYPE_NONE) handle_event(&ev, 1);
            while (enet_host_check_events(hosts[h], &ev) > 0) handle_event(&ev, 1);
        }
    }

    int connected = 0, pending = 0;
    for (int i = 0; i < peers; i++) {
        connected += states[i] == CONNECTED;
        pending += states[i] == CONNECTING;
    }
    for (int h = 0; h < host_count; h++) {
        for (ENetPeer *p = hosts[h]->peers; p < hosts[h]->peers + hosts[h]->peerCount; p++)
            if (p->state != ENET_PEER_STATE_DISCONNECTED) enet_peer_disconnect_now(p, 0);
        enet_host_flush(hosts[h]);
    }
    printf("client connected=%d peak=%d connect_failures=%d still_connecting=%d disconnects=%d"
           " hosts=%d", connected, peak_connected, connect_failures, pending, disconnects,
           host_count);
    print_totals(hosts, host_count);
    for (int h = 0; h < host_count; h++) enet_host_destroy(hosts[h]);
    free(hosts); free(states); free(fds); free(payload);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || (strcmp(argv[1], "server") && strcmp(argv[1], "client")))
        fail("usage: enet-baseline server|client --flag value ... (see source header)", NULL);
    int is_server = strcmp(argv[1], "server") == 0;
    const char *host = NULL;
    long port = -1, peers = -1, bytes = -1, rate = -1, duration = is_server ? 0 : -1, hosts = 0;

    for (int i = 2; i < argc; i += 2) {
        const char *flag = argv[i];
        if (i + 1 >= argc) fail("missing value for ", flag);
        const char *value = argv[i + 1];
        if (!strcmp(flag, "--port")) port = parse_long(flag, value, 1, 65535);
        else if (!strcmp(flag, "--peers")) peers = parse_long(flag, value, 1, 65535);
        else if (!strcmp(flag, "--rate")) rate = parse_long(flag, value, 1, 1000);
        else if (!strcmp(flag, "--duration")) duration = parse_long(flag, value, 1, 86400);
        else if (is_server && !strcmp(flag, "--snapshot-bytes"))
            bytes = parse_long(flag, value, 1, 1 << 20);
        else if (!is_server && !strcmp(flag, "--input-bytes"))
            bytes = parse_long(flag, value, 1, 1 << 20);
        else if (!is_server && !strcmp(flag, "--host")) host = value;
        else if (!is_server && !strcmp(flag, "--hosts")) hosts = parse_long(flag, value, 1, 1024);
        else fail("unknown option ", flag);
    }
    if (port < 0) fail("missing --port", NULL);
    if (peers < 0) fail("missing --peers", NULL);
    if (rate < 0) fail("missing --rate", NULL);
    if (bytes < 0) fail(is_server ? "missing --snapshot-bytes" : "missing --input-bytes", NULL);
    if (is_server && peers + 16 > MAX_PEERS_PER_HOST) fail("--peers too large for one ENet host", NULL);
    if (!is_server && !host) fail("missing --host", NULL);
    if (!is_server && duration < 0) fail("missing --duration", NULL);

    if (enet_initialize() != 0) {
        fprintf(stderr, "enet-baseline: enet_initialize failed\n");
        return 1;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: let waits return early */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    int rc = is_server ? run_server((int)port, (int)peers, (int)bytes, (int)rate, (int)duration)
                       : run_client(host, (int)port, (int)peers, (int)bytes, (int)rate,
                                    (int)duration, (int)hosts);
    enet_deinitialize();
    return rc;
}
