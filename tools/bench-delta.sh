#!/usr/bin/env bash
# bench-delta.sh — bytes per bot per second with delta snapshots and with full snapshots, one after the
# other in the same run: Maps/quad.map as a cluster, BOTS wandering bots for DURATION seconds each.
#
# Usage: tools/bench-delta.sh            # BOTS=1000 DURATION=30
#        BOTS=500 DURATION=20 SKIP_BUILD=1 tools/bench-delta.sh
# Output: a Markdown table on stdout; the bots' reports in $OUT (default out/bench-delta).
set -euo pipefail
cd "$(dirname "$0")/.."
BOTS=${BOTS:-1000}
DURATION=${DURATION:-30}
OUT=${OUT:-out/bench-delta}
SEAM=${SEAM:-.build/release/seam}
OFFSET=${OFFSET:-2500}
[ "${SKIP_BUILD:-0}" = 1 ] || swift build -c release --product seam >&2
mkdir -p "$OUT"
export SEAM_SECRET=${SEAM_SECRET:-$(python3 -c 'import secrets; print(secrets.token_hex(32))')}
cluster_pid=""
trap '[ -n "$cluster_pid" ] && kill "$cluster_pid" 2>/dev/null; wait 2>/dev/null || true' EXIT

run() {  # $1 = label, $2 = extra cluster flag
    "$SEAM" cluster --map Maps/quad.map --port-offset "$OFFSET" --capacity $((BOTS + 100)) $2 > "$OUT/cluster-$1.log" 2>&1 &
    cluster_pid=$!
    sleep 2
    "$SEAM" bots --map Maps/quad.map --port-offset "$OFFSET" --count "$BOTS" --duration "$DURATION" \
        --behavior wander --no-dashboard --report "$OUT/bots-$1.json" > "$OUT/bots-$1.log" 2>&1
    kill -TERM "$cluster_pid"; wait "$cluster_pid" || true; cluster_pid=""
}

run delta ""
run full "--no-delta"
python3 - "$OUT" <<'PY'
import json, sys
out = sys.argv[1]
d = json.load(open(f"{out}/bots-delta.json")); f = json.load(open(f"{out}/bots-full.json"))
def row(name, r):
    s = r["snapshots"]
    return f"| {name} | {r['bytes_in_per_bot_per_s']:.0f} | {s['bytes_mean']:.0f} | {s['bytes_max']} | {s['entities_mean']:.1f} | {s['per_bot_per_s']:.1f} | {r['bots']['connected_peak']} | {r['bots']['disconnects']} |"
print("| snapshots | bytes in per bot per s | snapshot bytes mean | max | entities mean | snapshots per bot per s | connected | disconnects |")
print("|---|---|---|---|---|---|---|---|")
print(row("delta", d)); print(row("full (--no-delta)", f))
print(f"\nfull / delta: {f['bytes_in_per_bot_per_s'] / d['bytes_in_per_bot_per_s']:.2f}x bytes in per bot per s, "
      f"{f['snapshots']['bytes_mean'] / d['snapshots']['bytes_mean']:.2f}x snapshot bytes")
PY
