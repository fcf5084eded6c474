"""footprint.asizeof side by side with pympler.asizeof, a bare C walk, a
pure-Python walk and gc.collect(), on the same structures in one run.

    PYTHONPATH=bindings/python:<dir of barewalk.so> \
        python3 bench/python/bench.py [--quick | --large] [ROW...]

`make python-bench` builds barewalk and runs this.  PYMPLER_PATH, when set,
names a directory holding the pympler package (a checkout); without it the
pympler columns print n/a.  --quick: the 100k rows only, --large: the 1M
rows only.  ROW: a subset of the row names (ints, dict, instances, tree,
linked, lazy, census).  census: footprint's muppy/summary/tracker against
pympler's on a heap of a million objects (bench/python/census.py, a table
of its own after this one; not with --quick).

Each row runs in a fresh interpreter (the same one), so that every
structure is laid out in a new heap, as a program that just built it would
have it, whatever the rows before it freed.  There the structure is built
once, then each repetition times the columns back to back on it, with the
cyclic GC off (no column pays for collections its own allocations
trigger; gc.collect() is its own column).  Times are CPU seconds of that
process: on a shared machine, time spent descheduled is nobody's cost.
The bench stops with an error if a sizer's figure changes between runs
(sizing must leave the structure as it was).
"""
import gc
import json
import os
import statistics
import subprocess
import sys
import threading
import time

SMALL, LARGE = 100_000, 1_000_000
# Repetitions per column: (at 100k, at 1M).  pympler runs at 100k only.
RUNS = {'fast': (7, 5), 'pympler': (3, 0), 'pure': (3, 1), 'gc': (3, 3)}
PYMPLER_TARGET = 10.0  # pympler s / footprint s, at least, on 100k rows
BARE_TARGET = 1.5      # footprint s / bare s, at most, on 1M rows


class Point:
    """A plain instance with 3 attributes."""

    def __init__(self, i):
        self.x = i
        self.name = 'p%d' % i
        self.weight = i + 0.5


class Node:
    def __init__(self, value):
        self.value = value
        self.left = None
        self.right = None


class Link:
    def __init__(self, value, next):
        self.value = value
        self.next = next


# pympler creates the __dict__ of every instance it sizes (CPython 3.11
# keeps attributes inline until someone asks for the dict) and leaves it
# behind; footprint sizes what is there.  To size the same objects in
# every column and every run, the rows below create those dicts when they
# build the structure.  The "lazy" row keeps them inline: footprint and
# the walks only, as pympler would change it.
def settle(objs):
    for o in objs:
        o.__dict__


def build_ints(n):
    return list(range(1000, 1000 + n))


def build_dict(n):
    return {'key%d' % i: 'value%d' % i for i in range(n)}


def build_instances(n):
    objs = [Point(i) for i in range(n)]
    settle(objs)
    return objs


def build_lazy(n):
    return [Point(i) for i in range(n)]


def build_tree(n):
    """A complete binary tree of n nodes, reachable from its root only."""
    nodes = [Node(i) for i in range(n)]
    for i in range(1, n):
        parent = nodes[(i - 1) // 2]
        if i % 2:
            parent.left = nodes[i]
        else:
            parent.right = nodes[i]
    settle(nodes)
    return nodes[0]


def build_linked(n):
    """Built the usual way, by prepending: the walk from the head goes
    from the newest node to the oldest."""
    head = None
    for i in range(n - 1, -1, -1):
        head = Link(i, head)
    o = head
    while o is not None:
        o.__dict__
        o = o.next
    return head


# name, label, builder, pympler sizes it unchanged
ROWS = [
    ('ints', 'list of N ints', build_ints, True),
    ('dict', 'dict of N str->str', build_dict, True),
    ('instances', 'list of N instances', build_instances, True),
    ('tree', 'N-node binary tree', build_tree, True),
    ('linked', 'N-long linked list', build_linked, True),
    ('lazy', 'instances, lazy dicts', build_lazy, False),
]


# ---- the columns (run in the child) ----

def pure_python(root):
    """The obvious Python sizer: gc.get_referents, an id() set,
    sys.getsizeof; dict keys added (str keys are not reported to gc),
    classes left out, as in the bare walk."""
    seen = set()
    stack = [root]
    total = 0
    getsizeof, referents = sys.getsizeof, gc.get_referents
    while stack:
        o = stack.pop()
        i = id(o)
        if i in seen or isinstance(o, type):
            continue
        seen.add(i)
        total += getsizeof(o)
        stack.extend(referents(o))
        if type(o) is dict:
            stack.extend(o)
    return total


def on_deep_stack(fn, *args, **kwargs):
    """fn(*args, **kwargs) in a thread with a 1 GiB stack: pympler recurses
    once per level, and before 3.11 each Python call also takes C stack,
    so a 100k-long linked list overflows the main thread's 8 MiB."""
    out = []
    old = threading.stack_size(1 << 30)
    try:
        t = threading.Thread(target=lambda: out.append(fn(*args, **kwargs)))
        t.start()
        t.join()
    finally:
        threading.stack_size(old)
    if not out:
        sys.exit('python bench: pympler raised (see above)')
    return out[0]


def columns(pympler_ok):
    """(name, function, runs at 100k, runs at 1M), in the order each
    repetition runs them."""
    from footprint import asizeof as fp_asizeof
    import barewalk

    cols = [
        ('bare', lambda o: barewalk.size(o, False)) + RUNS['fast'],
        ('spread', lambda o: barewalk.size(o, True)) + RUNS['fast'],
        ('footprint', lambda o: fp_asizeof.asizeof(o, limit=None))
        + RUNS['fast'],
    ]
    if pympler_ok:
        from pympler import asizeof as pympler_asizeof
        cols.append(('pympler', lambda o: on_deep_stack(
            pympler_asizeof.asizeof, o, limit=sys.maxsize))
            + RUNS['pympler'])
    cols.append(('pure', pure_python) + RUNS['pure'])
    cols.append(('gc', lambda o: gc.collect()) + RUNS['gc'])
    return cols


def pympler_importable(modules=('asizeof',), who='python bench'):
    """True when pympler's modules import from PYMPLER_PATH (added to
    sys.path once)."""
    path = os.environ.get('PYMPLER_PATH')
    if not path:
        return False
    if path not in sys.path:
        sys.path.insert(0, path)
    try:
        for name in modules:
            __import__('pympler.' + name)
    except ImportError as e:
        print('%s: pympler not importable from PYMPLER_PATH (%s)' % (who, e),
              file=sys.stderr)
        return False
    return True


def measure(name, n):
    """One row in this process: a JSON line of times and figures."""
    from footprint import asizeof as fp_asizeof

    # pympler recurses once per level: the linked list is 2N levels deep.
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 4 * n + 1000))
    row = [r for r in ROWS if r[0] == name][0]
    big = n >= LARGE
    gc.collect()
    gc.disable()
    obj = row[2](n)
    cols = [(c, fn, runs[big]) for c, fn, *runs in
            columns(row[3] and pympler_importable())]
    times = {c: [] for c, _, _ in cols}
    results = {}
    for rep in range(max(runs for _, _, runs in cols)):
        for c, fn, runs in cols:
            if rep >= runs:
                continue
            t0 = time.process_time()
            r = fn(obj)
            t = time.process_time() - t0
            if c != 'gc' and c in results and r != results[c]:
                sys.exit('python bench: %s gave %r then %r (%s, N=%d)'
                         % (c, results[c], r, name, n))
            times[c].append(t)
            results[c] = r
    a = fp_asizeof.Asizer(limit=None)
    a.asizeof(obj)
    print(json.dumps(dict(times=times, results=results, fp_objects=a.sized)))


# ---- the table (in the parent) ----

def fmt_s(t):
    return 'n/a' if t is None else '%.4f' % t


def median(xs):
    return statistics.median(xs) if xs else None


FMT = ('%-22s %8s %8s %9s %11s %10s %6s %-9s %5s %9s %4s %7s %-9s %10s '
       '%12s')


def header(pympler_ok):
    print('python bench: footprint.asizeof(obj, limit=None) vs '
          'pympler.asizeof(obj, limit=maxsize), a bare C walk, a pure-Python '
          'walk, gc.collect()')
    print('CPython %s; pympler: %s' % (
        sys.version.split()[0],
        'from PYMPLER_PATH' if pympler_ok else 'n/a (set PYMPLER_PATH)'))
    print('targets: pympler/footprint >= %.0fx on every 100k row; '
          'footprint/bare <= %.1fx on every 1M row' % (PYMPLER_TARGET,
                                                        BARE_TARGET))
    print('times: medians of CPU seconds of runs side by side, each row in '
          'a fresh process; runs at 100k/1M: footprint and bare %d/%d, '
          'pympler %d/-, pure-Python %d/%d, gc.collect %d/%d'
          % (RUNS['fast'] + RUNS['pympler'][:1] + RUNS['pure'] + RUNS['gc']))
    print('bare C: the faster of its two visited sets (hash: addr = the '
          'address, mult = multiplicative); fp/bare: median of per-run '
          'ratios to the faster of the two in that run')
    print(FMT % ('row', 'N', 'fp objs', 'bare objs', 'footprint s',
                 'pympler s', 'faster', 'target', 'same', 'bare C s', 'hash',
                 'fp/bare', 'target', 'pure-Py s', 'gc.collect s'))


def line(label, n, m):
    """Print one row; returns how many targets it missed."""
    t, res = m['times'], m['results']
    fp, pm = median(t['footprint']), median(t.get('pympler'))
    missed = 0
    if pm is None:
        faster = same = 'n/a'
        ptarget = '-'
    else:
        faster = '%.0fx' % (pm / fp)
        ok = pm / fp >= PYMPLER_TARGET
        missed += not ok
        ptarget = '>=%.0fx %s' % (PYMPLER_TARGET, 'ok' if ok else 'MISS')
        diff = res['footprint'] - res['pympler']
        same = 'yes' if not diff else '%+d' % diff
    addr, mult = median(t['bare']), median(t['spread'])
    ratio = median([f / min(a, b) for f, a, b in
                    zip(t['footprint'], t['bare'], t['spread'])])
    if n >= LARGE:
        ok = ratio <= BARE_TARGET
        missed += not ok
        btarget = '<=%.1fx %s' % (BARE_TARGET, 'ok' if ok else 'MISS')
    else:
        btarget = '-'
    print(FMT % (label, n, m['fp_objects'], res['bare'][1], fmt_s(fp),
                 fmt_s(pm), faster, ptarget, same, fmt_s(min(addr, mult)),
                 'addr' if addr <= mult else 'mult', '%.2fx' % ratio,
                 btarget, fmt_s(median(t['pure'])), fmt_s(median(t['gc']))),
          flush=True)
    return missed


def main(argv):
    if argv[:1] == ['--measure']:
        measure(argv[1], int(argv[2]))
        return
    sizes = (SMALL, LARGE)
    if '--quick' in argv:
        sizes = (SMALL,)
    elif '--large' in argv:
        sizes = (LARGE,)
    names = [a for a in argv if not a.startswith('-')]
    unknown = set(names) - {r[0] for r in ROWS} - {'census'}
    if unknown:
        sys.exit('python bench: no row %s (rows: %s)' % (
            ', '.join(sorted(unknown)),
            ' '.join([r[0] for r in ROWS] + ['census'])))
    started = time.perf_counter()
    missed = 0
    if not names or set(names) - {'census'}:
        header(pympler_importable())
        for n in sizes:
            for name, label, _, _ in ROWS:
                if names and name not in names:
                    continue
                out = subprocess.run(
                    [sys.executable, os.path.abspath(__file__), '--measure',
                     name, str(n)], stdout=subprocess.PIPE,
                    check=True).stdout
                missed += line(label, n, json.loads(out))
        print('same: footprint\'s figure equals pympler\'s (else the '
              'difference in bytes).  objs: objects sized by footprint (its '
              'stats) and by the bare walk, which does not see the key '
              'strings instances share and where footprint counts inline '
              'values as one more object')
    if (not names or 'census' in names) and LARGE in sizes:
        import census
        missed += census.run()
    print('python bench: %s, %.0f s' % (
        'every target met' if not missed else '%d target(s) missed' % missed,
        time.perf_counter() - started))


if __name__ == '__main__':
    main(sys.argv[1:])
