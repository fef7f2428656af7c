"""Every endpoint through the kiosk's own client (app/backend via ks-backend)
against district-sim over real mutual TLS on 127.0.0.1."""
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

    def test_booking_lifecycle(self):
        man, woman = make_id("19900505", True), make_id("19950606", False)
        t1, t2 = lookup(self.cfg, man), lookup(self.cfg, woman)
        slot = bookable_slot(self.cfg)
        rc, r, _ = call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138000", t2,
                        "13900139000", expect_rc=0)
        b = r["answer"]
        self.assertEqual((b["status"], b["type"], b["slot"]), ("BOOKED", "MARRIAGE", slot["slot"]))
        number = b["number"]
        rc, r, _ = call(self.cfg, "bookings", t2, expect_rc=0)
        self.assertIn(number, [x["number"] for x in r["answer"]["bookings"]])
        # The same people cannot hold two bookings at once.
        other = bookable_slot(self.cfg, skip=1)
        rc, r, _ = call(self.cfg, "book", "MARRIAGE", other["slot"], t1, "13800138000", t2,
                        "13900139000", expect_rc=1)
        self.assertEqual((r["status"], r["error_code"]), (422, "ALREADY_BOOKED"))
        rc, r, _ = call(self.cfg, "reschedule", number, t1, other["slot"], expect_rc=0)
        self.assertEqual((r["answer"]["number"], r["answer"]["slot"]), (number, other["slot"]))
        rc, r, _ = call(self.cfg, "cancel", number, t2, expect_rc=0)
        self.assertEqual(r["answer"]["status"], "CANCELLED")
        rc, r, _ = call(self.cfg, "cancel", number, t2, expect_rc=1)
        self.assertEqual(r["error_code"], "CANCELLED")

    def test_divorce_has_second_window(self):
        a, b = make_id("19800101", True), make_id("19820202", False)
        slot = bookable_slot(self.cfg, kind="DIVORCE")
        rc, r, _ = call(self.cfg, "book", "DIVORCE", slot["slot"], lookup(self.cfg, a),
                        "13700137000", lookup(self.cfg, b), "13600136000", expect_rc=0)
        start = datetime.date.fromisoformat(r["answer"]["start"][:10])
        self.assertEqual(r["answer"]["second_from"], (start + datetime.timedelta(days=30)).isoformat())
        self.assertEqual(r["answer"]["second_to"], (start + datetime.timedelta(days=60)).isoformat())

    def test_checkin_on_the_day(self):
        man, woman = make_id("19880808", True), make_id("19890909", False)
        t1, t2 = lookup(self.cfg, man), lookup(self.cfg, woman)
        slot = bookable_slot(self.cfg, skip=2)
        rc, r, _ = call(self.cfg, "book", "MARRIAGE", slot["slot"], t1, "13800138001", t2,
                        "13900139001", expect_rc=0)
        number = r["answer"]["number"]
        # Move the server's clock to the morning of the appointment.
        day = datetime.date.fromisoformat(slot["start"][:10])
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8)))
        target = datetime.datetime.combine(day, datetime.time(8, 30),
                                           tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
        offset = int((target - now).total_seconds())
        self.sim.set_time_offset(offset)
        try:
            # The kiosk's clock is far from the server's now: the client learns the
            # skew from CLOCK_SKEW and signs with the server's time.
            t1, t2 = lookup(self.cfg, man), lookup(self.cfg, woman)
            rc, r, _ = call(self.cfg, "checkin", number, "JJ01", t1, t2, expect_rc=0)
            ticket = r["answer"]["ticket"]
            self.assertRegex(ticket, r"^J\d{3}$")
            rc, r, _ = call(self.cfg, "checkin", number, "JJ01", t1, t2, expect_rc=0)
            self.assertEqual(r["answer"]["ticket"], ticket)  # idempotent, even with a new key
            rc, r, _ = call(self.cfg, "checkin", number, "JJ01", t1, expect_rc=1)
            self.assertEqual(r["error_code"], "PARTY_MISSING")
        finally:
            self.sim.set_time_offset(0)

    def test_heartbeat(self):
        rc, r, _ = call(self.cfg, "heartbeat", expect_rc=0)
        self.assertGreater(r["answer"]["server_time"], 1700000000)


if __name__ == "__main__":
    unittest.main(verbosity=2)
