# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim idempotent writes: replays byte for byte, mismatches, missing keys, and
persistence of bookings and idempotency records across a restart."""
import datetime
import os
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import check, check_error  # noqa: E402
from sim_env import add_years, make_id, new_key, SimTest, run_tests  # noqa: E402


def couple(sim, years=30):
    base = add_years(datetime.date.today(), -years) - datetime.timedelta(days=10)
    return sim.lookup(make_id(base, True)), sim.lookup(make_id(base, False))


def booking_body(slot, tokens, type_="MARRIAGE"):
    return {"type": type_, "slot": slot,
            "parties": [{"citizen": t, "phone": "1381234567%d" % i} for i, t in enumerate(tokens)]}


class Idempotency(SimTest):
    SIM_ARGS = dict(kiosks=("JJ-0002",))

    def post(self, path, body, key, **kw):
        return self.sim.request("POST", path, body, key=key, raw=True, **kw)

    def test_same_key_same_body_replays(self):
        sim = self.sim
        body = booking_body(sim.open_slots("JJ01")[0]["slot"], couple(sim))
        key = new_key()
        before = sim.stats()["bookings"]
        st1, h1, raw1 = self.post("/marriage/bookings", body, key)
        self.assertEqual(st1, 201, raw1)
        self.assertNotIn("idempotent-replay", h1)
        st2, h2, raw2 = self.post("/marriage/bookings", body, key)
        self.assertEqual((st2, raw2), (st1, raw1))
        self.assertEqual(h2.get("idempotent-replay"), "true")
        self.assertEqual(sim.stats()["bookings"], before + 1)

    def test_same_key_other_body(self):
        sim = self.sim
        tokens = couple(sim)
        slots = sim.open_slots("JJ02")
        key = new_key()
        st, _, _ = self.post("/marriage/bookings", booking_body(slots[0]["slot"], tokens), key)
        self.assertEqual(st, 201)
        before = sim.stats()
        st, _, body = sim.request("POST", "/marriage/bookings",
                                  booking_body(slots[1]["slot"], tokens), key=key)
        self.assertEqual(st, 409)
        check_error(body, "IDEMPOTENCY_MISMATCH")
        self.assertEqual(sim.stats()["bookings"], before["bookings"])

    def test_same_key_same_body_other_path(self):
        """A key is for one request: the same key and body on another booking's cancel
        is a mismatch, never the first booking's answer (and that booking stays)."""
        sim = self.sim
        slots = sim.open_slots("JJ03")
        t1, t2 = couple(sim), couple(sim)
        numbers = []
        for slot, tokens in ((slots[0], t1), (slots[1], t2)):
            st, _, body = sim.request("POST", "/marriage/bookings",
                                      booking_body(slot["slot"], tokens), key=new_key())
            self.assertEqual(st, 201, body)
            numbers.append((body["booking"]["number"], tokens[0]))
        key = new_key()
        # Both bookings' first party cancels with one body shape: {"citizen": token}.
        st, _, body = sim.request("POST", "/marriage/bookings/%s/cancel" % numbers[0][0],
                                  {"citizen": numbers[0][1]}, key=key)
        self.assertEqual(st, 200, body)
        st, _, body = sim.request("POST", "/marriage/bookings/%s/cancel" % numbers[1][0],
                                  {"citizen": numbers[0][1]}, key=key)
        self.assertEqual(st, 409, body)
        check_error(body, "IDEMPOTENCY_MISMATCH")
        st, _, listed = sim.request("GET", "/citizens/%s/marriage/bookings" % numbers[1][1])
        self.assertEqual([b["status"] for b in listed["bookings"]
                          if b["number"] == numbers[1][0]], ["BOOKED"])

    def test_missing_or_bad_key(self):
        sim = self.sim
        tokens = couple(sim)
        body = booking_body(sim.open_slots("JJ01")[0]["slot"], tokens)
        for path, b in (("/marriage/bookings", body),
                        ("/marriage/bookings/JJ2612010001/cancel", {"citizen": tokens[0]}),
                        ("/marriage/bookings/JJ2612010001/reschedule",
                         {"citizen": tokens[0], "slot": body["slot"]}),
                        ("/marriage/bookings/JJ2612010001/checkin",
                         {"citizens": list(tokens), "office": "JJ01"})):
            st, _, answer = sim.request("POST", path, b)
            self.assertEqual(st, 428, path)
            check_error(answer, "IDEMPOTENCY_KEY_REQUIRED")
        for bad in ("not-a-uuid", new_key().upper()):
            st, _, answer = sim.request("POST", "/marriage/bookings", body, key=bad)
            self.assertEqual(st, 400, bad)
            check_error(answer, "BAD_REQUEST")

    def test_keys_are_per_kiosk(self):
        sim = self.sim
        tokens = couple(sim)
        body = booking_body(sim.open_slots("JJ03")[0]["slot"], tokens)
        key = new_key()
        st, _, _ = self.post("/marriage/bookings", body, key)
        self.assertEqual(st, 201)
        base = os.path.join(sim.pki, "kiosks", "JJ-0002")
        st, h, answer = sim.request("POST", "/marriage/bookings", body, key=key,
                                    kiosk_id="JJ-0002", cert_files=(base + ".pem", base + ".key"))
        # Not a replay of JJ-0001's answer: a new attempt, refused by the rules.
        self.assertEqual(st, 422, answer)
        self.assertNotIn("idempotent-replay", h)
        check_error(answer, "ALREADY_BOOKED")

    def test_cancel_replay_and_new_key(self):
        sim = self.sim
        tokens = couple(sim)
        st, _, b = sim.book("MARRIAGE", sim.open_slots("JJ02")[-1]["slot"], tokens)
        self.assertEqual(st, 201, b)
        number = b["booking"]["number"]
        key = new_key()
        path = "/marriage/bookings/%s/cancel" % number
        st1, _, raw1 = self.post(path, {"citizen": tokens[1]}, key)
        self.assertEqual(st1, 200)
        st2, h2, raw2 = self.post(path, {"citizen": tokens[1]}, key)
        self.assertEqual((st2, raw2, h2.get("idempotent-replay")), (200, raw1, "true"))
        st, _, answer = sim.request("POST", path, {"citizen": tokens[1]}, key=new_key())
        self.assertEqual(st, 422)
        check_error(answer, "CANCELLED")

    def test_survives_restart(self):
        sim = self.sim
        tokens = couple(sim)
        body = booking_body(sim.open_slots("JJ01")[-1]["slot"], tokens)
        key = new_key()
        st, _, raw = self.post("/marriage/bookings", body, key)
        self.assertEqual(st, 201)
        number = check("booking", __import__("json").loads(raw))["booking"]["number"]
        count = sim.stats()["bookings"]
        self.assertEqual(sim.stop(), 0, "clean exit on SIGTERM")
        sim.start()
        self.assertEqual(sim.stats()["bookings"], count)
        st2, h2, raw2 = self.post("/marriage/bookings", body, key)
        self.assertEqual((st2, raw2, h2.get("idempotent-replay")), (201, raw, "true"))
        self.assertEqual(sim.stats()["bookings"], count)
        # The tokens are still valid (within 600 s) and the booking is listed.
        st, _, listed = sim.request("GET", "/citizens/%s/marriage/bookings" % tokens[0])
        self.assertEqual(st, 200)
        self.assertIn(number, [b["number"] for b in listed["bookings"]])


if __name__ == "__main__":
    run_tests()
