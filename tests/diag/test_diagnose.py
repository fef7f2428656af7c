# SPDX-License-Identifier: GPL-3.0-or-later
"""civic-kiosk --diagnose: the staff diagnostics report as JSON, for a technician
over SSH. The real binary against a private pcscd with vpcd and virtual cards
(tests/pcsc/pcsc_env.py) and district-sim over mutual TLS
(tests/backend/sim_env.py), with each of them up and down; the report is
checked against the schema below, which must be exactly the field list of
docs/operations.md. Every run has no DISPLAY and a video driver that does not
exist: --diagnose must open no window.

Needs root (the private pcscd's mount namespace), as CI runs.
"""
import datetime
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
sys.path.insert(0, os.path.join(HERE, "..", "pcsc"))
sys.path.insert(0, os.path.join(HERE, "..", "backend"))
from harness import ARTIFACTS, HOLDER_ID, HOLDER_NAME, KIOSK, SOURCE, check, main  # noqa: E402
from pcsc_env import PcscEnv  # noqa: E402
from sim_env import SimEnv  # noqa: E402
from client_env import backend_ini  # noqa: E402

WORK = os.path.join(ARTIFACTS, "diag")

# ---- the schema (docs/operations.md, "Fields") ---------------------------------

S, SN, I, IN, N, NN, B = ("string", "string or null", "int", "int or null", "number",
                          "number or null", "bool")


def obj(**fields):
    return ("object", fields)


def obj_or_null(**fields):
    return ("object or null", fields)


def array(item):
    return ("array", item)


SCHEMA = obj(
    healthy=B, problems=array(S), warnings=array(S), schema=I, generated_at=S, source=S,
    kiosk=obj(version=S, mode=S, kiosk_id=SN),
    versions=obj(kiosk=S, sdl_compiled=S, sdl_linked=S, sdl_ttf_compiled=S, sdl_ttf_linked=S,
                 libcurl=S, libcurl_tls=S, pcsclite=S, libusb=S, cjson=S),
    pcsc=obj(enabled=B, reader_filter=SN, running=B, access_refused=B, error=SN, error_code=SN,
             readers_listed=I, readers_matching=I,
             readers=array(obj(name=S, matches=B, state=S, exclusive=B, atr=SN, card_kind=SN,
                               card_detail=SN))),
    usb=obj(available=B, error=SN,
            devices=array(obj(**{"id": S, "bus": I, "address": I, "class": I, "class_name": S,
                                 "manufacturer": SN, "product": SN, "role": S}))),
    printer=obj(enabled=B, transport=S, device=SN, found=B, detail=S,
                last_job=obj_or_null(result=S, reason=SN, at=SN),
                seen=obj_or_null(connected=B, paper=S, cover=S, why=SN)),
    backend=obj(enabled=B, url=SN, probed=B, reachable=B, result=SN, http_status=IN,
                error_code=SN, error=SN, tls_handshake_ms=NN, elapsed_ms=NN, cert_expires=SN,
                cert_expiry_days=IN, clock_skew_s=IN, clock_skew_source=SN, history=S,
                last_success=SN, last_error=SN, last_error_at=SN),
    display=obj(source=S, video_driver=SN, window_width=I, window_height=I, canvas_width=I,
                canvas_height=I, dpi=N, rotate=I, diagonal_in=N,
                last_start=obj_or_null(ok=B, at=S, detail=S)),
    storage=obj(state_dir=S, exists=B, writable=B, free_mib=IN, min_free_mib=I),
    config=obj(
        kiosk=obj(mode=S, language=S, idle_timeout_s=I, countdown_s=I, message_timeout_s=I,
                  state_dir=S, assets_dir=SN, policies_fallback=S),
        display=obj(width=I, height=I, rotate=I, diagonal_in=N, dpi=I, dim_after_s=I,
                    elderly_mode=B),
        font=obj(regular=S, bold=S, index=I),
        card=obj(enabled=B, reader=SN),
        backend=obj(enabled=B, url=SN, ca=SN, cert=SN, key=SN, secret_file=SN, kiosk_id=SN,
                    pin_set=B, backup_pin_set=B, connect_timeout_ms=I, timeout_ms=I, attempts=I,
                    max_response_kib=I, heartbeat_s=I),
        marriage=obj(office=SN, holidays=S, min_notice_workdays=I, horizon_days=I,
                     cancel_notice_hours=I, second_card_timeout_s=I),
        printer=obj(enabled=B, device=SN, ids=SN, qr=S, patience_s=I),
        staff=obj(pin_set=B),
        log=obj(target=S, level=S)))

ENUMS = {
    "source": {"diagnose", "kiosk"},
    "kiosk.mode": {"service", "registry"},
    "pcsc.readers[].state": {"empty", "present", "mute", "in-use", "unavailable", "unknown"},
    "usb.devices[].role": {"printer", "card-reader", "hub", "other"},
    "printer.transport": {"device", "usb"},
    "printer.last_job.result": {"done", "retrying", "failed"},
    "printer.seen.paper": {"ok", "near-end", "out", "unknown"},
    "printer.seen.cover": {"closed", "open", "unknown"},
    "backend.result": {"ok", "unreachable", "timeout", "tls", "http", "bad-answer", "local", None},
    "backend.clock_skew_source": {"date_header", "server_time", None},
    "backend.history": {"kiosk", "probe"},
    "display.source": {"measured", "configured"},
}


def schema_rows(schema, prefix=""):
    """The (dotted field, documented type) rows a schema stands for, in order."""
    kind, fields = schema
    rows = []
    for name, sub in fields.items():
        path = prefix + name
        if isinstance(sub, str):
            rows.append((path, sub))
        elif sub[0] == "array":
            item = sub[1]
            if isinstance(item, str):
                rows.append((path, "array of %ss" % item))
            else:
                rows.append((path, "array of objects"))
                rows += schema_rows(item, path + "[].")
        else:
            rows.append((path, sub[0]))
            rows += schema_rows(sub, path + ".")
    return rows


def doc_rows():
    """The field table of docs/operations.md's "--diagnose over SSH" section."""
    with open(os.path.join(SOURCE, "docs", "operations.md"), encoding="utf-8") as f:
        text = f.read()
    section = text.split("## --diagnose over SSH", 1)[1].split("\n## ", 1)[0]
    return [(m.group(1), m.group(2).strip())
            for m in re.finditer(r"^\| `([^`]+)` \| ([^|]+) \|", section, re.M)]


def is_type(value, t):
    if t.endswith(" or null"):
        return value is None or is_type(value, t[:-len(" or null")])
    if t == "string":
        return isinstance(value, str)
    if t == "bool":
        return isinstance(value, bool)
    if t == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if t == "number":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    raise AssertionError("unknown type %r in the schema" % t)


def validate(value, schema, path="report"):
    """Every documented field present with its type, and no undocumented one."""
    if isinstance(schema, str):
        check(is_type(value, schema), "%s: %r is not %s" % (path, value, schema))
        return
    kind, inner = schema
    if kind == "array":
        check(isinstance(value, list), "%s: not an array: %r" % (path, value))
        for i, item in enumerate(value):
            validate(item, inner, "%s[%d]" % (path, i))
        return
    if kind == "object or null" and value is None:
        return
    check(isinstance(value, dict), "%s: not an object: %r" % (path, value))
    check(list(value) == list(inner),
          "%s: fields %s, documented %s" % (path, list(value), list(inner)))
    for name, sub in inner.items():
        validate(value[name], sub, path + "." + name)


def field(report, dotted):
    """The values at a dotted path (arrays as []): a list."""
    values = [report]
    for part in dotted.split("."):
        arr = part.endswith("[]")
        key = part[:-2] if arr else part
        nxt = []
        for v in values:
            if isinstance(v, dict) and key in v:
                nxt.extend(v[key] if arr and isinstance(v[key], list) else [v[key]])
        values = nxt
    return values


def check_report(report):
    validate(report, SCHEMA)
    for dotted, allowed in ENUMS.items():
        for v in field(report, dotted):
            check(v in allowed, "%s: %r is not one of %s" % (dotted, v, sorted(map(str, allowed))))
    check(report["schema"] == 1, "schema %r" % report["schema"])
    check(report["healthy"] == (report["problems"] == []),
          "healthy %s with problems %s" % (report["healthy"], report["problems"]))
    datetime.datetime.fromisoformat(report["generated_at"])
    for v in report["versions"].values():
        check(re.match(r"^\S*\d+\.\d+", v), "a version that is not one: %r" % v)


# ---- running it ------------------------------------------------------------------

def write_config(name, text):
    """A config file for one case, with its own state directory; returns (path, state_dir)."""
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    state = os.path.join(d, "state")
    os.makedirs(state)
    path = os.path.join(d, "kiosk.ini")
    with open(path, "w", encoding="utf-8") as f:
        f.write("[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n%s\n" % (SOURCE, state, text))
    return path, state


def headless_env(extra=None):
    """No display at all and a video driver that does not exist: SDL_Init would fail."""
    env = dict(os.environ)
    for var in ("DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(var, None)
    env["SDL_VIDEODRIVER"] = "no-such-driver"
    env.update(extra or {})
    return env


class Result:
    def __init__(self, name, rc, stdout, stderr):
        self.rc, self.stdout, self.stderr = rc, stdout, stderr
        with open(os.path.join(WORK, name, "stdout.json"), "w") as f:
            f.write(stdout)
        with open(os.path.join(WORK, name, "stderr.txt"), "w") as f:
            f.write(stderr)
        try:
            self.report = json.loads(stdout)
        except ValueError:
            raise AssertionError("%s: stdout is not JSON (rc %d): %r\nstderr: %s"
                                 % (name, rc, stdout[:2000], stderr[-2000:]))
        check_report(self.report)


def diagnose(name, config, env=None, pcsc=None, wrap=()):
    """Runs civic-kiosk --diagnose (inside the PcscEnv's namespace when given)."""
    argv = list(wrap) + [KIOSK, "--config", config, "--diagnose"]
    env = headless_env(env)
    if pcsc is not None:
        p = pcsc.call(argv, env=env, timeout=120)
    else:
        p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    check("cannot start the display" not in p.stderr and "cannot open a window" not in p.stderr,
          "%s: it tried to open a window: %s" % (name, p.stderr[-1000:]))
    return Result(name, p.returncode, p.stdout, p.stderr)


def problem(report, *words):
    """The one problem sentence that has all the words (case-insensitive)."""
    hits = [p for p in report["problems"] if all(w.lower() in p.lower() for w in words)]
    check(hits, "no problem mentions %s: %s" % (words, report["problems"]))
    return hits[0]


def server_pin(sim):
    """sha256//BASE64 of the server certificate's public key (curl's pin format)."""
    pem = os.path.join(sim.pki, "server.pem")
    pub = subprocess.run(["openssl", "x509", "-in", pem, "-pubkey", "-noout"], check=True,
                         capture_output=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "der"], input=pub,
                         check=True, capture_output=True).stdout
    import base64
    import hashlib
    return "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()


def cert_not_after(sim):
    info = ssl._ssl._test_decode_cert(os.path.join(sim.pki, "server.pem"))
    return ssl.cert_time_to_seconds(info["notAfter"])


def staff_pin_hash():
    p = subprocess.run([KIOSK, "--hash-pin"], input="246810\n", capture_output=True, text=True,
                       timeout=60)
    check(p.returncode == 0 and p.stdout.startswith("$argon2"), "--hash-pin: %r" % p.stdout)
    return p.stdout.strip()


# ---- the cases -------------------------------------------------------------------

def test_doc_lists_exactly_the_schema():
    documented = doc_rows()
    expected = schema_rows(SCHEMA)
    missing = [r for r in expected if r not in documented]
    extra = [r for r in documented if r not in expected]
    check(not missing and not extra,
          "docs/operations.md and the report differ: undocumented %s; documented but not "
          "in the report %s" % (missing, extra))
    check([r[0] for r in documented] == [r[0] for r in expected],
          "docs/operations.md lists the fields in another order than the report")


def test_everything_up():
    """pcscd with a social security card and an unknown card, district-sim with the
    server key pinned, a printer node, a staff PIN: healthy, exit 0, and every
    part as it really is."""
    with SimEnv(os.path.join(WORK, "up-sim")) as sim, \
            PcscEnv(os.path.join(WORK, "up-pcscd")) as env:
        card = env.card(os.path.join(SOURCE, "tests", "fixtures", "holders", "zhang.ini"))
        card.expect("inserted")
        other = env.card(os.path.join(SOURCE, "tests", "fixtures", "holders", "zhang.ini"),
                         "--unknown", port=env.port + 1, name="unknown")
        other.expect("inserted")
        atr = env.wait_card(True).upper().replace(" ", "")
        env.wait_card(True, name=env.reader.replace("00 00", "00 01"))
        pin_hash = staff_pin_hash()
        pin = server_pin(sim)
        printer = os.path.join(WORK, "up", "lp0")
        config, state = write_config("up", (
            "[card]\nenabled = true\n[printer]\nenabled = true\ndevice = %s\n"
            "[staff]\npin_hash = %s\n%s" % (printer, pin_hash,
                                             backend_ini(sim, extra="pin = %s" % pin))))
        open(printer, "w").close()
        r = diagnose("up", config, pcsc=env)
        rep = r.report
        check(r.rc == 0, "exit %d with problems %s\nstderr: %s" % (r.rc, rep["problems"],
                                                                  r.stderr[-2000:]))
        check(rep["healthy"] is True and rep["problems"] == [], "problems: %s" % rep["problems"])
        check(rep["source"] == "diagnose", "source %r" % rep["source"])

        pc = rep["pcsc"]
        check(pc["running"] and not pc["access_refused"] and pc["error"] is None,
              "pcsc: %s" % pc)
        readers = {x["name"]: x for x in pc["readers"]}
        check(env.reader in readers, "reader %r not listed: %s" % (env.reader, list(readers)))
        mine = readers[env.reader]
        check(mine["state"] == "present" and mine["matches"] and not mine["exclusive"],
              "reader: %s" % mine)
        check(mine["atr"] == atr, "ATR %r, pcscd says %r" % (mine["atr"], atr))
        check(mine["card_kind"] == "social security card", "card kind: %s" % mine)
        unknown = [x for x in pc["readers"] if x["name"] != env.reader]
        check(unknown and unknown[0]["card_kind"] == "unrecognised" and unknown[0]["atr"],
              "the unknown card: %s" % unknown)
        check("6A82" in (unknown[0]["card_detail"] or ""), "why: %s" % unknown[0])
        check(pc["readers_listed"] == 2 and pc["readers_matching"] == 2, "counts: %s" % pc)

        be = rep["backend"]
        check(be["probed"] and be["reachable"] and be["result"] == "ok", "backend: %s" % be)
        check(be["http_status"] == 200 and be["error"] is None, "backend: %s" % be)
        check(be["tls_handshake_ms"] is not None and be["tls_handshake_ms"] >= 0,
              "handshake: %s" % be["tls_handshake_ms"])
        made = datetime.datetime.fromisoformat(rep["generated_at"]).timestamp()
        days = (cert_not_after(sim) - made) // 86400
        check(abs(be["cert_expiry_days"] - days) <= 1,
              "certificate: %s days, the sim's says %d" % (be["cert_expiry_days"], days))
        expires = datetime.datetime.fromisoformat(be["cert_expires"]).timestamp()
        check(abs(expires - cert_not_after(sim)) < 1, "notAfter %s" % be["cert_expires"])
        check(be["clock_skew_s"] is not None and abs(be["clock_skew_s"]) <= 2,
              "skew %s" % be["clock_skew_s"])
        check(be["history"] == "probe" and be["last_success"] and be["last_error"] is None,
              "history: %s" % be)

        pr = rep["printer"]
        check(pr["enabled"] and pr["found"] and pr["transport"] == "device", "printer: %s" % pr)
        check(pr["last_job"] is None, "no job from --diagnose: %s" % pr["last_job"])
        d = rep["display"]
        check(d["source"] == "configured" and d["video_driver"] is None, "display: %s" % d)
        check((d["window_width"], d["window_height"]) == (1080, 1920), "display: %s" % d)
        st = rep["storage"]
        check(st["state_dir"] == state and st["exists"] and st["writable"], "storage: %s" % st)
        check(st["free_mib"] >= st["min_free_mib"] == 50, "storage: %s" % st)
        cfg = rep["config"]
        check(cfg["staff"]["pin_set"] and cfg["backend"]["pin_set"], "pins: %s" % cfg)
        check(not cfg["backend"]["backup_pin_set"], "backup pin: %s" % cfg["backend"])
        check(cfg["backend"]["secret_file"] == sim.secret_path, "secret path: %s" % cfg["backend"])

        # Nothing secret, nothing personal.
        with open(sim.secret_path) as f:
            secret = f.read().strip()
        with open(os.path.join(sim.pki, "kiosks", "JJ-0001.key")) as f:
            key_pem = f.read()
        key_body = "".join(key_pem.strip().splitlines()[1:-1])
        for what, s in (("the device secret", secret), ("the staff PIN hash", pin_hash),
                        ("its salt/hash part", pin_hash.split("$")[-1]),
                        ("the backend pin", pin.split("//", 1)[1]),
                        ("the client key", key_body[:40]), ("the holder's name", HOLDER_NAME),
                        ("the holder's ID number", HOLDER_ID),
                        ("the ID number's tail", HOLDER_ID[-8:])):
            check(s not in r.stdout and s not in r.stderr, "%s is in the output" % what)
        # The probe sent one signed GET (nothing personal), and each card got one APDU,
        # the SELECT of the SSSE application: no record was read (pcscd --apdu logs them).
        check("/kiosk/v1/marriage/offices" in sim.read_log(), "the probe's request is not logged")
        with open(env.pcscd_log, errors="replace") as f:
            apdus = re.findall(r"APDU: ([0-9A-F ]+)", f.read())
        select_ssse = "00 A4 04 00 0F 73 78 31 2E 73 68 2E C9 E7 BB E1 B1 A3 D5 CF"
        check([a.strip() for a in apdus] == [select_ssse, select_ssse],
              "APDUs sent to the cards: %s" % apdus)


def test_shifted_server_clock():
    """The backend's clock ahead by 2 minutes (the Date header) and by an hour
    (refused with CLOCK_SKEW; the probe resends with the server's time)."""
    with SimEnv(os.path.join(WORK, "skew-sim")) as sim:
        config, _ = write_config("skew", "[card]\nenabled = false\n" + backend_ini(sim))
        sim.set_time_offset(120)
        rep = diagnose("skew", config).report
        be = rep["backend"]
        check(be["result"] == "ok" and abs(be["clock_skew_s"] - 120) <= 2, "backend: %s" % be)
        check(be["clock_skew_source"] == "date_header", "source: %s" % be)
        check(any("120 s behind" in w for w in rep["warnings"]), "warnings: %s" % rep["warnings"])
        check(rep["healthy"], "a skew is a warning, not a problem: %s" % rep["problems"])
        sim.set_time_offset(3600)
        r = diagnose("skew", config)
        be = r.report["backend"]
        check(r.rc == 0 and be["result"] == "ok", "backend: %s" % be)
        check(abs(be["clock_skew_s"] - 3600) <= 2 and be["clock_skew_source"] == "server_time",
              "backend: %s" % be)
        sim.set_time_offset(0)


def test_pcscd_down():
    with PcscEnv(os.path.join(WORK, "nopcscd-env")) as env:
        env.kill_pcscd()
        config, _ = write_config("nopcscd", "[card]\nenabled = true\n")
        r = diagnose("nopcscd", config, pcsc=env)
        pc = r.report["pcsc"]
        check(r.rc == 1 and not r.report["healthy"], "exit %d" % r.rc)
        check(pc["running"] is False and pc["access_refused"] is False, "pcsc: %s" % pc)
        check(pc["error_code"] == "0x8010001D" and pc["readers"] == [], "pcsc: %s" % pc)
        problem(r.report, "pcscd", "not running")
        check(len(r.report["problems"]) == 1, "problems: %s" % r.report["problems"])

        # The same with cards disabled: reported, not a problem.
        config, _ = write_config("nopcscd-off", "[card]\nenabled = false\n")
        r = diagnose("nopcscd-off", config, pcsc=env)
        check(r.rc == 0 and r.report["pcsc"]["running"] is False, "cards off: %s" % r.report)


def test_pcscd_refuses():
    """pcscd drops a client polkit refuses, once polkit has answered (by then the
    client has sent its first message): a listener on pcscd's socket that reads
    that message and hangs up stands in for it."""
    with PcscEnv(os.path.join(WORK, "refused-env")) as env:
        env.kill_pcscd()
        # (pcscd removes its socket as it exits, which may come after the stand-in has
        # bound it on a loaded machine: the stand-in binds again when its path goes.)
        listener = env.run([sys.executable, "-c", (
            "import os, select, socket, sys\n"
            "p = '/run/pcscd/pcscd.comm'\n"
            "def listen():\n"
            "    os.path.exists(p) and os.unlink(p)\n"
            "    s = socket.socket(socket.AF_UNIX)\n"
            "    s.bind(p); s.listen(8)\n"
            "    return s, os.stat(p).st_ino\n"
            "s, ino = listen(); print('ready', flush=True)\n"
            "while True:\n"
            "    if select.select([s], [], [], 0.05)[0]:\n"
            "        c = s.accept()[0]\n"
            "        c.recv(64)\n"
            "        c.close()\n"
            "    elif not os.path.exists(p) or os.stat(p).st_ino != ino:\n"
            "        s.close(); s, ino = listen()\n")], stdout=subprocess.PIPE)
        check(listener.stdout.readline().strip() == b"ready", "the stand-in did not start")
        config, _ = write_config("refused", "[card]\nenabled = true\n")
        # On a loaded machine pcsc-lite's client now and then gives up connecting to the
        # stand-in ("Service not available") before it accepts: ask again, a few times.
        for _ in range(4):
            r = diagnose("refused", config, pcsc=env)
            pc = r.report["pcsc"]
            if pc["error_code"] != "0x8010001D":
                break
            time.sleep(0.5)
        check(r.rc == 1, "exit %d" % r.rc)
        check(pc["running"] is True and pc["access_refused"] is True, "pcsc: %s" % pc)
        problem(r.report, "refuses", "polkit")


def test_no_matching_reader():
    with PcscEnv(os.path.join(WORK, "noreader-env")) as env:
        config, _ = write_config("noreader", "[card]\nenabled = true\nreader = Gemalto\n")
        r = diagnose("noreader", config, pcsc=env)
        pc = r.report["pcsc"]
        check(r.rc == 1, "exit %d" % r.rc)
        check(pc["readers_listed"] == 2 and pc["readers_matching"] == 0, "pcsc: %s" % pc)
        check(all(not x["matches"] and x["state"] == "empty" and x["atr"] is None
                  and x["card_kind"] is None for x in pc["readers"]), "readers: %s" % pc)
        problem(r.report, "no card reader", "Gemalto")


def test_backend_down():
    sim = SimEnv(os.path.join(WORK, "down-sim"))
    with sim:
        config, _ = write_config("down", "[card]\nenabled = false\n" +
                                 backend_ini(sim, extra="connect_timeout_ms = 2000"))
    # district-sim has stopped: nobody listens on its port any more.
    r = diagnose("down", config)
    be = r.report["backend"]
    check(r.rc == 1, "exit %d" % r.rc)
    check(be["probed"] and be["reachable"] is False and be["result"] == "unreachable",
          "backend: %s" % be)
    check(be["last_error"] and be["last_error_at"] and be["last_success"] is None,
          "backend: %s" % be)
    check(be["tls_handshake_ms"] is None and be["http_status"] is None, "backend: %s" % be)
    problem(r.report, "backend", "cannot be reached")


def test_backend_refuses():
    """Reachable, but the kiosk's certificate is not one the backend knows."""
    with SimEnv(os.path.join(WORK, "refuse-sim")) as sim:
        config, _ = write_config("refuse", "[card]\nenabled = false\n" +
                                 backend_ini(sim).replace("kiosk_id = JJ-0001",
                                                          "kiosk_id = JJ-0002"))
        r = diagnose("refuse", config)
        be = r.report["backend"]
        check(r.rc == 1 and be["reachable"] and be["result"] == "http", "backend: %s" % be)
        check(be["http_status"] == 401 and be["error_code"] == "CERT_UNKNOWN", "backend: %s" % be)
        problem(r.report, "backend", "refuses")

        # A pinned key that is not the server's: the handshake is refused, and said so.
        config, _ = write_config("wrongpin", "[card]\nenabled = false\n" + backend_ini(
            sim, extra="pin = sha256//" + "A" * 43 + "="))
        r = diagnose("wrongpin", config)
        be = r.report["backend"]
        check(r.rc == 1 and not be["reachable"] and be["result"] == "tls", "backend: %s" % be)
        check("public key" in be["error"].lower() or "pin" in be["error"].lower(),
              "the reason: %s" % be["error"])
        problem(r.report, "backend", "cannot be reached", "tls")


def test_printer_missing():
    config, _ = write_config("noprinter", "[card]\nenabled = false\n[printer]\nenabled = true\n"
                             "device = /nonexistent/usb/lp0\n")
    r = diagnose("noprinter", config)
    pr = r.report["printer"]
    check(r.rc == 1, "exit %d" % r.rc)
    check(pr["found"] is False and pr["device"] == "/nonexistent/usb/lp0", "printer: %s" % pr)
    problem(r.report, "printer", "/nonexistent/usb/lp0")
    check(len(r.report["problems"]) == 1, "problems: %s" % r.report["problems"])


def test_usb_printer():
    """Over libusb (umockdev's emulated printer and reader): the devices with their
    roles, and the printer found by its class."""
    if not shutil.which("umockdev-run"):
        raise AssertionError("umockdev-run not found (Debian package umockdev)")
    config, _ = write_config("usb", "[card]\nenabled = false\n[printer]\nenabled = true\n")
    usb = os.path.join(SOURCE, "tests", "usb")
    asan = os.environ.get("ASAN_OPTIONS", "")
    r = diagnose("usb", config, wrap=["umockdev-run", "--device", usb + "/printer.umockdev",
                                      "--device", usb + "/reader.umockdev", "--"],
                 env={"ASAN_OPTIONS": "verify_asan_link_order=0:" + asan})
    devices = {d["id"]: d for d in r.report["usb"]["devices"]}
    check(r.rc == 0, "exit %d: %s" % (r.rc, r.report["problems"]))
    check(devices.get("0416:5011", {}).get("role") == "printer", "devices: %s" % devices)
    check(devices["0416:5011"]["class"] == 7 and devices["0416:5011"]["class_name"] == "printer",
          "printer: %s" % devices["0416:5011"])
    check([d["role"] for d in devices.values()].count("card-reader") == 1, "devices: %s" % devices)
    pr = r.report["printer"]
    check(pr["found"] and pr["transport"] == "usb" and "0416:5011" in pr["detail"],
          "printer: %s" % pr)


def test_storage():
    """A state directory that is missing, and one with less than 50 MiB free."""
    config, state = write_config("nostate", "[card]\nenabled = false\n")
    shutil.rmtree(state)
    r = diagnose("nostate", config)
    st = r.report["storage"]
    check(r.rc == 1 and not st["exists"] and not st["writable"] and st["free_mib"] is None,
          "storage: %s" % st)
    problem(r.report, "state directory", "does not exist")

    config, state = write_config("small", "[card]\nenabled = false\n")
    argv = ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
            'mount -t tmpfs -o size=8m tmpfs "$0" && exec "$@"', state]
    r = diagnose("small", config, wrap=argv)
    st = r.report["storage"]
    check(r.rc == 1 and st["writable"] and st["free_mib"] is not None and st["free_mib"] <= 8,
          "storage: %s" % st)
    problem(r.report, "MiB", state)


def test_no_window_and_usage():
    """Nothing enabled: healthy with no display at all; --help lists --diagnose."""
    config, _ = write_config("quiet", "[card]\nenabled = false\n")
    r = diagnose("quiet", config)
    check(r.rc == 0 and r.report["healthy"], "exit %d: %s" % (r.rc, r.report["problems"]))
    check(r.report["backend"]["probed"] is False and r.report["backend"]["result"] is None,
          "backend: %s" % r.report["backend"])
    p = subprocess.run([KIOSK, "--help"], capture_output=True, text=True, timeout=30)
    check("--diagnose" in p.stdout, "--help does not mention --diagnose")


if __name__ == "__main__":
    if not KIOSK or not SOURCE:
        sys.exit("KS_KIOSK and KS_SOURCE_DIR must be set (run through ctest)")
    os.makedirs(WORK, exist_ok=True)
    main([test_doc_lists_exactly_the_schema, test_everything_up, test_shifted_server_clock,
          test_pcscd_down, test_pcscd_refuses, test_no_matching_reader, test_backend_down,
          test_backend_refuses, test_printer_missing, test_usb_printer, test_storage,
          test_no_window_and_usage])
