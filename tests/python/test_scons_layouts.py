"""footprint.scons on both layouts of SCons's statistics.

SCons 4.4 and 4.5 define memory_stats and its classes in SCons.Script.Main;
4.6 and later moved them to SCons.Util.stats and added --debug=json, whose
file footprint adds its figures to.  scons_standin/ holds a small SCons
stand-in of each layout, written for these tests (no SCons code), whose
build makes a known number of nodes (scons_standin/shared/SCons/Standin.py).

Every SCons run is a subprocess of this interpreter, both ways in: the
site_init.py one-liner and `python -m footprint.scons`.
"""
import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

import footprint
from footprint import scons as fscons
from footprint.classtracker_stats import Stats

HERE = os.path.dirname(os.path.abspath(__file__))
# the subprocesses import the footprint this test imported
BINDINGS = os.path.dirname(os.path.dirname(os.path.abspath(
    footprint.__file__)))
STANDIN = os.path.join(HERE, "scons_standin")
SCONS_MAIN = "import SCons.Script; SCons.Script.main()"

LABELS = ["before reading SConscript files:",
          "after reading SConscript files:",
          "before building targets:",
          "after building targets:"]
READ = {"SCons.Node.FS.Dir": 3, "SCons.Node.FS.File": 21,
        "SCons.Node.FS.Base": 1, "SCons.Node.Node": 1,
        "SCons.Executor.Executor": 11}
BUILT = dict(READ, **{"SCons.Node.FS.File": 22,
                      "SCons.Executor.Executor": 1})
# live instances at each point of the stand-in's build, by footprint class
EXPECTED = [{"SCons.Node.FS.Dir": 2}, READ, READ, BUILT]


def expected_counts(i):
    counts = dict.fromkeys(fscons.DEFAULT_CLASSES, 0)
    counts.update(EXPECTED[i])
    return counts


def memory_lines(out):
    """{label: bytes} of SCons's 'Memory <label> <bytes>' lines."""
    return {m.group(1): int(m.group(2))
            for m in re.finditer(r"^Memory (.+?:) +(\d+)$", out, re.M)}


def parse_summary(out):
    """{label: {class: (active, size text)}} from print_summary's table."""
    snaps, cur = {}, None
    head = re.compile(r"^(\S.*?:) +active +.+ +average +pct$")
    size = r"(\d+(?:\.\d+)? +[KMG]?B)"
    row = re.compile(r"^  (\S+) +(\d+) +%s +%s +\d+%%$" % (size, size))
    for line in out.splitlines():
        m = head.match(line)
        if m:
            cur = snaps.setdefault(m.group(1), {})
            continue
        m = row.match(line)
        if m and cur is not None:
            cur[m.group(1)] = (int(m.group(2)), " ".join(m.group(3).split()))
    return snaps


def size_text(nbytes):
    return " ".join(footprint.format_size(nbytes).split())


class LayoutCases:
    """The cases every layout passes; LAYOUT names its stand-in folder."""

    LAYOUT = None

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fp-scons-layout-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.site = os.path.join(self.tmp, "site")
        self.proj = os.path.join(self.tmp, "proj")
        os.makedirs(self.site)
        os.makedirs(self.proj)
        with open(os.path.join(self.site, "site_init.py"), "w") as f:
            f.write("import footprint.scons; footprint.scons.install()\n")
        self.dump = os.path.join(self.tmp, "fp.dump")

    def scons(self, way, *args, **env):
        """Run the stand-in SCons with footprint's way in ('site_init' or
        'module'); returns (completed process, argv SCons saw)."""
        if way == "site_init":
            cmd = [sys.executable, "-c", SCONS_MAIN] + list(args) + \
                ["--site-dir=" + self.site]
            argv = ["-c"] + cmd[3:]
        else:
            cmd = [sys.executable, "-m", "footprint.scons"] + list(args)
            argv = ["scons"] + list(args)
        e = {k: v for k, v in os.environ.items()
             if not k.startswith("FOOTPRINT_SCONS_")}
        e["PYTHONPATH"] = os.pathsep.join(
            [BINDINGS, os.path.join(STANDIN, self.LAYOUT)])
        e.update(FOOTPRINT_SCONS_DUMP=self.dump, FOOTPRINT_SCONS_REPORT="")
        e.update(env)
        p = subprocess.run(cmd, cwd=self.proj, env=e, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("scons: done building targets.", p.stdout)
        return p, argv

    def assert_profiled(self, out):
        """The summary follows SCons's figures, with the stand-in's counts
        at its four points, and the dump holds the same."""
        self.assertEqual(list(memory_lines(out)), LABELS, out)
        last_memory = out.rindex("Memory " + LABELS[-1])
        self.assertGreater(out.find("---- SUMMARY"), last_memory, out)
        snaps = parse_summary(out)
        self.assertEqual(list(snaps), LABELS, out)
        for i, label in enumerate(LABELS):
            counts = {c: row[0] for c, row in snaps[label].items()}
            self.assertEqual(counts, expected_counts(i), label)
        file_size = snaps[LABELS[-1]]["SCons.Node.FS.File"][1]
        self.assertNotEqual(file_size, "0 B")
        self.assertIn("footprint: dump written to " + self.dump, out)
        stats = Stats(filename=self.dump)
        self.assertEqual([s.desc for s in stats.snapshots], LABELS)
        for i, snap in enumerate(stats.snapshots):
            got = {c: f["active"]
                   for c, f in stats.annotate_snapshot(snap).items()}
            self.assertEqual(got, expected_counts(i), snap.desc)

    def test_site_init_way(self):
        p, _ = self.scons("site_init", "--debug=memory")
        self.assert_profiled(p.stdout)
        self.assertEqual(sorted(os.listdir(self.proj)), [])

    def test_module_way(self):
        p, _ = self.scons("module", "--debug=memory")
        self.assert_profiled(p.stdout)
        self.assertEqual(sorted(os.listdir(self.proj)), [])

    def test_report_written(self):
        report = os.path.join(self.tmp, "fp.html")
        p, _ = self.scons("site_init", "--debug=memory",
                          FOOTPRINT_SCONS_REPORT=report)
        self.assertIn("footprint: report written to " + report, p.stdout)
        with open(report, encoding="utf-8") as f:
            self.assertIn("SCons memory by class", f.read())

    def test_nothing_attached_without_debug_memory(self):
        for way in ("site_init", "module"):
            with self.subTest(way=way):
                dump = os.path.join(self.tmp, way + ".dump")
                p, _ = self.scons(way, "--debug=count",
                                  FOOTPRINT_SCONS_DUMP=dump)
                self.assertNotIn("SUMMARY", p.stdout)
                self.assertNotIn("footprint", p.stdout + p.stderr)
                self.assertFalse(os.path.exists(dump))


class Layout44(LayoutCases, unittest.TestCase):
    """SCons 4.4: Stats and MemStats in SCons.Script.Main, no json."""

    LAYOUT = "scons44"


class Layout46(LayoutCases, unittest.TestCase):
    """SCons 4.6 and later: SCons.Util.stats and --debug=json."""

    LAYOUT = "scons46"

    def read_json(self, path):
        with open(path, encoding="utf-8") as f:
            return json.load(f)

    def assert_json(self, path, out, argv):
        """SCons's keys as the stand-in wrote them, then footprint's, with
        the figures of the summary and of the dump."""
        data = self.read_json(path)
        self.assertEqual(list(data), ["Memory", "Build_Info", "footprint"])
        self.assertEqual(data["Memory"], memory_lines(out))
        self.assertEqual(data["Build_Info"], {"ARGV": argv, "LAYOUT": "4.6"})
        fp = data["footprint"]
        self.assertEqual(fp["version"], footprint.__version__)
        self.assertEqual(fp["dump"], self.dump)
        self.assertEqual([s["label"] for s in fp["snapshots"]], LABELS)
        summary = parse_summary(out)
        dump = Stats(filename=self.dump)
        for i, snap in enumerate(fp["snapshots"]):
            classes = snap["classes"]
            self.assertEqual({c: f["active"] for c, f in classes.items()},
                             expected_counts(i))
            self.assertEqual({c: (f["active"], size_text(f["size"]))
                              for c, f in classes.items()},
                             summary[snap["label"]])
            kept = dump.snapshots[i]
            self.assertEqual(snap["time"], kept.timestamp)
            self.assertEqual(snap["tracked_total"], kept.tracked_total)
            self.assertEqual(
                {c: [f["active"], f["size"], f["average"], f["pct"]]
                 for c, f in classes.items()},
                {c: [f["active"], f["sum"], f["avg"], f["pct"]]
                 for c, f in dump.annotate_snapshot(kept).items()})
            # the heap by type, as the dump keeps it (every type)
            census = snap["census"]
            self.assertEqual((census["objects"], census["size"]),
                             kept.census_total)
            self.assertEqual({n: [t["objects"], t["size"]]
                              for n, t in census["types"].items()},
                             {n: [c, b] for n, c, b in kept.census})
            self.assertEqual(sum(t["objects"]
                                 for t in census["types"].values()),
                             census["objects"])

    def assert_rewritten_in_place(self, path):
        """Only the JSON file is left in its folder, with the permissions
        a file SCons creates there has."""
        folder = os.path.dirname(path)
        self.assertEqual(os.listdir(folder), [os.path.basename(path)])
        probe = os.path.join(self.tmp, "probe")
        open(probe, "w").close()
        self.assertEqual(os.stat(path).st_mode, os.stat(probe).st_mode)

    def test_json_site_init_way(self):
        p, argv = self.scons("site_init", "--debug=memory,json")
        self.assert_profiled(p.stdout)
        path = os.path.join(self.proj, "scons_stats.json")
        self.assert_json(path, p.stdout, argv)
        self.assert_rewritten_in_place(path)
        self.assertIn('footprint: figures added to scons_stats.json under '
                      '"footprint"', p.stdout)

    def test_json_module_way_to_a_debug_options_path(self):
        with open(os.path.join(self.proj, "SConstruct"), "w") as f:
            f.write('DebugOptions(json="stats/run.json")\n')
        p, argv = self.scons("module", "--debug=json,memory")
        self.assert_profiled(p.stdout)
        path = os.path.join(self.proj, "stats", "run.json")
        self.assert_json(path, p.stdout, argv)
        self.assert_rewritten_in_place(path)
        self.assertEqual(sorted(os.listdir(self.proj)),
                         ["SConstruct", "stats"])

    def test_json_without_debug_memory(self):
        path = os.path.join(self.proj, "scons_stats.json")
        for way in ("site_init", "module"):
            with self.subTest(way=way):
                dump = os.path.join(self.tmp, way + ".dump")
                p, argv = self.scons(way, "--debug=json",
                                     FOOTPRINT_SCONS_DUMP=dump)
                self.assertEqual(self.read_json(path),
                                 {"Build_Info": {"ARGV": argv,
                                                 "LAYOUT": "4.6"}})
                self.assertNotIn("footprint", p.stdout + p.stderr)
                self.assertFalse(os.path.exists(dump))
                os.unlink(path)


class AddToJson(unittest.TestCase):
    """footprint.scons.add_to_json, the rewrite of SCons's JSON file."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="fp-scons-json-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.path = os.path.join(self.tmp, "scons_stats.json")

    def write(self, text):
        with open(self.path, "w") as f:
            f.write(text)

    def add(self, figures):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err):
            done = fscons.add_to_json(self.path, figures, out)
        return done, out.getvalue(), err.getvalue()

    def test_adds_its_key_after_the_others(self):
        self.write('{"Memory": {"a:": 1}, "Build_Info": {"ARGV": ["x"]}}')
        os.chmod(self.path, 0o640)
        done, out, err = self.add({"snapshots": []})
        self.assertTrue(done, err)
        with open(self.path) as f:
            data = json.load(f)
        self.assertEqual(list(data.items()),
                         [("Memory", {"a:": 1}),
                          ("Build_Info", {"ARGV": ["x"]}),
                          ("footprint", {"snapshots": []})])
        self.assertEqual(os.listdir(self.tmp), ["scons_stats.json"])
        self.assertEqual(os.stat(self.path).st_mode & 0o777, 0o640)
        self.assertIn(self.path, out)

    def test_leaves_other_json_alone(self):
        for text in ("[1, 2]", "{not json"):
            with self.subTest(text=text):
                self.write(text)
                done, out, err = self.add({"snapshots": []})
                self.assertFalse(done)
                self.assertIn("footprint: could not add to", err)
                with open(self.path) as f:
                    self.assertEqual(f.read(), text)
                self.assertEqual(os.listdir(self.tmp), ["scons_stats.json"])

    def test_missing_file_stays_missing(self):
        done, out, err = self.add({"snapshots": []})
        self.assertFalse(done)
        self.assertIn(self.path, err)
        self.assertEqual(os.listdir(self.tmp), [])


if __name__ == "__main__":
    unittest.main()
