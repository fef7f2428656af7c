# SPDX-License-Identifier: GPL-3.0-or-later
"""tools/virtual-card through a real pcscd + vpcd: its command line, its
faults as a PC/SC client sees them, and its insertion modes.

Environment (set by ctest): KS_VIRTUAL_CARD, KS_SOURCE_DIR, KS_ARTIFACTS.
"""
import functools
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
sys.path.insert(0, HERE)

from harness import Failure, check, main  # noqa: E402
from pcsc_env import READER, PcscEnv, PcscEnvError, free_port_pair  # noqa: E402

SOURCE = os.environ.get("KS_SOURCE_DIR", os.path.join(HERE, "..", ".."))
ARTIFACTS = os.environ.get("KS_ARTIFACTS", "/tmp/civic-kiosk-artifacts")
CARD = os.environ.get("KS_VIRTUAL_CARD")
HOLDER = os.path.join(SOURCE, "tests", "fixtures", "holders", "zhang.ini")

SELECT_SSSE = "00A404000F7378312E73682EC9E7BBE1B1A3D5CF"
SELECT_EF06 = "00A4020002EF06"
READ_IDNUM = "00B2080000"  # Le 00: up to 256
IDNUM_RECORD = "0812" + "110105198503151230".encode().hex().upper()


def workdir(name):
    d = os.path.join(ARTIFACTS, "pcsc", "test_virtual_card", name)
    shutil.rmtree(d, ignore_errors=True)
    return d


def with_env(fn):
    @functools.wraps(fn)
    def wrapper():
        try:
            with PcscEnv(workdir(fn.__name__)) as env:
                fn(env)
        except PcscEnvError as e:
            raise Failure(str(e))
    return wrapper


def run_card(args, timeout=10):
    check(CARD, "KS_VIRTUAL_CARD is not set (run through ctest)")
    return subprocess.run([CARD] + args, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def test_arguments():
    r = run_card(["--help"])
    check(r.returncode == 0, "--help exit %d" % r.returncode)
    for opt in ("--port", "--host", "--holder", "--unknown", "--corrupt-name", "--bad-checksum",
                "--split-61", "--wrong-le", "--birth-mismatch", "--slow", "--yank-after",
                "--hold", "--cycles", "--interval", "--retry-connect", "insert", "remove", "quit",
                "apdu N"):
        check(opt in r.stdout, "--help does not mention %s" % opt)
    bad = [
        ([], "--port is required"),
        (["--port", "12"], "--holder is required"),
        (["--port", "0", "--holder", HOLDER], "--port: '0' is not a port number"),
        (["--port", "x1", "--holder", HOLDER], "--port: 'x1' is not a port number"),
        (["--port", "12", "--holder", HOLDER, "--frobnicate"], "unknown option '--frobnicate'"),
        (["--port", "12", "--holder", HOLDER, "--slow"], "--slow needs a value"),
        (["--port", "12", "--holder", HOLDER, "--hold", "-1"], "--hold: '-1'"),
        (["--port", "12", "--holder", HOLDER, "--interval", "10"], "--interval only"),
        (["--port", "12", "--holder", HOLDER, "stray"], "unexpected argument 'stray'"),
        (["--port", "12", "--holder", "/nonexistent/h.ini"], "/nonexistent/h.ini"),
    ]
    for args, msg in bad:
        r = run_card(args)
        check(r.returncode == 2, "%s: exit %d (want 2)" % (args, r.returncode))
        check(msg in r.stderr, "%s: stderr %r lacks %r" % (args, r.stderr, msg))


def test_connection_refused():
    port = free_port_pair()  # nobody listens there
    r = run_card(["--port", str(port), "--holder", HOLDER])
    check(r.returncode == 1 and "Connection refused" in r.stderr,
          "exit %d, stderr %r" % (r.returncode, r.stderr))
    t0 = time.monotonic()
    r = run_card(["--port", str(port), "--holder", HOLDER, "--retry-connect", "0.6"])
    took = time.monotonic() - t0
    check(r.returncode == 1 and "retried for 0.6 s" in r.stderr, "stderr %r" % r.stderr)
    check(took >= 0.6, "gave up after %.2f s" % took)


@with_env
def test_retry_connect_waits_for_pcscd(env):
    env.kill_pcscd()
    card = env.card(HOLDER, "--retry-connect", "20", "--hold", "30")
    time.sleep(0.5)
    check(card.events == [], "connected with pcscd down: %s" % card.events)
    env.start_pcscd()
    card.expect("inserted")
    env.wait_card(True)


@with_env
def test_unknown_card(env):
    card = env.card(HOLDER, "--unknown")
    card.expect("inserted")
    env.wait_card(True)
    check(env.transmit([SELECT_SSSE]) == ["6A82"], "SELECT SSSE on an unknown card")


@with_env
def test_split_61_and_wrong_le(env):
    card = env.card(HOLDER, "--split-61")
    card.expect("inserted")
    env.wait_card(True)
    r = env.transmit([SELECT_SSSE, SELECT_EF06, READ_IDNUM, "00C0000010", "00C0000004"])
    check(r[:2] == ["9000", "9000"] and r[2] == "6110", "split: %s" % r)
    check(r[3].endswith("6104") and r[4].endswith("9000"), "GET RESPONSE chain: %s" % r)
    check(r[3][:-4] + r[4][:-4] == IDNUM_RECORD, "reassembled %s" % (r[3][:-4] + r[4][:-4]))
    card.quit()
    env.wait_card(False)  # else the next wait_card(True) may see this card's stale state
    card = env.card(HOLDER, "--wrong-le")
    card.expect("inserted")
    env.wait_card(True)
    r = env.transmit([SELECT_SSSE, SELECT_EF06, READ_IDNUM, "00B2080014"])
    check(r[2] == "6C14" and r[3] == IDNUM_RECORD + "9000", "wrong Le: %s" % r)


@with_env
def test_yank_mid_read(env):
    card = env.card(HOLDER, "--yank-after", "2")
    card.expect("inserted")
    env.wait_card(True)
    r = env.transmit([SELECT_SSSE, SELECT_EF06, READ_IDNUM])
    check(r[0] == "9000", "first APDU: %s" % r)
    # What a client sees when the card goes mid-APDU (cards.md: maybe success
    # with 0 bytes, then SCARD_W_REMOVED_CARD): anything but an answer.
    check(all(x == "" or isinstance(x, dict) for x in r[1:]), "answers after the yank: %s" % r)
    card.expect("apdu 2")
    card.expect("removed")
    env.wait_card(False)
    # In the stdin mode a yanked card waits for `insert` (it can go back in).
    card.insert()
    card.expect("inserted")
    env.wait_card(True)
    check(env.transmit([SELECT_SSSE]) == ["9000"], "no answer after re-inserting")
    check(card.quit() == 0, "exit status %s" % card.proc.returncode)


@with_env
def test_slow(env):
    card = env.card(HOLDER, "--slow", "400")
    card.expect("inserted")
    env.wait_card(True)
    t0 = time.monotonic()
    r = env.transmit([SELECT_SSSE, SELECT_EF06])
    took = time.monotonic() - t0
    check(r == ["9000", "9000"], "slow card answered %s" % r)
    check(took >= 0.8, "two APDUs at 400 ms each took %.2f s" % took)


@with_env
def test_hold(env):
    card = env.card(HOLDER, "--hold", "1.5")
    card.expect("inserted")
    env.wait_card(True)
    check(card.wait(10) == 0, "exit status %s" % card.proc.returncode)
    check(card.events == ["inserted", "removed"], "events %s" % card.events)
    env.wait_card(False)


@with_env
def test_cycles(env):
    before = env.readers()[READER]["events"]
    card = env.card(HOLDER, "--cycles", "3", "--interval", "900")
    for _ in range(3):
        card.expect("inserted")
        env.wait_card(True, timeout=5)
        card.expect("removed")
        env.wait_card(False, timeout=5)
    check(card.wait(10) == 0, "exit status %s" % card.proc.returncode)
    after = env.readers()[READER]["events"]
    check(after - before >= 6, "pcscd counted %d reader events for 3 cycles" % (after - before))


@with_env
def test_reader_closed_without_retry(env):
    card = env.card(HOLDER, "--hold", "30")
    card.expect("inserted")
    env.wait_card(True)
    env.kill_pcscd(signal.SIGKILL)
    card.expect("reader-closed")
    check(card.wait(5) == 1, "exit status %s (want 1)" % card.proc.returncode)
    check("--retry-connect" in card.stderr(), "stderr %r" % card.stderr())


if __name__ == "__main__":
    main([test_arguments, test_connection_refused, test_retry_connect_waits_for_pcscd,
          test_unknown_card, test_split_61_and_wrong_le, test_yank_mid_read, test_slow,
          test_hold, test_cycles, test_reader_closed_without_retry])
