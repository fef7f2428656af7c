# SPDX-License-Identifier: GPL-3.0-or-later
"""The command line: help, version, and precise messages with exit status 2 for
bad flags, configuration, scripts and assets."""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "ui"))
from harness import KIOSK, SOURCE, check, main


def run(*args, env_extra=None):
    env = dict(os.environ)
    env["SDL_VIDEODRIVER"] = "offscreen"
    env.update(env_extra or {})
    return subprocess.run([KIOSK, *args], capture_output=True, text=True, timeout=60, env=env)


def write(tmp, name, text):
    path = os.path.join(tmp, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def test_help_and_version():
    p = run("--help")
    check(p.returncode == 0, "--help exits 0")
    for flag in ("--config", "--windowed", "--script", "--screenshot-dir", "--help", "--version"):
        check(flag in p.stdout, "--help documents %s" % flag)
    p = run("--version")
    check(p.returncode == 0 and p.stdout.startswith("civic-kiosk "), "--version: %r" % p.stdout)


def test_bad_flags():
    cases = [
        (["--bogus"], "unknown option '--bogus'"),
        (["--config"], "option '--config' needs a value"),
        (["--windowed", "extra"], "unexpected argument 'extra'"),
        (["--screenshot-dir", "/nonexistent/dir"], "--screenshot-dir /nonexistent/dir: not a directory"),
    ]
    for args, msg in cases:
        p = run(*args)
        check(p.returncode == 2, "%s exits 2, got %d" % (args, p.returncode))
        check(msg in p.stderr, "%s: expected %r in %r" % (args, msg, p.stderr))


def test_bad_config():
    with tempfile.TemporaryDirectory() as tmp:
        missing = os.path.join(tmp, "nope.ini")
        p = run("--config", missing)
        check(p.returncode == 2 and missing in p.stderr and "cannot open" in p.stderr,
              "missing config: %r" % p.stderr)
        bad = write(tmp, "bad.ini", "[display]\nwidth = 1080\nrotate = 45\n")
        p = run("--config", bad)
        check(p.returncode == 2, "bad rotate exits 2")
        check("%s:3: bad value for [display] rotate: '45'" % bad in p.stderr, "precise message: %r" % p.stderr)
        unknown = write(tmp, "unknown.ini", "[kiosk]\n\nidle_timeout = 60\n")
        p = run("--config", unknown)
        check(p.returncode == 2 and "%s:3: unknown key 'idle_timeout' in section [kiosk]" % unknown in p.stderr,
              "unknown key: %r" % p.stderr)
        short = write(tmp, "short.ini", "[kiosk]\ncountdown_s = 5\n")
        p = run("--config", short)
        check(p.returncode == 2 and ":2: bad value for [kiosk] countdown_s: '5'" in p.stderr,
              "a countdown under 20 s is refused: %r" % p.stderr)


def test_bad_script():
    with tempfile.TemporaryDirectory() as tmp:
        script = write(tmp, "j.script", "wait 10\nfly away\n")
        p = run("--windowed", "--script", script)
        check(p.returncode == 2 and "%s:2: unknown command" % script in p.stderr, "bad script: %r" % p.stderr)


def test_bad_assets():
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "theme"))
        cfg = write(tmp, "k.ini", "[kiosk]\nassets_dir = %s\n" % tmp)
        script = write(tmp, "q.script", "quit\n")
        p = run("--windowed", "--config", cfg, "--script", script)
        check(p.returncode == 2 and "theme/standard.ini" in p.stderr, "missing theme: %r" % p.stderr)
        # Themes present but a theme failing its contrast rule is refused, not drawn.
        for name in ("standard", "elderly"):
            with open(os.path.join(SOURCE, "assets", "theme", name + ".ini"), encoding="utf-8") as f:
                text = f.read()
            if name == "elderly":
                text = text.replace("[style.primary]\nfg = #FFFFFF", "[style.primary]\nfg = #5A7FA8")
            write(os.path.join(tmp, "theme"), name + ".ini", text)
        p = run("--windowed", "--config", cfg, "--script", script)
        check(p.returncode == 2 and "style primary has contrast" in p.stderr, "low contrast refused: %r" % p.stderr)


def test_script_expectation_fails_with_3():
    with tempfile.TemporaryDirectory() as tmp:
        cfg = write(tmp, "k.ini", "[kiosk]\nassets_dir = %s/assets\n" % SOURCE)
        script = write(tmp, "e.script", "expect-screen menu\nquit\n")
        p = run("--windowed", "--config", cfg, "--script", script)
        check(p.returncode == 3 and "expected screen 'menu', found 'idle'" in p.stderr, "expect: %r" % p.stderr)
        script = write(tmp, "t.script", "tap no-such-button\nquit\n")
        p = run("--windowed", "--config", cfg, "--script", script)
        check(p.returncode == 3 and "no widget 'no-such-button'" in p.stderr, "tap: %r" % p.stderr)


def test_script_that_runs_out_ends_the_run():
    with tempfile.TemporaryDirectory() as tmp:
        # Nothing scheduled (no dimming): the loop would sleep for ever if it did not notice.
        cfg = write(tmp, "k.ini", "[kiosk]\nassets_dir = %s/assets\n[display]\ndim_after_s = 0\n" % SOURCE)
        script = write(tmp, "w.script", "wait 10\nprint done\n")
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
        p = subprocess.run([KIOSK, "--windowed", "--config", cfg, "--script", script],
                           capture_output=True, text=True, timeout=20, env=env)
        check(p.returncode == 0 and p.stdout.strip() == "done", "ends with status 0: %r" % p.stderr)


def test_hash_pin():
    # The PIN is read from standard input, never argv; only an Argon2id hash comes out.
    p = subprocess.run([KIOSK, "--hash-pin"], input="246810\n", capture_output=True, text=True,
                       timeout=60)
    out = p.stdout.strip()
    check(p.returncode == 0 and out.startswith("$argon2id$"), "no hash: %r %r" % (out, p.stderr))
    check("246810" not in out, "the PIN is in the output")
    again = subprocess.run([KIOSK, "--hash-pin"], input="246810\n", capture_output=True,
                           text=True, timeout=60).stdout.strip()
    check(again != out, "no salt: the same PIN gives the same hash")
    for bad in ("12\n", "12ab56\n", ""):
        p = subprocess.run([KIOSK, "--hash-pin"], input=bad, capture_output=True, text=True,
                           timeout=60)
        check(p.returncode == 2 and not p.stdout, "%r accepted: %r" % (bad, p.stdout))


if __name__ == "__main__":
    main([test_help_and_version, test_bad_flags, test_bad_config, test_bad_script, test_bad_assets,
          test_script_expectation_fails_with_3, test_script_that_runs_out_ends_the_run,
          test_hash_pin])
