# SPDX-License-Identifier: GPL-3.0-or-later
"""What a visitor types into the estimate (the household's income) and the
records a citizen was shown do not outlive the visit: after 退出 they are
nowhere in the kiosk's memory (widgets, text cache, formatting buffers). The
scan reads /proc/PID/mem (root, as CI runs) and first proves itself by finding
the income while the visit is open."""
import os
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "pcsc"))
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import ARTIFACTS, SOURCE, check, main  # noqa: E402
from test_privacy import scan  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

# Strings made from personal data (never in the catalogues): 1 person, 123 yuan a
# month in town → 低保 by the gap method 620 − 123 = 497 yuan; 张伟's record.
INCOME = "123 元/月"
ESTIMATE = "估算每月约 497 元"
RECORD = "每月 320 元"


def test_income_and_records_gone_after_exit():
    from kiosk_run import KioskRun
    from pcsc_env import PcscEnv
    tmp = tempfile.mkdtemp(prefix="ks-services-privacy-")
    holder = os.path.join(SOURCE, "tests", "fixtures", "holders", "zhang.ini")
    # Each screen stays until the test has scanned it (a fixed wait lost the
    # race on a slow, sanitized run).
    flag = {f: os.path.join(tmp, f + "-scanned") for f in ("records", "typed", "estimated")}
    with SimEnv(os.path.join(tmp, "sim")) as sim, \
            PcscEnv(os.path.join(ARTIFACTS, "services-privacy", "env")) as env:
        k = KioskRun(env, "services-privacy", "exit", """
            wait-screen idle 5000
            print ready
            wait-screen menu 20000
            wait-no-widget lookup-status 15000
            tap btn-assist
            wait-no-widget assist-loading 15000
            print records
            wait-file %(records)s 60000
            tap btn-back
            tap btn-subsidy
            tap btn-wizard
            tap btn-choice-0
            tap key-1
            tap btn-next
            tap key-1
            tap key-2
            tap key-3
            print typed
            wait-file %(typed)s 60000
            tap btn-next
            tap btn-next
            tap btn-choice-0
            tap btn-choice-1
            print estimated
            wait-file %(estimated)s 60000
            tap btn-exit
            print ended
            wait 30000
            quit
        """ % flag, config=backend_ini(sim))
        k.expect("ready")
        card = env.card(holder)
        card.expect("inserted")
        k.expect("records")
        time.sleep(0.3)
        records = scan(k.proc.pid, [RECORD.encode()])
        open(flag["records"], "w").close()
        k.expect("typed")
        time.sleep(0.3)
        typed = scan(k.proc.pid, [INCOME.encode()])
        open(flag["typed"], "w").close()
        k.expect("estimated")
        time.sleep(0.3)
        estimated = scan(k.proc.pid, [ESTIMATE.encode()])
        open(flag["estimated"], "w").close()
        k.expect("ended")
        card.close()
        time.sleep(0.5)
        after = scan(k.proc.pid, [INCOME.encode(), ESTIMATE.encode(), RECORD.encode()])
        k.proc.kill()
        k.proc.wait()
    check(RECORD.encode() in records, "the scan works: the record is in memory on its screen")
    check(INCOME.encode() in typed, "the scan works: the typed income is in memory")
    check(ESTIMATE.encode() in estimated, "the scan works: the estimate is in memory")
    check(not after, "after 退出 still in memory: %s" % [n.decode() for n in after])


if __name__ == "__main__":
    main([test_income_and_records_gone_after_exit])
