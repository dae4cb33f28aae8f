#!/usr/bin/env python3
# serial_console.py: the serial console follows the config. A pty stands in for the box's serial port: an
# installer on the socket console sets `console device <the pty> / speed 9600` and commits; the box must open the
# pty at once (no restart) and serve a login there with the password just set.
#
# Usage: Tests/cli/serial_console.py path/to/trunkbox path/to/console-play
import os, pty, select, subprocess, sys, tempfile, termios, time

bin, play = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp()
master, slave = pty.openpty()
device = os.ttyname(slave)
port = 20000 + os.getpid() % 20000
box = subprocess.Popen([bin, "run", "--lan", f"127.0.0.1:{port}", "--wan", f"127.0.0.1:{port + 1}", "--db", f"{work}/trunkbox.db",
                        "--console-socket", f"{work}/console.sock", "--no-serial-console", "--duration", "60"],
                       stdout=open(f"{work}/box.log", "w"), stderr=subprocess.STDOUT)

def fail(why):
    box.terminate(); box.wait()
    print("FAIL:", why); print(open(f"{work}/box.log").read()); sys.exit(1)

def read_until(marker, seconds=10):
    got = b""
    deadline = time.time() + seconds
    while time.time() < deadline and marker not in got:
        r, _, _ = select.select([master], [], [], 0.2)
        if r:
            got += os.read(master, 4096)
    return got

for _ in range(100):
    if os.path.exists(f"{work}/console.sock"): break
    time.sleep(0.1)
# --no-serial-console only keeps the box off the port at start; a committed console device is opened.
with open(f"{work}/setup.in", "w") as f:
    f.write(f"Install-Pass-42\nInstall-Pass-42\nconf t\nconsole\ndevice {device}\nspeed 9600\ncommit\nend\nlogout\n")
out = subprocess.run([play, bin, f"{work}/console.sock", f"{work}/setup.in"], capture_output=True, timeout=60).stdout.decode()
if "committed as version 2" not in out:
    fail("the console device was not committed:\n" + out)
banner = read_until(b"Password: ")
if b"trunkbox console" not in banner or b"Password: " not in banner:
    fail(f"no login on the new serial console {device}: {banner!r}")
speed = termios.tcgetattr(slave)[4]
if speed != termios.B9600:
    fail(f"the serial console is not at 9600 (ospeed {speed})")
os.write(master, b"Install-Pass-42\r")
prompt = read_until(b"# ")
if b"trunkbox# " not in prompt:
    fail(f"the password set on the socket console did not log in on the serial console: {prompt!r}")
os.write(master, b"show running-config\r")
shown = read_until(b"--More--")
if device.encode() not in shown:
    fail(f"show running-config on the serial console does not name {device}")
box.terminate(); box.wait()
print(f"serial console: opened {device} at 9600 8N1 after the commit, logged in, no restart")
