"""footprint.classtracker against pympler.classtracker, side by side.

    PYTHONPATH=bindings/python python3 bench/pytracker/bench.py
    PYMPLER_PATH=/path/to/pympler-checkout ...   # adds the pympler columns

Measured in one run, same objects, same interpreter:
- creation: ns per instance made with its class tracked (track_class),
  against the same class untracked; the ratio is of the extra cost;
- snapshot: create_snapshot with 10k and 100k tracked instances (median
  of the runs shown); target: footprint at least 20x faster;
- memory: bytes the tracker holds per tracked instance (its records,
  after track_object of every instance), what the first snapshot adds
  and keeps for the next ones (footprint: the sizer's exclusion and
  visited sets), and per instance per snapshot after that.  footprint:
  tracker.memory() (C tracker and adapter) plus what tracemalloc sees it
  allocate in Python; pympler: what tracemalloc sees (all of its
  structures are Python objects).  Targets: footprint <= 64 B per
  instance and <= 16 B per instance per snapshot.
The tracked class has __weakref__ so that pympler can follow it; footprint
does not need it.  Without pympler its columns say so.
"""
import gc
import os
import statistics
import sys
import time
import tracemalloc

from footprint import classtracker as fp_classtracker

PYMPLER = None
if os.environ.get('PYMPLER_PATH'):
    sys.path.insert(0, os.environ['PYMPLER_PATH'])
try:
    from pympler import classtracker as PYMPLER  # noqa: E402
except ImportError:
    PYMPLER = None

NA = 'pympler not available'


def make_class():
    class Item(object):
        __slots__ = ('name', 'kids', 'size', '__weakref__')

        def __init__(self, i):
            self.name = 'item'
            self.kids = []
            self.size = i
    return Item


def create_ns(tracker_mod, n, runs=5):
    """Median ns per instance creating n instances, tracked if
    tracker_mod, else untracked."""
    times = []
    for _ in range(runs):
        cls = make_class()
        tracker = None
        if tracker_mod:
            tracker = tracker_mod.ClassTracker()
            tracker.track_class(cls)
        gc.collect()
        t0 = time.perf_counter()
        objs = [cls(i) for i in range(n)]
        t1 = time.perf_counter()
        times.append((t1 - t0) * 1e9 / n)
        del objs
        if tracker:
            tracker.detach_all()
            tracker.clear()
    return statistics.median(times)


def snapshot_ms(tracker_mod, n, runs):
    cls = make_class()
    tracker = tracker_mod.ClassTracker()
    tracker.track_class(cls)
    objs = [cls(i) for i in range(n)]
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        tracker.create_snapshot()
        times.append((time.perf_counter() - t0) * 1e3)
    tracker.detach_all()
    tracker.clear()
    del objs
    return statistics.median(times)


def memory(tracker_mod, n, nsnap):
    """Bytes per instance: (the tracker's records of the instances, what
    the first snapshot allocates and keeps for the next ones, per
    snapshot after that)."""
    cls = make_class()
    objs = [cls(i) for i in range(n)]
    tracker = tracker_mod.ClassTracker()
    own = getattr(tracker, 'memory', None)
    gc.collect()
    tracemalloc.start()
    marks = []

    def mark():
        marks.append((tracemalloc.take_snapshot(), own() if own else 0))
    mark()
    for o in objs:
        tracker.track_object(o)
    mark()
    tracker.create_snapshot()
    mark()
    for _ in range(nsnap):
        tracker.create_snapshot()
    mark()
    tracemalloc.stop()

    def grew(k):
        (a, ca), (b, cb) = marks[k], marks[k + 1]
        return sum(d.size_diff for d in b.compare_to(a, 'filename')) + cb - ca
    per_snap = grew(2) / (n * nsnap)
    kept = grew(1) / n - per_snap
    records = grew(0) / n
    tracker.detach_all()
    tracker.clear()
    del objs
    return records, kept, per_snap


def note(what):
    """Progress on stderr: the pympler rows take minutes."""
    sys.stderr.write('python-tracker-bench: %s\n' % what)
    sys.stderr.flush()


def fmt(v, unit):
    return NA if v is None else '%.1f %s' % (v, unit)


def main():
    rows = []
    n_create = 100000
    note('creation, %d instances' % n_create)
    base = create_ns(None, n_create)
    fp = create_ns(fp_classtracker, n_create)
    py = create_ns(PYMPLER, n_create, runs=3) if PYMPLER else None
    extra_fp, extra_py = fp - base, (py - base if py else None)
    rows.append(('create, untracked', n_create, fmt(base, 'ns'), '', '',
                 ''))
    rows.append(('create, class tracked', n_create, fmt(fp, 'ns'),
                 fmt(py, 'ns'),
                 '%.1fx less extra' % (extra_py / extra_fp)
                 if py and extra_fp > 0 else '', ''))
    for n, runs_fp, runs_py in ((10000, 9, 3), (100000, 5, 1)):
        note('create_snapshot, %d instances' % n)
        f = snapshot_ms(fp_classtracker, n, runs_fp)
        p = snapshot_ms(PYMPLER, n, runs_py) if PYMPLER else None
        ratio = p / f if p else None
        rows.append(('create_snapshot', n, fmt(f, 'ms'), fmt(p, 'ms'),
                     '%.1fx faster' % ratio if ratio else '',
                     '>= 20x: %s' % ('ok' if ratio >= 20 else 'MISS')
                     if ratio else '>= 20x: (no pympler)'))
    for n in (10000, 100000):
        note('memory, %d instances' % n)
        fo, fk, fs = memory(fp_classtracker, n, 4)
        po, pk, ps = (memory(PYMPLER, n, 4) if PYMPLER
                      else (None, None, None))
        rows.append(('B per tracked instance', n, fmt(fo, 'B'),
                     fmt(po, 'B'), '%.1fx smaller' % (po / fo) if po else '',
                     '<= 64 B: %s' % ('ok' if fo <= 64 else 'MISS')))
        rows.append(('  kept from 1st snapshot', n, fmt(fk, 'B'),
                     fmt(pk, 'B'), '', ''))
        rows.append(('B per instance per snapshot', n, fmt(fs, 'B'),
                     fmt(ps, 'B'), '%.1fx smaller' % (ps / fs)
                     if ps and fs > 0 else '',
                     '<= 16 B: %s' % ('ok' if fs <= 16 else 'MISS')))
    print('python tracker bench: footprint.classtracker vs '
          'pympler.classtracker (%s), %s %s' % (
              'pympler %s' % getattr(sys.modules.get('pympler'),
                                     '__version__', '?')
              if PYMPLER else NA, sys.implementation.name,
              sys.version.split()[0]))
    head = ('case', 'instances', 'footprint', 'pympler', 'ratio', 'target')
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(6)]
    for r in [head] + rows:
        print('  '.join(str(v).ljust(w) if i in (0, 2, 3, 4, 5) else
                        str(v).rjust(w) for i, (v, w) in
                        enumerate(zip(r, widths))).rstrip())


if __name__ == '__main__':
    main()
