# SPDX-License-Identifier: GPL-3.0-or-later
"""The kiosk on real X servers: fullscreen follows the screen, not the config.

- Xvfb at 1080x1920, 1920x1080, 1280x1024 and 768x1366, each with a config
  whose [display] width/height do not match: the root window (what a monitor
  shows) is the kiosk's whole idle screen, pixel for pixel, the title bar at
  the top and the footer's buttons at the bottom edge; a click through xdotool
  on the X server lands on 长者模式.
- Xorg (dummy driver): an xrandr mode change on a running kiosk relayouts it.
- No display and no SDL_VIDEODRIVER: exit status 1 and one line saying why,
  within 5 s; --diagnose then reports it.
"""
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
from harness import (ARTIFACTS, KIOSK, SOURCE, check, decode_png, main, run_kiosk,  # noqa: E402
                     theme_colour, widget)
from deploy_env import XServer  # noqa: E402

# Screen size -> a configured window size that is not it.
SIZES = [((1080, 1920), (720, 1280)), ((1920, 1080), (1080, 1920)),
         ((1280, 1024), (1080, 1920)), ((768, 1366), (1920, 1080))]


def same_picture(a, b):
    """Counts pixels that differ between two PNGs of the same size (RGB)."""
    wa, ha, bpa, ra = decode_png(a)
    wb, hb, bpb, rb = decode_png(b)
    check((wa, ha) == (wb, hb), "%s is %dx%d, %s is %dx%d" % (a, wa, ha, b, wb, hb))
    diff = 0
    for y in range(ha):
        la, lb = ra[y], rb[y]
        if bpa == bpb and la == lb:
            continue
        for x in range(wa):
            if la[x * bpa:x * bpa + 3] != lb[x * bpb:x * bpb + 3]:
                diff += 1
    return diff


def pixel(path, x, y):
    w, h, bpp, rows = decode_png(path)
    return tuple(rows[y][x * bpp:x * bpp + 3])


def check_fills(r, root_png, sw, sh, what):
    """The kiosk's canvas is the screen, and the screen shows all of it."""
    d = r["idle"]
    check(d["canvas"]["w"] == sw and d["canvas"]["h"] == sh,
          "%s: canvas %dx%d on a %dx%d screen" % (what, d["canvas"]["w"], d["canvas"]["h"], sw, sh))
    check(d["window"]["w"] == sw and d["window"]["h"] == sh,
          "%s: window %dx%d on a %dx%d screen" % (what, d["window"]["w"], d["window"]["h"], sw, sh))
    # The layout matches the screen's shape (portrait or landscape idle screen).
    for w in d["widgets"]:
        rc = w["rect"]
        check(rc["x"] >= 0 and rc["y"] >= 0 and rc["x"] + rc["w"] <= sw and rc["y"] + rc["h"] <= sh,
              "%s: %s at %s lies outside the %dx%d screen" % (what, w["id"], rc, sw, sh))
    # What the monitor shows is exactly what the kiosk drew: nothing offset,
    # clipped or left white.
    diff = same_picture(root_png, os.path.join(r.workdir, "canvas.png"))
    check(diff == 0, "%s: the screen differs from the kiosk's canvas in %d pixels (%s)"
          % (what, diff, root_png))
    # The title bar at the very top and the footer's buttons at the bottom edge.
    banner = next((w for w in d["widgets"] if w["rect"]["y"] == 0 and w["rect"]["w"] == sw), None)
    check(banner is not None, "%s: no title bar across the top" % what)
    check(pixel(root_png, 2, 2) == theme_colour(d["theme"], banner["style"]),
          "%s: the screen's top-left corner is not the title bar's colour" % what)
    lowest = max((w for w in d["widgets"] if w["kind"] == "button"),
                 key=lambda w: w["rect"]["y"] + w["rect"]["h"])
    bottom = lowest["rect"]["y"] + lowest["rect"]["h"]
    check(sh - bottom <= 0.08 * sh,
          "%s: the lowest button ends %d px above the bottom of the screen" % (what, sh - bottom))
    bg = pixel(root_png, 1, sh - 2)
    check(bg != (0, 0, 0), "%s: black at the bottom-left corner of the screen" % what)


def test_xvfb_sizes():
    for (sw, sh), (cw, ch) in SIZES:
        name = "xvfb-%dx%d" % (sw, sh)
        workdir = os.path.join(ARTIFACTS, "deploy", name)
        shutil.rmtree(workdir, ignore_errors=True)
        with XServer(workdir + "-x", sw, sh) as x:
            shot = os.path.join(workdir + "-x", "screen.png")

            def look():
                x.screenshot(shot)
                e = widget(json.load(open(os.path.join(workdir, "idle.json"))), "btn-elderly")
                x.tap(e["rect"]["x"] + e["rect"]["w"] / 2, e["rect"]["y"] + e["rect"]["h"] / 2)

            r = run_kiosk("deploy", name, """
                wait-screen idle 10000
                wait 300
                dump idle
                screenshot canvas
                hook look
                wait 800
                dump after
                quit
            """, width=cw, height=ch, display="real", env_extra=x.env(),
                hooks={"look": look})
            check("started: x11 driver" in r.stderr, "%s: not on X: %s" % (name, r.stderr))
            check_fills(r, shot, sw, sh, name)
            check(not r["idle"]["elderly"] and r["after"]["elderly"],
                  "%s: the click on 长者模式 did not switch elderly mode on" % name)
            shutil.copy(shot, os.path.join(workdir, "screen.png"))


def test_xrandr_mode_change():
    workdir = os.path.join(ARTIFACTS, "deploy", "xrandr")
    shutil.rmtree(workdir, ignore_errors=True)
    with XServer(workdir + "-x", dummy=True) as x:
        x.set_mode(1920, 1080)
        shots = {}

        def change():
            x.screenshot(os.path.join(workdir + "-x", "before.png"))
            x.set_mode(1280, 1024)

        def look():
            p = os.path.join(workdir + "-x", "after.png")
            x.screenshot(p)
            shots["after"] = p

        r = run_kiosk("deploy", "xrandr", """
            wait-screen idle 10000
            wait 300
            dump before
            hook change
            wait 1500
            dump idle
            screenshot canvas
            hook look
            quit
        """, display="real", env_extra=x.env(), hooks={"change": change, "look": look})
        b = r["before"]
        check((b["canvas"]["w"], b["canvas"]["h"]) == (1920, 1080),
              "before: canvas %dx%d" % (b["canvas"]["w"], b["canvas"]["h"]))
        check("the screen's mode changed" in r.stderr, "the mode change was not noticed")
        # The root window is only the new mode's size: it must hold all of the kiosk.
        check_fills(r, shots["after"], 1280, 1024, "after xrandr")


def test_physical_size():
    """diagonal_in = 0 and dpi = 0: millimetres from what the display reports."""
    with XServer(os.path.join(ARTIFACTS, "deploy", "dpi-x"), 1920, 1080, dpi=120) as x:
        # Xvfb reports its size in millimetres for the screen, and 0 mm for its
        # RandR output: SDL reads the screen's when told not to use RandR.
        screen = dict(x.env(), SDL_VIDEO_X11_XRANDR="0")
        cases = [("reported", "diagonal_in = 0", screen, 120 / 25.4),
                 ("none-reported", "diagonal_in = 0", x.env(), 96 / 25.4),
                 ("diagonal", "diagonal_in = 21.5", screen, (1920 ** 2 + 1080 ** 2) ** 0.5 / (21.5 * 25.4)),
                 ("dpi", "diagonal_in = 0\ndpi = 200", screen, 200 / 25.4)]
        for name, conf, env, want in cases:
            r = run_kiosk("deploy", "dpi-" + name, "wait-screen idle 10000\ndump idle\nquit",
                          config="[display]\n%s\n" % conf, display="real", env_extra=env)
            got = r["idle"]["metrics"]["px_per_mm"]
            check(abs(got - want) < 0.01 * want,
                  "%s: %.3f px/mm, expected %.3f" % (name, got, want))


def test_no_display():
    workdir = os.path.join(ARTIFACTS, "deploy", "no-display")
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    cfg = os.path.join(workdir, "kiosk.ini")
    with open(cfg, "w") as f:
        f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n[card]\nenabled = false\n"
                % (SOURCE, workdir))
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
    env["XDG_RUNTIME_DIR"] = workdir
    t0 = time.monotonic()
    p = subprocess.run([KIOSK, "--config", cfg], env=env, capture_output=True, text=True,
                       timeout=30)
    took = time.monotonic() - t0
    check(p.returncode == 1, "exit %d, not 1: %s" % (p.returncode, p.stderr))
    lines = [l for l in p.stderr.splitlines() if l.startswith("civic-kiosk:")]
    check(len(lines) == 1 and "no display" in lines[0] and "DISPLAY is not set" in lines[0],
          "not one clear line: %r" % p.stderr)
    check(took < 5, "took %.1f s to give up" % took)
    check("offscreen" not in p.stderr.split("no display")[0], "ran on the offscreen driver")
    # --diagnose (over SSH: no display either) says why the screen stayed dark.
    d = subprocess.run([KIOSK, "--diagnose", "--config", cfg], env=env, capture_output=True,
                       text=True, timeout=60)
    rep = json.loads(d.stdout)
    ls = rep["display"]["last_start"]
    check(ls["ok"] is False and "DISPLAY is not set" in ls["detail"], "last_start: %r" % ls)
    check(any("could not show its screen" in pr for pr in rep["problems"]),
          "not among the problems: %r" % rep["problems"])
    check(d.returncode == 1 and rep["healthy"] is False, "--diagnose calls it healthy")


if __name__ == "__main__":
    main([test_no_display, test_physical_size, test_xvfb_sizes, test_xrandr_mode_change])
