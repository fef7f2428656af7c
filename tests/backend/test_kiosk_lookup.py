# SPDX-License-Identifier: GPL-3.0-or-later
"""The real kiosk, a virtual card in a private pcscd, and district-sim over
mutual TLS: after the card is read the kiosk looks the citizen up and keeps
only the token; a slow backend never stalls the UI loop; a failed lookup says
so plainly and 重试 works once the backend is back. (Needs root: pcscd.)"""
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
from harness import all_text, check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-kiosk-lookup-")


def backend_config(sim, url=None):
    return backend_ini(sim, url=url, extra="timeout_ms = 8000")


def test_lookup_keeps_the_token():
    with SimEnv(os.path.join(TMP, "ok")) as sim:
        before = sim.stats()["requests"]
        r = run_kiosk("backend", "lookup-ok", """
            card zhang
            wait-no-widget lookup-status 15000
            dump menu
            remove-card
            dump idle
            quit
        """, config=backend_config(sim))
        check(sim.stats()["requests"] >= before + 1, "the kiosk made no request")
    s = r["menu"]["session"]
    check(s["lookup"] == "ok" and s["token"] is True, "lookup state: %r" % s)
    check(not has_widget(r["menu"], "lookup-status"), "still says it is checking")
    check(r["idle"]["session"] is None, "the session outlived the card")
    # The ID number never travels in a URL: the server's log shows none.
    log = open(sim.log_path, encoding="utf-8", errors="replace").read()
    check("110105198503151230" not in log, "the ID number reached the server's log")


def test_slow_backend_does_not_stall_the_ui():
    with SimEnv(os.path.join(TMP, "slow")) as sim:
        sim.fault("/kiosk/v1/citizens/lookup", "delay", delay_ms=5000, count=1)
        r = run_kiosk("backend", "lookup-slow", """
            card zhang
            wait-widget lookup-status 5000
            dump start
            tap btn-elderly
            wait 2000
            dump during
            screenshot lookup-pending
            wait-no-widget lookup-status 20000
            dump after
            quit
        """, config=backend_config(sim))
    d = r["during"]
    check(d["session"]["lookup"] == "pending", "lookup not pending while the server hangs: %r"
          % d["session"])
    check(has_widget(d, "lookup-status"), "no 'checking' line while waiting")
    check(d["elderly"] is True, "a tap during the request was not handled")
    gap = d["loop_max_gap_ms"]
    print("longest UI loop stall while the lookup hung for 5 s: %d ms" % gap)
    check(gap < 1000, "the UI loop stalled %d ms while a request hung" % gap)
    check(r["after"]["session"]["lookup"] == "ok", "lookup did not finish after the delay")


def test_failed_lookup_offers_retry():
    with SimEnv(os.path.join(TMP, "fail")) as sim:
        sim.fault("/kiosk/v1/citizens/lookup", "status", status=503, count=0)
        r = run_kiosk("backend", "lookup-retry", """
            card zhang expect=message
            dump failed
            screenshot lookup-failed
            hook backend-back
            tap btn-retry
            wait-no-widget lookup-status 15000
            dump retried
            quit
        """, config=backend_config(sim), hooks={"backend-back": sim.clear_faults})
    f = r["failed"]
    check(f["screen"] == "message", "no message after a failed lookup")
    check(has_widget(f, "btn-retry") and has_widget(f, "btn-home"), "no 重试 / 返回")
    check("暂时查不到您的信息" in widget(f, "msg-title")["text"], "title: %r"
          % widget(f, "msg-title")["text"])
    check("连不上" in all_text(f), "the message does not say the system is unreachable")
    check(f["session"] is not None and f["session"]["token"] is False, "session state: %r"
          % f["session"])
    g = r["retried"]
    check(g["screen"] == "menu" and g["session"]["lookup"] == "ok", "retry did not recover: %r"
          % g["session"])


def test_unreachable_backend_and_menu_back():
    with SimEnv(os.path.join(TMP, "down")) as sim:
        url = "https://127.0.0.1:1"  # nothing listens on port 1
        r = run_kiosk("backend", "lookup-down", """
            card zhang expect=message
            dump failed
            tap btn-home
            dump back
            quit
        """, config=backend_config(sim, url))
    check(r["failed"]["session"]["lookup"] == "offline", "state: %r" % r["failed"]["session"])
    check(r["back"]["screen"] == "menu", "返回 did not lead back to the menu")


def test_unknown_card_is_refused_plainly():
    with SimEnv(os.path.join(TMP, "refused")) as sim:
        sim.fault("/kiosk/v1/citizens/lookup", "status", status=422, count=0)
        r = run_kiosk("backend", "lookup-refused", """
            card zhang expect=message
            dump failed
            quit
        """, config=backend_config(sim))
    f = r["failed"]
    check(f["session"]["lookup"] == "refused", "state: %r" % f["session"])
    check(not has_widget(f, "btn-retry"), "retrying a refusal cannot help, but is offered")
    check("服务窗口" in all_text(f), "the citizen is not told where to go")


def test_kiosk_fault_is_not_blamed_on_the_card():
    """A 401 (the kiosk's own signature or certificate) is the kiosk's problem, not the
    citizen's card: it is reported as an outage with 重试, and logged for staff."""
    with SimEnv(os.path.join(TMP, "k401")) as sim:
        sim.fault("/kiosk/v1/citizens/lookup", "status", status=401, count=0)
        r = run_kiosk("backend", "lookup-401", """
            card zhang expect=message
            dump failed
            quit
        """, config=backend_config(sim))
    f = r["failed"]
    check(f["session"]["lookup"] == "offline", "state: %r" % f["session"])
    check(has_widget(f, "btn-retry"), "no 重试 for a fault of the kiosk")
    check("没有认出这张卡" not in all_text(f), "the card is blamed for the kiosk's fault")
    check("HTTP 401" in r.stderr or "401" in open(os.path.join(r.workdir, "kiosk.stderr")).read(),
          "the reason is not in the log for staff")


if __name__ == "__main__":
    main([test_lookup_keeps_the_token, test_slow_backend_does_not_stall_the_ui,
          test_failed_lookup_offers_retry, test_unreachable_backend_and_menu_back,
          test_unknown_card_is_refused_plainly, test_kiosk_fault_is_not_blamed_on_the_card])
