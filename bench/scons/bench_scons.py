"""make scons-bench: what footprint costs a real `scons --debug=memory`.

On a generated 2,000-file C project, built once and then up to date, times
`scons --debug=memory .` plain and with footprint attached through
site_init.py, and prints the medians, their ratio (target: at most 1.15x)
and the time footprint's snapshots took on their own.

The runs go in pairs, in ABBA order (plain first, then footprint first),
so that a machine that speeds up or slows down during the bench weighs on
both sides alike; besides the ratio of the medians the table shows the
median of the per-pair ratios and of the CPU (user+sys) ratios, which
tell noise from cost.  On a shared virtual machine a fixed CPU loop can
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
    """Instructions executed by plain and footprint runs (callgrind, run
    side by side: a count does not depend on the other's load)."""
    valgrind = shutil.which("valgrind")
    if not valgrind:
        return None
    procs = []
    for i, extra in enumerate(([], [SITE])):
        log = os.path.join(tmp, "callgrind%d.log" % i)
        cmd = [valgrind, "--tool=callgrind", "--log-file=" + log,
               "--callgrind-out-file=" + os.path.join(tmp, "cg%d.out" % i),
               SCONS, "--debug=memory", "."] + extra
        procs.append((subprocess.Popen(cmd, cwd=proj, env=env,
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--runs", type=int, default=8,
                    help="pairs of runs (default 8)")
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
        plain, withfp, snaps, pairs, cpu_pairs = [], [], [], [], []
        files = None
        for i in range(a.runs):
            order = ("plain", "fp") if i % 2 == 0 else ("fp", "plain")
            got = {}
            for which in order:
                extra = [SITE] if which == "fp" else []
                got[which] = run([SCONS, "--debug=memory", "."] + extra,
                                 proj, env)
            (pw, pc, _), (fw, fc, out) = got["plain"], got["fp"]
            plain.append(pw)
            withfp.append(fw)
            pairs.append(fw / pw)
            cpu_pairs.append(fc / pc)
            m = re.search(r"footprint: \d+ snapshots took ([\d.]+) s", out)
            snaps.append(float(m.group(1)) if m else float("nan"))
            m = re.search(r"after building targets:.*?\n((?:  .*\n)+)", out)
            if m:
                f = re.search(r"SCons\.Node\.FS\.File +(\d+)", m.group(1))
                files = int(f.group(1)) if f else files
            print("scons-bench: pair %d/%d: plain %.2f s, footprint %.2f s"
                  % (i + 1, a.runs, pw, fw), flush=True)
        counts = None
        if not a.no_instructions:
            small = project(tmp, "small", a.instr_files, env)
            print("scons-bench: counting instructions (callgrind) ...",
                  flush=True)
            counts = instructions(small, env, tmp)
        p, w, s = (statistics.median(x) for x in (plain, withfp, snaps))
        print()
        print("scons --debug=memory on an up-to-date %d-file project "
              "(%d File nodes tracked), %d pairs of runs"
              % (a.files, files or 0, a.runs))
        print("%-44s %10s %11s %8s %16s" % (
            "case", "plain", "footprint", "ratio", "target"))
        print("%-44s %9.3fs %10.3fs %7.2fx %16s" % (
            "wall time, medians", p, w, w / p,
            "<= 1.15x: " + ("ok" if w / p <= 1.15 else "MISSED")))
        print("%-44s %10s %11s %7.2fx" % (
            "  median of the per-pair ratios", "", "",
            statistics.median(pairs)))
        print("%-44s %10s %11s %7.2fx" % (
            "  median of the per-pair CPU ratios", "", "",
            statistics.median(cpu_pairs)))
        print("%-44s %10s %10.3fs %8s" % (
            "  footprint's 4 snapshots alone, median", "", s, ""))
        if counts:
            print("%-44s %10.3fG %10.3fG %7.3fx" % (
                "instructions, %d-file project (callgrind)" % a.instr_files,
                counts[0] / 1e9, counts[1] / 1e9, counts[1] / counts[0]))
        elif not a.no_instructions:
            print("instructions: valgrind not found (make deps installs it)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
