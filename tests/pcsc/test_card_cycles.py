# SPDX-License-Identifier: GPL-3.0-or-later
"""200 insert/remove cycles through the real stack: every insertion is read,
every removal ends the session, the kiosk ends idle with nothing stuck, and
its memory does not grow with the cycles."""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ui"))
from harness import ARTIFACTS, check, main  # noqa: E402
from kiosk_run import KioskRun, holder  # noqa: E402
from pcsc_env import PcscEnv  # noqa: E402

CYCLES = int(os.environ.get("KS_CARD_CYCLES", "200"))


def test_insert_remove_cycles():
    path, _ = holder("zhang")
    with PcscEnv(os.path.join(ARTIFACTS, "pcsc-cycles", "env")) as env:
        k = KioskRun(env, "pcsc-cycles", "run", """
            wait-screen idle 5000
            print ready
            wait 600000
        """)
        k.expect("ready")
        # pcscd looks at a vpcd reader every ~400 ms: each state must last longer than that.
        card = env.card(path, "--cycles", str(CYCLES), "--hold", "0.9", "--interval", "700")
        pss = {}
        deadline = time.monotonic() + CYCLES * 3 + 60
        while card.proc.poll() is None and time.monotonic() < deadline:
            n = card.events.count("removed")
            if n >= min(20, CYCLES // 2) and "early" not in pss:
                pss["early"] = k.anon_kib()
            time.sleep(0.5)
        check(card.proc.poll() == 0, "the virtual card finished its %d cycles" % CYCLES)
        time.sleep(2.0)
        pss["late"] = k.anon_kib()
        log = k.stderr()
        started = len(re.findall(r"session started", log))
        ended = len(re.findall(r"session ended: card removed", log))
        check(started == CYCLES, "every insertion was read: %d sessions for %d cycles" % (started, CYCLES))
        check(ended == CYCLES, "every removal ended its session: %d" % ended)
        check("card error" not in log and "card in " not in log, "no read errors in the log")
        growth = pss["late"] - pss["early"]
        if os.environ.get("KS_SANITIZED") != "1":
            # (Under ASan freed memory sits in its quarantine: LeakSanitizer checks at exit instead.)
            check(growth < 1024, "private memory grew by %d KiB between cycle %d and %d" % (
                growth, min(20, CYCLES // 2), CYCLES))
        k.proc.terminate()
        rc = k.proc.wait(timeout=60)
        check(rc == 0, "the kiosk stops cleanly after the cycles (status %d; under the sanitizer "
              "this is also LeakSanitizer's verdict)\n%s" % (rc, k.stderr()[-2000:]))


if __name__ == "__main__":
    main([test_insert_remove_cycles])
