#!/usr/bin/env bash
# bench-cpu.sh — CPU seconds per connected bot per second, Seam vs. plain ENet.
#
# For each bot count N it runs, one after the other:
#   1. a Seam zone (Maps/duel.map, zone west) and `seam bots` with N wandering
#      bots for DURATION seconds, sampling both processes' CPU time;
#   2. tools/bin/enet-baseline server + client moving the same number and size
#      of packets (sizes derived from the bots' report), sampled the same way.
# CPU is read from /proc/PID/stat (utime+stime) at the start and end of a
# window that opens WARMUP s after the client side starts (so every bot has
# connected) and closes TAIL s before it is due to finish.
#
# Usage:
#   tools/bench-cpu.sh                      # N = 500 1000 2000, 20 s each
#   COUNTS="500 1000" DURATION=10 tools/bench-cpu.sh
#   SKIP_BUILD=1 SEAM=path/to/seam tools/bench-cpu.sh
#   BASELINE_ONLY=1 SNAPSHOT_BYTES=300 INPUT_BYTES=20 COUNTS=500 tools/bench-cpu.sh
#   REPEAT=3 COUNTS="500 1000" tools/bench-cpu.sh   # each N three times, then the medians
#
# This machine's CPU time per unit of work drifts by 10-15% from minute to minute (a shared host):
# with REPEAT > 1 each Seam run is followed by its C run, the pairs repeat, and a last table gives
# each column's median over the repeats and the median of the per-pair ratios.
#
# SIDE_BY_SIDE=1 measures each pair at the same time instead: the Seam run alone gives the packet
# sizes, then a second Seam zone + bots and the C server + client run together (four processes on
# their own ports), all four sampled over the same window, so whatever the machine does to one side
# it does to the other. The row then holds that window's figures (the first Seam run's are kept in
# the JSON as `seam_alone`).
#
# Environment (defaults): COUNTS ("500 1000 2000"), REPEAT (1), DURATION (20), RATE (20),
#   WARMUP (5), TAIL (2), OUT (out/bench), SEAM (.build/release/seam),
#   SKIP_BUILD (0), BASELINE_ONLY (0), SIDE_BY_SIDE (0), SNAPSHOT_BYTES/INPUT_BYTES (300/20,
#   only used with BASELINE_ONLY=1), PROTOCOL (6: the version the bots speak, `seam bots --protocol-version`),
#   ENET_OVERHEAD (10 bytes per packet
#   subtracted from the bots' per-packet wire bytes).
# Output: a Markdown table on stdout, progress on stderr, all figures in
#   $OUT/bench-cpu.json, process logs and bots reports in $OUT/.
set -euo pipefail
cd "$(dirname "$0")/.."

COUNTS=${COUNTS:-"500 1000 2000"}
REPEAT=${REPEAT:-1}
DURATION=${DURATION:-20}
RATE=${RATE:-20}
WARMUP=${WARMUP:-5}
TAIL=${TAIL:-2}
OUT=${OUT:-out/bench}
SEAM=${SEAM:-.build/release/seam}
SKIP_BUILD=${SKIP_BUILD:-0}
BASELINE_ONLY=${BASELINE_ONLY:-0}
SIDE_BY_SIDE=${SIDE_BY_SIDE:-0}
SNAPSHOT_BYTES=${SNAPSHOT_BYTES:-300}
INPUT_BYTES=${INPUT_BYTES:-20}
ENET_OVERHEAD=${ENET_OVERHEAD:-10}
PROTOCOL=${PROTOCOL:-6}
MAP=Maps/duel.map
ZONE=west
BASELINE=tools/bin/enet-baseline
CLK_TCK=$(getconf CLK_TCK)

log() { echo "bench-cpu: $*" >&2; }
die() { log "$*"; exit 1; }

(( DURATION > WARMUP + TAIL )) || die "DURATION ($DURATION) must exceed WARMUP+TAIL ($((WARMUP + TAIL)))"
mkdir -p "$OUT" tools/bin
ROWS="$OUT/bench-cpu.rows.jsonl"
: > "$ROWS"

# --- background processes: all are killed on exit (tools/bench-lib.sh) ------------
source tools/bench-lib.sh

# Stops one tracked process with SIGTERM and reaps it.
stop() {
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# --- helpers -------------------------------------------------------------------

now() { date +%s.%N; }
# A sleep that a trapped SIGINT/SIGTERM interrupts at once (bash runs traps
# only after a foreground command ends, but does interrupt `wait`).
nap() { sleep "$1" & wait $!; }
calc() { awk "BEGIN { printf \"%.6f\", $1 }"; }

# Waits up to 30 s for a UDP socket bound to port $1, while process $2 lives.
wait_udp_port() {
    local port=$1 pid=$2 i
    for (( i = 0; i < 300; i++ )); do
        kill -0 "$pid" 2>/dev/null || die "process $pid exited before binding UDP port $port"
        if ss -Huln | awk -v p=":$port" '{ if (substr($4, length($4) - length(p) + 1) == p) found = 1 }
                                     END { exit !found }'; then
            return 0
        fi
        nap 0.1
    done
    die "nothing bound UDP port $port within 30 s"
}

# Measures the CPU of server pid $1 and client pid $2 over the window.
# Sets SERVER_CPU, CLIENT_CPU (seconds) and WINDOW (seconds).
measure_window() {
    local server=$1 client=$2 t0 t1 s0 s1 c0 c1
    nap "$WARMUP"
    t0=$(now); s0=$(cpu_ticks "$server" server); c0=$(cpu_ticks "$client" client)
    nap $(( DURATION - WARMUP - TAIL ))
    t1=$(now); s1=$(cpu_ticks "$server" server); c1=$(cpu_ticks "$client" client)
    WINDOW=$(calc "$t1 - $t0")
    SERVER_CPU=$(calc "($s1 - $s0) / $CLK_TCK")
    CLIENT_CPU=$(calc "($c1 - $c0) / $CLK_TCK")
}

# The same over four processes at once: the zone $1, the bots $2, the C server $3 and client $4.
# Sets ZONE_CPU, BOTS_CPU, SERVER_CPU, CLIENT_CPU (seconds) and WINDOW (seconds).
measure_side_by_side() {
    local t0 t1 z0 z1 b0 b1 s0 s1 c0 c1
    nap "$WARMUP"
    t0=$(now); z0=$(cpu_ticks "$1" zone); b0=$(cpu_ticks "$2" bots); s0=$(cpu_ticks "$3" server); c0=$(cpu_ticks "$4" client)
    nap $(( DURATION - WARMUP - TAIL ))
    t1=$(now); z1=$(cpu_ticks "$1" zone); b1=$(cpu_ticks "$2" bots); s1=$(cpu_ticks "$3" server); c1=$(cpu_ticks "$4" client)
    WINDOW=$(calc "$t1 - $t0")
    ZONE_CPU=$(calc "($z1 - $z0) / $CLK_TCK"); BOTS_CPU=$(calc "($b1 - $b0) / $CLK_TCK")
    SERVER_CPU=$(calc "($s1 - $s0) / $CLK_TCK"); CLIENT_CPU=$(calc "($c1 - $c0) / $CLK_TCK")
}

# Starts a Seam zone and N wandering bots writing report $2 (their logs named after $3); sets zone_pid
# and bots_pid.
start_seam() {
    local port
    port=$(free_port)
    log "N=$1: seam zone on port $port"
    "$SEAM" zone --map "$MAP" --zone "$ZONE" --port "$port" --capacity $(($1 + 50)) \
        > "$OUT/$3.zone.log" 2>&1 &
    zone_pid=$!
    wait_udp_port "$port" "$zone_pid"
    log "N=$1: $1 seam bots for $DURATION s"
    "$SEAM" bots --map "$MAP" --zone "$ZONE" --address "$ZONE=127.0.0.1:$port" --count "$1" \
        --duration "$DURATION" --no-dashboard --report "$2" --behavior wander --protocol-version "$PROTOCOL" \
        > "$OUT/$3.bots.log" 2>&1 &
    bots_pid=$!
}

# Starts the C baseline server and client for N peers ($1); sets server_pid and client_pid.
start_baseline() {
    local port
    port=$(free_port)
    log "N=$1: enet-baseline on port $port, snapshot $S B at $SNAPSHOT_RATE Hz, input $I B at $RATE Hz"
    "$BASELINE" server --port "$port" --peers "$1" --snapshot-bytes "$S" --rate "$SNAPSHOT_RATE" \
        > "$OUT/baseline-$1.server.log" 2>&1 &
    server_pid=$!
    wait_udp_port "$port" "$server_pid"
    "$BASELINE" client --host 127.0.0.1 --port "$port" --peers "$1" --input-bytes "$I" \
        --rate "$RATE" --duration "$DURATION" > "$OUT/baseline-$1.client.log" 2>&1 &
    client_pid=$!
}

# Waits for client pid $1 (named $2 in the message), then stops server pid $3.
finish_pair() {
    local rc=0
    wait "$1" || rc=$?
    (( rc == 0 )) || log "N=$N: $2 exited with status $rc"
    stop "$3"
}

# CPU milliseconds per bot per second: per_bot CPU_SECONDS N
per_bot() { calc "$1 / $WINDOW / $2 * 1000"; }
ratio() { awk "BEGIN { if ($2 > 0) printf \"%.2f\", $1 / $2; else print \"n/a\" }"; }

# Reads the bots report: prints "bytes_in_per_bot_per_s bytes_out_per_bot_per_s connected".
read_report() {
    python3 - "$1" <<'EOF'
import json, sys

def find(node, key):
    """The value of `key` at top level, else the first one nested anywhere."""
    if isinstance(node, dict):
        if key in node:
            return node[key]
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return None
    for child in children:
        found = find(child, key)
        if found is not None:
            return found
    return None

report = json.load(open(sys.argv[1]))
rates = [find(report, k) for k in ("bytes_in_per_bot_per_s", "bytes_out_per_bot_per_s")]
if any(not isinstance(r, (int, float)) for r in rates):
    sys.exit("bench-cpu: %s lacks bytes_in/out_per_bot_per_s" % sys.argv[1])
connected = next((find(report, k) for k in ("connected_peak", "connected", "bots_connected", "connected_bots")
                  if find(report, k) is not None), "?")
snapshots = report.get("snapshots", {}).get("per_bot_per_s")
print(rates[0], rates[1], connected, round(snapshots) if isinstance(snapshots, (int, float)) and snapshots >= 1 else "")
EOF
}

# Packet payload bytes from per-bot wire bytes per second and packets per second.
payload_bytes() { awk -v b="$1" -v r="$2" -v o="$ENET_OVERHEAD" 'BEGIN { n = int(b / r - o + 0.5); print (n < 1 ? 1 : n) }'; }

# --- build -----------------------------------------------------------------------
cc -O2 -Wall -o "$BASELINE" tools/enet-baseline.c -lenet
if [[ $BASELINE_ONLY != 1 && $SKIP_BUILD != 1 ]]; then
    log "building seam (release)"
    swift build -c release --product seam >&2
fi
[[ $BASELINE_ONLY == 1 || -x $SEAM ]] || die "no Seam binary at $SEAM"

# --- runs --------------------------------------------------------------------------
echo "| N | zone ms/bot/s | C server ms/bot/s | zone/C | swarm ms/bot/s | C client ms/bot/s | swarm/C | connected Seam/C | S/I bytes | snapshots/s |"
echo "|---|---|---|---|---|---|---|---|---|---|"

(( REPEAT >= 1 )) || die "REPEAT must be at least 1"
RUNS=""
for N in $COUNTS; do for (( r = 0; r < REPEAT; r++ )); do RUNS="$RUNS $N"; done; done

for N in $RUNS; do
    ZONE_MS="" SWARM_MS="" SEAM_CONNECTED="-"
    if [[ $BASELINE_ONLY == 1 ]]; then
        S=$SNAPSHOT_BYTES I=$INPUT_BYTES SNAPSHOT_RATE=$RATE
    else
        # a. Seam zone + bots.
        REPORT="$OUT/seam-$N.json"
        rm -f "$REPORT"
        start_seam "$N" "$REPORT" "seam-$N"
        measure_window "$zone_pid" "$bots_pid"
        ZONE_MS=$(per_bot "$SERVER_CPU" "$N"); SWARM_MS=$(per_bot "$CLIENT_CPU" "$N")
        SEAM_WINDOW=$WINDOW SEAM_ZONE_CPU=$SERVER_CPU SEAM_BOTS_CPU=$CLIENT_CPU
        finish_pair "$bots_pid" "seam bots (see $OUT/seam-$N.bots.log)" "$zone_pid"
        [[ -f $REPORT ]] || die "seam bots wrote no report at $REPORT"

        # b. Packet sizes for the baseline, from the bots' measured traffic.
        fields=$(read_report "$REPORT") || die "could not read $REPORT"
        read -r BYTES_IN BYTES_OUT SEAM_CONNECTED SNAPSHOT_RATE <<< "$fields"
        # A loaded zone may send each bot fewer than RATE snapshots a second (half rate): the baseline
        # server then sends as many as the bots received, of the same mean size.
        SNAPSHOT_RATE=${SNAPSHOT_RATE:-$RATE}
        S=$(payload_bytes "$BYTES_IN" "$SNAPSHOT_RATE"); I=$(payload_bytes "$BYTES_OUT" "$RATE")
    fi

    # c. C baseline with the same N, rate, duration and window; with SIDE_BY_SIDE, beside a second Seam run.
    ALONE=""
    if [[ $SIDE_BY_SIDE == 1 && -n $ZONE_MS ]]; then
        ALONE="{\"zone_ms_per_bot_per_s\": $ZONE_MS, \"swarm_ms_per_bot_per_s\": $SWARM_MS, \"window_s\": $SEAM_WINDOW}"
        REPORT="$OUT/seam-$N.side.json"
        rm -f "$REPORT"
        start_seam "$N" "$REPORT" "seam-$N.side"
        start_baseline "$N"
        measure_side_by_side "$zone_pid" "$bots_pid" "$server_pid" "$client_pid"
        ZONE_MS=$(per_bot "$ZONE_CPU" "$N"); SWARM_MS=$(per_bot "$BOTS_CPU" "$N")
        SEAM_WINDOW=$WINDOW SEAM_ZONE_CPU=$ZONE_CPU SEAM_BOTS_CPU=$BOTS_CPU
        C_SERVER_MS=$(per_bot "$SERVER_CPU" "$N"); C_CLIENT_MS=$(per_bot "$CLIENT_CPU" "$N")
        finish_pair "$client_pid" "enet-baseline client" "$server_pid"
        finish_pair "$bots_pid" "seam bots (see $OUT/seam-$N.side.bots.log)" "$zone_pid"
        [[ -f $REPORT ]] || die "seam bots wrote no report at $REPORT"
        fields=$(read_report "$REPORT") || die "could not read $REPORT"
        read -r BYTES_IN BYTES_OUT SEAM_CONNECTED _ <<< "$fields"
    else
        start_baseline "$N"
        measure_window "$server_pid" "$client_pid"
        C_SERVER_MS=$(per_bot "$SERVER_CPU" "$N"); C_CLIENT_MS=$(per_bot "$CLIENT_CPU" "$N")
        finish_pair "$client_pid" "enet-baseline client" "$server_pid"
    fi
    C_CONNECTED=$(grep -o 'connected=[0-9]*' "$OUT/baseline-$N.client.log" | head -1 | cut -d= -f2)
    C_CONNECTED=${C_CONNECTED:-?}

    # d. Report.
    if [[ -n $ZONE_MS ]]; then
        row_zone=$(printf %.3f "$ZONE_MS") row_swarm=$(printf %.3f "$SWARM_MS")
        row_zr=$(ratio "$ZONE_MS" "$C_SERVER_MS") row_sr=$(ratio "$SWARM_MS" "$C_CLIENT_MS")
    else
        row_zone="-" row_swarm="-" row_zr="-" row_sr="-"
    fi
    printf '| %s | %s | %.3f | %s | %s | %.3f | %s | %s/%s | %s/%s | %s |\n' "$N" \
        "$row_zone" "$C_SERVER_MS" "$row_zr" "$row_swarm" "$C_CLIENT_MS" "$row_sr" \
        "$SEAM_CONNECTED" "$C_CONNECTED" "$S" "$I" "$SNAPSHOT_RATE"

    python3 - >> "$ROWS" <<EOF
import json
def num(s):
    try:
        return float(s)
    except ValueError:
        return None
print(json.dumps({
    "n": $N, "rate_hz": $RATE, "duration_s": $DURATION, "side_by_side": $SIDE_BY_SIDE == 1,
    "seam_alone": ${ALONE:-None},
    "seam": None if "$ZONE_MS" == "" else {
        "window_s": num("${SEAM_WINDOW:-}"),
        "zone_cpu_s": num("${SEAM_ZONE_CPU:-}"), "bots_cpu_s": num("${SEAM_BOTS_CPU:-}"),
        "zone_ms_per_bot_per_s": num("$ZONE_MS"), "swarm_ms_per_bot_per_s": num("$SWARM_MS"),
        "bytes_in_per_bot_per_s": num("${BYTES_IN:-}"), "bytes_out_per_bot_per_s": num("${BYTES_OUT:-}"),
        "connected": num("$SEAM_CONNECTED"),
    },
    "baseline": {
        "snapshot_bytes": $S, "input_bytes": $I, "snapshot_rate_hz": $SNAPSHOT_RATE, "window_s": num("$WINDOW"),
        "server_cpu_s": num("$SERVER_CPU"), "client_cpu_s": num("$CLIENT_CPU"),
        "server_ms_per_bot_per_s": num("$C_SERVER_MS"), "client_ms_per_bot_per_s": num("$C_CLIENT_MS"),
        "connected": num("$C_CONNECTED"),
        "server_summary": open("$OUT/baseline-$N.server.log").read().strip(),
        "client_summary": open("$OUT/baseline-$N.client.log").read().strip(),
    },
    "ratio_zone_to_c_server": num("$row_zr"),
    "ratio_swarm_to_c_client": num("$row_sr"),
}))
EOF
done

python3 - "$ROWS" "$OUT/bench-cpu.json" "$REPEAT" <<'EOF'
import json, sys, platform, os, statistics
rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
repeat = int(sys.argv[3])
medians = []
for n in sorted({r["n"] for r in rows}):
    runs = [r for r in rows if r["n"] == n and r["seam"] is not None]
    if not runs:
        continue
    def med(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if values else None
    medians.append({
        "n": n, "repeats": len(runs),
        "zone_ms_per_bot_per_s": med([r["seam"]["zone_ms_per_bot_per_s"] for r in runs]),
        "c_server_ms_per_bot_per_s": med([r["baseline"]["server_ms_per_bot_per_s"] for r in runs]),
        "ratio_zone_to_c_server": med([r["ratio_zone_to_c_server"] for r in runs]),
        "swarm_ms_per_bot_per_s": med([r["seam"]["swarm_ms_per_bot_per_s"] for r in runs]),
        "c_client_ms_per_bot_per_s": med([r["baseline"]["client_ms_per_bot_per_s"] for r in runs]),
        "ratio_swarm_to_c_client": med([r["ratio_swarm_to_c_client"] for r in runs]),
    })
if repeat > 1 and medians:
    print()
    print("Medians over %d repeats (ratios: the median of the per-pair ratios):" % repeat)
    print()
    print("| N | zone ms/bot/s | C server ms/bot/s | zone/C | swarm ms/bot/s | C client ms/bot/s | swarm/C |")
    print("|---|---|---|---|---|---|---|")
    for m in medians:
        print("| %d | %.3f | %.3f | %.2f | %.3f | %.3f | %.2f |" % (
            m["n"], m["zone_ms_per_bot_per_s"], m["c_server_ms_per_bot_per_s"], m["ratio_zone_to_c_server"],
            m["swarm_ms_per_bot_per_s"], m["c_client_ms_per_bot_per_s"], m["ratio_swarm_to_c_client"]))
json.dump({"host": platform.node(), "cpus": os.cpu_count(), "unit": "CPU ms per connected bot per second",
           "repeat": repeat, "runs": rows, "medians": medians}, open(sys.argv[2], "w"), indent=2)
EOF
rm -f "$ROWS"
log "figures written to $OUT/bench-cpu.json"
