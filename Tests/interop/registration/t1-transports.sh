#!/usr/bin/env bash
# t1-transports.sh [trunkbox]: the box registers to Kamailio (digest auth, in-memory usrloc) over UDP,
# TCP and TLS with MD5, and over UDP, TCP and TLS with SHA-256 (a second Kamailio instance whose auth
# module challenges with algorithm=SHA-256). Each registration must reach `registered`, Kamailio's own
# location table (kamcmd ul.dump) must hold the box's Contact on a socket of that transport, and each
# SHA-256 answer is recomputed independently (python3 hashlib, RFC 7616 §3.4.1) from the password and
# the challenge. TLS must also refuse what it should: a name the certificate does not carry, a CA the
# box was not given.
source "$(dirname "$0")/lib.sh"

kam_setup md5
kam_setup sha
kam_start md5
kam_start sha -A WITH_SHA256

common=(--registrar sip:127.0.0.1 --expires 30 --retry 3 --forbidden-retry 10 --t1-ms 200 --duration 6)
for alg in md5 sha; do
  box_start "$alg-udp" --target "udp:127.0.0.1:$(kam_port $alg udp)" "${common[@]}"
  box_start "$alg-tcp" --target "tcp:127.0.0.1:$(kam_port $alg tcp)" "${common[@]}"
  box_start "$alg-tls" --target "tls:127.0.0.1:$(kam_port $alg tls)" --ca-file "$CA_FILE" --tls-name localhost "${common[@]}"
done
# Negative TLS cases against the MD5 instance: wrong name, no CA (system store), no --tls-name (the
# registrar's host, an IP address the certificate does not carry).
box_start tls-wrong-name --target "tls:127.0.0.1:$(kam_port md5 tls)" --ca-file "$CA_FILE" --tls-name wrong.example "${common[@]}"
box_start tls-no-ca --target "tls:127.0.0.1:$(kam_port md5 tls)" --tls-name localhost "${common[@]}"
box_start tls-no-name --target "tls:127.0.0.1:$(kam_port md5 tls)" --ca-file "$CA_FILE" "${common[@]}"

for alg in md5 sha; do
  for t in udp tcp tls; do
    wait_for "$(box_log $alg-$t)" ' status .*: registered via ' 5 || true
  done
done
sleep 0.5
kam_ul_dump md5 >"$WORK/ul-md5.txt"
kam_ul_dump sha >"$WORK/ul-sha.txt"

# has_binding ULDUMP PORT TRANSPORT: a Contact sip:USER@127.0.0.1:PORT on a Kamailio socket of TRANSPORT.
has_binding() {
  python3 - "$1" "$SIP_USER" "$2" "$3" <<'PY'
import re, sys
text, user, port, transport = open(sys.argv[1]).read(), sys.argv[2], sys.argv[3], sys.argv[4]
for block in re.findall(r"Contact: \{(.*?)\}", text, re.S):
    addr = re.search(r"Address: (\S+)", block)
    sock = re.search(r"Socket: (\w+):", block)
    exp = re.search(r"Expires: (\d+)", block)
    if addr and addr.group(1) == f"sip:{user}@127.0.0.1:{port}" and sock and sock.group(1) == transport \
       and exp and int(exp.group(1)) > 0:
        sys.exit(0)
sys.exit(1)
PY
}

for alg in md5 sha; do
  label=$([ $alg = md5 ] && echo MD5 || echo SHA-256)
  for t in udp tcp tls; do
    log="$(box_log $alg-$t)"
    # The Contact's port is the one the box listens on for that transport (TLS: its TCP listener).
    port="$(sed -nE 's/^[0-9.]+ listening on [A-Za-z]+ .*:([0-9]+)$/\1/p' "$log" | head -n1)"
    if grep -qE ' status .*: registered via '"$t"':' "$log"; then
      pass "$label over ${t^^}: the box reports registered"
    else
      fail "$label over ${t^^}: the box never reported registered"; evidence "$log"; evidence "$(kam_log $alg)" 10 KAM
    fi
    if [ -n "$port" ] && has_binding "$WORK/ul-$alg.txt" "$port" "$t"; then
      pass "$label over ${t^^}: Kamailio's location table holds sip:$SIP_USER@127.0.0.1:$port on a $t socket"
    else
      fail "$label over ${t^^}: Kamailio's ul.dump has no $t binding for port ${port:-?}"; evidence "$WORK/ul-$alg.txt" 40
    fi
  done
done

# Once the boxes have stopped (their un-registering REGISTERs count too): every Authorization the SHA-256 Kamailio received: algorithm=SHA-256, a 64-hex response, and that
# response recomputed here from the password (RFC 7616: HA1 = H(user:realm:pw), HA2 = H(method:uri),
# response = H(HA1:nonce:nc:cnonce:qop:HA2)), for every KAMRX line that carried credentials.
verify_sha() {
  python3 - "$(kam_log sha)" "$SIP_USER" "$SIP_PASSWORD" <<'PY'
import hashlib, re, sys
log, user, password = open(sys.argv[1]).read().splitlines(), sys.argv[2], sys.argv[3]
H = lambda s: hashlib.sha256(s.encode()).hexdigest()
checked = bad = 0
for line in log:
    m = re.search(r"KAMRX t=\S+ REGISTER proto=(\w+) src=\S+ cseq=(\d+) .*auth=\[(Digest .*)\]$", line)
    if not m:
        continue
    p = dict((k, v.strip('"')) for k, v in re.findall(r'(\w+)=("[^"]*"|[^,\s]+)', m.group(3)))
    ok = p.get("algorithm") == "SHA-256" and re.fullmatch(r"[0-9a-f]{64}", p.get("response", "")) is not None
    ha1 = H(f"{p.get('username')}:{p.get('realm')}:{password}")
    ha2 = H(f"REGISTER:{p.get('uri')}")
    want = H(f"{ha1}:{p.get('nonce')}:{p.get('nc')}:{p.get('cnonce')}:{p.get('qop')}:{ha2}") if p.get("qop") \
        else H(f"{ha1}:{p.get('nonce')}:{ha2}")
    ok = ok and p.get("username") == user and p.get("response") == want
    checked += 1
    if not ok:
        bad += 1
        print(f"  bad SHA-256 answer: {line}")
print(f"  {checked} SHA-256 Authorization headers checked, {bad} wrong")
sys.exit(0 if checked >= 6 and bad == 0 else 1)
PY
}
for alg in md5 sha; do for t in udp tcp tls; do box_wait_exit "$alg-$t" 15; done; done
if verify_sha; then
  pass "SHA-256: every Authorization carries algorithm=SHA-256 and a 64-hex response equal to the one recomputed from the password"
else
  fail "SHA-256: an Authorization was not a correct SHA-256 answer"; evidence "$(kam_log sha)" 12 KAMRX
fi
if grep -E 'KAMRX .*auth=\[Digest' "$(kam_log md5)" | grep -qv 'algorithm=SHA-256' \
   && ! grep -E 'KAMRX .*auth=\[Digest' "$(kam_log md5)" | grep -q 'algorithm=SHA-256'; then
  pass "MD5: the box answered the MD5 challenges with MD5 (no algorithm=SHA-256 sent to the MD5 registrar)"
else
  fail "MD5: unexpected Authorization headers at the MD5 registrar"; evidence "$(kam_log md5)" 12 KAMRX
fi

# The refusals: none may reach registered; the status must name the transport error.
for neg in tls-wrong-name tls-no-ca tls-no-name; do
  box_wait_exit "$neg" 5
  log="$(box_log $neg)"
  what=$(case $neg in tls-wrong-name) echo "--tls-name wrong.example (certificate is for localhost)";;
         tls-no-ca) echo "no --ca-file (test CA not in the system store)";;
         tls-no-name) echo "no --tls-name (the registrar host 127.0.0.1 is not in the certificate)";; esac)
  if grep -q ': registered via' "$log"; then
    fail "TLS with $what: the box registered anyway"; evidence "$log"
  elif grep -q 'transport error' "$log"; then
    pass "TLS with $what: refused, status says 'could not reach the registrar (transport error)'"
  else
    fail "TLS with $what: not registered, but no transport error reported"; evidence "$log"
  fi
  # The last status before stopping must describe the failure, not a stale 'registering'.
  last="$(grep ' status ' "$log" | grep -vE ': (unregistering|stopped)' | tail -n1)"
  if grep -qE ': (backing off|failed)' <<<"$last"; then
    pass "TLS with $what: the last status before stopping is '$(sed -E 's/.*status [^:]+: ([a-z ]+) via.*/\1/' <<<"$last")'"
  else
    fail "TLS with $what: the last status before stopping is not a failure state (status lines out of order?)"
    evidence "$log"
  fi
done
finish
