# SPDX-License-Identifier: GPL-3.0-or-later
"""The real kiosk with a real pcscd, the vpcd virtual reader and our virtual
social security card: identities read correctly, removal ends the session,
faults give plain messages and the kiosk stays ready, pcscd restarts recover
without restarting the kiosk."""
import os
import sys
import time

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ui"))
from harness import ARTIFACTS, check, main  # noqa: E402
from kiosk_run import KioskRun, holder, masked  # noqa: E402
from pcsc_env import PcscEnv  # noqa: E402


def env_for(name):
    return PcscEnv(os.path.join(ARTIFACTS, "pcsc-kiosk", name, "env"))


def widget_text(dump, wid):
    for w in dump["widgets"]:
        if w["id"] == wid:
            return w.get("text", "")
    return None


def all_text(dump):
    return "\n".join(w.get("text", "") for w in dump["widgets"])


def test_holders_read_correctly():
    """Several holders: a name with ·, a GB18030-only character, each padding byte."""
    names = ["zhang", "maimaiti", "rare"]
    script = ["wait-screen idle 5000", "print ready"]
    for i in range(len(names)):
        script += ["wait-screen menu 20000", "dump menu%d" % i, "print menu%d" % i,
                   "wait-screen idle 20000", "dump idle%d" % i, "print idle%d" % i]
    script.append("quit")
    with env_for("holders") as env:
        k = KioskRun(env, "pcsc-kiosk", "holders", "\n".join(script))
        k.expect("ready")
        for i, n in enumerate(names):
            path, h = holder(n)
            card = env.card(path)
            card.expect("inserted")
            k.expect("menu%d" % i)
            m = k.dump("menu%d" % i)
            check(m["session"] is not None, "%s: a session started" % n)
            check(h["name"] in widget_text(m, "holder-name"),
                  "%s: name %r on screen, got %r" % (n, h["name"], widget_text(m, "holder-name")))
            check(masked(h["id"]) in widget_text(m, "holder-id"), "%s: masked ID shown" % n)
            check(h["id"] not in all_text(m), "%s: the full ID number never shows" % n)
            card.quit()
            k.expect("idle%d" % i)
            d = k.dump("idle%d" % i)
            check(d["session"] is None and h["name"] not in all_text(d),
                  "%s: removing the card ends the session and clears the screen" % n)
        k.finish()


def fault_journey(name, fault_args, title, body_part=None):
    """A faulty card gives a plain message; then a good card still works."""
    zhang, h = holder("zhang")
    with env_for(name) as env:
        k = KioskRun(env, "pcsc-kiosk", name, """
            wait-screen idle 5000
            print ready
            wait-screen message 20000
            dump message
            screenshot message
            print message
            wait-screen menu 30000
            dump menu
            print menu
            quit
        """)
        k.expect("ready")
        bad = env.card(zhang, *fault_args)
        k.expect("message")
        m = k.dump("message")
        check(widget_text(m, "msg-title") == title, "%s: title %r, got %r" % (
            name, title, widget_text(m, "msg-title")))
        if body_part:
            check(body_part in widget_text(m, "msg-body"), "%s: body says %r" % (name, body_part))
        check(m["session"] is None, "%s: no session from a bad card" % name)
        bad.close()
        time.sleep(1.0)
        good = env.card(zhang)
        good.expect("inserted")
        k.expect("menu")
        check(h["name"] in widget_text(k.dump("menu"), "holder-name"),
              "%s: the next good card is read" % name)
        good.close()
        k.finish()


def test_unknown_card():
    fault_journey("unknown", ["--unknown"], "无法识别此卡", "不是社会保障卡")


def test_corrupted_record():
    fault_journey("corrupt", ["--corrupt-name"], "卡片信息有误")


def test_bad_id_checksum():
    fault_journey("badid", ["--bad-checksum"], "卡片信息有误")


def test_yank_mid_read():
    fault_journey("yank", ["--yank-after", "4"], "读卡没有完成", "重新插卡")


def test_split_replies_and_wrong_le():
    path, h = holder("maimaiti")
    with env_for("split") as env:
        k = KioskRun(env, "pcsc-kiosk", "split", """
            wait-screen idle 5000
            print ready
            wait-screen menu 30000
            dump menu
            print menu
            quit
        """)
        k.expect("ready")
        env.card(path, "--split-61", "--wrong-le", "--slow", "20")
        k.expect("menu")
        check(h["name"] in widget_text(k.dump("menu"), "holder-name"), "61xx/6Cxx replies still read")
        k.finish()


def test_pcscd_killed_and_restarted():
    path, h = holder("rare")
    with env_for("restart") as env:
        k = KioskRun(env, "pcsc-kiosk", "restart", """
            wait-screen idle 5000
            print ready
            wait 4000
            dump down
            screenshot no-reader
            print down
            wait-screen menu 40000
            dump menu
            print menu
            quit
        """)
        k.expect("ready")
        env.kill_pcscd()
        k.expect("down", timeout=20)
        d = k.dump("down")
        check(d["readers"] == "none", "with pcscd gone the kiosk knows: %s" % d["readers"])
        check(widget_text(d, "idle-no-reader") is not None, "and tells the citizen to ask staff")
        env.start_pcscd()
        card = env.card(path, "--retry-connect", "10")
        card.expect("inserted", timeout=20)
        k.expect("menu", timeout=45)
        check(h["name"] in widget_text(k.dump("menu"), "holder-name"),
              "after pcscd restarted, cards are read again without restarting the kiosk")
        k.finish()


def test_no_pcscd_at_start():
    path, h = holder("zhang")
    with env_for("late") as env:
        env.kill_pcscd()
        k = KioskRun(env, "pcsc-kiosk", "late", """
            wait 1500
            dump down
            print down
            wait-screen menu 40000
            dump menu
            print menu
            quit
        """)
        k.expect("down", timeout=20)
        check(k.dump("down")["readers"] == "none", "no pcscd at start: reader unavailable shown")
        env.start_pcscd()
        env.card(path, "--retry-connect", "10").expect("inserted", timeout=20)
        k.expect("menu", timeout=45)
        check(k.dump("menu")["readers"] == "ok", "the reader is back")
        k.finish()


if __name__ == "__main__":
    main([test_holders_read_correctly, test_unknown_card, test_corrupted_record, test_bad_id_checksum,
          test_yank_mid_read, test_split_replies_and_wrong_le, test_pcscd_killed_and_restarted,
          test_no_pcscd_at_start])
