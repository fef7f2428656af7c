# SPDX-License-Identifier: GPL-3.0-or-later
"""The private PC/SC stack works: a virtual reader appears in a pcscd of our
own, tools/virtual-card is seen as a card (ATR, APDUs), removal is seen, and
a killed pcscd comes back with its reader. Needs root (fails clearly without).

Environment (set by ctest): KS_VIRTUAL_CARD, KS_SOURCE_DIR, KS_ARTIFACTS.
"""
import functools
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
sys.path.insert(0, HERE)

from harness import Failure, check, main  # noqa: E402
from pcsc_env import READER, PcscEnv, PcscEnvError  # noqa: E402

SOURCE = os.environ.get("KS_SOURCE_DIR", os.path.join(HERE, "..", ".."))
ARTIFACTS = os.environ.get("KS_ARTIFACTS", "/tmp/civic-kiosk-artifacts")
HOLDER = os.path.join(SOURCE, "tests", "fixtures", "holders", "zhang.ini")
SELECT_SSSE = "00A404000F7378312E73682EC9E7BBE1B1A3D5CF"


def workdir(name):
    d = os.path.join(ARTIFACTS, "pcsc", "test_env_smoke", name)
    shutil.rmtree(d, ignore_errors=True)
    return d


def with_env(fn):
    """Runs the test in a fresh PcscEnv; PcscEnvError is a test failure."""
    @functools.wraps(fn)
    def wrapper():
        try:
            with PcscEnv(workdir(fn.__name__)) as env:
                fn(env)
        except PcscEnvError as e:
            raise Failure(str(e))
    return wrapper


def scan_cards(env):
    """pcsc_scan -c (one listing, no ATR analysis, no network) in the namespace:
    {reader: {"state": "Card inserted"/"Card removed", "atr": "3B..."}}."""
    r = env.call(["pcsc_scan", "-c"], timeout=20)
    check(r.returncode == 0, "pcsc_scan -c exited %d: %s" % (r.returncode, r.stderr))
    out = re.sub(r"\x1b\[[0-9;]*m", "", r.stdout)
    readers, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"\s*Reader \d+: (.*\S)", line)
        if m:
            cur = readers.setdefault(m.group(1), {"state": "", "atr": ""})
            continue
        m = re.match(r"\s*Card state: (.*?),?\s*$", line)
        if m and cur is not None:
            cur["state"] = m.group(1)
        m = re.match(r"\s*ATR: ([0-9A-F ]+)$", line)
        if m and cur is not None:
            cur["atr"] = m.group(1).replace(" ", "")
    return readers


@with_env
def test_reader_appears(env):
    readers = env.readers()
    check(READER in readers, "pcscd lists %s, not %r" % (list(readers), READER))
    check(not readers[READER]["present"], "a card in the reader before any: %s" % readers)
    r = env.call(["pcsc_scan", "-r"], timeout=20)
    check(r.returncode == 0 and "0: " + READER in r.stdout,
          "pcsc_scan -r in the namespace (rc %d): %r" % (r.returncode, r.stdout))
    # The socket is private: inside it is ours; the host's /run/pcscd is another directory.
    check(os.path.exists(env.socket_path), "no %s" % env.socket_path)
    inside = os.stat(os.path.dirname(env.socket_path))
    outside = os.stat("/run/pcscd")
    check((inside.st_dev, inside.st_ino) != (outside.st_dev, outside.st_ino),
          "the namespace's /run/pcscd is the host's")
    if os.path.exists("/run/pcscd/pcscd.comm"):  # a system pcscd: must not be ours
        host = os.stat("/run/pcscd/pcscd.comm")
        mine = os.stat(env.socket_path)
        check((host.st_dev, host.st_ino) != (mine.st_dev, mine.st_ino),
              "our pcscd socket is visible on the host")
    # A client outside reaches it only by naming the socket.
    e = dict(os.environ, PCSCLITE_CSOCK_NAME=env.socket_path)
    r = subprocess.run(["pcsc_scan", "-r"], env=e, capture_output=True, text=True, timeout=20)
    check("0: " + READER in r.stdout, "via PCSCLITE_CSOCK_NAME: %r %r" % (r.stdout, r.stderr))


@with_env
def test_insert_shows_atr(env):
    card = env.card(HOLDER)
    card.expect("inserted")
    t0 = time.monotonic()
    atr = env.wait_card(True)
    seen = time.monotonic() - t0
    check(atr.startswith("3B") and len(atr) >= 4, "odd ATR %r" % atr)
    scan = scan_cards(env)
    check(scan.get(READER, {}).get("state") == "Card inserted", "pcsc_scan: %s" % scan)
    check(scan[READER]["atr"] == atr, "pcsc_scan ATR %r, probe %r" % (scan[READER]["atr"], atr))
    # An APDU through the real stack reaches the card and comes back.
    resp = env.transmit([SELECT_SSSE])
    check(resp == ["9000"], "SELECT SSSE answered %s" % resp)
    card.expect("apdu 1")
    print("     card seen by pcscd %.2f s after connecting" % seen)


@with_env
def test_removal_seen(env):
    card = env.card(HOLDER)
    card.expect("inserted")
    env.wait_card(True)
    card.remove()
    card.expect("removed")
    env.wait_card(False)
    scan = scan_cards(env)
    check(scan.get(READER, {}).get("state") == "Card removed", "pcsc_scan: %s" % scan)
    # stdin control: in again, then quit (a clean exit removes it).
    card.insert()
    card.expect("inserted")
    env.wait_card(True)
    check(card.quit() == 0, "virtual-card exit status %s" % card.proc.returncode)
    card.expect("removed")
    env.wait_card(False)


@with_env
def test_pcscd_restart_brings_reader_back(env):
    card = env.card(HOLDER, "--retry-connect", "30")
    card.expect("inserted")
    atr = env.wait_card(True)
    for sig in (signal.SIGTERM, signal.SIGKILL):
        env.kill_pcscd(sig)
        card.expect("reader-closed")
        try:
            env.readers()
            raise Failure("a PC/SC client still reaches pcscd after %s" % sig.name)
        except PcscEnvError as e:
            check("Service not available" in str(e) or "0x8010001D" in str(e),
                  "after %s: %s" % (sig.name, e))
        t0 = time.monotonic()
        env.start_pcscd()  # waits for the reader
        up = time.monotonic() - t0
        check(READER in env.readers(), "reader not back after %s" % sig.name)
        card.expect("inserted", timeout=15)
        check(env.wait_card(True) == atr, "another ATR after the restart")
        check(env.transmit([SELECT_SSSE]) == ["9000"], "no APDU after the restart")
        print("     pcscd back after %s: reader in %.2f s" % (sig.name, up))


def test_two_envs_are_isolated():
    try:
        with PcscEnv(workdir("two_a")) as a, PcscEnv(workdir("two_b")) as b:
            check(a.port != b.port and a.socket_path != b.socket_path, "shared port or socket")
            card = a.card(HOLDER)
            card.expect("inserted")
            a.wait_card(True)
            check(not b.readers()[READER]["present"], "a's card shows in b's pcscd")
            b.kill_pcscd()
            check(READER in a.readers(), "killing b's pcscd took a's reader away")
    except PcscEnvError as e:
        raise Failure(str(e))


if __name__ == "__main__":
    main([test_reader_appears, test_insert_shows_atr, test_removal_seen,
          test_pcscd_restart_brings_reader_back, test_two_envs_are_isolated])
