# SPDX-License-Identifier: GPL-3.0-or-later
"""The UI loop tells systemd it is ready after its first frame and pings the
watchdog on time even when nobody touches the screen (an idle loop sleeps, but
not through a ping)."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import NotifyListener as Listener, check, main, run_kiosk


def test_ready_and_watchdog_pings():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "notify")
        listener = Listener(path)
        try:
            # WatchdogSec=0.4 s: the kiosk must ping at least every 0.2 s.
            run_kiosk("watchdog", "pings", "wait 2000\nquit",
                      env_extra={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "400000"})
        finally:
            msgs = listener.close()
    check(msgs and msgs[0] == "READY=1", "READY=1 first: %s" % msgs[:3])
    pings = sum(1 for m in msgs if m == "WATCHDOG=1")
    check(pings >= 8, "watchdog pinged %d times in 2 s (expected >= 8 at 0.2 s)" % pings)
    check(msgs[-1] == "STOPPING=1", "STOPPING=1 on exit: %s" % msgs[-3:])


def test_no_watchdog_without_systemd():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "notify")
        listener = Listener(path)
        try:
            run_kiosk("watchdog", "off", "wait 500\nquit", env_extra={"NOTIFY_SOCKET": path})
        finally:
            msgs = listener.close()
    check("WATCHDOG=1" not in msgs, "no pings when systemd did not ask for them")
    check("READY=1" in msgs, "still reports READY=1")


if __name__ == "__main__":
    main([test_ready_and_watchdog_pings, test_no_watchdog_without_systemd])
