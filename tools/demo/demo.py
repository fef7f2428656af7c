#!/usr/bin/env python3
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
         ("rare", "张䶮's card", []), ("zhang", "a card that is not a social security card", ["--unknown"])]


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
    try:
        with SimEnv(os.path.join(workdir, "district-sim")) as sim, \
                PcscEnv(os.path.join(workdir, "pcscd")) as env:
            print("district-sim (demo data) at %s" % sim.url)
            backend = backend_ini(sim)
            if args.display:
                interactive(env, args.kiosk, workdir, backend)
            else:
                shots = scripted(env, workdir, args.shots, backend)
                print("Screenshots of the demo visit (card in, 救助状态查询, 补贴政策咨询 and an estimate, "
                      "elderly mode, card out, unknown card):")
                for f in sorted(os.listdir(shots)):
                    print("  %s" % os.path.join(shots, f))
    except PcscEnvError as e:
        print("demo: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
