#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README demo: a private pcscd with the vpcd virtual reader, the reference
district backend (tools/district-sim with its demo data, over mutual TLS on
127.0.0.1), the kiosk talking to both, and demo social security cards you
insert and remove.

With a display: the kiosk opens in a window and this terminal inserts and
removes cards. Without one: a scripted visit under SDL's offscreen driver,
with screenshots. Needs root (a private mount namespace for pcscd).
"""
import argparse
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(SOURCE, "tests", "pcsc"))
sys.path.insert(0, os.path.join(SOURCE, "tests", "ui"))
sys.path.insert(0, os.path.join(SOURCE, "tests", "backend"))
os.environ.setdefault("KS_SOURCE_DIR", SOURCE)

HOLDERS = os.path.join(SOURCE, "tests", "fixtures", "holders")
CARDS = [("zhang", "张伟's card", []), ("maimaiti", "买买提·艾力's card", []),
         ("rare", "张䶮's card", []), ("liu", "刘芳's card", []),
         ("zhang", "a card that is not a social security card", ["--unknown"])]


def write_config(workdir, extra=""):
    path = os.path.join(workdir, "kiosk.ini")
    with open(path, "w", encoding="utf-8") as f:
        with open(os.path.join(SOURCE, "config", "demo.ini"), encoding="utf-8") as demo:
            f.write(demo.read())
        f.write("\n[card]\nenabled = true\n" + extra)
    return path


def interactive(env, kiosk, workdir, backend):
    cfg = write_config(workdir, backend)
    proc = env.run([kiosk, "--windowed", "--config", cfg])
    card = None
    print("\nThe kiosk is running in its window, reading cards from a private pcscd.")
    print("Cards (type a number and Enter):")
    for i, (_, what, _) in enumerate(CARDS, 1):
        print("  %d  insert %s" % (i, what))
    print("  r  remove the card        q  quit\n")
    try:
        while proc.poll() is None:
            line = sys.stdin.readline()
            if not line or line.strip() == "q":
                break
            choice = line.strip()
            if card is not None and (choice == "r" or choice.isdigit()):
                card.close()
                card = None
                print("card removed")
                time.sleep(0.8)  # pcscd looks at the reader every ~400 ms
            if choice.isdigit() and 1 <= int(choice) <= len(CARDS):
                name, what, flags = CARDS[int(choice) - 1]
                card = env.card(os.path.join(HOLDERS, name + ".ini"), *flags)
                card.expect("inserted")
                print("inserted %s" % what)
    finally:
        if card is not None:
            card.close()
        proc.terminate()
        proc.wait(timeout=10)


def scripted(env, workdir, shots, backend):
    from kiosk_run import KioskRun
    k = KioskRun(env, "demo", "journey", """
        wait-screen idle 5000
        screenshot-window 01-idle
        print ready
        wait-screen menu 20000
        wait-no-widget lookup-status 15000
        screenshot-window 02-menu-after-card
        tap btn-assist
        wait-no-widget assist-loading 15000
        screenshot-window 03-assistance
        tap btn-back
        tap btn-subsidy
        wait 1000
        screenshot-window 04-subsidy
        tap btn-wizard
        tap btn-choice-0
        tap key-3
        tap btn-next
        tap key-1
        tap key-0
        tap key-0
        tap key-0
        tap btn-next
        tap btn-next
        tap btn-choice-0
        tap btn-choice-0
        screenshot-window 05-estimate
        tap btn-back
        tap btn-back
        tap btn-elderly
        screenshot-window 06-menu-elderly
        print menu
        wait-screen idle 20000
        screenshot-window 07-idle-after-removal
        print idle
        wait-screen message 20000
        screenshot-window 08-unknown-card
        print message
        quit
    """, config=backend)
    k.expect("ready")
    card = env.card(os.path.join(HOLDERS, "zhang.ini"))
    k.expect("menu")
    card.close()
    k.expect("idle")
    time.sleep(0.8)
    bad = env.card(os.path.join(HOLDERS, "zhang.ini"), "--unknown")
    k.expect("message")
    bad.close()
    k.finish()
    os.makedirs(shots, exist_ok=True)
    for f in os.listdir(shots):  # only this visit's pictures
        if f.endswith(".png"):
            os.unlink(os.path.join(shots, f))
    for f in sorted(os.listdir(k.workdir)):
        if f.endswith(".png"):
            os.replace(os.path.join(k.workdir, f), os.path.join(shots, f))
    return shots


def swap(k, env, card, marker, holder):
    """The first party takes their card out; the other puts theirs in."""
    k.expect(marker)
    card.close()
    time.sleep(1.0)  # pcscd looks at the reader about every 400 ms
    return env.card(os.path.join(HOLDERS, holder + ".ini"))


def scripted_marriage(env, workdir, shots, sim, backend):
    """A couple books a marriage registration (张伟 and 张䶮), looks at the booking under
    我的婚姻登记预约; then at a registry kiosk another couple (买买提 and 刘芳, booked
    for today) checks in and gets a queue ticket."""
    from kiosk_run import KioskRun
    # The receipt printer: a device node the kiosk writes ESC/POS into (as it would
    # /dev/usb/lp0); the demo shows what came out on paper.
    slips = {name: os.path.join(workdir, "printer-%s.bin" % name)
             for name in ("booking-slip", "queue-ticket")}
    for path in slips.values():
        open(path, "wb").close()
    printer = lambda name: "\n[printer]\nenabled = true\ndevice = %s\n" % slips[name]  # noqa: E731
    digits = lambda number: "\n".join("tap key-%s" % d for d in number)  # noqa: E731
    time.sleep(2.0)  # the reader empty for pcscd to see before the next kiosk starts
    k = KioskRun(env, "demo", "marriage", """
        wait-screen idle 5000
        wait 1500
        print ready
        wait-screen menu 20000
        wait-no-widget lookup-status 15000
        tap btn-marry
        wait-screen book-kind 5000
        screenshot-window 11-marriage-kind
        tap btn-kind-0
        wait-screen book-card 5000
        screenshot-window 12-marriage-other-card
        print swap
        wait-screen book-checks 20000
        wait-widget btn-next 15000
        screenshot-window 13-marriage-checks
        tap btn-next
        wait-widget btn-office-0 15000
        tap btn-office-0
        wait-widget month 15000
        screenshot-window 14-marriage-calendar
        tap-first day-
        wait-screen book-slot 5000
        screenshot-window 15-marriage-time
        tap-first btn-slot-
        %s
        screenshot-window 16-marriage-phone
        tap btn-next
        %s
        tap btn-next
        wait-widget btn-confirm 15000
        screenshot-window 17-marriage-review
        tap btn-confirm
        wait-screen booked 20000
        wait-widget print-done 15000
        screenshot-window 18-marriage-booked
        tap btn-done
        wait-screen idle 5000
        print again
        wait-screen menu 20000
        wait-no-widget lookup-status 15000
        tap btn-marry
        wait-screen book-kind 5000
        tap btn-my-bookings
        wait-widget btn-booking-0 15000
        screenshot-window 19-my-bookings
        tap btn-booking-0
        wait-screen booking 5000
        screenshot-window 20-booking
        tap btn-exit
        print done
        quit
    """ % (digits("13800138001"), digits("13900139002")), config=backend + printer("booking-slip"))
    k.expect("ready")
    card = env.card(os.path.join(HOLDERS, "zhang.ini"))
    card = swap(k, env, card, "swap", "rare")
    card = swap(k, env, card, "again", "zhang")
    k.expect("done")
    card.close()
    k.finish()
    time.sleep(2.0)  # the reader empty for pcscd to see before the next kiosk starts
    # The registry: a booking for today (made on the district's side), checked in here.
    sim.admin_booking("MARRIAGE", "JJ01", "today", ["650102197906070357", "50011619900512026X"],
                      hhmm=1000)
    r = KioskRun(env, "demo", "registry", """
        wait-screen idle 5000
        wait 1500
        print ready
        wait-screen menu 20000
        wait-no-widget lookup-status 15000
        screenshot-window 21-registry-menu
        tap btn-checkin
        wait-screen checkin-card 20000
        screenshot-window 22-checkin-other-card
        print swap
        wait-screen ticket 20000
        wait-widget print-done 15000
        screenshot-window 23-checkin-ticket
        print done
        quit
    """, config="[kiosk]\nmode = registry\n" + backend + "\n[marriage]\noffice = JJ01\n" +
        printer("queue-ticket"))
    r.expect("ready")
    card = env.card(os.path.join(HOLDERS, "maimaiti.ini"))
    card = swap(r, env, card, "swap", "liu")
    r.expect("done")
    card.close()
    r.finish()
    from slip_text import slip_text
    for name, path in slips.items():
        with open(path, "rb") as f:
            print("The %s the receipt printer got (%s):\n%s"
                  % (name, path, slip_text(f.read()).rstrip()))
    for run in (k, r):
        for f in sorted(os.listdir(run.workdir)):
            if f.endswith(".png"):
                os.replace(os.path.join(run.workdir, f), os.path.join(shots, f))


def scripted_staff(env, workdir, shots, backend, kiosk):
    """A technician: `civic-kiosk --diagnose` over SSH, then on the glass the 5-second press
    on the idle screen's top-left corner, the staff PIN (246810 in the demo), the
    diagnostics with a card in the reader, a test print and the touch test grid."""
    import json
    from kiosk_run import KioskRun
    pin = "246810"
    pin_hash = subprocess.run([kiosk, "--hash-pin"], input=pin + "\n", text=True,
                              capture_output=True, check=True).stdout.strip()
    printer = os.path.join(workdir, "printer-staff.bin")
    open(printer, "wb").close()
    extra = backend + "\n[printer]\nenabled = true\ndevice = %s\n[staff]\npin_hash = %s\n" % (
        printer, pin_hash)
    cfg = write_config(workdir, extra)
    os.makedirs("/tmp/civic-kiosk-demo", exist_ok=True)  # demo.ini's state_dir, as the kiosk has
    d = env.call([kiosk, "--diagnose", "--config", cfg])
    try:
        report = json.loads(d.stdout)
        readers = [r["name"] for r in report["pcsc"]["readers"]]
        print("civic-kiosk --diagnose: exit %d, healthy %s, %d problem(s); readers %s; backend "
              "%s (TLS handshake %s ms, certificate ends in %s days, clock skew %s s)" % (
                  d.returncode, report["healthy"], len(report["problems"]), readers,
                  report["backend"]["result"], report["backend"]["tls_handshake_ms"],
                  report["backend"]["cert_expiry_days"], report["backend"]["clock_skew_s"]))
        for problem in report["problems"]:
            print("  problem: %s" % problem)
    except (ValueError, KeyError) as e:
        print("civic-kiosk --diagnose: exit %d, unreadable report (%s)" % (d.returncode, e))
    time.sleep(2.0)  # the reader empty for pcscd to see before the next kiosk starts
    k = KioskRun(env, "demo", "staff", """
        wait-screen idle 5000
        press 20 20
        advance 5
        wait-screen staff-pin 5000
        release
        %s
        tap btn-next
        wait-screen staff 10000
        print card
        wait 3000
        tap btn-refresh
        wait-no-widget checking 60000
        tap btn-test-print
        wait-widget test-print-done 15000
        wait-no-widget checking 60000
        screenshot-window 24-staff-diagnostics
        tap btn-touch-test
        wait-screen staff-touch 5000
        tap cell-0
        tap cell-7
        screenshot-window 25-staff-touch-test
        print done
        quit
    """ % "\n".join("tap key-%s" % c for c in pin), config=extra)
    k.expect("card")
    card = env.card(os.path.join(HOLDERS, "zhang.ini"))
    k.expect("done")
    card.close()
    k.finish()
    for f in sorted(os.listdir(k.workdir)):
        if f.endswith(".png"):
            os.replace(os.path.join(k.workdir, f), os.path.join(shots, f))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--virtual-card", required=True)
    ap.add_argument("--shots", required=True)
    ap.add_argument("--district-sim", required=True)
    ap.add_argument("--display", action="store_true")
    args = ap.parse_args()
    workdir = os.path.join(os.path.dirname(os.path.abspath(args.shots)), "demo-run")
    os.makedirs(workdir, exist_ok=True)
    # The test helpers read these when imported.
    os.environ["KS_VIRTUAL_CARD"] = args.virtual_card
    os.environ["KS_KIOSK"] = args.kiosk
    os.environ["KS_ARTIFACTS"] = workdir
    os.environ["KS_DISTRICT_SIM"] = args.district_sim
    from pcsc_env import PcscEnv, PcscEnvError
    from sim_env import SimEnv
    from client_env import backend_ini
    # Each demo starts from the demo data alone (no bookings from an earlier run).
    shutil.rmtree(os.path.join(workdir, "district-sim"), ignore_errors=True)
    try:
        with SimEnv(os.path.join(workdir, "district-sim")) as sim, \
                PcscEnv(os.path.join(workdir, "pcscd")) as env:
            print("district-sim (demo data) at %s" % sim.url)
            backend = backend_ini(sim)
            if args.display:
                interactive(env, args.kiosk, workdir, backend)
            else:
                shots = scripted(env, workdir, args.shots, backend)
                scripted_marriage(env, workdir, shots, sim, backend)
                scripted_staff(env, workdir, shots, backend, args.kiosk)
                print("Screenshots of the demo visit (card in, 救助状态查询, 补贴政策咨询 and an estimate, "
                      "elderly mode, card out, unknown card; a marriage booking by two cards, "
                      "my bookings; a registry check-in with its queue ticket; staff diagnostics):")
                for f in sorted(os.listdir(shots)):
                    print("  %s" % os.path.join(shots, f))
    except PcscEnvError as e:
        print("demo: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
