#!/usr/bin/env bash
# crash.sh: kill -9 store-torture at random moments while it commits, 200 times; after each kill the store
# must open without recovery, run exactly one complete committed version, and have lost no commit that returned.
#
# Usage: Tests/store/crash.sh [path/to/store-torture]   (default .build/debug/store-torture; builds nothing)
# Environment: ROUNDS (default 200), MAX_DELAY_MS (default 200).
set -euo pipefail

BIN=${1:-.build/debug/store-torture}
ROUNDS=${ROUNDS:-200}
MAX_DELAY_MS=${MAX_DELAY_MS:-200}
[[ -x $BIN ]] || { echo "crash.sh: $BIN is not an executable (build it with: swift build --product store-torture)" >&2; exit 2; }

WORK=$(mktemp -d)
LOOP_PID=
cleanup() {
    if [[ -n $LOOP_PID ]]; then kill -9 "$LOOP_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT
DB=$WORK/trunkbox.db

failures=0 lost=0 acknowledged=0 mid_run=0 fresh=0 unreported=0
started=$SECONDS
for ((round = 1; round <= ROUNDS; round++)); do
    # Every 25th round starts from nothing, so kills also land while the store is being created (and the file stays small).
    if ((round % 25 == 1)); then rm -f "$DB" "$DB"-* "$DB".*; fresh=$((fresh + 1)); fi

    "$BIN" commit-loop "$DB" 1000000 >"$WORK/loop.out" 2>"$WORK/loop.err" &
    LOOP_PID=$!
    delay=$((RANDOM % (MAX_DELAY_MS + 1)))
    sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
    kill -9 "$LOOP_PID" 2>/dev/null || true
    status=0
    wait "$LOOP_PID" 2>/dev/null || status=$?
    LOOP_PID=
    # 137 = killed by SIGKILL, as intended. Anything else means the loop itself failed.
    if ((status != 137 && status != 0)); then
        echo "round $round: commit-loop exited with $status: $(cat "$WORK/loop.err")"
        failures=$((failures + 1))
        continue
    fi

    last=$(grep -E '^[0-9]+$' "$WORK/loop.out" | tail -n 1 || true)
    count=$(grep -cE '^[0-9]+$' "$WORK/loop.out" || true)
    acknowledged=$((acknowledged + count))
    ((count > 0)) && mid_run=$((mid_run + 1))

    if ! running=$("$BIN" check "$DB" 2>"$WORK/check.err"); then
        echo "round $round: check failed: $(cat "$WORK/check.err")"
        failures=$((failures + 1))
        continue
    fi
    if [[ -n $last ]] && ((running < last)); then
        echo "round $round: commit $last returned but the running version is $running"
        lost=$((lost + 1))
    fi
    # Killed after a commit reached the file but before the loop reported it: kept, as it may be.
    if [[ -n $last ]] && ((running > last)); then unreported=$((unreported + 1)); fi
done

elapsed=$((SECONDS - started))
echo "crash test: $ROUNDS kills (0-${MAX_DELAY_MS} ms, $fresh from an empty directory, $mid_run after at least one commit returned), $acknowledged commits acknowledged, $unreported kills between a commit and its report, $((ROUNDS - failures)) checks passed, $failures failed, $lost lost commits, ${elapsed}s"
((failures == 0 && lost == 0))
