# pulse-lib.sh: a private PulseAudio as the analog line's real-time paced loopback (sourced by line tests and benchmarks).
# Two null sinks at 8000 Hz mono s16le:
#   line_in   the test plays into it (pulse_play); the box captures its monitor (the line's capture)
#   line_out  the box plays into it; the test records its monitor (pulse_record_start) (the line's playback)
# Everything lives under one directory (socket, runtime and state files, log): nothing system-wide is touched.
# Needs pulseaudio, pulseaudio-utils (pacat) and libasound2-plugins (alsa-lib's pulse PCM).
#   pulse_start DIR       starts the daemon; sets PULSE_SERVER (exported for pacat) and PULSE_DIR
#   pulse_alsa_conf FILE PCM   writes an ALSA config (for ALSA_CONFIG_PATH) naming PCM the line: asym of two pulse PCMs
#   pulse_play FILE       plays raw 8 kHz s16le mono into line_in, paced by the sink's clock; returns when played out
#   pulse_record_start FILE    records line_out's monitor into FILE (raw, 8 kHz s16le mono) in the background
#   pulse_stop            stops the recorder and the daemon (safe to call twice; call it from the EXIT trap)

PULSE_DIR=""; PULSE_PID=""; PULSE_RECORDER=""

pulse_start() {
    PULSE_DIR="$1"
    mkdir -p "$PULSE_DIR/runtime" "$PULSE_DIR/state"
    chmod 700 "$PULSE_DIR/runtime"
    cat >"$PULSE_DIR/line.pa" <<PA
load-module module-null-sink sink_name=line_in rate=8000 channels=1 format=s16le sink_properties=device.description=line_in
load-module module-null-sink sink_name=line_out rate=8000 channels=1 format=s16le sink_properties=device.description=line_out
load-module module-native-protocol-unix auth-anonymous=1 socket=$PULSE_DIR/native
set-default-sink line_out
PA
    # Root gets a warning ("not intended to be run as root") and runs anyway. No config files are read (-n),
    # so no autospawn, no real sound card probing, no module-suspend-on-idle (the monitors never pause).
    # Real-time scheduling where permitted (root: SCHED_RR), as a sound card's interrupts would be: on a
    # loaded machine a starved sink thread leaves gaps in what the box plays (seen: a digit cut in two).
    PULSE_RUNTIME_PATH="$PULSE_DIR/runtime" PULSE_STATE_PATH="$PULSE_DIR/state" XDG_RUNTIME_DIR="$PULSE_DIR/runtime" \
        pulseaudio -n -F "$PULSE_DIR/line.pa" --exit-idle-time=-1 --daemonize=no --use-pid-file=no --system=no \
        --disable-shm=yes --realtime=yes --high-priority=yes --log-target=stderr --log-level=notice \
        >"$PULSE_DIR/pulseaudio.log" 2>&1 &
    PULSE_PID=$!
    export PULSE_SERVER="unix:$PULSE_DIR/native"
    # pacat and the ALSA plugin must not try to autospawn a daemon of their own or read a user's config.
    export PULSE_CLIENTCONFIG="$PULSE_DIR/client.conf"
    printf 'autospawn = no\nenable-shm = no\n' >"$PULSE_CLIENTCONFIG"
    local i
    for i in $(seq 100); do
        if [ -S "$PULSE_DIR/native" ] && pactl list short sinks 2>/dev/null | grep -q line_out; then return 0; fi
        kill -0 "$PULSE_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "pulse-lib: PulseAudio did not start (log: $PULSE_DIR/pulseaudio.log)" >&2
    tail -n 5 "$PULSE_DIR/pulseaudio.log" >&2
    return 1
}

pulse_alsa_conf() {
    local file=$1 pcm=$2
    cat >"$file" <<ALSA
pcm.$pcm {
  type asym
  playback.pcm { type pulse server "$PULSE_SERVER" device "line_out" }
  capture.pcm { type pulse server "$PULSE_SERVER" device "line_in.monitor" }
}
ALSA
}

pulse_play() {
    # 250 ms of buffer: a player descheduled under load must not leave gaps (the sink would play silence there).
    pacat --playback -d line_in --rate=8000 --channels=1 --format=s16le --raw --latency-msec=250 \
        --client-name=line-test --stream-name=line-in "$1"
}

pulse_record_start() {
    parec -d line_out.monitor --rate=8000 --channels=1 --format=s16le --raw --latency-msec=250 \
        --client-name=line-test --stream-name=line-out >"$1" 2>"$PULSE_DIR/parec.log" &
    PULSE_RECORDER=$!
}

pulse_stop() {
    if [ -n "$PULSE_RECORDER" ]; then kill "$PULSE_RECORDER" 2>/dev/null; wait "$PULSE_RECORDER" 2>/dev/null; PULSE_RECORDER=""; fi
    if [ -n "$PULSE_PID" ]; then kill "$PULSE_PID" 2>/dev/null; wait "$PULSE_PID" 2>/dev/null; PULSE_PID=""; fi
}
