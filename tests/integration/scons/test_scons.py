"""Integration test: the real Debian scons, --debug=memory, with footprint.

Runs on the interpreter SCons uses (/usr/bin/python3) with footprint built
for it.  A small generated project is built once, then `scons
--debug=memory` runs on the up-to-date tree three ways: plain, with
footprint through site_scons/site_init.py, and through `python3 -m
footprint.scons`.  Ends with 'N passed, N failed'.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
sys.path.insert(0, os.path.join(ROOT, "demo"))

import genproject  # noqa: E402
from footprint import scons as fscons  # noqa: E402
from footprint.classtracker_stats import Stats  # noqa: E402

LABELS = ["before reading SConscript files:", "after reading SConscript files:",
          "before building targets:", "after building targets:"]
CLASSES = sorted(fscons.DEFAULT_CLASSES)
SCONS = shutil.which("scons") or "/usr/bin/scons"
CLI = os.path.join(ROOT, "build", "footprint")

passed = failed = 0


def check(name, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL %s %s" % (name, detail))


def run(cmd, cwd, env=None):
    e = dict(os.environ)
    e["PYTHONPATH"] = os.path.join(ROOT, "bindings", "python")
    e.update(env or {})
    p = subprocess.run(cmd, cwd=cwd, env=e, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    return p.returncode, p.stdout, p.stderr


def parse_summary(out):
    """{label: {class: (active, size text)}} from print_summary's text."""
    snaps, cur = {}, None
    head = re.compile(r"^(.{35}) +active +(.+?) +average +pct$")
    row = re.compile(r"^  (.{33}) +(\d+) +(.+?) +(\S+ +\S+) +(\d+)%$")
    for line in out.splitlines():
        m = head.match(line)
        if m:
            cur = snaps.setdefault(m.group(1).rstrip(), {})
            continue
        m = row.match(line)
        if m and cur is not None:
            cur[m.group(1).rstrip()] = (int(m.group(2)), m.group(3).strip())
    return snaps


def build_output(out):
    """What SCons itself printed, without the memory figures (they differ
    from run to run) or footprint's lines."""
    keep = []
    in_summary = False
    for line in out.splitlines():
        if line.startswith(("---- SUMMARY", "---- HEAP BY TYPE")):
            in_summary = True
        if in_summary:
            if line.startswith("-" * 79):
                in_summary = False
            continue
        if line.startswith("Memory ") or line.startswith("footprint:"):
            continue
        keep.append(line)
    return keep


def parse_census(out):
    """(label, objects, {type: objects}) of the HEAP BY TYPE block, or
    None when there is none."""
    lines = out.splitlines()
    try:
        at = lines.index("---- HEAP BY TYPE " + "-" * 61)
    except ValueError:
        return None
    m = re.match(r"^(.*) (\d+) objects, ", lines[at + 1])
    types = {}
    for line in lines[at + 2:]:
        if line.startswith("-" * 79):
            break
        cells = [c.strip() for c in line.split(" | ")]
        if len(cells) == 3 and cells[1].isdigit():
            types[cells[0]] = int(cells[1])
    return m.group(1), int(m.group(2)), types


def check_census(tag, out, snaps, census_path, dump):
    """The heap by type follows the summary, at the last point; it counts
    what gc finds, so a tracked class's instances are one of its rows."""
    got = parse_census(out)
    check(tag + ": heap by type printed", got is not None, out[-3000:])
    if got is None:
        return
    label, objects, types = got
    check(tag + ": census at the last point", label == LABELS[-1], label)
    tracked = sum(n for n, _ in snaps.get(LABELS[-1], {}).values())
    check(tag + ": census counts more than the tracked classes",
          objects > 10 * tracked, (objects, tracked))
    check(tag + ": the usual types lead", {"dict", "str"} <= set(types),
          types)
    if not os.path.exists(dump):
        return
    snap = Stats(filename=dump).snapshots[-1]
    rows = {name: n for name, n, _ in snap.census or []}
    check(tag + ": the dump keeps the census", snap.census_total[0] == objects,
          (snap.census_total, objects))
    if census_path:
        gc_counts = json.load(open(census_path))
        for cls in ("SCons.Node.FS.File", "SCons.Executor.Executor"):
            check(tag + ": census counts every %s gc finds" % cls,
                  rows.get(cls) == gc_counts.get(cls),
                  "%s vs %s" % (rows.get(cls), gc_counts.get(cls)))


def size_bytes(text):
    num, unit = text.split()
    scale = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}[unit]
    return float(num) * scale


def check_run(tag, rc, out, err, plain_rc, plain_out, census_path, dump):
    check(tag + ": exit status unchanged", rc == plain_rc,
          "%s vs %s: %s" % (rc, plain_rc, err[-2000:]))
    check(tag + ": build output unchanged",
          build_output(out) == build_output(plain_out),
          "\n%s\n---\n%s" % (build_output(out), build_output(plain_out)))
    snaps = parse_summary(out)
    check(tag + ": the four snapshots", list(snaps) == LABELS, list(snaps))
    for label in LABELS:
        rows = snaps.get(label, {})
        check(tag + ": one row per class at " + label,
              sorted(rows) == CLASSES, sorted(rows))
    last = snaps.get(LABELS[-1], {})
    if census_path:
        census = json.load(open(census_path))
        for cls in CLASSES:
            got = last.get(cls, (None, None))[0]
            check(tag + ": %s count matches gc census" % cls,
                  got == census.get(cls), "%s vs %s" % (got, census.get(cls)))
    for cls in ("SCons.Node.FS.File", "SCons.Node.FS.Dir",
                "SCons.Executor.Executor"):
        active, size = last.get(cls, (0, "0 B"))
        check(tag + ": %s has instances and size" % cls,
              active > 0 and size_bytes(size) > 0, (active, size))
    check(tag + ": thousands of bytes per File",
          size_bytes(last["SCons.Node.FS.File"][1])
          / max(1, last["SCons.Node.FS.File"][0]) > 200,
          last.get("SCons.Node.FS.File"))
    # the dump reads back in Python and in the CLI, with the same figures
    check(tag + ": dump exists", os.path.exists(dump), dump)
    if not os.path.exists(dump):
        return
    st = Stats(filename=dump)
    check(tag + ": dump has 4 snapshots", len(st.snapshots) == 4,
          len(st.snapshots))
    crc, cout, cerr = run([CLI, "summary", dump], ROOT)
    check(tag + ": CLI reads the dump", crc == 0, cerr)
    check(tag + ": CLI summary equals the build's",
          parse_summary(cout) == snaps, cout)
    if census_path is not None:
        check_census(tag, out, snaps, census_path, dump)


def main():
    tmp = tempfile.mkdtemp(prefix="fp-scons-")
    try:
        proj = os.path.join(tmp, "proj")
        n = genproject.generate(proj, 60, 3, "shared")
        rc, out, err = run([SCONS, "-Q", "-j2", "."], proj)
        check("initial build", rc == 0, err[-2000:])
        check("project size", n == 60, n)

        plain_rc, plain_out, _ = run([SCONS, "--debug=memory", "."], proj)
        check("plain run succeeds", plain_rc == 0, plain_out[-2000:])
        check("plain run is up to date", "is up to date" in plain_out,
              plain_out[-2000:])

        census = os.path.join(tmp, "census.json")
        dump = os.path.join(tmp, "site.dump")
        rc, out, err = run(
            [SCONS, "--debug=memory", "--site-dir=" +
             os.path.join(HERE, "site_scons"), "."], proj,
            {"FOOTPRINT_TEST_CENSUS": census, "FOOTPRINT_SCONS_DUMP": dump,
             "FOOTPRINT_SCONS_REPORT": os.path.join(tmp, "site.html")})
        check_run("site_init", rc, out, err, plain_rc, plain_out, census, dump)
        check("site_init: report written",
              os.path.getsize(os.path.join(tmp, "site.html")) > 1000)

        dump2 = os.path.join(tmp, "m.dump")
        rc, out, err = run(
            [sys.executable, "-m", "footprint.scons", "--debug=memory", "."],
            proj, {"FOOTPRINT_SCONS_DUMP": dump2, "FOOTPRINT_SCONS_REPORT": ""})
        check_run("-m footprint.scons", rc, out, err, plain_rc, plain_out,
                  "", dump2)

        dump4 = os.path.join(tmp, "nocensus.dump")
        rc, out, err = run(
            [sys.executable, "-m", "footprint.scons", "--debug=memory", "."],
            proj, {"FOOTPRINT_SCONS_DUMP": dump4, "FOOTPRINT_SCONS_REPORT": "",
                   "FOOTPRINT_SCONS_CENSUS": "0"})
        check_run("census off", rc, out, err, plain_rc, plain_out, None,
                  dump4)
        check("census off: no heap by type", parse_census(out) is None,
              out[-3000:])
        check("census off: none in the dump",
              os.path.exists(dump4) and all(
                  s.census is None for s in Stats(filename=dump4).snapshots))

        # without --debug=memory footprint stays out of the way entirely
        rc, out, err = run(
            [SCONS, "--site-dir=" + os.path.join(HERE, "site_scons"), "."],
            proj, {"FOOTPRINT_TEST_CENSUS": census,
                   "FOOTPRINT_SCONS_DUMP": os.path.join(tmp, "none.dump")})
        check("no --debug=memory: no summary", "SUMMARY" not in out, out)
        check("no --debug=memory: no dump",
              not os.path.exists(os.path.join(tmp, "none.dump")))

        # per-referent detail on File nodes: which attributes hold memory
        dump3 = os.path.join(tmp, "detail.dump")
        rc, out, err = run(
            [SCONS, "--debug=memory", "--site-dir=" +
             os.path.join(HERE, "site_scons"), "."], proj,
            {"FOOTPRINT_TEST_CENSUS": census, "FOOTPRINT_SCONS_DUMP": dump3,
             "FOOTPRINT_SCONS_REPORT": "",
             "FOOTPRINT_SCONS_CLASSES": "SCons.Node.FS.File:2"})
        check("detail run succeeds", rc == 0, err[-2000:])
        crc, cout, cerr = run([CLI, "stats", dump3, "--sort", "size",
                               "--limit", "1"], ROOT)
        attrs = re.findall(r"^ {4}(\S+)", cout, re.M)
        check("detail: the largest File shows its attributes",
              crc == 0 and len(attrs) >= 2, cout[:3000])
        check("detail: level-2 referents are printed",
              re.search(r"\[2\]$", cout, re.M) is not None, cout[:3000])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
