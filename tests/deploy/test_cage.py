# SPDX-License-Identifier: GPL-3.0-or-later
"""The kiosk under cage, as the package runs it (cage -- civic-kiosk, SDL's
Wayland driver), as an unprivileged user.

cage's output is a window on Xvfb (wlroots' x11 backend) so that its size can
change while the kiosk runs: at 1280x720 and then at 1080x1920 (a mode change)
grim's picture of the output is the kiosk's whole idle screen, pixel for
pixel. systemd's notifications reach the socket from the kiosk, cage's child,
with the watchdog naming cage (WATCHDOG_PID), as under the unit.
"""
import json
import os
import pwd
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
from harness import ARTIFACTS, KIOSK, SOURCE, NotifyListener, check, main  # noqa: E402
from deploy_env import CAGE_USER, Cage, XServer  # noqa: E402
from test_display import same_picture  # noqa: E402

SIZES = [(1280, 720), (1080, 1920)]


def wait_for(path, proc, seconds, what):
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        if proc.poll() is not None:
            raise AssertionError("cage ended while waiting for %s" % what)
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        time.sleep(0.1)
    time.sleep(0.2)  # the file is written whole before the next one is asked for


def test_cage_two_sizes():
    art = os.path.join(ARTIFACTS, "deploy", "cage")
    shutil.rmtree(art, ignore_errors=True)
    os.makedirs(art)
    u = pwd.getpwnam(CAGE_USER)
    # Everything the kiosk touches lives where the unprivileged user can reach.
    run = tempfile.mkdtemp(prefix="ks-cage-")
    os.chmod(run, 0o755)
    shutil.copy(KIOSK, os.path.join(run, "civic-kiosk"))
    shutil.copytree(os.path.join(SOURCE, "assets"), os.path.join(run, "assets"))
    state = os.path.join(run, "state")
    os.makedirs(state)
    os.chown(state, u.pw_uid, u.pw_gid)
    cfg = os.path.join(run, "kiosk.ini")
    with open(cfg, "w") as f:
        # A configured size that matches neither output: fullscreen ignores it.
        f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n"
                "[display]\nwidth = 720\nheight = 1280\n[card]\nenabled = false\n" % (run, state))
    lines = []
    for i, _ in enumerate(SIZES):
        lines += ["wait-screen idle 20000", "wait 1000", "dump %s/idle-%d.json" % (state, i),
                  "screenshot canvas-%d" % i, "wait-file %s/go-%d 60000" % (run, i)]
    lines.append("quit")
    script = os.path.join(run, "visit.script")
    with open(script, "w") as f:
        f.write("\n".join(lines) + "\n")
    notify = NotifyListener(os.path.join(run, "notify"), owner=u.pw_uid)
    try:
        with XServer(os.path.join(art, "x"), 1920, 1920) as x:
            # The unit's environment: SDL's Wayland driver, the notify socket, a
            # watchdog naming cage. DISPLAY (cage's own X server here) is not the
            # kiosk's. No GPU on a test machine: Mesa draws in software.
            kiosk = ["env", "-u", "DISPLAY", "SDL_VIDEODRIVER=wayland", "LIBGL_ALWAYS_SOFTWARE=1",
                     os.path.join(run, "civic-kiosk"), "--config", cfg, "--script", script,
                     "--screenshot-dir", state]
            env = {"NOTIFY_SOCKET": os.path.join(run, "notify"), "WATCHDOG_USEC": "1000000"}
            with Cage(os.path.join(art, "cage"), x, kiosk, env_extra=env, watchdog=True) as cage:
                for i, (w, h) in enumerate(SIZES):
                    cage.resize_output(w, h)
                    wait_for(os.path.join(state, "idle-%d.json" % i), cage.proc, 60,
                             "the kiosk at %dx%d" % (w, h))
                    shot = os.path.join(art, "cage-%dx%d.png" % (w, h))
                    cage.grim(shot)
                    d = json.load(open(os.path.join(state, "idle-%d.json" % i)))
                    check((d["canvas"]["w"], d["canvas"]["h"]) == (w, h),
                          "canvas %dx%d in a %dx%d output" % (d["canvas"]["w"], d["canvas"]["h"],
                                                              w, h))
                    canvas = os.path.join(state, "canvas-%d.png" % i)
                    diff = same_picture(shot, canvas)
                    check(diff == 0, "cage's %dx%d output differs from the kiosk's canvas in %d "
                          "pixels (%s)" % (w, h, diff, shot))
                    shutil.copy(canvas, os.path.join(art, "canvas-%d.png" % i))
                    open(os.path.join(run, "go-%d" % i), "w").close()
                cage.proc.wait(timeout=60)
            log = open(cage.log).read()
            check("started: wayland driver" in log, "not on Wayland:\n" + log)
    finally:
        msgs = notify.close()
        shutil.rmtree(run, ignore_errors=True)
    check("READY=1" in msgs, "no READY=1 from the kiosk under cage: %s" % msgs[:5])
    pings = sum(1 for m in msgs if m == "WATCHDOG=1")
    check(pings >= 4, "%d watchdog pings through cage" % pings)


if __name__ == "__main__":
    main([test_cage_two_sizes])
