#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""UI benchmark (not a test): start-up to first frame, memory and CPU at idle,
for a portrait 1080x1920 kiosk under SDL's offscreen driver. Prints a table.

  cmake --build build --target bench-ui        (or: scripts/dev bench)
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def start(kiosk, cfg, script):
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen")
    return subprocess.Popen([kiosk, "--windowed", "--config", cfg, "--script", script],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)


def first_frame_ms(kiosk, cfg, tmp):
    """Wall time from spawning the process to its first presented frame.

    The script's first command runs only after the first frame is presented,
    so the moment its line arrives on stdout marks the frame.
    """
    script = os.path.join(tmp, "first.script")
    write(script, "print first-frame\nquit\n")
    t0 = time.perf_counter()
    p = start(kiosk, cfg, script)
    line = p.stdout.readline()
    t1 = time.perf_counter()
    p.wait()
    if line.strip() != "first-frame":
        raise SystemExit("kiosk did not reach its first frame")
    return (t1 - t0) * 1000.0


def cpu_ns(pid):
    """CPU time of all the process's threads in nanoseconds (scheduler accounting,
    precise, unlike utime/stime which count whole clock ticks)."""
    total = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
            total += int(f.read().split()[0])
    return total


def pss_kib(pid):
    with open("/proc/%d/smaps_rollup" % pid) as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    return 0


def idle_sample(kiosk, cfg, tmp, settle_s, window_s):
    script = os.path.join(tmp, "idle.script")
    write(script, "print ready\nwait %d\nquit\n" % int((settle_s + window_s + 5) * 1000))
    p = start(kiosk, cfg, script)
    p.stdout.readline()
    time.sleep(settle_s)
    pss = pss_kib(p.pid)
    c0, t0 = cpu_ns(p.pid), time.perf_counter()
    time.sleep(window_s)
    c1, t1 = cpu_ns(p.pid), time.perf_counter()
    p.kill()
    p.wait()
    cpu_s = (c1 - c0) / 1e9
    return pss, cpu_s, t1 - t0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--kiosk", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--idle-seconds", type=float, default=10.0)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cfg = os.path.join(tmp, "kiosk.ini")
        write(cfg, "[kiosk]\nassets_dir = %s/assets\nstate_dir = %s\n"
                   "[display]\nwidth = 1080\nheight = 1920\n" % (args.source, tmp))
        first_frame_ms(args.kiosk, cfg, tmp)  # warm the page cache (fonts)
        runs = [first_frame_ms(args.kiosk, cfg, tmp) for _ in range(args.runs)]
        pss, cpu_s, wall_s = idle_sample(args.kiosk, cfg, tmp, 3.0, args.idle_seconds)
    print()
    print("civic-kiosk UI benchmark: portrait 1080x1920, SDL offscreen driver, software renderer")
    print()
    print("| measure | value |")
    print("|---|---|")
    print("| start-up to first frame, median of %d | %.0f ms |" % (len(runs), statistics.median(runs)))
    print("| start-up to first frame, min / max | %.0f / %.0f ms |" % (min(runs), max(runs)))
    print("| PSS at idle (idle screen shown) | %.1f MiB |" % (pss / 1024.0))
    print("| CPU over %.0f s idle | %.1f ms (%.2f %% of one core) |" % (wall_s, cpu_s * 1000, 100.0 * cpu_s / wall_s))


if __name__ == "__main__":
    main()
