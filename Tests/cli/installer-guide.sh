#!/usr/bin/env bash
# installer-guide.sh: docs/INSTALLER.md shows real console sessions. This runs `trunkbox demo --keep-running`
# (the box registered to the trunk emulator, with the demo's calls on record), plays each
# Tests/Fixtures/installer/NN-NAME.in into `trunkbox console` on a pty (console-play), renders what the
# terminal showed, and compares it with the block after `<!-- console: NN-NAME -->` in docs/INSTALLER.md.
# Times, dates and durations are normalised (they change every run). UPDATE=1 rewrites the blocks instead.
#
# Usage: Tests/cli/installer-guide.sh path/to/trunkbox path/to/console-play
set -euo pipefail
bin="$(realpath "$1")"; play="$(realpath "$2")"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d /tmp/trunkbox-guide.XXXXXX)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

"$bin" demo --keep-running --dir "$work/demo" >"$work/demo.log" 2>&1 &
pid=$!
for _ in $(seq 600); do grep -q "keeps running until Ctrl-C" "$work/demo.log" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
grep -q "^demo: all 7 steps passed" "$work/demo.log" || { echo "FAIL: installer guide: the demo did not pass"; cat "$work/demo.log"; exit 1; }
sleep 2      # the analog line rests 1 s after the demo's last call before it shows idle

month="$(date -u +%Y-%m)"
for input in "$root"/Tests/Fixtures/installer/*.in; do
    name="$(basename "$input" .in)"
    sed "s/MONTH/$month/g" "$input" >"$work/$name.in"
    "$play" "$bin" "$work/demo/console.sock" "$work/$name.in" >"$work/$name.out" \
        || { echo "FAIL: installer guide: $name did not finish"; cat "$work/$name.out"; exit 1; }
done
python3 "$here/installer_guide.py" "$root/docs/INSTALLER.md" "$work" "${UPDATE:-0}"
