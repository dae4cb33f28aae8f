#!/usr/bin/env python3
"""digest-check.py LOG PASSWORD: recompute the digest responses trunk-uas-407.xml logged.

SIPp 3.6.1's <verifyauth> only reads an Authorization header, so trunk-uas-407.xml logs every
Proxy-Authorization it accepts as a line "AUTH-407 method=INVITE Proxy-Authorization: Digest ..."
(run it with -trace_logs). This recomputes each response (RFC 2617 / RFC 7616: MD5, SHA-256,
optionally qop=auth) from the password and the header's own username, realm, nonce and uri, and
exits 0 only if there is at least one such line and every response is right.
"""
import hashlib
import re
import sys


def params(header):
    return {k.lower(): quoted or bare
            for k, quoted, bare in re.findall(r'([A-Za-z0-9-]+)=(?:"([^"]*)"|([^\s,]+))', header)}


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[0]); return 2
    log, password = sys.argv[1], sys.argv[2]
    lines = [l for l in open(log, errors="replace") if "AUTH-407 method=" in l]
    if not lines:
        print(f"digest-check: FAIL: no AUTH-407 line in {log}"); return 1
    bad = 0
    for line in lines:
        method = re.search(r"AUTH-407 method=(\S+)", line).group(1)
        p = params(line.split("Proxy-Authorization:", 1)[-1])
        algo = p.get("algorithm", "MD5").upper()
        h = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256}.get(algo)
        if h is None or not all(k in p for k in ("username", "realm", "nonce", "uri", "response")):
            print(f"digest-check: FAIL: unusable header (algorithm {algo}): {line.strip()}"); bad += 1; continue
        H = lambda s: h(s.encode()).hexdigest()
        ha1 = H(f"{p['username']}:{p['realm']}:{password}")
        ha2 = H(f"{method}:{p['uri']}")
        if p.get("qop"):
            want = H(f"{ha1}:{p['nonce']}:{p.get('nc', '')}:{p.get('cnonce', '')}:{p['qop']}:{ha2}")
        else:
            want = H(f"{ha1}:{p['nonce']}:{ha2}")
        ok = want == p["response"].lower()
        bad += not ok
        print(f"digest-check: {'ok' if ok else 'FAIL'}: {method} user={p['username']} uri={p['uri']} "
              f"nonce={p['nonce']} response={p['response']} expected={want}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
