#!/usr/bin/env bash
# demo.sh: the README's main command is a test too. Runs `trunkbox demo` while tshark captures the trunk
# side on loopback, then checks (1) the demo passed every step of its story, (2) an outside view of the
# wire: the trunk's signalling was TLS (no SIP in clear on 5061), and the trunk leg's RTP was SRTP (every
# packet 10 bytes longer than PCMU for the auth tag, and no 1 kHz or 600 Hz tone in its payloads, which
# plain PCMU would show).
set -euo pipefail
bin="$1"
work="$(mktemp -d /tmp/trunkbox-demo-test.XXXXXX)"
cap=""
cleanup() { [ -n "$cap" ] && kill "$cap" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: demo: $*"; exit 1; }

command -v tshark >/dev/null || fail "tshark is not installed (scripts/setup tshark)"
# The trunk emulator is 127.0.0.4: TLS on 5061, the far end's RTP on 45000-45999.
tshark -i lo -f "host 127.0.0.4 and (tcp port 5061 or udp portrange 45000-45999)" -w "$work/trunk.pcap" -q >"$work/tshark.log" 2>&1 &
cap=$!
for _ in $(seq 50); do grep -q "Capturing on" "$work/tshark.log" 2>/dev/null && break; sleep 0.1; done

set +e
"$bin" demo --dir "$work/state" >"$work/demo.out" 2>&1
rc=$?
set -e
sleep 1
kill "$cap" 2>/dev/null; wait "$cap" 2>/dev/null || true; cap=""
cat "$work/demo.out"
[ "$rc" -eq 0 ] || fail "trunkbox demo exited $rc"
grep -q "^demo: all 7 steps passed$" "$work/demo.out" || fail "the demo did not report every step passed"
for step in 1 2 3 4 5 6 7; do grep -q "^\[$step/7\]" "$work/demo.out" || fail "step $step is missing from the transcript"; done
! grep -q "FAIL" "$work/demo.out" || fail "a check failed"
# No secret in the transcript or the demo's log.
for secret in Sales-Secret-1 Engineering-Secret-2; do
    ! grep -q -- "$secret" "$work/demo.out" "$work/state/demo.log" || fail "a SIP password appears in clear"
done

python3 - "$work/trunk.pcap" <<'PY' || fail "the wire check failed"
import math, subprocess, sys
from collections import defaultdict
pcap = sys.argv[1]
def fields(args):
    out = subprocess.run(["tshark", "-r", pcap] + args, capture_output=True, text=True, check=True).stdout
    return [l.split("\t") for l in out.splitlines() if l.strip()]
tls = fields(["-Y", "tls.app_data", "-T", "fields", "-e", "frame.number"])
sip_clear = fields(["-d", "tcp.port==5061,sip", "-Y", "sip.Method or sip.Status-Code", "-T", "fields", "-e", "frame.number"])
rtp = fields(["-d", "udp.port==45000-45999,rtp", "-Y", "rtp and (rtp.p_type == 0 or rtp.p_type == 18) and udp.srcport >= 45000 and udp.srcport <= 45999",
              "-T", "fields", "-e", "udp.srcport", "-e", "rtp.p_type", "-e", "rtp.payload"])
ok = True
print(f"wire: {len(tls)} TLS application-data frames on 5061, {len(sip_clear)} SIP messages readable in clear there")
if len(tls) < 20: print("FAIL: too few TLS records: the trunk's signalling was not TLS"); ok = False
if sip_clear: print("FAIL: SIP readable in clear on the TLS port"); ok = False
def ulaw(b):
    b = ~b & 0xFF; t = ((b & 0x0F) << 3) + 0x84; t <<= (b & 0x70) >> 4
    return (0x84 - t) if (b & 0x80) else (t - 0x84)
def goertzel(x, f):
    n = len(x); k = round(n * f / 8000); w = 2 * math.pi * k / n; c = 2 * math.cos(w); s1 = s2 = 0.0
    for v in x: s0 = v + c * s1 - s2; s2 = s1; s1 = s0
    return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n)
# One stream per far-end port (one call). A Sales call is SRTP: 160 bytes of PCMU + the 10-byte
# HMAC-SHA1-80 tag in every packet (G.729: 20 + 10) and no tone in the bytes. Engineering's calls are plain RTP by
# config: their payloads must read as the far end's 1 kHz tone, which shows the tone check can see
# plaintext when it is there.
streams = defaultdict(list)
for port, pt, payload in rtp: streams[port].append((int(pt), bytes.fromhex(payload.replace(":", ""))))
secure = plain = 0
for port, packets in sorted(streams.items()):
    # PCMU 20 ms is 160 bytes, G.729 20 ms is 20: with the tag 170 and 30.
    tagged = sum(1 for pt, d in packets if len(d) == (170 if pt == 0 else 30))
    tonal = 0
    for pt, d in packets:
        if pt != 0 or len(d) < 160: continue
        x = [ulaw(b) for b in d[:160]]; total = sum(v * v for v in x) / len(x)
        if total > 0 and max(goertzel(x, 1000), goertzel(x, 600)) > 0.5 * total: tonal += 1
    kind = "SRTP" if tagged == len(packets) else ("plain RTP" if tagged == 0 else "MIXED")
    print(f"wire: far-end port {port}: {len(packets)} packets, {tagged} with the SRTP tag length, {tonal} reading as a tone in clear: {kind}")
    if kind == "SRTP":
        secure += 1
        if tonal > 0: print("FAIL: an SRTP stream's payload reads as a tone"); ok = False
    elif kind == "plain RTP":
        plain += 1
        if all(pt == 0 for pt, _ in packets) and tonal < len(packets) / 4: print("FAIL: a plain stream does not show the tone: the tone check is blind"); ok = False
    else:
        print("FAIL: a stream mixes SRTP and plain packets"); ok = False
if secure != 2: print(f"FAIL: expected the two Sales calls as SRTP streams, saw {secure}"); ok = False
if plain != 2: print(f"FAIL: expected the two Engineering calls as plain RTP streams, saw {plain}"); ok = False
sys.exit(0 if ok else 1)
PY
echo "demo: the story passed, and tshark saw TLS signalling and SRTP media on the trunk side"
