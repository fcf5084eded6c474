"""footprint's muppy/summary/tracker side by side with pympler's, on a heap
of a million mixed objects.

    PYTHONPATH=bindings/python python3 bench/python/census.py

`make python-bench` runs it after bench.py's rows (bench.py calls run()).
PYMPLER_PATH, when set, names a directory holding the pympler package;
without it footprint's figures print alone and the comparison is named as
skipped.

Rows, per CPython version:
- summary.summarize(muppy.get_objects()): wall time, footprint's best of 3
  against pympler's one run, in one process on one heap.
- SummaryTracker.print_diff() after 10k more objects: the tracker is made
  (not timed: pympler's takes a census there), 10k objects are added, then
  print_diff() is timed, its table going to a StringIO.  A fresh tracker
  and fresh objects per run; footprint best of 3, pympler once.
- peak memory per object counted: a fresh process builds the heap, reads
  its peak RSS (VmHWM, ru_maxrss), takes one census, reads it again:
  (after - before) / objects counted.  And footprint's own figure,
  fp_census_memory (the census's sets and rows, what _core.census_heap
  reports) over the objects counted.

The heap: 1,000,000 objects in one list, 250,000 each of str, dict, list
and instances of a plain class with 4 attributes (a group of four refers
to one another, so nothing else is allocated), built with the cyclic GC
off, which stays off for the timings (pympler's get_objects calls
gc.collect() itself: that is part of its cost).  pympler runs in a thread
with a 1 GiB stack (bench.py's on_deep_stack), and each measurement is
printed by the measuring process as soon as it is made, so that if
pympler takes the process down, footprint's figures are still reported.
"""
import contextlib
import gc
import io
import json
import os
import resource
import subprocess
import sys
import time

HEAP = 1_000_000
MORE = 10_000
FP_RUNS = 3
TARGET = 20.0   # pympler s / footprint s, at least (summarize, print_diff)
MARK = 'CENSUS '


class Item:
    """A plain instance with a few attributes."""

    def __init__(self, name, tags, meta, kind):
        self.name = name
        self.tags = tags
        self.meta = meta
        self.kind = kind


KINDS = ('red', 'green', 'blue')


def build(n):
    """n objects, a quarter each str, dict, list and Item, in one list
    (allocated up front: no list growth leaves a peak behind)."""
    heap = [None] * n
    for i in range(n // 4):
        s = 'item %d' % i
        kind = KINDS[i % 3]
        d = {'name': s, 'kind': kind}
        tags = [s, d]
        heap[4 * i:4 * i + 4] = (s, d, tags, Item(s, tags, d, kind))
    return heap


def pympler_path():
    """True when pympler's muppy, summary and tracker import from
    PYMPLER_PATH."""
    from bench import pympler_importable
    return pympler_importable(('muppy', 'summary', 'tracker'),
                              'census bench')


def emit(**kw):
    print(MARK + json.dumps(kw), flush=True)


def on_deep_stack(fn):
    from bench import on_deep_stack as deep
    return deep(fn)


# ---- measuring (in a fresh process) ----

def time_summarize(muppy, summary):
    w0, c0 = time.perf_counter(), time.process_time()
    rows = summary.summarize(muppy.get_objects())
    w, c = time.perf_counter() - w0, time.process_time() - c0
    return dict(wall=w, cpu=c, objects=sum(r[1] for r in rows),
                size=sum(r[2] for r in rows), rows=len(rows))


def item_row(text):
    """The count printed for Item in a print_diff table, or None."""
    name = Item.__module__ + '.' + Item.__qualname__
    for line in text.splitlines():
        cells = [c.strip() for c in line.split('|')]
        if cells and cells[0] == name:
            return int(cells[1])
    return None


def time_print_diff(tracker):
    tr = tracker.SummaryTracker()
    more = build(MORE)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        w0, c0 = time.perf_counter(), time.process_time()
        tr.print_diff()
        w, c = time.perf_counter() - w0, time.process_time() - c0
    del more, tr
    return dict(wall=w, cpu=c, item=item_row(out.getvalue()),
                lines=len(out.getvalue().splitlines()))


def time_floor():
    """footprint's census of the heap (what SummaryTracker takes), and the
    bare C census of barewalk.census on gc.get_objects(): best of 3
    each, alternating."""
    from footprint import _core
    try:
        import barewalk
    except ImportError:
        return
    for _ in range(FP_RUNS):
        w0 = time.perf_counter()
        rows, total = _core.census_heap([], 0, False)
        emit(case='floor', who='footprint', wall=time.perf_counter() - w0,
             objects=total[0])
        del rows  # its lists and names are not the heap's
        w0 = time.perf_counter()
        objects, _, _ = barewalk.census(gc.get_objects())
        emit(case='floor', who='bare', wall=time.perf_counter() - w0,
             objects=objects)


def measure_times(with_pympler):
    from footprint import muppy, summary, tracker
    pm = with_pympler and pympler_path()
    if pm:
        from pympler import muppy as p_muppy, summary as p_summary
        from pympler import tracker as p_tracker
    gc.collect()
    gc.disable()
    heap = build(HEAP)  # noqa: F841 (kept alive)
    # footprint, pympler, footprint, footprint: pympler once, in the middle
    for case, fp_run, pm_run in (
            ('summarize', lambda: time_summarize(muppy, summary),
             lambda: time_summarize(p_muppy, p_summary)),
            ('print_diff', lambda: time_print_diff(tracker),
             lambda: time_print_diff(p_tracker))):
        for i in range(FP_RUNS):
            emit(case=case, who='footprint', **fp_run())
            if i == 0 and pm:
                emit(case=case, who='pympler', **on_deep_stack(pm_run))
    time_floor()


def peak():
    """Peak RSS in bytes: (VmHWM, ru_maxrss), and VmRSS now."""
    status = {}
    with open('/proc/self/status') as f:
        for line in f:
            key, value = line.split(':', 1)
            if key in ('VmHWM', 'VmRSS'):
                status[key] = int(value.split()[0]) * 1024
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return status.get('VmHWM'), maxrss, status.get('VmRSS')


def measure_memory(which):
    """One census in this process; what it added to the peak RSS."""
    from footprint import _core, muppy, summary, tracker
    if which == 'pympler':
        pympler_path()
        from pympler import muppy, summary  # noqa: F811
    gc.collect()
    gc.disable()
    heap = build(HEAP)  # noqa: F841 (kept alive)
    before = peak()
    if which == 'tracker':
        tr = tracker.SummaryTracker()
        n = sum(r[1] for r in tr.s0)
    elif which == 'pympler':
        n = on_deep_stack(
            lambda: sum(r[1] for r in summary.summarize(muppy.get_objects())))
    else:
        n = sum(r[1] for r in summary.summarize(muppy.get_objects()))
    after = peak()
    own = None
    if which == 'tracker':
        # footprint's own figure: the census's sets and rows at the end of
        # a census of the same heap (fp_census_memory)
        _, totals = _core.census_heap([], 0, False)
        own = totals[3] / totals[0]
    emit(which=which, objects=n, hwm=(after[0] - before[0]) / n,
         maxrss=(after[1] - before[1]) / n, rss_before=before[2],
         hwm_before=before[0], own=own)


# ---- the table (in the parent) ----

def child(*args):
    """Run this file with args; (measurements, returncode)."""
    p = subprocess.run([sys.executable, os.path.abspath(__file__)]
                       + list(args), stdout=subprocess.PIPE,
                       universal_newlines=True)
    found = [json.loads(line[len(MARK):]) for line in p.stdout.splitlines()
             if line.startswith(MARK)]
    return found, p.returncode


def fmt(x, f='%.4f'):
    return 'n/a' if x is None else f % x


FMT = '%-36s %11s %9s %11s %9s %8s %-13s %10s %10s'


def run():
    """Print the census rows; returns the number of targets missed."""
    pm = pympler_path()
    print()
    print('census bench: footprint muppy/summary/tracker vs pympler\'s on '
          'a heap of %s mixed objects (a quarter each str, dict, list, '
          'instances of a 4-attribute class), one list' % format(HEAP, ','))
    print('CPython %s; pympler: %s' % (
        sys.version.split()[0], 'from PYMPLER_PATH' if pm else
        'n/a, comparison skipped (set PYMPLER_PATH)'))
    print('times: wall seconds (CPU beside), one process, one heap, cyclic '
          'GC off; footprint best of %d, pympler 1 run; faster = pympler '
          'wall / footprint wall; target >= %.0fx' % (FP_RUNS, TARGET))
    print(FMT % ('row', 'footprint s', 'CPU s', 'pympler s', 'CPU s',
                 'faster', 'target', 'fp objs', 'pm objs'))
    found, rc = child('--measure', 'times')
    missed = 0
    notes = []
    if rc:
        notes.append('the measuring process exited with %d; footprint\'s '
                     'runs missing from it come from a second one, '
                     'without pympler' % rc)
        again, rc = child('--measure', 'times', 'footprint')
        for case in ('summarize', 'print_diff'):
            have = [m for m in found if m['case'] == case
                    and m['who'] == 'footprint']
            found += [m for m in again if m['case'] == case][
                :FP_RUNS - len(have)]
        if rc:
            notes.append('that one exited with %d too' % rc)
    for case, label in (('summarize', 'summarize(get_objects())'),
                        ('print_diff', 'SummaryTracker.print_diff(), +%dk'
                         % (MORE // 1000))):
        fp = [m for m in found if m['case'] == case
              and m['who'] == 'footprint']
        pr = [m for m in found if m['case'] == case and m['who'] == 'pympler']
        fw = min(m['wall'] for m in fp) if fp else None
        fc = min(m['cpu'] for m in fp) if fp else None
        pw = pr[0]['wall'] if pr else None
        pc = pr[0]['cpu'] if pr else None
        if fw is None:
            missed += 1
            faster, target = 'n/a', 'FAILED'
        elif pw is None:
            faster = 'n/a'
            if pm:
                missed += 1
                target = 'pympler died'
            else:
                target = 'skipped'
        else:
            ok = pw / fw >= TARGET
            missed += not ok
            faster = '%.0fx' % (pw / fw)
            target = '>=%.0fx %s' % (TARGET, 'met' if ok else 'MISSED')
        objs = ['', '']
        if case == 'summarize':
            objs = [fmt(fp[0]['objects'] if fp else None, '%d'),
                    fmt(pr[0]['objects'] if pr else None, '%d')]
        print(FMT % (label, fmt(fw), fmt(fc), fmt(pw), fmt(pc), faster,
                     target, objs[0], objs[1]), flush=True)
        if case == 'summarize' and fp:
            # the run after pympler's counts what pympler's run left (its
            # imports, caches and thread) as pympler's own count does
            after = fp[1] if pr and len(fp) > 1 else fp[0]
            notes.append('summarize: footprint counted %s objects (%s '
                         'bytes, %d rows in the run %s)%s' % (
                             ', '.join('%d' % m['objects'] for m in fp),
                             format(after['size'], ','), after['rows'],
                             'after pympler\'s' if after is not fp[0]
                             else 'first',
                             '' if not pr else
                             '; pympler %d (%s bytes, %d rows): %+d objects, '
                             '%+d bytes' % (
                                 pr[0]['objects'], format(pr[0]['size'], ','),
                                 pr[0]['rows'],
                                 pr[0]['objects'] - after['objects'],
                                 pr[0]['size'] - after['size'])))
        if case == 'print_diff' and fp:
            notes.append('print_diff: Item row of each diff (%d added): '
                         'footprint %s%s' % (
                             MORE // 4, ', '.join(str(m['item']) for m in fp),
                             '' if not pr else '; pympler %s' % pr[0]['item']))

    fp = [m for m in found if m['case'] == 'floor' and m['who'] == 'footprint']
    bare = [m for m in found if m['case'] == 'floor' and m['who'] == 'bare']
    if fp and bare:
        fw, bw = min(m['wall'] for m in fp), min(m['wall'] for m in bare)
        print(FMT % ('census alone vs bare C census (floor)', fmt(fw), '',
                     fmt(bw), '', '%.2fx' % (fw / bw), 'floor',
                     '%d' % fp[0]['objects'], '%d' % bare[0]['objects']))
        notes.append('floor: footprint\'s census of the heap (_core.'
                     'census_heap, what SummaryTracker takes) against '
                     'barewalk.census(gc.get_objects()): the same objects '
                     'by type, sized basicsize + itemsize * n, no names, no '
                     'exclusions, no __sizeof__ rules (the "pympler s" '
                     'column holds the floor, "faster" footprint / floor)')

    # memory: one census per fresh process
    mem = {}
    for which in ('summarize', 'tracker') + (('pympler',) if pm else ()):
        got, rc = child('--measure', 'memory', which)
        mem[which] = got[0] if got else None
        if rc:
            notes.append('memory (%s): the process exited with %d'
                         % (which, rc))
    fs, tr, pp = mem['summarize'], mem['tracker'], mem.get('pympler')
    if fs is None or tr is None:
        missed += 1

    def b(m):
        return None if m is None else m['hwm']
    ratio = ('%.1fx less' % (pp['hwm'] / fs['hwm'])
             if fs and pp and fs['hwm'] > 0 else 'n/a')
    print(FMT % ('peak RSS B/obj, summarize(get_obj..)',
                 fmt(b(fs), '%.1f'), '', fmt(b(pp), '%.1f'), '', ratio,
                 '-' if pm else 'skipped',
                 fmt(fs and fs['objects'], '%d'),
                 fmt(pp and pp['objects'], '%d')))
    print(FMT % ('peak RSS B/obj, SummaryTracker()', fmt(b(tr), '%.1f'),
                 '', '', '', '', '-', fmt(tr and tr['objects'], '%d'), ''))
    print(FMT % ('fp_census_memory B/obj (its own)',
                 fmt(tr and tr['own'], '%.1f'), '', '', '', '', '-', '', ''))
    for m in (fs, tr, pp):
        # the figure holds if the heap's building left no higher peak
        # behind, and ru_maxrss (the same peak, another reading) agrees
        if m and (abs(m['hwm'] - m['maxrss']) > 0.5 or
                  m['hwm_before'] > m['rss_before'] + (1 << 20)):
            notes.append('memory (%s): VmHWM %.1f B/obj, ru_maxrss %.1f; '
                         'before the census VmHWM %d, VmRSS %d (a peak '
                         'before the census hides part of it)'
                         % (m['which'], m['hwm'], m['maxrss'],
                            m['hwm_before'], m['rss_before']))
    print('peak RSS: a fresh process per row builds the heap, then takes one '
          'census; (VmHWM after - VmHWM before) / objects counted (the heap '
          'built, the peak was the RSS then).  fp_census_memory: bytes the '
          'census holds at its end (sets, rows), over the objects counted; '
          'gc.get_objects()\'s list comes on top')
    for n in notes:
        print('note: ' + n)
    print('census bench: %s' % ('every target met' if not missed else
                                '%d target(s) missed' % missed), flush=True)
    return missed


def main(argv):
    if argv[:2] == ['--measure', 'times']:
        measure_times(argv[2:] != ['footprint'])
    elif argv[:2] == ['--measure', 'memory']:
        measure_memory(argv[2])
    else:
        sys.exit(1 if run() else 0)


if __name__ == '__main__':
    main(sys.argv[1:])
