#!/usr/bin/env bash
# options-sipp.sh: SIPp (a third-party SIP peer) sends OPTIONS and an INVITE to `trunkbox run` on
# loopback (factory default config: no PBX yet); both responses must be correct, for 20 calls, with no SIPp failures.
set -euo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
"$bin" run --lan "127.0.0.1:$port" --wan "127.0.0.1:$((port + 1))" --db "$work/trunkbox.db" \
    --console-socket "$work/console.sock" --no-serial-console --duration 60 >"$work/box.log" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q "listening for SIP on udp 127.0.0.1:$port" "$work/box.log" && break; sleep 0.1; done
cd "$work"
if ! sipp -sf "$here/options.xml" -m 20 -r 20 -i 127.0.0.1 -p $((port + 2)) -timeout 20 -timeout_error \
     -trace_stat -stf stats.csv -nostdin "127.0.0.1:$port" >sipp.out 2>&1; then
  echo "FAIL: SIPp reported failures"; cat sipp.out; cat "$work/box.log"; exit 1
fi
ok=$(grep -c 'OPTIONS -> 200 OK' box.log || true)
refused=$(grep -c 'call refused (LAN 127.0.0.1): 403 calls are accepted only from the configured PBX' box.log || true)
[ "$ok" -ge 20 ] && [ "$refused" -ge 20 ] || { echo "FAIL: box answered $ok OPTIONS and $refused INVITEs"; cat box.log; exit 1; }
echo "SIPp interop: 20 OPTIONS answered 200, 20 INVITEs from an unconfigured PBX refused 403 with a Reason, no SIPp failures"
