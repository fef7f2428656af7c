# SPDX-License-Identifier: GPL-3.0-or-later
"""Citizens, assistance, policies, offices, slots and the heartbeat through the
kiosk's own client (app/backend via ks-backend) against district-sim over real
mutual TLS on 127.0.0.1. Bookings: test_client_bookings.py."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_env import SimCase, kiosk_config, call, make_id, lookup, bookable_slot  # noqa: E402

ZHANG = "110105198503151230"      # card fixture: urban 低保, paying
MAIMAITI = "650102197906070357"   # card fixture: rural 低保 in gradual exit
RARE = "330106200002292489"       # card fixture: known, no programmes


class ClientCalls(SimCase):

    def test_lookup_known_and_unknown(self):
        rc, r, _ = call(self.cfg, "lookup", ZHANG, "A00000001", expect_rc=0)
        a = r["answer"]
        self.assertEqual(r["result"], "ok")
        self.assertEqual(len(a["citizen"]), 32)
        self.assertTrue(a["known"])
        self.assertEqual(a["sex"], "M")
        self.assertTrue(a["name_masked"].startswith("张"))
        self.assertNotIn("伟", a["name_masked"])
        stranger = make_id("19900101", True, region="440106")
        rc, r, _ = call(self.cfg, "lookup", stranger, "X1", expect_rc=0)
        self.assertFalse(r["answer"]["known"])
        # A number with a wrong check digit is refused by the server, not retried.
        bad = ZHANG[:-1] + ("1" if ZHANG[-1] != "1" else "2")
        rc, r, _ = call(self.cfg, "lookup", bad, "A00000001", expect_rc=1)
        self.assertEqual((r["status"], r["error_code"], r["attempts"]), (422, "INVALID_ID", 1))

    def test_assistance_states(self):
        r = call(self.cfg, "assistance", lookup(self.cfg, ZHANG), expect_rc=0)[1]["answer"]
        dibao = [p for p in r["programmes"] if p["code"] == "DIBAO_URBAN"]
        self.assertEqual(len(dibao), 1)
        self.assertEqual(dibao[0]["status"], "PAYING")
        self.assertGreater(dibao[0]["monthly_amount_fen"], 0)
        self.assertGreater(dibao[0]["payments"], 0)
        r = call(self.cfg, "assistance", lookup(self.cfg, MAIMAITI), expect_rc=0)[1]["answer"]
        exit_ = [p for p in r["programmes"] if p["status"] == "GRADUAL_EXIT"]
        self.assertEqual(len(exit_), 1)
        self.assertRegex(exit_[0]["gradual_exit_until"], r"^\d{4}-\d\d-\d\d$")
        r = call(self.cfg, "assistance", lookup(self.cfg, RARE), expect_rc=0)[1]["answer"]
        self.assertEqual(r["programmes"], [])
        # A made-up token: the server says the token is unknown (look up again).
        rc, r, _ = call(self.cfg, "assistance", "0" * 32, expect_rc=1)
        self.assertEqual((r["status"], r["error_code"]), (401, "TOKEN_EXPIRED"))

    def test_policies_etag_and_cache(self):
        state = os.path.join(self.tmp.name, "policies")
        cfg = kiosk_config(self.sim, state)
        rc, r, _ = call(cfg, "policies", expect_rc=0)
        self.assertFalse(r["from_cache"])
        self.assertIn("DIBAO", r["answer"]["codes"])
        self.assertTrue(os.path.exists(os.path.join(state, "cache", "policies.json")))
        before = self.sim.stats()["requests"]
        # Second time: If-None-Match → 304 → the cached copy.
        rc, r, _ = call(cfg, "policies", expect_rc=0)
        self.assertTrue(r["from_cache"])
        self.assertEqual(r["status"], 304)
        self.assertIn("DIBAO", r["answer"]["codes"])
        self.assertEqual(self.sim.stats()["requests"], before + 1)
        # A cached copy gone bad (disk fault, stricter parser after an update) is
        # fetched whole again instead of failing on every 304.
        with open(os.path.join(state, "cache", "policies.json"), "w") as f:
            f.write("{broken")
        rc, r, _ = call(cfg, "policies", expect_rc=0)
        self.assertFalse(r["from_cache"])
        self.assertEqual(r["status"], 200)
        rc, r, _ = call(cfg, "policies", expect_rc=0)
        self.assertTrue(r["from_cache"])

    def test_offices_and_slots(self):
        rc, r, _ = call(self.cfg, "offices", expect_rc=0)
        self.assertIn("JJ01", r["answer"]["codes"])
        today = datetime.date.today()
        frm, to = today.isoformat(), (today + datetime.timedelta(days=30)).isoformat()
        rc, r, _ = call(self.cfg, "slots", "JJ01", frm, to, "MARRIAGE", expect_rc=0)
        slots = r["answer"]["slots"]
        self.assertGreater(len(slots), 10)
        for s in slots:
            day = datetime.date.fromisoformat(s["start"][:10])
            self.assertLess(day.weekday(), 5, "a slot on a weekend: %s" % s["slot"])
        rc, r, _ = call(self.cfg, "slots", "NOPE", frm, to, "MARRIAGE", expect_rc=1)
        self.assertEqual(r["status"], 404)

    def test_heartbeat(self):
        rc, r, _ = call(self.cfg, "heartbeat", expect_rc=0)
        self.assertGreater(r["answer"]["server_time"], 1700000000)


if __name__ == "__main__":
    unittest.main(verbosity=2)
