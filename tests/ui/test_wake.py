# SPDX-License-Identifier: GPL-3.0-or-later
"""The touch that wakes a dimmed idle screen does not press the button under it,
and a touch during the countdown only answers the countdown."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import BAD_CARD, HOLDER, check, main, run_kiosk, widget


def test_wake_touch_is_swallowed():
    r = run_kiosk("wake", "dim", """
        dump awake
        advance 121
        dump dimmed
        screenshot dimmed
        tap btn-language
        dump woken
        tap btn-language
        dump pressed
        quit
    """, config="dim_after_s = 120\n")
    check(not r["awake"]["dimmed"], "awake at start")
    check(r["dimmed"]["dimmed"] and r["dimmed"]["overlay"], "idle screen dims after dim_after_s")
    check(r["woken"]["language"] == "zh_CN", "the waking touch did not press 中文/English")
    check(not r["woken"]["dimmed"], "the waking touch woke the screen")
    check(r["pressed"]["language"] == "en", "the next touch presses the button")


def test_dim_resets_settings_of_someone_who_left():
    r = run_kiosk("wake", "reset", """
        tap btn-elderly
        tap btn-language
        dump chosen
        advance 121
        dump dimmed
        quit
    """, config="dim_after_s = 120\n")
    check(r["chosen"]["elderly"] and r["chosen"]["language"] == "en", "settings chosen")
    check(not r["dimmed"]["elderly"] and r["dimmed"]["language"] == "zh_CN",
          "a dimmed kiosk is back to its defaults for the next citizen")


def test_settings_reset_without_dimming():
    r = run_kiosk("wake", "nodim", """
        tap btn-elderly
        advance 59
        dump before
        advance 1
        dump after
        quit
    """, config="dim_after_s = 0\n")
    check(r["before"]["elderly"], "settings kept while someone may still be there")
    check(not r["after"]["elderly"] and not r["after"]["dimmed"],
          "after idle_timeout_s on the idle screen they return to the defaults, even with dimming off")


def test_message_returns_to_an_awake_idle_screen():
    r = run_kiosk("wake", "msg", """
        advance 100
        %s
        advance 31
        dump idle
        quit
    """ % BAD_CARD, config="dim_after_s = 20\n[kiosk]\nmessage_timeout_s = 30\n")
    check(r["idle"]["screen"] == "idle" and not r["idle"]["dimmed"],
          "back from a message, the idle screen is awake (its own dimming clock starts then)")


def test_new_card_during_session_starts_fresh():
    r = run_kiosk("wake", "swap", """
        %s
        tap btn-elderly
        tap btn-language
        card maimaiti slot=1
        wait-sessions 2 20000
        dump second
        quit
    """ % HOLDER)
    s = r["second"]
    check(s["screen"] == "menu" and "买买提" in widget(s, "holder-name")["text"],
          "a card in the second reader: the new citizen's menu")
    check(not s["elderly"] and s["language"] == "zh_CN", "the previous citizen's settings do not carry over")


def test_countdown_touch_does_not_press_below():
    probe = run_kiosk("wake", "probe", "%s\ndump menu\nquit" % HOLDER)
    exit_btn = widget(probe["menu"], "btn-exit")["rect"]
    x, y = exit_btn["x"] + exit_btn["w"] // 2, exit_btn["y"] + exit_btn["h"] // 2
    r = run_kiosk("wake", "countdown", """
        %s
        advance 61
        dump countdown
        tap %d %d
        dump after
        quit
    """ % (HOLDER, x, y))
    check(r["countdown"]["overlay"], "countdown showing")
    check(r["after"]["screen"] == "menu" and r["after"]["session"] is not None,
          "a touch on 退出 under the dialog continues the session instead of ending it")
    check(r["after"]["session"]["state"] == "active", "and dismisses the countdown")


if __name__ == "__main__":
    main([test_wake_touch_is_swallowed, test_dim_resets_settings_of_someone_who_left,
          test_settings_reset_without_dimming, test_message_returns_to_an_awake_idle_screen,
          test_new_card_during_session_starts_fresh, test_countdown_touch_does_not_press_below])
