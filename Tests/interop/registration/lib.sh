# lib.sh: helpers shared by the registration interop checks (sourced by each t*.sh, not run).
# Gives: the trunkbox binary ($BIN), a work folder ($WORK) removed on exit unless a check failed or
# KEEP_WORK=1, random free loopback ports, Kamailio instances (start/stop/restart/ul.dump), the box
# (`trunkbox trunk register`, its output time-stamped line by line), PASS/FAIL bookkeeping, and a
# cleanup trap that ends every process the check started (by pid) on any exit.
set -euo pipefail

REG_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REG_ROOT="$(cd "$REG_HERE/../../.." && pwd)"
TEST_NAME="$(basename "$0" .sh)"
KAM_MODULES="${KAM_MODULES:-/usr/lib/x86_64-linux-gnu/kamailio/modules}"
SIP_USER="${SIP_USER:-99051000000001}"
SIP_PASSWORD="${SIP_PASSWORD:-s3cret-Pa55}"

# The binary: first argument, else $TRUNKBOX_BIN, else the debug build in the work tree.
if [ -n "${1:-}" ]; then
  BIN="$(realpath "$1")"
elif [ -n "${TRUNKBOX_BIN:-}" ]; then
  BIN="$(realpath "$TRUNKBOX_BIN")"
else
  BIN="$(cd "$REG_ROOT" && swift build --show-bin-path)/trunkbox"
fi
[ -x "$BIN" ] || { echo "FAIL: $TEST_NAME: no trunkbox binary at $BIN (build with: swift build --product trunkbox)"; exit 1; }
for tool in kamailio kamcmd openssl python3; do
  command -v "$tool" >/dev/null 2>&1 || { echo "FAIL: $TEST_NAME: $tool is not installed (scripts/setup kamailio kamailio-tls-modules sip-tester dnsmasq)"; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-$TEST_NAME.XXXXXX")"
PASSES=0
FAILS=0
BG_PIDS=()

cleanup() {
  local p
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BG_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$FAILS" -gt 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "$TEST_NAME: logs kept in $WORK"
  else
    rm -rf "$WORK"
  fi
}
trap cleanup EXIT
trap 'echo "$TEST_NAME: interrupted"; exit 130' INT TERM
bg() { BG_PIDS+=("$1"); }

pass() { PASSES=$((PASSES + 1)); echo "PASS: $TEST_NAME: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $TEST_NAME: $*"; }
# check "what" command...: PASS or FAIL by the command's exit status.
check() { local what="$1"; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# evidence FILE [LINES] [PATTERN]: the last lines of a log (matching PATTERN), indented, after a FAIL.
evidence() {
  local file="$1" lines="${2:-25}" pattern="${3:-}"
  echo "  --- $(basename "$file") (last $lines lines${pattern:+ matching $pattern})"
  if [ -n "$pattern" ]; then grep -E -- "$pattern" "$file" 2>/dev/null | tail -n "$lines" | sed 's/^/  | /' || true
  else tail -n "$lines" "$file" 2>/dev/null | sed 's/^/  | /' || true; fi
}
finish() {
  echo "$TEST_NAME: $PASSES PASS, $FAILS FAIL"
  [ "$FAILS" -eq 0 ]
}

# free_ports N: N distinct ports in 20000-60999, each free for UDP and TCP on 127.0.0.1 right now.
free_ports() {
  python3 - "$1" <<'PY'
import random, socket, sys
n, out, held = int(sys.argv[1]), [], []
while len(out) < n:
    p = random.randint(20000, 60999)
    if p in out:
        continue
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", p))
        t = socket.socket(); t.bind(("127.0.0.1", p))
        held += [u, t]
        out.append(p)
    except OSError:
        pass
print(" ".join(map(str, out)))
PY
}

now() { printf '%s\n' "$EPOCHREALTIME"; }

# wait_for FILE REGEX SECONDS: poll until a line of FILE matches (extended regex); 1 on time-out.
wait_for() {
  local file="$1" re="$2" end
  end=$(python3 -c "import time; print(time.time() + $3)")
  while :; do
    grep -qE -- "$re" "$file" 2>/dev/null && return 0
    python3 -c "import sys, time; sys.exit(0 if time.time() < $end else 1)" || return 1
    sleep 0.1
  done
}

# ---- TLS material: a CA and a server certificate for localhost (SAN DNS:localhost, IP:127.0.0.1).
make_certs() {
  local d="$WORK/pki"
  [ -f "$d/server.pem" ] && return 0
  mkdir -p "$d"
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=trunkbox interop test CA" \
    -keyout "$d/ca.key" -out "$d/ca.pem" -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$d/server.key" -out "$d/server.csr" >/dev/null 2>&1
  printf 'subjectAltName=DNS:localhost\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n' >"$d/ext.cnf"
  openssl x509 -req -in "$d/server.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" -CAcreateserial -days 2 \
    -extfile "$d/ext.cnf" -out "$d/server.pem" >/dev/null 2>&1
  CA_FILE="$d/ca.pem"
}

# ---- Kamailio. Each instance NAME lives in $WORK/kam-NAME: kamailio.cfg, tls.cfg, ctl.sock, log.
# kam_setup NAME [DOMAIN]: writes the configuration on fresh ports; kam_port NAME udp|tcp|tls reads them.
kam_setup() {
  local name="$1" domain="${2:-127.0.0.1}" d="$WORK/kam-$1" ports
  make_certs
  mkdir -p "$d/run"
  ports=($(free_ports 3))
  echo "${ports[0]}" >"$d/udp"; echo "${ports[1]}" >"$d/tcp"; echo "${ports[2]}" >"$d/tls"
  cat >"$d/tls.cfg" <<EOF
[server:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
private_key = $WORK/pki/server.key
certificate = $WORK/pki/server.pem

[client:default]
method = TLSv1.2+
verify_certificate = no
require_certificate = no
EOF
  sed -e "s|@UDP@|${ports[0]}|g" -e "s|@TCP@|${ports[1]}|g" -e "s|@TLS@|${ports[2]}|g" \
      -e "s|@DIR@|$d|g" -e "s|@MODULES@|$KAM_MODULES|g" -e "s|@DOMAIN@|$domain|g" \
      -e "s|@USER@|$SIP_USER|g" -e "s|@PASSWORD@|$SIP_PASSWORD|g" \
      "$REG_HERE/kamailio.cfg.in" >"$d/kamailio.cfg"
  kamailio -c -f "$d/kamailio.cfg" >"$d/check.log" 2>&1 || {
    echo "FAIL: $TEST_NAME: Kamailio rejects its configuration"; evidence "$d/check.log" 30; return 1; }
}
kam_port() { cat "$WORK/kam-$1/$2"; }

# kam_start NAME [kamailio options, e.g. -A WITH_SHA256]: starts it (-DD: in the foreground, one UDP
# worker so message order is kept) and waits until its ctl socket answers and its ports are bound.
kam_start() {
  local name="$1" d="$WORK/kam-$1"; shift
  echo "$*" >"$d/args"
  echo "==== start $(now)" >>"$d/log"
  kamailio -f "$d/kamailio.cfg" -DD -E -n 1 -m 64 -M 8 -Y "$d/run" "$@" >>"$d/log" 2>&1 &
  echo $! >"$d/pid"
  bg $!
  local i
  for i in $(seq 100); do
    if kamcmd -s "unix:$d/ctl.sock" core.uptime >/dev/null 2>&1 \
       && python3 -c "import socket,sys; s=socket.socket(); s.settimeout(0.5); s.connect(('127.0.0.1', $(kam_port "$name" tcp)))" 2>/dev/null; then
      return 0
    fi
    kill -0 "$(cat "$d/pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "FAIL: $TEST_NAME: Kamailio $name did not start"; evidence "$d/log" 30; return 1
}
# kam_stop NAME: SIGTERM and wait until its processes are gone.
kam_stop() {
  local d="$WORK/kam-$1" pid
  pid="$(cat "$d/pid")"
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local i
  for i in $(seq 50); do
    python3 -c "import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('127.0.0.1', $(kam_port "$1" udp)))" 2>/dev/null && break
    sleep 0.1
  done
  echo "==== stopped $(now)" >>"$d/log"
}
kam_restart() { local name="$1"; kam_stop "$name"; kam_start "$name" $(cat "$WORK/kam-$name/args"); }
kam_ul_dump() { kamcmd -s "unix:$WORK/kam-$1/ctl.sock" ul.dump 2>&1; }
kam_log() { echo "$WORK/kam-$1/log"; }

# ---- The box. box_start NAME trunkbox-register-options...: runs `trunkbox trunk register --user ...
# --password-file ...` (password file $WORK/NAME.pw, SIP_PASSWORD unless BOX_PASSWORD is set) in the
# background; every output line is written to $WORK/NAME.box as "<epoch seconds> <line>".
box_start() {
  local name="$1"; shift
  printf '%s\n' "${BOX_PASSWORD:-$SIP_PASSWORD}" >"$WORK/$name.pw"
  "$BIN" trunk register --user "${BOX_USER:-$SIP_USER}" --password-file "$WORK/$name.pw" "$@" \
    > >(while IFS= read -r line; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done >"$WORK/$name.box") 2>&1 &
  echo $! >"$WORK/$name.pid"
  bg $!
}
box_log() { echo "$WORK/$1.box"; }
# box_wait_exit NAME SECONDS: waits for the box to stop by itself (--duration) and print its final line.
box_wait_exit() {
  local pid; pid="$(cat "$WORK/$1.pid")"
  local i
  for i in $(seq $(( $2 * 10 ))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  wait "$pid" 2>/dev/null || true
  wait_for "$(box_log "$1")" '^[0-9.]+ final ' 2 || true
}
# registers_in LINE: the registers=N counter of a status line.
registers_in() { sed -nE 's/.* registers=([0-9]+).*/\1/p' <<<"$1"; }
