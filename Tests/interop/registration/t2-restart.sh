#!/usr/bin/env bash
# t2-restart.sh [trunkbox]: Kamailio restarts and forgets every binding (usrloc in memory).
# (a) Kamailio is killed while the box is registered; the box's refresh times out and it backs off;
#     Kamailio is started again with the same configuration: the box must report `registered` again
#     within two retry intervals of the restart, and the new Kamailio must hold the binding.
# (b) Kamailio is restarted quickly (down ~1 s) while the box is registered: the box's next refresh
#     must re-create the binding in the new Kamailio (fresh nonce, new challenge) and stay registered.
source "$(dirname "$0")/lib.sh"

RETRY=3
EXPIRES=20
kam_setup k
kam_start k
box_start box --registrar sip:127.0.0.1 --target "udp:127.0.0.1:$(kam_port k udp)" --expires $EXPIRES \
  --retry $RETRY --forbidden-retry 10 --t1-ms 100 --duration 34
log="$(box_log box)"
# after T REGEX: the first box line after epoch T matching REGEX ("" if none).
after() { awk -v t="$1" '$1 > t' "$log" | grep -E -m1 -- "$2" || true; }

if ! wait_for "$log" ' status .*: registered via ' 5; then
  fail "the box never registered before the restart"; evidence "$log"; evidence "$(kam_log k)" 10 KAM; finish; exit 1
fi
sleep 0.5
kam_stop k
killed=$(now)
echo "  Kamailio killed at $killed; waiting for the box's refresh to time out"

# The refresh is due ~EXPIRES/2 after the 2xx; with T1 = 100 ms it times out 6.4 s (64*T1) later.
for _ in $(seq 300); do [ -n "$(after "$killed" ': backing off via ')" ] && break; sleep 0.1; done
down="$(after "$killed" ': backing off via ')"
if [ -n "$down" ] && grep -q 'timeout' <<<"$down"; then
  pass "registrar down: the refresh timed out and the box says so ($(sed -E 's/.*(last error: [^,]+).*/\1/' <<<"$down"))"
else
  fail "registrar down: the box did not report a timed-out refresh within 30 s"; evidence "$log"
fi

kam_start k
restarted=$(now)
for _ in $(seq $(( RETRY * 40 ))); do [ -n "$(after "$restarted" ': registered via ')" ] && break; sleep 0.1; done
back="$(after "$restarted" ': registered via ')"
if [ -n "$back" ]; then
  took=$(python3 -c "print(f'{${back%% *} - $restarted:.2f}')")
  if python3 -c "import sys; sys.exit(0 if $took <= 2 * $RETRY else 1)"; then
    pass "restart: registered again ${took} s after Kamailio came back (limit: two retry intervals, $((2 * RETRY)) s)"
  else
    fail "restart: registered again only after ${took} s (limit $((2 * RETRY)) s)"; evidence "$log"
  fi
else
  fail "restart: not registered again within $((4 * RETRY)) s of Kamailio's restart"; evidence "$log"; evidence "$(kam_log k)" 10 KAM
fi
sleep 0.3
if kam_ul_dump k | grep -q "Address: sip:$SIP_USER@127.0.0.1:"; then
  pass "restart: the restarted Kamailio's location table holds the box's binding"
else
  fail "restart: the restarted Kamailio has no binding for $SIP_USER"; kam_ul_dump k | tail -n 20
fi

# (b) Quick restart while registered; the next refresh (~EXPIRES/2 after the last 2xx) must re-bind.
# Bindings (expires > 0) saved by the third Kamailio process of this check (the log marks each start).
saved_by_third_start() { awk '/^==== start/{s++} s==3 && /KAMSAVED .*expires=[1-9]/{c++} END{print c+0}' "$(kam_log k)"; }
sleep 1
kam_restart k
quick=$(now)
if kam_ul_dump k | grep -q "Address: sip:$SIP_USER@"; then
  fail "quick restart: Kamailio still had a binding right after restarting (usrloc not in memory?)"
else
  pass "quick restart: the new Kamailio starts with an empty location table"
fi
for _ in $(seq $(( (EXPIRES / 2 + 8) * 10 ))); do
  [ "$(saved_by_third_start)" -gt 0 ] && break
  sleep 0.1
done
sleep 0.3
resaved="$(saved_by_third_start)"
if [ "$resaved" -gt 0 ] && kam_ul_dump k | grep -q "Address: sip:$SIP_USER@127.0.0.1:"; then
  pass "quick restart: the box's next refresh re-created the binding in the new Kamailio"
else
  fail "quick restart: no binding saved by the new Kamailio within $((EXPIRES / 2 + 8)) s"; evidence "$log"; evidence "$(kam_log k)" 10 KAM
fi
if [ -z "$(after "$quick" ': (backing off|failed|registering) ')" ] && [ -n "$(after "$quick" ': registered via ')" ]; then
  pass "quick restart: the box stayed registered through the refresh"
else
  fail "quick restart: the box left the registered state"; evidence "$log"
fi
box_wait_exit box 20
grep -q ' final .*stopped' "$log" && pass "the box un-registered and stopped at the end ($(grep ' final ' "$log" | grep -oE 'registers=[0-9]+'))" \
  || { fail "no final stopped line"; evidence "$log"; }
finish
