# SPDX-License-Identifier: GPL-3.0-or-later
"""我的婚姻登记预约 end to end: a party sees their bookings, cancels one (with a
confirmation step) or moves it to another slot; a booking too close to its
time can be neither. The real kiosk, a virtual card, district-sim over mTLS.
(Needs root: pcscd.)"""
import datetime
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import all_text, check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-manage-")
ZHANG, RARE = "110105198503151230", "330106200002292489"


def bookings_of(sim, idnum):
    st, _, body = sim.request("GET", "/citizens/%s/marriage/bookings" % sim.lookup(idnum))
    assert st == 200, (st, body)
    return body["bookings"]


def open_booking(extra, elderly=False):
    return """
        card zhang
        wait-no-widget lookup-status 15000
        %s
        tap btn-marry
        wait-screen book-kind 5000
        tap btn-my-bookings
        wait-screen bookings 5000
        wait-widget btn-booking-0 15000
        dump list
        screenshot bookings
        tap btn-booking-0
        wait-screen booking 5000
        dump detail
        screenshot booking
    """ % ("tap btn-elderly" if elderly else "") + extra


def test_cancel_with_confirmation():
    day = datetime.date.today() + datetime.timedelta(days=7)
    with SimEnv(os.path.join(TMP, "cancel")) as sim:
        number = sim.admin_booking("MARRIAGE", "JJ01", day, [ZHANG, RARE], hhmm=1000)
        r = run_kiosk("marriage", "manage-cancel", open_booking("""
            tap btn-cancel-booking
            wait-screen booking-cancel 5000
            dump ask
            screenshot booking-cancel
            tap btn-keep
            wait-screen booking 5000
            dump kept
            tap btn-cancel-booking
            wait-screen booking-cancel 5000
            tap btn-confirm
            wait-screen message 20000
            dump done
            screenshot booking-cancelled
            tap btn-home
            wait-screen bookings 5000
            dump after
            quit
        """), config=backend_ini(sim))
        status = [b["status"] for b in bookings_of(sim, RARE) if b["number"] == number]
    text = all_text(r["list"])
    check("结婚登记" in text and "已预约" in text, "kind or status missing")
    check(number in all_text(r["detail"]), "the booking number is not shown")
    check(has_widget(r["detail"], "btn-move") and has_widget(r["detail"], "btn-cancel-booking"),
          "no 改约 / 取消预约")
    check("确定要取消" in all_text(r["ask"]), "no confirmation question")
    check(r["kept"]["screen"] == "booking", "不取消 did not keep it")
    check("已取消" in widget(r["done"], "msg-title")["text"], widget(r["done"], "msg-title")["text"])
    check(status == ["CANCELLED"], "server status: %r" % status)
    check("已取消" in all_text(r["after"]), "the list does not show it cancelled")
    check("已取消" in widget(r["after"], "btn-booking-0")["text"], "not marked cancelled")
    from test_layout import check_screen
    for name in ("list", "detail", "ask", "done", "after"):
        check_screen("cancel " + name, r[name])


def test_reschedule_to_another_slot():
    day = datetime.date.today() + datetime.timedelta(days=7)
    with SimEnv(os.path.join(TMP, "move")) as sim:
        number = sim.admin_booking("MARRIAGE", "JJ01", day, [ZHANG, RARE], hhmm=1000)
        r = run_kiosk("marriage", "manage-move", open_booking("""
            tap btn-move
            wait-screen move-date 5000
            wait-widget month 15000
            dump date
            screenshot move-date
            tap-first day-
            wait-screen move-slot 5000
            dump slot
            tap-first btn-slot-
            wait-screen move-review 5000
            dump review
            screenshot move-review
            tap btn-confirm
            wait-screen booked 20000
            dump moved
            screenshot booking-moved
            quit
        """), config=backend_ini(sim))
        after = [b for b in bookings_of(sim, RARE) if b["number"] == number]
    check(len(after) == 1 and after[0]["status"] == "BOOKED", "server: %r" % after)
    check(not after[0]["start"].startswith(day.isoformat()) or "T10:00" not in after[0]["start"],
          "the booking did not move: %s" % after[0]["start"])
    m = r["moved"]
    check(widget(m, "booking-number")["text"] == number, "the number changed when moving")
    check("改约成功" in widget(m, "banner-title")["text"], "no 改约成功")
    check("原来" in all_text(r["review"]) and "改为" in all_text(r["review"]), "no before/after")
    from test_layout import check_screen
    for name in ("date", "slot", "review", "moved"):
        check_screen("move " + name, r[name])


def test_elderly_landscape_layout():
    # 长者模式 on a landscape panel: the list, the booking, cancelling and moving all fit.
    day = datetime.date.today() + datetime.timedelta(days=7)
    from test_layout import check_screen
    with SimEnv(os.path.join(TMP, "elderly")) as sim:
        sim.admin_booking("DIVORCE", "JJ01", day, [ZHANG, RARE], hhmm=1000)
        r = run_kiosk("marriage", "manage-elderly-landscape", open_booking("""
            tap-if btn-page-next
            tap-if btn-page-next
            tap-if btn-page-next
            dump detail-end
            tap btn-cancel-booking
            wait-screen booking-cancel 5000
            dump ask
            tap-if btn-page-next
            tap-if btn-page-next
            tap-if btn-page-next
            dump ask-end
            tap btn-keep
            wait-screen booking 5000
            tap-if btn-page-next
            tap-if btn-page-next
            tap-if btn-page-next
            tap btn-move
            wait-screen move-date 5000
            wait-no-widget slots-status 15000
            dump date
            screenshot move-date-elderly-landscape
            tap-first day-
            wait-screen move-slot 5000
            dump slot
            tap-first btn-slot-
            wait-screen move-review 5000
            dump review
            tap-if btn-page-next
            tap-if btn-page-next
            tap btn-confirm
            wait-screen booked 20000
            dump moved
            screenshot booking-moved-elderly-landscape
            tap-if btn-page-next
            tap-if btn-page-next
            tap-if btn-page-next
            tap-if btn-page-next
            dump moved-end
            quit
        """, elderly=True), config=backend_ini(sim), width=1920, height=1080)
    for name in ("list", "detail", "detail-end", "ask", "ask-end", "date", "slot", "review",
                 "moved", "moved-end"):
        check(r[name]["elderly"] is True, "elderly mode lost on " + name)
        check_screen("elderly landscape " + name, r[name])
    check("冷静期" in all_text(r["moved"]) + all_text(r["moved-end"]) or r["moved"]["pages"] > 2,
          "the divorce second window is not shown")
    check(has_widget(r["moved-end"], "btn-done"), "no 完成 on the last page")


def test_too_late_to_change():
    # Tomorrow at 9:00 is less than 24 hours away whenever the test runs after 9:00 today;
    # today's own booking always is.
    with SimEnv(os.path.join(TMP, "late")) as sim:
        sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE], hhmm=1600)
        r = run_kiosk("marriage", "manage-late", """
            card zhang
            wait-no-widget lookup-status 15000
            tap btn-marry
        wait-screen book-kind 5000
        tap btn-my-bookings
            wait-screen bookings 5000
            wait-widget btn-booking-0 15000
            dump list
            tap btn-booking-0
            wait-screen booking 5000
            dump detail
            quit
        """, config=backend_ini(sim))
    check("已预约" in all_text(r["list"]), "the booking is not shown")
    d = r["detail"]
    check(not has_widget(d, "btn-cancel-booking") and not has_widget(d, "btn-move"),
          "a booking for today can still be changed")
    check(has_widget(d, "booking-locked"), "no word on why it cannot be changed")


def test_expired_token_renewed():
    # The citizen lingered: the token from the card's lookup is over 10 minutes old when
    # 我的婚姻登记预约 asks with it. The kiosk looks the holder up again and the list comes.
    day = datetime.date.today() + datetime.timedelta(days=7)
    with SimEnv(os.path.join(TMP, "expired")) as sim:
        sim.admin_booking("MARRIAGE", "JJ01", day, [ZHANG, RARE], hhmm=1000)

        def later():
            sim.set_time_offset(11 * 60)  # the server's clock: 11 minutes on

        def later_still():
            sim.set_time_offset(22 * 60)  # and the renewed token too is old by the cancel

        r = run_kiosk("marriage", "manage-expired", """
            card zhang
            wait-no-widget lookup-status 15000
            hook later
            tap btn-marry
            wait-screen book-kind 5000
            tap btn-my-bookings
            wait-widget btn-booking-0 30000
            dump list
            tap btn-booking-0
            wait-screen booking 5000
            tap btn-cancel-booking
            wait-screen booking-cancel 5000
            hook later_still
            tap btn-confirm
            wait-screen message 30000
            dump cancelled
            quit
        """, config=backend_ini(sim), hooks={"later": later, "later_still": later_still})
        log = sim.read_log()
        status = [b["status"] for b in bookings_of(sim, RARE)]
    check(log.count("TOKEN_EXPIRED") >= 2, "the tokens did not expire: the test tests nothing")
    check("已预约" in all_text(r["list"]), "the list did not come after the renewed lookup")
    check("已取消" in widget(r["cancelled"], "msg-title")["text"], "the cancel did not go through")
    check(status == ["CANCELLED"], "server: %r" % status)


def test_no_bookings():
    with SimEnv(os.path.join(TMP, "none")) as sim:
        r = run_kiosk("marriage", "manage-none", """
            card zhang
            wait-no-widget lookup-status 15000
            tap btn-marry
        wait-screen book-kind 5000
        tap btn-my-bookings
            wait-widget bookings-none 15000
            dump none
            tap btn-marry
            wait-screen book-kind 5000
            quit
        """, config=backend_ini(sim))
    check("没有" in widget(r["none"], "bookings-none")["text"], "no plain 'no bookings'")


if __name__ == "__main__":
    main([test_cancel_with_confirmation, test_reschedule_to_another_slot, test_too_late_to_change,
          test_no_bookings, test_expired_token_renewed, test_elderly_landscape_layout])
