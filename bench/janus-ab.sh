#!/usr/bin/env bash
# A/B runs of Janus settings with the media benchmark at fixed steps (BENCHMARKS.md, `media`).
#   bench/janus-ab.sh OUT_DIR ROUNDS STEPS DURATION NAME='SETTINGS' [NAME='SETTINGS' ...]
# e.g. bench/janus-ab.sh /tmp/janus-ab 2 audio:128,video:64 10 base='' nack0='media.min_nack_queue=0'
# Each round runs every variant once, in order (A B A B ...), each under the machine-wide bench lock
# with `uptime` and /proc/net/sockstat before and after; SETTINGS go to bench/lib/janus-config-wrapper.py
# (ZX_JANUS_SET), which edits the server's generated Janus configuration before exec'ing /usr/bin/janus.
# Writes OUT_DIR/NAME-ROUND.json (the bench's JSON) and OUT_DIR/NAME-ROUND.log (stderr, load).
set -euo pipefail
out=$1 rounds=$2 steps=$3 duration=$4
shift 4
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out"
for round in $(seq 1 "$rounds"); do
  for variant in "$@"; do
    name=${variant%%=*}
    settings=${variant#*=}
    log="$out/$name-$round.log"
    flock /tmp/bench.lock bash -c '
      { echo "settings: $3"; date -u +%FT%TZ; uptime; cat /proc/net/sockstat; } >"$1"
      ZX_BENCH_JANUS_BINARY="$4/bench/lib/janus-config-wrapper.py" ZX_JANUS_SET="$3" \
        npm --prefix "$4" run --silent bench -- media --steps "$5" --duration "$6" >"$2" 2>>"$1" || echo "exit $?" >>"$1"
      { date -u +%FT%TZ; uptime; cat /proc/net/sockstat; } >>"$1"
    ' _ "$log" "$out/$name-$round.json" "$settings" "$root" "$steps" "$duration"
    echo "$name round $round done: $(grep -c forwardedPps "$log" || true) steps measured"
  done
done
