#!/usr/bin/env bash
# run.sh: the analog line through the box, with real peers and real ALSA code on loopback. This machine has
# no sound card and no GPIO, so the line is the `simulated` board (its ring and hook relay driven through
# the console) and its audio is alsa-lib's `file` plugin over `null`: capture read from a raw file made by
# sox, playback written to a file, both at the media thread's own clock. The PBX is SIPp.
#   1. A ring with a caller ID (`line simulate ring from +12025550111`) becomes an INVITE to the incoming
#      extension with that caller ID, answered on the line (hook relay off hook) when the PBX answers.
#   2. The line's capture (a 600 Hz tone at -10 dBFS, made by sox) reaches the PBX as PCMU (tshark, decoded).
#   3. The PBX's phone plays 1 kHz at -6 dBFS (SIPp play_pcap_audio, PCMU packets written here): it comes
#      out in the playback file at its level (+-1 dB): RTP -> jitter buffer -> line at the right level. (A PBX
#      echoing the line's own audio back would not do: the line's echo canceller removes exactly that.)
#   4. The PBX hangs up: the line goes on hook; the call's record is written (profile line, incoming, caller).
#   5. An emergency number from the PBX goes to the line, never toward a trunk: the line is seized, the PBX
#      gets early media (183 with SDP) and, with no dial tone on this capture, 503 "no dial tone".
#   1b. While the call is up, `show calls` lists it with its echo canceller's ERLE; the log has the ERLE when it ends.
#   5b. The box's only profile cannot register (its registrar is a dead port) and the line has `fallback on`:
#      a call to an ordinary number goes to the line instead of the trunk (same 183, then 503 "no dial tone");
#      `show status` shows the LEDs (trunk off: no profile up) and `show registrations` the failure.
#   6. A second box whose capture holds dial tone, then busy tone: 911 goes out (dial tone heard, DTMF dialled,
#      read back from the playback file by an independent Goertzel), 183 then 200 to the PBX; the busy tone
#      ends the call within 3 s with a BYE whose Reason says so.
#   7. A third box: the reset button held 3 s changes nothing; held 11 s it resets the box to factory defaults
#      (the profile gone from the running config, the console password cleared).
# Usage: Tests/interop/line/run.sh path/to/trunkbox path/to/console-play
set -uo pipefail
bin="$(realpath "$1")"; play="$(realpath "$2")"
here="$(cd "$(dirname "$0")" && pwd)"
calls="$here/../calls"
work="$(mktemp -d /tmp/trunkbox-line.XXXXXX)"
pids=(); box=""; cap=""
passes=0; fails=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
evidence() { echo "  --- $1"; tail -n "${2:-15}" "$1" 2>/dev/null | cut -c1-200 | sed 's/^/  | /'; }
cleanup() {
    [ -n "$cap" ] && kill -INT "$cap" 2>/dev/null
    [ -n "$box" ] && kill -INT "$box" 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    if [ "$fails" -gt 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then echo "line interop: logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
for tool in sipp sox tshark python3; do command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }; done
wait_for() { local f=$1 re=$2 t=${3:-10}; for _ in $(seq $((t * 10))); do grep -qE -- "$re" "$f" 2>/dev/null && return 0; sleep 0.1; done; return 1; }

base=$((30000 + (RANDOM % 500) * 20))
lan=$base; wan=$((base + 2)); pbx=$((base + 4)); pbx2=$((base + 6)); dead=$((base + 8)); pbxmedia=$((base + 10)); rtp=$((base + 100))
cd "$work"
# Capture: a 600 Hz tone at -10 dBFS for 90 s (longer than the test).
sox -n -r 8000 -c 1 -b 16 -e signed-integer -t raw capture.raw synth 90 sine 600 vol 0.316 2>/dev/null
cat >asound.conf <<ALSA
pcm.line0 {
  type asym
  playback.pcm { type file slave.pcm { type null } file "$work/playback.raw" format "raw" }
  capture.pcm { type file slave.pcm { type null } infile "$work/capture.raw" file "$work/capture-copy.raw" format "raw" }
}
ALSA
cat >box.conf <<CONF
hostname line-test
lan
 address 127.0.0.1
 sip-port $lan
wan
 address 127.0.0.1
 sip-port $wan
pbx
 address 127.0.0.1
 port $pbx
profile sales
 registrar 127.0.0.1:$dead
 sip-user 99051000000001
 password Fallback-Test-1
 channels 2
routing
 emergency 911 112 999 000
 default-profile sales
line
 device line0
 board simulated
 incoming-extension 200
 fallback on
media
 rtp-ports $rtp-$((rtp + 99))
CONF
ALSA_CONFIG_PATH="$work/asound.conf" "$bin" run --config box.conf --db box.db --console-socket console.sock --no-serial-console \
    --duration 120 >box.log 2>&1 &
box=$!
if wait_for box.log "line: idle" 10 && grep -q "line: audio up (8000 Hz" box.log; then
    pass "the box runs the line: simulated board, ALSA file plugin at 8000 Hz ($(grep -o 'audio up ([^)]*)' box.log))"
else fail "the line did not come up"; evidence box.log; exit 1; fi

tshark -i lo -f "udp portrange $pbxmedia-$((pbxmedia + 3)) or udp portrange $rtp-$((rtp + 99))" -w line.pcap -q >tshark.log 2>&1 &
cap=$!
for _ in $(seq 50); do grep -q "Capturing on" tshark.log && break; sleep 0.1; done

# ---- 1-4: a ring with caller ID to extension 200; the PBX's phone plays 1 kHz for 5 s, then hangs up.
mkdir -p pbx
python3 - pbx/tone.pcap <<'PY'
# 5 s of a 1 kHz tone at -6 dBFS as RTP (PCMU, 20 ms) in a pcap for SIPp's play_pcap_audio.
import math, struct, sys
def ulaw(s):
    s = max(-32635, min(32635, s)); sign = 0x80 if s < 0 else 0; s = abs(s) + 0x84
    exp = 7
    while exp > 0 and not (s & (0x4000 >> (7 - exp))): exp -= 1
    return ~(sign | (exp << 4) | ((s >> (exp + 3)) & 0x0F)) & 0xFF
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
for n in range(250):
    payload = bytes(ulaw(int(16384 * math.sin(2 * math.pi * 1000 * (n * 160 + i) / 8000))) for i in range(160))
    rtp = struct.pack("!BBHII", 0x80, 0, n, n * 160, 0x1234ABCD) + payload
    udp = struct.pack("!HHHH", 40000, 40002, 8 + len(rtp), 0) + rtp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
    frame = b"\x00" * 12 + b"\x08\x00" + ip
    t = n * 0.02
    out.write(struct.pack("<IIII", int(t), int((t % 1) * 1e6), len(frame), len(frame)) + frame)
PY
(cd pbx && exec sipp -sf "$here/pbx-uas-line.xml" -i 127.0.0.1 -p "$pbx" -mp "$pbxmedia" -m 1 -d 6000 -nostdin \
    -timeout 40s -timeout_error -trace_err -trace_logs -trace_msg -set ext 200 -set caller +12025550111 >sipp.out 2>&1) &
uas=$!; pids+=("$uas")
sleep 0.5
printf 'Line-Test-42\nLine-Test-42\nline simulate ring from +12025550111\nlogout\n' >ring.in
"$play" "$bin" console.sock ring.in >ring.out 2>&1
grep -q "ringing the line (two rings) with caller ID +12025550111" ring.out && pass "console: line simulate ring from +12025550111" \
    || { fail "console did not ring the line"; cat ring.out; }
# While the call is up (6 s of the PBX's tone): the line call in `show calls`, with its echo canceller's ERLE.
if wait_for box.log "line call #1: the PBX answered" 20; then
    sleep 3
    printf 'Line-Test-42\nshow calls\nlogout\n' >calls.in
    "$play" "$bin" console.sock calls.in >calls.out 2>&1
    grep -qE "#1 line incoming \+12025550111 -> 200 up 0m0[0-9]s PCMU ERLE -?[0-9]+\.[0-9] dB" calls.out \
        && pass "show calls lists the line call: $(grep -oE '#1 line incoming [^[:cntrl:]]*' calls.out | head -1)" \
        || { fail "show calls does not list the line call with its ERLE"; evidence calls.out 20; }
fi
wait "$uas"; rc=$?
if [ $rc -eq 0 ]; then
    pass "the PBX (SIPp) was offered the line call: INVITE to 200 with caller ID +12025550111, answered, talked, hung up"
else fail "the PBX scenario failed (exit $rc)"; evidence pbx/sipp.out 20; for f in pbx/*errors.log; do evidence "$f"; done; evidence box.log; fi
wait_for box.log "line call #1: the PBX answered; the line is off hook" 2 && pass "the line went off hook when the PBX answered" \
    || { fail "the line did not answer"; evidence box.log; }
for _ in $(seq 50); do [ "$(grep -c '^line: idle' box.log)" -ge 2 ] && break; sleep 0.1; done
[ "$(grep -c '^line: idle' box.log)" -ge 2 ] && pass "after the PBX's BYE the line is back on hook and idle" || { fail "the line did not go idle"; evidence box.log; }
grep -qE "line call #1: echo canceller ERLE -?[0-9.]+ dB over the call" box.log \
    && pass "the line call's ERLE is reported when it ends: $(grep -oE 'ERLE -?[0-9.]+ dB' box.log | head -1) (the capture is no echo of the playback, so about 0)" \
    || { fail "no ERLE for the line call"; evidence box.log; }

# ---- 5: an emergency number from the PBX goes to the line (no dial tone on this capture: 503).
mkdir -p em
(cd em && exec sipp -sf "$here/pbx-uac-line-911.xml" -i 127.0.0.1 -p "$pbx2" -m 1 -nostdin -timeout 30s -timeout_error \
    -trace_err -trace_msg -set dial 911 -set caller 202 "127.0.0.1:$lan" >sipp.out 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q "line call #2: 202 -> 911 over the analog line" box.log && grep -q "no dial tone" box.log; then
    pass "911 went to the analog line: seized, 183 early media to the PBX, then 503 'no dial tone' (this capture holds none)"
else fail "emergency over the line (SIPp exit $rc)"; evidence em/sipp.out 20; for f in em/*errors.log; do evidence "$f"; done; evidence box.log; fi

# ---- 5b: profile sales cannot register; the line has `fallback on`: its call goes to the line.
sleep 1.5
printf 'Line-Test-42\nshow status\nshow registrations\nlogout\n' >status.in
"$play" "$bin" console.sock status.in >status.out 2>&1
grep -q "LEDs: power on, trunk off, line on, fault off" status.out \
    && pass "show status: $(grep -o 'LEDs: [^[:cntrl:]]*' status.out | head -1) (no profile registered: trunk LED off)" \
    || { fail "show status has no LED line as expected"; evidence status.out 30; }
grep -qE "sales: (backing off|failed|registering)" status.out && pass "show registrations: $(grep -oE 'sales: (backing off|failed|registering)[^,]*' status.out | head -1)" \
    || { fail "profile sales is not shown down"; evidence status.out 30; }
grep -q "Fallback-Test-1" box.log status.out && fail "the profile's password appears in the log or on the console"
mkdir -p fb
(cd fb && exec sipp -sf "$here/pbx-uac-line-911.xml" -i 127.0.0.1 -p "$pbx2" -m 1 -nostdin -timeout 30s -timeout_error \
    -trace_err -trace_msg -set dial 12025550100 -set caller 203 "127.0.0.1:$lan" >sipp.out 2>&1); rc=$?
if [ $rc -eq 0 ] && grep -q "profile sales is down: the call to 12025550100 falls back to the analog line" box.log \
        && grep -q "line call #3: 203 -> 12025550100 over the analog line" box.log; then
    pass "profile sales is down and the line has fallback on: 12025550100 went to the line (183, then 503 'no dial tone'), not to the trunk"
else fail "fallback to the line (SIPp exit $rc)"; evidence fb/sipp.out 20; for f in fb/*errors.log; do evidence "$f"; done; evidence box.log 30; fi

sleep 1
kill -INT "$box"; wait "$box" 2>/dev/null; box=""
kill -INT "$cap"; wait "$cap" 2>/dev/null; cap=""
grep -q "calls at stop: calls 0, dialogs 0, channels 0, media sessions 0, media ports 0" box.log \
    && pass "the box released everything ($(grep -o 'calls at stop: calls 0[^,]*, dialogs 0' box.log))" || { fail "calls held at stop"; grep "calls at stop" box.log; }

python3 - "$work" "$pbxmedia" <<'PY'
import math, sqlite3, subprocess, sys
work = sys.argv[1]
ok = True
def report(good, text):
    global ok
    print(("PASS: " if good else "FAIL: ") + text)
    ok = ok and good
def goertzel(x, f, rate=8000):
    n = len(x); k = round(n * f / rate); w = 2 * math.pi * k / n; c = 2 * math.cos(w); s1 = s2 = 0.0
    for v in x: s1, s2 = v + c * s1 - s2, s1
    return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n)
def db(p): return 10 * math.log10(max(p, 1e-9) / (32768.0 ** 2 / 2))
# 2. RTP from the box to the PBX carries the capture's 600 Hz.
out = subprocess.run(["tshark", "-r", f"{work}/line.pcap", "-d", "udp.port==1-65535,rtp", "-Y", "rtp.p_type == 0",
                      "-T", "fields", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "rtp.payload"], capture_output=True, text=True).stdout
def ulaw(b):
    b = ~b & 0xFF; t = ((b & 0x0F) << 3) + 0x84; t <<= (b & 0x70) >> 4
    return (0x84 - t) if (b & 0x80) else (t - 0x84)
lines = [l.split("\t") for l in out.splitlines() if l.count("\t") == 2]
pbxmedia = int(sys.argv[2])
to_pbx = [bytes.fromhex(p.replace(":", "")) for s, d, p in lines if int(d) == pbxmedia]
heard = 0; counted = 0
for payload in to_pbx:
    x = [ulaw(b) for b in payload[:160]]
    if len(x) < 160: continue
    total = sum(v * v for v in x) / len(x)
    counted += 1
    if total > 0 and goertzel(x, 600) > 0.8 * total: heard += 1
report(heard >= 200, f"the line's capture (600 Hz) reached the PBX as PCMU: {heard} of {counted} RTP payloads to port {pbxmedia} decode to 600 Hz")
# 3. The PBX's 1 kHz came out on the line: its segment of the playback file and its level.
raw = open(f"{work}/playback.raw", "rb").read()
samples = [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]
frames = [samples[i:i + 800] for i in range(0, len(samples) - 800, 800)]
tone = [f for f in frames if max(abs(v) for v in f) > 1000 and goertzel(f, 1000) > 0.8 * (sum(v * v for v in f) / len(f))]
level = sum(db(goertzel(f, 1000)) for f in tone) / max(1, len(tone))
report(len(tone) >= 40 and abs(level - (-6.0)) <= 1.0,
       f"the PBX's RTP came out on the line: {len(tone) / 10:.1f} s of 1 kHz in the playback file at {level:.2f} dBFS (sent at -6.0 dBFS)")
# 4. The records.
rows = sqlite3.connect(f"file:{work}/box.db?mode=ro", uri=True).execute(
    "select profile, direction, caller, called, disposition, sip_cause, codec, pbx_packets_sent, pbx_packets_received, echo_erle_db from call_record order by id").fetchall()
for r in rows: print("  record:", *r)
report(any(r[0] == "line" and r[1] == "incoming" and r[2] == "+12025550111" and r[3] == "200" and r[4] == "answered" and r[7] > 100 and r[8] > 100
           and r[9] is not None for r in rows),
       "the line call's record: profile line, incoming, caller +12025550111, extension 200, answered, packets both ways, its ERLE")
report(all(r[9] is None for r in rows if r[4] != "answered"), "calls that never had the line's audio have no ERLE in their records")
report(any(r[0] == "line" and r[1] == "outgoing" and r[3] == "911" and r[5] == 503 for r in rows), "the emergency call's record: line, 911, 503")
report(any(r[0] == "line" and r[1] == "outgoing" and r[2] == "203" and r[3] == "12025550100" and r[5] == 503 for r in rows),
       "the fallback call's record: line, 203 -> 12025550100, 503")
sys.exit(0 if ok else 1)
PY
[ $? -eq 0 ] && passes=$((passes + 1)) || fails=$((fails + 1))

# ---- 6: a call out over the line: dial tone, DTMF, connected; then busy tone clears it. A second box on a
# capture of US dial tone (350+440 Hz) for 9 s, then US busy (480+620 Hz, 0.5 s on/off).
mkdir -p out2 && cd out2
sox -n -r 8000 -c 1 -b 16 -e signed-integer -t raw dial.raw synth 9 sine 350 sine 440 vol 0.2 2>/dev/null
sox -n -r 8000 -c 1 -b 16 -e signed-integer -t raw busy1.raw synth 0.5 sine 480 sine 620 vol 0.2 2>/dev/null
sox -n -r 8000 -c 1 -b 16 -e signed-integer -t raw quiet.raw trim 0 0.5 2>/dev/null || head -c 8000 /dev/zero >quiet.raw
[ -s quiet.raw ] || head -c 8000 /dev/zero >quiet.raw
cp dial.raw capture.raw; for _ in $(seq 40); do cat busy1.raw quiet.raw >>capture.raw; done
sed "s|$work/playback.raw|$work/out2/playback.raw|; s|$work/capture.raw|$work/out2/capture.raw|; s|$work/capture-copy.raw|/dev/null|" ../asound.conf >asound.conf
cp ../box.conf box.conf
ALSA_CONFIG_PATH="$work/out2/asound.conf" "$bin" run --config box.conf --db box.db --console-socket console.sock --no-serial-console \
    --duration 60 >box.log 2>&1 &
box=$!
wait_for box.log "line: idle" 10 || { fail "the second box's line did not come up"; evidence box.log; }
t0=$(date +%s.%N)
(exec sipp -sf "$here/pbx-uac-line-busy.xml" -i 127.0.0.1 -p "$pbx2" -m 1 -nostdin -timeout 40s -timeout_error -trace_err -trace_logs \
    -set dial 911 -set caller 202 "127.0.0.1:$lan" >sipp.out 2>&1); rc=$?
t1=$(date +%s.%N)
if [ $rc -eq 0 ] && grep -q "line: heard dial tone" box.log && grep -q "line call #1: connected" box.log \
        && grep -q "the line ended it (busy tone)" box.log; then
    pass "911 out over the line: dial tone heard, digits dialled, 183 then 200 to the PBX; the busy tone ended it with a BYE (Reason: busy tone)"
else fail "the call out over the line (SIPp exit $rc)"; evidence sipp.out 20; for f in *errors.log; do evidence "$f"; done; evidence box.log 30; fi
# The busy tone starts 9 s into the capture, which began when the line opened (just before t0).
python3 -c "import sys; d = $t1 - $t0 - 9.0; print(f'PASS: the busy tone cleared the call {d:.1f} s after it began on the line (at most 3 s)') if d <= 3.0 else (print(f'FAIL: the busy tone took {d:.1f} s to clear the call'), sys.exit(1))" \
    && passes=$((passes + 1)) || fails=$((fails + 1))
sleep 1
kill -INT "$box"; wait "$box" 2>/dev/null; box=""
python3 - "$work/out2" <<'PY'
import math, sqlite3, sys
work = sys.argv[1]
raw = open(f"{work}/playback.raw", "rb").read()
x = [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]
def power(block, f):
    n = len(block); w = 2 * math.pi * f / 8000; c = 2 * math.cos(w); s1 = s2 = 0.0
    for v in block: s1, s2 = v + c * s1 - s2, s1
    return s1 * s1 + s2 * s2 - c * s1 * s2
low, high = [697, 770, 852, 941], [1209, 1336, 1477, 1633]
keys = ["123A", "456B", "789C", "*0#D"]
digits = ""; last = None
for i in range(0, len(x) - 320, 320):          # 40 ms blocks, an independent Goertzel
    b = x[i:i + 320]
    e = sum(v * v for v in b) * 320 / 2
    if e < 1e9: last = None; continue
    pl = [power(b, f) for f in low]; ph = [power(b, f) for f in high]
    r, c = pl.index(max(pl)), ph.index(max(ph))
    if (max(pl) + max(ph)) < 0.6 * e: last = None; continue
    d = keys[r][c]
    if d != last: digits += d
    last = d
ok = digits == "911"
print(("PASS: " if ok else "FAIL: ") + f"the playback file holds the digits the box dialled: {digits or 'none'} (independent Goertzel)")
rows = sqlite3.connect(f"file:{work}/box.db?mode=ro", uri=True).execute(
    "select profile, direction, called, disposition, sip_cause from call_record").fetchall()
print("  record:", rows)
good = any(r[0] == "line" and r[1] == "outgoing" and r[2] == "911" and r[3] == "answered" for r in rows)
print(("PASS: " if good else "FAIL: ") + "the call out over the line has its record (line, outgoing, 911, answered)")
sys.exit(0 if ok and good else 1)
PY
[ $? -eq 0 ] && passes=$((passes + 1)) || fails=$((fails + 1))
cd "$work"

# ---- 7: the reset button on a third box: a short press does nothing; 10 s resets to factory defaults.
mkdir -p reset && cd reset
cp ../out2/asound.conf asound.conf; cp ../out2/capture.raw capture.raw
sed -i "s|$work/out2/|$work/reset/|g" asound.conf
cp ../box.conf box.conf
ALSA_CONFIG_PATH="$work/reset/asound.conf" "$bin" run --config box.conf --db box.db --console-socket console.sock --no-serial-console \
    --duration 60 >box.log 2>&1 &
box=$!
wait_for box.log "line: idle" 10 || { fail "the third box's line did not come up"; evidence box.log; }
printf 'Line-Test-42\nLine-Test-42\nline simulate reset-button 3\nlogout\n' >short.in
"$play" "$bin" console.sock short.in >short.out 2>&1
sleep 4
printf 'Line-Test-42\nshow running-config\nlogout\n' >after-short.in
"$play" "$bin" console.sock after-short.in >after-short.out 2>&1
if grep -q "shorter than 10 s: nothing happens" short.out && grep -q "^profile sales" after-short.out && ! grep -q "factory" box.log; then
    pass "the reset button held 3 s: nothing happens (the profile is still configured)"
else fail "a short press of the reset button"; evidence short.out; evidence after-short.out 30; evidence box.log; fi
printf 'Line-Test-42\nline simulate reset-button 11\nlogout\n' >long.in
"$play" "$bin" console.sock long.in >long.out 2>&1
if wait_for box.log "reset button: factory defaults are now running" 20 && grep -q "the reset button was held 10 s: resetting to factory defaults" box.log; then
    printf 'New-Pass-77\nNew-Pass-77\nshow running-config\nlogout\n' >after-long.in
    "$play" "$bin" console.sock after-long.in >after-long.out 2>&1
    if ! grep -q "^profile sales" after-long.out && grep -qiE "choose|new password|set.*password" after-long.out; then
        pass "the reset button held 11 s: factory defaults running (no profile), the console password cleared (the next login chose one)"
    else fail "after the reset the config or password survived"; evidence after-long.out 40; fi
else fail "the reset button held 11 s did not reset the box"; evidence long.out; evidence box.log 20; fi
kill -INT "$box"; wait "$box" 2>/dev/null; box=""
cd "$work"
echo "line interop: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
