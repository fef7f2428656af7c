# SPDX-License-Identifier: GPL-3.0-or-later
"""救助状态查询 end to end: the real kiosk, a virtual card in a private pcscd,
and district-sim's demo data over mutual TLS. A citizen in 低保, one in
gradual exit, one with no records, and the backend failing during the query.
(Needs root: pcscd.)"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import all_text, check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-assist-")


def visit(name, holder, sim, extra="", elderly=False, hooks=None, expect="assistance"):
    """Card in, wait for the lookup, open 救助状态查询, wait for the records."""
    return run_kiosk("services", name, """
        card %s
        wait-no-widget lookup-status 15000
        %s
        dump menu
        tap btn-assist
        wait-screen %s 15000
        wait-no-widget assist-loading 15000
        dump assist
        screenshot assist
        %s
        quit
    """ % (holder, "tap btn-elderly" if elderly else "", expect, extra),
        config=backend_ini(sim), hooks=hooks)


def test_dibao_citizen():
    with SimEnv(os.path.join(TMP, "dibao")) as sim:
        r = visit("assist-dibao", "zhang", sim)
    d = r["assist"]
    text = all_text(d)
    check(widget(d, "prog-0-name")["text"].startswith("城市"), "first programme: %r"
          % widget(d, "prog-0-name")["text"])
    check(widget(d, "prog-0-icon")["icon"] == "ok", "paying without the √ mark")
    check("正在按月发放" in widget(d, "prog-0-status")["text"], "status words missing")
    check("每月" in widget(d, "prog-0-amount")["text"] and "元" in widget(d, "prog-0-amount")["text"],
          "no monthly amount in yuan")
    check(has_widget(d, "prog-0-pay-0"), "no payments listed")
    check("下次复核" in text, "no next review date")
    check("110105********1230" in text, "the masked ID number is not shown")
    check("110105198503151230" not in text, "the full ID number is on screen")


def test_gradual_exit_citizen():
    # Elderly mode: the records run over several pages, turned with 下一页.
    pages = "\n".join("tap btn-page-next\ndump p%d\nscreenshot assist-p%d" % (n, n)
                       for n in (2, 3))
    with SimEnv(os.path.join(TMP, "gradual")) as sim:
        r = visit("assist-gradual", "maimaiti", sim, elderly=True, extra=pages)
    d = r["assist"]
    check(d["elderly"] is True, "elderly mode lost on the way")
    check(d["pages"] > 1 and r["p2"]["page"] == 1, "no paging: %d pages" % d["pages"])
    widgets = d["widgets"] + r["p2"]["widgets"] + r["p3"]["widgets"]
    names = [w for w in widgets if w["id"].endswith("-gradual")]
    check(names, "no gradual-exit end date on the first three pages")
    for dump in (d, r["p2"], r["p3"]):
        bottom = min(w["rect"]["y"] for w in dump["widgets"] if w["id"] == "btn-page-prev")
        for w in dump["widgets"]:
            if w["id"].startswith("prog-"):
                check(w["rect"]["y"] + w["rect"]["h"] <= bottom,
                      "%s runs into the page buttons" % w["id"])
    check("渐退期" in names[0]["text"] and "为止" in names[0]["text"], names[0]["text"])
    st = [w for w in d["widgets"] if w["id"].endswith("-status") and "渐退" in w["text"]]
    check(st, "gradual exit not said in words")


def test_no_records():
    with SimEnv(os.path.join(TMP, "none")) as sim:
        r = visit("assist-none", "rare", sim, extra="tap btn-subsidy\ndump subsidy")
    d = r["assist"]
    check(widget(d, "assist-none")["text"] == "暂无救助记录", "no 暂无救助记录")
    how = widget(d, "assist-how")["text"]
    check("身份证" in how and "镇街" in how, "how to apply is missing: %r" % how)
    check(r["subsidy"]["screen"] == "subsidy", "the way to the policies does not work")


def test_backend_down_during_status():
    with SimEnv(os.path.join(TMP, "down")) as sim:
        def down():
            sim.fault("/kiosk/v1/citizens", "status", status=503, count=0)

        def up():
            sim.clear_faults()

        r = run_kiosk("services", "assist-down", """
            card zhang
            wait-no-widget lookup-status 15000
            hook down
            tap btn-assist
            wait-screen message 20000
            dump failed
            screenshot assist-failed
            hook up
            tap btn-retry
            wait-screen assistance 15000
            wait-no-widget assist-loading 15000
            dump retried
            tap btn-back
            dump menu
            quit
        """, config=backend_ini(sim), hooks={"down": down, "up": up})
    f = r["failed"]
    check("暂时查不到救助记录" in widget(f, "msg-title")["text"], "title: %r"
          % widget(f, "msg-title")["text"])
    check(has_widget(f, "btn-retry") and has_widget(f, "btn-home"), "no 重试 / 返回")
    check(r["retried"]["session"]["assistance"] is True, "retry did not bring the records")
    check(r["menu"]["screen"] == "menu", "返回 does not lead to the menu")


def test_records_after_a_failed_lookup():
    """The lookup failed (backend down): back on the menu 救助状态查询 is still
    there and, once the backend is back, looks the citizen up again and shows
    the records."""
    with SimEnv(os.path.join(TMP, "relookup")) as sim:
        sim.fault("/kiosk/v1/citizens/lookup", "status", status=503, count=0)
        r = run_kiosk("services", "assist-relookup", """
            card zhang expect=message
            tap btn-home
            dump menu
            hook up
            tap btn-assist
            wait-screen assistance 15000
            wait-no-widget assist-loading 15000
            dump assist
            quit
        """, config=backend_ini(sim), hooks={"up": sim.clear_faults})
    m = r["menu"]
    check(m["session"]["lookup"] == "offline", "lookup state: %r" % m["session"])
    check(widget(m, "btn-assist")["enabled"], "救助状态查询 is gone or inert after a failed lookup")
    check(r["assist"]["session"]["token"] and r["assist"]["session"]["assistance"],
          "the records did not come after the second lookup: %r" % r["assist"]["session"])


def test_expired_token_is_renewed():
    """The citizen token lives 10 minutes: after that the kiosk looks the citizen
    up again and shows the records (the server's clock also jumps, so the client
    adopts it from CLOCK_SKEW on the way)."""
    with SimEnv(os.path.join(TMP, "expired")) as sim:
        r = run_kiosk("services", "assist-expired", """
            card zhang
            wait-no-widget lookup-status 15000
            hook later
            tap btn-assist
            wait-screen assistance 15000
            wait-no-widget assist-loading 20000
            dump assist
            quit
        """, config=backend_ini(sim), hooks={"later": lambda: sim.set_time_offset(700)})
        stats = sim.stats()
    a = r["assist"]
    check(a["screen"] == "assistance" and a["session"]["assistance"], "no records: %r"
          % a["session"])
    check(has_widget(a, "prog-0-name"), "the records are not shown")
    check(stats["rejected"].get("TOKEN_EXPIRED", 0) >= 1, "the token did not expire: %r" % stats)


if __name__ == "__main__":
    main([test_dibao_citizen, test_gradual_exit_citizen, test_no_records,
          test_backend_down_during_status, test_records_after_a_failed_lookup,
          test_expired_token_is_renewed])
