"""make scons-bench: what footprint costs a real `scons --debug=memory`.

On a generated 2,000-file C project, built once and then up to date, times
`scons --debug=memory .` plain and with footprint attached through
site_init.py, alternating the two so both see the same machine, and
prints the medians, their ratio (target: at most 1.15x) and the time
footprint's snapshots took on their own.

    bench_scons.py [--files N] [--runs R]
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "demo"))

import genproject  # noqa: E402

SCONS = shutil.which("scons") or "/usr/bin/scons"


def run(cmd, cwd, env):
    t0 = time.perf_counter()
    p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    dt = time.perf_counter() - t0
    if p.returncode != 0:
        sys.exit("scons-bench: %s failed:\n%s" % (" ".join(cmd), p.stdout))
    return dt, p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=5)
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="fp-scons-bench-")
    try:
        proj = os.path.join(tmp, "proj")
        genproject.generate(proj, a.files, 10, "shared")
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings",
                                                       "python"))
        print("scons-bench: building %d files once ..." % a.files, flush=True)
        run([SCONS, "-Q", "-j2", "."], proj, env)
        site = "--site-dir=" + os.path.join(ROOT, "demo", "site_scons")
        fenv = dict(env, FOOTPRINT_SCONS_DUMP=os.path.join(tmp, "b.dump"),
                    FOOTPRINT_SCONS_REPORT="")
        plain, withfp, snaps = [], [], []
        files = None
        for _ in range(a.runs):
            plain.append(run([SCONS, "--debug=memory", "."], proj, env)[0])
            dt, out = run([SCONS, "--debug=memory", site, "."], proj, fenv)
            withfp.append(dt)
            m = re.search(r"footprint: \d+ snapshots took ([\d.]+) s", out)
            snaps.append(float(m.group(1)) if m else float("nan"))
            m = re.search(r"after building targets:.*?\n((?:  .*\n)+)", out)
            if m:
                f = re.search(r"SCons\.Node\.FS\.File +(\d+)", m.group(1))
                files = int(f.group(1)) if f else files
        p, w, s = (statistics.median(x) for x in (plain, withfp, snaps))
        print()
        print("scons --debug=memory on an up-to-date %d-file project "
              "(%d File nodes tracked), median of %d runs each"
              % (a.files, files or 0, a.runs))
        print("%-34s %10s %10s %8s %14s %12s" % (
            "case", "plain s", "footprint s", "ratio", "target", "snapshots s"))
        print("%-34s %10.3f %10.3f %7.2fx %14s %12.3f" % (
            "scons --debug=memory (up to date)", p, w, w / p,
            "<= 1.15x: " + ("ok" if w / p <= 1.15 else "MISSED"), s))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
