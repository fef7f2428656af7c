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


if __name__ == "__main__":
    main([test_press_shows_then_release_acts, test_slide_off_cancels])
