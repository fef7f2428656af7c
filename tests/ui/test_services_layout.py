# SPDX-License-Identifier: GPL-3.0-or-later
"""Every screen of the citizen services, portrait and landscape, standard and
elderly, page by page: inside the canvas, nothing cut off, no overlapping or
crowded targets, nothing running into the page buttons; and screenshots of
each for docs/screenshots (tools/screenshots.py copies them). (Needs root.)"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import check, main, run_kiosk  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402
from test_layout import check_screen  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-services-layout-")


def pages(name, n=3):
    """Dumps of up to n pages of the current screen, turning with 下一页."""
    out = ["dump %s-1" % name, "screenshot %s-1" % name]
    for i in range(2, n + 1):
        out += ["tap-if btn-page-next", "dump %s-%d" % (name, i)]
    return "\n".join(out)


SCRIPT = """
    card maimaiti
    wait-no-widget lookup-status 15000
    dump menu
    screenshot menu-services
    tap btn-assist
    wait-no-widget assist-loading 15000
    %s
    tap btn-back
    tap btn-subsidy
    wait 1000
    %s
    tap btn-back
    tap btn-subsidy
    # 低保 is on page 1, or on page 2 of a short screen (both lead to its page).
    tap-if btn-policy-0
    tap-if btn-page-next
    tap-if btn-policy-0
    expect-screen policy
    %s
    tap btn-back
    tap btn-wizard
    dump q1
    screenshot wizard-1
    tap btn-choice-1
    tap key-4
    dump q2
    screenshot wizard-2
    tap btn-next
    tap key-8
    tap key-0
    tap key-0
    tap btn-next
    dump q4
    screenshot wizard-4
    tap btn-next
    dump q5
    screenshot wizard-5
    tap btn-choice-2
    dump q6
    screenshot wizard-6
    tap btn-choice-1
    %s
    quit
""" % (pages("assistance"), pages("subsidy"), pages("policy"), pages("estimate", 5))


def run(orient, elderly):
    w, h = (1080, 1920) if orient == "portrait" else (1920, 1080)
    tag = "%s-%s" % (orient, "elderly" if elderly else "standard")
    with SimEnv(os.path.join(TMP, tag)) as sim:
        r = run_kiosk("services-layout", tag, SCRIPT, width=w, height=h,
                      config="elderly_mode = %s\n" % ("true" if elderly else "false") +
                      backend_ini(sim))
    for name, d in sorted(r.dumps.items()):
        check_screen("%s/%s" % (tag, name), d)
        pager = [x for x in d["widgets"] if x["id"] == "btn-page-prev"]
        if pager:
            top = pager[0]["rect"]["y"]
            for x in d["widgets"]:
                if x["id"].startswith(("prog-", "est-", "policy-", "btn-policy-")):
                    check(x["rect"]["y"] + x["rect"]["h"] <= top,
                          "%s/%s: %s runs into the page buttons" % (tag, name, x["id"]))
    check(r["q6"]["screen"] == "wizard" and r["estimate-1"]["screen"] == "estimate",
          "%s: the questions did not lead to the estimate" % tag)
    return r


def test_portrait_standard():
    run("portrait", False)


def test_portrait_elderly():
    run("portrait", True)


def test_landscape_standard():
    run("landscape", False)


def test_landscape_elderly():
    run("landscape", True)


if __name__ == "__main__":
    main([test_portrait_standard, test_portrait_elderly, test_landscape_standard,
          test_landscape_elderly])
