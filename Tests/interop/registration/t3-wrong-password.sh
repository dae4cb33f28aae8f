#!/usr/bin/env bash
# t3-wrong-password.sh [trunkbox]: the box is given a wrong password. Kamailio answers every wrong
# answer with a new challenge (its usual www_challenge, never a 403; within one second the nonce is the
# same), so the box must judge the repeated challenge itself. Checks: the status says "wrong password" in plain words; the box's
# registers= counter equals the REGISTERs Kamailio logged; the REGISTERs come in rounds of at most 3,
# and the rounds start on the --forbidden-retry back-off schedule (F, 2F, 4F ... each shortened by
# up to 20 % jitter, never lengthened); the total over the window is within the schedule's bounds.
source "$(dirname "$0")/lib.sh"

F=10          # --forbidden-retry
WINDOW=32     # --duration: rounds at 0, [8,10] and [24,30] s; the fourth would be at >= 56 s
kam_setup k
kam_start k
BOX_PASSWORD="not-the-password" box_start box --registrar sip:127.0.0.1 --target "udp:127.0.0.1:$(kam_port k udp)" \
  --expires 30 --retry 3 --forbidden-retry $F --t1-ms 100 --duration $WINDOW
log="$(box_log box)"

if wait_for "$log" ' status .*failed: .*wrong password' 5; then
  pass "the status says so in plain words: '$(grep -m1 -oE 'failed: [^,(]+' "$log")'"
else
  fail "no status line with 'wrong password' within 5 s"; evidence "$log"
fi
box_wait_exit box $((WINDOW + 10))
if grep -q ': registered via' "$log"; then fail "the box reported registered with a wrong password"; evidence "$log"; fi
final="$(grep ' final ' "$log" || true)"
sent="$(registers_in "$final")"
received="$(grep -c 'KAMRX .* REGISTER ' "$(kam_log k)" || true)"
if [ -n "$sent" ] && [ "$sent" = "$received" ]; then
  pass "the box's counter (registers=$sent) equals the REGISTERs Kamailio logged ($received)"
else
  fail "the box says registers=${sent:-?}, Kamailio logged $received REGISTERs"; evidence "$log"
fi

# Rounds from Kamailio's arrival times (a gap over 1 s starts a new round).
python3 - "$(kam_log k)" "$F" "$WINDOW" <<'PY' && pass "back-off: REGISTERs per round and round spacing follow the --forbidden-retry schedule" \
  || { fail "back-off: the REGISTER rounds do not follow the schedule"; evidence "$log"; }
import re, sys
times = [float(m.group(1)) for m in (re.search(r"KAMRX t=(\S+) REGISTER ", l) for l in open(sys.argv[1])) if m]
F, window = float(sys.argv[2]), float(sys.argv[3])
rounds = []
for t in times:
    if not rounds or t - rounds[-1][-1] > 1.0:
        rounds.append([t])
    else:
        rounds[-1].append(t)
ok = True
print(f"  {len(times)} REGISTERs in {len(rounds)} rounds: " +
      ", ".join(f"+{r[0] - times[0]:.2f} s x{len(r)}" for r in rounds))
for i, r in enumerate(rounds):
    if len(r) > 3:
        print(f"  round {i + 1}: {len(r)} REGISTERs (at most 3: one unauthenticated, two answers)"); ok = False
for i in range(1, len(rounds)):
    gap, nominal = rounds[i][0] - rounds[i - 1][-1], F * 2 ** (i - 1)
    lo, hi = 0.8 * nominal - 0.3, nominal + 0.5
    if not lo <= gap <= hi:
        print(f"  gap before round {i + 1}: {gap:.2f} s, expected {lo:.1f}..{hi:.1f} s"); ok = False
# Bounds over the window: earliest possible starts 0, 0.8F, 0.8F+1.6F, ...; latest 0, F, 3F, ...
earliest, latest, s_lo, s_hi, k = [0.0], [0.0], 0.0, 0.0, 0
while True:
    s_lo += 0.8 * F * 2 ** k; s_hi += F * 2 ** k; k += 1
    if s_lo < window: earliest.append(s_lo)
    if s_hi < window - 1.5: latest.append(s_hi)
    if s_lo >= window: break
if not len(latest) <= len(rounds) <= len(earliest):
    print(f"  {len(rounds)} rounds in {window:.0f} s, schedule allows {len(latest)}..{len(earliest)}"); ok = False
if len(times) > 3 * len(earliest):
    print(f"  {len(times)} REGISTERs, at most {3 * len(earliest)} allowed"); ok = False
sys.exit(0 if ok else 1)
PY
finish
