# peers.sh: helpers shared by the call interop checks (sourced by Tests/interop/calls/*.sh and emulator/baresip.sh, not run).
# Gives: the work folder and PASS/FAIL bookkeeping with a clean-up trap that ends every process a check
# started (by pid), free loopback port blocks, log polling (wait_for, count_of), the box's configuration
# blocks and start, baresip (its modules, config, accounts, console), the trunk emulator's control
# socket, Kamailio as the office PBX, tshark on lo, and sox tones. The scenario stays in each script.
#
# Conventions (lower case, as the scripts had them): $work, $bin, pids=() (every background pid, ended on
# exit), passes/fails, and the pids of processes to end with SIGINT first: $tshark_pid, $box, $emu.

PEERS_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BARESIP_MODULES_DIR="${BARESIP_MODULES_DIR:-/usr/lib/baresip/modules}"
KAM_MODULES="${KAM_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules}"

# peers_setup LABEL WORK-NAME: a work folder ($work) kept when a check failed or KEEP_WORK=1, the
# counters, and the traps. LABEL names the check in its last lines ("LABEL: logs kept in ...").
peers_setup() {
    peers_label="$1"
    work="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-$2.XXXXXX")"
    pids=(); box=""; emu=""; tshark_pid=""
    passes=0; fails=0
    trap peers_cleanup EXIT
    trap 'echo "$peers_label: interrupted"; exit 130' INT TERM
}
peers_cleanup() {
    local p
    [ -n "$tshark_pid" ] && kill -INT "$tshark_pid" 2>/dev/null
    [ -n "$box" ] && kill -INT "$box" 2>/dev/null
    [ -n "$emu" ] && kill -INT "$emu" 2>/dev/null
    for p in "${pids[@]}" $box; do kill "$p" 2>/dev/null; done
    for p in "${pids[@]}" $box; do wait "$p" 2>/dev/null; done
    if [ "$fails" -gt 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then echo "$peers_label: logs kept in $work"; else rm -rf "$work"; fi
}
pass() { passes=$((passes + 1)); echo "PASS: $*"; }
fail() { fails=$((fails + 1)); echo "FAIL: $*"; }
# plain FILE: the file without terminal colours (baresip colours its log). Status 0 even when the reader
# stops early (`plain F | grep -q ...` under pipefail: sed's SIGPIPE must not turn a match into a miss).
plain() { sed 's/\x1b\[[0-9;]*m//g' "$1" 2>/dev/null || true; }
# evidence FILE [LINES]: the last non-blank lines of a log, indented, after a FAIL.
evidence() {
    echo "  --- $1"
    plain "$1" | sed 's/\[0:0[^)]*)//g' | grep -vE '^\s*$' | tail -n "${2:-15}" | cut -c1-220 | sed 's/^/  | /'
}
# stop PID: end one process started here and forget it (so the clean-up never signals a reused pid).
stop() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; forget "$1"; }
forget() {
    local p keep=()
    for p in "${pids[@]}"; do [ "$p" = "$1" ] || keep+=("$p"); done
    pids=("${keep[@]}")
}

# need_tools HINT TOOL...: exit with a FAIL line when one is not installed (HINT: how to install them).
need_tools() {
    local hint="$1" tool; shift
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed ($hint)"; exit 1; }
    done
}
# need_baresip_modules MODULE...: exit with a FAIL line when baresip lacks one of them.
need_baresip_modules() {
    local m
    for m in "$@"; do
        [ -f "$BARESIP_MODULES_DIR/$m.so" ] || { echo "FAIL: baresip module $m.so missing in $BARESIP_MODULES_DIR"; exit 1; }
    done
}

# free_port_block SIP-PORTS RTP-PORTS: the base of a block in 30000-50000 where base..base+SIP-PORTS-1 are
# free for UDP and TCP and base+100..base+100+RTP-PORTS-1 for UDP, on 127.0.0.1; empty when none is found.
free_port_block() {
    python3 - "$1" "$2" <<'PY'
import random, socket, sys
sip, rtp = int(sys.argv[1]), int(sys.argv[2])
for _ in range(200):
    b = random.randrange(30000, 49600, 2)
    held, ok = [], True
    for p in list(range(b, b + sip)) + list(range(b + 100, b + 100 + rtp)):
        try:
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p)); held.append(u)
            if p < b + sip:
                t = socket.socket(); t.bind(("127.0.0.1", p)); held.append(t)
        except OSError:
            ok = False; break
    for s in held: s.close()
    if ok: print(b); break
PY
}

# wait_for FILE REGEX SECONDS: poll (every 0.1 s) until a line of FILE matches; 1 on time-out. 0 s: look once.
wait_for() {
    local i
    for i in $(seq 0 $(($3 * 10))); do
        plain "$1" | grep -qE -- "$2" && return 0
        [ "$i" -lt $(($3 * 10)) ] && sleep 0.1
    done
    return 1
}
# count_of FILE REGEX: how many lines of FILE match.
count_of() { plain "$1" | grep -cE -- "$2" || true; }

# make_tone HZ: $work/toneHZ.wav, 30 s of a sine at half scale, 8 kHz mono 16-bit (exits on a sox failure).
make_tone() {
    sox -n -r 8000 -c 1 -b 16 -e signed-integer "$work/tone$1.wav" synth 30 sine "$1" vol 0.5 || { echo "FAIL: sox"; exit 1; }
}

# start_tshark FILTER: capture on lo into $work/capture.pcapng (capture filter FILTER); exits if it does not start.
start_tshark() {
    tshark -i lo -n -q -w "$work/capture.pcapng" -f "$1" >"$work/tshark.log" 2>&1 &
    tshark_pid=$!; pids+=("$tshark_pid")
    wait_for "$work/tshark.log" "Capturing on" 10 || { echo "FAIL: tshark did not start"; evidence "$work/tshark.log"; exit 1; }
}
# stop_tshark: end the capture so the file is complete.
stop_tshark() { kill -INT "$tshark_pid"; wait "$tshark_pid" 2>/dev/null; forget "$tshark_pid"; tshark_pid=""; }

# ---- The box.
# box_conf_sides LAN WAN PBX: the lan, wan and pbx sections of a box configuration. LAN and WAN are
# ADDRESS:SIP-PORT[/TLS-PORT], PBX is ADDRESS[:PORT]; lines printed after it continue the pbx section.
box_conf_sides() {
    local side spec
    for side in lan wan; do
        if [ "$side" = lan ]; then spec="$1"; else spec="$2"; fi
        echo "$side"
        echo " address ${spec%%:*}"
        spec="${spec#*:}"
        echo " sip-port ${spec%%/*}"
        [ "$spec" != "${spec#*/}" ] && echo " tls-port ${spec#*/}"
    done
    echo "pbx"
    echo " address ${3%%:*}"
    [ "$3" != "${3#*:}" ] && echo " port ${3#*:}"
    return 0
}
# box_conf_numbering_us: the numbering section of a US line (9 for an outside line, 011 international).
box_conf_numbering_us() {
    printf '%s\n' numbering " country-code 1" " national-prefix 1" " international-prefix 011" " access-prefix 9"
}
# box_conf_sipp_profile TRUNK-ADDRESS:PORT RTP-LOW-HIGH: the rest of a minimal configuration for SIPp on
# both sides: profile sales (IP authentication, SIP user 99051000000001, 2 channels, no keepalive) as the
# default, country code 1, the RTP range.
box_conf_sipp_profile() {
    printf '%s\n' "profile sales" " registrar $1" " auth ip" " keepalive 0" " sip-user 99051000000001" " channels 2" \
        routing " default-profile sales" numbering " country-code 1" media " rtp-ports $2"
}
# box_run DURATION: `trunkbox run` with $work/box.conf, its store and console socket in $work, output
# appended to $work/box.log; $box is its pid (not in pids: a script stops the box itself and empties $box).
box_run() {
    "$bin" run --config "$work/box.conf" --db "$work/trunkbox.db" --console-socket "$work/console.sock" \
        --no-serial-console --duration "$1" >>"$work/box.log" 2>&1 &
    box=$!
}
# box_released: the box's "calls at stop" line (after SIGINT) says it holds nothing.
box_released() {
    grep "calls at stop:" "$work/box.log" | grep -q "calls 0, dialogs 0, channels 0, media sessions 0, media ports 0"
}
# box_stop_and_check_released: SIGINT, then PASS/FAIL on its final counts.
box_stop_and_check_released() {
    sleep 0.5
    kill -INT "$box"; wait "$box" 2>/dev/null; box=""
    box_released && pass "box released everything ($(grep -o 'calls at stop:.*' "$work/box.log"))" \
        || { fail "box did not release everything"; grep "calls at stop" "$work/box.log"; }
}

# ---- baresip.
# baresip_start DIR SIP-PORT RTP-LOW CONS-PORT "MODULE..." ACCOUNT-LINE [EXTRA-CONFIG [BARESIP-OPTIONS]]:
# a baresip in DIR (config, accounts, log; its player/alert/source are aubridge devices named after DIR,
# 20 RTP ports from RTP-LOW, decoded audio dumped to DIR by sndfile), in the background; its pid is last
# in pids. CONS-PORT empty: no console. EXTRA-CONFIG: more config lines (e.g. sip_cafile).
baresip_start() {
    local d="$1" sip="$2" rtplo="$3" consport="$4" modules="$5" account="$6" extra="${7:-}" opts="${8:-}" name m
    name="$(basename "$d")"; mkdir -p "$d"
    {
        printf 'poll_method\t\tepoll\nsip_listen\t\t127.0.0.1:%s\n' "$sip"
        [ -n "$extra" ] && printf '%s\n' "$extra"
        printf 'net_interface\t\t127.0.0.1\ncall_local_timeout\t30\ncall_max_calls\t\t2\n'
        printf 'audio_player\t\taubridge,%s\naudio_alert\t\taubridge,%s-alert\naudio_source\t\taubridge,%s-nothing\n' "$name" "$name" "$name"
        printf 'rtp_ports\t\t%s-%s\nrtcp_mux\t\tno\njitter_buffer_delay\t1-10\nmodule_path\t\t%s\n' "$rtplo" $((rtplo + 19)) "$BARESIP_MODULES_DIR"
        for m in $modules; do printf 'module\t\t\t%s.so\n' "$m"; done
        [ -n "$consport" ] && printf 'module\t\t\tcons.so\n'
        printf 'module_tmp\t\tuuid.so\nmodule_tmp\t\taccount.so\nmodule_app\t\tmenu.so\n'
        [ -n "$consport" ] && printf 'cons_listen\t\t127.0.0.1:%s\n' "$consport"
        printf 'snd_path\t\t%s\n' "$d"
    } >"$d/config"
    echo "$account" >"$d/accounts"
    # shellcheck disable=SC2086
    (cd "$d" && exec baresip -f "$d" $opts -t 100 >"$d/log" 2>&1) &
    pids+=($!)
}
# cons PORT COMMAND: a command to a baresip's console (cons module, UDP); prints its answer.
cons() {
    python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2)
s.sendto((sys.argv[2] + "\n").encode(), ("127.0.0.1", int(sys.argv[1])))
try: print("cons:", s.recv(4000).decode(errors="replace").strip())
except OSError as e: print("cons: no answer", e)
PY
}

# ---- The trunk emulator (`trunkbox emulate-trunk`).
# emulator_start CONFIG: runs it with its control socket $work/control.sock ($emu is its pid); exits
# with a FAIL when the socket does not appear in 10 s.
emulator_start() {
    "$bin" emulate-trunk --config "$1" --control "$work/control.sock" --duration 120 >"$work/emu.log" 2>&1 &
    emu=$!; pids+=("$emu")
    for _ in $(seq 100); do [ -S "$work/control.sock" ] && break; sleep 0.1; done
    [ -S "$work/control.sock" ] || { fail "the trunk emulator did not start"; evidence "$work/emu.log"; exit 1; }
}
# ctl COMMAND: a line to the emulator's control socket ($work/control.sock); prints its answer.
ctl() {
    python3 - "$work/control.sock" "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode()); out = b""
try:
    while not out.endswith(b"\n.\n"):
        b = s.recv(65536)
        if not b: break
        out += b
except OSError: pass
print(out.decode(errors="replace").removesuffix("\n.\n"))
PY
}

# ---- Kamailio as the office PBX.
# kamailio_pbx_start DIR PORT BOX-LAN-PORT: registrar for extensions 2xx (no auth, usrloc in memory) and
# stateful proxy with Record-Route on udp 127.0.0.1:PORT; anything not an extension goes to the box's LAN
# side, calls from the box go to registered extensions only. Logs KAMRX (each request), KAMSAVED (each
# registration) and KAMROUTE lines to DIR/log. Exits with a FAIL if Kamailio rejects the configuration.
kamailio_pbx_start() {
    local d="$1" kam="$2" lan="$3"
    mkdir -p "$d"
    cat >"$d/kamailio.cfg" <<KAM
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
mpath="$KAM_MODULES"
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
    kamailio -c -f "$d/kamailio.cfg" >"$d/check.log" 2>&1 || { echo "FAIL: Kamailio rejects its configuration"; evidence "$d/check.log" 30; exit 1; }
    kamailio -f "$d/kamailio.cfg" -DD -E -n 1 -m 64 -M 8 -Y "$d" >"$d/log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do python3 -c "import socket; socket.socket(socket.AF_INET, socket.SOCK_DGRAM).bind(('127.0.0.1', $kam))" 2>/dev/null || break; sleep 0.1; done
}

# analyse SCRIPT ARGS...: runs a check's Python analysis (which may import tones from this folder), prints
# it and adds its PASS/FAIL lines to the counters; a crash is a FAIL.
analyse() {
    local out
    out="$(PYTHONPATH="$PEERS_LIB${PYTHONPATH:+:$PYTHONPATH}" python3 "$@" 2>&1)"
    echo "$out"
    passes=$((passes + $(grep -c '^PASS: ' <<<"$out")))
    fails=$((fails + $(grep -c '^FAIL: ' <<<"$out")))
    if grep -q Traceback <<<"$out" || ! grep -qE '^(PASS|FAIL): ' <<<"$out"; then fail "the analysis crashed or did not run"; fi
    return 0
}
