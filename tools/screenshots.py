#!/usr/bin/env python3
"""Regenerates docs/screenshots/ with the UI harness: the real kiosk under
SDL's offscreen driver, reading virtual cards through a private pcscd (so it
needs root, like the pcsc tests). Run: scripts/dev screenshots"""
import argparse
import os
import shutil
import sys
import tempfile

JOURNEY = """
screenshot idle-{tag}
card zhang
screenshot menu-{tag}
advance 61
screenshot countdown-{tag}
tap btn-exit
remove-card
card zhang --bad-checksum expect=message
screenshot message-{tag}
quit
"""


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--virtual-card", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ks-shots-")
    os.environ.update(KS_KIOSK=args.kiosk, KS_VIRTUAL_CARD=args.virtual_card,
                      KS_SOURCE_DIR=args.source, KS_ARTIFACTS=work)
    sys.path.insert(0, os.path.join(args.source, "tests", "ui"))
    from harness import run_kiosk
    out = os.path.join(args.source, "docs", "screenshots")
    os.makedirs(out, exist_ok=True)
    for orient, (w, h) in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
        for elderly in (False, True):
            tag = "%s-%s" % ("elderly" if elderly else "standard", orient)
            r = run_kiosk("screenshots", tag, JOURNEY.format(tag=tag), width=w, height=h,
                          config="elderly_mode = %s\n" % ("true" if elderly else "false"))
            for f in os.listdir(r.workdir):
                if f.endswith(".png"):
                    shutil.copy(os.path.join(r.workdir, f), os.path.join(out, f))
    shutil.rmtree(work, ignore_errors=True)
    print("screenshots written to %s" % out)


if __name__ == "__main__":
    main()
