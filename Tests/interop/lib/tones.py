# tones.py: Python helpers shared by the call interop analyses (imported by the analyse.py each check writes).
# G.711 decoding tables, 100 ms frames, Goertzel power per 100 Hz bin, tone verdicts, wav reading, the
# PASS/FAIL lines, and tshark's fields of a capture. Standard library only.
import math, struct, subprocess, wave

def _ulaw(b):
    b = ~b & 0xFF
    t = ((b & 0x0F) << 3) + 0x84
    t <<= (b & 0x70) >> 4
    return (0x84 - t) if (b & 0x80) else (t - 0x84)
def _alaw(b):
    b ^= 0x55
    t = (b & 0x0F) << 4
    seg = (b & 0x70) >> 4
    if seg == 0: t += 8
    elif seg == 1: t += 0x108
    else: t = (t + 0x108) << (seg - 1)
    return t if (b & 0x80) else -t
ULAW = [_ulaw(i) for i in range(256)]
ALAW = [_alaw(i) for i in range(256)]
G711 = {0: ULAW, 8: ALAW}   # by RTP payload type

def g711_decode(pt, payload):
    """Samples of a G.711 payload (PT 0 PCMU, otherwise PCMA)."""
    table = ULAW if pt == 0 else ALAW
    return [table[b] for b in payload]

FRAME = 800                        # 100 ms at 8 kHz
BINS = list(range(200, 3900, 100)) # 100 Hz bins, 200..3800 Hz
QUIET = 100                        # a frame whose peak is below this is silence

def frames_of(samples):
    """Whole 100 ms frames of the samples."""
    return [samples[i:i + FRAME] for i in range(0, len(samples) - FRAME + 1, FRAME)]

def voiced(x, quiet=QUIET):
    return max(abs(v) for v in x) >= quiet

def first_voiced(frames):
    """Index of the first frame with sound, or None."""
    return next((i for i, x in enumerate(frames) if voiced(x)), None)

def goertzel(x, f, rate=8000):
    w = 2 * math.pi * f / rate; c = 2 * math.cos(w); s1 = s2 = 0.0
    for v in x: s1, s2 = v + c * s1 - s2, s1
    return s1 * s1 + s2 * s2 - c * s1 * s2

def tone_ratio(frames, want, quiet=QUIET):
    """The tone bin against the strongest other 100 Hz bin (200-3800 Hz), power summed over the non-silent
    frames: (ratio in dB, voiced frames, the other bin); (None, 0, None) when all is silence."""
    power = dict.fromkeys(BINS, 0.0); n = 0
    for x in frames:
        if not voiced(x, quiet): continue
        n += 1
        for f in BINS: power[f] += goertzel(x, f)
    if n == 0: return None, n, None
    other_f = max((f for f in BINS if abs(f - want) > 100), key=lambda f: power[f])
    ratio = 10 * math.log10(power[want] / power[other_f]) if power[other_f] > 0 else 99.0
    return ratio, n, other_f

def rms_dbfs(frames):
    count = sum(len(x) for x in frames)
    rms = math.sqrt(sum(v * v for x in frames for v in x) / count) if count else 0.0
    return 20 * math.log10(max(rms, 1e-9) / 32768)

def tone_verdict(frames, want, threshold):
    """(ok, text, ratio): is WANT Hz at least THRESHOLD dB above the strongest other bin?"""
    ratio, n, other_f = tone_ratio(frames, want)
    if ratio is None: return False, "no audio (all silence) in %d frames" % len(frames), 0.0
    return ratio >= threshold, "%d Hz %.1f dB above the strongest other bin (%d Hz), %d voiced 100 ms frames, RMS %.1f dBFS" % (
        want, ratio, other_f, n, rms_dbfs(frames)), ratio

def wav_samples(path):
    """(samples, rate) of a 16-bit mono wav."""
    w = wave.open(path)
    assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
    data = w.readframes(w.getnframes())
    return list(struct.unpack("<%dh" % (len(data) // 2), data)), w.getframerate()

results = []
def check(ok, text):
    """One PASS/FAIL line; all_passed() at the end."""
    results.append(bool(ok)); print(("PASS: " if ok else "FAIL: ") + text)
def all_passed(): return all(results)

def ports(args):
    """name=port arguments as a dict."""
    return {k: int(v) for k, v in (a.split("=") for a in args)}

def tshark_fields(cap, *args):
    """tshark -r CAP -n ARGS..., its output lines."""
    return subprocess.run(["tshark", "-r", cap, "-n", *args], capture_output=True, text=True).stdout.splitlines()

def call_records(db_path):
    """The box's call_record rows (read-only): direction, disposition, sip_cause, caller, called, extension,
    billable_seconds, codec, srtp, pbx_packets_sent, pbx_packets_received, trunk_packets_sent, trunk_packets_received."""
    import sqlite3
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    recs = db.execute("select direction, disposition, sip_cause, caller, called, extension, billable_seconds, codec, srtp,"
                      " pbx_packets_sent, pbx_packets_received, trunk_packets_sent, trunk_packets_received from call_record order by id").fetchall()
    for r in recs: print("  record:", r)
    return recs
