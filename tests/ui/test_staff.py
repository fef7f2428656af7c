# SPDX-License-Identifier: GPL-3.0-or-later
"""Staff diagnostics on the glass: the hidden 5-second press on the idle
screen's top-left corner, the PIN (only its Argon2id hash in the config; 5
wrong PINs lock entry for 5 minutes), the report (the same JSON as
--diagnose, gathered off the UI thread), a test print, the touch test grid,
and the staff screen closing after 2 untouched minutes. The real kiosk with
a private pcscd + virtual card, district-sim over mTLS, and the printer as a
device node. (Needs root: pcscd.)"""
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import KIOSK, all_text, check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-staff-")
PIN = "246810"


def pin_hash(pin=PIN):
    p = subprocess.run([KIOSK, "--hash-pin"], input=pin + "\n", capture_output=True, text=True,
                       timeout=60, check=True)
    return p.stdout.strip()


HASH = None


def staff_ini(extra=""):
    global HASH
    if HASH is None:
        HASH = pin_hash()
    return "[staff]\npin_hash = %s\n%s" % (HASH, extra)


def enter(extra=""):
    """The corner held for 5 s (the kiosk's clock moved on while the finger stays)."""
    return """
        wait-screen idle 5000
        press 20 20
        advance 5
        wait-screen staff-pin 5000
        release
        %s
    """ % extra


def typed(pin):
    return "\n".join("tap key-%s" % d for d in pin) + "\ntap btn-next"


def test_staff_screen_end_to_end():
    node = os.path.join(TMP, "lp0")
    open(node, "wb").close()
    with SimEnv(os.path.join(TMP, "sim")) as sim:
        cfg = backend_ini(sim) + "[printer]\nenabled = true\ndevice = %s\n" % node + staff_ini()
        r = run_kiosk("staff", "end-to-end", enter("dump pin\nscreenshot staff-pin") + """
            %s
            dump wrong
            %s
            wait-screen staff 10000
            card zhang expect=staff
            wait 3000
            tap btn-refresh
            wait-no-widget checking 60000
            dump staff
            screenshot staff
            tap btn-test-print
            wait-widget test-print-done 15000
            wait-no-widget checking 60000
            tap btn-page-next
            dump printed
            tap btn-touch-test
            wait-screen staff-touch 5000
            tap cell-0
            tap cell-5
            dump touch
            screenshot staff-touch
            tap btn-back
            wait-screen staff 5000
            advance 121
            wait-screen idle 5000
            dump closed
            quit
        """ % (typed("0000"), typed(PIN)), config=cfg)
    check(r["pin"]["staff"]["pin_len"] == 0, "the PIN screen did not open empty")
    w = r["wrong"]["staff"]
    check(w["pin_err"] == "staff.pin_wrong" and w["tries_left"] == 4, "wrong PIN: %r" % w)
    check("4" in widget(r["wrong"], "pin-error")["text"], "tries left not said")
    s = r["staff"]
    check(s["screen"] == "staff", "not on the staff screen: %s" % s["screen"])
    check("session" not in s or s["session"] is None, "a card in staff mode started a session")
    text = all_text(s)
    # The report as drawn: the verdict, then the sections of --diagnose by name.
    check(has_widget(s, "verdict-ok") or has_widget(s, "verdict-bad"), "no verdict")
    check(s["staff"]["healthy"] == has_widget(s, "verdict-ok"), "verdict and report differ")
    check("读卡器（PC/SC）" in text or "sec-pcsc-title" in [x["id"] for x in s["widgets"]],
          "no card reader section on the first page")
    check("readers[0]: name=Virtual PCD 00 00" in text, "the virtual reader is not listed")
    check("state=present" in text and "card_kind=" in text and "atr=3B" in text,
          "the card in the reader is not shown with its ATR: %s" % text[:600])
    # The test page reached the printer: Chinese in GB18030 and the QR code.
    with open(node, "rb") as f:
        paper = f.read()
    check("打印测试".encode("gb18030") in paper, "no test page title on paper")
    check(b"CIVIC-KIOSK TEST" in paper, "no QR code on the test page")
    # After the test print the report is gathered again: the queue saw the printer.
    check("seen: connected=true, paper=unknown, cover=unknown" in all_text(r["printed"]),
          "the printer as the queue saw it is not shown: %s" % all_text(r["printed"])[:500])
    check("last_job: result=done" in all_text(r["printed"]), "the test print's result not shown")
    t = r["touch"]["staff"]
    check(t["touched"] == 2 and t["cells"] >= 9, "touch grid: %r" % t)
    check(widget(r["touch"], "cell-0")["text"] == "√" and widget(r["touch"], "cell-1")["text"] == "",
          "touched cells not marked")
    check(r["closed"]["screen"] == "idle", "staff screen did not close after 2 minutes")
    # The PIN and its hash are never shown or logged.
    check(PIN not in r.stderr and HASH not in r.stderr, "the PIN or its hash is in the log")
    for name in ("staff", "printed", "touch"):
        import json
        check(HASH not in json.dumps(r[name]), "the PIN hash is on the %s screen" % name)
    from test_layout import check_screen
    for name in ("pin", "staff", "touch"):
        check_screen("staff " + name, r[name])


def test_pin_lockout():
    """Five wrong PINs lock entry for 5 minutes, even for the right PIN; the lock outlives
    leaving the screen; after 5 minutes the right PIN opens."""
    wrong5 = "\n".join(typed("1111") for _ in range(5))
    r = run_kiosk("staff", "lockout", enter() + wrong5 + """
        dump locked
        screenshot staff-pin-locked
        %s
        dump still
        advance 121
        wait-screen idle 5000
        %s
        %s
        dump later
        advance 121
        wait-screen idle 5000
        advance 60
        %s
        %s
        wait-screen staff 10000
        dump open
        quit
    """ % (typed(PIN), enter(), typed(PIN), enter(), typed(PIN)), config=staff_ini())
    lk = r["locked"]["staff"]
    check(lk["pin_err"] == "staff.pin_locked" and lk["locked_min"] == 5, "not locked: %r" % lk)
    check("5" in widget(r["locked"], "pin-error")["text"], "minutes not said")
    st = r["still"]
    check(st["screen"] == "staff-pin" and st["staff"]["pin_err"] == "staff.pin_locked",
          "the right PIN opened a locked entry")
    later = r["later"]["staff"]
    check(later["pin_err"] == "staff.pin_locked" and 1 <= later["locked_min"] <= 3,
          "the lock did not outlive leaving the screen: %r" % later)
    check(r["open"]["screen"] == "staff", "the right PIN did not open after 5 minutes")


def test_gesture_needs_the_corner_and_5_seconds():
    r = run_kiosk("staff", "gesture", """
        wait-screen idle 5000
        press 20 20
        advance 3
        wait 300
        release
        dump short
        press 540 960
        advance 6
        wait 300
        release
        dump middle
        quit
    """, config=staff_ini())
    check(r["short"]["screen"] == "idle", "a 3-second press opened staff entry")
    check(r["middle"]["screen"] == "idle", "a press away from the corner opened staff entry")


def test_card_during_the_press_wins():
    """A citizen's card read while someone holds the corner: the visit is the citizen's,
    the PIN screen does not open over it."""
    r = run_kiosk("staff", "card-during-press", """
        wait-screen idle 5000
        press 20 20
        card zhang
        advance 5
        wait 300
        dump menu
        release
        quit
    """, config=staff_ini())
    check(r["menu"]["screen"] == "menu", "staff entry opened over a citizen's visit: %s"
          % r["menu"]["screen"])


def test_no_hash_keeps_staff_out():
    r = run_kiosk("staff", "no-hash", enter("dump asked") + typed(PIN) + """
        dump closed
        quit
    """, config="")
    check(r["asked"]["staff"]["pin_err"] == "staff.pin_no_hash", "not said before typing")
    d = r["closed"]
    check(d["screen"] == "staff-pin" and d["staff"]["pin_err"] == "staff.pin_no_hash",
          "without a hash: %r" % d.get("staff"))


def test_elderly_landscape_layout():
    from test_layout import check_screen
    r = run_kiosk("staff", "elderly-landscape", enter("tap btn-elderly\ndump pin") + typed(PIN) + """
        wait-screen staff 10000
        wait-no-widget checking 60000
        dump staff
        screenshot staff-elderly-landscape
        tap btn-touch-test
        wait-screen staff-touch 5000
        dump touch
        quit
    """, config=staff_ini(), width=1920, height=1080)
    for name in ("pin", "staff", "touch"):
        check_screen("staff landscape elderly " + name, r[name])


if __name__ == "__main__":
    main([test_staff_screen_end_to_end, test_pin_lockout, test_gesture_needs_the_corner_and_5_seconds,
          test_no_hash_keeps_staff_out, test_elderly_landscape_layout,
          test_card_during_the_press_wins])
