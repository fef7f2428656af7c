# SPDX-License-Identifier: GPL-3.0-or-later
"""Personal data does not outlive the session: after 退出 or a timeout, the
holder's name and ID number are nowhere in the kiosk's memory (session, widget
text, text-cache keys, formatting buffers, script and dump buffers). The scan
reads /proc/PID/mem, so it needs root (as CI runs); it checks itself by
finding the name while the session is open."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
from harness import ARTIFACTS, SOURCE, Failure, check, main

NAME = "张伟"  # tests/fixtures/holders/zhang.ini
IDNUM = "110105198503151230"


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


def run_and_scan(name, ending):
    """A citizen's card is read through the real stack (pcscd, vpcd, virtual
    card); memory is scanned during the session and after it ended."""
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "pcsc"))
    from kiosk_run import KioskRun
    from pcsc_env import PcscEnv
    needles = [NAME.encode(), IDNUM.encode()]
    holder = os.path.join(SOURCE, "tests", "fixtures", "holders", "zhang.ini")
    # The session ends only once the test has scanned it (a fixed wait lost the
    # race on a slow, sanitized run: the session was already wiped).
    scanned = os.path.join(ARTIFACTS, "privacy", name + "-scanned")
    if os.path.exists(scanned):
        os.unlink(scanned)
    with PcscEnv(os.path.join(ARTIFACTS, "privacy", name, "env")) as env:
        k = KioskRun(env, "privacy", name, """
            wait-screen idle 5000
            print ready
            wait-screen menu 20000
            tap btn-elderly
            tap btn-language
            tap btn-language
            dump in-session
            print in-session
            wait-file %s 60000
            %s
            print ended
            wait 30000
            quit
        """ % (scanned, ending))
        k.expect("ready")
        card = env.card(holder)
        card.expect("inserted")
        k.expect("in-session")
        time.sleep(0.3)
        during = scan(k.proc.pid, needles)
        open(scanned, "w").close()
        if "remove" in name:
            card.close()
        k.expect("ended")
        time.sleep(0.5)
        after = scan(k.proc.pid, needles)
        k.proc.kill()
        k.proc.wait()
    return during, after


def test_exit_leaves_nothing():
    during, after = run_and_scan("exit", "tap btn-exit")
    check(NAME.encode() in during, "the scan works: the name is in memory during the session")
    check(not after, "after 退出 still in memory: %s" % [n.decode() for n in after])


def test_timeout_leaves_nothing():
    during, after = run_and_scan("timeout", "advance 60\nadvance 30")
    check(NAME.encode() in during, "the scan works: the name is in memory during the session")
    check(not after, "after the timeout still in memory: %s" % [n.decode() for n in after])


def test_card_removal_leaves_nothing():
    during, after = run_and_scan("remove", "wait-screen idle 20000")
    check(NAME.encode() in during, "the scan works: the name is in memory during the session")
    check(not after, "after the card was removed still in memory: %s"
          % [n.decode() for n in after])


if __name__ == "__main__":
    main([test_exit_leaves_nothing, test_timeout_leaves_nothing, test_card_removal_leaves_nothing])
