# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim booking rules: legal age on the registration day, same person, one
active booking, full slots, the booking window, not a party. (Rules that move the
server's clock are in test_sim_clock.py.)"""
import datetime
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import check, check_error  # noqa: E402
from sim_env import TZ, add_years, make_id, new_key, SimTest, run_tests  # noqa: E402


def born(years_before, day, days=0):
    """The birth date that makes someone exactly `years_before` years old on `day`,
    moved by `days` (positive: younger)."""
    return add_years(day, -years_before) + datetime.timedelta(days=days)


def adult(sim, male, years=30):
    return sim.lookup(make_id(born(years, datetime.date.today(), -100), male))


def slot_day(slot):
    return datetime.date.fromisoformat(slot["start"][:10])


class Rules(SimTest):
    """Rules that need no clock change (one server for the class)."""


    def refused(self, answer, status, code):
        st, _, body = answer
        self.assertEqual(st, status, body)
        check_error(body, code)

    def test_under_age_boundaries(self):
        sim = self.sim
        slots = sim.open_slots("JJ02")
        day = slot_day(slots[0])
        on_day = [s["slot"] for s in slots if slot_day(s) == day]
        self.assertGreaterEqual(len(on_day), 2)
        # Man: 22 on the registration day. One day short is refused.
        young_man = sim.lookup(make_id(born(22, day, 1), True))
        self.refused(sim.book("MARRIAGE", on_day[0], [young_man, adult(sim, False)]), 422,
                     "UNDER_AGE")
        man22 = sim.lookup(make_id(born(22, day), True))
        st, _, body = sim.book("MARRIAGE", on_day[0], [man22, adult(sim, False)])
        self.assertEqual(st, 201, body)
        # Woman: 20 on the registration day.
        young_woman = sim.lookup(make_id(born(20, day, 1), False))
        self.refused(sim.book("MARRIAGE", on_day[1], [adult(sim, True), young_woman]), 422,
                     "UNDER_AGE")
        woman20 = sim.lookup(make_id(born(20, day), False))
        st, _, body = sim.book("MARRIAGE", on_day[1], [adult(sim, True), woman20])
        self.assertEqual(st, 201, body)
        # A 21-year-old man is 21 on the slot's day: no marriage, but a reissue is fine.
        man21 = sim.lookup(make_id(born(21, day, -30), True))
        self.refused(sim.book("MARRIAGE", on_day[0], [man21, adult(sim, False)]), 422,
                     "UNDER_AGE")
        st, _, body = sim.book("REISSUE", on_day[0], [man21])
        self.assertEqual(st, 201, body)

    def test_age_counts_on_the_slot_day_not_today(self):
        sim = self.sim
        slots = sim.open_slots("JJ03")
        first, last = slots[0], slots[-1]
        self.assertLess(slot_day(first), slot_day(last))
        # Turns 20 on the last slot's day: too young for the first, old enough for the last.
        woman = sim.lookup(make_id(born(20, slot_day(last)), False))
        self.refused(sim.book("MARRIAGE", first["slot"], [adult(sim, True), woman]), 422,
                     "UNDER_AGE")
        st, _, body = sim.book("MARRIAGE", last["slot"], [adult(sim, True), woman])
        self.assertEqual(st, 201, body)

    def test_working_days_from_the_kiosks_holiday_list(self):
        """district-sim reads config/holidays.txt with the kiosk's own parser: a
        make-up working Sunday has slots, a public holiday and an ordinary Sunday
        have none (server and kiosk agree on which days exist)."""
        def count(day):
            st, _, body = self.sim.request(
                "GET", "/marriage/slots?office=JJ01&from=%s&to=%s&type=MARRIAGE" % (day, day))
            self.assertEqual(st, 200, body)
            return len(body["slots"])
        self.assertGreater(count("2026-09-20"), 0)  # Sunday, 调休上班 before National Day
        self.assertEqual(count("2026-10-01"), 0)  # National Day
        self.assertEqual(count("2026-09-13"), 0)  # an ordinary Sunday
        self.assertGreater(count("2026-09-14"), 0)  # an ordinary Monday

    def test_same_person(self):
        sim = self.sim
        slot = sim.open_slots("JJ01")[0]["slot"]
        id_number = make_id(born(30, datetime.date.today(), -5), True)
        t1, t2 = sim.lookup(id_number), sim.lookup(id_number)
        self.refused(sim.book("MARRIAGE", slot, [t1, t1]), 422, "SAME_PERSON")
        self.refused(sim.book("DIVORCE", slot, [t1, t2]), 422, "SAME_PERSON")

    def test_already_booked(self):
        sim = self.sim
        slots = sim.open_slots("JJ01")
        a, b, c = adult(sim, True), adult(sim, False), adult(sim, False)
        st, _, body = sim.book("MARRIAGE", slots[0]["slot"], [a, b])
        self.assertEqual(st, 201, body)
        self.refused(sim.book("MARRIAGE", slots[1]["slot"], [a, c]), 422, "ALREADY_BOOKED")
        self.refused(sim.book("REISSUE", slots[1]["slot"], [b]), 422, "ALREADY_BOOKED")
        # After a cancellation they may book again.
        number = body["booking"]["number"]
        st, _, _ = sim.request("POST", "/marriage/bookings/%s/cancel" % number, {"citizen": a},
                               key=new_key())
        self.assertEqual(st, 200)
        st, _, body = sim.book("MARRIAGE", slots[1]["slot"], [a, c])
        self.assertEqual(st, 201, body)

    def test_slot_full(self):
        sim = self.sim
        full_day = sim.working_days_ahead(3)
        demo_full = "JJ01-%s-0900" % full_day.strftime("%Y%m%d")
        self.refused(sim.book("MARRIAGE", demo_full, [adult(sim, True), adult(sim, False)]),
                     409, "SLOT_FULL")
        # JJ03 has 3 places a slot: fill one with reissues.
        slot = sim.open_slots("JJ03", min_remaining=3)[-1]
        for _ in range(slot["remaining"]):
            st, _, body = sim.book("REISSUE", slot["slot"], [adult(sim, False)])
            self.assertEqual(st, 201, body)
        self.refused(sim.book("REISSUE", slot["slot"], [adult(sim, True)]), 409, "SLOT_FULL")
        day = slot_day(slot).isoformat()
        listed = [s for s in sim.slots("JJ03", day, day) if s["slot"] == slot["slot"]]
        self.assertEqual(listed[0]["remaining"], 0)
        # Rescheduling into it is refused the same way.
        a, b = adult(sim, True), adult(sim, False)
        st, _, body = sim.book("MARRIAGE", sim.open_slots("JJ03")[0]["slot"], [a, b])
        self.assertEqual(st, 201, body)
        self.refused(sim.request("POST", "/marriage/bookings/%s/reschedule"
                                 % body["booking"]["number"], {"citizen": a, "slot": slot["slot"]},
                                 key=new_key()), 409, "SLOT_FULL")

    def test_outside_window(self):
        sim = self.sim
        days = sim.working_days()
        today = sim.server_today()
        too_soon = "JJ01-%s-1000" % days[0].strftime("%Y%m%d")
        too_late_day = [d for d in days if d > today + datetime.timedelta(days=30)][0]
        too_late = "JJ01-%s-1000" % too_late_day.strftime("%Y%m%d")
        for slot in (too_soon, too_late):
            self.refused(sim.book("MARRIAGE", slot, [adult(sim, True), adult(sim, False)]), 422,
                         "OUTSIDE_WINDOW")
        a, b = adult(sim, True), adult(sim, False)
        st, _, body = sim.book("MARRIAGE", sim.open_slots("JJ02")[0]["slot"], [a, b])
        self.assertEqual(st, 201, body)
        self.refused(sim.request("POST", "/marriage/bookings/%s/reschedule"
                                 % body["booking"]["number"], {"citizen": b, "slot": too_late},
                                 key=new_key()), 422, "OUTSIDE_WINDOW")
        # Not a slot at all: a weekend day, an hour without a slot.
        saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7 + 7)
        for slot in ("JJ01-%s-1000" % saturday.strftime("%Y%m%d"),
                     "JJ01-%s-1200" % days[3].strftime("%Y%m%d"), "JJ09-20261201-0900", "x"):
            self.refused(sim.book("MARRIAGE", slot, [adult(sim, True), adult(sim, False)]), 404,
                         "NOT_FOUND")

    def test_not_a_party(self):
        sim = self.sim
        a, b, stranger = adult(sim, True), adult(sim, False), adult(sim, True)
        st, _, body = sim.book("MARRIAGE", sim.open_slots("JJ02")[1]["slot"], [a, b])
        self.assertEqual(st, 201, body)
        number = body["booking"]["number"]
        for action, extra in (("cancel", {}), ("reschedule", {"slot": body["booking"]["slot"]})):
            self.refused(sim.request("POST", "/marriage/bookings/%s/%s" % (number, action),
                                     {"citizen": stranger, **extra}, key=new_key()), 403,
                         "NOT_A_PARTY")
        self.refused(sim.request("POST", "/marriage/bookings/%s/cancel" % number,
                                 {"citizen": "f" * 32}, key=new_key()), 401, "TOKEN_EXPIRED")


if __name__ == "__main__":
    run_tests()
