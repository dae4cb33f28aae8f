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
work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-baresip.XXXXXX")"
pids=(); box=""; tshark_pid=""
passes=0; fails=0
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
evidence() { echo "  --- $1"; grep -vE '^\s*$' "$1" 2>/dev/null | sed 's/\[0:0[^)]*)//g' | grep -v '^ *$' | tail -n "${2:-15}" | cut -c1-220 | sed 's/^/  | /'; }
cleanup() {
    local p
    [ -n "$tshark_pid" ] && kill -INT "$tshark_pid" 2>/dev/null
    [ -n "$box" ] && kill -INT "$box" 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
    if [ "$fails" -gt 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then echo "baresip interop: logs kept in $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'echo "baresip interop: interrupted"; exit 130' INT TERM

for tool in baresip kamailio tshark sox python3; do
    command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (apt-get install -y baresip kamailio tshark sox)"; exit 1; }
done
bmods=/usr/lib/baresip/modules
for m in g711 aufile aubridge sndfile srtp cons account menu; do
    [ -f "$bmods/$m.so" ] || { echo "FAIL: baresip module $m.so missing in $bmods"; exit 1; }
done
kmods="${KAM_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules}"

# ---- Ports: one block of 400 in 30000-50000, every port of it free on 127.0.0.1 (UDP and TCP).
base=$(python3 - <<'PY'
import random, socket
for _ in range(200):
    b = random.randrange(30000, 49600, 2)
    held, ok = [], True
    for p in list(range(b, b + 24)) + list(range(b + 100, b + 400)):
        try:
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p)); held.append(u)
            if p < b + 24:
                t = socket.socket(); t.bind(("127.0.0.1", p)); held.append(t)
        except OSError:
            ok = False; break
    for s in held: s.close()
    if ok: print(b); break
PY
)
[ -n "$base" ] || { echo "FAIL: no free block of ports in 30000-50000"; exit 1; }
kam=$base; lan=$((base + 2)); wan=$((base + 4)); lantls=$((base + 6)); wantls=$((base + 8))
phone=$((base + 10)); phonecons=$((base + 13)); trunk=$((base + 16)); trunkcons=$((base + 19))
rtp=$((base + 100)); rtphi=$((base + 199))          # the box's media range
phonertp=$((base + 200)); trunkrtp=$((base + 300))  # each baresip's own RTP range (20 ports)
sipuser=99051000000001; did=+12025550100; dial=912025550143; called=0012025550143
echo "ports: kamailio $kam, box LAN $lan WAN $wan RTP $rtp-$rtphi, phone $phone (RTP $phonertp-$((phonertp + 19))), trunk $trunk (RTP $trunkrtp-$((trunkrtp + 19)))"

sox -n -r 8000 -c 1 -b 16 -e signed-integer "$work/tone1000.wav" synth 30 sine 1000 vol 0.5 || { echo "FAIL: sox"; exit 1; }
sox -n -r 8000 -c 1 -b 16 -e signed-integer "$work/tone600.wav" synth 30 sine 600 vol 0.5 || { echo "FAIL: sox"; exit 1; }

# wait_for FILE REGEX SECONDS
wait_for() {
    local i
    for i in $(seq $(($3 * 10))); do grep -qE -- "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}
count_of() { grep -cE -- "$2" "$1" 2>/dev/null || true; }
# cons PORT COMMAND: a command to a baresip's console (cons module, UDP).
cons() {
    python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto((sys.argv[2] + "\n").encode(), ("127.0.0.1", int(sys.argv[1])))
try: print("cons:", s.recv(4000).decode(errors="replace").strip())
except OSError as e: print("cons: no answer", e)
PY
}

# ---- tshark: SIP of all four parties and the box's media range.
tshark -i lo -n -q -w "$work/capture.pcapng" \
    -f "udp and (portrange $rtp-$rtphi or port $kam or port $lan or port $wan or port $phone or port $trunk)" \
    >"$work/tshark.log" 2>&1 &
tshark_pid=$!; pids+=("$tshark_pid")
wait_for "$work/tshark.log" "Capturing on" 10 || { echo "FAIL: tshark did not start"; evidence "$work/tshark.log"; exit 1; }

# ---- Kamailio, the office PBX: registrar (no auth, usrloc in memory) and stateful proxy with Record-Route.
mkdir -p "$work/kam"
cat >"$work/kam/kamailio.cfg" <<KAM
#!KAMAILIO
debug=2
log_stderror=yes
log_prefix=""
children=1
auto_aliases=no
dns=no
rev_dns=no
use_dns_cache=no
listen=udp:127.0.0.1:$kam
mpath="$kmods"
loadmodule "kex.so"
loadmodule "corex.so"
loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "xlog.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
modparam("usrloc", "db_mode", 0)
modparam("registrar", "min_expires", 10)
modparam("registrar", "default_expires", 60)

request_route {
	xlog("L_NOTICE", "KAMRX \$rm \$ru from \$si:\$sp cseq=\$cs\n");
	if (!mf_process_maxfwd_header("10")) { sl_send_reply("483", "Too Many Hops"); exit; }
	if (has_totag()) {
		if (loose_route()) { t_relay(); exit; }
		if (is_method("ACK")) { if (t_check_trans()) { t_relay(); } exit; }
		sl_send_reply("404", "Not here");
		exit;
	}
	if (is_method("CANCEL")) { if (t_check_trans()) { t_relay(); } exit; }
	if (is_method("REGISTER")) {
		if (!save("location")) { sl_reply_error(); }
		xlog("L_NOTICE", "KAMSAVED \$tu contact=\$ct\n");
		exit;
	}
	if (!is_method("INVITE")) { sl_send_reply("405", "Method Not Allowed"); exit; }
	record_route();
	if (\$si == "127.0.0.1" && \$sp == $lan) {
		# From the box (the PBX's trunk): only local extensions, found in the location table.
		if (\$rU =~ "^2[0-9][0-9]\$" && lookup("location")) {
			xlog("L_NOTICE", "KAMROUTE box -> extension \$rU at \$ru\n");
			t_relay(); exit;
		}
		sl_send_reply("404", "No such extension"); exit;
	}
	if (\$rU =~ "^2[0-9][0-9]\$") {
		if (lookup("location")) { t_relay(); } else { sl_send_reply("404", "Not registered"); }
		exit;
	}
	# Anything not local goes out over the trunk, the box's LAN side.
	\$rd = "127.0.0.1"; \$rp = $lan;
	xlog("L_NOTICE", "KAMROUTE \$fU -> trunk \$ru\n");
	t_relay();
}
KAM
kamailio -c -f "$work/kam/kamailio.cfg" >"$work/kam/check.log" 2>&1 || { echo "FAIL: Kamailio rejects its configuration"; evidence "$work/kam/check.log" 30; exit 1; }
kamailio -f "$work/kam/kamailio.cfg" -DD -E -n 1 -m 64 -M 8 -Y "$work/kam" >"$work/kam/log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', $kam))" 2>/dev/null || break; sleep 0.1; done

# ---- The box.
cat >"$work/box.conf" <<CONF
hostname baresip-test
lan
 address 127.0.0.1
 sip-port $lan
 tls-port $lantls
wan
 address 127.0.0.1
 sip-port $wan
 tls-port $wantls
pbx
 address 127.0.0.1
 port $kam
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
numbering
 country-code 1
 national-prefix 1
 international-prefix 011
 access-prefix 9
media
 rtp-ports $rtp-$rtphi
CONF
"$bin" run --config "$work/box.conf" --db "$work/trunkbox.db" --console-socket "$work/console.sock" \
    --no-serial-console --duration 120 >"$work/box.log" 2>&1 &
box=$!; pids+=("$box")
wait_for "$work/box.log" "listening for SIP on udp 127.0.0.1:$wan" 10 || { fail "the box did not start"; evidence "$work/box.log" 30; exit 1; }

# ---- The two baresips. mkbaresip NAME SIPPORT CONSPORT RTPLOW ACCOUNT-LINE
mkbaresip() {
    local d="$work/$1"; mkdir -p "$d"
    cat >"$d/config" <<EOF
poll_method		epoll
sip_listen		127.0.0.1:$2
net_interface		127.0.0.1
call_local_timeout	30
call_max_calls		2
audio_player		aubridge,$1
audio_alert		aubridge,$1-alert
audio_source		aubridge,$1-nothing
rtp_ports		$4-$(($4 + 19))
rtcp_mux		no
jitter_buffer_delay	1-10
module_path		/usr/lib/baresip/modules
module			g711.so
module			aufile.so
module			aubridge.so
module			sndfile.so
module			srtp.so
module			cons.so
module_tmp		uuid.so
module_tmp		account.so
module_app		menu.so
cons_listen		127.0.0.1:$3
snd_path		$d
EOF
    echo "$5" >"$d/accounts"
    (cd "$d" && exec baresip -f "$d" -t 100 >"$d/log" 2>&1) &
    pids+=($!)
}
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

# ---- Stop the box (its final counts), the capture, the rest.
sleep 0.5
kill -INT "$box"; wait "$box" 2>/dev/null; box=""
kill -INT "$tshark_pid"; wait "$tshark_pid" 2>/dev/null; tshark_pid=""
grep "calls at stop:" "$work/box.log" | grep -q "calls 0, dialogs 0, channels 0, media sessions 0, media ports 0" \
    && pass "box released everything ($(grep -o 'calls at stop:.*' "$work/box.log"))" \
    || { fail "box did not release everything"; grep "calls at stop" "$work/box.log"; }

# ---- The analyses (python3, standard library only).
cat >"$work/analyse.py" <<'PY'
import math, struct, sys, wave, glob, subprocess, sqlite3, collections

def ulaw(b):
    b = ~b & 0xFF
    t = ((b & 0x0F) << 3) + 0x84
    t <<= (b & 0x70) >> 4
    return (0x84 - t) if (b & 0x80) else (t - 0x84)
def alaw(b):
    b ^= 0x55
    t = (b & 0x0F) << 4
    seg = (b & 0x70) >> 4
    if seg == 0: t += 8
    elif seg == 1: t += 0x108
    else: t = (t + 0x108) << (seg - 1)
    return t if (b & 0x80) else -t
ULAW = [ulaw(i) for i in range(256)]; ALAW = [alaw(i) for i in range(256)]

def spectrum(samples, rate=8000):
    """Power at 100 Hz steps 200..3800 Hz (Goertzel over whole frames of 800 samples, averaged), and RMS."""
    n = 800
    bins = list(range(200, 3900, 100))
    power = dict.fromkeys(bins, 0.0); frames = 0
    for start in range(0, len(samples) - n + 1, n):
        x = samples[start:start + n]
        if max(abs(v) for v in x) < 100: continue   # silence before the call / after the file
        frames += 1
        for f in bins:
            w = 2 * math.pi * f / rate; c = 2 * math.cos(w); s1 = s2 = 0.0
            for v in x: s1, s2 = v + c * s1 - s2, s1
            power[f] += s1 * s1 + s2 * s2 - c * s1 * s2
    rms = math.sqrt(sum(v * v for v in samples) / len(samples)) if samples else 0.0
    return power, frames, rms

def tone_verdict(samples, want):
    power, frames, rms = spectrum(samples)
    if frames == 0: return False, "no audio (all silence), %d samples" % len(samples)
    others = max(p for f, p in power.items() if abs(f - want) > 100)
    ratio = 10 * math.log10(power[want] / others) if others > 0 else 99.0
    level = 20 * math.log10(max(rms, 1e-9) / 32768)
    ok = ratio >= 30
    return ok, "%d Hz %.1f dB above the strongest other bin, %d voiced 100 ms frames, RMS %.1f dBFS" % (want, ratio, frames, level)

def wav_samples(path):
    w = wave.open(path)
    assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
    data = w.readframes(w.getnframes())
    return list(struct.unpack("<%dh" % (len(data) // 2), data)), w.getframerate()

results = []
def check(ok, text): results.append((ok, text)); print(("PASS: " if ok else "FAIL: ") + text)

work = sys.argv[1]
port = {k: int(v) for k, v in (a.split("=") for a in sys.argv[2:])}

# 1. The decoded audio each baresip dumped (sndfile: dump-*-dec.wav is what it received).
for call in ("out", "in"):
    for side, want, frm in (("trunk", 1000, "phone"), ("phone", 600, "trunk")):
        files = sorted(glob.glob(f"{work}/{call}-{side}/dump-*-dec.wav"))
        name = "outgoing" if call == "out" else "incoming"
        if not files: check(False, f"{name}: {side} baresip dumped no decoded audio"); continue
        s, rate = wav_samples(files[-1])
        ok, text = tone_verdict(s, want)
        check(ok and rate == 8000, f"{name}: the {frm}'s tone reached the {side} ({rate} Hz wav, {len(s)/rate:.1f} s): {text}")

# 2. SIP: the SDP of each leg.
cap = f"{work}/capture.pcapng"
sip = subprocess.run(["tshark", "-r", cap, "-n", "-Y", "sdp", "-T", "fields", "-E", "separator=|", "-E", "aggregator=;",
                      "-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "sip.Request-Line", "-e", "sip.Status-Line",
                      "-e", "sdp.media", "-e", "sdp.media_attr", "-e", "sdp.connection_info"],
                     capture_output=True, text=True).stdout.splitlines()
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
rows = subprocess.run(["tshark", "-r", cap, "-n", "-o", "rtp.heuristic_rtp:TRUE", "-Y", "rtp && !rtcp", "-T", "fields", "-E", "separator=|",
                       "-e", "frame.number", "-e", "udp.srcport", "-e", "udp.dstport", "-e", "udp.length", "-e", "rtp.p_type", "-e", "rtp.ssrc",
                       "-e", "rtp.payload", "-e", "srtp.enc_payload", "-e", "srtp.auth_tag"],
                      capture_output=True, text=True).stdout.splitlines()
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
def decode(pt, payload):
    table = ULAW if pt == 0 else ALAW
    return [table[b] for b in payload]
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
                ok, text = tone_verdict([v for p in plain for v in decode(main_pt, p.wire)], want[(side, way)])
                check(ok and main_pt in (0, 8), f"PBX leg {way} ({k[2]}->{k[3]}): plain {codec}, {len(plain)} packets of 160 payload bytes decode to the tone: {text}")
                odd = [p for p in pk if len(p.wire) != 160]
                ciphertext = [p for p in pk if way == "from box" and p.wire in wire["trunk"]]
                check(not odd and not ciphertext,
                      f"PBX leg {way} ({k[2]}->{k[3]}): only plain G.711 ({len(odd)} packets not 160 bytes, {len(ciphertext)} are trunk-leg SRTP packets relayed undecrypted"
                      + (": frames " + ", ".join(f"{p.frame} (={wire['trunk'][p.wire].frame}, {p.udplen}-byte UDP)" for p in ciphertext[:6]) if ciphertext else "") + ")")
            else:
                ok, text = tone_verdict([v for p in pk for v in decode(main_pt, p.wire[:160])], want[(side, way)])
                srtp = [p for p in pk if len(p.wire) == 170]
                leaked = [p for p in pk if way == "from box" and (p.wire in wire["pbx"] or p.wire[:160] in wire["pbx"])]
                check(len(srtp) == len(pk) and not leaked and not ok and len({p.wire for p in pk}) == len(pk),
                      f"trunk leg {way} ({k[2]}->{k[3]}): SRTP {codec}, {len(srtp)} of {len(pk)} packets carry 170 payload bytes (160 + 10-byte auth tag), "
                      f"tshark's srtp.auth_tag in {sum(p.tag for p in pk)}, {len({p.wire for p in pk})} distinct, {len(leaked)} equal to a PBX-leg (plaintext) payload"
                      + (": frames " + ", ".join(f"{p.frame} (={wire['pbx'][p.wire].frame if p.wire in wire['pbx'] else '?'}, {p.udplen}-byte UDP, SSRC {p.ssrc})" for p in leaked[:6]) if leaked else "")
                      + f"; decoded as G.711 no tone: {text}")

# 4. The box's call records.
db = sqlite3.connect(f"file:{work}/trunkbox.db?mode=ro", uri=True)
recs = db.execute("select direction, disposition, sip_cause, caller, called, extension, billable_seconds, codec, srtp,"
                  " pbx_packets_sent, pbx_packets_received, trunk_packets_sent, trunk_packets_received from call_record order by id").fetchall()
for r in recs: print("  record:", r)
out = [r for r in recs if r[0] == "outgoing" and r[1] == "answered" and r[8] == 1 and r[7] and r[4] == "+12025550143" and r[6] >= 2]
inc = [r for r in recs if r[0] == "incoming" and r[1] == "answered" and r[8] == 1 and r[7] and r[5] == "201" and r[6] >= 2]
check(len(recs) == 2 and len(out) == 1 and len(inc) == 1,
      f"call records: {len(recs)} rows; outgoing answered srtp 1 to +12025550143: {len(out)}; incoming answered srtp 1 to extension 201: {len(inc)}")
sys.exit(0 if all(ok for ok, _ in results) else 1)
PY
python3 "$work/analyse.py" "$work" lan=$lan wan=$wan kam=$kam trunk=$trunk phone=$phone rtp=$rtp phonertp=$phonertp trunkrtp=$trunkrtp >"$work/analyse.out" 2>&1
cat "$work/analyse.out"
passes=$((passes + $(grep -c '^PASS' "$work/analyse.out"))); fails=$((fails + $(grep -c '^FAIL' "$work/analyse.out")))
grep -q Traceback "$work/analyse.out" && fail "the analysis crashed"

echo "baresip interop: $passes passed, $fails failed"
[ "$fails" -eq 0 ]
