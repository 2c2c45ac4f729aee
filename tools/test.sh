#!/usr/bin/env bash
# Runs every test on a fresh machine: installs libenet-dev when missing, builds, tests.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/ensure-deps.sh
# The integration tests run the `seam` binary: build it along with the tests.
swift build --build-tests
swift test --skip-build "$@"
