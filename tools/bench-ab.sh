#!/usr/bin/env bash
# bench-ab.sh — compare the CPU cost of two zone (or swarm) binaries under the same load, side by side.
#
# Changes of a few percent drown in this machine's drift when two builds are measured one after the other
# (tools/bench-cpu.sh pairs move by 10% from minute to minute). Here both zones run at the same time, each
# on Maps/duel.map zone `west` with its own swarm of COUNT wandering bots (one swarm binary, one seed), so
# whatever the machine does to one it does to the other. Each run prints both zones' CPU ticks over the
# window and B/A; the last line is the mean of B/A. Two copies of the same binary give 0.97-1.03.
#
# With SIDE=swarm it compares the swarms instead: both zones run A_SEAM, swarm A runs A_SEAM and swarm B
# runs B_SEAM, and the ratio is swarm B's CPU over swarm A's.
#
# Usage:
#   tools/bench-ab.sh A_SEAM B_SEAM                     # 3 runs, 300 bots per zone
#   RUNS=4 COUNT=400 tools/bench-ab.sh old/seam .build/release/seam
#   SIDE=swarm tools/bench-ab.sh old/seam .build/release/seam
#
# Environment (defaults): RUNS (3), COUNT (300), SIDE (zone), SWARM (A_SEAM: the swarm binary with
#   SIDE=zone; it must speak the wire version of both zones), WARMUP (8 s after the swarms start), WINDOW
#   (12 s), OUT (out/bench-ab), PROTOCOL (6: the version the swarms speak, `seam bots --protocol-version`;
#   5 for delta snapshots).
#   METRIC (cycles when perf is installed, else ticks): what is compared. `cycles` counts both processes'
#   CPU cycles (user and kernel) with `perf stat` over the same window: exact counts, where `ticks` (CPU time
#   from /proc, 10 ms units) reads a 500-bot zone's 5% of a core to about 2% a run.
# Both zones must speak the swarm's wire version. Needs 2 cores; nothing else should run meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."

(( $# == 2 )) || { echo "usage: $0 A_SEAM B_SEAM" >&2; exit 2; }
A=$1 B=$2
RUNS=${RUNS:-3}
COUNT=${COUNT:-300}
PROTOCOL=${PROTOCOL:-6}
SWARM=${SWARM:-$A}
SIDE=${SIDE:-zone}
[[ $SIDE == zone || $SIDE == swarm ]] || { echo "$0: SIDE must be zone or swarm, not $SIDE" >&2; exit 2; }
WARMUP=${WARMUP:-8}
WINDOW=${WINDOW:-12}
OUT=${OUT:-out/bench-ab}
for bin in "$A" "$B" "$SWARM"; do [[ -x $bin ]] || { echo "$0: not an executable: $bin" >&2; exit 2; }; done
mkdir -p "$OUT"

source tools/bench-lib.sh
if command -v perf > /dev/null; then METRIC=${METRIC:-cycles}; else METRIC=${METRIC:-ticks}; fi
[[ $METRIC == cycles || $METRIC == ticks ]] || { echo "$0: METRIC must be cycles or ticks, not $METRIC" >&2; exit 2; }

# cycles_of PID SECONDS FILE: the process's CPU cycles (user and kernel) over the next SECONDS, into FILE.
cycles_of() {
    perf stat -x, -e cycles -p "$1" -- sleep "$2" 2> "$3.raw" > /dev/null
    awk -F, '$3 ~ /^cycles/ { print $1 }' "$3.raw" > "$3"
}

ratios=()
for (( run = 1; run <= RUNS; run++ )); do
    pa=$(free_port) pb=$(free_port)
    "$A" zone --map Maps/duel.map --zone west --port "$pa" --capacity 550 > "$OUT/zone-a.log" 2>&1 & za=$!
    zone_b=$B swarm_a=$SWARM swarm_b=$SWARM
    [[ $SIDE == swarm ]] && zone_b=$A swarm_a=$A swarm_b=$B
    "$zone_b" zone --map Maps/duel.map --zone west --port "$pb" --capacity 550 > "$OUT/zone-b.log" 2>&1 & zb=$!
    sleep 1
    duration=$(( WARMUP + WINDOW + 4 ))
    "$swarm_a" bots --map Maps/duel.map --zone west --address "west=127.0.0.1:$pa" --count "$COUNT" \
        --duration "$duration" --no-dashboard --behavior wander --seed 7 --protocol-version "$PROTOCOL" \
        > "$OUT/bots-a.log" 2>&1 & sa=$!
    "$swarm_b" bots --map Maps/duel.map --zone west --address "west=127.0.0.1:$pb" --count "$COUNT" \
        --duration "$duration" --no-dashboard --behavior wander --seed 7 --protocol-version "$PROTOCOL" \
        > "$OUT/bots-b.log" 2>&1 & sb=$!
    measure_a=$za measure_b=$zb
    [[ $SIDE == swarm ]] && measure_a=$sa measure_b=$sb
    sleep "$WARMUP"
    if [[ $METRIC == cycles ]]; then
        cycles_of $measure_a "$WINDOW" "$OUT/cycles-a" & ca=$!
        cycles_of $measure_b "$WINDOW" "$OUT/cycles-b" & cb=$!
        wait $ca $cb
        a=$(cat "$OUT/cycles-a") b=$(cat "$OUT/cycles-b")
        [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ ]] || { echo "$0: perf stat gave no cycle count (see $OUT/cycles-a.raw)" >&2; exit 1; }
        unit="M cycles" a=$((a / 1000000)) b=$((b / 1000000))
    else
        a0=$(cpu_ticks $measure_a) b0=$(cpu_ticks $measure_b)
        sleep "$WINDOW"
        a1=$(cpu_ticks $measure_a) b1=$(cpu_ticks $measure_b)
        unit=ticks a=$((a1 - a0)) b=$((b1 - b0))
    fi
    bench_cleanup
    ratio=$(awk "BEGIN { printf \"%.3f\", $b / $a }")
    ratios+=("$ratio")
    echo "run $run: $SIDE A $a $unit, $SIDE B $b $unit, B/A $ratio"
done
echo "mean B/A over $RUNS runs: $(printf '%s\n' "${ratios[@]}" | awk '{ s += $1 } END { printf "%.3f", s / NR }')"
