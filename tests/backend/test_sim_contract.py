# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim answers exactly the shapes of docs/backend-api.md, for every endpoint,
over real mutual TLS."""
import datetime
import hashlib
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import (AMOUNT_KEYS, PARAMS, POLICY_CODES, PROGRAMME_CODES,  # noqa: E402
                             STATUSES, check, check_error)
from sim_env import add_years, make_id, new_key, SimTest, run_tests  # noqa: E402

ZHANG_WEI = "110105198503151230"
MAIMAITI = "650102197906070357"
ZHANG_YAN = "330106200002292489"
# Demo citizens whose programmes together cover every code and status.
DEMO_WITH_PROGRAMMES = [ZHANG_WEI, MAIMAITI, "500116195203120027", "500116194005060014",
                        "500116199007080046", "50011620120315003X", "500116201508200026",
                        "500116198811110029", "500116197702020011", "50011619830404002X",
                        "500116196512120017", "500116197009090011", "500116201001010020",
                        "500116193801150024", "500116192501010033", "500116198506060010"]


def adult(male, years=30):
    return make_id(add_years(datetime.date.today(), -years) - datetime.timedelta(days=40), male)


class Contract(SimTest):

    # ---- citizens ------------------------------------------------------------------

    def test_lookup_known(self):
        st, h, body = self.sim.request("POST", "/citizens/lookup",
                                       {"id_number": ZHANG_WEI, "card_kind": "SSC3",
                                        "card_number": "A00000001"})
        self.assertEqual(st, 200, body)
        self.assertTrue(h["content-type"].startswith("application/json"))
        check("lookup", body)
        today = self.sim.server_today()
        age = today.year - 1985 - ((today.month, today.day) < (3, 15))
        self.assertEqual((body["name_masked"], body["sex"], body["known"], body["age"],
                          body["expires_in"]), ("张*", "M", True, age, 600))
        body = check("lookup", self._lookup(MAIMAITI))
        self.assertEqual(body["name_masked"], "买*****")
        body = check("lookup", self._lookup(ZHANG_YAN))
        self.assertEqual((body["name_masked"], body["sex"], body["known"]), ("张*", "F", True))

    def _lookup(self, id_number, kind="SSC1"):
        st, _, body = self.sim.request("POST", "/citizens/lookup",
                                       {"id_number": id_number, "card_kind": kind,
                                        "card_number": "X1"})
        self.assertEqual(st, 200, body)
        return body

    def test_lookup_unknown_valid_id(self):
        body = check("lookup", self._lookup(make_id(datetime.date(1990, 5, 5), False, "310101")))
        self.assertEqual((body["known"], body["name_masked"], body["sex"]), (False, None, "F"))
        st, _, ass = self.sim.request("GET", "/citizens/%s/assistance" % body["citizen"])
        self.assertEqual(st, 200)
        check("assistance", ass)
        self.assertEqual(ass["programmes"], [])

    def test_lookup_lower_case_x(self):
        body = check("lookup", self._lookup("50011620120315003x", "SSC2"))
        self.assertTrue(body["known"])

    def test_lookup_errors(self):
        cases = [
            ({"id_number": ZHANG_WEI[:17] + "1", "card_kind": "SSC3", "card_number": "A"},
             422, "INVALID_ID"),  # check digit
            ({"id_number": "110105198502301236", "card_kind": "SSC3", "card_number": "A"},
             422, "INVALID_ID"),  # 30 February (with a matching check digit)
            ({"card_kind": "SSC3", "card_number": "A"}, 400, "BAD_REQUEST"),
            ({"id_number": ZHANG_WEI, "card_kind": "SSC9", "card_number": "A"}, 400,
             "BAD_REQUEST"),
            ({"id_number": ZHANG_WEI, "card_kind": "SSC3", "card_number": ""}, 400,
             "BAD_REQUEST"),
            ({"id_number": ZHANG_WEI, "card_kind": "SSC3", "card_number": "A" * 21}, 400,
             "BAD_REQUEST"),
            ({"id_number": 110105198503151230, "card_kind": "SSC3", "card_number": "A"}, 400,
             "BAD_REQUEST"),
            ({"id_number": ZHANG_WEI[:17], "card_kind": "SSC3", "card_number": "A"}, 400,
             "BAD_REQUEST"),
            ("{not json", 400, "BAD_REQUEST"),
            ("[1,2]", 400, "BAD_REQUEST"),
            ('{"id_number": "%s"} trailing' % ZHANG_WEI, 400, "BAD_REQUEST"),
        ]
        first17 = "11010519850230123"
        from sim_env import id_check
        cases[1][0]["id_number"] = first17 + id_check(first17)
        for body, status, code in cases:
            st, _, answer = self.sim.request("POST", "/citizens/lookup", body)
            self.assertEqual(st, status, (body, answer))
            check_error(answer, code)
        st, _, answer = self.sim.request("POST", "/citizens/lookup", {"card_kind": "SSC3",
                                                                       "card_number": "A"})
        self.assertIn("id_number", answer["error"]["message"])

    def test_assistance_every_code_and_status(self):
        codes, statuses = set(), set()
        for id_number in DEMO_WITH_PROGRAMMES:
            token = self.sim.lookup(id_number)
            st, _, body = self.sim.request("GET", "/citizens/%s/assistance" % token)
            self.assertEqual(st, 200, body)
            check("assistance", body)
            self.assertEqual(body["as_of"], self.sim.server_today().isoformat())
            self.assertTrue(body["programmes"], id_number)
            for p in body["programmes"]:
                codes.add(p["code"])
                statuses.add(p["status"])
                months = [x["month"] for x in p["payments"]]
                self.assertEqual(months, sorted(months, reverse=True), "newest first")
                if p["status"] in ("APPLIED", "ACCEPTED", "REVIEWING") or p["code"] == "LINSHI":
                    self.assertIsNone(p["monthly_amount_fen"], p)
                if p["status"] == "GRADUAL_EXIT":
                    self.assertIsNotNone(p["gradual_exit_until"])
                else:
                    self.assertIsNone(p["gradual_exit_until"])
        self.assertEqual(codes, set(PROGRAMME_CODES))
        self.assertEqual(statuses, set(STATUSES))

    def test_assistance_fixtures(self):
        def programmes(id_number):
            token = self.sim.lookup(id_number)
            st, _, body = self.sim.request("GET", "/citizens/%s/assistance" % token)
            self.assertEqual(st, 200)
            return {p["code"]: p for p in check("assistance", body)["programmes"]}

        zw = programmes(ZHANG_WEI)
        self.assertEqual(list(zw), ["DIBAO_URBAN"])
        self.assertEqual(zw["DIBAO_URBAN"]["status"], "PAYING")
        self.assertGreaterEqual(len(zw["DIBAO_URBAN"]["payments"]), 6)
        mm = programmes(MAIMAITI)
        self.assertEqual(mm["DIBAO_RURAL"]["status"], "GRADUAL_EXIT")
        until = datetime.date.fromisoformat(mm["DIBAO_RURAL"]["gradual_exit_until"])
        days = (until - self.sim.server_today()).days
        self.assertTrue(90 <= days <= 125, days)
        self.assertEqual(mm["CANJI_HULI"]["status"], "PAYING")
        self.assertEqual(programmes(ZHANG_YAN), {})

    def test_assistance_bad_token(self):
        for token in ("0" * 32, "nothex"):
            st, _, body = self.sim.request("GET", "/citizens/%s/assistance" % token)
            self.assertEqual(st, 401)
            check_error(body, "TOKEN_EXPIRED")

    # ---- policies and offices ----------------------------------------------------------

    def test_policies_and_etag(self):
        st, h, raw = self.sim.request("GET", "/policies", raw=True)
        self.assertEqual(st, 200)
        self.assertEqual(h["etag"], '"%s"' % hashlib.sha256(raw).hexdigest())
        import json
        body = check("policies", json.loads(raw))
        self.assertEqual(body["effective"], "2020-01-01")
        self.assertIn("十四五", body["source"])
        self.assertEqual([p["code"] for p in body["programmes"]], list(POLICY_CODES))
        keys = {a["key"]: a["amount_fen"] for p in body["programmes"] for a in p["amounts"]}
        self.assertTrue(set(AMOUNT_KEYS) <= set(keys), keys)
        self.assertEqual((keys["URBAN"], keys["RURAL"], keys["TEKUN"], keys["JIZHONG"],
                          keys["SANJU"]), (62000, 49600, 80600, 145600, 125600))
        params = {}
        for p in body["programmes"]:
            params.update(p["params"])
            if p["source"] != body["source"]:
                self.assertEqual(p["source"], "演示数据，非官方")
        self.assertEqual({k: params[k] for k in PARAMS},
                         {"gradual_exit_permille": 1500, "gradual_exit_months": 6,
                          "tekun_minor_age": 18})

        st, h2, raw2 = self.sim.request("GET", "/policies", headers={"If-None-Match": h["etag"]},
                                        raw=True)
        self.assertEqual((st, raw2, h2["etag"]), (304, b"", h["etag"]))
        st, _, _ = self.sim.request("GET", "/policies", headers={"If-None-Match": '"other"'})
        self.assertEqual(st, 200)

    def test_offices(self):
        st, _, body = self.sim.request("GET", "/marriage/offices")
        self.assertEqual(st, 200)
        codes = [o["code"] for o in check("offices", body)["offices"]]
        self.assertEqual(codes[:2], ["JJ01", "JJ02"])
        self.assertTrue(all(o["address"] and o["hours"] for o in body["offices"]))

    # ---- slots ---------------------------------------------------------------------------

    def _slots(self, query):
        return self.sim.request("GET", "/marriage/slots?" + query)

    def test_slots(self):
        today = self.sim.server_today()
        frm, to = today, today + datetime.timedelta(days=61)
        st, _, body = self._slots("office=JJ01&from=%s&to=%s&type=MARRIAGE" % (frm, to))
        self.assertEqual(st, 200, body)
        slots = check("slots", body)["slots"]
        starts = [s["start"] for s in slots]
        self.assertEqual(starts, sorted(starts))
        for s in slots:
            day = datetime.date.fromisoformat(s["start"][:10])
            self.assertTrue(frm <= day <= to)
            self.assertLess(day.weekday(), 5)
            self.assertTrue(0 <= s["remaining"] <= s["capacity"])
        # The demo data has a full slot: JJ01, third working day ahead, 09:00.
        full = self.sim.working_days_ahead(3)
        first = [s for s in slots if s["start"].startswith(full.isoformat())][0]
        self.assertEqual((first["slot"], first["remaining"]),
                         ("JJ01-%s-0900" % full.strftime("%Y%m%d"), 0))
        for type_ in ("DIVORCE", "REISSUE"):
            st, _, body = self._slots("office=JJ02&from=%s&to=%s&type=%s" % (frm, frm, type_))
            self.assertEqual(st, 200)
            check("slots", body)

    def test_slots_errors(self):
        today = self.sim.server_today()
        d = today.isoformat()
        cases = [
            ("office=JJ01&from=%s&to=%s&type=WEDDING" % (d, d), 400, "BAD_REQUEST"),
            ("office=JJ01&from=%s&to=%s" % (d, d), 400, "BAD_REQUEST"),
            ("office=JJ99&from=%s&to=%s&type=MARRIAGE" % (d, d), 404, "NOT_FOUND"),
            ("office=JJ01&from=%s&to=%s&type=MARRIAGE"
             % (d, today + datetime.timedelta(days=62)), 400, "BAD_REQUEST"),
            ("office=JJ01&from=%s&to=%s&type=MARRIAGE"
             % (d, today - datetime.timedelta(days=1)), 400, "BAD_REQUEST"),
            ("office=JJ01&from=2026-02-30&to=%s&type=MARRIAGE" % d, 400, "BAD_REQUEST"),
            ("office=JJ01&from=tomorrow&to=%s&type=MARRIAGE" % d, 400, "BAD_REQUEST"),
        ]
        for query, status, code in cases:
            st, _, body = self._slots(query)
            self.assertEqual(st, status, (query, body))
            check_error(body, code)

    # ---- bookings --------------------------------------------------------------------------

    def test_booking_lifecycle(self):
        sim = self.sim
        man, woman = sim.lookup(adult(True)), sim.lookup(adult(False))
        slots = sim.open_slots("JJ02")
        st, _, body = sim.book("MARRIAGE", slots[0]["slot"], [man, woman])
        self.assertEqual(st, 201, body)
        b = check("booking", body)["booking"]
        self.assertEqual((b["type"], b["office"], b["slot"], b["status"], b["start"],
                          b["second_window"]),
                         ("MARRIAGE", "JJ02", slots[0]["slot"], "BOOKED", slots[0]["start"], None))
        self.assertEqual(b["office_name"], "江津区婚姻登记处白沙服务点")
        self.assertRegex(b["number"], r"^JJ\d{10}$")

        for token in (man, woman):
            st, _, body = sim.request("GET", "/citizens/%s/marriage/bookings" % token)
            self.assertEqual(st, 200)
            self.assertEqual(check("bookings", body)["bookings"][0]["number"], b["number"])

        target = slots[-1]["slot"]
        st, _, body = sim.request("POST", "/marriage/bookings/%s/reschedule" % b["number"],
                                  {"citizen": woman, "slot": target}, key=new_key())
        self.assertEqual(st, 200, body)
        moved = check("booking", body)["booking"]
        self.assertEqual((moved["number"], moved["slot"], moved["status"]),
                         (b["number"], target, "BOOKED"))

        st, _, body = sim.request("POST", "/marriage/bookings/%s/cancel" % b["number"],
                                  {"citizen": man}, key=new_key())
        self.assertEqual(st, 200, body)
        self.assertEqual(check("booking", body)["booking"]["status"], "CANCELLED")
        st, _, body = sim.request("GET", "/citizens/%s/marriage/bookings" % man)
        self.assertEqual([x["status"] for x in check("bookings", body)["bookings"]],
                         ["CANCELLED"])

    def test_divorce_and_reissue(self):
        sim = self.sim
        a, b = sim.lookup(adult(True, 40)), sim.lookup(adult(False, 38))
        slot = sim.open_slots("JJ01", "DIVORCE")[1]
        st, _, body = sim.book("DIVORCE", slot["slot"], [a, b])
        self.assertEqual(st, 201, body)
        bk = check("booking", body)["booking"]
        start = datetime.date.fromisoformat(bk["start"][:10])
        self.assertEqual(bk["second_window"],
                         {"from": (start + datetime.timedelta(days=30)).isoformat(),
                          "to": (start + datetime.timedelta(days=60)).isoformat()})
        c = sim.lookup(adult(False, 50))
        st, _, body = sim.book("REISSUE", sim.open_slots("JJ03", "REISSUE")[0]["slot"], [c])
        self.assertEqual(st, 201, body)
        self.assertIsNone(check("booking", body)["booking"]["second_window"])
        st, _, body = sim.book("MARRIAGE", slot["slot"], [sim.lookup(adult(True))])
        self.assertEqual(st, 400)
        check_error(body, "BAD_REQUEST")

    def test_booking_bad_requests(self):
        sim = self.sim
        a, b = sim.lookup(adult(True)), sim.lookup(adult(False))
        slot = sim.open_slots("JJ01")[0]["slot"]
        bad = [
            {"type": "WEDDING", "slot": slot, "parties": []},
            {"type": "MARRIAGE", "slot": slot},
            {"type": "MARRIAGE", "slot": slot,
             "parties": [{"citizen": a, "phone": "12812345678"},
                         {"citizen": b, "phone": "13812345678"}]},
            {"type": "MARRIAGE", "slot": slot,
             "parties": [{"citizen": a, "phone": "1381234567"},
                         {"citizen": b, "phone": "13812345678"}]},
            {"type": "MARRIAGE", "slot": slot, "parties": [{"citizen": a}, {"citizen": b}]},
            {"type": "MARRIAGE", "slot": 5, "parties": []},
        ]
        for body in bad:
            st, _, answer = sim.request("POST", "/marriage/bookings", body, key=new_key())
            self.assertEqual(st, 400, (body, answer))
            check_error(answer, "BAD_REQUEST")
        st, _, answer = sim.book("MARRIAGE", "JJ01-20260231-0900", [a, b])
        self.assertEqual(st, 404)
        check_error(answer, "NOT_FOUND")
        st, _, answer = sim.request("POST", "/marriage/bookings/JJ0000000000/cancel",
                                    {"citizen": a}, key=new_key())
        self.assertEqual(st, 404)
        check_error(answer, "NOT_FOUND")

    # ---- heartbeat, unknown paths, keep-alive ------------------------------------------------

    def test_heartbeat(self):
        body = {"version": "0.1.0", "uptime_s": 3600, "mode": "service",
                "status": {"printer": "ok", "reader": "ok"}}
        st, _, answer = self.sim.request("POST", "/kiosks/JJ-0001/heartbeat", body)
        self.assertEqual(st, 200, answer)
        check("heartbeat", answer)
        self.assertLess(abs(answer["server_time"] - self.sim.server_time()), 5)
        st, _, answer = self.sim.request("POST", "/kiosks/JJ-0002/heartbeat", body)
        self.assertEqual(st, 401)
        check_error(answer, "CERT_UNKNOWN")
        for broken in ({**body, "mode": "x"}, {**body, "uptime_s": 1.5},
                       {**body, "status": {"a": 1}}, {**body, "version": 1}):
            st, _, answer = self.sim.request("POST", "/kiosks/JJ-0001/heartbeat", broken)
            self.assertEqual(st, 400, broken)
            check_error(answer, "BAD_REQUEST")

    def test_unknown_path_and_method(self):
        for method, path in (("GET", "/nothing"), ("DELETE", "/policies"),
                             ("POST", "/policies"), ("GET", "/citizens/lookup")):
            st, _, body = self.sim.request(method, path)
            self.assertEqual(st, 404, (method, path))
            check_error(body, "NOT_FOUND")

    def test_keep_alive(self):
        conn = self.sim.connection()
        try:
            for _ in range(5):
                st, h, _ = self.sim.request("GET", "/marriage/offices", conn=conn)
                self.assertEqual(st, 200)
                self.assertNotEqual(h.get("connection", "").lower(), "close")
        finally:
            conn.close()


if __name__ == "__main__":
    run_tests()
