#!/usr/bin/env bash
# sipp.sh: SIPp (a third-party SIP peer, not our stack) against `trunkbox emulate-trunk` on loopback:
# SIPp registers the Sales profile with digest (401), places a call to a US number that is challenged (407)
# and then answered (180, 200 with SDP) with the far end's tone echoed back by SIPp (-rtp_echo), talks for
# 3 s and hangs up. Then asserts from the emulator's own log and control socket: the binding, the call
# answered and billed 1 minute from the US bundle, RTP both ways, the caller ID replaced.
#
# Usage: Tests/interop/emulator/sipp.sh path/to/trunkbox
set -uo pipefail
bin="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-emu.XXXXXX")"
emu=""
cleanup() { [ -n "$emu" ] && kill "$emu" 2>/dev/null; [ "${KEEP_WORK:-0}" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
base=$((20000 + (RANDOM % 400) * 100))
sed -e "s/^listen udp .*/listen udp 127.0.0.1:$base/" -e "s/^rtp-ports .*/rtp-ports $((base + 1000))-$((base + 1099))/" \
    "$here/../../Fixtures/emulator/architects.emu" >"$work/emu.conf"
"$bin" emulate-trunk --config "$work/emu.conf" --control "$work/control.sock" --duration 60 >"$work/emu.log" 2>&1 &
emu=$!
for _ in $(seq 100); do [ -S "$work/control.sock" ] && break; sleep 0.1; done
ctl() { python3 -c 'import socket,sys
s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall((sys.argv[2]+"\n").encode()); out=b""
while not out.endswith(b"\n.\n"): out+=s.recv(65536)
print(out[:-3].decode())' "$work/control.sock" "$1"; }
fails=0
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; fails=$((fails + 1)); fi; }
(cd "$work" && sipp -sf "$here/register-call.xml" -au 99051000012345 -ap Sales-Secret-1 -set sipuser 99051000012345 \
    -set dial 0012025550143 -i 127.0.0.1 -p $((base + 10)) -mp $((base + 2000)) -rtp_echo -m 1 -d 3000 -nostdin \
    -timeout 20s -timeout_error -trace_err "127.0.0.1:$base" >sipp.out 2>&1)
check "SIPp: register (401 then 200) and call (407 then 180/200, BYE) with no failures" "[ $? -eq 0 ]"
sleep 0.5
status="$(ctl status)"; month="$(date -u +%Y-%m)"; history="$(ctl "history $month")"; report="$(ctl "report $month")"
check "the binding is in the registrar" "grep -q 'Sales (99051000012345): registered sip:99051000012345@127.0.0.1:$((base + 10))' <<<\"\$status\""
check "the call was answered and billed 1 min from the US bundle" "grep -q 'Sales outgoing 99051000012345 -> +12025550143: answered (200), shown as +12026555376, 1 min, 1 min from US bundle' <<<\"\$history\""
check "the PBX's caller ID +13105550000 was replaced by the profile's" "grep -q 'the far end sees caller ID +12026555376 (the PBX asked for +13105550000' '$work/emu.log'"
check "RTP flowed both ways (tone out, SIPp's echo back in)" "grep -Eq 'ended: answered, 1 min, 1 from US bundle; RTP sent [0-9]+, received [1-9][0-9]+' '$work/emu.log'"
check "the report counts it" "grep -q 'US bundle minutes: 1 of 10000 used' <<<\"\$report\""
if [ "$fails" -ne 0 ]; then echo "--- emulator log"; cat "$work/emu.log"; echo "--- sipp"; tail -20 "$work/sipp.out"; cat "$work"/*errors.log 2>/dev/null; exit 1; fi
echo "SIPp interop with the trunk emulator: all checks passed"
