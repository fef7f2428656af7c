"""Personal data does not outlive the session: after 退出 or a timeout, the
holder's name and ID number are nowhere in the kiosk's memory (session, widget
text, text-cache keys, formatting buffers, script and dump buffers). The scan
reads /proc/PID/mem, so it needs root (as CI runs); it checks itself by
finding the name while the session is open."""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import KIOSK, SOURCE, Failure, check, main

NAME = "欧阳娜娜"
IDNUM = "11010519491231002X"


def scan(pid, needles):
    """Returns the needles found in any readable private mapping of the process."""
    found = set()
    with open("/proc/%d/maps" % pid) as maps:
        regions = []
        for line in maps:
            parts = line.split()
            addr, perms = parts[0], parts[1]
            path = parts[5] if len(parts) > 5 else ""
            if not perms.startswith("r") or path.startswith("/") or "[vvar]" in path or "[vsyscall]" in path:
                continue  # file-backed mappings hold code and fonts, not session data
            lo, hi = (int(x, 16) for x in addr.split("-"))
            if hi - lo > 1 << 30:
                continue  # sanitizer shadow and reserved ranges
            regions.append((lo, hi))
    try:
        mem = open("/proc/%d/mem" % pid, "rb", buffering=0)
    except PermissionError:
        raise Failure("cannot read /proc/%d/mem: this test needs root (CAP_SYS_PTRACE)" % pid)
    with mem:
        for lo, hi in regions:
            try:
                mem.seek(lo)
                data = mem.read(hi - lo)
            except OSError:
                continue
            for n in needles:
                if n in data:
                    found.add(n)
    return found


def run_and_scan(ending):
    needles = [NAME.encode(), IDNUM.encode()]
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "kiosk.ini")
        with open(cfg, "w", encoding="utf-8") as f:
            f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\nidle_timeout_s = 10\ncountdown_s = 20\n"
                    % (SOURCE, tmp))
        script = os.path.join(tmp, "s.script")
        with open(script, "w", encoding="utf-8") as f:
            f.write("identity name=%s id=%s sex=F birth=19491231\n" % (NAME, IDNUM))
            f.write("tap btn-elderly\ntap btn-language\ntap btn-language\n")
            f.write("dump %s/in-session.json\nprint in-session\nwait 1500\n" % tmp)
            f.write(ending)
            f.write("print ended\nwait 30000\nquit\n")
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        p = subprocess.Popen([KIOSK, "--windowed", "--config", cfg, "--script", script],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
        try:
            check(p.stdout.readline().strip() == "in-session", "kiosk reached the session")
            time.sleep(0.3)
            during = scan(p.pid, needles)
            check(p.stdout.readline().strip() == "ended", "kiosk ended the session")
            time.sleep(0.5)
            after = scan(p.pid, needles)
        finally:
            p.kill()
            p.wait()
    return during, after


def test_exit_leaves_nothing():
    during, after = run_and_scan("tap btn-exit\n")
    check(NAME.encode() in during, "the scan works: the name is in memory during the session")
    check(not after, "after 退出 still in memory: %s" % [n.decode() for n in after])


def test_timeout_leaves_nothing():
    during, after = run_and_scan("advance 10\nadvance 20\n")
    check(NAME.encode() in during, "the scan works: the name is in memory during the session")
    check(not after, "after the timeout still in memory: %s" % [n.decode() for n in after])


if __name__ == "__main__":
    main([test_exit_leaves_nothing, test_timeout_leaves_nothing])
