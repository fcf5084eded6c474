"""Profile a SCons build by class: `scons --debug=memory` with footprint.

Two ways in, both doing the same:

    # site_scons/site_init.py (SCons loads it before reading SConscripts;
    # --site-dir=DIR points SCons at another folder)
    import footprint.scons; footprint.scons.install()

    # or run SCons through footprint, with any scons arguments
    python3 -m footprint.scons --debug=memory [scons arguments]

With --debug=memory, SCons calls its MemStats at four points ("before
reading SConscript files:" ... "after building targets:"); footprint takes
a snapshot of every tracked SCons class at each, and when SCons prints its
memory figures, prints pympler's per-class summary after them, writes a dump
(for `footprint summary|stats|diff|html`) and an HTML report.  Without
--debug=memory nothing is installed and nothing is measured.

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

Instances that exist when footprint attaches (SCons creates the top
directory nodes before it reads site_init.py) are picked up too.
"""
import importlib
import os
import sys
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

    def __init__(self, classes=None, extra=None, dump=None, report=None):
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
        self.snapshot_seconds = 0.0
        self.snapshots = 0
        self.tracker = ClassTracker()
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
        self.tracker.create_snapshot(label)
        self.snapshot_seconds += time.perf_counter() - t0
        self.snapshots += 1

    def finish(self, stream):
        from footprint.classtracker_stats import ConsoleStats, HtmlStats

        stats = ConsoleStats(tracker=self.tracker, stream=stream)
        stats.print_summary()
        stream.write("footprint: %d snapshots took %.3f s\n"
                     % (self.snapshots, self.snapshot_seconds))
        if self.dump:
            stats.dump_stats(self.dump)
            stream.write("footprint: dump written to %s (footprint summary"
                         "|stats|diff|html)\n" % self.dump)
        if self.report:
            HtmlStats(tracker=self.tracker).create_html(
                self.report, title="SCons memory by class")
            stream.write("footprint: report written to %s\n" % self.report)
        self.tracker.close()


def _enabled(memstats):
    """True once SCons has enabled --debug=memory on this MemStats."""
    from SCons.Script.Main import Stats

    return getattr(memstats.append, "__func__", None) is not Stats.do_nothing


def attach(memstats, profiler):
    """Wrap an enabled MemStats: SCons's own figures first, then ours."""
    scons_append = memstats.append
    scons_print = memstats.print_stats

    def append(label):
        scons_append(label)
        profiler.snapshot(label)

    def print_stats():
        scons_print()
        profiler.finish(getattr(memstats, "outfp", None) or sys.stdout)

    memstats.append = append
    memstats.print_stats = print_stats
    memstats.footprint = profiler
    return profiler


def install(**settings):
    """Attach to SCons's --debug=memory, from site_init.py.

    Returns the Profiler, or None when --debug=memory is off (then nothing
    is tracked and nothing costs)."""
    import SCons.Script.Main as scons_main

    ms = scons_main.memory_stats
    if getattr(ms, "footprint", None) is not None:
        return ms.footprint
    if not _enabled(ms):
        return None
    return attach(ms, Profiler(**settings))


def main(argv=None):
    """python3 -m footprint.scons [scons arguments]: SCons with the hooks."""
    import SCons.Script
    import SCons.Script.Main as scons_main

    scons_enable = scons_main.MemStats.enable

    def enable(self, outfp):
        scons_enable(self, outfp)
        if getattr(self, "footprint", None) is None:
            attach(self, Profiler())

    scons_main.MemStats.enable = enable
    sys.argv = ["scons"] + list(sys.argv[1:] if argv is None else argv)
    return SCons.Script.main()


if __name__ == "__main__":
    sys.exit(main())
