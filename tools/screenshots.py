#!/usr/bin/env python3
"""Regenerates docs/screenshots/ with the UI harness (the real kiosk under SDL's
offscreen driver, driven by a script). Run: scripts/dev screenshots"""
import argparse
import os
import subprocess
import tempfile

HOLDER = "identity name=王秀英 id=11010519491231002X sex=F birth=19491231"

JOURNEY = """
screenshot idle-{tag}
{holder}
screenshot menu-{tag}
advance 61
screenshot countdown-{tag}
tap btn-exit
identity name=李四 id=110105194912310021 sex=F
screenshot message-{tag}
quit
"""


def run(kiosk, source, out, orient, elderly):
    w, h = (1080, 1920) if orient == "portrait" else (1920, 1080)
    tag = "%s-%s" % ("elderly" if elderly else "standard", orient)
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "kiosk.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n" % (source, tmp))
            f.write("[display]\nwidth = %d\nheight = %d\nelderly_mode = %s\n"
                    % (w, h, "true" if elderly else "false"))
        script = os.path.join(tmp, "s.script")
        with open(script, "w", encoding="utf-8") as f:
            f.write(JOURNEY.format(tag=tag, holder=HOLDER))
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        subprocess.run([kiosk, "--windowed", "--config", cfg, "--script", script,
                        "--screenshot-dir", out], check=True, env=env)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    out = os.path.join(args.source, "docs", "screenshots")
    os.makedirs(out, exist_ok=True)
    for orient in ("portrait", "landscape"):
        for elderly in (False, True):
            run(args.kiosk, args.source, out, orient, elderly)
    print("screenshots written to %s" % out)


if __name__ == "__main__":
    main()
