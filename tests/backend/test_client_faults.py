# SPDX-License-Identifier: GPL-3.0-or-later
"""The client facing a failing backend: down, slow, 5xx then success,
malformed and oversize answers, a retried GET vs a lookup that is not retried."""
import os
import socket
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_env import SimCase, kiosk_config, call  # noqa: E402

ZHANG = "110105198503151230"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class ClientFaults(SimCase):


    def test_server_down(self):
        url = "https://127.0.0.1:%d" % free_port()  # nobody listens there
        rc, r, _ = call(self.cfg, "offices", opts=["--url", url], expect_rc=1)
        self.assertEqual(r["result"], "unreachable")
        self.assertEqual(r["attempts"], 3)  # a GET is retried
        rc, r, _ = call(self.cfg, "lookup", ZHANG, "A00000001", opts=["--url", url], expect_rc=1)
        self.assertEqual(r["result"], "unreachable")
        self.assertEqual(r["attempts"], 1)  # an unkeyed POST is not

    def test_slow_server_times_out(self):
        self.sim.fault("/kiosk/v1/marriage/offices", "delay", delay_ms=4000, count=0)
        t0 = time.monotonic()
        rc, r, _ = call(self.cfg, "offices", opts=["--timeout-ms", "800", "--attempts", "2"],
                        expect_rc=1)
        self.assertEqual(r["result"], "timeout")
        self.assertEqual(r["attempts"], 2)
        # Two attempts of 0.8 s and a backoff: nowhere near the server's 4 s per answer.
        self.assertLess(time.monotonic() - t0, 3.9)

    def test_5xx_then_success(self):
        self.sim.fault("/kiosk/v1/marriage/offices", "status", status=503, count=2)
        rc, r, _ = call(self.cfg, "offices", expect_rc=0)
        self.assertEqual((r["result"], r["attempts"]), ("ok", 3))
        self.sim.fault("/kiosk/v1/marriage/offices", "status", status=500, count=5)
        rc, r, _ = call(self.cfg, "offices", expect_rc=1)
        self.assertEqual((r["result"], r["status"], r["attempts"]), ("http", 500, 3))

    def test_4xx_is_not_retried(self):
        self.sim.fault("/kiosk/v1/marriage/offices", "status", status=404, count=1)
        rc, r, _ = call(self.cfg, "offices", expect_rc=1)
        self.assertEqual((r["status"], r["attempts"]), (404, 1))

    def test_malformed_answer(self):
        self.sim.fault("/kiosk/v1/marriage/offices", "malformed", count=1)
        rc, r, _ = call(self.cfg, "offices", expect_rc=1)
        self.assertEqual(r["result"], "bad-answer")
        self.assertIn("not JSON", r["reason"])
        self.assertNotIn("answer", r)

    def test_oversize_answer(self):
        self.sim.fault("/kiosk/v1/marriage/offices", "oversize", count=1)
        rc, r, _ = call(self.cfg, "offices", expect_rc=1)
        self.assertEqual(r["result"], "bad-answer")
        self.assertIn("larger than", r["reason"])

    def test_dropped_connection_get_retried(self):
        self.sim.fault("/kiosk/v1/marriage/offices", "drop", count=1)
        rc, r, _ = call(self.cfg, "offices", expect_rc=0)
        self.assertEqual(r["attempts"], 2)

    def test_policies_offline_serves_cache(self):
        state = os.path.join(self.tmp.name, "offline")
        cfg = kiosk_config(self.sim, state)
        call(cfg, "policies", expect_rc=0)
        url = "https://127.0.0.1:%d" % free_port()
        rc, r, _ = call(cfg, "policies", opts=["--url", url], expect_rc=1)
        self.assertEqual(r["result"], "unreachable")
        self.assertTrue(r["from_cache"])
        self.assertIn("DIBAO", r["answer"]["codes"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
