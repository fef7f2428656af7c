# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim fault injection through the admin port: delay, status, malformed,
oversize, drop and drop_after_commit, counts, method filters, and that faults act
only on authenticated requests."""
import datetime
import http.client
import json
import os
import ssl
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import check, check_error  # noqa: E402
from sim_env import add_years, make_id, new_key, SimTest, run_tests  # noqa: E402

DROPPED = (http.client.RemoteDisconnected, ConnectionError, ssl.SSLError,
           http.client.IncompleteRead, http.client.BadStatusLine)


def couple(sim):
    base = add_years(datetime.date.today(), -32)
    return [sim.lookup(make_id(base, m)) for m in (True, False)]


class Faults(SimTest):

    def setUp(self):
        self.sim.clear_faults()

    def get(self, path="/marriage/offices", **kw):
        return self.sim.request("GET", path, **kw)

    def test_delay_does_not_block_others(self):
        self.sim.fault("/kiosk/v1/policies", "delay", method="GET", delay_ms=1500)
        result = {}

        def slow():
            t0 = time.monotonic()
            result["status"] = self.get("/policies")[0]
            result["took"] = time.monotonic() - t0

        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.2)
        t0 = time.monotonic()
        st, _, _ = self.get()
        fast = time.monotonic() - t0
        t.join(30)
        self.assertEqual(st, 200)
        self.assertLess(fast, 1.0)
        self.assertEqual(result["status"], 200)
        self.assertGreaterEqual(result["took"], 1.4)

    def test_status_with_count(self):
        self.sim.fault("/marriage/offices", "status", count=2, status=503)
        for _ in range(2):
            st, _, body = self.get()
            self.assertEqual(st, 503)
            check_error(body, "UNAVAILABLE")
        st, _, body = self.get()
        self.assertEqual(st, 200)
        check("offices", body)
        self.sim.fault("/", "status", status=500)
        st, _, body = self.get()
        self.assertEqual(st, 500)
        check_error(body, "INTERNAL")

    def test_count_zero_until_cleared_and_method_filter(self):
        self.sim.fault("/kiosk/v1/marriage", "status", method="POST", count=0, status=502)
        for _ in range(3):
            st, _, _ = self.sim.book("REISSUE", "JJ01-20990101-0900", ["0" * 32])
            self.assertEqual(st, 502)
        st, _, _ = self.get()  # GET is not matched
        self.assertEqual(st, 200)
        self.sim.clear_faults()
        st, _, body = self.sim.book("REISSUE", "JJ01-20990101-0900", ["0" * 32])
        self.assertEqual(st, 401, body)  # the real answer again

    def test_malformed(self):
        self.sim.fault("/marriage/offices", "malformed")
        st, h, raw = self.get(raw=True)
        self.assertEqual(st, 200)
        with self.assertRaises(ValueError):
            json.loads(raw)
        self.assertEqual(self.get()[0], 200)

    def test_oversize(self):
        self.sim.fault("/policies", "oversize")
        st, _, raw = self.get("/policies", raw=True)
        self.assertEqual(st, 200)
        self.assertGreaterEqual(len(raw), 1 << 20)

    def test_drop_does_nothing(self):
        sim = self.sim
        tokens = couple(sim)
        slot = sim.open_slots("JJ02")[0]["slot"]
        before = sim.stats()["bookings"]
        sim.fault("/marriage/bookings", "drop", method="POST")
        key = new_key()
        with self.assertRaises(DROPPED):
            sim.book("MARRIAGE", slot, tokens, key=key)
        self.assertEqual(sim.stats()["bookings"], before)
        st, h, body = sim.book("MARRIAGE", slot, tokens, key=key)
        self.assertEqual(st, 201, body)
        self.assertNotIn("idempotent-replay", h)
        self.assertEqual(sim.stats()["bookings"], before + 1)

    def test_drop_after_commit(self):
        sim = self.sim
        tokens = couple(sim)
        slot = sim.open_slots("JJ03")[0]["slot"]
        before = sim.stats()["bookings"]
        sim.fault("/marriage/bookings", "drop_after_commit", method="POST")
        key = new_key()
        with self.assertRaises(DROPPED):
            sim.book("MARRIAGE", slot, tokens, key=key)
        self.assertEqual(sim.stats()["bookings"], before + 1, "the write was committed")
        st, h, body = sim.book("MARRIAGE", slot, tokens, key=key)
        self.assertEqual((st, h.get("idempotent-replay")), (201, "true"), body)
        check("booking", body)
        self.assertEqual(sim.stats()["bookings"], before + 1, "no second booking")
        st, _, listed = sim.request("GET", "/citizens/%s/marriage/bookings" % tokens[0])
        self.assertEqual([b["number"] for b in listed["bookings"]], [body["booking"]["number"]])

    def test_faults_only_after_authentication(self):
        self.sim.fault("/marriage/offices", "status", status=503)
        st, _, body = self.get(secret=b"\0" * 32)
        self.assertEqual(st, 401)
        check_error(body, "BAD_SIGNATURE")
        self.assertEqual(self.get()[0], 503)  # still pending for the good request
        self.assertEqual(self.get()[0], 200)

    def test_connection_reuse_after_drop(self):
        self.sim.fault("/marriage/offices", "drop")
        with self.assertRaises(DROPPED):
            self.get()
        conn = self.sim.connection()
        try:
            for _ in range(3):
                self.assertEqual(self.sim.request("GET", "/marriage/offices", conn=conn)[0], 200)
        finally:
            conn.close()

    def test_admin_rejects_bad_faults(self):
        for body in ({"path": "/", "kind": "explode"}, {"kind": "drop"},
                     {"path": "/", "kind": "status", "status": 200},
                     {"path": "/", "kind": "drop", "method": "PUT"},
                     {"path": "/", "kind": "delay", "delay_ms": -1}):
            st, answer = self.sim.admin("POST", "/admin/faults", body)
            self.assertEqual(st, 400, body)
        st, _ = self.sim.admin("GET", "/admin/nothing")
        self.assertEqual(st, 404)


if __name__ == "__main__":
    run_tests()
