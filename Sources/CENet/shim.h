#ifndef SEAM_CENET_SHIM_H
#define SEAM_CENET_SHIM_H
#include <enet/enet.h>
#include <enet/time.h>

/* Whether a reliable command sent to `peer` awaits its acknowledgement. (`enet_list_empty` is a macro over
   the list's sentinel, hence C.) */
static inline int seam_peer_awaits_ack(const ENetPeer *peer) {
    return peer->sentReliableCommands.sentinel.next != &peer->sentReliableCommands.sentinel;
}

/* Whether ENet's keep-alive ping to `peer` falls due within `leadMs` of `now` (ENet time, milliseconds), by
   ENet's own rule: connected, no reliable command awaiting acknowledgement, and nothing of ours acknowledged
   for the ping interval. */
static inline int seam_peer_ping_due(const ENetPeer *peer, enet_uint32 now, enet_uint32 leadMs) {
    if (peer->state != ENET_PEER_STATE_CONNECTED) return 0;
    if (seam_peer_awaits_ack(peer)) return 0;
    return ENET_TIME_DIFFERENCE(now, peer->lastReceiveTime) + leadMs >= peer->pingInterval;
}
/* Asks the processor to bring into its caches what ENet's send pass reads of every walked peer slot: its
   state, its acknowledgement, sent-reliable and outgoing lists, when it was last heard from, its ping interval
   and MTU (`enet_protocol_send_outgoing_commands` in protocol.c). A hint, with no effect on what is read.
   ENet reads those fields slot after slot, four or five cache lines a slot 456 bytes apart, and at a hot
   zone's thousand and more slots most of them had gone cold since its last service: the pass waited on each.
   Issued back to back, the loads overlap. */
static inline void seam_host_prefetch_peers(const ENetHost *host) {
    const ENetPeer *end = host->peers + host->peerCount;
    for (const ENetPeer *peer = host->peers; peer < end; ++peer) {
        __builtin_prefetch(&peer->state, 0, 3);
        __builtin_prefetch(&peer->lastReceiveTime, 0, 3);
        __builtin_prefetch(&peer->pingInterval, 0, 3);
        __builtin_prefetch(&peer->acknowledgements, 0, 3);
        __builtin_prefetch(&peer->sentReliableCommands, 0, 3);
        __builtin_prefetch(&peer->outgoingCommands, 0, 3);
        __builtin_prefetch(&peer->mtu, 0, 3);
    }
}
#endif
