# SPDX-License-Identifier: GPL-3.0-or-later
"""签到取号 at the registry (mode = registry) end to end: both parties insert
their cards one after the other, the kiosk finds today's booking and shows the
queue ticket; checking in again shows the same ticket; and each case that
cannot check in says why. The real kiosk, virtual cards, district-sim over
mTLS; bookings for today are made through district-sim's admin port (the
public API forbids them). (Needs root: pcscd.)"""
import datetime
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import all_text, check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-checkin-")
ZHANG, RARE = "110105198503151230", "330106200002292489"


def config(sim, extra=""):
    """A registry kiosk at office JJ01 (the harness writes the first [kiosk] lines)."""
    return "[kiosk]\nmode = registry\n" + backend_ini(sim) + "\n[marriage]\noffice = JJ01\n" + extra


def checkin(name, sim, second="rare", expect="ticket", extra_cfg="", tail="", elderly=False,
            size=(1080, 1920)):
    return run_kiosk("marriage", name, """
        card zhang
        wait-no-widget lookup-status 15000
        %s
        dump menu
        tap btn-checkin
        wait-screen %s 20000
        dump first
        %s
    """ % ("tap btn-elderly" if elderly else "", "checkin-card" if second else "message", tail),
        config=config(sim, extra_cfg), width=size[0], height=size[1])


def test_check_in_and_again():
    with SimEnv(os.path.join(TMP, "ok")) as sim:
        sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE], hhmm=1000)
        tail = """
            screenshot checkin-card
            remove-card expect=checkin-card
            card rare expect=ticket
            dump ticket
            screenshot ticket
            quit
        """
        r = checkin("checkin-ok", sim, tail=tail)
        r2 = checkin("checkin-again", sim, tail=tail)
    check(has_widget(r["menu"], "btn-checkin"), "no 签到取号 on a registry kiosk's menu")
    t = r["ticket"]
    number = widget(t, "ticket-number")["text"]
    check(re.match(r"^J\d{3}$", number), "ticket: %r" % number)
    check("前面还有" in widget(t, "ticket-waiting")["text"], "no waiting count")
    t2 = r2["ticket"]
    check(widget(t2, "ticket-number")["text"] == number, "checking in again gave another ticket")
    check(has_widget(t2, "ticket-again"), "not told it is the same ticket")
    from test_layout import check_screen
    for name, d in (("card", r["first"]), ("ticket", t), ("again", t2)):
        check_screen("check-in " + name, d)


def test_elderly_landscape_layout():
    from test_layout import check_screen
    with SimEnv(os.path.join(TMP, "elderly")) as sim:
        sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE], hhmm=1000)
        r = checkin("checkin-elderly-landscape", sim, elderly=True, size=(1920, 1080), tail="""
            screenshot checkin-card-elderly-landscape
            remove-card expect=checkin-card
            card rare expect=ticket
            dump ticket
            screenshot ticket-elderly-landscape
            quit
        """)
    for name in ("menu", "first", "ticket"):
        check(r[name]["elderly"] is True, "elderly mode lost on " + name)
        check_screen("elderly landscape " + name, r[name])


def message_case(name, setup, body_word, second=None, extra_cfg="", tail=""):
    with SimEnv(os.path.join(TMP, name)) as sim:
        setup(sim)
        r = run_kiosk("marriage", name, """
            card zhang
            wait-no-widget lookup-status 15000
            tap btn-checkin
            %s
            wait-screen message 30000
            dump msg
            screenshot %s
            quit
        """ % (tail, name), config=config(sim, extra_cfg))
    d = r["msg"]
    from test_layout import check_screen
    check_screen(name, d)
    text = all_text(d)
    check(body_word in text, "%s: %r not in %r" % (name, body_word, text))
    return d


def test_no_booking():
    message_case("checkin-none", lambda sim: None, "没有找到")


def test_booking_on_another_day():
    day = datetime.date.today() + datetime.timedelta(days=3)
    d = message_case("checkin-other-day",
                     lambda sim: sim.admin_booking("MARRIAGE", "JJ01", day, [ZHANG, RARE]),
                     "不是今天")
    check("%d月%d日" % (day.month, day.day) in widget(d, "msg-detail")["text"],
          "the booked day is not named")


def test_booking_at_another_office():
    d = message_case("checkin-elsewhere",
                     lambda sim: sim.admin_booking("MARRIAGE", "JJ02", "today", [ZHANG, RARE]),
                     "不在这个登记处")
    check("白沙" in widget(d, "msg-detail")["text"], "the booked office is not named")


def test_booking_cancelled():
    message_case("checkin-cancelled",
                 lambda sim: sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE],
                                               status="CANCELLED"),
                 "已经取消")


def test_only_one_party():
    message_case("checkin-alone",
                 lambda sim: sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE]),
                 "双方本人", extra_cfg="second_card_timeout_s = 10\n",
                 tail="wait-screen checkin-card 20000\nremove-card expect=checkin-card")


def test_someone_else_as_second_party():
    message_case("checkin-not-party",
                 lambda sim: sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE]),
                 "不是这个预约的另一方",
                 tail="wait-screen checkin-card 20000\nremove-card expect=checkin-card\n"
                      "card maimaiti expect=message")


if __name__ == "__main__":
    main([test_check_in_and_again, test_elderly_landscape_layout, test_no_booking, test_booking_on_another_day,
          test_booking_at_another_office, test_booking_cancelled, test_only_one_party,
          test_someone_else_as_second_party])
