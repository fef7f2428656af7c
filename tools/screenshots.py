#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Regenerates docs/screenshots/ with the UI harness: the real kiosk under
SDL's offscreen driver, reading virtual cards through a private pcscd (so it
needs root, like the pcsc tests). Run: scripts/dev screenshots"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile

JOURNEY = """
screenshot idle-{tag}
card zhang
wait-no-widget lookup-status 15000
screenshot menu-{tag}
tap btn-assist
wait-no-widget assist-loading 15000
screenshot assistance-{tag}
tap btn-back
tap btn-subsidy
wait 1000
screenshot subsidy-{tag}
tap-if btn-policy-0
tap-if btn-page-next
tap-if btn-policy-0
tap-if btn-page-prev
screenshot policy-{tag}
tap btn-back
tap btn-back
tap btn-subsidy
tap btn-wizard
screenshot wizard-area-{tag}
tap btn-choice-0
tap key-3
screenshot wizard-persons-{tag}
tap btn-next
tap key-1
tap key-0
tap key-0
tap key-0
tap btn-next
tap btn-next
screenshot wizard-disability-{tag}
tap btn-choice-0
tap btn-choice-0
screenshot estimate-{tag}
tap btn-back
tap btn-back
advance 61
screenshot countdown-{tag}
tap btn-exit
remove-card
card zhang --bad-checksum expect=message
screenshot message-{tag}
quit
"""

# Other citizens' records (portrait): gradual exit, and no records at all.
RECORDS = """
card {holder}
wait-no-widget lookup-status 15000
tap btn-assist
wait-no-widget assist-loading 15000
screenshot assistance-{holder}-{tag}
quit
"""

PHONE_A = "\n".join("tap key-%s" % d for d in "13800138001")
PHONE_B = "\n".join("tap key-%s" % d for d in "13900139002")
PAGES = "\n".join(["tap-if btn-page-next"] * 5)

# 婚姻登记预约: a couple books (张伟, then 张䶮's card), then 张伟 opens the booking.
MARRIAGE = """
card zhang
wait-no-widget lookup-status 15000
tap btn-marry
wait-screen book-kind 5000
screenshot marriage-kind-{tag}
tap btn-kind-0
wait-screen book-card 5000
screenshot marriage-other-card-{tag}
remove-card expect=book-card
card rare expect=book-checks
wait-widget btn-next 15000
screenshot marriage-checks-{tag}
tap btn-next
wait-widget btn-office-0 15000
screenshot marriage-office-{tag}
tap btn-office-0
wait-screen book-date 5000
wait-no-widget slots-status 15000
screenshot marriage-calendar-{tag}
tap-first day-
wait-screen book-slot 5000
screenshot marriage-time-{tag}
tap-first btn-slot-
wait-screen book-phone 5000
%s
screenshot marriage-phone-{tag}
tap btn-next
%s
tap btn-next
wait-screen book-review 5000
screenshot marriage-review-{tag}
%s
tap btn-confirm
wait-screen booked 20000
wait-widget print-done 15000
screenshot marriage-booked-{tag}
%s
tap btn-done
remove-card expect=idle
card zhang
wait-no-widget lookup-status 15000
tap btn-marry
wait-screen book-kind 5000
tap btn-my-bookings
wait-widget btn-booking-0 15000
screenshot marriage-my-bookings-{tag}
tap btn-booking-0
wait-screen booking 5000
%s
screenshot marriage-booking-{tag}
tap btn-cancel-booking
wait-screen booking-cancel 5000
%s
screenshot marriage-cancel-{tag}
quit
""" % (PHONE_A, PHONE_B, PAGES, PAGES, PAGES, PAGES)

# 签到取号 at a registry kiosk: 买买提 and 刘芳 booked for today.
CHECKIN = """
card maimaiti
wait-no-widget lookup-status 15000
tap btn-checkin
wait-screen checkin-card 20000
screenshot marriage-checkin-card-{tag}
remove-card expect=checkin-card
card liu expect=ticket
wait-widget print-done 15000
screenshot marriage-ticket-{tag}
quit
"""

# Staff diagnostics: the corner held 5 s, the PIN, the report with a card in the reader, a
# test print, the touch grid.
STAFF_PIN = "246810"
STAFF = """
wait-screen idle 5000
press 20 20
advance 5
wait-screen staff-pin 5000
release
%s
screenshot staff-pin-{tag}
tap btn-next
wait-screen staff 10000
card zhang expect=staff
wait 3000
tap btn-refresh
wait-no-widget checking 60000
tap btn-test-print
wait-widget test-print-done 15000
wait-no-widget checking 60000
screenshot staff-{tag}
tap btn-touch-test
wait-screen staff-touch 5000
tap cell-0
tap cell-4
screenshot staff-touch-{tag}
quit
""" % "\n".join("tap key-%s" % d for d in STAFF_PIN)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--virtual-card", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--district-sim", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="ks-shots-")
    os.environ.update(KS_KIOSK=args.kiosk, KS_VIRTUAL_CARD=args.virtual_card,
                      KS_SOURCE_DIR=args.source, KS_ARTIFACTS=work,
                      KS_DISTRICT_SIM=args.district_sim)
    sys.path.insert(0, os.path.join(args.source, "tests", "ui"))
    sys.path.insert(0, os.path.join(args.source, "tests", "backend"))
    from harness import run_kiosk
    from sim_env import SimEnv
    from client_env import backend_ini
    pin_hash = subprocess.run([args.kiosk, "--hash-pin"], input=STAFF_PIN + "\n", text=True,
                              capture_output=True, check=True).stdout.strip()
    out = os.path.join(args.source, "docs", "screenshots")
    os.makedirs(out, exist_ok=True)
    for orient, (w, h) in (("portrait", (1080, 1920)), ("landscape", (1920, 1080))):
        for elderly in (False, True):
            tag = "%s-%s" % ("elderly" if elderly else "standard", orient)
            journeys = [(tag, JOURNEY.format(tag=tag))]
            if orient == "portrait":
                journeys += [("%s-%s" % (holder, tag), RECORDS.format(holder=holder, tag=tag))
                             for holder in ("maimaiti", "rare")]
            journeys += [("marriage-" + tag, MARRIAGE.format(tag=tag)),
                         ("checkin-" + tag, CHECKIN.format(tag=tag)),
                         ("staff-" + tag, STAFF.format(tag=tag))]
            for name, journey in journeys:
                with SimEnv(os.path.join(work, "sim-" + name)) as sim:
                    # A receipt printer (a device node here) and the staff PIN's hash.
                    node = os.path.join(work, "printer-" + name)
                    open(node, "wb").close()
                    extra = "[printer]\nenabled = true\ndevice = %s\n[staff]\npin_hash = %s\n" % (
                        node, pin_hash)
                    if name.startswith("checkin-"):
                        sim.admin_booking("MARRIAGE", "JJ01", "today",
                                          ["650102197906070357", "50011619900512026X"])
                        extra += "[kiosk]\nmode = registry\n[marriage]\noffice = JJ01\n"
                    r = run_kiosk("screenshots", name, journey, width=w, height=h,
                                  config="elderly_mode = %s\n%s%s" % (
                                      "true" if elderly else "false", backend_ini(sim), extra))
                for f in os.listdir(r.workdir):
                    if f.endswith(".png"):
                        shutil.copy(os.path.join(r.workdir, f), os.path.join(out, f))
    shutil.rmtree(work, ignore_errors=True)
    print("screenshots written to %s" % out)


if __name__ == "__main__":
    main()
