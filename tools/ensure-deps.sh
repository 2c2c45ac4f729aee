#!/usr/bin/env bash
# Installs what Seam needs beyond Swift: libenet-dev (headers, library, pkg-config file), pkg-config.
# Does nothing when they are already there. Uses sudo when not root.
set -euo pipefail
if pkg-config --exists libenet 2>/dev/null; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "installing libenet-dev and pkg-config through apt..." >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -q libenet-dev pkg-config >/dev/null 2>&1 || {
    $SUDO apt-get update -q >/dev/null
    $SUDO apt-get install -y -q libenet-dev pkg-config >/dev/null
}
pkg-config --exists libenet || { echo "libenet-dev is installed but pkg-config cannot find libenet" >&2; exit 1; }
