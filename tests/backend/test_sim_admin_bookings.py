# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim POST /admin/bookings: a booking inserted directly, outside the
booking rules (for today, under age), that afterwards behaves like any other:
listed, checked in on its day with the same ticket again, refused when not today
or cancelled, cancelled by a party; bad admin requests are refused."""
import datetime
import http.client
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import check, check_error  # noqa: E402
from sim_env import TZ, make_id, new_key, SimTest, run_tests  # noqa: E402
from test_sim_rules import born  # noqa: E402


def couple():
    """ID numbers of a man and a woman of 30."""
    return [make_id(born(30, datetime.date.today(), -11), m) for m in (True, False)]


class AdminBookings(SimTest):

    def setUp(self):
        self.sim.set_time_offset(0)

    def refused(self, answer, status, code):
        st, _, body = answer
        self.assertEqual(st, status, body)
        check_error(body, code)

    def checkin(self, number, tokens, office):
        return self.sim.request("POST", "/marriage/bookings/%s/checkin" % number,
                                {"citizens": tokens, "office": office}, key=new_key())

    def listed(self, token, number):
        st, _, body = self.sim.request("GET", "/citizens/%s/marriage/bookings" % token)
        self.assertEqual(st, 200, body)
        check("bookings", body)
        found = [b for b in body["bookings"] if b["number"] == number]
        self.assertEqual(len(found), 1, body)
        return found[0]

    def test_today_checks_in_with_both_tokens(self):
        sim = self.sim
        ids = couple()
        number = sim.admin_booking("MARRIAGE", "JJ01", "today", ids)
        tokens = [sim.lookup(i) for i in ids]
        self.refused(self.checkin(number, tokens, "JJ02"), 422, "WRONG_OFFICE")
        self.refused(self.checkin(number, tokens[:1], "JJ01"), 422, "PARTY_MISSING")
        st, _, first = self.checkin(number, tokens, "JJ01")
        self.assertEqual(st, 200, first)
        check("checkin", first)
        self.assertRegex(first["ticket"], r"^J\d{3}$")
        self.assertTrue(first["checked_in_at"].startswith(sim.server_today().isoformat()))
        # The same check-in again (a new key, the tokens in the other order): the same ticket.
        st, _, again = self.checkin(number, list(reversed(tokens)), "JJ01")
        self.assertEqual((st, again), (200, first))
        self.assertEqual(self.listed(tokens[1], number)["status"], "CHECKED_IN")
        # Less than a day before its start: no cancel.
        self.refused(sim.request("POST", "/marriage/bookings/%s/cancel" % number,
                                 {"citizen": tokens[0]}, key=new_key()), 422, "TOO_LATE")

    def test_today_follows_the_server_clock(self):
        sim = self.sim
        sim.set_time_offset(5 * 86400)
        ids = couple()
        number = sim.admin_booking("DIVORCE", "JJ03", "today", ids, hhmm=1500)
        tokens = [sim.lookup(i) for i in ids]
        booking = self.listed(tokens[0], number)
        self.assertEqual(booking["start"][:10], sim.server_today().isoformat())
        st, _, body = self.checkin(number, tokens, "JJ03")
        self.assertEqual(st, 200, body)
        # Back to the real today: the booking is for another day.
        sim.set_time_offset(0)
        self.refused(self.checkin(number, [sim.lookup(i) for i in ids], "JJ03"), 422, "NOT_TODAY")

    def test_tomorrow_is_not_today(self):
        sim = self.sim
        ids = couple()
        tomorrow = sim.server_today() + datetime.timedelta(days=1)
        number = sim.admin_booking("MARRIAGE", "JJ02", tomorrow, ids, hhmm=1000)
        self.refused(self.checkin(number, [sim.lookup(i) for i in ids], "JJ02"), 422, "NOT_TODAY")

    def test_cancelled(self):
        sim = self.sim
        ids = couple()
        number = sim.admin_booking("MARRIAGE", "JJ01", "today", ids, status="CANCELLED")
        tokens = [sim.lookup(i) for i in ids]
        self.refused(self.checkin(number, tokens, "JJ01"), 422, "CANCELLED")
        self.assertEqual(self.listed(tokens[0], number)["status"], "CANCELLED")

    def test_checked_in_has_a_ticket(self):
        sim = self.sim
        ids = couple()
        number = sim.admin_booking("MARRIAGE", "JJ02", sim.server_today(), ids,
                                   status="CHECKED_IN")
        tokens = [sim.lookup(i) for i in ids]
        self.assertEqual(self.listed(tokens[0], number)["status"], "CHECKED_IN")
        st, _, body = self.checkin(number, tokens, "JJ02")
        self.assertEqual(st, 200, body)
        self.assertRegex(body["ticket"], r"^J\d{3}$")

    def test_listed_and_cancelled_like_any_other(self):
        sim = self.sim
        day = sim.working_days_ahead(3)
        man = make_id(born(40, day), True)
        number = sim.admin_booking("REISSUE", "JJ02", day.isoformat(), [man], hhmm=1400)
        token = sim.lookup(man)
        booking = self.listed(token, number)
        self.assertEqual((booking["type"], booking["office"], booking["status"]),
                         ("REISSUE", "JJ02", "BOOKED"))
        self.assertEqual(booking["slot"], "JJ02-%s-1400" % day.strftime("%Y%m%d"))
        start = datetime.datetime(day.year, day.month, day.day, 14, tzinfo=TZ)
        self.assertEqual(datetime.datetime.fromisoformat(booking["start"]), start)
        st, _, body = sim.request("POST", "/marriage/bookings/%s/cancel" % number,
                                  {"citizen": token}, key=new_key())
        self.assertEqual(st, 200, body)
        self.assertEqual(check("booking", body)["booking"]["status"], "CANCELLED")

    def test_rules_bypassed(self):
        """Under age on the day, a full slot: the admin port does not ask."""
        sim = self.sim
        man21 = make_id(born(22, sim.server_today(), 1), True)  # 22 tomorrow
        woman = make_id(born(30, datetime.date.today()), False)
        number = sim.admin_booking("MARRIAGE", "JJ03", "today", [man21, woman], hhmm=1100)
        st, _, body = self.checkin(number, [sim.lookup(man21), sim.lookup(woman)], "JJ03")
        self.assertEqual(st, 200, body)
        # The demo's full slot (JJ01 09:00 on the third working day ahead) takes a fifth.
        day = sim.working_days_ahead(3)
        full = "JJ01-%s-0900" % day.strftime("%Y%m%d")
        man = make_id(born(50, datetime.date.today()), True)
        number = sim.admin_booking("REISSUE", "JJ01", day, [man])
        self.assertEqual(self.listed(sim.lookup(man), number)["slot"], full)
        listed = [s for s in sim.slots("JJ01", day.isoformat(), day.isoformat())
                  if s["slot"] == full]
        self.assertEqual(listed[0]["remaining"], 0)

    def test_bad_requests(self):
        sim = self.sim
        ids = couple()
        good = {"type": "MARRIAGE", "office": "JJ01", "date": "today", "hhmm": 900,
                "parties": ids}
        bad_check = ids[0][:17] + ("0" if ids[0][17] != "0" else "1")
        unborn = make_id(datetime.date.today() + datetime.timedelta(days=400), True)
        cases = [
            ({"type": "WEDDING"}, "type"),
            ({"type": None}, "type"),
            ({"office": ""}, "office"),
            ({"date": "tomorrow"}, "date"),
            ({"date": "2026-02-30"}, "date"),
            ({"date": 20261201}, "date"),
            ({"hhmm": 1230}, "hhmm"),
            ({"hhmm": "900"}, "hhmm"),
            ({"hhmm": -100}, "hhmm"),
            ({"parties": ids[:1]}, "parties"),
            ({"parties": ids + [make_id(born(30, datetime.date.today()), True)]}, "parties"),
            ({"parties": []}, "parties"),
            ({"parties": ids[0]}, "parties"),
            ({"parties": [ids[0], bad_check]}, "parties[1]"),
            ({"parties": [ids[0], "12345"]}, "parties[1]"),
            ({"parties": [unborn, ids[1]]}, "parties[0]"),
            ({"parties": [ids[0], 42]}, "parties[1]"),
            ({"parties": [ids[0], ids[0]]}, "parties"),
            ({"type": "REISSUE", "parties": []}, "parties"),
            ({"status": "DONE"}, "status"),
        ]
        before = sim.stats()["bookings"]
        for change, field in cases:
            with self.subTest(change=change):
                st, body = sim.admin("POST", "/admin/bookings", {**good, **change})
                self.assertEqual(st, 400, body)
                check_error(body, "BAD_REQUEST")
                self.assertTrue(body["error"]["message"].startswith(field + ":"), body)
        for missing in ("type", "office", "date", "parties"):
            with self.subTest(missing=missing):
                body = {k: v for k, v in good.items() if k != missing}
                st, answer = sim.admin("POST", "/admin/bookings", body)
                self.assertEqual(st, 400, answer)
                check_error(answer, "BAD_REQUEST")
        st, body = sim.admin("POST", "/admin/bookings", {**good, "office": "JJ09"})
        self.assertEqual(st, 404, body)
        check_error(body, "NOT_FOUND")
        for raw in (b"", b"[]", b"{"):
            st, body = self.raw_admin(raw)
            self.assertEqual(st, 400, body)
        st, body = sim.admin("GET", "/admin/bookings")
        self.assertEqual(st, 404, body)
        self.assertEqual(sim.stats()["bookings"], before)
        # Optional members: hhmm defaults to 9:00, status to BOOKED (null as absent).
        body = {k: v for k, v in good.items() if k != "hhmm"}
        st, answer = sim.admin("POST", "/admin/bookings", {**body, "status": None})
        self.assertEqual(st, 200, answer)
        booking = self.listed(sim.lookup(ids[0]), answer["number"])
        self.assertEqual(booking["status"], "BOOKED")
        self.assertEqual(booking["start"][11:16], "09:00")
        self.assertEqual(sim.stats()["bookings"], before + 1)

    def raw_admin(self, data):
        """POST /admin/bookings with a body as given (bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.sim.admin_port, timeout=10)
        try:
            conn.request("POST", "/admin/bookings", body=data,
                         headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
        finally:
            conn.close()


if __name__ == "__main__":
    run_tests()
