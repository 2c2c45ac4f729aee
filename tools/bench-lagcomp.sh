#!/usr/bin/env bash
# bench-lagcomp.sh — do the zones agree with what the bots saw? Lag compensation on, then off, on a bad
# network made by `seam netsim`.
#
# One run does, one after the other, on Maps/quad.map (four zones, so some fights cross a border):
#   1. `seam cluster --netsim SPEC` (every client packet through the relays) and BOTS `fight` bots for
#      DURATION seconds; the bots report shots fired, the hits they saw in their interpolated view
#      (client hits), how many the zones confirmed, and how many the zones answered "void" (target or
#      shooter died while the shot was in flight, target in a handoff);
#   2. the same with `--no-lag-compensation`.
# Then the journals of the first run go through `seam referee`.
#
# Usage:
#   tools/bench-lagcomp.sh
#   BOTS=400 DURATION=60 SPEC="latency=75ms,jitter=20ms,loss=1%" tools/bench-lagcomp.sh
# Environment (defaults): BOTS (300), DURATION (60), SPEC ("latency=75ms,jitter=20ms,loss=1%,seed=7":
#   150 ms RTT), BEHAVIOR (fight), OUT (out/bench-lagcomp), SEAM (.build/release/seam), SKIP_BUILD (0),
#   PORT_OFFSET (5000).
# Output: a Markdown table on stdout; reports, journals and logs in $OUT.
set -euo pipefail
cd "$(dirname "$0")/.."

BOTS=${BOTS:-300}
DURATION=${DURATION:-60}
SPEC=${SPEC:-"latency=75ms,jitter=20ms,loss=1%,seed=7"}
BEHAVIOR=${BEHAVIOR:-fight}
OUT=${OUT:-out/bench-lagcomp}
SEAM=${SEAM:-.build/release/seam}
SKIP_BUILD=${SKIP_BUILD:-0}
PORT_OFFSET=${PORT_OFFSET:-5000}
NETSIM_OFFSET=100
MAP=Maps/quad.map

log() { echo "bench-lagcomp: $*" >&2; }
source tools/bench-lib.sh
bench_build
rm -rf "$OUT"
mkdir -p "$OUT"

run() {
    local mode=$1; shift
    log "$mode: cluster with --netsim \"$SPEC\", $BOTS $BEHAVIOR bots for $DURATION s"
    "$SEAM" cluster --map "$MAP" --port-offset "$PORT_OFFSET" --journal "$OUT/$mode/journal" \
        --netsim "$SPEC" --netsim-report "$OUT/$mode/netsim.json" "$@" > "$OUT/$mode/cluster.log" 2>&1 &
    local cluster=$!
    # The cluster prints its ready line once every zone listens; the relays are up before the zones.
    for _ in $(seq 100); do grep -q "zones started" "$OUT/$mode/cluster.log" 2>/dev/null && break; sleep 0.1; done
    sleep 2  # links up
    "$SEAM" bots --map "$MAP" --port-offset $((PORT_OFFSET + NETSIM_OFFSET)) --count "$BOTS" \
        --duration "$DURATION" --behavior "$BEHAVIOR" --seed 7 --no-dashboard \
        --report "$OUT/$mode/bots.json" > "$OUT/$mode/bots.log" 2>&1
    kill -TERM "$cluster"
    wait "$cluster" || true
}

mkdir -p "$OUT/lag" "$OUT/nolag"
run lag
run nolag --no-lag-compensation
log "referee on the lag-compensated run's journals"
referee_status=0
"$SEAM" referee --journal "$OUT/lag/journal" --map "$MAP" --report "$OUT/lag/referee.json" \
    > "$OUT/lag/referee.log" 2>&1 || referee_status=$?

python3 - "$OUT" "$SPEC" "$BOTS" "$DURATION" "$referee_status" <<'EOF'
import json, sys
out, spec, bots, duration, referee = sys.argv[1:]
print(f"Maps/quad.map, {bots} fight bots, {duration} s, every client packet through `seam netsim \"{spec}\"`\n")
print("| run | fired | client hits | confirmed | void (target dead / shooter dead / in handoff) | confirmed / client hits | confirmed / judged client hits | inside a zone: judged agreement | across a border: client hits, judged agreement |")
print("|---|---|---|---|---|---|---|---|---|")
for mode, name in (("lag", "lag compensation"), ("nolag", "--no-lag-compensation")):
    r = json.load(open(f"{out}/{mode}/bots.json"))
    s = r["shots"]; v = s["client_hits_void"]; b = s["border"]
    void_total = v["target_dead"] + v["shooter_dead"] + v["target_in_handoff"]
    judged = s["client_hits"] - void_total
    inside_judged = judged - (b["client_hits"] - b["client_hits_void"])
    inside_confirmed = s["client_hits_confirmed"] - b["client_hits_confirmed"]
    print(f"| {name} | {s['fired']} | {s['client_hits']} | {s['client_hits_confirmed']} | "
          f"{v['target_dead']} / {v['shooter_dead']} / {v['target_in_handoff']} | {s['confirmed_per_client_hit']:.3f} | "
          f"{s['client_hits_confirmed'] / judged if judged else 0:.3f} | "
          f"{inside_confirmed / inside_judged if inside_judged else 0:.3f} | "
          f"{b['client_hits']}, {b['confirmed_per_judged_client_hit']:.3f} |")
ref = json.load(open(f"{out}/lag/referee.json"))
print(f"\nreferee on the lag-compensated run: {ref.get('verdict')} (exit {referee})")
EOF
