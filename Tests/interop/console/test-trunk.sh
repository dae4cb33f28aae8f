#!/usr/bin/env bash
# test-trunk.sh: the console's `test trunk` against a real peer. SIPp plays the trunk (sipp-trunk.xml: REGISTER
# and OPTIONS answered 200); an installer configures a profile on a running box through `trunkbox console` on a
# pty (console-play), the box registers, and `test trunk` must pass DNS, REGISTER and OPTIONS. Then the trunk is
# stopped and `test trunk` must fail OPTIONS with a hint. `debug sip` must show the OPTIONS exchange.
#
# Usage: Tests/interop/console/test-trunk.sh path/to/trunkbox path/to/console-play
set -euo pipefail
bin="$(realpath "$1")"; play="$(realpath "$2")"
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
box=""; sipp_pid=""
trap '[ -n "$box" ] && kill "$box" 2>/dev/null; [ -n "$sipp_pid" ] && kill "$sipp_pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000)); trunk=$((port + 7))
fail() { echo "FAIL: $*"; echo "--- box log"; cat "$work/box.log"; echo "--- sipp"; tail -20 "$work/sipp.out" 2>/dev/null || true; exit 1; }

(cd "$work" && exec sipp -sf "$here/sipp-trunk.xml" -i 127.0.0.1 -p "$trunk" -nostdin -trace_msg >"$work/sipp.out" 2>&1) &
sipp_pid=$!
"$bin" run --lan "127.0.0.1:$port" --wan "127.0.0.1:$((port + 1))" --db "$work/trunkbox.db" \
    --console-socket "$work/console.sock" --no-serial-console --duration 120 >"$work/box.log" 2>&1 &
box=$!
for _ in $(seq 100); do [ -S "$work/console.sock" ] && break; sleep 0.1; done

printf '%s\n' Install-Pass-42 Install-Pass-42 'conf t' 'profile sales' 'sip-user 99051000012345' \
    'password Sales-Secret-1' "registrar 127.0.0.1:$trunk" 'channels 2' commit end logout >"$work/setup.in"
"$play" "$bin" "$work/console.sock" "$work/setup.in" >"$work/setup.out" || fail "the set-up session did not finish"
grep -q "committed as version 2" "$work/setup.out" || { cat "$work/setup.out"; fail "the profile was not committed"; }
for _ in $(seq 100); do grep -q "profile sales: sales: registered" "$work/box.log" && break; sleep 0.1; done
grep -q "profile sales: sales: registered" "$work/box.log" || fail "the box did not register with SIPp"

printf '%s\n' Install-Pass-42 'debug sip' 'test trunk sales' 'no debug sip' logout >"$work/test.in"
"$play" "$bin" "$work/console.sock" "$work/test.in" >"$work/test.out" || fail "the test session did not finish"
for want in "DNS       pass" "REGISTER  pass" "OPTIONS   pass"; do
    grep -q "$want" "$work/test.out" || { cat "$work/test.out"; fail "test trunk: no '$want'"; }
done
grep -q "answered 200 OK" "$work/test.out" || { cat "$work/test.out"; fail "test trunk: OPTIONS not answered 200 by SIPp"; }
# debug sip showed the OPTIONS going out and SIPp's 200 coming back.
grep -q -- "-> WAN UDP 127.0.0.1:$trunk" "$work/test.out" && grep -q -- "<- WAN UDP 127.0.0.1:$trunk" "$work/test.out" \
    && grep -q "Server: SIPp trunk" "$work/test.out" || { cat "$work/test.out"; fail "debug sip did not show the OPTIONS exchange"; }

# reload: a clean stop, the same program again on the same store; the profile registers again.
printf '%s\n' Install-Pass-42 reload >"$work/reload.in"
"$play" "$bin" "$work/console.sock" "$work/reload.in" >"$work/reload.out" || fail "the reload session did not finish"
for _ in $(seq 150); do [ "$(grep -c "profile sales: sales: registered" "$work/box.log")" -ge 2 ] && break; sleep 0.1; done
grep -q "trunkbox: reloading" "$work/box.log" && [ "$(grep -c "profile sales: sales: registered" "$work/box.log")" -ge 2 ] \
    || fail "after reload the box did not start again and register"
for _ in $(seq 50); do [ -S "$work/console.sock" ] && break; sleep 0.1; done

kill "$sipp_pid"; wait "$sipp_pid" 2>/dev/null || true; sipp_pid=""
"$play" "$bin" "$work/console.sock" "$work/test.in" >"$work/test2.out" || fail "the second test session did not finish"
grep -q "OPTIONS   FAIL" "$work/test2.out" && grep -q "hint:" "$work/test2.out" || { cat "$work/test2.out"; fail "with the trunk gone, OPTIONS did not fail with a hint"; }
if grep -q "Sales-Secret-1" "$work/box.log" "$work/test.out" "$work/test2.out"; then fail "the SIP password appears in the log or a trace"; fi
echo "console test trunk: pass against SIPp (DNS, REGISTER, OPTIONS 200, shown by debug sip); reload restarts and registers again; FAIL with a hint when the trunk is gone"
