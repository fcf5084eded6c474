"""make scons-bench: what footprint costs a real `scons --debug=memory`.

On a generated 2,000-file C project, built once and then up to date, times
`scons --debug=memory .` plain, with footprint attached through
site_init.py, and with footprint but without its census of the heap by
type (FOOTPRINT_SCONS_CENSUS=0), and prints the medians, the ratios
(footprint vs plain: at most 1.15x; the census, footprint vs footprint
without it: at most 1.05x) and the time footprint's snapshots and its
census took on their own.

The runs go in rounds of three, each round in a rotated order, so that a
machine that speeds up or slows down during the bench weighs on every
side alike; besides the ratio of the medians the table shows the median
of the per-round ratios and of the CPU (user+sys) ratios, which tell
noise from cost.  On a shared virtual machine a fixed CPU loop can
vary by half from one run to the next, so the bench also counts
instructions (valgrind's callgrind, both runs side by side, on a smaller
project so that it takes a minute or two): that figure does not move
with the machine.  --no-instructions skips it.

    bench_scons.py [--files N] [--runs R] [--instr-files N] [--no-instructions]
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
SITE = "--site-dir=" + os.path.join(ROOT, "demo", "site_scons")
NAMES = ("plain", "fp", "fp0")
# (scons arguments, environment) of each arm
ARMS = (([], {}), ([SITE], {}), ([SITE], {"FOOTPRINT_SCONS_CENSUS": "0"}))


def run(cmd, cwd, env):
    """(wall seconds, user+sys seconds, output) of one run."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    out = p.stdout.read()
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    if status != 0:
        sys.exit("scons-bench: %s failed:\n%s" % (" ".join(cmd), out))
    return dt, ru.ru_utime + ru.ru_stime, out


def project(tmp, name, files, env):
    proj = os.path.join(tmp, name)
    genproject.generate(proj, files, 10, "shared")
    print("scons-bench: building the %d-file project once ..." % files,
          flush=True)
    run([SCONS, "-Q", "-j2", "."], proj, env)
    return proj


def instructions(proj, env, tmp):
    """Instructions executed by plain, footprint and footprint without
    census runs (callgrind, run side by side: a count does not depend on
    the others' load)."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        return None
    procs = []
    for i, (extra, census) in enumerate(ARMS):
        log = os.path.join(tmp, "callgrind%d.log" % i)
        cmd = [valgrind, "--tool=callgrind", "--log-file=" + log,
               "--callgrind-out-file=" + os.path.join(tmp, "cg%d.out" % i),
               SCONS, "--debug=memory", "."] + extra
        procs.append((subprocess.Popen(cmd, cwd=proj,
                                       env=dict(env, **census),
                                       stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL), log))
    counts = []
    for p, log in procs:
        if p.wait() != 0:
            sys.exit("scons-bench: callgrind run failed, see %s" % log)
        with open(log) as f:
            m = re.search(r"refs:\s+([\d,]+)", f.read())
        if not m:
            sys.exit("scons-bench: no instruction count in %s" % log)
        counts.append(int(m.group(1).replace(",", "")))
    return counts


def verdict(ratio, limit):
    return "<= %.2fx: %s" % (limit, "ok" if ratio <= limit else "MISSED")


def report(a, files, wall, ratios, cpu, snaps, census, counts):
    p, w, w0 = (statistics.median(wall[n]) for n in NAMES)
    print()
    print("scons --debug=memory on an up-to-date %d-file project "
          "(%d File nodes tracked), %d rounds of runs"
          % (a.files, files or 0, a.runs))
    print("%-44s %10s %11s %8s %16s" % ("footprint", "plain", "footprint",
                                        "ratio", "target"))
    print("%-44s %9.3fs %10.3fs %7.2fx %16s" % (
        "wall time, medians", p, w, w / p, verdict(w / p, 1.15)))
    print("%-44s %10s %11s %7.2fx" % (
        "  median of the per-round ratios", "", "",
        statistics.median(ratios["fp"])))
    print("%-44s %10s %11s %7.2fx" % (
        "  median of the per-round CPU ratios", "", "",
        statistics.median(cpu["fp"])))
    print("%-44s %10s %10.3fs" % (
        "  footprint's 4 snapshots alone, median", "",
        statistics.median(snaps)))
    print("%-44s %10s %11s %8s %16s" % ("the census", "without", "with",
                                        "ratio", "target"))
    print("%-44s %9.3fs %10.3fs %7.2fx %16s" % (
        "wall time, medians", w0, w, w / w0, verdict(w / w0, 1.05)))
    print("%-44s %10s %11s %7.2fx" % (
        "  median of the per-round ratios", "", "",
        statistics.median(ratios["census"])))
    print("%-44s %10s %11s %7.2fx" % (
        "  median of the per-round CPU ratios", "", "",
        statistics.median(cpu["census"])))
    c = statistics.median(census)
    print("%-44s %10s %10.3fs %7.1f%% of the run" % (
        "  the 4 censuses alone, median", "", c, 100.0 * c / w))
    if counts:
        print("%-44s %10.3fG %10.3fG %7.3fx" % (
            "instructions, %d files: plain, footprint" % a.instr_files,
            counts[0] / 1e9, counts[1] / 1e9, counts[1] / counts[0]))
        print("%-44s %10.3fG %10.3fG %7.3fx %16s" % (
            "instructions: without census, with", counts[2] / 1e9,
            counts[1] / 1e9, counts[1] / counts[2],
            verdict(counts[1] / counts[2], 1.05)))
    elif not a.no_instructions:
        print("instructions: valgrind not found (make deps installs it)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=8,
                    help="rounds of three runs (default 8)")
    ap.add_argument("--instr-files", type=int, default=500)
    ap.add_argument("--no-instructions", action="store_true")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="fp-scons-bench-")
    try:
        env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "bindings",
                                                       "python"),
                   FOOTPRINT_SCONS_DUMP=os.path.join(tmp, "b.dump"),
                   FOOTPRINT_SCONS_REPORT="")
        proj = project(tmp, "proj", a.files, env)
        wall = {n: [] for n in NAMES}
        ratios = {"fp": [], "census": []}
        cpu = {"fp": [], "census": []}
        snaps, census = [], []
        files = None
        for i in range(a.runs):
            got = {}
            for k in range(3):
                which = (i + k) % 3
                extra, extra_env = ARMS[which]
                got[NAMES[which]] = run([SCONS, "--debug=memory", "."] +
                                        extra, proj, dict(env, **extra_env))
            for n in NAMES:
                wall[n].append(got[n][0])
            ratios["fp"].append(got["fp"][0] / got["plain"][0])
            ratios["census"].append(got["fp"][0] / got["fp0"][0])
            cpu["fp"].append(got["fp"][1] / got["plain"][1])
            cpu["census"].append(got["fp"][1] / got["fp0"][1])
            out = got["fp"][2]
            m = re.search(r"footprint: \d+ snapshots took ([\d.]+) s "
                          r"\(the census ([\d.]+) s\)", out)
            snaps.append(float(m.group(1)) if m else float("nan"))
            census.append(float(m.group(2)) if m else float("nan"))
            m = re.search(r"after building targets:.*?\n((?:  .*\n)+)", out)
            if m:
                f = re.search(r"SCons\.Node\.FS\.File +(\d+)", m.group(1))
                files = int(f.group(1)) if f else files
            print("scons-bench: round %d/%d: plain %.2f s, footprint %.2f s, "
                  "without census %.2f s" % (i + 1, a.runs, got["plain"][0],
                                            got["fp"][0], got["fp0"][0]),
                  flush=True)
        counts = None
        if not a.no_instructions:
            small = project(tmp, "small", a.instr_files, env)
            print("scons-bench: counting instructions (callgrind) ...",
                  flush=True)
            counts = instructions(small, env, tmp)
        report(a, files, wall, ratios, cpu, snaps, census, counts)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
