#!/usr/bin/env bash
# bench-handoff-netsim.sh — handoffs on a bad network: every client packet through `seam netsim`.
#
# Runs Maps/quad.map with `seam cluster --netsim SPEC --journal`, BOTS border-dancing bots for DURATION
# seconds through the relays, then `seam referee` and `seam logs` on the journals. Prints the bots'
# handoff figures, what the relays did to the packets, and the referee's verdict.
#
# Usage:
#   tools/bench-handoff-netsim.sh
#   SPEC="latency=50ms,jitter=250ms,loss=5%,seed=7" BOTS=200 DURATION=60 tools/bench-handoff-netsim.sh
# Environment (defaults): SPEC ("latency=50ms,jitter=250ms,loss=5%,seed=7"), BOTS (200), DURATION (60),
#   BEHAVIOR (border-dance), OUT (out/bench-handoff-netsim), SEAM (.build/release/seam), SKIP_BUILD (0),
#   PORT_OFFSET (5200).
set -euo pipefail
cd "$(dirname "$0")/.."

SPEC=${SPEC:-"latency=50ms,jitter=250ms,loss=5%,seed=7"}
BOTS=${BOTS:-200}
DURATION=${DURATION:-60}
BEHAVIOR=${BEHAVIOR:-border-dance}
OUT=${OUT:-out/bench-handoff-netsim}
SEAM=${SEAM:-.build/release/seam}
SKIP_BUILD=${SKIP_BUILD:-0}
PORT_OFFSET=${PORT_OFFSET:-5200}
MAP=Maps/quad.map

log() { echo "bench-handoff-netsim: $*" >&2; }
source tools/bench-lib.sh
bench_build
rm -rf "$OUT"
mkdir -p "$OUT"

log "cluster with --netsim \"$SPEC\", $BOTS $BEHAVIOR bots for $DURATION s"
"$SEAM" cluster --map "$MAP" --port-offset "$PORT_OFFSET" --journal "$OUT/journal" --netsim "$SPEC" \
    --netsim-report "$OUT/netsim.json" > "$OUT/cluster.log" 2>&1 &
cluster=$!
for _ in $(seq 100); do grep -q "zones started" "$OUT/cluster.log" 2>/dev/null && break; sleep 0.1; done
sleep 2
"$SEAM" bots --map "$MAP" --port-offset $((PORT_OFFSET + 100)) --count "$BOTS" --duration "$DURATION" \
    --behavior "$BEHAVIOR" --seed 7 --no-dashboard --report "$OUT/bots.json" > "$OUT/bots.log" 2>&1 || true
kill -TERM "$cluster"
wait "$cluster" || true

referee_status=0
"$SEAM" referee --journal "$OUT/journal" --map "$MAP" --report "$OUT/referee.json" > "$OUT/referee.log" 2>&1 \
    || referee_status=$?
"$SEAM" logs "$OUT/journal" > "$OUT/logs.txt" 2>&1 || true

python3 - "$OUT" "$SPEC" "$BOTS" "$DURATION" "$referee_status" <<'PY'
import json, sys
out, spec, bots, duration, referee = sys.argv[1:]
b = json.load(open(f"{out}/bots.json"))
h = b["handoffs"]
print(f"Maps/quad.map, {bots} border-dance bots, {duration} s, client packets through `seam netsim \"{spec}\"`\n")
print(f"- bots: connected peak {b.get('bots', {}).get('connected_peak', b.get('connected_peak', '?'))}, "
      f"disconnects {b.get('bots', {}).get('disconnects', b.get('disconnects', '?'))}; "
      f"handoffs {h['count']}, failed {h['failed']}, gap p50 {h['gap_ms']['p50']} ms p99 {h['gap_ms']['p99']} ms max {h['gap_ms']['max']} ms")
try:
    n = json.load(open(f"{out}/netsim.json"))
    print(f"- netsim: {json.dumps(n.get('totals', n))[:400]}")
except Exception as e:
    print(f"- netsim report: {e}")
for line in open(f"{out}/logs.txt"):
    if line.startswith("handoffs:") or line.startswith("players:"):
        print(f"- journals: {line.strip()}")
r = json.load(open(f"{out}/referee.json"))
print(f"- referee: {r.get('verdict')} (exit {referee}), {len(r.get('violations', []))} violations")
PY
