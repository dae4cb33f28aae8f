#!/usr/bin/env bash
# run.sh: the box's calls against SIPp on both sides, on loopback. SIPp plays the office PBX (LAN) and the
# Skype Connect trunk (WAN); `trunkbox run --config` starts the box with one IP-authenticated profile of two
# channels. Each check passes when every SIPp exits 0 (the scenarios' own assertions, see README.md) and
# the box's log and store say the same. At the end the box must hold no call, dialog, channel or media
# port, and every call must have its record.
#
# Usage: Tests/interop/calls/run.sh path/to/trunkbox
set -uo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/peers.sh"   # box_conf_sides, box_conf_numbering_us, box_run (this script keeps its own pass/fail)
work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-calls.XXXXXX")"
box=""; pids=()
cleanup() { [ -n "$box" ] && kill "$box" 2>/dev/null; for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
command -v sipp >/dev/null || { echo "FAIL: sipp is not installed (scripts/setup installs sip-tester)"; exit 1; }

base=$((20000 + (RANDOM % 400) * 100))
lan=$base; wan=$((base + 1)); pbx=$((base + 10)); trunk=$((base + 20)); rtp=$((base + 1000))
sipuser=99051000000001; password='Trunk-Pass-77'; did=+12025550100; cli=+442071234567
passes=0; fails=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; for f in "$work/$1"/*errors.log "$work/$1"/*.out; do [ -s "$f" ] && { echo "  --- $f"; grep -v '^ *$' "$f" | grep -vE '^[-+|= ]*$' | tail -n 12 | cut -c1-200 | sed 's/^/  | /'; }; done; }

cat >"$work/box.conf" <<CONF
hostname calls-test
$(box_conf_sides "127.0.0.1:$lan" "127.0.0.3:$wan" "127.0.0.1:$pbx")
profile sales
 registrar 127.0.0.3:$trunk
 auth ip
 sip-user $sipuser
 password $password
 channels 2
 keepalive 0
 caller-id $did
 online-number $did extension 201
profile engineering
 registrar 127.0.0.3:$((trunk + 5))
 auth ip
 keepalive 0
 sip-user 99051000000002
 channels 1
routing
 route extensions 300-399 profile engineering
 default-profile sales
$(box_conf_numbering_us)
media
 rtp-ports $rtp-$((rtp + 199))
 rtp-timeout 120
CONF
box_run 300
wait_for "$work/box.log" "listening for SIP on udp 127.0.0.3:$wan" 10

# The PBX side is 127.0.0.1, the trunk side 127.0.0.3 (both loopback), so topology hiding can be checked.
sipp_opts=(-nostdin -timeout 30s -timeout_error -trace_err -trace_logs -trace_msg)
# trunk_uas NAME SCENARIO CALLS [ARGS...]: the trunk side (the profile has keepalive 0: no OPTIONS reach it).
trunk_uas() {
    local name=$1 scenario=$2 calls=$3; shift 3
    mkdir -p "$work/$name"
    (cd "$work/$name" && exec sipp -sf "$here/$scenario" -i 127.0.0.3 -p "$trunk" -m "$calls" "${sipp_opts[@]}" -set sipuser "$sipuser" "$@" >trunk.out 2>&1) &
    trunk_pid=$!; pids+=("$trunk_pid")
    sleep 0.3
}
# pbx_uac NAME SCENARIO PORT [ARGS...]: one call from the PBX side; returns SIPp's status.
pbx_uac() {
    local name=$1 scenario=$2 port=$3; shift 3
    mkdir -p "$work/$name"
    (cd "$work/$name" && exec sipp -sf "$here/$scenario" -i 127.0.0.1 -p "$port" -m 1 "${sipp_opts[@]}" -set caller "${CALLER:-201}" "$@" "127.0.0.1:$lan" >pbx.out 2>&1)
}
# pair NAME UAC UAS: an outgoing call, both sides' verdicts.
pair() {
    local name=$1 uac=$2 uas=$3 d=${4:-1000}; shift 3; [ $# -gt 0 ] && shift
    trunk_uas "$name" "$uas" 1 -d "$d" "$@"
    pbx_uac "$name" "$uac" $((pbx + 1)) -set dial 912025550143 -d "$d"; local uac_rc=$?
    wait "$trunk_pid"; local uas_rc=$?
    if [ $uac_rc -eq 0 ] && [ $uas_rc -eq 0 ]; then pass "$name ($uac <-> $uas)"; else fail "$name" ; echo "  (PBX exit $uac_rc, trunk exit $uas_rc)"; fi
}

# Session timers, in the background (the refresh comes at half of 90 s): extension 301 is routed to the
# engineering profile, whose trunk answers with Session-Expires: 90; the box must refresh both legs.
mkdir -p "$work/session-timer"
(cd "$work/session-timer" && exec sipp -sf "$here/trunk-uas-refresh.xml" -i 127.0.0.3 -p $((trunk + 5)) -m 1 "${sipp_opts[@]}" \
    -timeout 80s -set sipuser 99051000000002 >trunk.out 2>&1) &
st_trunk=$!; pids+=("$st_trunk")
sleep 0.3
(CALLER=301 pbx_uac session-timer pbx-uac-refresh.xml $((pbx + 7)) -set dial 912025550146 -d 1000 -timeout 80s) &
st_pbx=$!

pair basic pbx-uac-basic.xml trunk-uas-basic.xml
pair early-media pbx-uac-183.xml trunk-uas-183.xml
# RFC 3262 on both legs: the PBX requires 100rel (the box sends its 183 reliably and holds the 200 until the
# PRACK); the trunk sends a reliable 183 (the box PRACKs it with the right RAck).
pair prack pbx-uac-100rel.xml trunk-uas-100rel.xml
pair busy pbx-uac-486.xml trunk-uas-486.xml
pair cancel pbx-uac-cancel.xml trunk-uas-cancel.xml 1500
pair hold pbx-uac-hold.xml trunk-uas-hold.xml
pair update-hold pbx-uac-update.xml trunk-uas-update.xml
pair delayed-offer pbx-uac-delayed.xml trunk-uas-basic.xml
pair reinvite-from-trunk pbx-uac-refresh.xml trunk-uas-reinvite.xml 2500
# The box retransmits its 2xx to the trunk's re-INVITE only until the trunk's ACK (§13.3.1.4): exactly one here.
oks=$(awk '/message received/{r=1} /message sent/{r=0} r && /^SIP\/2.0 200/{n++} END{print n+0}' "$work/reinvite-from-trunk/"trunk-uas-reinvite_*_messages.log)
[ "$oks" -eq 1 ] && pass "reinvite-from-trunk: the trunk's ACK stopped the box's 2xx (1 received)" || fail reinvite-from-trunk
pair trunk-hangs-up pbx-uac-trunkbye.xml trunk-uas-bye.xml
pair proxy-auth pbx-uac-basic.xml trunk-uas-407.xml
if python3 "$here/digest-check.py" "$work/proxy-auth/"trunk-uas-407_*_logs.log "$password" >"$work/proxy-auth/digest.out" 2>&1; then
    pass "proxy-auth: the box answered 407 with the profile's SIP user name and password (digest recomputed)"
else fail proxy-auth; cat "$work/proxy-auth/digest.out"; fi
pair www-auth pbx-uac-basic.xml trunk-uas-401.xml 1000 -set password "$password"

# One call too many: two calls hold both channels, the third hears 503 with Retry-After and never reaches the trunk.
trunk_uas overflow trunk-uas-basic.xml 2 -d 6000
(pbx_uac overflow-1 pbx-uac-basic.xml $((pbx + 2)) -set dial 912025550143 -d 6000) & c1=$!
(pbx_uac overflow-2 pbx-uac-basic.xml $((pbx + 3)) -set dial 912025550144 -d 6000) & c2=$!
for _ in $(seq 50); do [ "$(grep -c "answered" "$work/box.log")" -ge 8 ] && break; sleep 0.1; done
sleep 0.5
pbx_uac overflow pbx-uac-expect-503.xml $((pbx + 4)) -set dial 912025550145 -set want 503; r3=$?
wait $c1; r1=$?; wait $c2; r2=$?; wait "$trunk_pid"; ru=$?
invites=$(cat "$work/overflow/"trunk-uas-basic_*_messages.log | grep -c "^INVITE sip:00")
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ $r3 -eq 0 ] && [ $ru -eq 0 ] && grep -q "all 2 channels of profile sales are in use" "$work/box.log" && [ "$invites" -eq 2 ]; then
    pass "overflow: 2 calls on 2 channels, the 3rd refused 503 with Retry-After before the trunk (trunk saw $invites INVITEs)"
else fail overflow; echo "  (calls $r1 $r2, third $r3, trunk $ru)"; fi

# Emergency number: never to the trunk; no analog line here, so 403 with a Reason.
pbx_uac emergency pbx-uac-emergency.xml $((pbx + 5)) && grep -q "403 emergency calls" "$work/box.log" \
    && pass "emergency: 911 refused 403 with a Reason, nothing sent to the trunk" || fail emergency

# A stranger on the LAN (127.0.0.2 is not the PBX): 403 with a Reason.
mkdir -p "$work/stranger"
(cd "$work/stranger" && sipp -sf "$here/pbx-uac-emergency.xml" -i 127.0.0.2 -p $((pbx + 6)) -m 1 -nostdin -timeout 20s -timeout_error \
    -trace_err -set caller 201 "127.0.0.1:$lan" >pbx.out 2>&1) && grep -q "403 calls are accepted only from the configured PBX" "$work/box.log" \
    && pass "stranger: an INVITE from 127.0.0.2 refused 403 (not the PBX)" || fail stranger

# Incoming: the trunk calls the Online Number; the PBX sees extension 201.
incoming() {
    local name=$1 uac=$2 uas=$3
    mkdir -p "$work/$name"
    (cd "$work/$name" && exec sipp -sf "$here/$uas" -i 127.0.0.1 -p "$pbx" -m 1 "${sipp_opts[@]}" -set ext 201 >pbxside.out 2>&1) & local u=$!
    sleep 0.3
    (cd "$work/$name" && sipp -sf "$here/$uac" -i 127.0.0.3 -p "$trunk" -m 1 "${sipp_opts[@]}" -set sipuser "$sipuser" -set did "$did" -set cli "$cli" \
        -d 1000 "127.0.0.3:$wan" >trunkside.out 2>&1); local c=$?
    wait $u; local s=$?
    if [ $c -eq 0 ] && [ $s -eq 0 ]; then pass "$name ($uac -> $uas)"; else fail "$name"; echo "  (trunk exit $c, PBX exit $s)"; fi
}
incoming incoming trunk-uac-incoming.xml pbx-uas-incoming.xml
incoming incoming-busy trunk-uac-486.xml pbx-uas-486.xml

wait $st_pbx; r1=$?; wait $st_trunk; r2=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && grep -q "session refresh received" "$work/session-timer/"pbx-uac-refresh_*_logs.log \
   && grep -q "session refresh received" "$work/session-timer/"trunk-uas-refresh_*_logs.log; then
    pass "session timers: extension 301 routed to profile engineering; the box refreshed both legs (re-INVITE within the 90 s interval)"
else fail session-timer; echo "  (PBX exit $r1, trunk exit $r2)"; fi

# Topology hiding: nothing the trunk side received names the LAN (127.0.0.1), nothing the PBX received names the WAN.
leaks_wan=$(cat "$work"/*/trunk-*_messages.log | grep -v "^-\|message sent\|message received\|^$" | grep -c "127\.0\.0\.1" || true)
leaks_lan=$(cat "$work"/*/pbx-*_messages.log | grep -c "127\.0\.0\.3" || true)
[ "$leaks_wan" -eq 0 ] && [ "$leaks_lan" -eq 0 ] && [ "$(cat "$work"/*/trunk-*_messages.log | grep -c "127\.0\.0\.3")" -gt 0 ] \
    && pass "topology hiding: no LAN address in what the trunk received, no trunk address in what the PBX received" \
    || { fail topology; cat "$work"/*/trunk-*_messages.log | grep -n "127\.0\.0\.1" | head -5; cat "$work"/*/pbx-*_messages.log | grep -n "127\.0\.0\.3" | head -5; }

# Everything released, every call recorded.
sleep 1
kill -INT "$box"; wait "$box"; box=""
grep "calls at stop:" "$work/box.log" | grep -q "calls 0, dialogs 0, channels 0, media sessions 0, media ports 0" \
    && pass "after the calls: no call, dialog, channel, media session or port held ($(grep -o 'calls at stop:.*' "$work/box.log"))" \
    || { fail release; grep "calls at stop" "$work/box.log"; }
# Every call has its record, complete, with the right outcome and billing.
if python3 - "$work/trunkbox.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
rows = db.execute("select direction, disposition, sip_cause, called, extension, billable_seconds, billing, codec,"
                  " start_ms, answer_ms, end_ms, profile from call_record order by id").fetchall()
for r in rows: print("  record:", *r[:8])
def count(want):
    return sum(1 for r in rows if all(r[i] == v for i, v in want.items()))
problems = []
# basic, early media, hold, UPDATE hold, trunk hangs up, 407, 401, the first overflow call: answered, outgoing, credit
if count({0: "outgoing", 1: "answered", 2: 200, 3: "+12025550143", 6: "credit"}) < 10: problems.append("answered outgoing calls to +12025550143")
if count({0: "outgoing", 1: "answered", 3: "+12025550144"}) != 1: problems.append("the second overflow call")
if count({0: "outgoing", 1: "busy", 2: 486, 5: 0}) != 1: problems.append("the busy call (486, 0 s)")
if count({0: "outgoing", 1: "cancelled", 2: 487, 5: 0}) != 1: problems.append("the cancelled call (487, 0 s)")
if count({0: "incoming", 1: "answered", 3: "+12025550100", 4: "201", 6: "free"}) != 1: problems.append("the incoming call to 201")
if count({0: "incoming", 1: "busy", 4: "201"}) != 1: problems.append("the incoming busy call")
if any(r[9] is not None and r[5] < 1 for r in rows): problems.append("an answered call with no billable second")
if any(r[9] is not None and not r[7] for r in rows): problems.append("an answered call without its codec")
if count({11: "engineering", 1: "answered", 3: "+12025550146"}) != 1: problems.append("the engineering call (session timer)")
# Refusals by the rules are recorded (the overflow 503, the emergency 403); the stranger's 403 is only counted.
if count({0: "outgoing", 1: "refused", 2: 503, 3: "+12025550145"}) != 1: problems.append("the refused overflow call (503)")
if count({0: "outgoing", 1: "refused", 2: 403, 3: "911"}) != 1: problems.append("the refused emergency call (403)")
if len(rows) != 19: problems.append(f"{len(rows)} records: 17 calls were made and 2 refused by the rules")
print("  problems:", "; ".join(problems) if problems else "none")
sys.exit(1 if problems else 0)
PY
then pass "call records: one per call, complete (outcome, cause, numbers, extension, billing, codec, times)"
else fail records; fi

echo "calls interop: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
