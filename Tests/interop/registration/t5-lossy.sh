#!/usr/bin/env bash
# t5-lossy.sh [trunkbox] [seed]: the box registers to Kamailio over UDP through udp_relay.py, a lossy
# path in both directions: 20 % of datagrams dropped, 10 % of the rest held back until the next one
# in the same direction has passed (reordered; at most 250 ms), 30 % of the rest delayed 50-150 ms;
# seeded (default seed 7; RELAY_SEED or the second argument picks another).
# With --expires 20 the box refreshes about every 10 s; over a 25 s window it must register and then
# refresh successfully at least once: Kamailio saves the binding for at least two different CSeqs, the
# box reports a fresh 20 s expiry at least twice, and Kamailio holds the binding near the end.
source "$(dirname "$0")/lib.sh"

SEED="${2:-${RELAY_SEED:-7}}"
WINDOW=25
kam_setup k
kam_start k
read -r PRELAY <<<"$(free_ports 1)"
python3 "$REG_HERE/udp_relay.py" --listen "$PRELAY" --upstream "127.0.0.1:$(kam_port k udp)" --log "$WORK/relay.jsonl" \
  --loss 0.2 --reorder-prob 0.1 --delay-prob 0.3 --delay-ms 50 150 --seed "$SEED" --duration $((WINDOW + 10)) >"$WORK/relay.out" 2>&1 &
relay=$!
bg $relay
wait_for "$WORK/relay.jsonl" '"event": "ready"' 5 || true
box_start box --registrar sip:127.0.0.1 --target "udp:127.0.0.1:$PRELAY" --expires 20 --retry 3 --forbidden-retry 10 \
  --t1-ms 200 --duration $WINDOW
log="$(box_log box)"
echo "  relay seed $SEED, window $WINDOW s"

if wait_for "$log" ': registered via ' 15; then
  pass "lossy path: the box registered ($(grep -m1 ': registered via ' "$log" | grep -oE 'registers=[0-9]+'))"
else
  fail "lossy path: not registered within 15 s"; evidence "$log"
fi
sleep $((WINDOW - 3))
kam_ul_dump k >"$WORK/ul.txt"
box_wait_exit box 15
kill $relay 2>/dev/null || true; wait $relay 2>/dev/null || true
cat "$WORK/relay.out" | sed 's/^/  /'

saved="$(grep -E 'KAMSAVED .*expires=[1-9]' "$(kam_log k)" | grep -oE 'cseq=[0-9]+' | sort -u | wc -l)"
fresh="$(grep -cE ': registered via .*expires in (19|20) s \(granted 20 s\)' "$log" || true)"
if [ "$saved" -ge 2 ] && [ "$fresh" -ge 2 ]; then
  pass "lossy path: refreshed: Kamailio saved the binding for $saved different CSeqs, the box reported a fresh 20 s expiry $fresh times"
else
  fail "lossy path: no successful refresh (Kamailio saved $saved CSeqs, box reported a fresh expiry $fresh times)"
  evidence "$log" 30; evidence "$(kam_log k)" 20 'KAMRX|KAMSAVED|KAMAUTH'
fi
if grep -q "Address: sip:$SIP_USER@127.0.0.1:" "$WORK/ul.txt"; then
  pass "lossy path: Kamailio held the binding 3 s before the end of the window"
else
  fail "lossy path: Kamailio had no binding 3 s before the end"; evidence "$WORK/ul.txt" 20; evidence "$log" 30
fi
if awk '/: registered via /{r=1} r && / status .*: (backing off|failed|registering)/{bad=1} END{exit !bad}' "$log"; then
  fail "lossy path: the box lost the registration on the way"; evidence "$log" 30
else
  pass "lossy path: the box never backed off or failed once registered"
fi
python3 - "$WORK/relay.jsonl" <<'PY' && pass "lossy path: the relay really did drop, delay and reorder datagrams" \
  || fail "lossy path: the relay did not disturb the path (seed too kind?)"
import json, sys
s = [json.loads(l) for l in open(sys.argv[1]) if '"summary"' in l][-1]
dropped = s["up"]["dropped"] + s["down"]["dropped"]
delayed = s["up"]["delayed"] + s["down"]["delayed"]
reordered = s["up"]["reordered"] + s["down"]["reordered"]
sys.exit(0 if dropped >= 1 and delayed >= 1 and reordered >= 1 else 1)
PY
finish
