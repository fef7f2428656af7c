# SPDX-License-Identifier: GPL-3.0-or-later
"""Marriage bookings through the kiosk's own client (app/backend via ks-backend)
against district-sim over real mutual TLS on 127.0.0.1: create, list, one active
booking, reschedule, cancel, the divorce's second window, check-in on the day."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_env import SimCase, kiosk_config, call, make_id, lookup, bookable_slot  # noqa: E402



class ClientBookings(SimCase):
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


if __name__ == "__main__":
    unittest.main(verbosity=2)
