#!/usr/bin/env bash
# console-box.sh: the console golden transcripts played against a running box: `trunkbox run` on a fresh store,
# `trunkbox console` on a real pseudo-terminal (console-play), each Tests/Fixtures/console-box/NAME.in typed and
# the screen compared with NAME.out. UPDATE=1 writes the .out files instead (review them by eye).
#
# Usage: Tests/cli/console-box.sh path/to/trunkbox path/to/console-play
set -euo pipefail
bin="$(realpath "$1")"; play="$(realpath "$2")"
here="$(cd "$(dirname "$0")" && pwd)"
fixtures="$here/../Fixtures/console-box"
work="$(mktemp -d)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
failed=0; passed=0
for input in "$fixtures"/*.in; do
    name="$(basename "$input" .in)"
    # A fresh box per transcript: each starts from factory defaults with no console password.
    rm -rf "$work/box"; mkdir -p "$work/box"
    "$bin" run --lan "127.0.0.1:$port" --wan "127.0.0.1:$((port + 1))" --db "$work/box/trunkbox.db" \
        --console-socket "$work/box/console.sock" --no-serial-console --duration 120 >"$work/box/box.log" 2>&1 &
    pid=$!
    for _ in $(seq 100); do [ -S "$work/box/console.sock" ] && break; sleep 0.1; done
    "$play" "$bin" "$work/box/console.sock" "$input" >"$work/$name.actual" || { echo "console-box: $name did not finish; the screen so far:"; cat "$work/$name.actual"; echo; cat "$work/box/box.log"; exit 1; }
    kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
    if [ "${UPDATE:-0}" = 1 ]; then
        cp "$work/$name.actual" "$fixtures/$name.out"; echo "console-box: wrote $name.out"; continue
    fi
    if diff -u "$fixtures/$name.out" "$work/$name.actual" >"$work/$name.diff"; then
        passed=$((passed + 1))
    else
        echo "FAIL: console transcript $name differs from the running box:"; cat "$work/$name.diff"; failed=$((failed + 1))
    fi
done
[ "${UPDATE:-0}" = 1 ] && exit 0
[ "$failed" -eq 0 ] || exit 1
echo "console-box: $passed transcripts played against a running box through a pty, all as expected"
