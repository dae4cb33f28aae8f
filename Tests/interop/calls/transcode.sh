#!/usr/bin/env bash
# transcode.sh: G.729 <-> G.711 transcoding in the box, end to end with real parties on loopback.
# Kamailio plays the office PBX (registrar for extension 201, the box is its trunk), a baresip phone 201
# speaks PCMU only (only baresip's g711 module, audio_codecs=pcmu), the project's Skype Connect trunk
# emulator (`trunkbox emulate-trunk`, config derived from Tests/Fixtures/emulator/architects.emu: profile
# Sales, digest registration, srtp off) is the trunk, and the box (`trunkbox run --config`) registers its
# profile to it with `media` -> `codecs g729`, so the box offers only G.729 toward the trunk.
#
#   phone 201 --PCMU--> Kamailio / box LAN ==relay: PCMU<->G.729== box WAN --G.729--> emulator (0012025550143)
#
# The emulator's far end answers G.729, plays a 1 kHz tone for tone-seconds (3 s), then echoes what it
# receives. The phone plays 600 Hz (sox wav, baresip's aufile) and dumps what it decoded (sndfile).
# Checks (PASS/FAIL lines):
#   - the box registered with digest, the phone registered, the call was set up and hung up;
#   - SDP: the phone offered no G.729, the box offered only G.729 to the trunk, the emulator answered G.729
#     (its log says `answered: G729`), the box answered the PBX with PCMU;
#   - the phone's decoded audio: 1 kHz strong during the tone (the trunk's G.729 reached the phone as PCMU),
#     600 Hz strong after it (the phone's PCMU -> box G.729 -> echo -> box PCMU -> phone);
#   - the wire (tshark on lo): PBX leg only PT 0 with 160-byte payloads (and its box->phone PCMU decodes to
#     1 kHz), trunk leg only PT 18 with 20-byte payloads every 20 ms, both ways;
#   - the box's call_record row (sqlite, read-only): answered, codec PCMU/G729; the box stops (SIGINT) with
#     nothing held.
# Ports: random in 30000-50000 on 127.0.0.1 only. Every process started here is ended by its pid.
#
# Usage: Tests/interop/calls/transcode.sh path/to/trunkbox      (KEEP_WORK=1 keeps the work folder)
# Needs: baresip (g711, aufile, aubridge, sndfile, cons modules), kamailio, tshark, sox, python3.
set -uo pipefail
bin="$(realpath "${1:?usage: transcode.sh path/to/trunkbox}")"
here="$(cd "$(dirname "$0")" && pwd)"
fixture="$here/../../Fixtures/emulator/architects.emu"
. "$here/../lib/peers.sh"
peers_setup "transcode interop" transcode
tone_seconds=3

need_tools "apt-get install -y baresip kamailio tshark sox" baresip kamailio tshark sox python3
need_baresip_modules g711 aufile aubridge sndfile cons account menu
[ -f "$fixture" ] || { echo "FAIL: $fixture missing"; exit 1; }

# ---- Ports: one block in 30000-50000, every port of it free on 127.0.0.1 (UDP; TCP too for SIP ports).
base=$(free_port_block 24 300)
[ -n "$base" ] || { echo "FAIL: no free block of ports in 30000-50000"; exit 1; }
kam=$base; lan=$((base + 2)); wan=$((base + 4)); lantls=$((base + 6)); wantls=$((base + 8))
phone=$((base + 10)); phonecons=$((base + 13)); trunk=$((base + 16))
rtp=$((base + 100)); rtphi=$((base + 199))          # the box's media range
phonertp=$((base + 200)); emurtp=$((base + 300))    # the phone's and the emulator's RTP ranges (20 ports)
sipuser=99051000012345; password=Sales-Secret-1; did=+12026555376; dial=912025550143; called=0012025550143
echo "ports: kamailio $kam, box LAN $lan WAN $wan RTP $rtp-$rtphi, phone $phone (RTP $phonertp-$((phonertp + 19))), emulator $trunk (RTP $emurtp-$((emurtp + 19)))"

make_tone 600

# ---- tshark: SIP of all parties and the box's media range (both legs' RTP touch it).
start_tshark "udp and (portrange $rtp-$rtphi or port $kam or port $lan or port $wan or port $phone or port $trunk)"

# ---- The trunk: the emulator with architects.emu on this run's ports.
sed -e "s/^listen udp .*/listen udp 127.0.0.1:$trunk/" -e "s/^rtp-ports .*/rtp-ports $emurtp-$((emurtp + 19))/" \
    -e "s/^tone-seconds .*/tone-seconds $tone_seconds/" -e "s/^media-address .*/media-address 127.0.0.1/" \
    "$fixture" >"$work/emu.conf"
grep -A20 '^profile Sales' "$work/emu.conf" | grep -q '^ srtp off' || { echo "FAIL: architects.emu's Sales profile is not srtp off"; exit 1; }
emulator_start "$work/emu.conf"

# ---- Kamailio, the office PBX: registrar (no auth, usrloc in memory) and stateful proxy with Record-Route.
kamailio_pbx_start "$work/kam" "$kam" "$lan"

# ---- The box: one profile registering (digest) to the emulator, G.729 only toward the trunk.
cat >"$work/box.conf" <<CONF
hostname transcode-test
$(box_conf_sides "127.0.0.1:$lan/$lantls" "127.0.0.1:$wan/$wantls" "127.0.0.1:$kam")
profile sales
 registrar 127.0.0.1:$trunk
 transport udp
 srtp off
 auth registration
 sip-user $sipuser
 password $password
 register-expires 600
 channels 2
 keepalive 0
 caller-id $did
 online-number $did extension 201
routing
 default-profile sales
$(box_conf_numbering_us)
media
 rtp-ports $rtp-$rtphi
 codecs g729
CONF
box_run 120
wait_for "$work/box.log" "listening for SIP on udp 127.0.0.1:$wan" 10 || { fail "the box did not start"; evidence "$work/box.log" 30; exit 1; }
if wait_for "$work/box.log" "profile sales: (sales: )?registered" 15; then
    pass "the box registered profile sales to the emulator with digest ($(grep -oE 'profile sales: (sales: )?registered via [^ ]*' "$work/box.log" | head -n1); emulator: $(ctl status | grep -o 'Sales ([0-9]*): registered [^ ]*' | head -n1))"
else fail "the box did not register to the emulator"; evidence "$work/box.log" 20; evidence "$work/emu.log" 20; exit 1; fi

# ---- The phone: baresip 201, PCMU only, plays 600 Hz, dumps what it decodes.
baresip_start "$work/phone" "$phone" "$phonertp" "$phonecons" "g711 aufile aubridge sndfile" \
    "<sip:201@127.0.0.1:$kam>;regint=60;answermode=auto;audio_codecs=pcmu;audio_source=aufile,$work/tone600.wav"
if wait_for "$work/kam/log" "KAMSAVED sip:201@" 10 && wait_for "$work/phone/log" "201@127.0.0.1.*200 OK|registered" 5; then
    pass "phone 201 (baresip, PCMU only) registered to Kamailio (the PBX)"
else fail "phone 201 did not register"; evidence "$work/phone/log"; evidence "$work/kam/log"; exit 1; fi

# ---- The call: tone for tone-seconds, then ~4 s of echo, the phone hangs up.
cons "$phonecons" "/dial sip:$dial@127.0.0.1:$kam" >>"$work/cons.log"
if wait_for "$work/phone/log" "Call established" 10; then
    pass "call established at the phone (dialled $dial; $(grep -o 'call #[0-9]* answered: [^,]*' "$work/emu.log" | head -n1))"
else fail "the call was not established"; evidence "$work/phone/log"; evidence "$work/box.log" 20; evidence "$work/emu.log" 20; exit 1; fi
sleep $((tone_seconds + 4))
cons "$phonecons" "/hangup" >>"$work/cons.log"
if wait_for "$work/phone/log" "terminated \(duration" 5 && wait_for "$work/emu.log" "call #[0-9]+ ended" 5; then
    pass "hung up; the phone saw $(grep -o 'terminated (duration: [0-9]* secs)' "$work/phone/log" | tail -n1), the emulator: $(grep -o 'call #[0-9]* ended: .*' "$work/emu.log" | tail -n1)"
else fail "the call did not end at both ends"; evidence "$work/phone/log"; evidence "$work/emu.log"; fi
grep -q "answered: G729," "$work/emu.log" && pass "the emulator's far end answered G.729 ($(grep -o 'answered: G729.*media [^;]*' "$work/emu.log" | head -n1))" \
    || { fail "the emulator did not answer G.729"; evidence "$work/emu.log"; }

# ---- Stop the box (its final counts, half a second after the last call), then the capture.
box_stop_and_check_released
stop_tshark

# ---- The analyses (python3, standard library only; Tests/interop/lib/tones.py).
cat >"$work/analyse.py" <<'PY'
import sys, glob, collections
from tones import ULAW, frames_of as voiced_frames, first_voiced, tone_verdict, wav_samples, check, all_passed, ports, tshark_fields, call_records

work, port = sys.argv[1], ports(sys.argv[2:])   # the work folder, name=port arguments
tone = port["tone"]
THRESHOLD = 20.0   # dB; G.711 alone gives 30+, two G.729 passes cost some

# 1. What the phone decoded (sndfile: dump-*-dec.wav). The first voiced frame is the far end's first packet.
files = sorted(glob.glob(f"{work}/phone/dump-*-dec.wav"))
if not files:
    check(False, "the phone dumped no decoded audio")
else:
    s, rate = wav_samples(files[-1])
    frames = voiced_frames(s)
    first = first_voiced(frames)
    if first is None:
        check(False, f"the phone's decoded audio is silent ({len(s)/rate:.1f} s)")
    else:
        # Tone: from 0.2 s after the first sound to 0.3 s before tone-seconds; echo: 0.6 s after tone-seconds to 0.3 s before the end.
        tone_part = frames[first + 2:first + tone * 10 - 3]
        echo_part = frames[first + tone * 10 + 6:len(frames) - 3]
        ok, text, _ = tone_verdict(tone_part, 1000, THRESHOLD)
        check(ok and rate == 8000, f"the trunk's G.729 tone reached the PBX phone as PCMU ({rate} Hz wav, {len(s)/rate:.1f} s, sound from {first/10:.1f} s; "
                                   f"{len(tone_part)/10:.1f} s of the tone): {text}")
        ok, text, _ = tone_verdict(echo_part, 600, THRESHOLD)
        check(ok and len(echo_part) >= 10, f"the phone's 600 Hz came back: PCMU -> box G.729 -> emulator echo -> box PCMU -> phone ({len(echo_part)/10:.1f} s after the tone): {text}")
        # Per second, for the report.
        for i in range(first, len(frames), 10):
            sec = frames[i:i + 10]
            _, t1, _ = tone_verdict(sec, 1000, 0); _, t6, _ = tone_verdict(sec, 600, 0)
            print(f"  phone heard, second {(i - first) // 10}: {t1.split(',')[0]}; {t6.split(',')[0]}; {t6.split(', ')[-1]}")

# 2. SIP: the SDP of each hop.
cap = f"{work}/capture.pcapng"
sip = tshark_fields(cap, "-Y", "sdp", "-T", "fields", "-E", "separator=|", "-E", "aggregator=;",
                   "-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "sip.Request-Line", "-e", "sip.Status-Line",
                   "-e", "sdp.media", "-e", "sdp.media_attr")
def hop(a, b): return [l.split("|") for l in sip if {int(x) for x in l.split("|")[1:3]} == {a, b}]
phone_sdp, pbx_sdp, trunk_sdp = hop(port["phone"], port["kam"]), hop(port["lan"], port["kam"]), hop(port["wan"], port["trunk"])
for name, rows in (("phone<->Kamailio", phone_sdp), ("Kamailio<->box LAN", pbx_sdp), ("box WAN<->emulator", trunk_sdp)):
    for f in rows: print(f"  sdp {name} frame {f[0]} {f[1]}->{f[2]} {f[3]}{f[4]}: m={f[5]} a={f[6][:160]}")
def fmts(media): return media.split()[3:] if media else []
def rtpmaps(f): return " ".join(a for a in f[6].split(";") if a.startswith("rtpmap"))
phone_offer = [f for f in phone_sdp if f[3].startswith("INVITE") and int(f[1]) == port["phone"]]
check(phone_offer and all("0" in fmts(f[5]) and "18" not in fmts(f[5]) and "G729" not in f[6].upper() for f in phone_offer),
      f"the phone's offer has PCMU and no G.729: {'; '.join('m=' + f[5] + ' ' + rtpmaps(f) for f in phone_offer)}")
box_offer = [f for f in trunk_sdp if f[3].startswith("INVITE") and int(f[1]) == port["wan"]]
check(box_offer and all([x for x in fmts(f[5]) if x != "101"] == ["18"] for f in box_offer),
      f"the box offered only G.729 (+telephone-event) to the trunk: {'; '.join('m=' + f[5] + ' ' + rtpmaps(f) for f in box_offer)}")
emu_answer = [f for f in trunk_sdp if f[4].startswith("SIP/2.0 200") and int(f[1]) == port["trunk"]]
check(emu_answer and all(fmts(f[5])[:1] == ["18"] for f in emu_answer),
      f"the emulator answered G.729: {'; '.join('m=' + f[5] + ' ' + rtpmaps(f) for f in emu_answer)}")
box_answer = [f for f in pbx_sdp if f[4].startswith("SIP/2.0 200") and int(f[1]) == port["lan"]]
check(box_answer and all(fmts(f[5])[:1] == ["0"] and "18" not in fmts(f[5]) for f in box_answer),
      f"the box answered the PBX with PCMU: {'; '.join('m=' + f[5] + ' ' + rtpmaps(f) for f in box_answer)}")

# 3. RTP to and from the box's media range, by the peer's range.
rtp_lo, rtp_hi = port["rtp"], port["rtp"] + 99
rows = tshark_fields(cap, "-o", "rtp.heuristic_rtp:TRUE", "-Y", "rtp && !rtcp", "-T", "fields", "-E", "separator=|",
                    "-e", "frame.number", "-e", "frame.time_epoch", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "rtp.p_type",
                    "-e", "rtp.timestamp", "-e", "rtp.payload", "-e", "rtp.seq")
def leg(p):
    if port["phonertp"] <= p < port["phonertp"] + 20: return "PBX"
    if port["emurtp"] <= p < port["emurtp"] + 20: return "trunk"
    return None
streams = collections.defaultdict(list)
for r in rows:
    frame, t, sp, dp, pt, ts, payload, seq = r.split("|")
    sp, dp = int(sp), int(dp)
    if rtp_lo <= dp <= rtp_hi and leg(sp): key = (leg(sp), "to box", sp, dp)
    elif rtp_lo <= sp <= rtp_hi and leg(dp): key = (leg(dp), "from box", sp, dp)
    else: continue
    streams[key].append((float(t), int(pt), int(ts), bytes.fromhex(payload.replace(":", "")), int(frame), int(seq)))
# When each 200 OK (INVITE) went by: the emulator's to the box, the box's to the PBX.
oks = tshark_fields(cap, "-Y", "sip.Status-Code == 200 && sip.CSeq.method == \"INVITE\"", "-T", "fields", "-E", "separator=|",
                   "-e", "frame.number", "-e", "frame.time_epoch", "-e", "udp.srcport", "-e", "udp.dstport")
ok_at = {}
for l in oks:
    fn, t, sp, dp = l.split("|")
    if int(sp) == port["trunk"]: ok_at.setdefault("emulator's 200 OK", (int(fn), float(t)))
    if int(sp) == port["lan"]: ok_at.setdefault("box's 200 OK to the PBX", (int(fn), float(t)))
trunk_in = {p[3]: p for k, pk in streams.items() if k[0] == "trunk" and k[1] == "to box" for p in pk}
def odd_packets(pk, pt, size):
    out = []
    for p in pk:
        if p[1] == pt and len(p[3]) == size: continue
        when = ", ".join(f"{(p[0] - t) * 1000:+.1f} ms from the {n} (frame {fn})" for n, (fn, t) in ok_at.items())
        same = trunk_in.get(p[3])
        out.append(f"frame {p[4]} PT {p[1]} {len(p[3])} bytes seq {p[5]} at {when}"
                   + (f", the same payload/seq as the emulator's frame {same[4]} (relayed untranscoded)" if same and same[4] != p[4] else ""))
    return out
def describe(pk):
    sizes = collections.Counter(len(p[3]) for p in pk); pts = collections.Counter(p[1] for p in pk)
    dur = pk[-1][0] - pk[0][0] if len(pk) > 1 else 0
    steps = collections.Counter((b[2] - a[2]) & 0xFFFFFFFF for a, b in zip(pk, pk[1:]))
    return sizes, pts, dur, steps
for k in sorted(streams):
    pk = streams[k]; sizes, pts, dur, steps = describe(pk)
    print(f"  stream {k[0]} leg {k[1]} {k[2]}->{k[3]}: {len(pk)} packets in {dur:.1f} s ({len(pk)/dur if dur else 0:.1f}/s), "
          f"payload bytes {dict(sizes)}, PT {dict(pts)}, timestamp steps {dict(steps.most_common(3))}")
for side, pt, size, codec in (("PBX", 0, 160, "PCMU"), ("trunk", 18, 20, "G.729")):
    for way in ("to box", "from box"):
        ks = [k for k in streams if k[0] == side and k[1] == way]
        if len(ks) != 1: check(False, f"{side} leg {way}: {len(ks)} RTP streams, 1 expected"); continue
        pk = streams[ks[0]]; sizes, pts, dur, steps = describe(pk)
        rate = (len(pk) - 1) / dur if dur else 0
        ok = set(pts) == {pt} and set(sizes) == {size} and len(pk) >= 150 and 45 <= rate <= 55 and steps.most_common(1)[0][0] == 160
        odd = odd_packets(pk, pt, size)
        check(ok, f"{side} leg {way} ({ks[0][2]}->{ks[0][3]}): {len(pk)} packets, all {codec} (PT {pt}, {size}-byte payloads)? PT {dict(pts)}, "
                  f"payload bytes {dict(sizes)}, {rate:.1f} packets/s, timestamp step {steps.most_common(1)[0][0]}"
                  + (f"; not {codec}: " + "; ".join(odd[:5]) if odd else ""))
# The PBX leg box->phone decodes (as PCMU) to the 1 kHz tone in its first seconds: the box transcoded it.
ks = [k for k in streams if k[0] == "PBX" and k[1] == "from box"]
if ks:
    pk = streams[ks[0]]
    pcm = [ULAW[b] for p in pk for b in p[3]]
    fr = voiced_frames(pcm)
    first = first_voiced(fr) or 0
    ok, text, _ = tone_verdict(fr[first + 1:first + tone * 10 - 3], 1000, THRESHOLD)
    check(ok, f"PBX leg box->phone payloads decoded as PCMU carry the trunk's 1 kHz tone: {text}")

# 4. The box's call record.
recs = call_records(f"{work}/trunkbox.db")
good = [r for r in recs if r[0] == "outgoing" and r[1] == "answered" and r[4] == "+12025550143" and r[7]
        and "PCMU" in r[7].upper() and "G729" in r[7].upper().replace(".", "") and r[8] == 0]
check(len(recs) == 1 and len(good) == 1, f"call record: {len(recs)} row(s); outgoing answered to +12025550143 with codec "
      f"{recs[0][7] if recs else None!r}, srtp {recs[0][8] if recs else None}")
sys.exit(0 if all_passed() else 1)
PY
analyse "$work/analyse.py" "$work" lan=$lan wan=$wan kam=$kam trunk=$trunk phone=$phone rtp=$rtp phonertp=$phonertp emurtp=$emurtp tone=$tone_seconds

echo "transcode interop: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
