# SPDX-License-Identifier: GPL-3.0-or-later
"""district-sim authentication: mutual TLS, the kiosk id, signatures, timestamps and
nonces, body size, and robustness against broken clients."""
import http.client
import json
import os
import secrets
import socket
import ssl
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from contract_shapes import check_error  # noqa: E402
from sim_env import PKI, SimEnv, run_tests  # noqa: E402

REFUSED = (ssl.SSLError, ConnectionError, http.client.RemoteDisconnected, OSError)


class Auth(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = SimEnv(kiosks=("JJ-0002", "JJ-0003")).__enter__()
        # JJ-0003 has a certificate but no secret: the district does not know it.
        os.unlink(os.path.join(cls.sim.pki, "kiosks", "JJ-0003.secret"))
        other = os.path.join(cls.sim.tmp, "other-ca")
        subprocess.run([PKI, other, "JJ-0001"], check=True, capture_output=True)
        cls.other = (os.path.join(other, "kiosks", "JJ-0001.pem"),
                     os.path.join(other, "kiosks", "JJ-0001.key"))

    @classmethod
    def tearDownClass(cls):
        cls.sim.__exit__(None, None, None)

    def refused_or_cert_unknown(self, **kw):
        try:
            st, _, body = self.sim.request("GET", "/marriage/offices", **kw)
        except REFUSED:
            return
        self.assertEqual(st, 401, body)
        check_error(body, "CERT_UNKNOWN")

    def error(self, status, code, method="GET", path="/marriage/offices", **kw):
        st, _, body = self.sim.request(method, path, **kw)
        self.assertEqual(st, status, body)
        return check_error(body, code)

    # ---- certificates ---------------------------------------------------------------------

    def test_no_client_certificate(self):
        self.refused_or_cert_unknown(cert=False)

    def test_certificate_from_another_ca(self):
        self.refused_or_cert_unknown(cert_files=self.other)

    def test_cn_differs_from_kiosk_id(self):
        # JJ-0001's certificate, a request signed correctly for JJ-0002.
        self.error(401, "CERT_UNKNOWN", kiosk_id="JJ-0002")

    def test_kiosk_without_secret(self):
        base = os.path.join(self.sim.pki, "kiosks", "JJ-0003")
        self.error(401, "CERT_UNKNOWN", cert_files=(base + ".pem", base + ".key"),
                   kiosk_id="JJ-0003", secret=b"\0" * 32)

    def test_second_kiosk_works(self):
        base = os.path.join(self.sim.pki, "kiosks", "JJ-0002")
        st, _, _ = self.sim.request("GET", "/marriage/offices", kiosk_id="JJ-0002",
                                    cert_files=(base + ".pem", base + ".key"))
        self.assertEqual(st, 200)

    # ---- signatures -------------------------------------------------------------------------

    def test_bad_signature(self):
        self.error(401, "BAD_SIGNATURE", secret=secrets.token_bytes(32))
        # Signed for another kiosk id, or another path, or another body.
        self.error(401, "BAD_SIGNATURE", sign_kiosk_id="JJ-0002")
        sig = self.sim.signature(self.sim.secret(), "GET", "/kiosk/v1/policies", "JJ-0001",
                                 self.sim.server_time(), "0" * 32, b"")
        self.error(401, "BAD_SIGNATURE", headers={"X-Signature": sig}, nonce="0" * 32)
        body = {"id_number": "110105198503151230", "card_kind": "SSC3", "card_number": "A1"}
        nonce = secrets.token_hex(16)
        ts = self.sim.server_time()
        sig = self.sim.signature(self.sim.secret(), "POST", "/kiosk/v1/citizens/lookup",
                                 "JJ-0001", ts, nonce, b'{"id_number": "x"}')
        self.error(401, "BAD_SIGNATURE", "POST", "/citizens/lookup", body=body, nonce=nonce,
                   timestamp=ts, headers={"X-Signature": sig})
        # Upper-case hex is not the contract's form.
        st, _, _ = self.sim.request("GET", "/marriage/offices")
        self.assertEqual(st, 200)

    def test_missing_or_malformed_headers(self):
        for name in ("X-Kiosk-Id", "X-Timestamp", "X-Nonce", "X-Signature"):
            self.error(401, "BAD_SIGNATURE", headers={name: None})
        self.error(401, "BAD_SIGNATURE", nonce="ABCDEF" + "0" * 26)
        self.error(401, "BAD_SIGNATURE", nonce="0" * 31)
        self.error(401, "BAD_SIGNATURE", headers={"X-Timestamp": "12ab"})
        self.error(401, "BAD_SIGNATURE", headers={"X-Signature": "A" * 64})
        self.error(401, "BAD_SIGNATURE", sign=False)

    def test_replayed_nonce(self):
        nonce = secrets.token_hex(16)
        st, _, _ = self.sim.request("GET", "/marriage/offices", nonce=nonce)
        self.assertEqual(st, 200)
        self.error(401, "REPLAY", nonce=nonce)
        # A request that failed its signature does not use up its nonce.
        nonce = secrets.token_hex(16)
        self.error(401, "BAD_SIGNATURE", nonce=nonce, secret=b"\1" * 32)
        st, _, _ = self.sim.request("GET", "/marriage/offices", nonce=nonce)
        self.assertEqual(st, 200)

    def test_clock_skew(self):
        now = self.sim.server_time()
        for ts in (now - 301 - 5, now + 301 + 5):
            err = self.error(401, "CLOCK_SKEW", timestamp=ts)["error"]
            self.assertLess(abs(err["server_time"] - now), 10)
        for ts in (now - 290, now + 290):
            st, _, body = self.sim.request("GET", "/marriage/offices", timestamp=ts)
            self.assertEqual(st, 200, body)
        # The window is checked before the signature.
        self.error(401, "CLOCK_SKEW", timestamp=now - 1000, secret=b"\2" * 32)

    # ---- size and robustness -------------------------------------------------------------------

    def test_id_number_in_a_path_is_not_logged(self):
        # A confused client could put an ID number where the token goes: the log masks it.
        idnum = "110105198503151230"
        st, _, _ = self.sim.request("GET", "/citizens/%s/assistance" % idnum)
        self.assertEqual(st, 401)
        with open(self.sim.log_path, encoding="utf-8", errors="replace") as f:
            self.assertNotIn(idnum, f.read())

    def test_body_too_large(self):
        # The size is judged from Content-Length before any body is read: the server
        # answers at once (sending the body first would race its close of the connection).
        conn = self.sim.connection()
        try:
            conn.putrequest("POST", "/kiosk/v1/citizens/lookup")
            for k, v in (("X-Kiosk-Id", "JJ-0001"), ("X-Timestamp", str(self.sim.server_time())),
                         ("X-Nonce", secrets.token_hex(16)), ("X-Signature", "0" * 64),
                         ("Content-Type", "application/json"),
                         ("Content-Length", str(64 * 1024 + 1))):
                conn.putheader(k, v)
            conn.endheaders()
            resp = conn.getresponse()
            body = json.loads(resp.read())
            self.assertEqual((resp.status, body["error"]["code"]), (413, "TOO_LARGE"))
        finally:
            conn.close()
        # Exactly at the cap is read (and then refused as a bad lookup).
        exact = b'{"pad":"' + b"x" * (64 * 1024 - 10) + b'"}'
        self.assertEqual(len(exact), 64 * 1024)
        self.error(400, "BAD_REQUEST", "POST", "/citizens/lookup", body=exact)

    def test_chunked_body_too_large(self):
        conn = self.sim.connection()
        try:
            conn.putrequest("POST", "/kiosk/v1/citizens/lookup")
            for k, v in (("X-Kiosk-Id", "JJ-0001"), ("X-Timestamp", str(self.sim.server_time())),
                         ("X-Nonce", secrets.token_hex(16)), ("X-Signature", "0" * 64),
                         ("Transfer-Encoding", "chunked")):
                conn.putheader(k, v)
            conn.endheaders()
            chunk = b"x" * 16384
            try:
                for _ in range(6):
                    conn.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                conn.send(b"0\r\n\r\n")
                resp = conn.getresponse()
                self.assertEqual(resp.status, 413)
                resp.read()
            except REFUSED:
                pass  # closing the connection is acceptable too
        finally:
            conn.close()
        st, _, _ = self.sim.request("GET", "/marriage/offices")
        self.assertEqual(st, 200)

    def test_huge_header_and_garbage(self):
        try:
            st, _, _ = self.sim.request("GET", "/marriage/offices",
                                        headers={"X-Junk": "a" * 200000})
            self.assertGreaterEqual(st, 400)
        except REFUSED:
            pass
        with socket.create_connection(("127.0.0.1", self.sim.port), timeout=5) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + os.urandom(2000))
            try:
                s.recv(100)
            except OSError:
                pass
        st, _, _ = self.sim.request("GET", "/marriage/offices")
        self.assertEqual(st, 200)

    def test_slow_clients_do_not_block(self):
        # Idle TCP connections and a half-sent request do not hold up others.
        idle = [socket.create_connection(("127.0.0.1", self.sim.port)) for _ in range(5)]
        half = self.sim.connection()
        try:
            half.connect()
            half.sock.sendall(b"POST /kiosk/v1/citizens/lookup HTTP/1.1\r\nHost: x\r\n"
                              b"Content-Length: 1000\r\n\r\n{")
            t0 = time.monotonic()
            st, _, _ = self.sim.request("GET", "/marriage/offices")
            self.assertEqual(st, 200)
            self.assertLess(time.monotonic() - t0, 2)
        finally:
            for s in idle:
                s.close()
            half.close()

    def test_concurrent_requests(self):
        errors = []

        def worker():
            try:
                for _ in range(5):
                    st, _, _ = self.sim.request("GET", "/marriage/offices")
                    if st != 200:
                        errors.append(st)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        self.assertEqual(errors, [])

    def test_stats_count_rejections(self):
        before = self.sim.stats()
        self.error(401, "REPLAY", nonce=self._used_nonce())
        after = self.sim.stats()
        self.assertEqual(after["rejected"].get("REPLAY", 0),
                         before["rejected"].get("REPLAY", 0) + 1)
        self.assertGreater(after["requests"], before["requests"])

    def _used_nonce(self):
        nonce = secrets.token_hex(16)
        self.sim.request("GET", "/marriage/offices", nonce=nonce)
        return nonce


if __name__ == "__main__":
    run_tests()
