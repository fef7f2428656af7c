# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the real civic-kiosk inside a PcscEnv (so it talks to that private
pcscd) under SDL's offscreen driver, driven by a script; the test and the
script meet at `print` markers."""
import json
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ui"))
from harness import ARTIFACTS, KIOSK, SOURCE, Failure  # noqa: E402

FIXTURES = os.path.join(SOURCE or ".", "tests", "fixtures", "holders")


def holder(name):
    """Path and [holder] values of a fixture in tests/fixtures/holders."""
    import configparser
    path = os.path.join(FIXTURES, name + ".ini")
    cp = configparser.ConfigParser()
    cp.read(path, encoding="utf-8")
    return path, dict(cp["holder"])


def masked(idnum):
    return idnum[:6] + "********" + idnum[-4:]


class KioskRun:
    def __init__(self, env, test, name, script, config=""):
        self.workdir = os.path.join(ARTIFACTS, test, name)
        os.makedirs(self.workdir, exist_ok=True)
        cfg = os.path.join(self.workdir, "kiosk.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n" % (SOURCE, self.workdir))
            f.write("[display]\nwidth = 1080\nheight = 1920\n[card]\nenabled = true\n")
            f.write(config)
        lines = []
        for line in script.strip().splitlines():
            line = line.strip()
            if line.startswith("dump "):
                line = "dump %s" % os.path.join(self.workdir, line.split()[1] + ".json")
            lines.append(line)
        path = os.path.join(self.workdir, "journey.script")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        self.stderr_path = os.path.join(self.workdir, "stderr.txt")
        self._err = open(self.stderr_path, "wb")
        self.proc = env.run([KIOSK, "--windowed", "--config", cfg, "--script", path,
                             "--screenshot-dir", self.workdir],
                            env=dict(os.environ, SDL_VIDEODRIVER="offscreen"),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=self._err)
        self.lines, self._cv, self._eof = [], threading.Condition(), False
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for raw in self.proc.stdout:
            with self._cv:
                self.lines.append(raw.decode(errors="replace").strip())
                self._cv.notify_all()
        with self._cv:
            self._eof = True
            self._cv.notify_all()

    def stderr(self):
        self._err.flush()
        with open(self.stderr_path, errors="replace") as f:
            return f.read()

    def expect(self, marker, timeout=30.0):
        """Waits until the script printed `marker`."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while marker not in self.lines:
                if self._eof:
                    raise Failure("kiosk ended (status %s) before %r; stderr:\n%s" % (
                        self.proc.wait(), marker, self.stderr()[-3000:]))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise Failure("kiosk: no %r within %.0f s; stderr:\n%s" % (
                        marker, timeout, self.stderr()[-3000:]))
                self._cv.wait(left)

    def dump(self, name):
        with open(os.path.join(self.workdir, name + ".json"), encoding="utf-8") as f:
            return json.load(f)

    def finish(self, timeout=60.0):
        rc = self.proc.wait(timeout=timeout)
        if rc != 0:
            raise Failure("kiosk exited %d; stderr:\n%s" % (rc, self.stderr()[-3000:]))
        return rc

    def anon_kib(self):
        """The kiosk's private (anonymous) memory. Unlike PSS it does not move
        when other processes sharing its libraries come and go."""
        with open("/proc/%d/smaps_rollup" % self.proc.pid) as f:
            for line in f:
                if line.startswith("Anonymous:"):
                    return int(line.split()[1])
        return 0
