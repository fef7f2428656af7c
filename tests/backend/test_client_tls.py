# SPDX-License-Identifier: GPL-3.0-or-later
"""Mutual TLS and signing as seen from the kiosk's client: a server certificate
from another CA is refused, a pinned key must match (the backup pin works), a
client certificate from another CA and a wrong device secret are refused by
the server, and a secret file others can read is refused by the client."""
import base64
import hashlib
import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from client_env import SimCase, kiosk_config, call  # noqa: E402

SOURCE = os.environ.get("KS_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))


def pin_of(cert):
    """sha256//BASE64 of the certificate's SubjectPublicKeyInfo (curl's pin format)."""
    pub = subprocess.run(["openssl", "x509", "-in", cert, "-noout", "-pubkey"],
                         capture_output=True, check=True).stdout
    der = subprocess.run(["openssl", "pkey", "-pubin", "-outform", "DER"], input=pub,
                         capture_output=True, check=True).stdout
    return "sha256//" + base64.b64encode(hashlib.sha256(der).digest()).decode()


class ClientTls(SimCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Another, unrelated PKI: same names, other keys.
        cls.rogue = os.path.join(cls.tmp.name, "rogue")
        subprocess.run([os.path.join(SOURCE, "scripts", "pki"), cls.rogue, cls.sim.kiosk_id],
                       check=True, capture_output=True)

    def test_baseline(self):
        rc, r, _ = call(self.cfg, "offices", expect_rc=0)

    def test_server_from_another_ca_refused(self):
        rc, r, _ = call(self.cfg, "offices", opts=["--ca", os.path.join(self.rogue, "ca.pem")],
                        expect_rc=1)
        self.assertEqual(r["result"], "tls")
        self.assertEqual(r["attempts"], 1)  # not retried: it will not get better

    def test_pinning(self):
        good = pin_of(os.path.join(self.sim.pki, "server.pem"))
        bad = pin_of(os.path.join(self.rogue, "server.pem"))
        call(self.cfg, "offices", opts=["--pin", good], expect_rc=0)
        rc, r, _ = call(self.cfg, "offices", opts=["--pin", bad], expect_rc=1)
        self.assertEqual(r["result"], "tls")
        # Primary pin for a key not rolled out yet, backup pin for the current one.
        call(self.cfg, "offices", opts=["--pin", bad + ";" + good], expect_rc=0)

    def test_client_certificate_from_another_ca(self):
        kid = self.sim.kiosk_id
        cfg = kiosk_config(self.sim, os.path.join(self.tmp.name, "k-rogue"),
                           cert=os.path.join(self.rogue, "kiosks", kid + ".pem"),
                           key=os.path.join(self.rogue, "kiosks", kid + ".key"))
        rc, r, _ = call(cfg, "offices", expect_rc=1)
        # Refused in the handshake (tls) or right after it (401 CERT_UNKNOWN).
        self.assertTrue(r["result"] in ("tls", "unreachable") or r["error_code"] == "CERT_UNKNOWN",
                        r)

    def test_wrong_device_secret(self):
        cfg = kiosk_config(self.sim, os.path.join(self.tmp.name, "k-secret"),
                           secret=os.path.join(self.rogue, "kiosks", self.sim.kiosk_id + ".secret"))
        rc, r, _ = call(cfg, "offices", expect_rc=1)
        self.assertEqual((r["status"], r["error_code"], r["attempts"]), (401, "BAD_SIGNATURE", 1))

    def test_secret_readable_by_others_refused(self):
        loose = os.path.join(self.tmp.name, "loose.secret")
        shutil.copy(self.sim.secret_path, loose)
        os.chmod(loose, 0o644)
        cfg = kiosk_config(self.sim, os.path.join(self.tmp.name, "k-loose"), secret=loose)
        rc, r, err = call(cfg, "offices", expect_rc=2)
        self.assertIn("chmod 600", err)


    def test_bad_settings_refused_at_start(self):
        # A path would change what is signed; a pin that is not sha256// would be read
        # by curl as a file name.
        for opts, words in ((["--url", self.sim.url.replace("/kiosk/v1", "") + "/api"], "url"),
                            (["--url", "http://127.0.0.1:1"], "url"),
                            (["--pin", "server.pem"], "pins")):
            rc, r, err = call(self.cfg, "offices", opts=opts, expect_rc=2)
            self.assertIn(words, err)


if __name__ == "__main__":
    unittest.main(verbosity=2)
