#!/usr/bin/env bash
# Run a command in a fresh network namespace (notes/WEBRTC-TESTS.md): only `lo` and a veth pair whose
# zx0 end carries 127.0.0.2, so Chromium and Janus gather exactly one ICE candidate each and every
# packet stays inside. The namespace vanishes with its last process. Needs root (CI runs as root).
set -euo pipefail
if [ "${ZX_IN_NETNS:-}" != "1" ]; then
  exec unshare --net --fork env ZX_IN_NETNS=1 "$0" "$@"
fi
ip link set lo up
ip link add zx0 type veth peer name zx1
ip link set zx1 up
ip link set zx0 up
ip addr add 127.0.0.2/32 dev zx0
exec "$@"
