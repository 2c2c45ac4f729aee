# bench-lib.sh — sourced by the tools/bench-*.sh scripts (not run on its own).
#
# Every background process a benchmark starts is stopped when the script exits, however it exits: `jobs
# -pr` lists only this shell's own still-running background children; each gets SIGTERM and is reaped.
bench_cleanup() {
    local pids pid
    pids=$(jobs -pr)
    for pid in $pids; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $pids; do wait "$pid" 2>/dev/null || true; done
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

# The release build of `seam`, unless SKIP_BUILD=1.
bench_build() {
    if [[ ${SKIP_BUILD:-0} != 1 ]]; then
        echo "$(basename "$0"): building (release)" >&2
        swift build -c release --product seam >&2
    fi
}
