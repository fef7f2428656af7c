# SPDX-License-Identifier: GPL-3.0-or-later
"""The kiosk's own backend client (app/backend through tools/backend-cli) against
district-sim (sim_env.SimEnv): a kiosk config for a SimEnv, and one call of
the ks-backend CLI returning its JSON reply."""
import json
import os
import subprocess
import tempfile

from sim_env import SimTest, id_check

KS_BACKEND = os.environ.get("KS_BACKEND_CLI", "")


def backend_ini(sim, url=None, ca=None, cert=None, key=None, secret=None, extra=""):
    """The kiosk config's [backend] section for a running SimEnv."""
    kid = sim.kiosk_id
    return ("[backend]\nenabled = true\nurl = %s\nca = %s\ncert = %s\nkey = %s\n"
            "secret_file = %s\nkiosk_id = %s\n%s\n" % (
                url or sim.url, ca or os.path.join(sim.pki, "ca.pem"),
                cert or os.path.join(sim.pki, "kiosks", kid + ".pem"),
                key or os.path.join(sim.pki, "kiosks", kid + ".key"),
                secret or sim.secret_path, kid, extra))


def kiosk_config(sim, state_dir, extra="", **paths):
    """Writes <state_dir>/kiosk.ini with a [backend] section pointing at sim."""
    os.makedirs(state_dir, exist_ok=True)
    path = os.path.join(state_dir, "kiosk.ini")
    with open(path, "w") as f:
        f.write("[kiosk]\nstate_dir = %s\n[log]\nlevel = debug\n" % state_dir)
        f.write(backend_ini(sim, extra=extra, **paths))
    return path


def call(config, *args, opts=(), timeout=60, expect_rc=None):
    """Runs `ks-backend --config CONFIG [opts] ARGS`; returns (rc, reply dict, stderr).
    `lookup ID CARD` passes the ID number on stdin, as the CLI requires."""
    if not KS_BACKEND:
        raise RuntimeError("KS_BACKEND_CLI must name the ks-backend binary (run through ctest)")
    stdin = ""
    if args and args[0] == "lookup":
        stdin, args = args[1] + "\n", (args[0], "-") + tuple(args[2:])
    p = subprocess.run([KS_BACKEND, "--config", config, *opts, *args], capture_output=True,
                       text=True, timeout=timeout, input=stdin)
    reply = None
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if lines:
        reply = json.loads(lines[-1])
    if expect_rc is not None and p.returncode != expect_rc:
        raise AssertionError("ks-backend %s: exit %d, expected %d\nstdout: %s\nstderr: %s" % (
            " ".join(args), p.returncode, expect_rc, p.stdout, p.stderr[-3000:]))
    return p.returncode, reply, p.stderr


_seq = [100]


def make_id(birth, male, region="500381"):
    """A valid GB 11643 ID number, unique within this process (synthetic)."""
    _seq[0] += 2
    seq = _seq[0] + (os.getpid() % 300) * 2
    seq = seq % 998 + 1
    if (seq % 2 == 1) != male:
        seq += 1
    body = "%s%s%03d" % (region, birth, seq % 1000)
    return body + id_check(body)


def lookup(config, id_number, card="A00000001"):
    rc, r, err = call(config, "lookup", id_number, card, expect_rc=0)
    return r["answer"]["citizen"]


def bookable_slot(config, office="JJ01", kind="MARRIAGE", skip=0):
    """A slot with room, at least 5 days ahead (inside the booking window)."""
    import datetime
    today = datetime.date.today()
    frm = (today + datetime.timedelta(days=5)).isoformat()
    to = (today + datetime.timedelta(days=25)).isoformat()
    rc, r, err = call(config, "slots", office, frm, to, kind, expect_rc=0)
    free = [s for s in r["answer"]["slots"] if s["remaining"] > 0]
    if len(free) <= skip:
        raise AssertionError("no free slot between %s and %s" % (frm, to))
    return free[skip]


class SimCase(SimTest):
    """SimTest plus a kiosk config for it (cls.cfg, state in cls.state, scratch in cls.tmp)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tmp = tempfile.TemporaryDirectory(prefix="ks-%s-" % cls.__name__.lower())
        cls.state = os.path.join(cls.tmp.name, "kiosk")
        cls.cfg = kiosk_config(cls.sim, cls.state)

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        cls.tmp.cleanup()

    def tearDown(self):
        self.sim.clear_faults()
