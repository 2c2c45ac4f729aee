#!/usr/bin/env bash
# profile.sh — perf on one side of a loaded zone: counters or a call-graph profile of the zone or the swarm.
#
# Starts a zone (Maps/duel.map, zone `west`, as tools/bench-cpu.sh runs it) and COUNT wandering bots (seed 7),
# waits WARMUP seconds for every bot to connect, then runs perf on the zone or on the swarm for WINDOW seconds:
#   stat    `perf stat` with EVENTS (default: user and kernel cycles, user instructions, user branch misses).
#           Instructions per process are repeatable to about 1.5% from run to run on this machine, where
#           cycles and CPU time move by several percent: compare builds on instructions first, then confirm
#           with tools/bench-ab.sh.
#   record  `perf record -g` at 2,999 Hz (EVENT sets the sampled event, default cycles), written to OUT;
#           read it with `perf report -i OUT --no-children` (or `--children` for inclusive shares).
#
# Usage:
#   tools/profile.sh zone stat
#   COUNT=500 tools/profile.sh bots stat
#   EVENT=instructions:u OUT=/tmp/zone.data tools/profile.sh zone record
#   SEAM=old/seam tools/profile.sh zone stat          # another build (skips the build)
#
# Environment (defaults): COUNT (1000), WARMUP (12 s), WINDOW (10 s), SEAM (.build/release/seam, built
#   unless SKIP_BUILD=1 or SEAM is given), EVENTS (cycles:u,cycles:k,instructions:u,branch-misses:u),
#   EVENT (cycles), OUT (out/profile/perf.data), PROTOCOL (6: ghost snapshots; 5: delta snapshots). Needs perf (linux-tools) and permission to attach to a
#   process (kernel.perf_event_paranoid at most 2, or root).
set -euo pipefail
cd "$(dirname "$0")/.."

(( $# == 2 )) || { echo "usage: $0 zone|bots stat|record" >&2; exit 2; }
SIDE=$1 MODE=$2
[[ $SIDE == zone || $SIDE == bots ]] || { echo "$0: the side is zone or bots, not $SIDE" >&2; exit 2; }
[[ $MODE == stat || $MODE == record ]] || { echo "$0: the mode is stat or record, not $MODE" >&2; exit 2; }
command -v perf > /dev/null || { echo "$0: perf is not installed (linux-tools)" >&2; exit 2; }
COUNT=${COUNT:-1000}
WARMUP=${WARMUP:-12}
WINDOW=${WINDOW:-10}
EVENTS=${EVENTS:-cycles:u,cycles:k,instructions:u,branch-misses:u}
EVENT=${EVENT:-cycles}
OUT=${OUT:-out/profile/perf.data}
source tools/bench-lib.sh
if [[ -z ${SEAM:-} ]]; then
    SEAM=.build/release/seam
    bench_build
fi
[[ -x $SEAM ]] || { echo "$0: not an executable: $SEAM" >&2; exit 2; }
mkdir -p "$(dirname "$OUT")"
logs=$(dirname "$OUT")

port=$(free_port)
"$SEAM" zone --map Maps/duel.map --zone west --port "$port" --capacity $((COUNT + 50)) > "$logs/zone.log" 2>&1 &
zone=$!
sleep 1
"$SEAM" bots --map Maps/duel.map --zone west --address "west=127.0.0.1:$port" --count "$COUNT" \
    --duration $((WARMUP + WINDOW + 5)) --no-dashboard --behavior wander --seed 7 \
    --protocol-version "${PROTOCOL:-6}" > "$logs/bots.log" 2>&1 &
bots=$!
sleep "$WARMUP"
pid=$zone
[[ $SIDE == bots ]] && pid=$bots
kill -0 "$pid" 2>/dev/null || { echo "$0: the $SIDE process exited early (see $logs/$SIDE.log)" >&2; exit 1; }
echo "$0: $MODE on the $SIDE (pid $pid, $COUNT bots) for $WINDOW s" >&2
if [[ $MODE == stat ]]; then
    perf stat -e "$EVENTS" -p "$pid" -- sleep "$WINDOW"
else
    perf record -e "$EVENT" -F 2999 -g -o "$OUT" -p "$pid" -- sleep "$WINDOW"
    echo "$0: profile in $OUT: perf report -i $OUT --no-children" >&2
fi
