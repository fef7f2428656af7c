# SPDX-License-Identifier: GPL-3.0-or-later
"""Real display servers for the deploy tests: Xvfb, Xorg with the dummy video
driver (a server whose modes xrandr can change), and cage, the Wayland kiosk
compositor, run as an unprivileged user (it refuses root).

Each is a context manager that starts the server, waits until it answers, and
stops it. Screenshots come from the server itself (xwd of the root window,
grim through wlr-screencopy), never from the kiosk.
"""
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
import shots  # noqa: E402
from harness import Failure  # noqa: E402

# The user cage runs as: a system account that exists on every Debian system.
CAGE_USER = "nobody"


def need(*tools):
    missing = [t for t in tools if not shutil.which(t)]
    if missing:
        raise Failure("missing tools: %s (scripts/dev deps installs them)" % " ".join(missing))


def stop(proc):
    """Ends a server: politely, then for sure."""
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _start_x(argv, env=None, log=None):
    """Starts an X server that writes its display number to -displayfd."""
    r, w = os.pipe()
    logf = open(log, "w") if log else subprocess.DEVNULL
    p = subprocess.Popen(argv + ["-displayfd", str(w)], pass_fds=(w,), stdout=logf,
                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
    os.close(w)
    num = b""
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        chunk = os.read(r, 16)
        if not chunk:
            break
        num += chunk
        if num.endswith(b"\n"):
            break
    os.close(r)
    if not num.strip():
        p.kill()
        raise Failure("%s did not start (see %s)" % (argv[0], log))
    return p, ":" + num.decode().strip()


class XServer:
    """Xvfb at one size, or (dummy=True) Xorg with the dummy driver, whose
    RandR modes can be changed with xrandr as on a real monitor."""

    def __init__(self, workdir, width=1920, height=1080, dummy=False, dpi=None):
        self.workdir, self.width, self.height, self.dummy = workdir, width, height, dummy
        self.dpi = dpi
        self.proc = None
        self.display = None

    def __enter__(self):
        os.makedirs(self.workdir, exist_ok=True)
        log = os.path.join(self.workdir, "xserver.log")
        if self.dummy:
            need("Xorg", "xrandr")
            conf = os.path.join(self.workdir, "xorg.conf")
            with open(conf, "w") as f:
                f.write(XORG_DUMMY_CONF)
            argv = ["Xorg", "-config", conf, "-noreset", "-nolisten", "tcp",
                    "-logfile", os.path.join(self.workdir, "Xorg.log"), "-novtswitch",
                    "-sharevts"]
        else:
            need("Xvfb")
            argv = ["Xvfb", "-screen", "0", "%dx%dx24" % (self.width, self.height),
                    "-nolisten", "tcp", "-noreset"]
            if self.dpi:
                # The screen's size in millimetres, as a monitor's EDID would give it.
                argv += ["-dpi", str(self.dpi)]
        self.proc, self.display = _start_x(argv, log=log)
        return self

    def __exit__(self, *exc):
        stop(self.proc)

    def env(self):
        return {"DISPLAY": self.display}

    def run(self, *argv, check=True):
        return subprocess.run(list(argv), env=dict(os.environ, DISPLAY=self.display),
                              capture_output=True, text=True, timeout=30, check=check)

    def screenshot(self, path):
        """The root window, as a monitor would show it, saved as PNG. (w, h)."""
        need("xwd")
        xwd = subprocess.run(["xwd", "-root", "-silent"], env=dict(os.environ, DISPLAY=self.display),
                             capture_output=True, timeout=30, check=True).stdout
        return shots.xwd_to_png(xwd, path)

    def tap(self, x, y):
        """A click at (x, y) on the X server (SDL sees it as the mouse, as a
        touch screen driven by X's evdev/libinput does)."""
        need("xdotool")
        self.run("xdotool", "mousemove", "--sync", str(int(x)), str(int(y)))
        self.run("xdotool", "click", "1")

    def set_mode(self, width, height):
        """An xrandr mode change on the dummy server's output."""
        out = self.run("xrandr").stdout
        name = next(l.split()[0] for l in out.splitlines() if " connected" in l)
        self.run("xrandr", "--output", name, "--mode", "%dx%d" % (width, height))


# The dummy driver's monitor accepts every common mode; 1920x1920 of virtual
# screen leaves room for portrait and landscape ones.
XORG_DUMMY_CONF = """
Section "Device"
  Identifier "dummy"
  Driver "dummy"
  VideoRam 65536
EndSection
Section "Monitor"
  Identifier "monitor"
  HorizSync 5.0-1000.0
  VertRefresh 5.0-200.0
EndSection
Section "Screen"
  Identifier "screen"
  Device "dummy"
  Monitor "monitor"
  DefaultDepth 24
  SubSection "Display"
    Depth 24
    Virtual 1920 1920
    Modes "1920x1080" "1280x1024" "1024x768"
  EndSubSection
EndSection
Section "ServerFlags"
  Option "AutoAddDevices" "false"
  Option "DontVTSwitch" "true"
EndSection
"""


class Cage:
    """cage running one program as CAGE_USER, its output a window on an X
    server (wlroots' x11 backend), so that resizing that window is a mode
    change of cage's output. Screenshots with grim (wlr-screencopy)."""

    def __init__(self, workdir, xserver, argv, env_extra=None, watchdog=False):
        self.workdir, self.x, self.argv = workdir, xserver, argv
        self.env_extra = env_extra or {}
        self.watchdog = watchdog
        self.proc = None

    def __enter__(self):
        need("cage", "grim", "xwininfo", "xdotool")
        os.makedirs(self.workdir, exist_ok=True)
        u = pwd.getpwnam(CAGE_USER)
        self.uid, self.gid = u.pw_uid, u.pw_gid
        self.runtime = tempfile.mkdtemp(prefix="cage-run-")
        os.chown(self.runtime, self.uid, self.gid)
        os.chmod(self.runtime, 0o700)
        env = {"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": self.runtime,
               "DISPLAY": self.x.display, "WLR_BACKENDS": "x11",
               "WLR_RENDERER": "pixman", "WLR_LIBINPUT_NO_DEVICES": "1"}
        # The sanitizer build's settings reach the kiosk too (cage passes its
        # environment on to the program it runs).
        for k in ("ASAN_OPTIONS", "LSAN_OPTIONS", "UBSAN_OPTIONS"):
            if k in os.environ:
                env[k] = self._readable_options(os.environ[k])
        env.update(self.env_extra)
        self.log = os.path.join(self.workdir, "cage.log")
        # -d: no client-side decorations; -- the program.
        argv = ["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.gid, "--clear-groups",
                "cage", "-d", "--"] + self.argv
        if self.watchdog:
            # As systemd does for the unit's main process: the watchdog names cage.
            argv = ["sh", "-c", 'export WATCHDOG_PID=$$; exec "$@"', "sh"] + argv
        self.proc = subprocess.Popen(
            argv,
            env=env, stdin=subprocess.DEVNULL, stdout=open(self.log, "w"),
            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 20
        while not os.path.exists(os.path.join(self.runtime, "wayland-0")):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise Failure("cage did not start:\n" + open(self.log).read())
            time.sleep(0.1)
        return self

    def __exit__(self, *exc):
        stop(self.proc)
        shutil.rmtree(self.runtime, ignore_errors=True)

    def _readable_options(self, options):
        """Sanitizer options with their suppressions file copied where the
        unprivileged user can read it."""
        parts = []
        for opt in options.split(":"):
            if opt.startswith("suppressions="):
                copy = os.path.join(self.runtime, os.path.basename(opt.split("=", 1)[1]))
                shutil.copy(opt.split("=", 1)[1], copy)
                os.chown(copy, self.uid, self.gid)
                opt = "suppressions=" + copy
            parts.append(opt)
        return ":".join(parts)

    def grim(self, path):
        """What cage's output shows, through wlr-screencopy, saved at path."""
        tmp = os.path.join(self.runtime, "grim.png")
        subprocess.run(["setpriv", "--reuid=%d" % self.uid, "--regid=%d" % self.gid,
                        "--clear-groups", "grim", tmp],
                       env={"PATH": "/usr/bin:/bin", "XDG_RUNTIME_DIR": self.runtime,
                            "WAYLAND_DISPLAY": "wayland-0"},
                       check=True, timeout=30, capture_output=True)
        shutil.copy(tmp, path)

    def output_window(self):
        """The X window that is cage's output: the X server's only top-level
        window (wlroots cannot name it on every server)."""
        deadline = time.monotonic() + 20
        while True:
            out = self.x.run("xwininfo", "-root", "-children", check=False).stdout
            ids = [l.split()[0] for l in out.splitlines() if l.strip().startswith("0x")]
            if ids:
                return ids[0]
            if time.monotonic() > deadline:
                raise Failure("cage's output window not found on %s" % self.x.display)
            time.sleep(0.1)

    def resize_output(self, width, height):
        self.x.run("xdotool", "windowsize", "--sync", self.output_window(), str(width),
                   str(height))
