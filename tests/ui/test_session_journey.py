# SPDX-License-Identifier: GPL-3.0-or-later
"""Idle -> card holder identified -> menu -> inactivity countdown -> continue
-> countdown again -> timeout -> idle, with the identity gone everywhere."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import (BAD_CARD, HOLDER, HOLDER_ID, HOLDER_NAME, all_text, check, main, run_kiosk,
                     widget, has_widget)


def test_timeout_journey():
    r = run_kiosk("session", "timeout", """
        dump idle
        expect-screen idle
        %s
        expect-screen menu
        dump menu
        advance 59
        dump before
        advance 1
        dump countdown
        tap btn-continue
        dump continued
        advance 60
        dump countdown2
        advance 15
        dump countdown3
        advance 15
        dump after
        quit
    """ % HOLDER, config="[kiosk]\nidle_timeout_s = 60\ncountdown_s = 30\n")
    check(r["idle"]["screen"] == "idle" and r["idle"]["session"] is None, "starts idle, no session")
    check("请插入社会保障卡" in all_text(r["idle"]), "idle screen asks for the card")
    check(HOLDER_NAME not in all_text(r["idle"]), "nothing personal on the idle screen")

    menu = r["menu"]
    check(menu["screen"] == "menu", "identity leads to the menu")
    check(HOLDER_NAME in widget(menu, "holder-name")["text"], "menu greets the holder by name")
    id_text = widget(menu, "holder-id")["text"]
    check(HOLDER_ID[:6] + "********" + HOLDER_ID[-4:] in id_text, "masked ID shown: %r" % id_text)
    check(HOLDER_ID not in all_text(menu), "the full ID number is never on screen")
    check(has_widget(menu, "btn-exit"), "menu has 退出")

    check(r["before"]["session"]["state"] == "active" and not r["before"]["overlay"],
          "no countdown before the idle time ends")
    cd = r["countdown"]
    check(cd["session"]["state"] == "countdown" and cd["overlay"], "countdown dialog shows")
    check(widget(cd, "dialog-title")["text"] == "还要继续吗？", "dialog asks 还要继续吗？")
    check(widget(cd, "dialog-seconds")["text"].startswith("30"), "countdown starts at 30 s")
    check(widget(cd, "btn-continue")["overlay"], "continue button is in the modal layer")

    check(r["continued"]["session"]["state"] == "active" and not r["continued"]["overlay"],
          "continue returns to the menu with the session intact")
    check(r["continued"]["screen"] == "menu", "still on the menu")
    check(r["countdown2"]["session"]["state"] == "countdown", "countdown again after another idle period")
    check(widget(r["countdown3"], "dialog-seconds")["text"].startswith("15"), "counts down")

    after = r["after"]
    check(after["screen"] == "idle", "timeout returns to idle")
    check(after["session"] is None, "session is gone")
    check(HOLDER_NAME not in all_text(after) and HOLDER_ID[-4:] not in all_text(after),
          "no trace of the holder on screen after timeout")


def test_exit_button_wipes():
    r = run_kiosk("session", "exit", """
        %s
        tap btn-elderly
        dump menu
        tap btn-exit
        dump idle
        quit
    """ % HOLDER)
    check(r["menu"]["elderly"], "elderly mode was on during the session")
    check(r["idle"]["screen"] == "idle" and r["idle"]["session"] is None, "退出 ends the session")
    check(not r["idle"]["elderly"], "the next citizen starts with the default theme")
    check(HOLDER_NAME not in all_text(r["idle"]), "no trace of the holder after 退出")


def test_bad_card_message():
    r = run_kiosk("session", "badcard", """
        %s
        dump message
        screenshot message
        advance 31
        dump later
        remove-card
        %s
        tap btn-home
        dump home
        quit
    """ % (BAD_CARD, BAD_CARD), config="[kiosk]\nmessage_timeout_s = 30\n")
    m = r["message"]
    check(m["screen"] == "message" and m["session"] is None, "a bad ID number gives a message, no session")
    check(widget(m, "msg-title")["text"] == "卡片信息有误", "plain title: %r" % widget(m, "msg-title")["text"])
    check(has_widget(m, "msg-icon"), "the message has an icon, not colour alone")
    check(r["later"]["screen"] == "idle", "the message returns to idle by itself")
    check(r["home"]["screen"] == "idle", "返回首页 returns to idle")


if __name__ == "__main__":
    main([test_timeout_journey, test_exit_button_wipes, test_bad_card_message])
