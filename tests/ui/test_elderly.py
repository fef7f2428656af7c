# SPDX-License-Identifier: GPL-3.0-or-later
"""Elderly mode (长者模式) enlarges text at least 1.5x and makes touch targets bigger,
on the idle screen and the menu, and switching back restores the standard sizes."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from harness import HOLDER, check, main, run_kiosk, widget


def text_sizes(dump):
    return {w["id"]: w["text_px"] for w in dump["widgets"] if "text_px" in w}


def buttons(dump):
    return {w["id"]: w for w in dump["widgets"] if w["kind"] == "button"}


def test_elderly_enlarges():
    r = run_kiosk("elderly", "toggle", """
        dump idle_std
        tap btn-elderly
        dump idle_eld
        %s
        dump menu_eld
        tap btn-elderly
        dump menu_std
        tap btn-elderly
        dump menu_eld2
        quit
    """ % HOLDER)
    check(not r["idle_std"]["elderly"] and r["idle_eld"]["elderly"], "the toggle switches the mode")
    check(r["idle_eld"]["theme"] == "elderly", "elderly theme in use")
    check(r["menu_eld"]["elderly"], "elderly mode chosen on the idle screen carries into the session")
    for std_name, eld_name in (("idle_std", "idle_eld"), ("menu_std", "menu_eld")):
        std, eld = text_sizes(r[std_name]), text_sizes(r[eld_name])
        check(set(std) == set(eld), "same widgets in both modes")
        for wid in std:
            check(eld[wid] >= 1.5 * std[wid] - 1,
                  "%s: text %d px in elderly mode, standard %d px" % (wid, eld[wid], std[wid]))
        bstd, beld = buttons(r[std_name]), buttons(r[eld_name])
        for wid in bstd:
            check(beld[wid]["rect"]["h"] > bstd[wid]["rect"]["h"],
                  "%s: elderly button taller (%d vs %d)" % (wid, beld[wid]["rect"]["h"], bstd[wid]["rect"]["h"]))
    check(r["menu_eld"]["metrics"]["target_mm"] > r["menu_std"]["metrics"]["target_mm"],
          "elderly targets are larger in millimetres")
    check(widget(r["menu_eld"], "btn-elderly")["style"] == "toggle_on", "the toggle shows it is on")
    check(widget(r["menu_eld"], "btn-elderly")["text"] != widget(r["menu_std"], "btn-elderly")["text"],
          "the toggle says in words whether it is on (not colour alone)")
    check(text_sizes(r["menu_eld2"]) == text_sizes(r["menu_eld"]), "toggling is repeatable")


def test_targets_in_millimetres():
    # A smaller, denser screen: 15.6" 1080x1920 has more pixels per mm; targets must still be >= 20 mm.
    for diag in ("15.6", "32"):
        r = run_kiosk("elderly", "mm-" + diag, """
            %s
            dump std
            tap btn-elderly
            dump eld
            quit
        """ % HOLDER, config="diagonal_in = %s\n" % diag)
        for name, min_mm in (("std", 20.0), ("eld", 25.0)):
            d = r[name]
            ppmm = d["metrics"]["px_per_mm"]
            for w in d["widgets"]:
                if w["kind"] == "button":
                    h_mm, w_mm = w["rect"]["h"] / ppmm, w["rect"]["w"] / ppmm
                    check(h_mm >= min_mm - 0.05 and w_mm >= min_mm - 0.05,
                          "%s %s on %s\": %.1f x %.1f mm < %.0f mm" % (name, w["id"], diag, w_mm, h_mm, min_mm))


if __name__ == "__main__":
    main([test_elderly_enlarges, test_targets_in_millimetres])
