#!/usr/bin/env bash
# load.sh: the box at full size, on loopback. One IP-authenticated profile of 300 channels (keepalive 0);
# SIPp as the PBX (pbx-uac-load.xml) places 301 outgoing calls at 100/s, each held HOLD_MS (8 s), so all
# answered calls overlap; SIPp as the trunk (trunk-uas-basic.xml) answers 200 and waits for the box's BYE.
# Asserts:
#   - exactly 300 calls answered and exactly 1 refused 503 with Retry-After (the 301st INVITE), seen by
#     the PBX; the trunk saw exactly 300 INVITEs; the box logged 300 "call #N answered" lines and
#     "all 300 channels of profile load are in use";
#   - while the 300 are up, the box holds 4 x 300 = 1,200 UDP sockets in its RTP range (an RTP/RTCP pair
#     per leg, two legs per call), read with `ss -uan`;
#   - after every call has ended, the box's "calls at stop" line (SIGINT) says calls 0, dialogs 0,
#     channels 0, media sessions 0, media ports 0, refused overflow 1, records 301; and transactions 0,
#     because the box is stopped LINGER_S (34) seconds after the last BYE: UDP transactions outlive their
#     final answer by 64*T1 = 32 s (server INVITE Timer L, client INVITE Timer M, server non-INVITE
#     Timer J). With LINGER_S below 33 the transaction count is printed, not asserted;
#   - the store (call_record, read-only) holds 301 records: 300 outgoing, answered, cause 200, and the
#     301st, refused 503 (calls refused by the rules are recorded too).
# Prints PASS/FAIL lines; exits 1 on any failure. About 60 s (25 s with LINGER_S=2).
#
# Usage: Tests/interop/calls/load.sh path/to/trunkbox
# Environment: HOLD_MS (8000), RATE (100), LINGER_S (34), KEEP_WORK=1 keeps the work folder.
set -uo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/peers.sh"   # box_conf_sides, box_conf_numbering_us, box_run, wait_for, pass/fail
work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-load.XXXXXX")"
hold="${HOLD_MS:-8000}"; rate="${RATE:-100}"; linger="${LINGER_S:-34}"
channels=300; calls=$((channels + 1))
box=""; pids=()
cleanup() { [ -n "$box" ] && kill "$box" 2>/dev/null; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; [ "${KEEP_WORK:-0}" = 1 ] && echo "work folder: $work" || rm -rf "$work"; }
trap cleanup EXIT
for tool in sipp ss python3; do command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }; done
[ $((calls * 1000 / rate)) -lt "$hold" ] || { echo "FAIL: $calls calls at $rate/s take longer than the hold time $hold ms: they would not overlap"; exit 1; }

# Ports: 30000-49999 on 127.0.0.1 only; SIP at base..base+20, RTP base+100..base+1499 (1,400 ports, 350 pairs).
port_free() { [ -z "$(ss -Hanu "sport = :$1")" ]; }
for _ in $(seq 50); do
    base=$((30000 + (RANDOM % 93) * 200))
    port_free "$base" && port_free $((base + 1)) && port_free $((base + 10)) && port_free $((base + 20)) \
        && [ "$(ss -Hanu | awk -v lo=$((base + 100)) -v hi=$((base + 1499)) '{ n = split($4, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi) c++ } END { print c + 0 }')" = 0 ] && break
done
lan=$base; wan=$((base + 1)); pbx=$((base + 10)); trunk=$((base + 20)); rtp_lo=$((base + 100)); rtp_hi=$((base + 1499))
sipuser=99051000000001; did=+12025550100
passes=0; fails=0
show() { for f in "$@"; do [ -s "$f" ] && { echo "  --- $f"; grep -v '^ *$' "$f" | grep -vE '^[-+|= ]*$' | tail -n 12 | cut -c1-200 | sed 's/^/  | /'; }; done; }
# rtp_sockets: UDP sockets bound in the RTP range (all of them are the box's: nothing else uses the range).
rtp_sockets() { ss -Hanu | awk -v lo=$rtp_lo -v hi=$rtp_hi '{ n = split($4, a, ":"); p = a[n] + 0; if (p >= lo && p <= hi) c++ } END { print c + 0 }'; }

cat >"$work/box.conf" <<CONF
hostname load-test
$(box_conf_sides "127.0.0.1:$lan" "127.0.0.1:$wan" "127.0.0.1:$pbx")
profile load
 registrar 127.0.0.1:$trunk
 auth ip
 sip-user $sipuser
 channels $channels
 keepalive 0
 caller-id $did
 online-number $did extension 201
routing
 default-profile load
$(box_conf_numbering_us)
media
 rtp-ports $rtp_lo-$rtp_hi
CONF
box_run 600
wait_for "$work/box.log" "listening for SIP on udp 127.0.0.1:$wan" 10 || { fail "the box did not start"; tail -20 "$work/box.log"; exit 1; }
idle_rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$box/status")
[ "$(rtp_sockets)" = 0 ] || fail "RTP sockets bound before any call: $(rtp_sockets)"

sipp_opts=(-i 127.0.0.1 -nostdin -timeout $((hold / 1000 + 40))s -timeout_error -trace_err -trace_logs)
mkdir -p "$work/trunk" "$work/pbx"
(cd "$work/trunk" && exec sipp -sf "$here/trunk-uas-basic.xml" -p "$trunk" -m "$channels" "${sipp_opts[@]}" -set sipuser "$sipuser" >trunk.out 2>&1) &
trunk_pid=$!; pids+=("$trunk_pid")
sleep 0.3
t0=$(date +%s.%N)
(cd "$work/pbx" && exec sipp -sf "$here/pbx-uac-load.xml" -p "$pbx" -r "$rate" -m "$calls" -l "$calls" -d "$hold" "${sipp_opts[@]}" \
    -set dial 912025550143 -set caller 201 "127.0.0.1:$lan" >pbx.out 2>&1) &
pbx_pid=$!; pids+=("$pbx_pid")

# While all are up: wait for 300 "answered" in the box's log and the PBX's verdict on the 301st.
pbxlog() { cat "$work/pbx/"pbx-uac-load_*_logs.log 2>/dev/null; }
for _ in $(seq $((hold / 100))); do
    [ "$(grep -c "answered$" "$work/box.log")" -ge "$channels" ] && [ "$(pbxlog | grep -c "refused 503")" -ge 1 ] && break
    sleep 0.1
done
up_at=$(awk -v t0="$t0" -v now="$(date +%s.%N)" 'BEGIN { printf "%.1f", now - t0 }')
sockets=$(rtp_sockets)
peak_rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$box/status")
up_answered=$(grep -c "^.*call #[0-9]* answered$" "$work/box.log")
still_up=$(( $(grep -c "answered$" "$work/box.log") - $(grep -c "BYE from the PBX" "$work/box.log") ))
if [ "$up_answered" -eq "$channels" ] && [ "$still_up" -eq "$channels" ] && [ "$sockets" -eq $((4 * channels)) ]; then
    pass "all $channels calls up at once ${up_at} s after the first INVITE: box logged $up_answered answered, none hung up yet, $sockets RTP/RTCP sockets bound in $rtp_lo-$rtp_hi (4 x $channels)"
else
    fail "while up (${up_at} s): box logged $up_answered answered, $still_up still up, $sockets RTP/RTCP sockets in $rtp_lo-$rtp_hi (want $channels, $channels, $((4 * channels)))"
fi
echo "  (box RSS: $idle_rss kB idle, $peak_rss kB with $still_up calls up)"

wait "$pbx_pid"; pbx_rc=$?
wait "$trunk_pid"; trunk_rc=$?
pids=()
ended=$(date +%s)
answered=$(pbxlog | grep -c "answered$"); refused=$(pbxlog | grep -c "refused 503 (Retry-After: [0-9]")
refused_n=$(pbxlog | sed -n 's/.*load: call \([0-9]*\) refused.*/\1/p' | tr '\n' ' ')
invites=$(grep -c "trunk: INVITE" "$work/trunk/"trunk-uas-basic_*_logs.log 2>/dev/null)
if [ "$pbx_rc" -eq 0 ] && [ "$trunk_rc" -eq 0 ] && [ "$answered" -eq "$channels" ] && [ "$refused" -eq 1 ] && [ "$invites" -eq "$channels" ] \
    && [ "${refused_n% }" = "$calls" ] && grep -q "all $channels channels of profile load are in use" "$work/box.log"; then
    pass "$calls calls placed: $answered answered, $refused refused 503 with Retry-After (call ${refused_n% }, the last), trunk saw $invites INVITEs; both SIPps exit 0"
else
    fail "$calls calls placed: $answered answered, $refused refused 503 (calls: ${refused_n:-none}), trunk saw $invites INVITEs; PBX SIPp exit $pbx_rc, trunk SIPp exit $trunk_rc (want $channels, 1 = call $calls, $channels, 0, 0)"
    show "$work/pbx/"*errors.log "$work/pbx/pbx.out" "$work/trunk/"*errors.log "$work/trunk/trunk.out"
    grep -E "failed|refus|in use|no answer|time-out" "$work/box.log" | head -5 | sed 's/^/  | /'
fi

sleep 2
sockets=$(rtp_sockets)
[ "$sockets" -eq 0 ] && pass "after the calls: no RTP/RTCP socket bound in $rtp_lo-$rtp_hi" || fail "after the calls: $sockets RTP/RTCP sockets still bound in $rtp_lo-$rtp_hi"
if [ "$linger" -ge 33 ]; then
    left=$((ended + linger - $(date +%s)))
    echo "  (waiting ${left} s so the transactions' Timer J/L/M (32 s) end before the box is stopped)"
    [ "$left" -gt 0 ] && sleep "$left"
fi
kill -INT "$box"; wait "$box"; box=""
stop="$(grep -o 'calls at stop:.*' "$work/box.log")"
want="calls 0, dialogs 0, channels 0, media sessions 0, media ports 0"
if [ "$linger" -ge 33 ]; then want="$want, transactions 0"; fi
if grep -q "$want" <<<"$stop" && grep -q "refused overflow 1," <<<"$stop" && grep -q "records $((channels + 1))\$" <<<"$stop"; then
    pass "after the calls (stopped $([ "$linger" -ge 33 ] && echo "${linger} s" || echo "2 s") after the last): nothing held ($stop)"
else
    fail "after the calls: want '$want, ..., refused overflow 1, records $((channels + 1))', box says: ${stop:-(no calls at stop line)}"
fi
[ "$linger" -ge 33 ] || echo "  (transactions not asserted: stopped before Timer J/L/M (32 s) could end them; LINGER_S=34 asserts 0)"

if python3 - "$work/trunkbox.db" "$channels" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
want = int(sys.argv[2])
rows = db.execute("select direction, disposition, sip_cause, called, profile, billable_seconds, answer_ms from call_record").fetchall()
good = [r for r in rows if r[0] == "outgoing" and r[1] == "answered" and r[2] == 200 and r[3] == "+12025550143"
        and r[4] == "load" and r[6] is not None and r[5] >= 1]
print(f"  records: {len(rows)}, answered outgoing to +12025550143 with a billable second: {len(good)}")
refused = [r for r in rows if r[0] == "outgoing" and r[1] == "refused" and r[2] == 503 and r[6] is None]
for r in rows:
    if r not in good and r not in refused: print("  other record:", *r)
sys.exit(0 if len(rows) == want + 1 and len(good) == want and len(refused) == 1 else 1)
PY
then pass "store: $channels answered call records and the refused 301st (503)"
else fail "store: want exactly $channels answered records and one refused"; fi

errors=$(grep -ciE "error|warning|crash|fatal" "$work/box.log")
[ "$errors" -eq 0 ] || { echo "  (box log has $errors lines with error/warning:)"; grep -iE "error|warning|crash|fatal" "$work/box.log" | head -5 | sed 's/^/  | /'; }
echo "calls load: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
