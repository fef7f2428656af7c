#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Card benchmark (not a test): 50 insertions of a virtual social security
card through a real pcscd + vpcd into the real kiosk. Prints a table:
card connected -> menu on screen, pcscd's notice -> IDENTITY_READ (the read
itself), and APDUs per read. Needs root (private pcscd namespace).

  cmake --build build --target bench-card     (or: scripts/dev bench)
"""
import argparse
import os
import re
import statistics
import sys
import tempfile
import time


def pct(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--virtual-card", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--inserts", type=int, default=50)
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench-card-")
    os.environ.update(KS_KIOSK=args.kiosk, KS_VIRTUAL_CARD=args.virtual_card,
                      KS_SOURCE_DIR=args.source, KS_ARTIFACTS=tmp)
    sys.path.insert(0, os.path.join(args.source, "tests", "pcsc"))
    sys.path.insert(0, os.path.join(args.source, "tests", "ui"))
    from kiosk_run import KioskRun, holder
    from pcsc_env import PcscEnv

    n = args.inserts
    script = ["wait-screen idle 5000", "print ready"]
    for i in range(n):
        script += ["wait-screen menu 20000", "print m%d" % i, "wait-screen idle 20000", "print i%d" % i]
    script.append("quit")
    path, _ = holder("zhang")
    to_menu = []
    with PcscEnv(os.path.join(tmp, "env")) as env:
        k = KioskRun(env, "bench", "cards", "\n".join(script))
        k.expect("ready")
        for i in range(n):
            card = env.card(path)
            card.expect("inserted")
            t0 = time.monotonic()
            k.expect("m%d" % i)
            to_menu.append((time.monotonic() - t0) * 1000.0)
            card.close()
            k.expect("i%d" % i)
            time.sleep(0.5)  # let pcscd see the reader empty
        k.finish()
        log = k.stderr()
    reads = [(int(a), int(b)) for a, b in re.findall(r"identity read in .* \((\d+) APDUs, (\d+) ms\)", log)]
    apdus = [a for a, _ in reads]
    read_ms = [b for _, b in reads]
    print()
    print("civic-kiosk card benchmark: %d insertions, real pcscd 1.9.9 + vpcd + tools/virtual-card" % n)
    print()
    print("| measure | median | p95 |")
    print("|---|---|---|")
    print("| card connected -> menu on screen | %.0f ms | %.0f ms |" % (statistics.median(to_menu), pct(to_menu, 95)))
    print("| pcscd notices card -> IDENTITY_READ (the read) | %.0f ms | %.0f ms |" % (
        statistics.median(read_ms), pct(read_ms, 95)))
    print("| APDUs per read | %d | %d |" % (statistics.median(apdus), pct(apdus, 95)))
    print()
    print("(pcscd looks at a vpcd reader every ~400 ms, which bounds the first row.)")


if __name__ == "__main__":
    main()
