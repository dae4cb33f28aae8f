#!/usr/bin/env bash
# pbx-auth.sh: the box's own digest credentials for the PBX (pbx username/password). SIPp as the PBX:
# with the right password (answering the box's 407) the call goes through to SIPp as the trunk; with a
# wrong password it is refused 407 again and the box counts and logs it; the password never shows in
# the box's log.
#
# Usage: Tests/interop/calls/pbx-auth.sh path/to/trunkbox
set -uo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
. "$here/../lib/peers.sh"   # box_conf_sides, box_conf_sipp_profile, box_run
work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-pbxauth.XXXXXX")"
box=""; trunk_pid=""
cleanup() { [ -n "$box" ] && kill "$box" 2>/dev/null; [ -n "$trunk_pid" ] && kill "$trunk_pid" 2>/dev/null; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
base=$((20000 + (RANDOM % 400) * 100))
lan=$base; wan=$((base + 1)); trunk=$((base + 20)); rtp=$((base + 1000))
cat >"$work/box.conf" <<CONF
$(box_conf_sides "127.0.0.1:$lan" "127.0.0.3:$wan" 127.0.0.1)
 username pbx1
 password Pbx-Secret-9
$(box_conf_sipp_profile "127.0.0.3:$trunk" "$rtp-$((rtp + 99))")
CONF
box_run 60
wait_for "$work/box.log" "listening for SIP on udp 127.0.0.3:$wan" 10
fails=0
(cd "$work" && exec sipp -sf "$here/trunk-uas-basic.xml" -i 127.0.0.3 -p "$trunk" -m 1 -nostdin -timeout 20s -set sipuser 99051000000001 \
    >trunk.out 2>&1) &
trunk_pid=$!
sleep 0.3
if (cd "$work" && sipp -sf "$here/pbx-uac-auth.xml" -i 127.0.0.1 -p $((base + 10)) -m 1 -nostdin -timeout 20s -timeout_error -trace_err \
        -au pbx1 -ap Pbx-Secret-9 -set caller 201 -set dial 2025550143 "127.0.0.1:$lan" >right.out 2>&1) && wait "$trunk_pid"; then
    echo "PASS: the PBX answered the box's 407 with the right password: the call reached the trunk and ended cleanly"
else echo "FAIL: right password"; tail -5 "$work"/*errors.log 2>/dev/null; fails=$((fails + 1)); fi
trunk_pid=""
if (cd "$work" && sipp -sf "$here/pbx-uac-auth.xml" -i 127.0.0.1 -p $((base + 11)) -m 1 -nostdin -timeout 8s -timeout_error \
        -au pbx1 -ap wrong-password -set caller 201 -set dial 2025550143 "127.0.0.1:$lan" >wrong.out 2>&1); then
    echo "FAIL: a wrong password was accepted"; fails=$((fails + 1))
elif grep -q "the PBX's credentials are wrong (407)" "$work/box.log"; then
    echo "PASS: a wrong password is refused with a new 407 and logged"
else echo "FAIL: the wrong password was not logged"; fails=$((fails + 1)); fi
kill -INT "$box"; wait "$box"; box=""
grep -q "refused credentials 1" "$work/box.log" && echo "PASS: the box counted 1 refused credential" || { echo "FAIL: count"; grep "calls at stop" "$work/box.log"; fails=$((fails + 1)); }
grep -q "Pbx-Secret-9" "$work/box.log" && { echo "FAIL: the PBX password appears in the log"; fails=$((fails + 1)); }
[ "$fails" -eq 0 ] && echo "pbx auth: digest credentials of the box's own work against SIPp" || { cat "$work/box.log" | tail -20; exit 1; }
