# bench-lib.sh — sourced by the tools/bench-*.sh scripts (not run on its own): cleanup of background
# processes, the release build, a free UDP port, a process's CPU ticks.
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

# A UDP port free on 127.0.0.1 right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# CPU ticks (utime + stime, all threads) of live process $1 ($2 names it in the error).
cpu_ticks() {
    local stat rest
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || {
        echo "$(basename "$0"): process $1${2:+ ($2)} exited before the measurement window closed" >&2
        exit 1
    }
    rest=${stat##*) }             # fields from 3 (state) on; comm may hold spaces
    read -r -a f <<< "$rest"
    echo $(( f[11] + f[12] ))     # fields 14 (utime) and 15 (stime)
}
