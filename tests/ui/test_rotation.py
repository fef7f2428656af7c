# SPDX-License-Identifier: GPL-3.0-or-later
"""rotate = 90|180|270: the canvas is drawn rotated and touches are mapped back,
so a finger on the physical spot where a button appears presses that button."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import check, main, read_png, run_kiosk, theme_colour, widget


def physical(rotate, win_w, win_h, lx, ly):
    """Independent statement of the clockwise rotation the kiosk promises."""
    if rotate == 90:
        return win_w - ly, lx
    if rotate == 180:
        return win_w - lx, win_h - ly
    if rotate == 270:
        return ly, win_h - lx
    return lx, ly


def journey(rotate):
    # A portrait canvas on a landscape panel mounted sideways (90/270), or upside down (180).
    win_w, win_h = (1920, 1080) if rotate in (90, 270) else (1080, 1920)
    first = run_kiosk("rotation", "probe-%d" % rotate, "dump idle\nquit", width=win_w, height=win_h,
                      rotate=rotate)
    d = first["idle"]
    check(d["canvas"] == {"w": 1080, "h": 1920}, "canvas is upright portrait: %s" % d["canvas"])
    lang = widget(d, "btn-language")
    r = lang["rect"]
    lx, ly = r["x"] + r["w"] // 2, r["y"] + r["h"] // 2
    px, py = physical(rotate, win_w, win_h, lx, ly)
    # The unrotated coordinates of the same button, clamped into the window: a kiosk that
    # forgot to map touches would press the button there instead.
    naive_x, naive_y = min(lx, win_w - 1), min(ly, win_h - 1)
    res = run_kiosk("rotation", "tap-%d" % rotate, """
        tap %d %d
        dump after_naive
        tap %d %d
        dump after_mapped
        screenshot rotated-%d
        quit
    """ % (naive_x, naive_y, int(px), int(py), rotate), width=win_w, height=win_h, rotate=rotate)
    check(res["after_naive"]["language"] == "zh_CN",
          "rotate %d: a tap at the unrotated position (%d,%d) must not press 中文/English" % (rotate, naive_x, naive_y))
    check(res["after_mapped"]["language"] == "en",
          "rotate %d: a tap at physical (%d,%d) presses 中文/English" % (rotate, px, py))


def test_rotate_90():
    journey(90)


def test_rotate_180():
    journey(180)


def test_rotate_270():
    journey(270)


def test_window_shows_rotated_canvas():
    """The panel shows the canvas turned clockwise: the banner (canvas top) is at
    the right edge for 90, the bottom for 180, the left edge for 270."""
    banner = theme_colour("standard", "banner")
    screen = theme_colour("standard", "screen")
    for rotate, (win_w, win_h), edge in ((90, (1920, 1080), "right"), (180, (1080, 1920), "bottom"),
                                         (270, (1920, 1080), "left"), (0, (1080, 1920), "top")):
        r = run_kiosk("rotation", "window-%d" % rotate, "screenshot-window win\nscreenshot canvas\nquit",
                      width=win_w, height=win_h, rotate=rotate)
        w, h, px = read_png(os.path.join(r.workdir, "win.png"))
        check((w, h) == (win_w, win_h), "window screenshot is %dx%d" % (w, h))
        points = {"top": (w // 2, 5), "bottom": (w // 2, h - 6), "left": (5, h // 2), "right": (w - 6, h // 2)}
        opposite = {"top": "bottom", "bottom": "top", "left": "right", "right": "left"}[edge]
        check(px(*points[edge]) == banner, "rotate %d: banner colour at the %s edge, got %s" % (
            rotate, edge, px(*points[edge])))
        check(px(*points[opposite]) == screen, "rotate %d: screen background at the %s edge, got %s" % (
            rotate, opposite, px(*points[opposite])))
        cw, ch, cpx = read_png(os.path.join(r.workdir, "canvas.png"))
        check((cw, ch) == (1080, 1920) and cpx(540, 5) == banner, "the canvas itself stays upright")


def test_tap_by_id_through_rotation():
    res = run_kiosk("rotation", "by-id", """
        tap btn-elderly
        dump d
        quit
    """, width=1920, height=1080, rotate=90)
    check(res["d"]["elderly"], "tap by widget id goes through the same rotation mapping")


if __name__ == "__main__":
    main([test_rotate_90, test_rotate_180, test_rotate_270, test_window_shows_rotated_canvas,
          test_tap_by_id_through_rotation])
