# SPDX-License-Identifier: GPL-3.0-or-later
"""Portrait 1080x1920 and landscape 1920x1080, standard and elderly: every
screen fits its canvas, nothing is cut off, buttons do not overlap, keep a gap,
and the two layouts really differ where they should."""
import itertools
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import BAD_CARD, HOLDER, check, main, run_kiosk, widget

SCRIPT = """
    dump idle
    screenshot idle
    %s
    dump message
    screenshot message
    tap btn-home
    remove-card
    %s
    dump menu
    screenshot menu
    advance 61
    dump countdown
    screenshot countdown
    quit
""" % (BAD_CARD, HOLDER)


def overlaps(a, b):
    return (a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"] and
            a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"])


def gap(a, b):
    dx = max(b["x"] - (a["x"] + a["w"]), a["x"] - (b["x"] + b["w"]), 0)
    dy = max(b["y"] - (a["y"] + a["h"]), a["y"] - (b["y"] + b["h"]), 0)
    return max(dx, dy)


def check_screen(tag, d):
    cw, ch = d["canvas"]["w"], d["canvas"]["h"]
    ppmm = d["metrics"]["px_per_mm"]
    for w in d["widgets"]:
        r = w["rect"]
        check(r["x"] >= 0 and r["y"] >= 0 and r["x"] + r["w"] <= cw and r["y"] + r["h"] <= ch,
              "%s: %s %s lies outside the %dx%d canvas" % (tag, w["id"], r, cw, ch))
        if w.get("text") and w["kind"] != "qr":  # a QR code's text is drawn as modules
            check(w["text_w"] <= r["w"] and w["text_h"] <= r["h"],
                  "%s: text of %s (%dx%d) is cut off by its box %dx%d" % (
                      tag, w["id"], w["text_w"], w["text_h"], r["w"], r["h"]))
    # Only the layer that takes touches counts: under a modal dialog nothing is pressable.
    live = [w for w in d["widgets"] if w["enabled"] and w["overlay"] == d["overlay"]]
    for a, b in itertools.combinations(live, 2):
        check(not overlaps(a["rect"], b["rect"]), "%s: %s overlaps %s" % (tag, a["id"], b["id"]))
        g = gap(a["rect"], b["rect"]) / ppmm
        check(g >= d["metrics"]["gap_mm"] - 0.2, "%s: only %.1f mm between %s and %s" % (
            tag, g, a["id"], b["id"]))
    # Text of one widget must not run into another's (labels inside panels are fine).
    texts = [w for w in d["widgets"] if w["kind"] in ("label", "button", "icon") and w["overlay"] == d["overlay"]]
    for a, b in itertools.combinations(texts, 2):
        check(not overlaps(a["rect"], b["rect"]), "%s: %s overlaps %s" % (tag, a["id"], b["id"]))


def run_orientation(orient, elderly):
    w, h = (1080, 1920) if orient == "portrait" else (1920, 1080)
    cfg = "elderly_mode = %s\n" % ("true" if elderly else "false")
    r = run_kiosk("layout", "%s-%s" % (orient, "elderly" if elderly else "standard"), SCRIPT,
                  config=cfg, width=w, height=h)
    for name in ("idle", "message", "menu", "countdown"):
        check(r[name]["canvas"] == {"w": w, "h": h}, "canvas follows the window")
        check_screen("%s/%s/%s" % (orient, "elderly" if elderly else "standard", name), r[name])
    return r


def test_portrait_standard():
    r = run_orientation("portrait", False)
    icon, title = widget(r["idle"], "card-icon"), widget(r["idle"], "idle-title")
    check(icon["rect"]["y"] + icon["rect"]["h"] <= title["rect"]["y"], "portrait: picture above the words")


def test_landscape_standard():
    r = run_orientation("landscape", False)
    icon, title = widget(r["idle"], "card-icon"), widget(r["idle"], "idle-title")
    check(icon["rect"]["x"] + icon["rect"]["w"] <= title["rect"]["x"], "landscape: picture beside the words")


def test_resize_keeps_session_and_relayouts():
    r = run_kiosk("layout", "resize", """
        %s
        dump portrait
        resize 1920 1080
        dump landscape
        tap btn-elderly
        dump landscape_elderly
        resize 1080 1920
        dump back
        quit
    """ % HOLDER)
    check(r["landscape"]["canvas"] == {"w": 1920, "h": 1080}, "the canvas follows the new window size")
    check(r["landscape"]["session"] is not None and r["landscape"]["screen"] == "menu",
          "a display change does not end the citizen's session")
    for name in ("landscape", "landscape_elderly", "back"):
        check_screen("resize/" + name, r[name])
    check(r["landscape_elderly"]["elderly"], "the landscape buttons work after the change")
    check(r["back"]["canvas"] == {"w": 1080, "h": 1920}, "and back to portrait")


def test_portrait_elderly():
    run_orientation("portrait", True)


def test_landscape_elderly():
    run_orientation("landscape", True)


if __name__ == "__main__":
    main([test_portrait_standard, test_landscape_standard, test_portrait_elderly, test_landscape_elderly,
          test_resize_keeps_session_and_relayouts])
