# SPDX-License-Identifier: GPL-3.0-or-later
"""What a finger does: a pressed button shows it was felt, the action fires on
release over the same button, and a finger that slides off presses nothing."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, main, run_kiosk, widget


def test_press_shows_then_release_acts():
    r = run_kiosk("touch", "press", """
        press btn-language
        dump down
        screenshot pressed
        release
        dump up
        quit
    """)
    down, up = r["down"], r["up"]
    check(widget(down, "btn-language").get("pressed"), "the button under the finger shows it is pressed")
    check(down["language"] == "zh_CN", "nothing happens while the finger is still down")
    check(up["language"] == "en", "lifting the finger presses the button")
    check(not any(w.get("pressed") for w in up["widgets"]), "the pressed look goes away")


def test_slide_off_cancels():
    probe = run_kiosk("touch", "probe", "dump idle\nquit")
    banner = widget(probe["idle"], "banner")["rect"]
    elderly = widget(probe["idle"], "btn-elderly")["rect"]
    r = run_kiosk("touch", "slide", """
        press btn-language
        release %d %d
        dump off
        press btn-language
        release %d %d
        dump other
        quit
    """ % (banner["x"] + banner["w"] // 2, banner["y"] + banner["h"] // 2,
           elderly["x"] + elderly["w"] // 2, elderly["y"] + elderly["h"] // 2))
    check(r["off"]["language"] == "zh_CN", "released off the button: nothing pressed")
    check(r["other"]["language"] == "zh_CN" and not r["other"]["elderly"],
          "released over another button: neither is pressed")


def test_one_finger_at_a_time():
    """A second contact (a palm on the glass) neither cancels the first finger's
    press nor presses anything itself."""
    probe = run_kiosk("touch", "probe2", "dump idle\nquit")
    lang = widget(probe["idle"], "btn-language")["rect"]
    lx, ly = lang["x"] + lang["w"] // 2, lang["y"] + lang["h"] // 2
    r = run_kiosk("touch", "palm", """
        press btn-language
        press 5 5
        dump palm_down
        release %d %d
        dump palm_up
        release
        dump first_up
        press 5 5
        press btn-elderly
        release
        dump second_finger
        release
        quit
    """ % (lx, ly))
    check(widget(r["palm_down"], "btn-language").get("pressed"), "the palm does not cancel the press")
    check(r["palm_up"]["language"] == "zh_CN", "the palm lifting over the button does not press it")
    check(r["first_up"]["language"] == "en", "the first finger's release still presses the button")
    check(not r["second_finger"]["elderly"], "a finger that lands while another is down presses nothing")


if __name__ == "__main__":
    main([test_press_shows_then_release_acts, test_slide_off_cancels, test_one_finger_at_a_time])
