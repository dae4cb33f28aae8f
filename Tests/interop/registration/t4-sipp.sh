#!/usr/bin/env bash
# t4-sipp.sh [trunkbox]: SIPp as the registrar (UAS scenarios on loopback UDP).
# (a) sipp-423.xml: 423 Interval Too Brief with Min-Expires: 120, then 200. The box's second REGISTER
#     must carry Expires >= 120 (SIPp's check_it fails the call otherwise; its log shows the values),
#     and the box must reach registered with the 120 s granted.
# (b) sipp-200.xml behind udp_relay.py, which drops the first 3 REGISTER datagrams: the box's
#     retransmissions of that one request (same branch and CSeq) must arrive T1, 2*T1 and 4*T1 apart
#     (RFC 3261 §17.1.2.2 Timer E, +-30 %), the 4th transmission is answered and the box is registered
#     after a single REGISTER request (retransmissions are not new requests).
source "$(dirname "$0")/lib.sh"
command -v sipp >/dev/null || { fail "sipp is not installed (scripts/setup sip-tester)"; finish; exit 1; }

T1=200
read -r P423 P200 PRELAY <<<"$(free_ports 3)"

# ---- (a) 423 then 200
mkdir -p "$WORK/sipp-423"
(cd "$WORK/sipp-423" && exec sipp -sf "$REG_HERE/sipp-423.xml" -i 127.0.0.1 -p "$P423" -m 1 -nostdin \
   -timeout 20 -timeout_error -trace_logs -trace_msg -trace_err >sipp.out 2>&1) &
sipp423=$!
bg $sipp423
sleep 0.5
box_start b423 --registrar sip:127.0.0.1 --target "udp:127.0.0.1:$P423" --expires 30 --retry 3 --t1-ms $T1 --duration 4
log="$(box_log b423)"
box_wait_exit b423 12
sipp_rc=0; wait $sipp423 || sipp_rc=$?
if [ "$sipp_rc" -eq 0 ]; then
  pass "423: SIPp's scenario completed (its Expires and Contact expires checks on the second REGISTER passed)"
else
  fail "423: SIPp failed (exit $sipp_rc)"; evidence "$WORK/sipp-423/sipp.out" 15
  for f in "$WORK"/sipp-423/*_errors.log "$WORK"/sipp-423/*_messages.log; do [ -f "$f" ] && evidence "$f" 40; done
fi
values="$(cat "$WORK"/sipp-423/*_logs.log 2>/dev/null | grep -E 'REGISTER' | tr '\n' ';' || true)"
first="$(sed -nE 's/.*first REGISTER Expires=([0-9]+).*/\1/p' <<<"${values//;/$'\n'}" | head -n1)"
second="$(sed -nE 's/.*second REGISTER Expires=([0-9]+) Contact expires=([0-9]+).*/\1 \2/p' <<<"${values//;/$'\n'}" | head -n1)"
if [ "${first:-}" = 30 ] && [ -n "$second" ] && [ "${second% *}" -ge 120 ] && [ "${second#* }" -ge 120 ]; then
  pass "423: the first REGISTER asked for 30 s, the second for ${second% *} s (Contact expires=${second#* }) >= Min-Expires 120"
else
  fail "423: SIPp saw first Expires=${first:-?}, second '${second:-?}' (want 30, then >= 120)"; evidence "$WORK/sipp-423/sipp.out" 10
fi
if grep -qE ': registered via .*\(granted 120 s\)' "$log"; then
  pass "423: the box reports registered with 120 s granted"
else
  fail "423: the box never reported registered with 120 s granted"; evidence "$log"
fi

# ---- (b) the first 3 transmissions dropped
mkdir -p "$WORK/sipp-200"
(cd "$WORK/sipp-200" && exec sipp -sf "$REG_HERE/sipp-200.xml" -i 127.0.0.1 -p "$P200" -m 1 -nostdin \
   -timeout 20 -timeout_error -trace_err -trace_msg >sipp.out 2>&1) &
sipp200=$!
bg $sipp200
python3 "$REG_HERE/udp_relay.py" --listen "$PRELAY" --upstream "127.0.0.1:$P200" --log "$WORK/relay-drop.jsonl" \
  --drop-first-registers 3 --duration 30 >"$WORK/relay-drop.out" 2>&1 &
relay=$!
bg $relay
wait_for "$WORK/relay-drop.jsonl" '"event": "ready"' 5 || true
sleep 0.3
box_start bdrop --registrar sip:127.0.0.1 --target "udp:127.0.0.1:$PRELAY" --expires 60 --retry 3 --t1-ms $T1 --duration 5
log="$(box_log bdrop)"
box_wait_exit bdrop 12
sipp_rc=0; wait $sipp200 || sipp_rc=$?
kill $relay 2>/dev/null || true; wait $relay 2>/dev/null || true

python3 - "$WORK/relay-drop.jsonl" "$T1" <<'PY' && pass "drops: the dropped REGISTER was retransmitted after T1, 2*T1 and 4*T1 (+-30 %)" \
  || { fail "drops: the retransmission times do not follow T1 doubling"; evidence "$log"; }
import json, sys
t1 = float(sys.argv[2]) / 1000
recs = [json.loads(l) for l in open(sys.argv[1])]
regs = [r for r in recs if r.get("dir") == "up" and r.get("first", "").startswith("REGISTER ")]
if len(regs) < 4:
    print(f"  only {len(regs)} REGISTER datagrams reached the relay"); sys.exit(1)
first4 = regs[:4]
same = all(r["branch"] == first4[0]["branch"] and r["cseq"] == first4[0]["cseq"] for r in first4)
print(f"  REGISTER datagrams: " + ", ".join(f"+{(r['t'] - first4[0]['t']) * 1000:.0f} ms {r['action']} (CSeq {r['cseq']})" for r in regs))
ok = same
if not same:
    print("  the first four REGISTER datagrams are not one request (branch/CSeq differ)")
for i in range(1, 4):
    gap, want = first4[i]["t"] - first4[i - 1]["t"], t1 * 2 ** (i - 1)
    good = 0.7 * want <= gap <= 1.3 * want
    print(f"  gap {i}: {gap * 1000:.0f} ms, expected {want * 1000:.0f} ms +-30 %: {'ok' if good else 'OUT OF RANGE'}")
    ok = ok and good
sys.exit(0 if ok else 1)
PY
if [ "$sipp_rc" -eq 0 ]; then
  pass "drops: SIPp answered the 4th transmission and the un-registration (scenario completed)"
else
  fail "drops: SIPp failed (exit $sipp_rc)"; evidence "$WORK/sipp-200/sipp.out" 15
fi
reg_line="$(grep -m1 ': registered via ' "$log" || true)"
if [ -n "$reg_line" ] && [ "$(registers_in "$reg_line")" = 1 ]; then
  pass "drops: the box reached registered with registers=1 (the retransmissions were the transaction's, not new REGISTERs)"
else
  fail "drops: registered line missing or registers != 1: '${reg_line:-none}'"; evidence "$log"
fi
finish
