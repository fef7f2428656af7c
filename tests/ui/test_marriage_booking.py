# SPDX-License-Identifier: GPL-3.0-or-later
"""婚姻登记预约 end to end: the real kiosk, two virtual cards inserted one after
the other into a private pcscd's reader, and district-sim over mutual TLS.
(Needs root: pcscd.)"""
import datetime
import json
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import all_text, check, has_widget, main, run_kiosk, widget, write_holder  # noqa: E402
from sim_env import SimEnv, add_years, make_id  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-marry-")

# The first party (the card that opens the session) and the bride.
GROOM, BRIDE = "zhang", "rare"


def to_checks(kind=0, second=BRIDE, shots=False, expect="book-checks"):
    """Card in, 婚姻登记预约, a kind, the holder's card out, the second card in."""
    return """
        card %s
        wait-no-widget lookup-status 15000
        tap btn-marry
        wait-screen book-kind 5000
        dump kind
        %s
        tap btn-kind-%d
        wait-screen book-card 5000
        dump card
        %s
        remove-card expect=book-card
        card %s expect=%s
    """ % (GROOM, "screenshot book-kind" if shots else "", kind,
           "screenshot book-card" if shots else "", second, expect)


def to_review(shots=False):
    s = lambda name: ("screenshot %s" % name) if shots else ""  # noqa: E731
    return to_checks(shots=shots) + """
        wait-widget btn-next 15000
        dump checks
        %s
        tap btn-next
        wait-screen book-office 5000
        wait-widget btn-office-0 15000
        dump office
        %s
        tap btn-office-0
        wait-screen book-date 5000
        wait-no-widget slots-status 15000
        dump date
        %s
        tap-first day-
        wait-screen book-slot 5000
        dump slot
        %s
        tap-first btn-slot-
        wait-screen book-phone 5000
        tap key-1
        tap key-3
        tap key-8
        tap key-0
        tap key-0
        tap key-1
        tap key-3
        tap key-8
        tap key-0
        tap key-0
        tap key-1
        dump phone-a
        %s
        tap btn-next
        wait-screen book-phone 5000
        tap key-1
        tap key-3
        tap key-9
        tap key-0
        tap key-0
        tap key-1
        tap key-3
        tap key-9
        tap key-0
        tap key-0
        tap key-2
        tap btn-next
        wait-screen book-review 5000
        tap-if btn-page-next
        tap-if btn-page-next
        tap-if btn-page-next
        tap-if btn-page-next
        wait-widget btn-confirm 15000
        dump review
        %s
    """ % (s("book-checks"), s("book-office"), s("book-date"), s("book-slot"), s("book-phone"),
           s("book-review"))


def test_marriage_booking_end_to_end():
    with SimEnv(os.path.join(TMP, "e2e")) as sim:
        before = sim.stats()["bookings"]
        r = run_kiosk("marriage", "book-e2e", to_review(shots=True) + """
            tap btn-confirm
            tap-if btn-confirm
            wait-screen booked 20000
            dump booked
            screenshot booked
            quit
        """, config=backend_ini(sim))
        after = sim.stats()["bookings"]
    check(r["card"]["session"] is not None, "no session during the booking")
    c = r["checks"]
    check(c["marriage"]["why"] == "marriage.why_ok", "checks: %s" % c["marriage"]["why"])
    check(c["marriage"]["parties"] == 2 and c["marriage"]["tokens"] == 2, "parties/tokens: %r"
          % c["marriage"])
    b = r["booked"]
    number = b["marriage"]["number"]
    check(widget(b, "booking-number")["text"] == number, "number not shown large")
    qr = widget(b, "booking-qr")
    check(qr["kind"] == "qr" and qr["text"] == number, "QR code: %r" % qr)
    check("户口簿" in all_text(b), "what to bring is missing")
    check(after == before + 1, "bookings: %d → %d" % (before, after))
    # Nothing cut off, overlapping or too close on any step.
    from test_layout import check_screen
    for name in ("card", "checks", "date", "slot", "review", "booked"):
        check_screen("marriage " + name, r[name])
    review = all_text(r["review"])
    check("138 0013 8001" in review and "139 0013 9002" in review, "phones not read back")
    # Personal data never reaches the log: ID numbers, names, phones, tokens.
    for secret in ("110105198503151230", "330106200002292489", "张伟", "张䶮", "13800138001",
                   "13900139002"):
        check(secret not in r.stderr, "%r is in the kiosk's log" % secret)
    for name in ("card", "checks", "review", "booked"):
        check("110105198503151230" not in json.dumps(r[name], ensure_ascii=False),
              "the full ID number is in the %s dump" % name)


def test_elderly_and_landscape_layout():
    # 长者模式 and landscape panels: every step fits, nothing overlaps or is cut off.
    from test_layout import check_screen
    with SimEnv(os.path.join(TMP, "elderly")) as sim:
        for tag, elderly, w, h in (("elderly-portrait", True, 1080, 1920),
                                   ("standard-landscape", False, 1920, 1080),
                                   ("elderly-landscape", True, 1920, 1080)):
            script = to_review()
            if elderly:
                script = script.replace("tap btn-marry", "tap btn-elderly\n        tap btn-marry")
            r = run_kiosk("marriage", "book-" + tag, script + """
                screenshot book-review-%s
                quit
            """ % tag, config=backend_ini(sim), width=w, height=h)
            for name in ("kind", "card", "checks", "office", "date", "slot", "phone-a", "review"):
                check(r[name]["elderly"] is elderly, "elderly mode changed on " + name)
                check_screen("%s %s" % (tag, name), r[name])


def person(tag, male, birth):
    """A holder file for someone born on `birth` (a date), valid ID number and all."""
    idnum = make_id(birth, male)
    return write_holder(os.path.join(TMP, "%s.ini" % tag), "测试" + tag[:2], idnum,
                        "M" if male else "F", birth), idnum


def test_under_age_party_refused():
    # A woman who turns 20 only after the last bookable day (today + 30): refused, with the
    # day from which she may book; a man who turns 22 inside the window: the calendar starts
    # on his birthday.
    today = datetime.date.today()
    late, _ = person("late", False, add_years(today + datetime.timedelta(days=45), -20))
    soon_day = today + datetime.timedelta(days=12)
    soon, _ = person("soon", True, add_years(soon_day, -22))
    with SimEnv(os.path.join(TMP, "age")) as sim:
        r = run_kiosk("marriage", "book-under-age", to_checks(second=late) + """
            wait-widget btn-again 15000
            dump refused
            screenshot book-under-age
            quit
        """, config=backend_ini(sim))
        r2 = run_kiosk("marriage", "book-age-from", to_checks(second=soon) + """
            wait-widget btn-next 15000
            dump checks
            tap btn-next
            wait-widget btn-office-0 15000
            tap btn-office-0
            wait-widget month 15000
            dump date
            tap-if btn-month-next
            dump date2
            quit
        """, config=backend_ini(sim))
    d = r["refused"]
    check(d["marriage"]["why"] == "marriage.why_under_age_woman", d["marriage"]["why"])
    check(not has_widget(d, "btn-next"), "an under-age pair may go on")
    check("20周岁" in widget(d, "check-refused")["text"], "the rule is not explained")
    check(has_widget(d, "check-age-from"), "no date from which she may book")
    # Every bookable day offered is on or after the man's 22nd birthday.
    first = r2["date"]["marriage"]["first"]
    days = []
    for dump in (r2["date"], r2["date2"]):
        month = dump["marriage"]["month"]
        for w in dump["widgets"]:
            if w["kind"] == "button" and w["id"].startswith("day-") and w.get("enabled"):
                days.append(datetime.date(month // 100, month % 100, int(w["id"][4:])))
    check(days, "no bookable day at all")
    check(min(days) >= soon_day, "a day before his 22nd birthday is offered: %s" % min(days))
    check(has_widget(r2["checks"], "check-age-from"), "the later start is not explained")
    check(first < int(soon_day.strftime("%Y%m%d")), "window starts after the birthday anyway")


def test_same_person_twice_refused():
    with SimEnv(os.path.join(TMP, "same")) as sim:
        r = run_kiosk("marriage", "book-same", to_checks(second=GROOM, expect="book-card") + """
            wait-widget card-refused 15000
            dump same
            screenshot book-same-person
            quit
        """, config=backend_ini(sim))
    d = r["same"]
    check(d["screen"] == "book-card", "went on with the same person twice: %s" % d["screen"])
    check("同一个人" in widget(d, "card-refused")["text"], "not explained")
    check(d["marriage"]["parties"] == 1, "the same card counted twice")


def test_unreadable_second_card():
    # The other card cannot be read (not a social security card): said on the prompt, and
    # the right card then goes on as usual.
    with SimEnv(os.path.join(TMP, "unreadable")) as sim:
        r = run_kiosk("marriage", "book-unreadable", to_checks(second="rare --unknown",
                                                              expect="book-card") + """
            wait-widget notice 15000
            dump unread
            remove-card expect=book-card
            card rare expect=book-checks
            wait-widget btn-next 15000
            dump checks
            quit
        """, config=backend_ini(sim))
    check(r["unread"]["marriage"]["notice"] == "marry.notice_card_error", "no word on the card")
    check("重新插入" in widget(r["unread"], "notice")["text"], widget(r["unread"], "notice")["text"])
    check(r["checks"]["marriage"]["why"] == "marriage.why_ok", "the right card did not go on")


def _dump(run_name, name):
    from harness import ARTIFACTS
    with open(os.path.join(ARTIFACTS, "marriage", run_name, name + ".json")) as f:
        return json.load(f)


def test_slot_taken_by_another_kiosk():
    with SimEnv(os.path.join(TMP, "taken")) as sim:
        before = sim.stats()["bookings"]

        def fill():
            # Another kiosk books every place left in the chosen slot (real signed requests).
            slot = _dump("book-taken", "review")["marriage"]["slot"]
            day = _dump("book-taken", "review")["marriage"]["date"]
            iso = "%04d-%02d-%02d" % (day // 10000, day // 100 % 100, day % 100)
            left = [x for x in sim.slots("JJ01", iso, iso, "REISSUE") if x["slot"] == slot][0]
            for i in range(left["remaining"]):
                tok = sim.lookup(make_id(datetime.date(1980, 1, 1 + i), True))
                st, _, body = sim.book("REISSUE", slot, [tok], phones=["13700000000"])
                assert st == 201, (st, body)
            fill.count = left["remaining"]

        r = run_kiosk("marriage", "book-taken", to_review() + """
            hook fill
            tap btn-confirm
            wait-screen book-slot 20000
            wait-widget btn-slot-0 15000
            dump again
            screenshot book-slot-taken
            tap-first btn-slot-
            wait-screen book-phone 5000
            dump phone
            tap btn-next
            wait-screen book-phone 5000
            tap btn-next
            wait-screen book-review 5000
            wait-widget btn-confirm 15000
            tap btn-confirm
            wait-screen booked 20000
            dump booked
            quit
        """, config=backend_ini(sim), hooks={"fill": fill})
        after = sim.stats()["bookings"]
    a = r["again"]
    check(a["marriage"]["notice"] == "marry.notice_slot_taken", "no word on the lost slot")
    taken = r["review"]["marriage"]["slot"]
    texts = [w for w in a["widgets"] if w["id"].startswith("btn-slot-") and "已约满" in w["text"]]
    check(texts, "the filled slot is not shown as full")
    check(r["phone"]["marriage"]["field_len"] == 11, "the phone typed before was lost")
    check(r["booked"]["marriage"]["slot"] != taken, "booked the slot that was full")
    check(after == before + fill.count + 1, "bookings: %d → %d (+%d by the other kiosk)"
          % (before, after, fill.count))
    check(r["booked"]["screen"] == "booked", "no booking in the end")
    check(taken, "no slot chosen")


def test_lost_response_still_one_booking():
    with SimEnv(os.path.join(TMP, "lost")) as sim:
        before = sim.stats()["bookings"]

        def drop():
            # The server commits the booking, then the connection drops before the answer.
            sim.fault("/kiosk/v1/marriage/bookings", "drop_after_commit", method="POST", count=1)

        r = run_kiosk("marriage", "book-lost", to_review() + """
            hook drop
            tap btn-confirm
            wait-screen booked 30000
            dump booked
            quit
        """, config=backend_ini(sim), hooks={"drop": drop})
        after = sim.stats()["bookings"]
    check(after == before + 1, "bookings: %d → %d" % (before, after))
    check(r["booked"]["marriage"]["number"].startswith("JJ"), "no booking number")
    check("booking made (replayed answer)" in r.stderr, "the retry was not answered from the record")


def test_second_card_timeout():
    # The first card is out and the other never comes: the booking ends, and with no card
    # in the reader the session ends too (no one's session is left open on the screen).
    with SimEnv(os.path.join(TMP, "timeout")) as sim:
        r = run_kiosk("marriage", "book-timeout", """
            card zhang
            wait-no-widget lookup-status 15000
            tap btn-marry
            wait-screen book-kind 5000
            tap btn-kind-0
            wait-screen book-card 5000
            remove-card expect=book-card
            wait 15000
            dump waiting
            wait-screen message 40000
            dump timeout
            screenshot book-card-timeout
            tap btn-home
            wait-screen idle 5000
            dump after
            quit
        """, config=backend_ini(sim) + "\n[kiosk]\nidle_timeout_s = 10\ncountdown_s = 20\n"
            "[marriage]\nsecond_card_timeout_s = 35\n")
    # Waiting for the other card is not inactivity: no "还要继续吗？" before the card's timeout.
    check(r["waiting"]["session"]["state"] == "active", "countdown while waiting for the card")
    t = r["timeout"]
    check("没有等到" in widget(t, "msg-title")["text"], widget(t, "msg-title")["text"])
    check(t["session"] is None, "the session outlived the booking without a card")
    check(r["after"]["screen"] == "idle" and r["after"]["marriage"]["mode"] == "none",
          "the booking was not ended")


def test_card_out_ends_session_outside_the_booking():
    # Taking the card out keeps the session only while the cards change hands: back on the
    # menu (返回 from the other card's prompt) the session ends at once.
    with SimEnv(os.path.join(TMP, "cardout")) as sim:
        r = run_kiosk("marriage", "book-card-out", """
            card zhang
            wait-no-widget lookup-status 15000
            tap btn-marry
            wait-screen book-kind 5000
            tap btn-kind-0
            wait-screen book-card 5000
            remove-card expect=book-card
            dump kept
            tap btn-back
            wait-screen idle 5000
            dump ended
            quit
        """, config=backend_ini(sim))
    check(r["kept"]["session"] is not None, "the session ended when the first card came out")
    check(r["ended"]["session"] is None, "a session without its card outlived the booking")


if __name__ == "__main__":
    main([test_marriage_booking_end_to_end, test_under_age_party_refused,
          test_same_person_twice_refused, test_slot_taken_by_another_kiosk,
          test_lost_response_still_one_booking, test_second_card_timeout,
          test_card_out_ends_session_outside_the_booking, test_unreadable_second_card,
          test_elderly_and_landscape_layout])
