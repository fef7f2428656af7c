# SPDX-License-Identifier: GPL-3.0-or-later
"""A private pcscd with a vpcd virtual reader, per test: no collision with a
system pcscd, and tests can run in parallel (ctest -j).

How: pcscd 1.9.9 always listens on /run/pcscd/pcscd.comm (it ignores
PCSCLITE_CSOCK_NAME), so each PcscEnv gets its own mount namespace in which a
tmpfs hides the host's /run/pcscd. One long-lived process holds the namespace:

    unshare --mount --propagation private -- /bin/sh -c \
        'mount -t tmpfs tmpfs /run/pcscd && echo ready && exec sleep infinity'

and pcscd and the programs under test enter it with `nsenter --mount --target
<holder pid>`. pcscd runs as `pcscd -f -a -c <workdir>/pcscd` where that
directory holds a reader.conf naming vpcd with DEVICENAME /dev/null:<port>
(a free port; vpcd also takes port + 1 for its second slot). The network
namespace is shared, so tools/virtual-card connects from outside.

    with PcscEnv(workdir) as env:          # namespace + pcscd, reader listed
        card = env.card(holder_ini)        # virtual-card --port env.port ...
        card.expect("inserted")
        env.wait_card(True)                # pcscd sees it: returns the ATR
        p = env.run(["pcsc_scan", "-r"], stdout=PIPE)   # Popen, in the namespace
        env.call(["civic-kiosk", ...], timeout=60)      # CompletedProcess
        env.readers()                      # {name: {"present", "atr", "state"}}
        env.transmit(["00A4040000"])       # APDUs through the real stack
        env.kill_pcscd(); env.start_pcscd()

Clients outside the namespace can use PCSCLITE_CSOCK_NAME=env.socket_path
(the client library honours it; it reads it once per process).

Needs root (CAP_SYS_ADMIN for unshare --mount and mount): without it,
PcscEnvError says so. Tests must fail on it, not skip.

Cleanup in every outcome: the context manager, an atexit hook, and a parent
death signal (setpriv --pdeathsig KILL) on every child (pcscd, the namespace
holder, virtual cards, clients), so even a SIGKILLed test leaves nothing
running; the tmpfs goes with the namespace's last process.
Spawn children from the main thread (the death signal follows the spawning
thread).

Run as a script, this module is the probe used inside the namespace:
    python3 pcsc_env.py readers
    python3 pcsc_env.py transmit READER HEX [HEX...]
Both print JSON. PC/SC is reached through ctypes (standard library only).
"""
import atexit
import ctypes
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import weakref

HERE = os.path.dirname(os.path.abspath(__file__))
READER_DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
RUN_DIR = "/run/pcscd"
FRIENDLY_NAME = "Virtual PCD"
# pcscd names the two vpcd slots "<FRIENDLYNAME> 00 00" (port) and "... 00 01" (port + 1).
READER = FRIENDLY_NAME + " 00 00"


class PcscEnvError(Exception):
    """The private PC/SC stack could not be set up or did not behave."""


# ---- children die with us ---------------------------------------------------

def _spawn(args, **kw):
    """Popen through `setpriv --pdeathsig KILL` (util-linux; it execs, so the
    Popen's pid is the program's): the child gets SIGKILL when the spawning
    thread dies, even by SIGKILL. No preexec_fn: safe with threads around."""
    kw.setdefault("close_fds", True)
    return subprocess.Popen(["setpriv", "--pdeathsig", "KILL", "--"] + list(args), **kw)


def _stop(proc, sig=signal.SIGTERM, grace=3.0):
    """Signals a child and reaps it, SIGKILL after `grace` seconds."""
    if proc is None or proc.poll() is not None:
        return
    try:
        proc.send_signal(sig)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    except ProcessLookupError:
        pass


_live_envs = weakref.WeakSet()


@atexit.register
def _cleanup_all():
    for env in list(_live_envs):
        env.close()


# ---- the environment ----------------------------------------------------------

def _port_free(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("0.0.0.0", port))  # vpcd binds INADDR_ANY
        return True
    except OSError:
        return False
    finally:
        s.close()


def free_port_pair():
    """A port p with p and p + 1 free, outside the ephemeral range (so no
    outgoing connection grabs it between now and pcscd's bind)."""
    rng = random.Random(os.getpid() ^ time.monotonic_ns())
    for _ in range(200):
        p = rng.randrange(20000, 32000, 2)
        if _port_free(p) and _port_free(p + 1):
            return p
    raise PcscEnvError("no free TCP port pair found in 20000-32000")


class PcscEnv:
    def __init__(self, workdir, reader_timeout=10.0, pcscd_debug=False):
        self.workdir = os.path.abspath(workdir)
        self.reader_timeout = reader_timeout
        self.pcscd_debug = pcscd_debug
        self.port = None
        self.holder = None  # the namespace holder (Popen)
        self.pcscd = None
        self.pcscd_starts = 0
        self.timings = {}
        self._children = []
        self._cards = []
        self._closed = False

    # -- lifecycle --

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def start(self):
        _live_envs.add(self)
        try:
            os.makedirs(self.workdir, exist_ok=True)
            t0 = time.monotonic()
            self._start_namespace()
            self.timings["namespace"] = time.monotonic() - t0
            last = None
            for _attempt in range(3):
                self.port = free_port_pair()
                self._write_reader_conf()
                t0 = time.monotonic()
                try:
                    self.start_pcscd()
                    self.timings["pcscd"] = time.monotonic() - t0
                    return self
                except PcscEnvError as e:  # e.g. a parallel test took the port first
                    last = e
                    self.kill_pcscd(signal.SIGKILL)
            raise last
        except BaseException:
            self.close()
            raise

    def close(self):
        """Stops everything this environment started. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        for card in self._cards:
            card.close()
        for p in self._children:
            _stop(p, signal.SIGTERM, 2.0)
        self.kill_pcscd()
        _stop(self.holder, signal.SIGKILL)
        _live_envs.discard(self)

    def _start_namespace(self):
        for tool in ("unshare", "nsenter", "setpriv", "pcscd"):
            if not shutil.which(tool):
                raise PcscEnvError("%s not found (util-linux, pcscd)" % tool)
        if not os.path.exists(READER_DRIVER):
            raise PcscEnvError("%s not found (Debian package vsmartcard-vpcd)" % READER_DRIVER)
        try:
            os.makedirs(RUN_DIR, exist_ok=True)  # the mount point, on the host
        except OSError as e:
            raise PcscEnvError("cannot create %s (%s): the private pcscd needs root "
                               "(unshare --mount, mount -t tmpfs)" % (RUN_DIR, e.strerror))
        self.holder = _spawn(
            ["unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
             "mount -t tmpfs -o mode=0755 tmpfs %s && echo ready && exec sleep infinity" % RUN_DIR],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        line = self.holder.stdout.readline()  # "ready", or EOF when it failed
        if line.strip() != b"ready":
            self.holder.wait()
            err = self.holder.stderr.read().decode(errors="replace").strip()
            raise PcscEnvError(
                "cannot make a private mount namespace for pcscd (uid %d): %s\n"
                "The PC/SC tests need root (CAP_SYS_ADMIN) for `unshare --mount` and "
                "`mount -t tmpfs`; CI runs them as root." % (os.geteuid(), err or "no reason given"))
        self.holder.stdout.close()
        self.holder.stderr.close()

    def _write_reader_conf(self):
        self.conf_dir = os.path.join(self.workdir, "pcscd")
        os.makedirs(self.conf_dir, exist_ok=True)
        with open(os.path.join(self.conf_dir, "reader.conf"), "w") as f:
            f.write('FRIENDLYNAME "%s"\nDEVICENAME   /dev/null:%d\nLIBPATH      %s\n'
                    'CHANNELID    %d\n' % (FRIENDLY_NAME, self.port, READER_DRIVER, self.port))

    # -- properties --

    @property
    def ns_pid(self):
        return self.holder.pid

    @property
    def reader(self):
        """The reader whose port is env.port."""
        return READER

    @property
    def ports(self):
        """{reader name: vpcd port} for both vpcd slots."""
        return {READER: self.port, FRIENDLY_NAME + " 00 01": self.port + 1}

    @property
    def socket_path(self):
        """pcscd's socket as seen from outside the namespace."""
        return "/proc/%d/root%s/pcscd.comm" % (self.holder.pid, RUN_DIR)

    # -- running things inside the namespace --

    def _ns_args(self, args, cwd=None):
        return ["nsenter", "--mount", "--target", str(self.holder.pid),
                "--wd=%s" % os.path.abspath(cwd or os.getcwd()), "--"] + list(args)

    def run(self, args, env=None, cwd=None, **popen_kw):
        """Starts a command inside the namespace; returns its Popen (stopped at close)."""
        if self._closed or self.holder is None or self.holder.poll() is not None:
            raise PcscEnvError("the namespace is gone")
        e = dict(os.environ if env is None else env)
        e.pop("PCSCLITE_CSOCK_NAME", None)  # inside, the default socket is ours
        p = _spawn(self._ns_args(args, cwd), env=e, **popen_kw)
        self._children = [c for c in self._children if c.poll() is None] + [p]
        return p

    def call(self, args, timeout=30, **kw):
        """Runs a command inside the namespace to completion: CompletedProcess
        (text, stdout and stderr captured unless given)."""
        kw.setdefault("stdout", subprocess.PIPE)
        kw.setdefault("stderr", subprocess.PIPE)
        kw.setdefault("stdin", subprocess.DEVNULL)
        kw.setdefault("text", True)
        p = self.run(args, **kw)
        try:
            out, err = p.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            p.kill()
            p.communicate()
            raise
        return subprocess.CompletedProcess(p.args, p.returncode, out, err)

    # -- pcscd --

    def pcscd_running(self):
        return self.pcscd is not None and self.pcscd.poll() is None

    def start_pcscd(self, wait=True):
        """Starts pcscd in the namespace (same port as before) and, with wait,
        waits until it lists the reader."""
        if self.pcscd_running():
            raise PcscEnvError("pcscd is already running (pid %d)" % self.pcscd.pid)
        self.pcscd_starts += 1
        self.pcscd_log = os.path.join(self.workdir, "pcscd.%d.log" % self.pcscd_starts)
        args = ["pcscd", "--foreground", "--apdu", "-c", self.conf_dir]
        if self.pcscd_debug:
            args.append("--debug")
        with open(self.pcscd_log, "wb") as log:
            self.pcscd = self.run(args, stdin=subprocess.DEVNULL, stdout=log,
                                  stderr=subprocess.STDOUT)
        if wait:
            self.wait_reader(self.reader_timeout)

    def kill_pcscd(self, sig=signal.SIGTERM, timeout=5.0):
        """Stops pcscd (SIGTERM: orderly; SIGKILL: a crash). Returns its exit status."""
        if self.pcscd is None:
            return None
        _stop(self.pcscd, sig, timeout)
        rc = self.pcscd.returncode
        return rc

    def _log_tail(self, n=15):
        try:
            with open(self.pcscd_log, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except (OSError, AttributeError):
            return ""

    def wait_reader(self, timeout=10.0, name=READER):
        """Waits until pcscd lists `name`. Returns the seconds it took."""
        t0 = time.monotonic()
        last = None
        while True:
            if self.pcscd is not None and self.pcscd.poll() is not None:
                raise PcscEnvError("pcscd exited with %s; log %s:\n%s" % (
                    self.pcscd.returncode, self.pcscd_log, self._log_tail()))
            try:
                if name in self.readers():
                    return time.monotonic() - t0
            except PcscEnvError as e:
                last = e
            if time.monotonic() - t0 > timeout:
                raise PcscEnvError("reader %r not listed after %.1f s (port %d; last: %s); "
                                   "pcscd log %s:\n%s" % (name, timeout, self.port, last,
                                                          self.pcscd_log, self._log_tail()))
            time.sleep(0.05)

    # -- PC/SC from inside (the probe below, through ctypes) --

    def _probe(self, args, timeout=15):
        r = self.call([sys.executable, os.path.join(HERE, "pcsc_env.py")] + args,
                      timeout=timeout)
        try:
            out = json.loads(r.stdout)
        except ValueError:
            raise PcscEnvError("probe %s failed (rc %d): %s%s" % (args, r.returncode, r.stdout,
                                                                  r.stderr))
        if "error" in out:
            raise PcscEnvError("probe %s: %s" % (args[0], out["error"]))
        return out

    def readers(self):
        """{reader: {"present": bool, "atr": "3B...", "state": [...], "events": n}} as
        pcscd sees it (events: its card insert/remove counter for the reader)."""
        return self._probe(["readers"])["readers"]

    def wait_card(self, present=True, timeout=10.0, name=READER):
        """Waits until pcscd sees a card in (present) or none in the reader.
        Returns the ATR (hex) or None. pcscd polls vpcd for presence every
        ~400 ms: after removing a card, wait for absent before inserting the
        next one, or the stale "present" state satisfies this at once."""
        t0 = time.monotonic()
        state = None
        while time.monotonic() - t0 <= timeout:
            try:
                state = self.readers().get(name)
            except PcscEnvError as e:
                state = str(e)
            if isinstance(state, dict) and state["present"] == present:
                return state["atr"] if present else None
            time.sleep(0.05)
        raise PcscEnvError("card %s in %r not seen within %.1f s (last state: %s)" % (
            "present" if present else "absent", name, timeout, state))

    def transmit(self, apdus, name=READER):
        """Connects to the card and sends the APDUs (hex strings). Returns a list
        of R-APDUs (hex) or {"error": ...} for ones that failed."""
        return self._probe(["transmit", name] + list(apdus))["responses"]

    # -- virtual cards --

    def card(self, holder, *args, binary=None, port=None, name="card"):
        """Starts tools/virtual-card for this reader. `binary` defaults to
        $KS_VIRTUAL_CARD. Returns a VirtualCard (stopped at close)."""
        binary = binary or os.environ.get("KS_VIRTUAL_CARD")
        if not binary:
            raise PcscEnvError("KS_VIRTUAL_CARD is not set (run through ctest)")
        n = len(self._cards) + 1
        c = VirtualCard([binary, "--port", str(port or self.port), "--holder", holder] +
                        list(args), os.path.join(self.workdir, "%s.%d.stderr" % (name, n)))
        self._cards.append(c)
        return c


class VirtualCard:
    """A running virtual-card: its stdout events, stdin commands."""

    def __init__(self, argv, stderr_path):
        self.argv = argv
        self.stderr_path = stderr_path
        self._err = open(stderr_path, "wb")
        self.proc = _spawn(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                           stderr=self._err)
        self.events = []  # every stdout line, in order
        self._next = 0  # expect() consumes events up to here
        self._cv = threading.Condition()
        self._eof = False
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        for raw in self.proc.stdout:
            with self._cv:
                self.events.append(raw.decode(errors="replace").rstrip("\n"))
                self._cv.notify_all()
        with self._cv:
            self._eof = True
            self._cv.notify_all()

    def expect(self, event, timeout=10.0):
        """Waits for the next `event` line (skipping others) after the last one
        expected; returns the lines skipped on the way."""
        deadline = time.monotonic() + timeout
        with self._cv:
            while True:
                while self._next < len(self.events):
                    line = self.events[self._next]
                    self._next += 1
                    if line == event:
                        return
                if self._eof:
                    raise PcscEnvError("virtual-card exited (%s) before %r; events %s; stderr: %s"
                                       % (self.proc.poll(), event, self.events, self.stderr()))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise PcscEnvError("virtual-card: no %r within %.1f s; events %s" % (
                        event, timeout, self.events))
                self._cv.wait(left)

    def send(self, line):
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            raise PcscEnvError("virtual-card is not running (%s); stderr: %s" % (
                self.proc.poll(), self.stderr()))

    def insert(self):
        self.send("insert")

    def remove(self):
        self.send("remove")

    def quit(self, timeout=5.0):
        """Asks it to quit (closing stdin); returns its exit status."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        return self.wait(timeout)

    def wait(self, timeout=10.0):
        rc = self.proc.wait(timeout=timeout)
        with self._cv:
            self._cv.wait_for(lambda: self._eof, timeout=2)
        return rc

    def stderr(self):
        self._err.flush()
        try:
            with open(self.stderr_path, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def close(self):
        _stop(self.proc, signal.SIGTERM, 2.0)
        for f in (self.proc.stdin, self._err):
            try:
                f.close()
            except (OSError, ValueError):
                pass


# ---- the probe: PC/SC through ctypes, run inside the namespace -------------------

SCARD_S_SUCCESS = 0
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_NO_READERS_AVAILABLE = 0x8010002E
SCARD_SCOPE_SYSTEM = 2
SCARD_SHARE_SHARED = 2
SCARD_PROTOCOL_T0 = 1
SCARD_PROTOCOL_T1 = 2
SCARD_LEAVE_CARD = 0
SCARD_STATES = [(0x0001, "ignore"), (0x0002, "changed"), (0x0004, "unknown"),
                (0x0008, "unavailable"), (0x0010, "empty"), (0x0020, "present"),
                (0x0040, "atrmatch"), (0x0080, "exclusive"), (0x0100, "inuse"),
                (0x0200, "mute"), (0x0400, "unpowered")]

# pcsc-lite on Linux: DWORD = unsigned long, LONG = long, handles are LONG.
DWORD = ctypes.c_ulong


class SCARD_READERSTATE(ctypes.Structure):
    _fields_ = [("szReader", ctypes.c_char_p), ("pvUserData", ctypes.c_void_p),
                ("dwCurrentState", DWORD), ("dwEventState", DWORD), ("cbAtr", DWORD),
                ("rgbAtr", ctypes.c_ubyte * 33)]


class SCARD_IO_REQUEST(ctypes.Structure):
    _fields_ = [("dwProtocol", DWORD), ("cbPciLength", DWORD)]


def _pcsc():
    lib = ctypes.CDLL("libpcsclite.so.1")
    for fn in ("SCardEstablishContext", "SCardReleaseContext", "SCardListReaders",
               "SCardGetStatusChange", "SCardConnect", "SCardDisconnect", "SCardTransmit"):
        getattr(lib, fn).restype = ctypes.c_long
    lib.pcsc_stringify_error.restype = ctypes.c_char_p
    return lib


def _err(lib, rv):
    rv &= 0xFFFFFFFF
    return "%s (0x%08X)" % (lib.pcsc_stringify_error(ctypes.c_long(rv)).decode(), rv)


def _probe_main(argv):
    lib = _pcsc()
    ctx = ctypes.c_long()
    rv = lib.SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), None, None, ctypes.byref(ctx))
    if rv != SCARD_S_SUCCESS:
        return {"error": "SCardEstablishContext: " + _err(lib, rv)}
    try:
        if argv[0] == "readers":
            n = DWORD(0)
            rv = lib.SCardListReaders(ctx, None, None, ctypes.byref(n))
            if rv & 0xFFFFFFFF == SCARD_E_NO_READERS_AVAILABLE:
                return {"readers": {}}
            buf = ctypes.create_string_buffer(n.value)
            if rv == SCARD_S_SUCCESS:
                rv = lib.SCardListReaders(ctx, None, buf, ctypes.byref(n))
            if rv & 0xFFFFFFFF == SCARD_E_NO_READERS_AVAILABLE:
                return {"readers": {}}
            if rv != SCARD_S_SUCCESS:
                return {"error": "SCardListReaders: " + _err(lib, rv)}
            names = [x for x in buf.raw[:n.value].split(b"\0") if x]
            states = (SCARD_READERSTATE * len(names))()
            for i, nm in enumerate(names):
                states[i].szReader = nm
                states[i].dwCurrentState = 0  # UNAWARE: report the current state now
            rv = lib.SCardGetStatusChange(ctx, DWORD(0), states, DWORD(len(names)))
            if rv != SCARD_S_SUCCESS and rv & 0xFFFFFFFF != SCARD_E_TIMEOUT:
                return {"error": "SCardGetStatusChange: " + _err(lib, rv)}
            out = {}
            for s in states:
                ev = s.dwEventState
                out[s.szReader.decode()] = {
                    "present": bool(ev & 0x20),
                    "atr": bytes(s.rgbAtr[:s.cbAtr]).hex().upper() if ev & 0x20 else "",
                    "state": [nm for bit, nm in SCARD_STATES if ev & bit],
                    "events": ev >> 16,  # pcscd's insert/remove counter for the reader
                }
            return {"readers": out}
        if argv[0] == "transmit":
            reader, apdus = argv[1].encode(), argv[2:]
            card, proto = ctypes.c_long(), DWORD()
            rv = lib.SCardConnect(ctx, reader, DWORD(SCARD_SHARE_SHARED),
                                  DWORD(SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1),
                                  ctypes.byref(card), ctypes.byref(proto))
            if rv != SCARD_S_SUCCESS:
                return {"error": "SCardConnect: " + _err(lib, rv)}
            pci = SCARD_IO_REQUEST(proto.value, ctypes.sizeof(SCARD_IO_REQUEST))
            responses = []
            for hx in apdus:
                cmd = bytes.fromhex(hx)
                rbuf = (ctypes.c_ubyte * 65538)()
                rlen = DWORD(len(rbuf))
                rv = lib.SCardTransmit(card, ctypes.byref(pci), cmd, DWORD(len(cmd)), None,
                                       rbuf, ctypes.byref(rlen))
                if rv != SCARD_S_SUCCESS:
                    responses.append({"error": _err(lib, rv)})
                else:
                    responses.append(bytes(rbuf[:rlen.value]).hex().upper())
            lib.SCardDisconnect(card, DWORD(SCARD_LEAVE_CARD))
            return {"responses": responses, "protocol": proto.value}
        return {"error": "unknown probe command %r" % argv[0]}
    finally:
        lib.SCardReleaseContext(ctx)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in ("readers", "transmit") or (
            sys.argv[1] == "transmit" and len(sys.argv) < 3):
        sys.stderr.write("usage: pcsc_env.py readers | transmit READER HEX...\n")
        sys.exit(2)
    print(json.dumps(_probe_main(sys.argv[1:])))
