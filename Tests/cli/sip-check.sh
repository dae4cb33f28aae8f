#!/usr/bin/env bash
# sip-check.sh: `trunkbox sip check` against the RFC 4475 manifest: ok for well-formed messages,
# "error: REASON (line L, column C)" and exit 1 for malformed ones, exit 0 only when all are fine.
set -uo pipefail
bin="$(realpath "$1")"
dir="$(cd "$(dirname "$0")/../Fixtures" && pwd)"
fail=0
check() { # file expect
  local out rc
  out="$("$bin" sip check "$1")"; rc=$?
  case "$2" in
    ok)
      [[ $rc -eq 0 && "$out" == "$1: ok "* ]] || { echo "FAIL: expected ok: $out (exit $rc)"; fail=1; } ;;
    error)
      [[ $rc -eq 1 && "$out" =~ ^"$1: error: ".+" (line "[0-9]+", column "[0-9]+")"$ ]] || { echo "FAIL: expected a located error: $out (exit $rc)"; fail=1; } ;;
  esac
}
n=0
while IFS=$'\t' read -r name section title expect uas; do
  [[ "$name" == \#* || -z "$name" ]] && continue
  case "$expect" in
    parse|semantic) check "$dir/rfc4475/$name.sip" ok; n=$((n+1)) ;;
    reject) check "$dir/rfc4475/$name.sip" error; n=$((n+1)) ;;
  esac
done < "$dir/rfc4475/MANIFEST.tsv"
for f in "$dir"/sip/*.sip; do check "$f" ok; n=$((n+1)); done

# Several files: exit 1 when any is bad, and every file still gets its line.
out="$("$bin" sip check "$dir/sip/bye.sip" "$dir/rfc4475/badvers.sip" "$dir/sip/register.sip")"; rc=$?
[[ $rc -eq 1 && $(wc -l <<<"$out") -eq 3 && "$out" == *"bye.sip: ok BYE"* && "$out" == *"badvers.sip: error: unsupported SIP version SIP/7.0 (line 1, column 1)"* ]] \
  || { echo "FAIL: mixed files: $out (exit $rc)"; fail=1; }
out="$("$bin" sip check /nonexistent.sip)"; rc=$?
[[ $rc -eq 1 && "$out" == "/nonexistent.sip: error: cannot read the file" ]] || { echo "FAIL: missing file: $out"; fail=1; }
# On a stream Content-Length is mandatory: escnull has one (ok), dblreq's first message too, transports has none -> error.
out="$("$bin" sip check --stream "$dir/rfc4475/escnull.sip")" || { echo "FAIL: stream ok: $out"; fail=1; }
[ $fail -eq 0 ] && echo "sip check: $((n+3)) cases passed"
exit $fail
