# SPDX-License-Identifier: GPL-3.0-or-later
"""The receipt printer from the citizen's side: the booking slip and the queue
ticket come out of the printer after 预约成功 / 签到成功, the screen says so,
and when the printer is missing it says to note the number, tries again, and
prints once the printer is back. The real kiosk, virtual cards, district-sim
over mTLS; the printer is the character-device transport ([printer] device,
as with the kernel's usblp driver at /dev/usb/lp0) pointed at a node in the
test's directory, which the test creates ("plugged in") or not. The libusb
transport's bytes on the wire are tested under umockdev (tests/usb/).
(Needs root: pcscd.)"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402
from test_marriage_booking import to_review  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-print-")
ZHANG, RARE = "110105198503151230", "330106200002292489"
GB = lambda s: s.encode("gb18030")  # noqa: E731


def printer_ini(node, patience=60):
    return "[printer]\nenabled = true\ndevice = %s\npatience_s = %d\n" % (node, patience)


def plug(node):
    open(node, "wb").close()


def paper(node):
    with open(node, "rb") as f:
        return f.read()


def check_no_personal_data(data, what):
    for secret in (ZHANG, RARE, "13800138001", "13900139002", "张伟"):
        check(GB(secret) not in data and secret.encode() not in data,
              "%r is on the %s" % (secret, what))


def test_booking_slip_printed():
    node = os.path.join(TMP, "lp-ok")
    plug(node)
    with SimEnv(os.path.join(TMP, "ok")) as sim:
        r = run_kiosk("printer", "booking-slip", to_review() + """
            tap btn-confirm
            wait-screen booked 20000
            wait-widget print-done 15000
            dump booked
            screenshot booked-printed
            quit
        """, config=backend_ini(sim) + printer_ini(node))
    b = r["booked"]
    number = b["marriage"]["number"]
    check(b["marriage"]["print"] == "done", "print state: %r" % b["marriage"]["print"])
    check("请从出纸口取走" in widget(b, "print-done")["text"], "not told to take the slip")
    data = paper(node)
    check(data.startswith(b"\x1b@"), "the slip does not start with ESC @")
    for text in ("预约成功", "您的预约号", "户口簿"):
        check(GB(text) in data, "%s is not on the slip (GB18030)" % text)
    check(number.encode() in data, "the booking number is not on the slip")
    # The printer's own QR command carries the number (GS ( k, store data: cn 49, fn 80).
    check(b"\x1d(k" in data and b"\x31\x50\x30" + number.encode() in data,
          "no QR code of the booking number")
    check(data.rstrip(b"\x00").endswith(b"\x1dVB\x00") or b"\x1dVB" in data[-8:],
          "the paper is not cut at the end")
    check_no_personal_data(data, "slip")


def test_printer_back_after_unplugged():
    """No printer when the booking is made: the citizen is told to note the number,
    the slip is tried again, and comes out once the printer is plugged in."""
    node = os.path.join(TMP, "lp-late")
    if os.path.exists(node):
        os.unlink(node)
    with SimEnv(os.path.join(TMP, "late")) as sim:
        r = run_kiosk("printer", "printer-late", to_review() + """
            tap btn-confirm
            wait-screen booked 20000
            wait-widget print-retrying 15000
            dump retrying
            screenshot booked-print-retrying
            hook plug
            wait-widget print-done 15000
            dump done
            quit
        """, config=backend_ini(sim) + printer_ini(node), hooks={"plug": lambda: plug(node)})
    rt = r["retrying"]
    number = rt["marriage"]["number"]
    text = widget(rt, "print-retrying")["text"]
    check("记下您的预约号" in text, "not told to note the number: %r" % text)
    check(widget(rt, "booking-number")["text"] == number, "the number is not on the screen")
    check(r["done"]["marriage"]["print"] == "done", "not printed once the printer was back")
    check(number.encode() in paper(node), "the slip printed late lacks the number")


def registry(sim, extra=""):
    return "[kiosk]\nmode = registry\n" + backend_ini(sim) + "\n[marriage]\noffice = JJ01\n" + extra


CHECKIN = """
    card zhang
    wait-no-widget lookup-status 15000
    tap btn-checkin
    wait-screen checkin-card 20000
    remove-card expect=checkin-card
    card rare expect=ticket
"""


def test_queue_ticket_printed_and_reprinted():
    node = os.path.join(TMP, "lp-ticket")
    plug(node)
    with SimEnv(os.path.join(TMP, "ticket")) as sim:
        sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE], hhmm=1000)
        r = run_kiosk("printer", "ticket", CHECKIN + """
            wait-widget print-done 15000
            dump ticket
            screenshot ticket-printed
            quit
        """, config=registry(sim, printer_ini(node)))
        first = paper(node)
        os.unlink(node)
        plug(node)  # a fresh roll: what the second check-in prints
        r2 = run_kiosk("printer", "ticket-again", CHECKIN + """
            wait-widget print-done 15000
            dump ticket
            quit
        """, config=registry(sim, printer_ini(node)))
        second = paper(node)
    number = widget(r["ticket"], "ticket-number")["text"]
    check(GB("您的排队号") in first and number.encode() in first, "the ticket lacks its number")
    check_no_personal_data(first, "ticket")
    check(has_widget(r2["ticket"], "ticket-again"), "second check-in not shown as the same")
    check(number.encode() in second, "checking in again did not reprint the same ticket")


def test_printer_gone_gives_up_and_says_so():
    node = os.path.join(TMP, "lp-none", "lp0")  # no such directory: never comes back
    with SimEnv(os.path.join(TMP, "gone")) as sim:
        sim.admin_booking("MARRIAGE", "JJ01", "today", [ZHANG, RARE], hhmm=1000)
        r = run_kiosk("printer", "ticket-gone", CHECKIN + """
            wait-widget print-failed 30000
            dump ticket
            screenshot ticket-print-failed
            tap btn-done
            wait-screen idle 10000
            dump idle
            quit
        """, config=registry(sim, printer_ini(node, patience=5)))
    t = r["ticket"]
    text = widget(t, "print-failed")["text"]
    check("没有打印出来" in text and "排队号" in text, "failure not said plainly: %r" % text)
    check(has_widget(t, "ticket-number"), "the number left the screen")
    check("printer not connected" in r.stderr, "staff reason not logged")
    check(r["idle"]["screen"] == "idle", "the kiosk did not go back to idle")
    from test_layout import check_screen
    check_screen("ticket print failed", t)


if __name__ == "__main__":
    main([test_booking_slip_printed, test_printer_back_after_unplugged,
          test_queue_ticket_printed_and_reprinted, test_printer_gone_gives_up_and_says_so])
