#!/usr/bin/env bash
# pulse.sh: the analog line through the box in real time: a private PulseAudio (two null sinks) as the line's sound card, Bell 202 caller ID, DTMF both ways, speech; SIPp as the PBX, tshark on the wire.
# The line is the `simulated` board (ring and hook relay through the console), its audio alsa-lib's pulse PCM:
# the box captures the monitor of the sink `line_in` (the test plays into it with pacat, paced by the sink's
# clock) and plays into `line_out` (the test records its monitor with parec). All audio is made here at test
# time: the FSK by fsk.py (our own Bell 202 modulator, independent of the box's Swift code), tones and DTMF by
# sox, speech by espeak-ng.
#   1. `line simulate ring` (no caller ID) rings the line, US cadence; 0.5 s after the first ring ends the test
#      plays a Bell 202 MDMF burst (date, number, name) into the line. The PBX (SIPp) gets an INVITE to the
#      incoming extension whose From carries that number and name (SIPp checks; tshark reads them on the wire).
#   2. The PBX answers (the line goes off hook) and its phone presses 2 5 # 8 (RFC 4733 in a pcap written here,
#      SIPp play_pcap_audio): the digits come out on the line (the recorded line_out), read back by an
#      independent Goertzel.
#   3. DTMF 3 7 * 0 played into the line (sox) reach the PBX as RFC 4733 events 3 7 10 0 (tshark, rtpevent).
#   4. Speech (espeak-ng) and a 1 kHz tone at -10 dBFS played into the line reach the PBX as PCMU (tshark,
#      decoded here): voice energy, then 1 kHz at its level.
#   5. The PBX hangs up: the line goes back on hook and idle, and the ring stopped when it was answered.
#   6. A second ring whose FSK has a wrong checksum: nothing of it is used; the call is offered at the second
#      ring from anonymous with Privacy: id (SIPp checks, then refuses it 486: the line rings out).
#   The box stops with nothing held.
# Usage: Tests/interop/line/pulse.sh path/to/trunkbox path/to/console-play   (FSK_LEVEL_DBFS=-13, LINE_DTMF_DBFS=-16: levels, for measuring)
set -uo pipefail
bin="$(realpath "$1")"; play="$(realpath "$2")"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d /tmp/trunkbox-pulse.XXXXXX)"
source "$here/pulse-lib.sh"
pids=(); box=""; cap=""
passes=0; fails=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
evidence() { echo "  --- $1"; tail -n "${2:-15}" "$1" 2>/dev/null | cut -c1-200 | sed 's/^/  | /'; }
cleanup() {
    [ -n "$cap" ] && kill -INT "$cap" 2>/dev/null
    [ -n "$box" ] && kill -INT "$box" 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    pulse_stop
    wait 2>/dev/null
    if [ "$fails" -gt 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then echo "line pulse interop: logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
for tool in sipp sox tshark python3 pulseaudio pacat parec pactl; do command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed"; exit 1; }; done
[ -e /usr/lib/x86_64-linux-gnu/alsa-lib/libasound_module_pcm_pulse.so ] || ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1 \
    || { echo "FAIL: alsa-lib's pulse PCM (libasound2-plugins) is not installed"; exit 1; }
# Waits for a regular expression in a file; the line it matched is in $found.
wait_for() { local f=$1 re=$2 t=${3:-10}; for _ in $(seq $((t * 20))); do found=$(grep -m1 -E -- "$re" "$f" 2>/dev/null) && return 0; sleep 0.05; done; return 1; }
now() { date +%s.%N; }
# The time stamp (epoch seconds) the box's log line matching a regular expression got (see `stamp` below).
stamp_of() { grep -m1 -E -- "$2" "$1" 2>/dev/null | cut -d' ' -f1; }
# Waits until the box has logged its Nth ring (" line: ringing"); sets t_ring to when the ring began: the box
# reports a ring once it has lasted 150 ms (shorter bursts are glitches), so 0.15 s before that line.
wait_ring() { local n=$1 at; for _ in $(seq 200); do
        if [ "$(grep -c ' line: ringing' box.log)" -ge "$n" ]; then
            at=$(grep ' line: ringing' box.log | sed -n "${n}p" | cut -d' ' -f1)
            t_ring_ms=$(( ${at/./} - 150 )); t_ring=$(ms_to_s "$t_ring_ms"); return 0
        fi
        sleep 0.05; done; return 1; }
ms_to_s() { printf '%d.%03d' $(($1 / 1000)) $(($1 % 1000)); }
# Plays the FSK burst 2.5 s after the ring began (0.5 s after the first ring ends, GR-30). The wait is silence
# played ahead of the burst, so the sink's clock places it, not this script's scheduling under load.
fsk_after_ring() {
    local lead=$(( t_ring_ms + 2500 - $(date +%s%3N) ))
    [ "$lead" -gt 0 ] || lead=0
    head -c $((lead * 16)) /dev/zero >lead.raw; cat lead.raw "$1" >burst.raw
    t_fsk=$(ms_to_s $(( $(date +%s%3N) + lead ))); pulse_play burst.raw; }

base=$((30000 + (RANDOM % 500) * 20))
lan=$base; wan=$((base + 2)); pbx=$((base + 4)); pbxmedia=$((base + 10)); rtp=$((base + 100))
number=2025550142; name="ADA LOVELACE"; date=11291830
cd "$work"

# ---- the sound card: PulseAudio with the two null sinks, and the ALSA config naming the line's PCM.
if pulse_start "$work/pulse"; then
    pass "PulseAudio runs privately ($(pactl info 2>/dev/null | grep -m1 'Server Version' | sed 's/^ *//')): sinks line_in and line_out at 8000 Hz mono"
else fail "PulseAudio did not start"; exit 1; fi
pulse_alsa_conf "$work/asound.conf" line0

# ---- the audio, made now.
python3 "$here/fsk.py" fsk.raw --number "$number" --name "$name" --date "$date" --level-dbfs "${FSK_LEVEL_DBFS:--13}" --tail-ms 100 >fsk.txt \
    || { fail "fsk.py failed"; exit 1; }
fsk_seconds=$(cut -d' ' -f2 fsk.txt | tr -d s)
raw() { local in=$1 out=$2; shift 2; sox "$in" -r 8000 -c 1 -b 16 -e signed-integer -t raw "$out" "$@" 2>/dev/null; }   # IN OUT EFFECTS...
gap() { python3 -c "import sys; sys.stdout.buffer.write(bytes(2 * round(8000 * $2)))" >"$1"; }   # FILE SECONDS of silence
: >line-dtmf.raw
declare -A low=([1]=697 [2]=697 [3]=697 [A]=697 [4]=770 [5]=770 [6]=770 [B]=770 [7]=852 [8]=852 [9]=852 [C]=852 ['*']=941 [0]=941 ['#']=941 [D]=941)
declare -A high=([1]=1209 [4]=1209 [7]=1209 ['*']=1209 [2]=1336 [5]=1336 [8]=1336 [0]=1336 [3]=1477 [6]=1477 [9]=1477 ['#']=1477 [A]=1633 [B]=1633 [C]=1633 [D]=1633)
dtmf_vol=$(python3 -c "print(2 * 10 ** (${LINE_DTMF_DBFS:--16} / 20))")   # sox gives each of the two sines half of vol
for d in 3 7 '*' 0; do     # 120 ms tones, -16 dBFS each frequency, 150 ms gaps
    raw -n d.raw synth 0.12 sine "${low[$d]}" sine "${high[$d]}" vol "$dtmf_vol"; cat d.raw >>line-dtmf.raw
    gap q.raw 0.15; cat q.raw >>line-dtmf.raw
done
if command -v espeak-ng >/dev/null && espeak-ng -v en-us -s 150 -w speech.wav "This is the analog line speaking to the office P B X." 2>/dev/null \
        && raw speech.wav speech.raw norm -6 && [ -s speech.raw ]; then
    speech_from="espeak-ng"
else
    raw -n speech.raw synth 2 sine 300-900 vol 0.3; speech_from="sox (espeak-ng not available)"
fi
raw -n tone.raw synth 1.5 sine 1000 vol 0.316
python3 - dtmf.pcap <<'PY'
# The PBX's phone: 3.2 s of PCMU silence (20 ms packets) with RFC 4733 events for 2 5 # 8 (160 ms each, three
# end packets), one SSRC and one sequence, as a pcap for SIPp's play_pcap_audio.
import struct, sys
out = open(sys.argv[1], "wb")
out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
def packet(slot, pt, marker, seq, ts, payload):
    rtp = struct.pack("!BBHII", 0x80, (0x80 if marker else 0) | pt, seq & 0xFFFF, ts, 0x5EC0DE01) + payload
    udp = struct.pack("!HHHH", 40000, 40002, 8 + len(rtp), 0) + rtp
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, bytes([127, 0, 0, 1]), bytes([127, 0, 0, 1])) + udp
    frame = b"\x00" * 12 + b"\x08\x00" + ip
    t = slot * 0.02
    out.write(struct.pack("<IIII", int(t), int(round((t % 1) * 1e6)), len(frame), len(frame)) + frame)
events = {30: 2, 55: 5, 80: 11, 105: 8}      # slot (20 ms) where each digit starts -> event code
tone, ends = 8, 3                              # 8 packets of tone (160 ms), then 3 end packets
slot = seq = 0
while slot < 160:
    if slot in events:
        code, ts = events[slot], slot * 160
        for j in range(tone + ends):
            duration = min(j + 1, tone) * 160
            end = 0x80 if j >= tone else 0
            packet(slot, 101, j == 0, seq, ts, struct.pack("!BBH", code, end | 10, duration))
            slot += 1; seq += 1
        continue
    packet(slot, 0, slot == 0, seq, slot * 160, b"\xff" * 160)
    slot += 1; seq += 1
PY

# ---- the box: the simulated board, the line on the pulse PCM, the PBX at SIPp's port.
cat >box.conf <<CONF
hostname line-pulse
lan
 address 127.0.0.1
 sip-port $lan
wan
 address 127.0.0.1
 sip-port $wan
pbx
 address 127.0.0.1
 port $pbx
line
 device line0
 board simulated
 incoming-extension 200
media
 rtp-ports $rtp-$((rtp + 99))
CONF
# Every line the box prints gets the wall-clock time it was printed (for the timings below).
stamp() { python3 -u -c 'import sys, time
for l in sys.stdin: sys.stdout.write("%.3f %s" % (time.time(), l)); sys.stdout.flush()'; }
ALSA_CONFIG_PATH="$work/asound.conf" "$bin" run --config box.conf --db box.db --console-socket console.sock --no-serial-console \
    --duration 150 > >(stamp >box.log) 2>&1 &
box=$!
if wait_for box.log " line: idle" 15 && grep -q "line: audio up (8000 Hz" box.log; then
    pass "the box runs the line on alsa-lib's pulse PCM: $(grep -o 'audio up ([^)]*)' box.log | head -1), simulated board"
else fail "the line did not come up on the pulse PCM"; evidence box.log; evidence pulse/pulseaudio.log 5; exit 1; fi
pulse_record_start "$work/line-out.raw"

tshark -i lo -f "udp port $pbx or udp portrange $pbxmedia-$((pbxmedia + 3)) or udp portrange $rtp-$((rtp + 99))" -w line.pcap -q >tshark.log 2>&1 &
cap=$!
for _ in $(seq 100); do grep -q "Capturing on" tshark.log && break; sleep 0.1; done

mkdir -p pbx && cp dtmf.pcap pbx/
(cd pbx && exec sipp -sf "$here/pbx-uas-line-dtmf.xml" -i 127.0.0.1 -p "$pbx" -mp "$pbxmedia" -m 1 -d 13000 -nostdin \
    -timeout 60s -timeout_error -trace_err -trace_logs -trace_msg -set ext 200 -set caller "$number" -set name "$name" >sipp.out 2>&1) &
uas=$!; pids+=("$uas")
sleep 0.5

# ---- 1: the ring, with the caller ID as FSK between the first and second ring (GR-30: the first ring is
# 2 s; the FSK starts at least 0.5 s after it and ends at least 0.2 s before the second ring, at 6 s).
printf 'Line-Test-42\nLine-Test-42\nline simulate ring\nlogout\n' >ring.in
# The console runs in the background: the test watches the box's log for the ring meanwhile (a slow login
# must not push the FSK past the second ring).
"$play" "$bin" console.sock ring.in >ring.out 2>&1 &
console=$!
if wait_ring 1; then fsk_after_ring fsk.raw
else fail "the line did not ring"; evidence box.log; evidence ring.out; exit 1; fi
wait "$console"
grep -q "ringing the line (two rings); it rings extension 200" ring.out && pass "console: line simulate ring (no caller ID given)" \
    || { fail "the console did not ring the line"; cat ring.out; }
if wait_for box.log "line call #1: the line rings, offered to extension 200" 10; then
    t_offer=$(stamp_of box.log "line call #1: the line rings, offered")
    t_cid=$(stamp_of box.log " line: caller ID ")
    t_answered=""
    if grep -qF "line: caller ID $number ($name)" box.log && echo "$found" | grep -qF "(caller $number)"; then
        pass "the box read the FSK caller ID ($(grep -m1 -o "line: caller ID .*" box.log)) and offered the call $(python3 -c "print(f'{$t_offer - $t_ring:.2f} s after the ring began; the {$fsk_seconds:.2f} s burst started playing {$t_fsk - $t_ring:.2f} s after the ring began, decoded {$t_cid - $t_fsk:.2f} s after that')")"
    else fail "the call was offered without the FSK's caller ID: $found"; evidence box.log 25; fi
else fail "the box did not offer the ringing line to the PBX"; evidence box.log 25; exit 1; fi

# ---- 2-4: answered; the PBX's digits play (dtmf.pcap: 0.6 s to 2.3 s after the ACK); then the line's digits,
# speech and the tone go toward the PBX.
if wait_for box.log "line call #1: the PBX answered; the line is off hook" 10; then
    t_answered=$(stamp_of box.log "the PBX answered")
    pass "the PBX answered and the line went off hook ($(python3 -c "print(f'{$t_answered - $t_ring:.2f}')") s after the ring began)"
else fail "the line did not answer"; evidence box.log 25; evidence pbx/sipp.out 20; fi
python3 -c "import time; time.sleep(max(0.0, $t_answered + 3.0 - time.time()))" 2>/dev/null || sleep 3
t_digits=$(now); pulse_play line-dtmf.raw
sleep 0.5
t_speech=$(now); pulse_play speech.raw
t_tone=$(now); pulse_play tone.raw
t_played=$(now)

wait "$uas"; rc=$?
if [ $rc -eq 0 ]; then
    pass "the PBX (SIPp) was offered the call: INVITE to 200 from $number, display name \"$name\", telephone-event offered; answered, keys pressed, hung up"
else fail "the PBX scenario failed (exit $rc)"; evidence pbx/sipp.out 20; for f in pbx/*errors.log; do evidence "$f"; done; evidence box.log 25; fi
for _ in $(seq 100); do [ "$(grep -c ' line: idle' box.log)" -ge 2 ] && break; sleep 0.1; done
[ "$(grep -c ' line: idle' box.log)" -ge 2 ] && pass "after the PBX's BYE the line is back on hook and idle" || { fail "the line did not go idle"; evidence box.log; }
# The digits the box heard on the line, as it logged them.
heard=$(grep -o "line: DTMF . heard" box.log | cut -d' ' -f3 | tr -d '\n')
# Answering trips the ring (the simulated exchange stops ringing a line that went off hook).
if grep -q "ignored ring" box.log; then fail "the line rang on after it was answered: $(grep -m1 -o 'line: ignored ring.*' box.log | cut -c1-120)"
else pass "the ring stopped when the line was answered (ring trip): no ring reached the answered line"; fi

# ---- 5: a caller ID with a wrong checksum is not believed: the call is offered at the second ring, anonymous.
python3 "$here/fsk.py" bad.raw --number 2025550199 --name "NOT TRUSTED" --date "$date" --level-dbfs -13 --tail-ms 100 --bad-checksum >/dev/null
mkdir -p anon
(cd anon && exec sipp -sf "$here/pbx-uas-line-anonymous.xml" -i 127.0.0.1 -p "$pbx" -m 1 -nostdin -timeout 40s -timeout_error \
    -trace_err -trace_msg -set ext 200 >sipp.out 2>&1) &
uas2=$!; pids+=("$uas2")
sleep 0.5
offers_before=$(grep -c "the line rings, offered" box.log)
printf 'Line-Test-42\nline simulate ring\nlogout\n' >ring2.in
t_ring1=$t_ring
"$play" "$bin" console.sock ring2.in >ring2.out 2>&1 &
console=$!
wait_ring 2 && fsk_after_ring bad.raw || fail "the line did not ring a second time"
wait "$console"
wait "$uas2"; rc=$?
t_offer2=$(grep "the line rings, offered" box.log | sed -n "$((offers_before + 1))p" | cut -d' ' -f1)
if [ $rc -eq 0 ] && grep -q "line: caller ID not readable: checksumMismatch" box.log && grep -qE "line call #[0-9]+: the line rings, offered to extension 200 \\(caller unknown\\)" box.log \
        && python3 -c "import sys; sys.exit(0 if float('${t_offer2:-0}') - $t_ring >= 5.5 else 1)"; then
    pass "FSK with a wrong checksum: 'caller ID not readable: checksumMismatch'; offered at the second ring ($(python3 -c "print(f'{${t_offer2:-0} - $t_ring:.2f}')") s) from anonymous with Privacy: id, nothing of the message used"
else fail "the bad-checksum ring (SIPp exit $rc)"; evidence anon/sipp.out 20; for f in anon/*errors.log; do evidence "$f"; done; evidence box.log 20; fi
for _ in $(seq 150); do [ "$(grep -c ' line: idle' box.log)" -ge 3 ] && break; sleep 0.1; done

# The line's counters (rings, xruns) as the console shows them: evidence when the audio had gaps.
printf 'Line-Test-42\nshow status\nlogout\n' >status.in
"$play" "$bin" console.sock status.in >status.out 2>&1
echo "  status: $(grep -m1 -o 'rings [0-9]*.*' status.out)"
sleep 1
kill -INT "$box"; wait "$box" 2>/dev/null; box=""
kill -INT "$cap"; wait "$cap" 2>/dev/null; cap=""
pulse_stop
grep -q "calls at stop: calls 0, dialogs 0, channels 0, media sessions 0, media ports 0" box.log \
    && pass "the box released everything ($(grep -o 'calls at stop: calls 0[^,]*, dialogs 0' box.log))" || { fail "calls held at stop"; grep "calls at stop" box.log; }

python3 - "$work" "$pbxmedia" "$number" "$name" "$t_ring1" "$t_answered" "$t_digits" "$t_speech" "$t_tone" "$t_played" "$heard" "$speech_from" <<'PY'
import math, subprocess, sys
work, pbxmedia, number, name = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
t_ring, t_answered, t_digits, t_speech, t_tone, t_played = (float(v or 0) for v in sys.argv[5:11])
heard, speech_from = sys.argv[11], sys.argv[12]
ok = True
def report(good, text):
    global ok
    print(("PASS: " if good else "FAIL: ") + text)
    ok = ok and good
def tshark(*args):
    return subprocess.run(["tshark", "-r", f"{work}/line.pcap", *args], capture_output=True, text=True).stdout
def goertzel(x, f, rate=8000):
    n = len(x); w = 2 * math.pi * f / rate; c = 2 * math.cos(w); s1 = s2 = 0.0
    for v in x: s1, s2 = v + c * s1 - s2, s1
    return 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (n * n)          # power of a sine of that amplitude: A^2 / 2
def db(p): return 10 * math.log10(max(p, 1e-9) / (32768.0 ** 2 / 2))
def ulaw(b):
    b = ~b & 0xFF; t = ((b & 0x0F) << 3) + 0x84; t <<= (b & 0x70) >> 4
    return (0x84 - t) if (b & 0x80) else (t - 0x84)

# 1. The INVITE on the wire.
inv = [l.split("\t") for l in tshark("-Y", "sip.Method == \"INVITE\"", "-T", "fields", "-e", "frame.time_epoch",
                                      "-e", "sip.from.user", "-e", "sip.from.display.info").splitlines()]
if inv:
    t_inv, user, display = float(inv[0][0]), inv[0][1], inv[0][2].strip('"')
    report(user == number and display == name,
           f"on the wire (tshark): INVITE From \"{display}\" <sip:{user}@...>, {t_inv - t_ring:.2f} s after the ring began")
else:
    report(False, "tshark saw no INVITE")

# 3. RFC 4733 events from the box to the PBX (line -> PBX).
rows = [l.split("\t") for l in tshark("-d", f"udp.port=={pbxmedia},rtp", "-Y", f"udp.dstport == {pbxmedia} && rtpevent",
                                       "-T", "fields", "-e", "frame.time_epoch", "-e", "rtp.timestamp", "-e", "rtpevent.event_id",
                                       "-e", "rtpevent.end_of_event", "-e", "rtpevent.duration", "-e", "rtp.seq", "-e", "rtp.ssrc").splitlines()]
events = {}
for t, ts, ev, end, dur, seq, ssrc in rows:
    e = events.setdefault(int(ts), {"event": int(ev), "packets": 0, "ends": 0, "duration": 0, "t": float(t), "ssrc": ssrc, "durations": []})
    e["packets"] += 1; e["ends"] += end in ("1", "True"); e["duration"] = int(dur); e["durations"].append(int(dur))
names = "0123456789*#ABCD"
got = [events[k] for k in sorted(events, key=lambda k: events[k]["t"])]
seen = "".join(names[e["event"]] for e in got)
detail = ", ".join(f"{names[e['event']]} {e['duration'] / 8:.0f} ms ({e['packets']} packets, {e['ends']} ends)" for e in got)
report(seen == "37*0" and all(e["ends"] >= 1 for e in got),
       f"DTMF played into the line reached the PBX as RFC 4733: {seen or 'nothing'} ({detail}); the box logged {heard or 'none'}")
audio_ssrc = {l for l in tshark("-d", f"udp.port=={pbxmedia},rtp", "-Y", f"udp.dstport == {pbxmedia} && rtp.p_type == 0",
                                "-T", "fields", "-e", "rtp.ssrc").split()}
report(all(all(b >= a for a, b in zip(e["durations"], e["durations"][1:])) for e in got),
       "within each event the durations never go down (" + "; ".join("/".join(str(d) for d in e["durations"]) for e in got) + ")")
report(len({e["ssrc"] for e in got} | audio_ssrc) == 1, f"the events and the line's PCMU share one SSRC ({', '.join(sorted(audio_ssrc))})")

# 4. The line's PCMU toward the PBX: speech, then the 1 kHz tone at its level.
pk = [l.split("\t") for l in tshark("-d", f"udp.port=={pbxmedia},rtp", "-Y", f"udp.dstport == {pbxmedia} && rtp.p_type == 0",
                                     "-T", "fields", "-e", "frame.time_epoch", "-e", "rtp.payload").splitlines()]
voiced = tone = 0; levels = []
for t, payload in pk:
    x = [ulaw(b) for b in bytes.fromhex(payload.replace(":", ""))]
    if len(x) < 160: continue
    power = sum(v * v for v in x) / len(x)
    t = float(t)
    if t_speech <= t < t_tone and db(power) > -45: voiced += 1
    if t_tone <= t <= t_played + 1 and power > 0 and goertzel(x, 1000) > 0.9 * power:
        tone += 1; levels.append(db(goertzel(x, 1000)))
speech_packets = (t_tone - t_speech) / 0.02
report(voiced >= 0.3 * speech_packets,
       f"speech ({speech_from}) played into the line reached the PBX: {voiced} voiced PCMU packets (above -45 dBFS) of {speech_packets:.0f} while it played")
level = sum(levels) / max(1, len(levels))
report(tone >= 50 and abs(level + 10) <= 1.0, f"1 kHz at -10 dBFS played into the line reached the PBX: {tone} PCMU packets of 1 kHz at {level:.2f} dBFS")

# 2. The PBX's keys on the line: the recorded line_out, an independent Goertzel in 20 ms blocks.
raw = open(f"{work}/line-out.raw", "rb").read()
x = [int.from_bytes(raw[i:i + 2], "little", signed=True) for i in range(0, len(raw) - 1, 2)]
low, high = [697, 770, 852, 941], [1209, 1336, 1477, 1633]
keys = ["123A", "456B", "789C", "*0#D"]
runs = []   # [digit, blocks, low dBFS, high dBFS]
for i in range(0, len(x) - 160, 160):
    b = x[i:i + 160]
    power = sum(v * v for v in b) / 160
    if db(power) < -40: continue
    pl = [goertzel(b, f) for f in low]; ph = [goertzel(b, f) for f in high]
    r, c = pl.index(max(pl)), ph.index(max(ph))
    if pl[r] + ph[c] < 0.8 * power: continue
    d = keys[r][c]
    if runs and runs[-1][0] == d and runs[-1][4] == i - 160:
        runs[-1][1] += 1; runs[-1][2].append(db(pl[r])); runs[-1][3].append(db(ph[c])); runs[-1][4] = i
    else:
        runs.append([d, 1, [db(pl[r])], [db(ph[c])], i])
runs = [r for r in runs if r[1] >= 3]        # at least 60 ms of one digit
digits = "".join(r[0] for r in runs)
detail = ", ".join(f"{r[0]} {r[1] * 20} ms ({sum(r[2]) / len(r[2]):.1f}/{sum(r[3]) / len(r[3]):.1f} dBFS)" for r in runs)
report(digits == "25#8", f"the PBX's RFC 4733 keys came out on the line: {digits or 'none'} ({detail}; independent Goertzel on the recorded line_out)")
sys.exit(0 if ok else 1)
PY
[ $? -eq 0 ] && passes=$((passes + 1)) || fails=$((fails + 1))
echo "line pulse interop: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
