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
#endif
