#!/usr/bin/env bash
# bench-netsim.sh — what the network simulator itself costs, and a cluster behind a bad network.
#
# 1. overhead: the quad cluster behind a standalone `seam netsim --spec latency=0ms` that relays every
#    zone (the zones advertise the relays with --public) and also a UDP echo server, with N wandering bots
#    through the relays. A probe pings the echo server every 5 ms, alternately direct and through the
#    relay, over a window (from WARMUP s after the bots start to TAIL s before they end), first with the
#    relay idle (before the bots), then under the bots' load: the difference of the two round trips is
#    what the relay adds (one pass each way). Also the relay's CPU over the window and its lateness.
# 2. impaired: `seam cluster --netsim "$IMPAIRED"` with BORDER border-dancing bots for DURATION s: bots
#    connected, handoffs followed and failed, handoff gap, RTT, and what the relay dropped.
#
# Usage:
#   tools/bench-netsim.sh                              # N=500 BORDER=200 DURATION=30
#   N=1000 DURATION=20 SKIP_BUILD=1 tools/bench-netsim.sh
#   ONLY=impaired IMPAIRED="latency=75ms,jitter=20ms,loss=1%,burst=0.5%/4" tools/bench-netsim.sh
#
# Environment (defaults): N (500), BORDER (200), DURATION (30), WARMUP (8), TAIL (2), IDLE (5 s of probing
#   before the bots), IMPAIRED ("latency=75ms,jitter=20ms,loss=1%"), PORT_OFFSET (21000),
#   ONLY (overhead|impaired|both: both), OUT (out/bench-netsim), SEAM (.build/release/seam), SKIP_BUILD (0),
#   RELAY_NICE (empty: a niceness for the overhead run's relay, e.g. -10, to see how much of its added
#   round trip is waiting for a CPU on a busy machine).
# Output: Markdown tables on stdout, progress on stderr; logs, probe, bots and netsim reports in $OUT/.
set -euo pipefail
cd "$(dirname "$0")/.."

N=${N:-500}
BORDER=${BORDER:-200}
DURATION=${DURATION:-30}
WARMUP=${WARMUP:-8}
TAIL=${TAIL:-2}
IDLE=${IDLE:-5}
RELAY_NICE=${RELAY_NICE:-}
IMPAIRED=${IMPAIRED:-"latency=75ms,jitter=20ms,loss=1%"}
PORT_OFFSET=${PORT_OFFSET:-21000}
ONLY=${ONLY:-both}
OUT=${OUT:-out/bench-netsim}
SEAM=${SEAM:-.build/release/seam}
SKIP_BUILD=${SKIP_BUILD:-0}
MAP=Maps/quad.map
NETSIM_OFFSET=100
CLK_TCK=$(getconf CLK_TCK)

log() { echo "bench-netsim: $*" >&2; }
die() { log "$*"; exit 1; }

(( DURATION > WARMUP + TAIL )) || die "DURATION ($DURATION) must exceed WARMUP+TAIL ($((WARMUP + TAIL)))"
mkdir -p "$OUT"
[[ $SKIP_BUILD == 1 ]] || swift build -c release --product seam >&2

# Every background process of this shell is stopped on exit.
source tools/bench-lib.sh

nap() { sleep "$1" & wait $!; }

# The `seam netsim` child of cluster pid $1.
netsim_pid() {
    local p
    for p in /proc/[0-9]*; do
        [[ -r $p/stat && -r $p/cmdline ]] || continue
        local stat rest
        stat=$(cat "$p/stat" 2>/dev/null) || continue
        rest=${stat##*) }
        read -r -a f <<< "$rest"
        if [[ ${f[1]} == "$1" ]] && tr '\0' ' ' < "$p/cmdline" | grep -q ' netsim '; then
            echo "${p#/proc/}"
            return 0
        fi
    done
    return 1
}

# run NAME BOTS BEHAVIOR [NETSIM_SPEC]: one cluster, one swarm; sets RELAY_CPU_S and WINDOW_S.
run() {
    local name=$1 bots=$2 behavior=$3 spec=${4:-} extra=() bot_offset=$PORT_OFFSET cluster swarm relay=""
    if [[ -n $spec ]]; then
        extra=(--netsim "$spec" --netsim-report "$OUT/netsim-$name.json")
        bot_offset=$(( PORT_OFFSET + NETSIM_OFFSET ))
    fi
    log "$name: cluster${spec:+ behind netsim \"$spec\"}, $bots $behavior bots for $DURATION s"
    "$SEAM" cluster --map "$MAP" --port-offset "$PORT_OFFSET" --capacity 1000 "${extra[@]}" \
        > "$OUT/cluster-$name.log" 2>&1 &
    cluster=$!
    local i
    for (( i = 0; i < 300; i++ )); do
        kill -0 "$cluster" 2>/dev/null || die "the cluster exited; see $OUT/cluster-$name.log"
        # quad: 4 links, each reported up by both of its zones.
        (( $(grep -c 'link to neighbour .* up' "$OUT/cluster-$name.log" || true) >= 8 )) && break
        nap 0.1
    done
    if [[ -n $spec ]]; then relay=$(netsim_pid "$cluster") || die "no netsim child found"; fi
    "$SEAM" bots --map "$MAP" --port-offset "$bot_offset" --count "$bots" --duration "$DURATION" \
        --behavior "$behavior" --no-dashboard --report "$OUT/bots-$name.json" > "$OUT/bots-$name.log" 2>&1 &
    swarm=$!
    RELAY_CPU_S=0
    WINDOW_S=0
    if [[ -n $relay ]]; then
        nap "$WARMUP"
        local t0 t1 c0 c1
        t0=$(date +%s.%N); c0=$(cpu_ticks "$relay")
        nap $(( DURATION - WARMUP - TAIL ))
        t1=$(date +%s.%N); c1=$(cpu_ticks "$relay")
        WINDOW_S=$(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")
        RELAY_CPU_S=$(awk "BEGIN { printf \"%.3f\", ($c1 - $c0) / $CLK_TCK }")
    fi
    wait "$swarm" || die "the bots failed; see $OUT/bots-$name.log"
    kill -TERM "$cluster"
    wait "$cluster" || true
    echo "{\"relay_cpu_s\": $RELAY_CPU_S, \"window_s\": $WINDOW_S}" > "$OUT/cpu-$name.json"
}

# probe SECONDS DIRECT_PORT RELAY_PORT OUT_JSON: round trips to the echo server, alternately direct and
# through the relay, one pair every 5 ms.
probe() {
    python3 - "$@" <<'PY'
import json, socket, sys, time
seconds, direct, relay, out = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(1.0)
rtt = {"direct": [], "relay": []}
lost = {"direct": 0, "relay": 0}
seq = 0
end = time.monotonic() + seconds
while time.monotonic() < end:
    for name, port in (("direct", direct), ("relay", relay)):
        seq += 1
        payload = seq.to_bytes(8, "little")
        t0 = time.perf_counter_ns()
        s.sendto(payload, ("127.0.0.1", port))
        while True:
            try:
                data, _ = s.recvfrom(64)
            except socket.timeout:
                lost[name] += 1
                break
            if data == payload:
                rtt[name].append((time.perf_counter_ns() - t0) / 1000)
                break
    time.sleep(0.005)
def pct(v, p):
    v = sorted(v)
    return round(v[min(len(v) - 1, int(len(v) * p / 100))]) if v else None
json.dump({k: {"samples": len(v), "lost": lost[k], "p50_us": pct(v, 50), "p90_us": pct(v, 90), "p99_us": pct(v, 99)}
           for k, v in rtt.items()}, open(out, "w"))
PY
}

overhead() {
    local zone_ports=(7200 7201 7202 7203) ids=(a1 b1 a2 b2) relays=() public=() i echo echo_port relay cluster swarm
    rm -f "$OUT/echo.port"  # a stale file would look written before the new server truncates it
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1], flush=True)
while True:
    d, a = s.recvfrom(2048); s.sendto(d, a)' > "$OUT/echo.port" &
    echo=$!
    for (( i = 0; i < 300; i++ )); do [[ -s $OUT/echo.port ]] && break; nap 0.1; done
    echo_port=$(head -1 "$OUT/echo.port")
    [[ -n $echo_port ]] || die "the echo server did not start"
    for i in 0 1 2 3; do
        relays+=(--relay "127.0.0.1:$(( zone_ports[i] + PORT_OFFSET + NETSIM_OFFSET ))=127.0.0.1:$(( zone_ports[i] + PORT_OFFSET ))")
        public+=("--zone-arg=--public=${ids[i]}=127.0.0.1:$(( zone_ports[i] + PORT_OFFSET + NETSIM_OFFSET ))")
    done
    log "overhead: netsim latency=0ms relaying the quad zones and an echo server (port $echo_port)"
    "$SEAM" netsim "${relays[@]}" --relay "127.0.0.1:0=127.0.0.1:$echo_port" --spec "latency=0ms"         --report "$OUT/netsim-overhead.json" > "$OUT/netsim-overhead.log" 2>&1 &
    relay=$!
    if [[ -n $RELAY_NICE ]]; then renice -n "$RELAY_NICE" -p "$relay" >&2 || die "renice $RELAY_NICE failed"; fi
    for (( i = 0; i < 300; i++ )); do grep -q 'listening on' "$OUT/netsim-overhead.log" && break; nap 0.1; done
    local probe_port
    probe_port=$(sed -n 's/.*, 127.0.0.1:\([0-9]*\) -> 127.0.0.1:'"$echo_port"' .*/\1/p' "$OUT/netsim-overhead.log")
    [[ -n $probe_port ]] || die "no echo relay in $OUT/netsim-overhead.log"
    log "overhead: probing the idle relay for $IDLE s"
    probe "$IDLE" "$echo_port" "$probe_port" "$OUT/probe-idle.json"
    "$SEAM" cluster --map "$MAP" --port-offset "$PORT_OFFSET" --capacity 1000 "${public[@]}"         > "$OUT/cluster-overhead.log" 2>&1 &
    cluster=$!
    for (( i = 0; i < 300; i++ )); do
        kill -0 "$cluster" 2>/dev/null || die "the cluster exited; see $OUT/cluster-overhead.log"
        (( $(grep -c 'link to neighbour .* up' "$OUT/cluster-overhead.log" || true) >= 8 )) && break
        nap 0.1
    done
    log "overhead: $N wander bots through the relays for $DURATION s, probing meanwhile"
    "$SEAM" bots --map "$MAP" --port-offset $(( PORT_OFFSET + NETSIM_OFFSET )) --count "$N" --duration "$DURATION"         --behavior wander --no-dashboard --report "$OUT/bots-overhead.json" > "$OUT/bots-overhead.log" 2>&1 &
    swarm=$!
    nap "$WARMUP"
    local t0 t1 c0 c1
    t0=$(date +%s.%N); c0=$(cpu_ticks "$relay")
    probe $(( DURATION - WARMUP - TAIL )) "$echo_port" "$probe_port" "$OUT/probe-load.json"
    t1=$(date +%s.%N); c1=$(cpu_ticks "$relay")
    echo "{\"relay_cpu_s\": $(awk "BEGIN { printf \"%.3f\", ($c1 - $c0) / $CLK_TCK }"), \"window_s\": $(awk "BEGIN { printf \"%.3f\", $t1 - $t0 }")}" \
        > "$OUT/cpu-overhead.json"
    wait "$swarm" || die "the bots failed; see $OUT/bots-overhead.log"
    kill -TERM "$cluster"; wait "$cluster" || true
    kill -TERM "$relay"; wait "$relay" || true
    kill -TERM "$echo"; wait "$echo" 2>/dev/null || true
}

if [[ $ONLY == overhead || $ONLY == both ]]; then
    overhead
fi
if [[ $ONLY == impaired || $ONLY == both ]]; then
    run impaired "$BORDER" border-dance "$IMPAIRED"
fi

python3 - "$OUT" "$ONLY" "$N" "$BORDER" "$IMPAIRED" <<'PY'
import json, os, sys
out, only, n, border, impaired = sys.argv[1:]

def load(name):
    path = os.path.join(out, name)
    return json.load(open(path)) if os.path.exists(path) else None

def bots_row(b):
    return (f"{b['bots']['connected_peak']}/{b['bots']['target']}", b['bots']['disconnects'],
            b['rtt_ms']['p50'], b['rtt_ms']['p99'], b['handoffs']['count'], b['handoffs']['failed'])

if only in ("overhead", "both"):
    idle, load_, b = load("probe-idle.json"), load("probe-load.json"), load("bots-overhead.json")
    ns, cpu = load("netsim-overhead.json"), load("cpu-overhead.json")
    print(f"\n### Relay overhead: `seam netsim --spec latency=0ms` in front of the quad zones and an echo server\n")
    print("| relay load | probe rtt direct p50 / p90 / p99 µs | probe rtt through the relay p50 / p90 / p99 µs | added p50 µs |")
    print("|---|---|---|---|")
    for label, p in (("idle", idle), (f"{n} wandering bots", load_)):
        d, r = p["direct"], p["relay"]
        print(f"| {label} | {d['p50_us']} / {d['p90_us']} / {d['p99_us']} | {r['p50_us']} / {r['p90_us']} / {r['p99_us']} "
              f"| {r['p50_us'] - d['p50_us']} |")
    pk = ns['total']['up']['received_packets'] + ns['total']['down']['received_packets']
    late = ns['lateness']
    print(f"\nUnder the bots: relay CPU {100 * cpu['relay_cpu_s'] / cpu['window_s']:.1f}% of a core over {cpu['window_s']:.0f} s, "
          f"{pk / ns['duration_s']:.0f} datagrams/s relayed (both directions, whole run), lateness p50 / p99 / max "
          f"{late['p50_us']} / {late['p99_us']} / {late['max_us']} µs; bots {b['bots']['connected_peak']}/{b['bots']['target']} "
          f"connected, {b['bots']['disconnects']} disconnects, rtt p50 / p99 {b['rtt_ms']['p50']} / {b['rtt_ms']['p99']} ms.")

if only in ("impaired", "both"):
    b, ns = load("bots-impaired.json"), load("netsim-impaired.json")
    print(f"\n### Quad behind `--netsim \"{impaired}\"`: {border} border-dancing bots\n")
    print("| connected | disconnects | connect failures | handoffs | failed | gap p50 / p99 ms | rtt p50 / p99 ms | relay dropped up / down | relay received up / down |")
    print("|---|---|---|---|---|---|---|---|---|")
    up, down = ns['total']['up'], ns['total']['down']
    gap = b['handoffs']['gap_ms']
    print(f"| {b['bots']['connected_peak']}/{b['bots']['target']} | {b['bots']['disconnects']} | {b['bots']['connect_failures']} "
          f"| {b['handoffs']['count']} | {b['handoffs']['failed']} | {gap['p50']} / {gap['p99']} "
          f"| {b['rtt_ms']['p50']} / {b['rtt_ms']['p99']} "
          f"| {up['dropped_loss'] + up['dropped_burst']} / {down['dropped_loss'] + down['dropped_burst']} "
          f"| {up['received_packets']} / {down['received_packets']} |")
PY
