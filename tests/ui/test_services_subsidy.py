# SPDX-License-Identifier: GPL-3.0-or-later
"""补贴政策咨询 end to end: open to anyone from the idle screen, the programmes
with dated and sourced figures from district-sim, the bundled dated fallback
when the backend is down, and the estimate's six questions to a result
(with a card, the age comes from the card). (Needs root: pcscd.)"""
import datetime
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import all_text, check, has_widget, main, run_kiosk, widget  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

TMP = tempfile.mkdtemp(prefix="ks-subsidy-")

# 城镇, 3 persons, 1000 yuan a month, 45 years, no disability, able to work.
WIZARD = """
    tap btn-wizard
    dump q1
    screenshot wizard-area
    tap btn-choice-0
    tap key-0
    tap btn-next
    dump q2-refused
    tap key-del
    tap key-3
    screenshot wizard-persons
    tap btn-next
    tap key-1
    tap key-0
    tap key-0
    tap key-0
    tap btn-next
    %s
    dump q4
    screenshot wizard-age
    tap btn-next
    screenshot wizard-disability
    tap btn-choice-0
    tap btn-choice-0
    dump result
    screenshot estimate
    %s
"""


def age_keys(age):
    return "tap key-del\ntap key-del\ntap key-del\n" + "\n".join("tap key-%s" % d
                                                               for d in str(age))


def anonymous_visit(name, sim, url=None, elderly=False):
    return run_kiosk("services", name, """
        %s
        tap btn-subsidy
        wait-screen subsidy 5000
        wait 1500
        dump list
        screenshot subsidy
        tap btn-policy-0
        dump policy
        screenshot policy
        tap btn-back
        %s
        tap btn-back
        dump back-subsidy
        tap btn-back
        dump back
        quit
    """ % ("tap btn-elderly" if elderly else "",
           WIZARD % (age_keys(45), "\n".join(
               "tap btn-page-next\ndump result-p%d\nscreenshot estimate-p%d" % (n, n)
               for n in (2, 3, 4)) if elderly else "")),
        config=backend_ini(sim, url=url))


def check_estimate(r):
    res = r["result"]
    text = all_text(res) + "".join(all_text(r.dumps[k]) for k in r.dumps
                                   if k.startswith("result-p"))
    check(res["screen"] == "estimate", "no estimate screen: %r" % res["screen"])
    check("结果仅供参考，以镇街审核为准" in widget(res, "estimate-disclaimer")["text"],
          "the reservation is missing")
    # 低保 by the gap method: 620 × 3 − 1000 = 860 yuan.
    dibao = [w for w in res["widgets"] if w["id"].endswith("-amount") and "860" in w["text"]]
    check(dibao, "低保 estimate is not 860 yuan: %s" % all_text(res))
    check("暂不符合" in text, "what does not apply is not said")


def test_anonymous_consultation_with_backend():
    with SimEnv(os.path.join(TMP, "online")) as sim:
        r = anonymous_visit("subsidy-online", sim)
    lst = r["list"]
    check(lst["session"]["state"] == "anonymous", "no visit without a card: %r" % lst["session"])
    check(lst["policies"]["origin"] == "backend", "policies not from the backend: %r"
          % lst["policies"])
    check(has_widget(lst, "btn-policy-0") and has_widget(lst, "btn-wizard"), "no programmes")
    pol = r["policy"]
    amounts = "\n".join(w["text"] for w in pol["widgets"] if w["id"].startswith("policy-amounts")
                        and not w["id"].endswith("-h"))
    check("620" in amounts and "496" in amounts, "standards missing: %r" % amounts)
    check("2020年1月1日" in amounts and "来源" in amounts,
          "figures without their date and source: %r" % amounts)
    check("居民身份证" in widget(pol, "policy-docs")["text"], "documents missing")
    check(r["q2-refused"]["question"] == 1 and has_widget(r["q2-refused"], "field-error"),
          "0 persons was accepted")
    check_estimate(r)
    check(r["back"]["screen"] == "idle" and r["back"]["session"] is None,
          "返回 did not end the visit without a card")


def test_backend_down_uses_bundled_data():
    with SimEnv(os.path.join(TMP, "offline")) as sim:
        r = anonymous_visit("subsidy-offline", sim, url="https://127.0.0.1:1", elderly=True)
    lst = r["list"]
    check(lst["policies"]["origin"] == "fallback", "origin: %r" % lst["policies"])
    check(lst["policies"]["effective"] == "2020-01-01", "fallback not dated 2020")
    # The data line is on the list's last page and on the estimate's first.
    labels = [w["text"] for d in r.dumps.values() for w in d["widgets"] if w["id"] == "policy-data"]
    check(labels and all("本机内置资料" in t for t in labels), "fallback not labelled: %r" % labels)
    check_estimate(r)


def test_card_prefills_age():
    born = datetime.date(1985, 3, 15)  # tests/fixtures/holders/zhang.ini
    today = datetime.date.today()
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    with SimEnv(os.path.join(TMP, "card")) as sim:
        r = run_kiosk("services", "subsidy-card", """
            card zhang
            wait-no-widget lookup-status 15000
            tap btn-subsidy
            wait-screen subsidy 5000
            %s
            quit
        """ % (WIZARD % ("", "")), config=backend_ini(sim))
    q4 = r["q4"]
    check(widget(q4, "field")["text"].startswith(str(age)), "age not prefilled: %r"
          % widget(q4, "field")["text"])
    check(has_widget(q4, "field-hint"), "the citizen is not told the age came from the card")
    check_estimate(r)


if __name__ == "__main__":
    main([test_anonymous_consultation_with_backend, test_backend_down_uses_bundled_data,
          test_card_prefills_age])
