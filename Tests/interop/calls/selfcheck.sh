#!/usr/bin/env bash
# selfcheck.sh: runs every scenario in this folder SIPp against SIPp on 127.0.0.1 (UDP ports
# 16000-16999, from $PORT_BASE, default 16100), without the box. A pair passes when both SIPp exit 0;
# the negative checks pass when the scenario that must notice the fault exits non-zero. Where the
# other side would be the box's own behaviour (digest answer, 503/486/403 refusals), a small
# "box role" scenario written to the work folder plays it. Prints PASS/FAIL per check, the SIPp error
# logs after a FAIL, a summary, and exits 1 on any failure. KEEP_WORK=1 keeps the work folder.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/trunkbox-calls-selfcheck.XXXXXX")"
PORT=${PORT_BASE:-16100}
SIPUSER=99051000000001
PASSWORD='s3cret-Pa55'
DIAL=0012025550143
DID=+12025550100
CLI=+442071234567
PASSES=0
FAILS=0
PIDS=()

cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$FAILS" -gt 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then echo "selfcheck: logs kept in $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
command -v sipp >/dev/null || { echo "FAIL: sipp is not installed (apt-get install sip-tester)"; exit 1; }

pass() { PASSES=$((PASSES + 1)); echo "PASS: $*"; }
fail() { FAILS=$((FAILS + 1)); echo "FAIL: $*"; }
evidence() {  # the SIPp error and log files of one check, indented
  local f
  for f in "$1"/*_errors.log "$1"/*_logs.log "$1"/*.out; do
    [ -s "$f" ] || continue
    echo "  --- $(basename "$f")"; grep -v '^ *$' "$f" | grep -vE '^[-+|= ]*$' | tail -n 12 | cut -c1-220 | sed 's/^/  | /'
  done
}
scen() { case "$1" in /*) echo "$1" ;; *) echo "$HERE/$1" ;; esac; }

# check NAME EXPECT UAS UAS_ARGS UAC UAC_ARGS
#   EXPECT: ok (both exit 0), uas-fails (the UAS must exit non-zero), uac-fails (the UAC must).
check() {
  local name="$1" expect="$2" uas="$3" uas_args="$4" uac="$5" uac_args="$6"
  local dir="$WORK/$name" uas_port=$PORT uac_port=$((PORT + 1)) t=20 uas_rc uac_rc uas_pid
  PORT=$((PORT + 2))
  [ "$expect" = ok ] || t=6
  mkdir -p "$dir"
  # shellcheck disable=SC2086
  (cd "$dir" && exec sipp -sf "$(scen "$uas")" -i 127.0.0.1 -p "$uas_port" -m 1 -nostdin -timeout ${t}s -timeout_error \
     -trace_err -trace_logs -trace_msg $uas_args >uas.out 2>&1) &
  uas_pid=$!; PIDS+=("$uas_pid")
  sleep 0.3
  # shellcheck disable=SC2086
  (cd "$dir" && exec sipp -sf "$(scen "$uac")" -i 127.0.0.1 -p "$uac_port" -m 1 -nostdin -timeout ${t}s -timeout_error \
     -trace_err -trace_logs -trace_msg $uac_args "127.0.0.1:$uas_port" >uac.out 2>&1)
  uac_rc=$?
  wait "$uas_pid"; uas_rc=$?
  local what="$name: $(basename "$uas") <- $(basename "$uac") (UAS exit $uas_rc, UAC exit $uac_rc)"
  case "$expect" in
    ok)        if [ $uas_rc -eq 0 ] && [ $uac_rc -eq 0 ]; then pass "$what"; else fail "$what"; evidence "$dir"; fi ;;
    uas-fails) if [ $uas_rc -ne 0 ]; then pass "$what: the fault was detected"; else fail "$what: the UAS did not notice the fault"; evidence "$dir"; fi ;;
    uac-fails) if [ $uac_rc -ne 0 ]; then pass "$what: the fault was detected"; else fail "$what: the UAC did not notice the fault"; evidence "$dir"; fi ;;
  esac
}

# ---- box-role scenarios (only for this check; the real box plays these parts)
B="$WORK/box"; mkdir -p "$B"
# box-uas-refuse CODE REASON EXTRA_HEADER FILE: answers an INVITE with a final CODE, expects the ACK.
box_uas_refuse() {
  cat >"$4" <<XML
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!-- box role (selfcheck only): refuses an INVITE with $1 $2. -->
<scenario name="box role: $1">
  <recv request="INVITE"/>
  <send retrans="500">
    <![CDATA[
      SIP/2.0 $1 $2
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]BoxTag[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      $3
      Content-Length: 0

    ]]>
  </send>
  <recv request="ACK"/>
</scenario>
XML
}
box_uas_refuse 503 "Service Unavailable" "Retry-After: 30" "$B/box-uas-503.xml"
box_uas_refuse 503 "Service Unavailable" "Server: box without Retry-After" "$B/box-uas-503-noretry.xml"
box_uas_refuse 486 "Busy Here" "Server: box" "$B/box-uas-486.xml"
box_uas_refuse 403 "Forbidden" 'Reason: Q.850;cause=21;text="emergency calls are not carried by this trunk"' "$B/box-uas-403.xml"
box_uas_refuse 403 "Forbidden" "Server: box without Reason" "$B/box-uas-403-noreason.xml"
# The box's WAN leg answering a digest challenge (401 or 407) with SIPp's [authentication] (-au/-ap).
# box_invite CSEQ [HEADER]: the box role's INVITE with its SDP offer (CSeq CSEQ; HEADER, e.g. [authentication], after Contact).
box_invite() {
  local header='/@HEADER@/d'
  [ -n "${2:-}" ] && header="s/@HEADER@/$2/"
  sed -e "s/@CSEQ@/$1/" -e "$header" <<'XML'
  <send retrans="500">
    <![CDATA[
      INVITE sip:[$dial]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      Max-Forwards: 70
      From: <sip:[$sipuser]@sip.skype.com>;tag=[pid]BoxTag[call_number]
      To: <sip:[$dial]@sip.skype.com>
      Call-ID: [call_id]
      CSeq: @CSEQ@ INVITE
      Contact: <sip:[$sipuser]@[local_ip]:[local_port]>
      @HEADER@
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=box 1 1 IN IP4 [media_ip]
      s=-
      c=IN IP4 [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 8 18 101
      a=rtpmap:101 telephone-event/8000

    ]]>
  </send>
XML
}
{
  cat <<'XML'
<?xml version="1.0" encoding="ISO-8859-1" ?>
<!-- box role (selfcheck only): INVITE -> 401/407 -> ACK -> INVITE with credentials -> 200 -> ACK -> BYE. -->
<scenario name="box role: outgoing call with digest authentication">
  <Global variables="sipuser,dial"/>
XML
  box_invite 101
  cat <<'XML'
  <recv response="100" optional="true"/>
  <recv response="401" auth="true" optional="true" next="ack1"/>
  <recv response="407" auth="true"/>
  <label id="ack1"/>
  <send>
    <![CDATA[
      ACK sip:[$dial]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      Max-Forwards: 70
      From: <sip:[$sipuser]@sip.skype.com>;tag=[pid]BoxTag[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 101 ACK
      Content-Length: 0

    ]]>
  </send>
XML
  box_invite 102 "[authentication]"
  cat <<'XML'
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="200" rrs="true"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: <sip:[$sipuser]@sip.skype.com>;tag=[pid]BoxTag[call_number]
      To: <sip:[$dial]@sip.skype.com>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 102 ACK
      Content-Length: 0

    ]]>
  </send>
  <pause milliseconds="200"/>
  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: <sip:[$sipuser]@sip.skype.com>;tag=[pid]BoxTag[call_number]
      To: <sip:[$dial]@sip.skype.com>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 103 BYE
      Content-Length: 0

    ]]>
  </send>
  <recv response="200"/>
</scenario>
XML
} >"$B/box-uac-auth.xml"
# Variants of pbx-uac-hold.xml: hold with a=inactive (the other branch of trunk-uas-hold.xml), and a
# "hold" that is not one (a=sendrecv), which trunk-uas-hold.xml must refuse.
sed 's/a=sendonly$/a=inactive/' "$HERE/pbx-uac-hold.xml" >"$B/pbx-uac-hold-inactive.xml"
sed 's/a=sendonly$/a=sendrecv/' "$HERE/pbx-uac-hold.xml" >"$B/pbx-uac-hold-nohold.xml"

TRUNK="-set sipuser $SIPUSER"
PBX="-set dial $DIAL -set caller $SIPUSER"   # caller = sipuser: there is no box to rewrite From
echo "selfcheck: SIPp $(sipp -v 2>&1 | grep -o 'v[0-9][^ ]*' | head -n1), work folder $WORK"

# ---- outgoing calls: PBX UAC <-> trunk UAS (the box would sit in between)
check basic        ok  trunk-uas-basic.xml  "$TRUNK"        pbx-uac-basic.xml    "$PBX -d 300"
check 183          ok  trunk-uas-183.xml    "$TRUNK"        pbx-uac-183.xml      "$PBX -d 300"
check 486          ok  trunk-uas-486.xml    "$TRUNK"        pbx-uac-486.xml      "$PBX"
check cancel       ok  trunk-uas-cancel.xml "$TRUNK"        pbx-uac-cancel.xml   "$PBX -d 500"
check hold         ok  trunk-uas-hold.xml   "$TRUNK"        pbx-uac-hold.xml     "$PBX -d 300"
check hold-inactive ok trunk-uas-hold.xml   "$TRUNK"        "$B/pbx-uac-hold-inactive.xml" "$PBX -d 300"
check trunk-bye    ok  trunk-uas-bye.xml    "$TRUNK -d 500" pbx-uac-trunkbye.xml "$PBX"
# ---- digest challenges: the box's role answers them
check 401          ok  trunk-uas-401.xml    "$TRUNK -set password $PASSWORD" "$B/box-uac-auth.xml" "$TRUNK -set dial $DIAL -au $SIPUSER -ap $PASSWORD"
check 407          ok  trunk-uas-407.xml    "$TRUNK"        "$B/box-uac-auth.xml" "$TRUNK -set dial $DIAL -au $SIPUSER -ap $PASSWORD"
if out="$("$HERE/digest-check.py" "$(ls "$WORK"/407/trunk-uas-407_*_logs.log 2>/dev/null | head -n1)" "$PASSWORD")"; then
  pass "407-digest: digest-check.py recomputed the logged Proxy-Authorization response ($out)"
else fail "407-digest: digest-check.py: $out"; fi
# ---- incoming calls: trunk UAC <-> PBX UAS (ext = sipuser: there is no box to map the number)
INC="-set sipuser $SIPUSER -set did $DID -set cli $CLI"
check incoming     ok  pbx-uas-incoming.xml "-set ext $SIPUSER" trunk-uac-incoming.xml "$INC -d 300"
check incoming-486 ok  pbx-uas-486.xml      "-set ext $SIPUSER" trunk-uac-486.xml      "$INC"
# ---- refusals by the box: its role played by box-uas-*.xml
check overflow-503 ok  "$B/box-uas-503.xml" "" pbx-uac-expect-503.xml "$PBX -set want 503"
check overflow-486 ok  "$B/box-uas-486.xml" "" pbx-uac-expect-503.xml "$PBX -set want 486"
check overflow-any  ok "$B/box-uas-486.xml" "" pbx-uac-expect-503.xml "$PBX -set want any"
check emergency    ok  "$B/box-uas-403.xml" "" pbx-uac-emergency.xml  "-set caller 201"

# ---- negative checks: each scenario must notice the fault it is there to catch
check neg-sipuser  uas-fails trunk-uas-basic.xml  "-set sipuser 99051000000002" pbx-uac-basic.xml "$PBX -d 300"
check neg-dial     uas-fails trunk-uas-basic.xml  "$TRUNK" pbx-uac-basic.xml "-set dial 12025550143 -set caller $SIPUSER -d 300"
check neg-ext      uas-fails pbx-uas-incoming.xml "-set ext 202" trunk-uac-incoming.xml "$INC -d 300"
check neg-401-pw   uas-fails trunk-uas-401.xml    "$TRUNK -set password $PASSWORD" "$B/box-uac-auth.xml" "$TRUNK -set dial $DIAL -au $SIPUSER -ap wrong"
check neg-407-user uas-fails trunk-uas-407.xml    "$TRUNK" "$B/box-uac-auth.xml" "$TRUNK -set dial $DIAL -au 99051000000009 -ap $PASSWORD"
check neg-407-pw   ok        trunk-uas-407.xml    "$TRUNK" "$B/box-uac-auth.xml" "$TRUNK -set dial $DIAL -au $SIPUSER -ap wrong"
if out="$("$HERE/digest-check.py" "$(ls "$WORK"/neg-407-pw/trunk-uas-407_*_logs.log 2>/dev/null | head -n1)" "$PASSWORD")"; then
  fail "neg-407-pw: digest-check.py accepted a response made with the wrong password ($out)"
else pass "neg-407-pw: digest-check.py refused the response made with the wrong password"; fi
check neg-nohold   uas-fails trunk-uas-hold.xml   "$TRUNK" "$B/pbx-uac-hold-nohold.xml" "$PBX -d 300"
check neg-retry    uac-fails "$B/box-uas-503-noretry.xml" "" pbx-uac-expect-503.xml "$PBX -set want 503"
check neg-want     uac-fails "$B/box-uas-486.xml"  "" pbx-uac-expect-503.xml "$PBX -set want 503"
check neg-reason   uac-fails "$B/box-uas-403-noreason.xml" "" pbx-uac-emergency.xml "-set caller 201"

echo "selfcheck: $PASSES passed, $FAILS failed"
[ "$FAILS" -eq 0 ]
