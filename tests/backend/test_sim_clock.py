# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim rules that depend on the server's clock, moved through the admin
port: token expiry after 600 s, late cancellation, and check-in on the day (its
error cases, the same ticket again)."""
import datetime
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import check, check_error  # noqa: E402
from sim_env import TZ, add_years, make_id, new_key, SimTest, run_tests  # noqa: E402
from test_sim_rules import adult, born, slot_day  # noqa: E402


class Clock(SimTest):
    """Rules that depend on the server's clock (moved through the admin port)."""


    def setUp(self):
        self.sim.set_time_offset(0)

    def refused(self, answer, status, code):
        st, _, body = answer
        self.assertEqual(st, status, body)
        check_error(body, code)

    def at(self, day, hour, minute=0):
        """Moves the server clock to `day` hour:minute in +08:00."""
        when = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
        self.sim.set_time_offset(int(when.timestamp() - time.time()))

    def test_token_expires_after_600_s(self):
        sim = self.sim
        token = sim.lookup("110105198503151230")
        sim.set_time_offset(590)
        st, _, _ = sim.request("GET", "/citizens/%s/assistance" % token)
        self.assertEqual(st, 200)
        sim.set_time_offset(610)
        self.refused(sim.request("GET", "/citizens/%s/assistance" % token), 401, "TOKEN_EXPIRED")
        self.refused(sim.request("GET", "/citizens/%s/marriage/bookings" % token), 401,
                     "TOKEN_EXPIRED")

    def test_cancel_too_late(self):
        sim = self.sim
        ids = [make_id(born(30, datetime.date.today(), -7), m) for m in (True, False)]
        slot = sim.open_slots("JJ02")[0]
        st, _, body = sim.book("MARRIAGE", slot["slot"], [sim.lookup(i) for i in ids])
        self.assertEqual(st, 201, body)
        number = body["booking"]["number"]
        start = datetime.datetime.fromisoformat(slot["start"])
        sim.set_time_offset(int(start.timestamp() - 23 * 3600 - time.time()))
        token = sim.lookup(ids[0])
        self.refused(sim.request("POST", "/marriage/bookings/%s/cancel" % number,
                                 {"citizen": token}, key=new_key()), 422, "TOO_LATE")
        self.refused(sim.request("POST", "/marriage/bookings/%s/reschedule" % number,
                                 {"citizen": token, "slot": slot["slot"]}, key=new_key()), 422,
                     "TOO_LATE")
        sim.set_time_offset(int(start.timestamp() - 25 * 3600 - time.time()))
        token = sim.lookup(ids[1])
        st, _, body = sim.request("POST", "/marriage/bookings/%s/cancel" % number,
                                  {"citizen": token}, key=new_key())
        self.assertEqual(st, 200, body)

    def test_checkin(self):
        sim = self.sim
        day = sim.working_days_ahead(2)
        next_day = sim.working_days_ahead(4)
        mk = lambda: [make_id(born(28, datetime.date.today(), -3), m) for m in (True, False)]  # noqa: E731
        couples = {name: mk() for name in ("a", "b", "c", "d")}

        def book(name, slot):
            st, _, body = sim.book("MARRIAGE", slot, [sim.lookup(i) for i in couples[name]])
            self.assertEqual(st, 201, body)
            return body["booking"]["number"]

        ymd = day.strftime("%Y%m%d")
        numbers = {"a": book("a", "JJ01-%s-1000" % ymd), "b": book("b", "JJ01-%s-1100" % ymd),
                   "c": book("c", "JJ01-%s-1400" % ymd),
                   "d": book("d", "JJ01-%s-1000" % next_day.strftime("%Y%m%d"))}
        tokens = {n: [sim.lookup(i) for i in ids] for n, ids in couples.items()}
        st, _, _ = sim.request("POST", "/marriage/bookings/%s/cancel" % numbers["c"],
                               {"citizen": tokens["c"][0]}, key=new_key())
        self.assertEqual(st, 200)

        def checkin(name, toks=None, office="JJ01", key=None, number=None):
            return sim.request("POST", "/marriage/bookings/%s/checkin" % (number or numbers[name]),
                               {"citizens": toks or tokens[name], "office": office},
                               key=key or new_key())

        self.refused(checkin("a"), 422, "NOT_TODAY")
        self.at(day, 8, 30)
        tokens = {n: [sim.lookup(i) for i in ids] for n, ids in couples.items()}
        stranger = sim.lookup(make_id(born(40, datetime.date.today()), True))
        self.refused(checkin("a", office="JJ02"), 422, "WRONG_OFFICE")
        self.refused(checkin("a", toks=tokens["a"][:1]), 422, "PARTY_MISSING")
        self.refused(checkin("a", toks=[tokens["a"][0], stranger]), 403, "NOT_A_PARTY")
        self.refused(checkin("c"), 422, "CANCELLED")
        self.refused(checkin("d"), 422, "NOT_TODAY")
        self.refused(checkin("a", number="JJ0000000000"), 404, "NOT_FOUND")

        key = new_key()
        st, _, first = checkin("a", key=key)
        self.assertEqual(st, 200, first)
        check("checkin", first)
        self.assertEqual((first["ticket"], first["waiting_ahead"]), ("J001", 0))
        self.assertTrue(first["checked_in_at"].startswith(day.isoformat()))
        self.assertTrue(first["counter_hint"].endswith("号窗口"))
        st, h, again = checkin("a", key=key)
        self.assertEqual((st, again, h.get("idempotent-replay")), (200, first, "true"))
        st, h, again = checkin("a", toks=list(reversed(tokens["a"])))
        self.assertEqual((st, again), (200, first))
        self.assertNotIn("idempotent-replay", h)
        st, _, second = checkin("b")
        self.assertEqual(st, 200, second)
        self.assertEqual((second["ticket"], second["waiting_ahead"]), ("J002", 1))
        st, _, listed = sim.request("GET", "/citizens/%s/marriage/bookings" % tokens["a"][0])
        self.assertEqual(check("bookings", listed)["bookings"][0]["status"], "CHECKED_IN")
        self.refused(sim.request("POST", "/marriage/bookings/%s/cancel" % numbers["a"],
                                 {"citizen": tokens["a"][0]}, key=new_key()), 422, "TOO_LATE")


if __name__ == "__main__":
    run_tests()
