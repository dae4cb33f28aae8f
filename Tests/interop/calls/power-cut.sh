#!/usr/bin/env bash
# power-cut.sh: a completed call's record survives a power cut right after its BYE. The PBX (SIPp) makes a
# call through the box to the trunk (SIPp) and hangs up; the moment SIPp has the 200 OK to its BYE, the box
# is killed with SIGKILL. The box is started again on the same store; the call's record must be there and
# complete (answered, answer and end times, billable seconds, codec). Three rounds, each a new call.
#
# Usage: Tests/interop/calls/power-cut.sh path/to/trunkbox
set -uo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/peers.sh"   # box_conf_sides, box_conf_sipp_profile, box_run
work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-powercut.XXXXXX")"
box=""; trunk_pid=""
cleanup() { [ -n "$box" ] && kill -9 "$box" 2>/dev/null; [ -n "$trunk_pid" ] && kill "$trunk_pid" 2>/dev/null; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
base=$((20000 + (RANDOM % 400) * 100))
lan=$base; wan=$((base + 1)); trunk=$((base + 20)); rtp=$((base + 1000))
cat >"$work/box.conf" <<CONF
$(box_conf_sides "127.0.0.1:$lan" "127.0.0.3:$wan" 127.0.0.1)
$(box_conf_sipp_profile "127.0.0.3:$trunk" "$rtp-$((rtp + 99))")
CONF
start_box() {
    box_run 60
    for _ in $(seq 100); do [ -S "$work/console.sock" ] && break; sleep 0.1; done
}
records() {
    python3 - "$work/trunkbox.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
n = db.execute("select count(*) from call_record where disposition = 'answered' and sip_cause = 200 and answer_ms is not null"
               " and end_ms >= answer_ms and billable_seconds >= 1 and codec is not null").fetchone()[0]
print(n)
PY
}
fails=0
for round in 1 2 3; do
    start_box
    (cd "$work" && exec sipp -sf "$here/trunk-uas-basic.xml" -i 127.0.0.3 -p "$trunk" -m 1 -nostdin -timeout 30s -set sipuser 99051000000001 \
        >"trunk-$round.out" 2>&1) &
    trunk_pid=$!
    sleep 0.3
    (cd "$work" && sipp -sf "$here/pbx-uac-basic.xml" -i 127.0.0.1 -p $((base + 10)) -m 1 -nostdin -timeout 30s -d 1200 \
        -set caller 201 -set dial 2025550143 "127.0.0.1:$lan" >"pbx-$round.out" 2>&1)
    rc=$?
    kill -9 "$box"; wait "$box" 2>/dev/null; box=""
    wait "$trunk_pid" 2>/dev/null; trunk_pid=""
    [ $rc -eq 0 ] || { echo "FAIL: round $round: the call itself failed"; fails=$((fails + 1)); continue; }
    # Start again on the same store (the integrity check runs), stop cleanly, then read.
    start_box; kill -INT "$box"; wait "$box"; box=""
    have=$(records)
    if [ "$have" -eq "$round" ]; then
        echo "PASS: round $round: killed -9 right after the 200 OK to the BYE; after restart $have complete record(s)"
    else
        echo "FAIL: round $round: $have complete record(s) after restart, $round expected"; fails=$((fails + 1))
    fi
done
grep -q "set aside\|damaged" "$work/box.log" && { echo "FAIL: the store was set aside after a kill"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "power cut: every completed call's record survived kill -9 right after its BYE" || { tail -20 "$work/box.log"; exit 1; }
