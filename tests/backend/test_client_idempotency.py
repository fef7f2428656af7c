# SPDX-License-Identifier: GPL-3.0-or-later
"""Keyed writes through the kiosk's client: the answer to a booking is lost
after the server committed it, the client retries with the same key, and
exactly one booking exists; keys are on disk before the first attempt and
gone once the outcome is known."""
import os
import socket
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_env import SimCase, kiosk_config, call, make_id, lookup, bookable_slot  # noqa: E402

KEY = "6f1c0e2a-8b4d-4c6e-9f00-1122334455aa"


class ClientIdempotency(SimCase):


    def outbox(self):
        return sorted(os.listdir(os.path.join(self.state, "outbox")))

    def couple(self):
        return (lookup(self.cfg, make_id("19910101", True)),
                lookup(self.cfg, make_id("19920202", False)))

    def test_lost_answer_after_commit_makes_one_booking(self):
        t1, t2 = self.couple()
        slot = bookable_slot(self.cfg)
        before = self.sim.stats()["bookings"]
        self.sim.fault("/kiosk/v1/marriage/bookings", "drop_after_commit", method="POST", count=1)
        rc, r, _ = call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138000", t2,
                        "13900139000", expect_rc=0)
        self.assertEqual(r["attempts"], 2)
        self.assertTrue(r["replayed"], "the retry's answer must be the server's record")
        self.assertEqual(self.sim.stats()["bookings"], before + 1)
        # The one booking is the one the citizen sees.
        rc, l, _ = call(self.cfg, "bookings", t1, expect_rc=0)
        self.assertEqual([b["number"] for b in l["answer"]["bookings"]], [r["answer"]["number"]])
        self.assertEqual(self.outbox(), [])

    def test_same_key_from_a_new_process(self):
        """The citizen pressed 确认 again after the kiosk gave up: same key, one booking."""
        t1, t2 = self.couple()
        slot = bookable_slot(self.cfg, skip=1)
        before = self.sim.stats()["bookings"]
        self.sim.fault("/kiosk/v1/marriage/bookings", "drop_after_commit", method="POST", count=0)
        rc, r, _ = call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138002", t2,
                        "13900139002", opts=["--key", KEY], expect_rc=1)
        self.assertEqual(r["result"], "unreachable")
        self.assertEqual(r["attempts"], 3)
        # Outcome unknown: the key stays on disk (no personal data in it).
        self.assertEqual(self.outbox(), [KEY])
        with open(os.path.join(self.state, "outbox", KEY)) as f:
            record = f.read()
        self.assertNotIn("13800138002", record)
        self.assertNotIn(t1, record)
        self.sim.clear_faults()
        self.assertEqual(self.sim.stats()["bookings"], before + 1)
        rc, r2, _ = call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138002", t2,
                         "13900139002", opts=["--key", KEY], expect_rc=0)
        self.assertTrue(r2["replayed"])
        self.assertEqual(self.sim.stats()["bookings"], before + 1)
        self.assertEqual(self.outbox(), [])

    def test_key_reused_with_other_body_is_refused(self):
        t1, t2 = self.couple()
        key = "7f1c0e2a-8b4d-4c6e-9f00-1122334455bb"
        slot = bookable_slot(self.cfg, skip=2)
        call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138003", t2, "13900139003",
             opts=["--key", key], expect_rc=0)
        rc, r, _ = call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138004", t2,
                        "13900139003", opts=["--key", key], expect_rc=1)
        self.assertEqual((r["status"], r["error_code"]), (409, "IDEMPOTENCY_MISMATCH"))

    def test_key_on_disk_before_the_first_attempt(self):
        """A write to a server that never answers still leaves its key recorded."""
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # accepts the TCP connection, never speaks TLS
        url = "https://127.0.0.1:%d" % s.getsockname()[1]
        key = "8f1c0e2a-8b4d-4c6e-9f00-1122334455cc"
        t1, t2 = self.couple()
        state = os.path.join(self.tmp.name, "k-hang")
        cfg = kiosk_config(self.sim, state)
        try:
            rc, r, _ = call(cfg, "cancel", "JJ0000000000", t1,
                            opts=["--url", url, "--key", key, "--timeout-ms", "600",
                                  "--attempts", "1"], expect_rc=1)
        finally:
            s.close()
        self.assertEqual(r["result"], "timeout")
        self.assertEqual(os.listdir(os.path.join(state, "outbox")), [key])


if __name__ == "__main__":
    unittest.main(verbosity=2)
