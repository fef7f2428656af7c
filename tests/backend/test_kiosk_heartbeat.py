# SPDX-License-Identifier: GPL-3.0-or-later
"""The heartbeat: the real kiosk, district-sim over mutual TLS. Soon after
start and then every heartbeat_s the kiosk tells the district how it is —
version, uptime, mode and a status of fixed words, never who is using it —
and a backend that is down is tried again at the next beat."""
import os
import sqlite3
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
from harness import check, main, run_kiosk  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-heartbeat-")


def beats(sim):
    return sim.read_log().count("/heartbeat -> 200")


def test_heartbeat_at_start_and_every_interval():
    with SimEnv(os.path.join(TMP, "beat")) as sim:
        run_kiosk("backend", "heartbeat", """
            wait 4000
            print first
            advance 30
            wait 3000
            quit
        """, config="[kiosk]\nmode = registry\n[marriage]\noffice = JJ01\n" +
            backend_ini(sim, extra="heartbeat_s = 30"))
        n = beats(sim)
        con = sqlite3.connect(sim.db)
        row = con.execute("SELECT kiosk, version, mode FROM heartbeats").fetchone()
        con.close()
    check(n >= 2, "heartbeats answered: %d (expected one at start and one after 30 s)" % n)
    check(row is not None and row[0] == "JJ-0001" and row[2] == "registry", "stored: %r" % (row,))
    check(row[1], "no version sent")


def test_no_heartbeat_when_off():
    with SimEnv(os.path.join(TMP, "off")) as sim:
        run_kiosk("backend", "heartbeat-off", """
            wait 4000
            quit
        """, config=backend_ini(sim, extra="heartbeat_s = 0"))
        n = beats(sim)
    check(n == 0, "heartbeats with heartbeat_s = 0: %d" % n)


def test_backend_down_then_back():
    import threading
    with SimEnv(os.path.join(TMP, "down")) as sim:
        # Down from the start; back while the kiosk runs (before its next beat).
        sim.fault("/kiosk/v1/kiosks", "status", status=503, count=0)
        threading.Timer(5.0, sim.clear_faults).start()
        run_kiosk("backend", "heartbeat-down", """
            wait 6000
            advance 30
            wait 3000
            quit
        """, config=backend_ini(sim, extra="heartbeat_s = 30\nattempts = 1"))
        log = sim.read_log()
    check("/heartbeat -> 503" in log, "the first beat did not meet the outage")
    check("/heartbeat -> 200" in log, "no heartbeat once the backend was back")


if __name__ == "__main__":
    main([test_heartbeat_at_start_and_every_interval, test_no_heartbeat_when_off,
          test_backend_down_then_back])
