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


def open_booking(extra):
    return """
        card zhang
        wait-no-widget lookup-status 15000
        tap btn-marry
        wait-screen book-kind 5000
        tap btn-my-bookings
        wait-screen bookings 5000
        wait-widget bk-0-card-0 15000
        dump list
        screenshot bookings
        tap btn-booking-0
        wait-screen booking 5000
        dump detail
        screenshot booking
    """ + extra


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
    check(number in text, "the booking number is not listed")
    check("结婚登记" in text and "已预约" in text, "kind or status missing")
    check(has_widget(r["detail"], "btn-move") and has_widget(r["detail"], "btn-cancel-booking"),
          "no 改约 / 取消预约")
    check("确定要取消" in all_text(r["ask"]), "no confirmation question")
    check(r["kept"]["screen"] == "booking", "不取消 did not keep it")
    check("已取消" in widget(r["done"], "msg-title")["text"], widget(r["done"], "msg-title")["text"])
    check(status == ["CANCELLED"], "server status: %r" % status)
    check("已取消" in all_text(r["after"]), "the list does not show it cancelled")
    check(not has_widget(r["after"], "btn-booking-0"), "a cancelled booking is still offered")


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
            wait-widget bk-0-card-0 15000
            dump list
            quit
        """, config=backend_ini(sim))
    d = r["list"]
    check(not has_widget(d, "btn-booking-0"), "a booking for today can still be changed")
    check("已预约" in all_text(d), "the booking is not shown")


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
          test_no_bookings])
