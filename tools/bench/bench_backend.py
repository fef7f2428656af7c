#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Backend benchmark: requests per second and p50/p99 latency of a small signed
GET (/marriage/offices) through the kiosk's own client (ks-backend --repeat)
against district-sim over loopback mutual TLS, with connection reuse and with
a new connection (TCP + TLS handshake) per request. Prints a table."""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cli", required=True)
    ap.add_argument("--sim", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("-n", type=int, default=1000)
    args = ap.parse_args()
    os.environ["KS_DISTRICT_SIM"] = args.sim
    os.environ["KS_SOURCE_DIR"] = args.source
    os.environ["KS_BACKEND_CLI"] = args.cli
    sys.path.insert(0, os.path.join(args.source, "tests", "backend"))
    from sim_env import SimEnv
    from client_env import kiosk_config

    rows = []
    with tempfile.TemporaryDirectory(prefix="ks-bench-backend-") as tmp:
        with SimEnv(os.path.join(tmp, "sim")) as sim:
            cfg = kiosk_config(sim, os.path.join(tmp, "kiosk"))
            # Warnings only: the client's debug line per request would be measured too.
            with open(cfg) as f:
                text = f.read().replace("level = debug", "level = warn")
            with open(cfg, "w") as f:
                f.write(text)
            for label, opts in (("reused connection", []), ("new connection each", ["--fresh"])):
                subprocess.run([args.cli, "--config", cfg, "--repeat", "20", *opts, "offices"],
                               check=True, capture_output=True)  # warm-up
                p = subprocess.run([args.cli, "--config", cfg, "--repeat", str(args.n), *opts,
                                    "offices"], check=True, capture_output=True, text=True)
                rows.append((label, json.loads(p.stdout.strip().splitlines()[-1])))
    print("\nGET /kiosk/v1/marriage/offices, signed, mutual TLS (EC P-256), loopback, "
          "%d sequential requests" % args.n)
    print("| connection | requests/s | p50 ms | p99 ms | max ms |")
    print("|---|---|---|---|---|")
    for label, r in rows:
        print("| %s | %.0f | %.2f | %.2f | %.2f |" % (label, r["rps"], r["p50_ms"], r["p99_ms"],
                                                  r["max_ms"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
