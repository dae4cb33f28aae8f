#!/usr/bin/env bash
# t6-dns-srv.sh [trunkbox]: RFC 3263 resolution and fail-over. dnsmasq on a loopback port serves
#   _sip._udp.example.test SRV 10 100 <dead port> dead.example.test   (a UDP socket that never answers)
#   _sip._udp.example.test SRV 20 100 <Kamailio>  kam.example.test
# with A records for both names (127.0.0.1) and nothing else (no NAPTR: the box must fall back to SRV,
# RFC 3263 §4.1). The box, given only --registrar sip:example.test and --dns-server, must try the
# priority-10 target first (its REGISTER reaches the dead socket), time out, fail over and end
# registered via the second target (Kamailio's location table holds the binding).
# Needs `trunkbox trunk register --dns-server ip:port`; without it the check FAILS and says so.
source "$(dirname "$0")/lib.sh"
command -v dnsmasq >/dev/null || { fail "dnsmasq is not installed (scripts/setup dnsmasq)"; finish; exit 1; }

kam_setup k example.test
read -r PDNS PDEAD <<<"$(free_ports 2)"
PKAM="$(kam_port k udp)"
dnsmasq -k --port="$PDNS" --listen-address=127.0.0.1 --bind-interfaces --no-resolv --no-hosts \
  --conf-file=/dev/null --pid-file= --log-queries --log-facility=- --local=/example.test/ \
  --host-record=dead.example.test,127.0.0.1 --host-record=kam.example.test,127.0.0.1 \
  --srv-host=_sip._udp.example.test,dead.example.test,"$PDEAD",10,100 \
  --srv-host=_sip._udp.example.test,kam.example.test,"$PKAM",20,100 >"$WORK/dnsmasq.log" 2>&1 &
bg $!
# The dead target: logs what arrives, answers nothing (udp_relay.py with every datagram dropped).
python3 "$REG_HERE/udp_relay.py" --listen "$PDEAD" --upstream 127.0.0.1:9 --loss 1.0 --log "$WORK/dead.jsonl" \
  --duration 60 >/dev/null 2>&1 &
bg $!
kam_start k
wait_for "$WORK/dead.jsonl" '"event": "ready"' 5 || true
wait_for "$WORK/dnsmasq.log" 'started' 5 || true

# The fixture itself: dnsmasq must answer the SRV question with both targets, in priority order.
srv="$(python3 - "$PDNS" <<'PY'
import socket, struct, sys
name = "_sip._udp.example.test"
q = struct.pack(">HHHHHH", 0x5157, 0x0100, 1, 0, 0, 0) + b"".join(bytes([len(p)]) + p.encode() for p in name.split(".")) \
    + b"\0" + struct.pack(">HH", 33, 1)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(2); s.sendto(q, ("127.0.0.1", int(sys.argv[1])))
d = s.recv(4096)
def read_name(d, i):
    labels = []
    while True:
        n = d[i]
        if n == 0: return ".".join(labels), i + 1
        if n >= 192:
            return ".".join(labels + [read_name(d, ((n & 63) << 8) | d[i + 1])[0]]).strip("."), i + 2
        labels.append(d[i + 1:i + 1 + n].decode()); i += 1 + n
ancount = struct.unpack(">H", d[6:8])[0]
_, i = read_name(d, 12); i += 4
out = []
for _ in range(ancount):
    _, i = read_name(d, i)
    rtype, _, _, rdlen = struct.unpack(">HHIH", d[i:i + 10]); i += 10
    if rtype == 33:
        prio, weight, port = struct.unpack(">HHH", d[i:i + 6])
        out.append((prio, weight, port, read_name(d, i + 6)[0]))
    i += rdlen
print(" ".join(f"{p}/{w}/{port}/{t}" for p, w, port, t in sorted(out)))
PY
)" || srv=""
if [ "$srv" = "10/100/$PDEAD/dead.example.test 20/100/$PKAM/kam.example.test" ]; then
  pass "fixture: dnsmasq answers _sip._udp.example.test SRV with $srv"
else
  fail "fixture: dnsmasq's SRV answer is '${srv:-none}'"; evidence "$WORK/dnsmasq.log" 20
fi

if ! "$BIN" trunk register --help 2>&1 | grep -q -- '--dns-server'; then
  fail "trunkbox trunk register has no --dns-server option yet: RFC 3263 resolution is not wired into the CLI, so SRV fail-over cannot be checked (this check stays red until it is)"
  finish; exit 1
fi

box_start box --registrar sip:example.test --dns-server "127.0.0.1:$PDNS" --expires 30 --retry 3 --forbidden-retry 10 \
  --t1-ms 100 --duration 14
log="$(box_log box)"
# Timer F with T1 = 100 ms is 6.4 s: the first target times out, then the second answers.
if wait_for "$log" ": registered via .*:$PKAM \\(target 2 of 2\\)" 12; then
  pass "the box registered via the second SRV target ($(grep -m1 -oE 'registered via [^ ]+ \(target 2 of 2\)' "$log"))"
else
  fail "the box did not register via the second SRV target (Kamailio, port $PKAM) within 12 s"; evidence "$log"
  evidence "$WORK/dnsmasq.log" 15
fi
dead_regs="$(grep -c '"first": "REGISTER ' "$WORK/dead.jsonl" || true)"
first_dead="$(grep -m1 '"first": "REGISTER ' "$WORK/dead.jsonl" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["t"])' 2>/dev/null || echo "")"
first_kam="$(grep -m1 -oE 'KAMRX t=[0-9.]+ REGISTER' "$(kam_log k)" | grep -oE '[0-9]+\.[0-9]+' || echo "")"
if [ "$dead_regs" -ge 1 ] && [ -n "$first_kam" ] && python3 -c "import sys; sys.exit(0 if $first_dead < $first_kam else 1)"; then
  pass "priority order: the dead priority-10 target got $dead_regs REGISTER datagrams before Kamailio got any"
else
  fail "priority order: dead target got $dead_regs REGISTERs (first at ${first_dead:-never}), Kamailio first at ${first_kam:-never}"
  evidence "$log"
fi
if grep -qE 'query\[SRV\] _sip\._udp\.example\.test' "$WORK/dnsmasq.log"; then
  pass "the box asked dnsmasq for _sip._udp.example.test SRV ($(grep -oE 'query\[[A-Z]+\] [^ ]+' "$WORK/dnsmasq.log" | sort -u | tr '\n' ' '))"
else
  fail "dnsmasq never saw an SRV query for _sip._udp.example.test"; evidence "$WORK/dnsmasq.log" 20
fi
if kam_ul_dump k | grep -q "Address: sip:$SIP_USER@127.0.0.1:"; then
  pass "Kamailio's location table holds the box's binding"
else
  fail "Kamailio has no binding for $SIP_USER"; evidence "$(kam_log k)" 10 KAM
fi
box_wait_exit box 20
finish
