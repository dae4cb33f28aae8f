#!/usr/bin/env python3
# fsk.py: an independent Bell 202 caller ID generator (Bellcore GR-30 CLASS, MDMF) writing raw 8 kHz s16le mono for the line tests.
"""Writes what an exchange sends between the first and second ring:

  channel seizure  300 alternating bits (30 octets 0x55, start and stop bits included: 0101010101...)
  mark             180 mark bits (at least 150)
  message          MDMF (type 0x80): date/time (01), number (02), name (07), each octet framed as a start
                   bit (0), eight data bits least significant first and a stop bit (1), then the checksum
                   octet (two's complement of the sum of every octet before it, modulo 256)
  a few mark bits, then silence.

Bell 202: mark (1) is 1200 Hz, space (0) is 2200 Hz, 1200 bit/s; the phase is continuous across bit
boundaries and the bit clock is kept in fractions of a sample (8000 / 1200 = 6.67 samples a bit), so
bits are 6 or 7 samples long and never drift. Written from the GR-30 description, not from any other code.

Usage: fsk.py OUT.raw --number N [--name NAME] [--date MMDDHHMM] [--level-dbfs -13] [--lead-ms 0]
              [--tail-ms 200] [--bad-checksum]
Prints one line: the octets of the message (type to checksum) in hex, so a test can show what it sent.
"""
import argparse
import math
import struct
import sys

RATE = 8000
BAUD = 1200
MARK, SPACE = 1200.0, 2200.0


def message_octets(number, name, date, bad_checksum=False):
    params = bytearray()
    if date:
        if len(date) != 8 or not date.isdigit():
            raise SystemExit("fsk.py: --date is MMDDHHMM (8 digits)")
        params += bytes([0x01, 8]) + date.encode("ascii")
    if number:
        params += bytes([0x02, len(number)]) + number.encode("ascii")
    if name:
        params += bytes([0x07, len(name)]) + name.encode("ascii")
    if len(params) > 255:
        raise SystemExit("fsk.py: the message is longer than 255 octets")
    body = bytes([0x80, len(params)]) + bytes(params)
    checksum = (-sum(body)) & 0xFF
    if bad_checksum:
        checksum ^= 0x5A
    return body + bytes([checksum])


def bits_for(octets):
    """Start bit, 8 data bits LSB first, stop bit, per octet."""
    out = []
    for o in octets:
        out.append(0)
        out += [(o >> i) & 1 for i in range(8)]
        out.append(1)
    return out


def modulate(bits, amplitude):
    samples = []
    phase = 0.0
    t_bit = 0.0                   # where the current bit ends, in samples (fractional)
    n = 0
    per_bit = RATE / BAUD
    for b in bits:
        t_bit += per_bit
        step = 2 * math.pi * (MARK if b else SPACE) / RATE
        while n < t_bit:
            samples.append(int(round(amplitude * math.sin(phase))))
            phase = (phase + step) % (2 * math.pi)
            n += 1
    return samples


def main():
    p = argparse.ArgumentParser(description="Bell 202 MDMF caller ID as raw 8 kHz s16le mono")
    p.add_argument("out")
    p.add_argument("--number", required=True)
    p.add_argument("--name", default="")
    p.add_argument("--date", default="11291830")
    p.add_argument("--level-dbfs", type=float, default=-13.0, help="level of the FSK sine (peak relative to full scale)")
    p.add_argument("--lead-ms", type=int, default=0, help="silence before the seizure")
    p.add_argument("--tail-ms", type=int, default=200, help="silence after the message")
    p.add_argument("--bad-checksum", action="store_true", help="corrupt the checksum octet")
    a = p.parse_args()

    octets = message_octets(a.number, a.name, a.date, a.bad_checksum)
    seizure = [i % 2 for i in range(300)]          # 0101...: 30 x 0x55 with their start and stop bits
    bits = seizure + [1] * 180 + bits_for(octets) + [1] * 10
    amplitude = 32767 * 10 ** (a.level_dbfs / 20)
    x = [0] * (RATE * a.lead_ms // 1000) + modulate(bits, amplitude) + [0] * (RATE * a.tail_ms // 1000)
    with open(a.out, "wb") as f:
        f.write(struct.pack("<%dh" % len(x), *x))
    print(octets.hex(), f"{len(x) / RATE:.3f}s")


if __name__ == "__main__":
    sys.exit(main())
