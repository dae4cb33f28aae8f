# installer_guide.py: renders console-play transcripts as the screen showed them and checks (or, with UPDATE,
# rewrites) the matching `<!-- console: NAME -->` blocks of docs/INSTALLER.md. Used by installer-guide.sh.
import re
import sys

doc_path, work, update = sys.argv[1], sys.argv[2], sys.argv[3] == "1"

def decode(text):
    """The .out format back to bytes: a line break is CR LF; escapes stand for control and 8-bit bytes."""
    out = bytearray()
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for n, line in enumerate(lines):
        i = 0
        while i < len(line):
            c = line[i]
            if c == "\\" and i + 1 < len(line):
                e = line[i + 1]
                i += 2
                if e == "x":
                    out.append(int(line[i:i + 2], 16)); i += 2
                else:
                    out += {"r": b"\r", "n": b"\n", "t": b"\t", "e": b"\x1b", "b": b"\b", "\\": b"\\"}.get(e, b"\\" + e.encode())
            else:
                out += c.encode(); i += 1
        if n < len(lines) - 1:
            out += b"\r\n"
    return bytes(out)

def render(data):
    """A minimal terminal: CR, LF, BS, ESC[K; other escape sequences dropped."""
    screen, row, col = [[]], 0, 0
    i = 0
    while i < len(data):
        b = data[i]
        if b == 0x1B:
            m = re.match(rb"\x1b\[([0-9;?]*)([A-Za-z])", data[i:])
            if m:
                if m.group(2) == b"K":
                    del screen[row][col:]
                i += len(m.group(0)); continue
            i += 1; continue
        if b == 0x0D:
            col = 0
        elif b == 0x0A:
            row += 1; col = 0
            if row == len(screen): screen.append([])
        elif b == 0x08:
            col = max(0, col - 1)
        elif b == 0x07:
            pass
        elif b >= 0x20:
            line = screen[row]
            while len(line) < col: line.append(" ")
            ch = bytes([b])
            # UTF-8 continuation bytes join the previous character.
            if b & 0xC0 == 0x80 and col > 0:
                line[col - 1] += ch
            elif col < len(line):
                line[col] = ch; col += 1
            else:
                line.append(ch); col += 1
        i += 1
    text = "\n".join(b"".join(l).decode("utf-8", "replace").rstrip() for l in screen)
    return text.rstrip("\n")

def normalise(text, work):
    text = text.replace(work + "/demo", "/tmp/trunkbox-demo")
    # What the installer types on a password line is on their screen as typed; the guide masks it.
    text = re.sub(r"(\)# password) \S+", r"\1 ********", text)
    text = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "YYYY-MM-DDThh:mm:ss.sssZ", text)
    text = re.sub(r"\b20\d\d-\d\d\b", "YYYY-MM", text)
    text = re.sub(r"\b(expires in|refresh in|granted|in|after) \d+( ?m?s\b)", r"\1 N\2", text)
    text = re.sub(r"\bup \d+[dhm]( \d+[hms])?", "up UPTIME", text)
    text = re.sub(r"\b\d+m\d\ds\b", "NmNNs", text)
    text = re.sub(r"\b\d+(\.\d+)? ms\b", "N ms", text)
    text = re.sub(r"(port|:)\d{5}\b", r"\1NNNNN", text)
    text = re.sub(r"trunkbox \d+\.\d+\.\d+\S*", "trunkbox VERSION", text)
    text = re.sub(r"\btransactions \d+", "transactions N", text)
    # What the process holds varies from run to run (the line's form is kept).
    text = re.sub(r"\b\d+\.\d MB\b", "N.N MB", text)
    text = re.sub(r"\b\d+ open files\b", "N open files", text)
    # Call-IDs are random; packet counts, jitter, MOS, round trips, the ERLE and seconds vary a little from run to run.
    text = re.sub(r"^(\d+),[\w.-]+@", r"\1,CALL-ID@", text, flags=re.M)
    def csv_row(m):
        f = m.group(0).split(",")
        if len(f) >= 28:
            f[11] = "S" if f[11] else f[11]
            for i in range(18, min(len(f), 31)):
                if f[i] not in ("", "?"): f[i] = "N"
        return ",".join(f)
    text = re.sub(r"^\d+,CALL-ID@.*$", csv_row, text, flags=re.M)
    text = re.sub(r"^(YYYY-MM-DDThh:mm:ss.sssZ  .{12} (?:out|in ) .{16}  .{16}) +\d+  ", r"\1     S  ", text, flags=re.M)
    # The last events: their order depends on timing.
    text = re.sub(r"(recent events:\n)(  YYYY-MM-DDThh:mm:ss.sssZ .*\n)+", r"\1  YYYY-MM-DDThh:mm:ss.sssZ ... (the latest events, newest last)\n", text)
    return text

doc = open(doc_path).read()
pattern = re.compile(r"(<!-- console: ([\w-]+) -->\n```\n)(.*?)(```)", re.S)
names = {m.group(2) for m in pattern.finditer(doc)}
import os
played = sorted(f[:-4] for f in os.listdir(work) if f.endswith(".out"))
missing = [n for n in played if n not in names]
failed = 0
def replace(m):
    global failed
    name = m.group(2)
    path = os.path.join(work, name + ".out")
    if not os.path.exists(path):
        print(f"FAIL: installer guide: no transcript {name}.in for the block '{name}'"); failed += 1
        return m.group(0)
    actual = normalise(render(decode(open(path).read())), work) + "\n"
    if update:
        return m.group(1) + actual + m.group(4)
    if actual != m.group(3):
        import difflib
        print(f"FAIL: installer guide: the '{name}' session differs from docs/INSTALLER.md:")
        sys.stdout.writelines(difflib.unified_diff(m.group(3).splitlines(True), actual.splitlines(True), "docs", "box"))
        failed += 1
    return m.group(0)
new = pattern.sub(replace, doc)
if missing and not update:
    print(f"FAIL: installer guide: sessions not shown in the guide: {', '.join(missing)}"); failed += 1
if update:
    for n in missing:
        new += f"\n<!-- console: {n} -->\n```\n```\n"
    if new != doc:
        open(doc_path, "w").write(new)
    print(f"installer guide: {len(played)} sessions written into {doc_path}")
    sys.exit(0)
if failed:
    sys.exit(1)
print(f"installer guide: {len(played)} console sessions in docs/INSTALLER.md match the running box")
