# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the real civic-kiosk binary under SDL's offscreen driver with a script
and returns the widget-tree dumps it wrote. Used by every UI journey test.

Environment (set by ctest): KS_KIOSK (the binary), KS_SOURCE_DIR, KS_ARTIFACTS
(where each test keeps its config, script, dumps and screenshots).
"""
import json
import os
import shutil
import subprocess
import sys

KIOSK = os.environ.get("KS_KIOSK")
SOURCE = os.environ.get("KS_SOURCE_DIR")
ARTIFACTS = os.environ.get("KS_ARTIFACTS", "/tmp/civic-kiosk-artifacts")

# The canonical test holder: a virtual card from tests/fixtures/holders/zhang.ini,
# read through a real pcscd (see run_kiosk).
HOLDER = "card zhang"
HOLDER_NAME = "张伟"
HOLDER_ID = "110105198503151230"
# A card whose ID number fails its check: the kiosk refuses it with a message.
BAD_CARD = "card zhang --bad-checksum expect=message"


class Failure(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Failure(msg)


class Run:
    """The outcome of one kiosk run: exit code, output, dumps by name."""

    def __init__(self, rc, stdout, stderr, dumps, workdir):
        self.rc, self.stdout, self.stderr, self.dumps, self.workdir = rc, stdout, stderr, dumps, workdir

    def __getitem__(self, name):
        return self.dumps[name]


def holder_path(name):
    """The holder file of `card NAME`: NAME itself when it is an absolute path
    (e.g. from write_holder), else tests/fixtures/holders/NAME.ini."""
    if name.startswith("/"):
        return name
    return os.path.join(SOURCE, "tests", "fixtures", "holders", name + ".ini")


def write_holder(path, name, idnum, sex, birth, card="A00000009"):
    """Writes a holder file like tests/fixtures/holders/zhang.ini, for `card PATH`:
    e.g. someone of an exact age relative to today (idnum from sim_env.make_id).
    `sex` is "M" or "F", `birth` a datetime.date or "YYYYMMDD". Returns `path`."""
    check(sex in ("M", "F"), "write_holder: sex must be M or F, not %r" % (sex,))
    if not isinstance(birth, str):
        birth = birth.strftime("%Y%m%d")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[holder]\nname = %s\nid = %s\ncard = %s\nsex = %s\nnation = 01\n"
                "birth = %s\npad = 00\n" % (name, idnum, card, sex, birth))
    return path


def _card_directive(line, n):
    """`card NAME [fault flags] [expect=SCREEN] [slot=1]`: insert a virtual card
    (tests/fixtures/holders/NAME.ini, or NAME when it is an absolute path to a
    holder .ini) and wait for the screen it leads to."""
    words = line.split()[1:]
    expect, slot, flags = "menu", 0, []
    for w in words[1:]:
        if w.startswith("expect="):
            expect = w.split("=", 1)[1]
        elif w.startswith("slot="):
            slot = int(w.split("=", 1)[1])
        else:
            flags.append(w)
    return {"holder": words[0], "flags": flags, "slot": slot}, [
        "print __card_%d" % n, "wait-screen %s 20000" % expect]


def run_kiosk(test, name, script, config="", width=1080, height=1920, rotate=0, timeout=120,
              env_extra=None, expect_rc=0, hooks=None, display=None):
    """Writes config and script into a fresh directory, runs the kiosk, loads dumps.

    In the script, `dump NAME` is rewritten to a file in the run's directory and
    screenshots land there too. A script that uses `card NAME ...` (see
    _card_directive) and `remove-card` runs the kiosk inside a private pcscd
    (tests/pcsc/pcsc_env.py) and inserts real virtual cards through vpcd; other
    journeys run without card readers. `hook NAME` calls hooks[NAME]() when the
    script reaches it (e.g. to bring a backend down), then the script goes on
    after the hook returned.

    display=None runs under SDL's offscreen driver in a window of width x
    height. display="real" runs fullscreen on whatever display the
    environment names (env_extra: DISPLAY, WAYLAND_DISPLAY), with the
    kiosk's own choice of SDL video driver.
    """
    if not KIOSK or not SOURCE:
        raise Failure("KS_KIOSK and KS_SOURCE_DIR must be set (run through ctest)")
    workdir = os.path.join(ARTIFACTS, test, name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    lines, dumps, cards, removes = [], [], {}, set()
    for line in script.strip().splitlines():
        line = line.strip()
        if line.startswith("dump "):
            dname = line.split()[1]
            dumps.append(dname)
            line = "dump %s" % os.path.join(workdir, dname + ".json")
        if line.startswith("card "):
            n = len(cards) + len(removes)
            cards[n], extra = _card_directive(line, n)
            lines.extend(extra)
            continue
        if line.startswith("hook "):
            # The kiosk prints the marker, then waits for the file the runner
            # writes once the hook has run.
            hname = line.split()[1]
            flag = os.path.join(workdir, "hook-%s.done" % hname)
            lines.extend(["print __hook_%s %s" % (hname, flag), "wait-file %s 30000" % flag])
            continue
        if line.startswith("remove-card"):
            n = len(cards) + len(removes)
            removes.add(n)
            parts = line.split()
            expect = parts[1].split("=", 1)[1] if len(parts) > 1 else "idle"
            lines.extend(["print __remove_%d" % n, "wait-screen %s 20000" % expect])
            continue
        lines.append(line)
    use_cards = bool(cards)
    cfg_path = os.path.join(workdir, "kiosk.ini")
    with open(cfg_path, "w", encoding="utf-8") as f:
        f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n" % (SOURCE, workdir))
        f.write("[display]\nwidth = %d\nheight = %d\nrotate = %d\n" % (width, height, rotate))
        f.write(config)
        f.write("\n[card]\nenabled = %s\n" % ("true" if use_cards else "false"))
    script_path = os.path.join(workdir, "journey.script")
    with open(script_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ)
    argv = [KIOSK, "--config", cfg_path, "--script", script_path, "--screenshot-dir", workdir]
    if display is None:
        env["SDL_VIDEODRIVER"] = "offscreen"
        argv.insert(1, "--windowed")
    else:
        for k in ("SDL_VIDEODRIVER", "DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(k, None)
    env.update(env_extra or {})
    if use_cards:
        rc, out, err = _run_with_cards(argv, env, workdir, cards, timeout, hooks or {})
    elif hooks:
        rc, out, err = _run_with_hooks(argv, env, timeout, hooks)
    else:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, env=env)
        rc, out, err = p.returncode, p.stdout, p.stderr
    with open(os.path.join(workdir, "stderr.txt"), "w") as f:
        f.write(err)
    if rc != expect_rc:
        raise Failure("kiosk exited %d (expected %d)\nstderr:\n%s" % (rc, expect_rc, err))
    loaded = {}
    for dname in dumps:
        with open(os.path.join(workdir, dname + ".json"), encoding="utf-8") as f:
            loaded[dname] = json.load(f)
    return Run(rc, out, err, loaded, workdir)


def _call_hook(line, hooks):
    """Runs the hook a `__hook_NAME FLAG` line names, then lets the kiosk go on."""
    hname, flag = line[len("__hook_"):].split(" ", 1)
    hooks[hname]()
    open(flag, "w").close()


def _run_with_hooks(argv, env, timeout, hooks):
    """Runs the kiosk without card readers, calling hooks when the script says."""
    import tempfile
    import time
    out_lines = []
    with tempfile.TemporaryFile("w+") as errf:
        p = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=errf, text=True)
        deadline = time.monotonic() + timeout
        try:
            for line in p.stdout:
                line = line.rstrip("\n")
                if line.startswith("__hook_"):
                    _call_hook(line, hooks)
                else:
                    out_lines.append(line)
                if time.monotonic() > deadline:
                    p.kill()
                    break
        except BaseException:
            p.kill()
            p.wait()
            raise
        rc = p.wait(timeout=30)
        errf.seek(0)
        err = errf.read()
    return rc, "\n".join(out_lines) + ("\n" if out_lines else ""), err


def _run_with_cards(argv, env, workdir, cards, timeout, hooks):
    """Runs the kiosk in a private pcscd namespace; inserts and removes virtual
    cards when the script's markers say so."""
    import time
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pcsc"))
    from pcsc_env import PcscEnv
    out_lines = []
    with PcscEnv(os.path.join(workdir, "pcscd")) as penv:
        errf = open(os.path.join(workdir, "kiosk.stderr"), "w+")
        p = penv.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errf,
                     text=True)
        inserted = []
        deadline = time.monotonic() + timeout
        for line in p.stdout:
            line = line.rstrip("\n")
            if line.startswith("__card_"):
                c = cards[int(line[len("__card_"):])]
                card = penv.card(holder_path(c["holder"]), *c["flags"],
                                 port=penv.port + c["slot"])
                card.expect("inserted")
                inserted.append(card)
            elif line.startswith("__remove_"):
                if inserted:
                    inserted.pop().close()
                    # pcscd looks at a reader about every 400 ms: a card put in
                    # sooner would look to it like the old one never left.
                    time.sleep(1.0)
            elif line.startswith("__hook_"):
                _call_hook(line, hooks)
            else:
                out_lines.append(line)
            if time.monotonic() > deadline:
                p.kill()
                break
        rc = p.wait(timeout=30)
        for card in inserted:
            card.close()
        errf.seek(0)
        err = errf.read()
        errf.close()
    return rc, "\n".join(out_lines) + ("\n" if out_lines else ""), err


def widget(dump, wid):
    for w in dump["widgets"]:
        if w["id"] == wid:
            return w
    raise Failure("no widget %r on screen %r (have: %s)" % (
        wid, dump["screen"], ", ".join(w["id"] for w in dump["widgets"])))


def has_widget(dump, wid):
    return any(w["id"] == wid for w in dump["widgets"])


def all_text(dump):
    return "\n".join(w.get("text", "") for w in dump["widgets"])


def centre(w):
    r = w["rect"]
    return r["x"] + r["w"] / 2.0, r["y"] + r["h"] / 2.0


def main(tests):
    """Runs test functions, prints a summary line, exits non-zero on any failure."""
    failed = 0
    for t in tests:
        try:
            t()
            print("ok   %s" % t.__name__)
        except Exception as e:  # any error fails the test, with its reason
            failed += 1
            print("FAIL %s: %s: %s" % (t.__name__, type(e).__name__, e))
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    sys.exit(1 if failed else 0)


def read_png(path):
    """Decodes an 8-bit RGB/RGBA PNG (what the kiosk writes) with the standard
    library only. Returns (width, height, pixel(x, y) -> (r, g, b))."""
    width, height, bpp, rows = decode_png(path)

    def pixel(x, y):
        o = x * bpp
        return tuple(rows[y][o:o + 3])
    return width, height, pixel


class NotifyListener:
    """A stand-in for systemd's notification socket (NOTIFY_SOCKET) that reads
    while the kiosk runs (a datagram socket nobody drains would block the
    sender). owner: a uid that must be able to send to it."""

    def __init__(self, path, owner=None):
        import socket
        import threading
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        if owner is not None:
            os.chown(path, owner, -1)
        self.sock.settimeout(0.2)
        self.msgs, self.stop = [], False
        self.thread = threading.Thread(target=self._run)
        self.thread.start()

    def _run(self):
        import socket
        while not self.stop:
            try:
                self.msgs.append(self.sock.recv(4096).decode())
            except socket.timeout:
                pass

    def close(self):
        """Stops listening; returns the messages in the order they came."""
        self.stop = True
        self.thread.join()
        self.sock.close()
        return self.msgs


def decode_png(path):
    """(width, height, bytes per pixel, rows) of an 8-bit RGB or RGBA PNG."""
    import struct
    import zlib
    with open(path, "rb") as f:
        data = f.read()
    check(data[:8] == b"\x89PNG\r\n\x1a\n", "%s is not a PNG" % path)
    pos, idat, width = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            check(depth == 8 and ctype in (2, 6), "unsupported PNG format")
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows, prev = [], bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows


def theme_colour(theme, style, part="bg"):
    """A colour from assets/theme/<theme>.ini as (r, g, b)."""
    import configparser
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",))
    cp.read(os.path.join(SOURCE, "assets", "theme", theme + ".ini"), encoding="utf-8")
    v = cp["style." + style][part]
    return int(v[1:3], 16), int(v[3:5], 16), int(v[5:7], 16)
