# SPDX-License-Identifier: GPL-3.0-or-later
"""The Debian packages, as a technician meets them.

Built from the tree with dpkg-buildpackage (scripts/dev package); lintian
finds no error, and every warning it gives is one docs/operations.md
justifies; hardening-check passes on every binary; installed with apt-get
from the .debs; the installed civic-kiosk answers --version and --diagnose
with the packaged configuration, refuses --script, and the installed unit
passes `systemd-analyze verify` and scores OK or better in `systemd-analyze
security`; the kiosk user, its udev, polkit and PAM rules are in place; then
purged, leaving only what Debian policy allows (the system user).
Needs root and Debian's archive (apt-get fetches cage, pcscd and the rest).
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "ui"))
from harness import ARTIFACTS, SOURCE, Failure, check, main  # noqa: E402

PACKAGES = ["civic-kiosk", "civic-kiosk-tools"]
OUT = os.path.join(ARTIFACTS, "deploy", "package")
UNIT = "/lib/systemd/system/civic-kiosk.service"
# Paths the packages own or make; after a purge none may remain.
OWNED = ["/usr/bin/civic-kiosk", "/usr/share/civic-kiosk", "/etc/civic-kiosk", UNIT,
         "/lib/udev/rules.d/60-civic-kiosk.rules", "/usr/share/polkit-1/rules.d/60-civic-kiosk.rules",
         "/etc/pam.d/civic-kiosk", "/usr/lib/sysusers.d/civic-kiosk.conf", "/var/lib/civic-kiosk",
         "/usr/share/doc/civic-kiosk", "/usr/bin/ks-backend", "/usr/bin/ks-district-sim",
         "/usr/bin/ks-virtual-card", "/usr/share/man/man1/civic-kiosk.1.gz"]


def sh(*argv, ok=(0,), **kw):
    p = subprocess.run(list(argv), capture_output=True, text=True, **kw)
    if p.returncode not in ok:
        raise Failure("%s exited %d:\n%s%s" % (" ".join(argv), p.returncode, p.stdout[-3000:],
                                               p.stderr[-3000:]))
    return p


def save(name, text):
    with open(os.path.join(OUT, name), "w") as f:
        f.write(text)


def justified_lintian_tags():
    """The tags docs/operations.md justifies, from its table's `tag` column."""
    doc = open(os.path.join(SOURCE, "docs", "operations.md"), encoding="utf-8").read()
    part = doc.split("### lintian", 1)
    check(len(part) == 2, "docs/operations.md has no '### lintian' section")
    return set(re.findall(r"^\| `([a-z0-9.-]+)` \|", part[1].split("\n## ", 1)[0], re.M))


def purge():
    subprocess.run(["apt-get", "purge", "-y", "-q"] + PACKAGES, capture_output=True, text=True,
                   env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def test_package():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    purge()  # a run that stopped half-way must not hide a leftover
    build = sh(os.path.join(SOURCE, "scripts", "dev"), "package", timeout=1800)
    save("package.log", build.stdout + build.stderr)
    pkgdir = os.path.join(SOURCE, "build", "package")
    debs = {p: glob.glob(os.path.join(pkgdir, "%s_*_*.deb" % p))[0] for p in PACKAGES}

    # lintian: no error; each warning is one the operations guide explains.
    lint = sh("lintian", "--pedantic", "--display-info", "--allow-root",
              glob.glob(os.path.join(pkgdir, "*.changes"))[0], ok=(0, 1, 2))
    save("lintian.txt", lint.stdout + lint.stderr)
    tags = [l for l in lint.stdout.splitlines() if re.match(r"^[EWIPX]: ", l)]
    errors = [l for l in tags if l.startswith("E: ")]
    check(not errors, "lintian errors:\n" + "\n".join(errors))
    allowed = justified_lintian_tags()
    unexplained = [l for l in tags if l.startswith(("W: ", "I: ", "P: "))
                   and l.split()[2] not in allowed]
    check(not unexplained, "lintian tags not justified in docs/operations.md:\n"
          + "\n".join(unexplained))

    # Debian's hardening flags on every binary.
    extract = os.path.join(OUT, "extract")
    for deb in debs.values():
        sh("dpkg-deb", "-x", deb, extract)
    for binary in glob.glob(os.path.join(extract, "usr", "bin", "*")):
        # Control-flow integrity cannot be shown on bookworm: its C runtime
        # objects carry no IBT/SHSTK note, so no program links with one (cage and
        # pcscd fail the same check). The code is still built with
        # -fcf-protection (debian/rules); the other five checks must pass.
        hc = sh("hardening-check", "--nocfprotection", binary, ok=(0, 1))
        save("hardening-%s.txt" % os.path.basename(binary), hc.stdout)
        check(hc.returncode == 0, "hardening-check %s:\n%s" % (binary, hc.stdout))
        for feature in ("Position Independent Executable: yes", "Stack protected: yes",
                        "Fortify Source functions: yes", "Read-only relocations: yes",
                        "Immediate binding: yes"):
            check(feature in hc.stdout, "%s: not '%s'" % (binary, feature))

    try:
        inst = sh("apt-get", "install", "-y", "-q", "--no-install-recommends", *debs.values(),
                  env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"), timeout=1200)
        save("install.log", inst.stdout + inst.stderr)
        ver = sh("/usr/bin/civic-kiosk", "--version")
        check(re.match(r"civic-kiosk \d+\.\d+\.\d+", ver.stdout), "--version: %r" % ver.stdout)
        # A kiosk build: the test harness is not in it.
        scr = sh("/usr/bin/civic-kiosk", "--script", "/dev/null", ok=(2,))
        check("--script" in scr.stderr, "--script not refused: %r" % scr.stderr)
        # The technician's first check, with the packaged configuration (no PKI
        # yet, so not healthy; but a whole report).
        env = {k: v for k, v in os.environ.items()
               if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")}
        diag = sh("/usr/bin/civic-kiosk", "--diagnose", "--config", "/etc/civic-kiosk/kiosk.ini",
                  ok=(0, 1), env=env, timeout=120)
        save("diagnose.json", diag.stdout)
        rep = json.loads(diag.stdout)
        check(rep["config"]["kiosk"]["state_dir"] == "/var/lib/civic-kiosk",
              "packaged state_dir: %r" % rep["config"]["kiosk"])
        check(rep["healthy"] is False and rep["problems"], "no PKI yet, yet healthy")
        # The data it runs on comes from the installed paths.
        strings = sh("strings", "/usr/bin/civic-kiosk").stdout
        check("/usr/share/civic-kiosk/assets" in strings and SOURCE not in strings,
              "the installed binary looks for its data in the source tree")

        # The unit: valid, and hardened.
        ver_unit = sh("systemd-analyze", "verify", UNIT, ok=(0, 1))
        save("systemd-verify.txt", ver_unit.stdout + ver_unit.stderr)
        bad = [l for l in (ver_unit.stdout + ver_unit.stderr).splitlines()
               if "civic-kiosk.service" in l]
        check(ver_unit.returncode == 0 and not bad,
              "systemd-analyze verify:\n" + ver_unit.stdout + ver_unit.stderr)
        sec = sh("systemd-analyze", "security", "--offline=true", UNIT, ok=(0, 1))
        save("systemd-security.txt", sec.stdout)
        m = re.search(r"Overall exposure level for civic-kiosk.service: ([0-9.]+) (\w+)", sec.stdout)
        check(m and m.group(2) in ("PERFECT", "SAFE", "OK"), "exposure: %s" % (m and m.group(0)))
        save("exposure.txt", m.group(0) + "\n")

        # The kiosk user, its device rules, its pcscd permission, its PAM file.
        pw = sh("getent", "passwd", "kiosk").stdout.split(":")
        check(pw[5] == "/var/lib/civic-kiosk" and pw[6].strip() in ("/usr/sbin/nologin",
                                                                    "/sbin/nologin"),
              "the kiosk user: %r" % pw)
        check("kiosk" in sh("getent", "group", "lp").stdout, "kiosk is not in lp")
        check(os.stat("/etc/civic-kiosk/pki").st_mode & 0o777 == 0o700, "pki/ is not 0700")
        rules = open("/lib/udev/rules.d/60-civic-kiosk.rules").read()
        check('GROUP="kiosk"' in rules, "no udev rule for the kiosk user")
        polkit = open("/usr/share/polkit-1/rules.d/60-civic-kiosk.rules").read()
        check("org.debian.pcsc-lite.access_pcsc" in polkit, "no polkit rule for pcscd")
        check("pam_systemd.so" in open("/etc/pam.d/civic-kiosk").read(), "no PAM session")
        # What a running service would leave behind, so that purge is tested on it.
        os.makedirs("/var/lib/civic-kiosk/outbox", exist_ok=True)
        open("/var/lib/civic-kiosk/display-status", "w").write("ok 0 test\n")
        open("/etc/civic-kiosk/pki/kiosk.key", "w").write("test\n")
    finally:
        purge()
    left = [p for p in OWNED if os.path.lexists(p)]
    check(not left, "left after purge: %s" % left)
    state = sh("dpkg-query", "-W", "-f=${db:Status-Abbrev}", *PACKAGES, ok=(0, 1)).stdout
    check("ii" not in state and "rc" not in state, "not purged: %r" % state)


if __name__ == "__main__":
    main([test_package])
