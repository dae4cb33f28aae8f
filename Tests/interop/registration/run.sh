#!/usr/bin/env bash
# run.sh [trunkbox] [check...]: runs the registration interop checks (t*.sh beside it, or the ones
# named, e.g. `run.sh "$bin" t3-wrong-password t4-sipp`) one after another, prints each PASS/FAIL line
# and the time each took, then "registration: N passed, N failed"; exits 1 if any check failed.
# Everything runs on loopback on random ports and is stopped by the checks themselves.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-}"
if [ -z "$bin" ]; then
  bin="$(cd "$here/../../.." && swift build --show-bin-path)/trunkbox"
fi
shift || true
checks=("$@")
if [ ${#checks[@]} -eq 0 ]; then
  for f in "$here"/t[0-9]*-*.sh; do checks+=("$(basename "$f" .sh)"); done
fi

passed=0
failed=0
broken=()
start=$SECONDS
for c in "${checks[@]}"; do
  c="${c%.sh}"
  echo "-- $c"
  t0=$SECONDS
  out="$(mktemp)"
  "$here/$c.sh" "$bin" 2>&1 | tee "$out"
  rc=${PIPESTATUS[0]}
  p=$(grep -c '^PASS: ' "$out" || true)
  f=$(grep -c '^FAIL: ' "$out" || true)
  rm -f "$out"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
    echo "FAIL: $c: exited $rc without a FAIL line"
  fi
  passed=$((passed + p))
  failed=$((failed + f))
  [ "$f" -gt 0 ] && broken+=("$c")
  echo "-- $c: $p passed, $f failed, $((SECONDS - t0)) s"
done
echo "-- registration checks took $((SECONDS - start)) s${broken[*]:+; failing: ${broken[*]}}"
echo "registration: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
