"""Profile a SCons build by class: `scons --debug=memory` with footprint.

Works with SCons 4.4 (Debian 12's) to 4.10.  Two ways in, both doing the
same:

    # site_scons/site_init.py (SCons loads it before reading SConscripts;
    # --site-dir=DIR points SCons at another folder)
    import footprint.scons; footprint.scons.install()

    # or run SCons through footprint, with any scons arguments
    python3 -m footprint.scons --debug=memory [scons arguments]

With --debug=memory, SCons records its memory at four points ("before
reading SConscript files:" ... "after building targets:"); footprint takes
a snapshot of every tracked SCons class at each, and when SCons prints its
memory figures, prints pympler's per-class summary after them, writes a dump
(for `footprint summary|stats|diff|html`) and an HTML report.  Each
snapshot also takes a census of the whole heap by type (what the other
objects are: pympler's summary of muppy.get_objects(), in C), and the
largest types at the last point follow the class summary.  Without
--debug=memory nothing is installed and nothing is measured.

With --debug=memory,json (SCons 4.6 and later), footprint also adds its
figures to the JSON file SCons writes (scons_stats.json, or the path given
to DebugOptions(json=...)) under the key "footprint", after SCons's keys,
which it leaves as they are.  The file is replaced atomically:

    "footprint": {
        "version": "0.1.0", "snapshot_seconds": 0.012,
        "dump": "footprint-scons.dump", "report": "footprint-scons.html",
        "snapshots": [
            {"label": "before reading SConscript files:", "time": 0.011,
             "tracked_total": 21280, "overhead": 25532, "rss": 30490624,
             "classes": {"SCons.Node.FS.File": {"active": 1, "size": 3096,
                                                "average": 3096.0,
                                                "pct": 0.0102},
                         ...}},
            ... one per point, in SCons's order]}

With the census on, each snapshot also carries

    "census": {"objects": 412345, "size": 38123456,
               "types": {"dict": {"objects": 51234, "size": 9123456}, ...}}

(every object counted, their flat sizes, and the largest types).

time is in seconds since footprint was loaded; sizes are in bytes
(tracked_total: all tracked instances, overhead: the tracker's own memory,
rss: the process's resident size); pct is the class's share of rss in
percent (the summary's pct column); dump and report are null when none is
written.  SCons 4.4 and 4.5 have no --debug=json; there footprint prints
and writes the rest as usual.

Settings, as keyword arguments of install() or environment variables:

    classes   FOOTPRINT_SCONS_CLASSES  comma-separated class names, each
              optionally with ":LEVEL" (per-referent detail), replacing the
              defaults (SCons.Node.Node, SCons.Node.FS.Base/File/Dir,
              SCons.Executor.Executor)
    extra     FOOTPRINT_SCONS_EXTRA    more classes, added to the defaults
    dump      FOOTPRINT_SCONS_DUMP     dump path (default footprint-scons.dump;
              "" writes none)
    report    FOOTPRINT_SCONS_REPORT   HTML path (default footprint-scons.html;
              "" writes none)
    census    FOOTPRINT_SCONS_CENSUS   "0" takes no census of the heap by
              type (default: one at each point)

Instances that exist when footprint attaches (SCons creates the top
directory nodes before it reads site_init.py) are picked up too.

SCons moved its statistics classes from SCons.Script.Main to SCons.Util.stats
in 4.6, so footprint reaches them only through what every 4.x release has:
the object SCons.Script.Main.memory_stats and its class.
"""
import importlib
import json
import os
import stat
import sys
import tempfile
import time

DEFAULT_CLASSES = (
    "SCons.Node.Node",
    "SCons.Node.FS.Base",
    "SCons.Node.FS.File",
    "SCons.Node.FS.Dir",
    "SCons.Executor.Executor",
)
DEFAULT_DUMP = "footprint-scons.dump"
DEFAULT_REPORT = "footprint-scons.html"
JSON_KEY = "footprint"
CENSUS_TYPES_PRINTED = 10


def parse_classes(spec):
    """'A.B:2, C.D' -> [('A.B', 2), ('C.D', 0)]."""
    out = []
    for item in (spec or "").split(","):
        item = item.strip()
        if not item:
            continue
        name, _, level = item.partition(":")
        try:
            level = int(level) if level else 0
        except ValueError:
            raise ValueError("footprint.scons: bad resolution level in %r"
                             % item) from None
        out.append((name.strip(), level))
    return out


def resolve(dotted):
    """The class named 'package.module.Class'."""
    module, _, attr = dotted.rpartition(".")
    if not module:
        raise ValueError("footprint.scons: %r is not a dotted class name"
                         % dotted)
    cls = getattr(importlib.import_module(module), attr, None)
    if not isinstance(cls, type):
        raise ValueError("footprint.scons: %r is not a class" % dotted)
    return cls


class Profiler:
    """A ClassTracker over SCons's classes, snapshotting at SCons's points."""

    def __init__(self, classes=None, extra=None, dump=None, report=None,
                 census=None):
        from footprint.classtracker import ClassTracker

        env = os.environ
        if classes is None:
            classes = env.get("FOOTPRINT_SCONS_CLASSES")
        chosen = (parse_classes(classes) if classes is not None
                  else [(c, 0) for c in DEFAULT_CLASSES])
        if extra is None:
            extra = env.get("FOOTPRINT_SCONS_EXTRA", "")
        chosen += parse_classes(extra) if isinstance(extra, str) else \
            [(c, 0) for c in extra]
        self.dump = env.get("FOOTPRINT_SCONS_DUMP", DEFAULT_DUMP) \
            if dump is None else dump
        self.report = env.get("FOOTPRINT_SCONS_REPORT", DEFAULT_REPORT) \
            if report is None else report
        if census is None:
            census = env.get("FOOTPRINT_SCONS_CENSUS", "1").strip() != "0"
        self.census_seconds = 0.0
        self.snapshot_seconds = 0.0
        self.snapshots = 0
        self.tracker = ClassTracker(census=census)
        # every type: four censuses of a few hundred types are small, and
        # a diff of two builds is then exact for every type
        self.tracker.census_types = 0
        self.classes = [(name, resolve(name)) for name, _ in chosen]
        for (name, cls), (_, level) in zip(self.classes, chosen):
            # existing=True: SCons made its top Dir nodes before we came
            self.tracker.track_class(cls, name=name, resolution_level=level,
                                     existing=True)

    def tracked_classes(self):
        """[(name, class)] in the order they were given."""
        return list(self.classes)

    def snapshot(self, label):
        t0 = time.perf_counter()
        self.tracker.create_snapshot(label, census=False)
        t1 = time.perf_counter()
        if self.tracker.census:
            self.tracker._take_census()
        t2 = time.perf_counter()
        self.snapshot_seconds += t2 - t0
        self.census_seconds += t2 - t1
        self.snapshots += 1

    def finish(self, stream):
        from footprint.classtracker_stats import ConsoleStats, HtmlStats

        stats = ConsoleStats(tracker=self.tracker, stream=stream)
        stats.print_summary()
        print_census(stats, stream)
        stream.write("footprint: %d snapshots took %.3f s"
                     % (self.snapshots, self.snapshot_seconds))
        if self.tracker.census:
            stream.write(" (the census %.3f s)" % self.census_seconds)
        stream.write("\n")
        if self.dump:
            stats.dump_stats(self.dump)
            stream.write("footprint: dump written to %s (footprint summary"
                         "|stats|diff|html)\n" % self.dump)
        if self.report:
            HtmlStats(tracker=self.tracker).create_html(
                self.report, title="SCons memory by class")
            stream.write("footprint: report written to %s\n" % self.report)
        self.tracker.close()

    def figures(self):
        """The per-class figures of every snapshot, as JSON values (what
        was recorded stays readable after finish)."""
        import footprint
        from footprint.classtracker_stats import Stats

        stats = Stats(tracker=self.tracker)
        return {
            "version": footprint.__version__,
            "snapshot_seconds": self.snapshot_seconds,
            "census_seconds": self.census_seconds,
            "dump": self.dump or None,
            "report": self.report or None,
            "snapshots": [_snapshot_figures(s, stats.annotate_snapshot(s))
                          for s in stats.snapshots],
        }


def print_census(stats, stream, limit=CENSUS_TYPES_PRINTED):
    """The largest types of the last snapshot that took a census, as
    pympler's summary prints them, under what they came to in all and
    the tracked classes' part of it."""
    from footprint import format_size, summary

    snap = next((s for s in reversed(stats.snapshots)
                 if s.census_total != (0, 0)), None)
    if snap is None:
        return
    objects, size = snap.census_total
    stream.write("---- HEAP BY TYPE " + "-" * 61 + "\n")
    stream.write("%s %d objects, %s (each object's own size)\n"
                 % (snap.desc, objects, format_size(size).strip()))
    if size:
        stream.write("  the tracked classes hold %s of it (%d%%, sized "
                     "recursively)\n"
                     % (format_size(snap.tracked_total).strip(),
                        round(100.0 * snap.tracked_total / size)))
    for line in summary.format_(snap.census, limit=limit):
        stream.write("  " + line + "\n")
    stream.write("-" * 79 + "\n")


def _census_figures(snap):
    objects, size = snap.census_total
    return {"objects": objects, "size": size,
            "types": {name: {"objects": n, "size": b}
                      for name, n, b in snap.census}}


def _snapshot_figures(snap, classes):
    out = _snapshot_figures_classes(snap, classes)
    if snap.census is not None:
        out["census"] = _census_figures(snap)
    return out


def _snapshot_figures_classes(snap, classes):
    return {
        "label": snap.desc,
        "time": snap.timestamp,
        "tracked_total": snap.tracked_total,
        "overhead": snap.overhead,
        "rss": snap.system_total.rss,
        "classes": {name: {"active": c["active"], "size": c["sum"],
                           "average": c["avg"], "pct": c["pct"]}
                    for name, c in sorted(classes.items())},
    }


def _memory_stats():
    """SCons's --debug=memory object: SCons.Script.Main.memory_stats in
    every 4.x release, whichever module its class lives in."""
    import SCons.Script.Main as scons_main

    return scons_main.memory_stats


def _enabled(memstats):
    """True once SCons has enabled --debug=memory on memstats: its append
    is no longer the class's do_nothing."""
    func = getattr(memstats.append, "__func__", None)
    return func is not type(memstats).do_nothing


def attach(memstats, profiler):
    """Wrap an enabled memstats: SCons's own figures first, then ours."""
    scons_append = memstats.append
    scons_print = memstats.print_stats

    def append(label):
        scons_append(label)
        profiler.snapshot(label)

    def print_stats():
        scons_print()
        profiler.finish(_stream(memstats))

    memstats.append = append
    memstats.print_stats = print_stats
    memstats.footprint = profiler
    _hook_json(memstats, profiler)
    return profiler


def _stream(memstats):
    return getattr(memstats, "outfp", None) or sys.stdout


def _hook_json(memstats, profiler):
    """Have SCons's --debug=json writer (4.6+) add footprint's figures to
    its file.  Main calls the writer by the name it imported, so that name
    is replaced too.  Returns whether this SCons has the writer."""
    stats_module = sys.modules.get(type(memstats).__module__)
    scons_write = getattr(stats_module, "write_scons_stats_file", None)
    if scons_write is None:
        return False

    def write_scons_stats_file(*args, **kwargs):
        result = scons_write(*args, **kwargs)
        path = getattr(stats_module, "JSON_OUTPUT_FILE", None)
        if path:
            add_to_json(path, profiler.figures(), _stream(memstats))
        return result

    for module in (stats_module, sys.modules.get("SCons.Script.Main")):
        if getattr(module, "write_scons_stats_file", None) is scons_write:
            module.write_scons_stats_file = write_scons_stats_file
    return True


def add_to_json(path, figures, stream):
    """Add figures under JSON_KEY to the JSON object in path, replacing
    the file atomically; a file that is missing or not a JSON object is
    left alone, with a warning on stderr."""
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        data[JSON_KEY] = figures
        _replace(path, json.dumps(data, indent=4))
    except (OSError, ValueError) as e:
        sys.stderr.write("footprint: could not add to %s: %s\n" % (path, e))
        return False
    stream.write("footprint: figures added to %s under \"%s\"\n"
                 % (path, JSON_KEY))
    return True


def _replace(path, text):
    """Write text to path through a temporary file in its folder and a
    rename, so a reader sees the old file or the new one, never half;
    the new file keeps the old one's permissions."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".footprint-",
                               suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def install(**settings):
    """Attach to SCons's --debug=memory, from site_init.py.

    Returns the Profiler, or None when --debug=memory is off (then nothing
    is tracked and nothing costs)."""
    ms = _memory_stats()
    if getattr(ms, "footprint", None) is not None:
        return ms.footprint
    if not _enabled(ms):
        return None
    return attach(ms, Profiler(**settings))


def main(argv=None):
    """python3 -m footprint.scons [scons arguments]: SCons with the hooks."""
    import SCons.Script

    ms = _memory_stats()

    def enable(outfp):
        # this function hides the class's enable, which does SCons's part
        type(ms).enable(ms, outfp)
        if getattr(ms, "footprint", None) is None:
            attach(ms, Profiler())

    ms.enable = enable
    sys.argv = ["scons"] + list(sys.argv[1:] if argv is None else argv)
    return SCons.Script.main()


if __name__ == "__main__":
    sys.exit(main())
