# SPDX-License-Identifier: GPL-3.0-or-later
"""Test helper: a private tools/district-sim over mutual TLS, with its own dev PKI
(scripts/pki) and SQLite file in a temp dir, on free ports of 127.0.0.1.

    with SimEnv() as sim:
        status, headers, body = sim.request("POST", "/citizens/lookup", {...})

The server is always killed on exit (and at interpreter exit); its stderr goes
to a file that run_tests() prints when a test failed. Needs no root.
"""
import atexit
import datetime
import hashlib
import hmac
import http.client
import itertools
import json
import os
import secrets
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get("KS_SOURCE_DIR") or os.path.normpath(os.path.join(HERE, "..", ".."))
PKI = os.path.join(SOURCE, "scripts", "pki")
PREFIX = "/kiosk/v1"
TZ = datetime.timezone(datetime.timedelta(hours=8))


def sim_binary():
    """The district-sim binary: $KS_DISTRICT_SIM, else a guess in the usual build dirs."""
    env = os.environ.get("KS_DISTRICT_SIM")
    if env:
        return env
    for build in ("build", "build-sim"):
        path = os.path.join(SOURCE, build, "tools", "district-sim", "district-sim")
        if os.access(path, os.X_OK):
            return path
    raise RuntimeError("district-sim not found: set KS_DISTRICT_SIM")


# Server logs of every SimEnv of this process, printed by run_tests() on failure.
_LOGS = []
_RUNNING = set()


@atexit.register
def _kill_leftovers():
    for proc in list(_RUNNING):
        if proc.poll() is None:
            proc.kill()
            proc.wait()


# ---- ID numbers -------------------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _WEIGHTS)) % 11]


_SEQ = itertools.count()


def make_id(birth, male, region="500116", seq=None):
    """A valid GB 11643 number for a birth date (datetime.date) and sex; without `seq`,
    a different number on each call (within 450 calls for one date and sex)."""
    if seq is None:
        seq = 100 + (next(_SEQ) % 450) * 2
    seq = seq - (seq % 2) + (1 if male else 0)
    if seq > 999:
        seq -= 2
    first17 = "%s%s%03d" % (region, birth.strftime("%Y%m%d"), seq)
    return first17 + id_check(first17)


def add_years(d, years):
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def new_key():
    return str(uuid.uuid4())


class SimEnv:
    """A running district-sim. See the module docstring."""

    def __init__(self, tmpdir=None, demo=True, extra_args=(), kiosk_id="JJ-0001", kiosks=()):
        self._own_tmp = tmpdir is None
        self.tmp = tmpdir or tempfile.mkdtemp(prefix="district-sim-")
        os.makedirs(self.tmp, exist_ok=True)
        self.demo = demo
        self.extra_args = list(extra_args)
        self.kiosk_id = kiosk_id
        self.kiosks = [kiosk_id] + [k for k in kiosks if k != kiosk_id]
        self.pki = os.path.join(self.tmp, "pki")
        self.db = os.path.join(self.tmp, "sim.sqlite")
        self.port_file = os.path.join(self.tmp, "ports")
        self.log_path = os.path.join(self.tmp, "district-sim.log")
        self.secret_path = os.path.join(self.pki, "kiosks", kiosk_id + ".secret")
        self.port = self.admin_port = 0
        self.time_offset = 0
        self.proc = None
        self._log = None
        self._log_text = ""
        _LOGS.append(self)

    # ---- lifecycle ---------------------------------------------------------------

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            self.print_log()
            raise
        return self

    def __exit__(self, exc_type, exc, tb):
        rc = self.stop()
        if exc_type is not None or rc not in (0, None):
            self.print_log()
        self.cleanup()
        if exc_type is None and rc not in (0, None):
            # A crash, a sanitizer report (leaks show at exit) or an unclean shutdown.
            raise AssertionError("district-sim exited with status %d (log above)" % rc)
        return False

    def start(self, port=0, admin_port=0):
        subprocess.run([PKI, self.pki] + self.kiosks, check=True, capture_output=True, timeout=60)
        if os.path.exists(self.port_file):
            os.unlink(self.port_file)
        args = [sim_binary(), "--cert", os.path.join(self.pki, "server.pem"),
                "--key", os.path.join(self.pki, "server.key"),
                "--ca", os.path.join(self.pki, "ca.pem"),
                "--secrets-dir", os.path.join(self.pki, "kiosks"),
                "--db", self.db, "--bind", "127.0.0.1",
                "--port", str(port), "--admin-port", str(admin_port),
                "--port-file", self.port_file, "--verbose"]
        if self.demo:
            args.append("--demo-data")
        # The same holiday list as the kiosk (make-up working days included).
        args += ["--holidays", os.path.join(SOURCE, "config", "holidays.txt")]
        args += self.extra_args
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(args, stdout=self._log, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL)
        _RUNNING.add(self.proc)
        deadline = time.monotonic() + 30
        while True:
            if os.path.exists(self.port_file):
                with open(self.port_file) as f:
                    text = f.read()
                if text.endswith("\n"):
                    self.port, self.admin_port = (int(x) for x in text.split())
                    break
            if self.proc.poll() is not None:
                raise RuntimeError("district-sim exited with %d:\n%s"
                                   % (self.proc.returncode, self.read_log()))
            if time.monotonic() > deadline:
                raise RuntimeError("district-sim did not write its port file:\n" + self.read_log())
            time.sleep(0.02)
        if self.time_offset:
            self.set_time_offset(self.time_offset)

    def stop(self):
        """SIGTERM, then SIGKILL after 15 s; returns the exit status (None if not running)."""
        rc = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
            rc = self.proc.returncode
            _RUNNING.discard(self.proc)
            self.proc = None
        if self._log is not None:
            self._log.close()
            self._log = None
        self._log_text = self.read_log()
        return rc

    def restart(self):
        """Stops and starts again with the same db, PKI and (if still free) ports."""
        port, admin = self.port, self.admin_port
        rc = self.stop()
        assert rc == 0, "district-sim exited with status %s" % rc
        try:
            self.start(port, admin)
        except RuntimeError:
            self.stop()
            self.start()

    def cleanup(self):
        if self._own_tmp and self.proc is None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def read_log(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return self._log_text

    def print_log(self):
        text = self.read_log() if self.proc is not None else (self._log_text or self.read_log())
        sys.stderr.write("---- district-sim log (%s) ----\n%s---- end of log ----\n"
                         % (self.tmp, text))

    @property
    def url(self):
        return "https://127.0.0.1:%d%s" % (self.port, PREFIX)

    # ---- admin port --------------------------------------------------------------------

    def admin(self, method, path, body=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.admin_port, timeout=10)
        try:
            data = None if body is None else json.dumps(body).encode()
            conn.request(method, path, body=data,
                         headers={"Content-Type": "application/json"} if data else {})
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, json.loads(raw) if raw else None
        finally:
            conn.close()

    def fault(self, path, kind, method="*", count=1, delay_ms=0, status=0):
        body = {"path": path, "method": method, "kind": kind, "count": count,
                "delay_ms": delay_ms}
        if status:
            body["status"] = status
        st, answer = self.admin("POST", "/admin/faults", body)
        assert st == 200, (st, answer)
        return answer

    def clear_faults(self):
        st, _ = self.admin("DELETE", "/admin/faults")
        assert st == 200

    def stats(self):
        st, answer = self.admin("GET", "/admin/stats")
        assert st == 200
        return answer

    def set_time_offset(self, seconds):
        st, answer = self.admin("POST", "/admin/time", {"offset_s": int(seconds)})
        assert st == 200, answer
        self.time_offset = int(seconds)
        return answer

    def admin_booking(self, type, office, date, parties, hhmm=900, status=None):
        """Inserts a booking directly (POST /admin/bookings: no window, age or capacity
        rule), e.g. one for today; `date` is a datetime.date, "YYYY-MM-DD" or "today",
        `parties` 1 or 2 ID numbers. Returns the booking number."""
        body = {"type": type, "office": office,
                "date": date if isinstance(date, str) else date.isoformat(),
                "hhmm": hhmm, "parties": list(parties)}
        if status:
            body["status"] = status
        st, answer = self.admin("POST", "/admin/bookings", body)
        assert st == 200, (st, answer)
        return answer["number"]

    def server_time(self):
        """Unix seconds of the server's clock (real time + offset)."""
        return int(time.time()) + self.time_offset

    def server_today(self):
        """The server's date in +08:00."""
        return datetime.datetime.fromtimestamp(time.time() + self.time_offset, TZ).date()

    # ---- the contract's port -------------------------------------------------------------

    def ssl_context(self, cert=True, cert_files=None):
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(os.path.join(self.pki, "ca.pem"))
        if cert_files:
            ctx.load_cert_chain(*cert_files)
        elif cert:
            base = os.path.join(self.pki, "kiosks", self.kiosk_id)
            ctx.load_cert_chain(base + ".pem", base + ".key")
        return ctx

    def connection(self, cert=True, cert_files=None, timeout=20):
        return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=timeout,
                                           context=self.ssl_context(cert, cert_files))

    def secret(self, kiosk_id=None):
        path = os.path.join(self.pki, "kiosks", (kiosk_id or self.kiosk_id) + ".secret")
        with open(path) as f:
            return bytes.fromhex(f.read().strip())

    @staticmethod
    def signature(secret, method, path, kiosk_id, timestamp, nonce, body):
        sts = "\n".join([method, path, kiosk_id, str(timestamp), nonce,
                         hashlib.sha256(body).hexdigest()])
        return hmac.new(secret, sts.encode(), hashlib.sha256).hexdigest()

    def request(self, method, path, body=None, key=None, sign=True, cert=True, timestamp=None,
                nonce=None, secret=None, kiosk_id=None, headers=None, conn=None,
                cert_files=None, sign_kiosk_id=None, raw=False):
        """One signed request; returns (status, {lower-case header: value}, JSON or bytes).

        `path` may omit /kiosk/v1. `body` is a dict (sent as JSON), str or bytes.
        `headers` entries override the computed ones (a None value removes one).
        With `conn`, reuses that connection (keep-alive) instead of a new one.
        With `raw`, the body is returned as bytes, unparsed.
        """
        full = path if path.startswith(PREFIX) else PREFIX + path
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body
        elif isinstance(body, str):
            data = body.encode()
        else:
            data = json.dumps(body, ensure_ascii=False).encode()
        kiosk = kiosk_id or self.kiosk_id
        ts = int(time.time()) + self.time_offset if timestamp is None else timestamp
        nonce = nonce or secrets.token_hex(16)
        hdrs = {"X-Kiosk-Id": kiosk, "X-Timestamp": str(ts), "X-Nonce": nonce}
        if sign:
            key_bytes = secret if secret is not None else self.secret(kiosk_id)
            hdrs["X-Signature"] = self.signature(key_bytes, method, full,
                                                 sign_kiosk_id or kiosk, ts, nonce, data)
        if data:
            hdrs["Content-Type"] = "application/json"
        if key:
            hdrs["Idempotency-Key"] = key
        for k, v in (headers or {}).items():
            hdrs.pop(k, None)
            if v is not None:
                hdrs[k] = v
        own = conn is None
        c = conn or self.connection(cert, cert_files)
        try:
            c.request(method, full, body=data if (data or method != "GET") else None,
                      headers=hdrs)
            resp = c.getresponse()
            data_in = resp.read()
            rh = {k.lower(): v for k, v in resp.getheaders()}
        finally:
            if own:
                c.close()
        if raw:
            return resp.status, rh, data_in
        parsed = data_in
        if data_in and rh.get("content-type", "").startswith("application/json"):
            try:
                parsed = json.loads(data_in)
            except ValueError:
                parsed = data_in
        return resp.status, rh, parsed

    # ---- conveniences for tests ------------------------------------------------------------

    def lookup(self, id_number, card_kind="SSC3", card_number="A00000001"):
        st, _, body = self.request("POST", "/citizens/lookup",
                                   {"id_number": id_number, "card_kind": card_kind,
                                    "card_number": card_number})
        assert st == 200, (st, body)
        return body["citizen"]

    def slots(self, office, frm, to, type_="MARRIAGE"):
        st, _, body = self.request("GET", "/marriage/slots?office=%s&from=%s&to=%s&type=%s"
                                   % (office, frm, to, type_))
        assert st == 200, (st, body)
        return body["slots"]

    def working_days(self, office="JJ01", days=45):
        """The server's working days (those with slots) after its today."""
        today = self.server_today()
        listed = self.slots(office, (today + datetime.timedelta(days=1)).isoformat(),
                            (today + datetime.timedelta(days=days)).isoformat())
        return sorted({datetime.date.fromisoformat(x["start"][:10]) for x in listed})

    def working_days_ahead(self, n):
        """The n-th working day after the server's today (holidays excluded)."""
        return self.working_days()[n - 1]

    def in_window(self, day):
        """The booking window: from the 2nd working day ahead to today + 30 days."""
        return self.working_days_ahead(2) <= day <= self.server_today() + datetime.timedelta(days=30)

    def open_slots(self, office="JJ01", type_="MARRIAGE", min_remaining=1):
        """Bookable slots (inside the window) with at least `min_remaining` places."""
        today = self.server_today()
        earliest = self.working_days_ahead(2)
        latest = today + datetime.timedelta(days=30)
        out = []
        for s in self.slots(office, earliest.isoformat(), latest.isoformat(), type_):
            if s["remaining"] >= min_remaining:
                out.append(s)
        return out

    def book(self, type_, slot, tokens, key=None, phones=None):
        phones = phones or ["13812345678", "13987654321"]
        body = {"type": type_, "slot": slot,
                "parties": [{"citizen": t, "phone": p} for t, p in zip(tokens, phones)]}
        return self.request("POST", "/marriage/bookings", body, key=key or new_key())


class SimTest(unittest.TestCase):
    """One SimEnv per test class (cls.sim); SIM_ARGS are SimEnv's keyword arguments."""
    SIM_ARGS = {}

    @classmethod
    def setUpClass(cls):
        cls.sim = SimEnv(**cls.SIM_ARGS).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)


def run_tests():
    """unittest.main() that prints the server logs when something failed."""
    prog = unittest.main(exit=False, verbosity=2)
    ok = prog.result.wasSuccessful()
    if not ok:
        for env in _LOGS:
            env.print_log()
    sys.exit(0 if ok else 1)
