#!/usr/bin/env bash
# baresip.sh: real phones through the box, on loopback. Kamailio plays the office PBX (registrar for
# extension 201, the box is its trunk), one baresip is phone 201 registered to it, a second baresip is the
# Skype Connect trunk's far end (IP authentication, SDES SRTP mandatory). The box (`trunkbox run
# --config`) sits between them with `srtp required` and `srtp-plain-signalling allow` (UDP signalling).
#
#   outgoing: phone 201 --RTP/AVP--> Kamailio/box LAN --> box WAN --RTP/SAVP--> trunk baresip (0012025550143)
#   incoming: trunk baresip --> box WAN (To +12025550100) --> box LAN --> Kamailio --> phone 201
#
# Each side plays a tone (phone 1000 Hz, trunk 600 Hz; sox makes 8 kHz mono wavs) with baresip's aufile
# source; baresip's sndfile filter dumps what each side decoded to a wav. Checks (PASS/FAIL lines):
#   - the calls are set up and both baresips see them end (hang-up from one side after ~3 s);
#   - the far end hears the other's tone: a Goertzel/DFT of the decoded wav, tone bin far above the others;
#   - the SIP capture: trunk leg SDP is RTP/SAVP with a=crypto AES_CM_128_HMAC_SHA1_80, PBX leg RTP/AVP
#     without crypto;
#   - the RTP capture (tshark on lo): the PBX leg carries plain G.711 whose payload decodes to the tone;
#     the trunk leg's packets are 10 bytes longer (the 80-bit auth tag), no payload equals a PBX-leg
#     payload and its payload decoded as G.711 shows no tone;
#   - the box's call_record rows (sqlite, read-only): answered, srtp 1, a codec, both directions.
# Ports: random in 30000-50000 on 127.0.0.1 only. Every process started here is ended by its pid.
#
# Usage: Tests/interop/calls/baresip.sh path/to/trunkbox      (KEEP_WORK=1 keeps the work folder)
# Needs: baresip (with its aufile, aubridge, sndfile, srtp, cons modules), kamailio, tshark, sox, python3.
set -uo pipefail
bin="$(realpath "${1:?usage: baresip.sh path/to/trunkbox}")"
. "$(cd "$(dirname "$0")" && pwd)/../lib/peers.sh"
peers_setup "baresip interop" baresip

need_tools "apt-get install -y baresip kamailio tshark sox" baresip kamailio tshark sox python3
need_baresip_modules g711 aufile aubridge sndfile srtp cons account menu

# ---- Ports: one block of 400 in 30000-50000, every port of it free on 127.0.0.1 (UDP and TCP).
base=$(free_port_block 24 300)
[ -n "$base" ] || { echo "FAIL: no free block of ports in 30000-50000"; exit 1; }
kam=$base; lan=$((base + 2)); wan=$((base + 4)); lantls=$((base + 6)); wantls=$((base + 8))
phone=$((base + 10)); phonecons=$((base + 13)); trunk=$((base + 16)); trunkcons=$((base + 19))
rtp=$((base + 100)); rtphi=$((base + 199))          # the box's media range
phonertp=$((base + 200)); trunkrtp=$((base + 300))  # each baresip's own RTP range (20 ports)
sipuser=99051000000001; did=+12025550100; dial=912025550143; called=0012025550143
echo "ports: kamailio $kam, box LAN $lan WAN $wan RTP $rtp-$rtphi, phone $phone (RTP $phonertp-$((phonertp + 19))), trunk $trunk (RTP $trunkrtp-$((trunkrtp + 19)))"

make_tone 1000
make_tone 600

# ---- tshark: SIP of all four parties and the box's media range.
start_tshark "udp and (portrange $rtp-$rtphi or port $kam or port $lan or port $wan or port $phone or port $trunk)"

# ---- Kamailio, the office PBX: registrar (no auth, usrloc in memory) and stateful proxy with Record-Route.
kamailio_pbx_start "$work/kam" "$kam" "$lan"

# ---- The box.
cat >"$work/box.conf" <<CONF
hostname baresip-test
$(box_conf_sides "127.0.0.1:$lan/$lantls" "127.0.0.1:$wan/$wantls" "127.0.0.1:$kam")
profile sales
 registrar 127.0.0.1:$trunk
 transport udp
 srtp required
 srtp-plain-signalling allow
 auth ip
 sip-user $sipuser
 password Trunk-Pass-77
 channels 2
 keepalive 0
 caller-id $did
 online-number $did extension 201
routing
 default-profile sales
$(box_conf_numbering_us)
media
 rtp-ports $rtp-$rtphi
CONF
box_run 120
wait_for "$work/box.log" "listening for SIP on udp 127.0.0.1:$wan" 10 || { fail "the box did not start"; evidence "$work/box.log" 30; exit 1; }

# ---- The two baresips. mkbaresip NAME SIPPORT CONSPORT RTPLOW ACCOUNT-LINE
mkbaresip() { baresip_start "$work/$1" "$2" "$4" "$3" "g711 aufile aubridge sndfile srtp" "$5"; }
mkbaresip trunk "$trunk" "$trunkcons" "$trunkrtp" \
    "<sip:$called@127.0.0.1:$trunk>;regint=0;answermode=auto;mediaenc=srtp-mand;audio_codecs=pcmu,pcma;audio_source=aufile,$work/tone600.wav"
mkbaresip phone "$phone" "$phonecons" "$phonertp" \
    "<sip:201@127.0.0.1:$kam>;regint=60;answermode=auto;audio_codecs=pcmu,pcma;audio_source=aufile,$work/tone1000.wav"
wait_for "$work/trunk/log" "baresip is ready" 10 || { fail "trunk baresip did not start"; evidence "$work/trunk/log"; }
if wait_for "$work/kam/log" "KAMSAVED sip:201@" 10 && wait_for "$work/phone/log" "201@127.0.0.1.*200 OK|registered" 5; then
    pass "phone 201 (baresip) registered to Kamailio (the PBX)"
else fail "phone 201 did not register"; evidence "$work/phone/log"; evidence "$work/kam/log"; fi

# call NAME FROM-CONS FROM-LOG TO-LOG URI HANGUP-CONS: a call, ~3 s of tones, hang-up, both ends see it end.
call() {
    local name=$1 fromcons=$2 fromlog=$3 tolog=$4 uri=$5 hangcons=$6
    local est_from est_to end_from end_to
    est_from=$(count_of "$fromlog" "Call established"); est_to=$(count_of "$tolog" "Call established")
    end_from=$(count_of "$fromlog" "terminated \(duration"); end_to=$(count_of "$tolog" "terminated \(duration")
    cons "$fromcons" "/dial $uri" >>"$work/cons.log"
    local i up=0
    for i in $(seq 100); do
        if [ "$(count_of "$fromlog" "Call established")" -gt "$est_from" ] && [ "$(count_of "$tolog" "Call established")" -gt "$est_to" ]; then up=1; break; fi
        sleep 0.1
    done
    if [ $up = 1 ]; then pass "$name: call established at both baresips ($uri)"
    else fail "$name: call not established (dialled $uri)"; evidence "$fromlog"; evidence "$tolog"; evidence "$work/box.log" 20; return 1; fi
    sleep 3
    cons "$hangcons" "/hangup" >>"$work/cons.log"
    local down=0
    for i in $(seq 50); do
        if [ "$(count_of "$fromlog" "terminated \(duration")" -gt "$end_from" ] && [ "$(count_of "$tolog" "terminated \(duration")" -gt "$end_to" ]; then down=1; break; fi
        sleep 0.1
    done
    if [ $down = 1 ]; then pass "$name: hung up, both baresips saw the call end ($(grep -o 'terminated (duration: [0-9]* secs)' "$tolog" | tail -n1))"
    else fail "$name: the call did not end at both baresips"; evidence "$fromlog"; evidence "$tolog"; fi
    sleep 0.5
}
call outgoing "$phonecons" "$work/phone/log" "$work/trunk/log" "sip:$dial@127.0.0.1:$kam" "$phonecons"
mkdir -p "$work/out-phone" "$work/out-trunk"
mv "$work"/phone/dump-*.wav "$work/out-phone/" 2>/dev/null; mv "$work"/trunk/dump-*.wav "$work/out-trunk/" 2>/dev/null
call incoming "$trunkcons" "$work/trunk/log" "$work/phone/log" "sip:$did@127.0.0.1:$wan" "$phonecons"
mkdir -p "$work/in-phone" "$work/in-trunk"
mv "$work"/phone/dump-*.wav "$work/in-phone/" 2>/dev/null; mv "$work"/trunk/dump-*.wav "$work/in-trunk/" 2>/dev/null

# ---- Stop the box (its final counts, half a second after the last call), then the capture.
box_stop_and_check_released
stop_tshark

# ---- The analyses (python3, standard library only; Tests/interop/lib/tones.py).
cat >"$work/analyse.py" <<'PY'
import sys, glob, collections
from tones import g711_decode as decode, frames_of, tone_verdict, wav_samples, check, all_passed, ports, tshark_fields, call_records

work, port = sys.argv[1], ports(sys.argv[2:])   # the work folder, name=port arguments

# 1. The decoded audio each baresip dumped (sndfile: dump-*-dec.wav is what it received).
for call in ("out", "in"):
    for side, want, frm in (("trunk", 1000, "phone"), ("phone", 600, "trunk")):
        files = sorted(glob.glob(f"{work}/{call}-{side}/dump-*-dec.wav"))
        name = "outgoing" if call == "out" else "incoming"
        if not files: check(False, f"{name}: {side} baresip dumped no decoded audio"); continue
        s, rate = wav_samples(files[-1])
        ok, text, _ = tone_verdict(frames_of(s), want, 30)
        check(ok and rate == 8000, f"{name}: the {frm}'s tone reached the {side} ({rate} Hz wav, {len(s)/rate:.1f} s): {text}")

# 2. SIP: the SDP of each leg.
cap = f"{work}/capture.pcapng"
sip = tshark_fields(cap, "-Y", "sdp", "-T", "fields", "-E", "separator=|", "-E", "aggregator=;",
                   "-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "sip.Request-Line", "-e", "sip.Status-Line",
                   "-e", "sdp.media", "-e", "sdp.media_attr", "-e", "sdp.connection_info")
lan, wan, kam, trunk, phone = port["lan"], port["wan"], port["kam"], port["trunk"], port["phone"]
trunk_sdp = [l for l in sip if {int(x) for x in l.split("|")[1:3]} == {wan, trunk}]
pbx_sdp = [l for l in sip if {int(x) for x in l.split("|")[1:3]} == {lan, kam}]
def crypto_ok(l): return "RTP/SAVP" in l and "crypto:" in l and "AES_CM_128_HMAC_SHA1_80" in l
check(len(trunk_sdp) >= 4 and all(crypto_ok(l) for l in trunk_sdp),
      f"trunk leg SDP: {len(trunk_sdp)} offers/answers, all RTP/SAVP with a=crypto AES_CM_128_HMAC_SHA1_80")
check(len(pbx_sdp) >= 4 and all("RTP/AVP" in l and "RTP/SAVP" not in l and "crypto" not in l for l in pbx_sdp),
      f"PBX leg SDP (box <-> Kamailio): {len(pbx_sdp)} offers/answers, all RTP/AVP without a=crypto")
for l in trunk_sdp + pbx_sdp:
    f = l.split("|"); print("  sdp frame %s %s->%s %s%s: m=%s c=%s" % (f[0], f[1], f[2], f[3], f[4], f[5], f[7]))

# 3. RTP: every stream to or from the box's media range, classified by the peer's port range. tshark
# decodes a port pair as SRTP once the SDP said RTP/SAVP (srtp.enc_payload, srtp.auth_tag), as RTP otherwise;
# the bytes after the RTP header ("wire payload") are the same either way.
rtp_lo, rtp_hi = port["rtp"], port["rtp"] + 99
rows = tshark_fields(cap, "-o", "rtp.heuristic_rtp:TRUE", "-Y", "rtp && !rtcp", "-T", "fields", "-E", "separator=|",
                    "-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length", "-e", "rtp.p_type", "-e", "rtp.ssrc",
                    "-e", "rtp.payload", "-e", "srtp.enc_payload", "-e", "srtp.auth_tag")
def leg(p):
    if port["phonertp"] <= p < port["phonertp"] + 20: return "pbx"
    if port["trunkrtp"] <= p < port["trunkrtp"] + 20: return "trunk"
    return None
Pkt = collections.namedtuple("Pkt", "frame udplen pt ssrc wire tag")
streams = collections.defaultdict(list)
hexb = lambda t: bytes.fromhex(t.replace(":", ""))
for r in rows:
    frame, sp, dp, ulen, pt, ssrc, plain, enc, tag = r.split("|")
    sp, dp = int(sp), int(dp)
    if rtp_lo <= dp <= rtp_hi and leg(sp): key = (leg(sp), "to box", sp, dp)
    elif rtp_lo <= sp <= rtp_hi and leg(dp): key = (leg(dp), "from box", sp, dp)
    else: continue
    streams[key].append(Pkt(int(frame), int(ulen), int(pt), ssrc, hexb(plain) + hexb(enc) + hexb(tag), bool(tag)))
# What each baresip sent to the box, by wire payload: what the box must not relay as it is to the other leg.
wire = {side: {p.wire: p for k, pk in streams.items() if k[0] == side and k[1] == "to box" for p in pk} for side in ("pbx", "trunk")}
for k in sorted(streams):
    pk = streams[k]
    print(f"  stream {k[0]} leg {k[1]} {k[2]}->{k[3]}: {len(pk)} packets, wire payload bytes {dict(collections.Counter(len(p.wire) for p in pk))}, "
          f"udp length {dict(collections.Counter(p.udplen for p in pk))}, PT {dict(collections.Counter(p.pt for p in pk))}, "
          f"SSRC {dict(collections.Counter(p.ssrc for p in pk))}, {len({p.wire for p in pk})} distinct payloads")
want = {("pbx", "to box"): 1000, ("pbx", "from box"): 600, ("trunk", "to box"): 600, ("trunk", "from box"): 1000}
for side in ("pbx", "trunk"):
    for way in ("to box", "from box"):
        ks = [k for k in streams if k[0] == side and k[1] == way]
        if len(ks) < 2: check(False, f"{side} leg {way}: {len(ks)} RTP streams seen, 2 expected (one per call)"); continue
        for k in ks:
            pk = streams[k]; main_pt = collections.Counter(p.pt for p in pk).most_common(1)[0][0]
            codec = {0: "PCMU", 8: "PCMA"}.get(main_pt, str(main_pt))
            if side == "pbx":
                plain = [p for p in pk if len(p.wire) == 160]
                ok, text, _ = tone_verdict(frames_of([v for p in plain for v in decode(main_pt, p.wire)]), want[(side, way)], 30)
                check(ok and main_pt in (0, 8), f"PBX leg {way} ({k[2]}->{k[3]}): plain {codec}, {len(plain)} packets of 160 payload bytes decode to the tone: {text}")
                odd = [p for p in pk if len(p.wire) != 160]
                ciphertext = [p for p in pk if way == "from box" and p.wire in wire["trunk"]]
                check(not odd and not ciphertext,
                      f"PBX leg {way} ({k[2]}->{k[3]}): only plain G.711 ({len(odd)} packets not 160 bytes, {len(ciphertext)} are trunk-leg SRTP packets relayed undecrypted"
                      + (": frames " + ", ".join(f"{p.frame} (={wire['trunk'][p.wire].frame}, {p.udplen}-byte UDP)" for p in ciphertext[:6]) if ciphertext else "") + ")")
            else:
                ok, text, _ = tone_verdict(frames_of([v for p in pk for v in decode(main_pt, p.wire[:160])]), want[(side, way)], 30)
                srtp = [p for p in pk if len(p.wire) == 170]
                leaked = [p for p in pk if way == "from box" and (p.wire in wire["pbx"] or p.wire[:160] in wire["pbx"])]
                check(len(srtp) == len(pk) and not leaked and not ok and len({p.wire for p in pk}) == len(pk),
                      f"trunk leg {way} ({k[2]}->{k[3]}): SRTP {codec}, {len(srtp)} of {len(pk)} packets carry 170 payload bytes (160 + 10-byte auth tag), "
                      f"tshark's srtp.auth_tag in {sum(p.tag for p in pk)}, {len({p.wire for p in pk})} distinct, {len(leaked)} equal to a PBX-leg (plaintext) payload"
                      + (": frames " + ", ".join(f"{p.frame} (={wire['pbx'][p.wire].frame if p.wire in wire['pbx'] else '?'}, {p.udplen}-byte UDP, SSRC {p.ssrc})" for p in leaked[:6]) if leaked else "")
                      + f"; decoded as G.711 no tone: {text}")

# 4. The box's call records.
recs = call_records(f"{work}/trunkbox.db")
out = [r for r in recs if r[0] == "outgoing" and r[1] == "answered" and r[8] == 1 and r[7] and r[4] == "+12025550143" and r[6] >= 2]
inc = [r for r in recs if r[0] == "incoming" and r[1] == "answered" and r[8] == 1 and r[7] and r[5] == "201" and r[6] >= 2]
check(len(recs) == 2 and len(out) == 1 and len(inc) == 1,
      f"call records: {len(recs)} rows; outgoing answered srtp 1 to +12025550143: {len(out)}; incoming answered srtp 1 to extension 201: {len(inc)}")
sys.exit(0 if all_passed() else 1)
PY
analyse "$work/analyse.py" "$work" lan=$lan wan=$wan kam=$kam trunk=$trunk phone=$phone rtp=$rtp phonertp=$phonertp trunkrtp=$trunkrtp

echo "baresip interop: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
