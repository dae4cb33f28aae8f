#!/usr/bin/env python3
"""udp_relay.py: a UDP relay for one SIP client, for the registration interop checks.

    udp_relay.py --listen PORT --upstream IP:PORT --log FILE [--drop-first-registers N]
                 [--loss P] [--delay-prob P] [--delay-ms MIN MAX] [--reorder-prob P]
                 [--reorder-hold-ms MS] [--seed S] [--duration SECONDS]

The client (the box) sends to 127.0.0.1:PORT; datagrams go on to the upstream (Kamailio or SIPp)
from one relay socket, and what comes back is relayed to the client. Every datagram is logged as one
JSON line: arrival time, direction (up = client to upstream, down = back), first line, Call-ID, CSeq,
Via branch and what was done with it (forward, delay N ms, drop).

--drop-first-registers N drops the first N REGISTER datagrams from the client (a registrar that does
not answer: the box must retransmit on RFC 3261 Timer E: T1, 2*T1, 4*T1, ... capped at T2).
--loss, --delay-prob and --delay-ms make a lossy path in both directions: each datagram is dropped
with probability --loss, else delayed by a random MIN..MAX ms with probability --delay-prob (later
datagrams overtake delayed ones). --reorder-prob holds a datagram back until the next one in the same
direction has been sent (at most --reorder-hold-ms, default 250, so a held request is overtaken by
its own retransmission), a sure reordering. The decisions come from random.Random(--seed), one
draw sequence per datagram in arrival order, so a run is reproducible up to timing. On exit (SIGTERM,
or --duration) it logs a summary line: datagrams, dropped, delayed, reordered per direction.
"""
import argparse
import heapq
import json
import random
import re
import select
import signal
import socket
import sys
import time


def sip_facts(data):
    text = data.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0]
    lines = head.split("\r\n")

    def header(*names):
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name.strip().lower() in names:
                return value.strip()
        return None

    via = header("via", "v") or ""
    branch = re.search(r"branch=([^;,\s]+)", via)
    return {
        "first": lines[0] if lines else "",
        "callid": header("call-id", "i"),
        "cseq": header("cseq"),
        "branch": branch.group(1) if branch else None,
        "expires": header("expires"),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--listen", type=int, required=True)
    ap.add_argument("--upstream", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--drop-first-registers", type=int, default=0)
    ap.add_argument("--loss", type=float, default=0.0)
    ap.add_argument("--delay-prob", type=float, default=0.0)
    ap.add_argument("--delay-ms", type=float, nargs=2, default=[50, 150])
    ap.add_argument("--reorder-prob", type=float, default=0.0)
    ap.add_argument("--reorder-hold-ms", type=float, default=250)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--duration", type=float, default=120)
    a = ap.parse_args()

    up_host, up_port = a.upstream.rsplit(":", 1)
    upstream = (up_host, int(up_port))
    rng = random.Random(a.seed)
    front = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    front.bind(("127.0.0.1", a.listen))
    back = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    back.bind(("127.0.0.1", 0))
    log = open(a.log, "a", buffering=1)
    client = None
    dropped_registers = 0
    pending = []  # (due, seq, direction, data)
    held = {}     # direction -> (release time, seq, data): held back until overtaken
    seq = 0
    stats = {d: {"datagrams": 0, "dropped": 0, "delayed": 0, "reordered": 0} for d in ("up", "down")}
    last_sent_seq = {"up": -1, "down": -1}
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    signal.signal(signal.SIGINT, lambda *_: stop.__setitem__(0, True))
    end = time.time() + a.duration
    log.write(json.dumps({"t": time.time(), "event": "ready", "listen": a.listen, "relay_port": back.getsockname()[1]}) + "\n")

    def send(direction, data, s):
        if s < last_sent_seq[direction]:
            stats[direction]["reordered"] += 1
        last_sent_seq[direction] = max(last_sent_seq[direction], s)
        if direction == "up":
            back.sendto(data, upstream)
        elif client is not None:
            front.sendto(data, client)
        h = held.get(direction)
        if h is not None and h[1] < s:  # overtaken: release the held one right after
            del held[direction]
            send(direction, h[2], h[1])

    while not stop[0] and time.time() < end:
        timeout = 0.2
        if pending:
            timeout = max(0.0, min(timeout, pending[0][0] - time.time()))
        for h in held.values():
            timeout = max(0.0, min(timeout, h[0] - time.time()))
        readable, _, _ = select.select([front, back], [], [], timeout)
        for sock in readable:
            data, addr = sock.recvfrom(65535)
            now = time.time()
            if sock is front:
                client = addr
                direction = "up"
            else:
                direction = "down"
            seq += 1
            facts = sip_facts(data)
            st = stats[direction]
            st["datagrams"] += 1
            action = "forward"
            delay = 0.0
            # One draw sequence per datagram, whatever is configured, so runs line up with a seed.
            r_loss, r_delay, r_ms, r_reorder = rng.random(), rng.random(), rng.uniform(*a.delay_ms), rng.random()
            if direction == "up" and facts["first"].startswith("REGISTER ") and dropped_registers < a.drop_first_registers:
                dropped_registers += 1
                action = "drop"
            elif r_loss < a.loss:
                action = "drop"
            elif r_reorder < a.reorder_prob and direction not in held:
                action = "hold"
            elif r_delay < a.delay_prob:
                action = "delay"
                delay = r_ms
            record = {"t": now, "dir": direction, "action": action, **facts}
            if delay:
                record["delay_ms"] = round(delay, 1)
            log.write(json.dumps(record) + "\n")
            if action == "drop":
                st["dropped"] += 1
            elif action == "hold":
                held[direction] = (now + a.reorder_hold_ms / 1000.0, seq, data)
            elif action == "delay":
                st["delayed"] += 1
                heapq.heappush(pending, (now + delay / 1000.0, seq, direction, data))
            else:
                send(direction, data, seq)
        now = time.time()
        while pending and pending[0][0] <= now:
            _, s, direction, data = heapq.heappop(pending)
            send(direction, data, s)
        for direction, h in list(held.items()):
            if h[0] <= now:  # nothing overtook it in time
                del held[direction]
                send(direction, h[2], h[1])
    log.write(json.dumps({"t": time.time(), "event": "summary", **stats}) + "\n")
    print("relay: " + "; ".join(f"{d}: {s['datagrams']} datagrams, {s['dropped']} dropped, {s['delayed']} delayed, "
                                f"{s['reordered']} reordered" for d, s in stats.items()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
