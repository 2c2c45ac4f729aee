#!/usr/bin/env bash
# Runs the demo on a fresh machine: installs libenet-dev when missing, builds seam (release), runs `seam demo`.
# Extra arguments go to `seam demo`, e.g. tools/demo.sh --bots 500 --duration 30
set -euo pipefail
cd "$(dirname "$0")/.."
tools/ensure-deps.sh
swift build -c release --product seam
exec .build/release/seam demo "$@"
