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

# Canonical test holders: valid GB 11643 numbers, synthetic people.
HOLDER = "identity name=张三丰 id=11010519491231002X sex=F birth=19491231"
HOLDER_NAME = "张三丰"
HOLDER_ID = "11010519491231002X"


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


def run_kiosk(test, name, script, config="", width=1080, height=1920, rotate=0, timeout=120,
              env_extra=None, expect_rc=0):
    """Writes config and script into a fresh directory, runs the kiosk, loads dumps.

    In the script, `dump NAME` is rewritten to a file in the run's directory and
    screenshots land there too.
    """
    if not KIOSK or not SOURCE:
        raise Failure("KS_KIOSK and KS_SOURCE_DIR must be set (run through ctest)")
    workdir = os.path.join(ARTIFACTS, test, name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    cfg_path = os.path.join(workdir, "kiosk.ini")
    with open(cfg_path, "w", encoding="utf-8") as f:
        f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n" % (SOURCE, workdir))
        f.write("[display]\nwidth = %d\nheight = %d\nrotate = %d\n" % (width, height, rotate))
        f.write(config)
    lines, dumps = [], []
    for line in script.strip().splitlines():
        line = line.strip()
        if line.startswith("dump "):
            dname = line.split()[1]
            dumps.append(dname)
            line = "dump %s" % os.path.join(workdir, dname + ".json")
        lines.append(line)
    script_path = os.path.join(workdir, "journey.script")
    with open(script_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    env = dict(os.environ)
    env["SDL_VIDEODRIVER"] = "offscreen"
    env.update(env_extra or {})
    p = subprocess.run([KIOSK, "--windowed", "--config", cfg_path, "--script", script_path,
                        "--screenshot-dir", workdir],
                       capture_output=True, text=True, timeout=timeout, env=env)
    with open(os.path.join(workdir, "stderr.txt"), "w") as f:
        f.write(p.stderr)
    if p.returncode != expect_rc:
        raise Failure("kiosk exited %d (expected %d)\nstderr:\n%s" % (p.returncode, expect_rc, p.stderr))
    loaded = {}
    for dname in dumps:
        with open(os.path.join(workdir, dname + ".json"), encoding="utf-8") as f:
            loaded[dname] = json.load(f)
    return Run(p.returncode, p.stdout, p.stderr, loaded, workdir)


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
        except (Failure, AssertionError, subprocess.TimeoutExpired) as e:
            failed += 1
            print("FAIL %s: %s" % (t.__name__, e))
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    sys.exit(1 if failed else 0)
