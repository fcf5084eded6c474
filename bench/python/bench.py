"""footprint.asizeof side by side with pympler.asizeof, a bare C walk, a
pure-Python walk and gc.collect(), on the same structures in one run.

    PYTHONPATH=bindings/python:<dir of barewalk.so> python3 bench/python/bench.py
        [--quick | --large] [ROW...]

`make python-bench` builds barewalk and runs this.  PYMPLER_PATH, when set,
names a directory holding the pympler package (a checkout); without it the
pympler columns print n/a.  --quick: the 100k rows only, --large: the 1M rows only.  ROW: a subset
of the row names (ints, dict, instances, tree, linked, lazy).

Every structure is built once per row, then each repetition times the
columns back to back on it, with the cyclic GC off (no column pays for
collections its own allocations trigger; gc.collect() is its own column).
The bench stops with an error if a sizer's figure changes between runs
(sizing must leave the structure as it was).
"""
import gc
import os
import statistics
import sys
import time

from footprint import asizeof as fp_asizeof
import barewalk

# pympler recurses once per level: the linked list is 2N levels deep.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 1_000_000))

pympler_asizeof = None
if os.environ.get('PYMPLER_PATH'):
    sys.path.insert(0, os.environ['PYMPLER_PATH'])
    try:
        from pympler import asizeof as pympler_asizeof
    except ImportError as e:
        print('python bench: pympler not importable from PYMPLER_PATH (%s)'
              % e, file=sys.stderr)

SMALL, LARGE = 100_000, 1_000_000
# Repetitions per column: (at 100k, at 1M).  pympler runs at 100k only.
RUNS = {'fast': (7, 5), 'pympler': (3, 0), 'slow': (3, 3)}
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
    head = None
    for i in range(n - 1, -1, -1):
        head = Link(i, head)
    o = head
    while o is not None:
        o.__dict__
        o = o.next
    return head


ROWS = [
    ('ints', 'list of N ints', build_ints, True),
    ('dict', 'dict of N str->str', build_dict, True),
    ('instances', 'list of N instances', build_instances, True),
    ('tree', 'N-node binary tree', build_tree, True),
    ('linked', 'N-long linked list', build_linked, True),
    ('lazy', 'instances, lazy dicts', build_lazy, False),
]


def footprint(obj):
    return fp_asizeof.asizeof(obj, limit=None)


def footprint_count(obj):
    a = fp_asizeof.Asizer(limit=None)
    a.asizeof(obj)
    return a.sized


def pympler(obj):
    return pympler_asizeof.asizeof(obj, limit=sys.maxsize)


def bare(obj):
    return barewalk.size(obj)


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


def collect(obj):
    return gc.collect()


def timed(fn, obj):
    t0 = time.perf_counter()
    r = fn(obj)
    return time.perf_counter() - t0, r


class Column:
    def __init__(self, name, fn, runs):
        self.name, self.fn, self.runs = name, fn, runs
        self.times, self.result = [], None

    def run(self, obj, row):
        t, r = timed(self.fn, obj)
        if self.name != 'gc' and self.times and r != self.result:
            sys.exit('python bench: %s gave %r then %r on %s'
                     % (self.name, self.result, r, row))
        self.times.append(t)
        self.result = r

    def median(self):
        return statistics.median(self.times) if self.times else None


def measure(row, label, build, comparable, n):
    big = n >= LARGE
    obj = build(n)
    cols = {
        'bare': Column('bare', bare, RUNS['fast'][big]),
        'footprint': Column('footprint', footprint, RUNS['fast'][big]),
        'pympler': Column('pympler', pympler,
                          RUNS['pympler'][big] if pympler_asizeof and
                          comparable else 0),
        'pure': Column('pure', pure_python, RUNS['slow'][big]),
        'gc': Column('gc', collect, RUNS['slow'][big]),
    }
    fp_objects = footprint_count(obj)
    ratios = []
    for rep in range(max(c.runs for c in cols.values())):
        for c in cols.values():
            if rep < c.runs:
                c.run(obj, row)
        ratios.append(cols['footprint'].times[-1] / cols['bare'].times[-1])
    del obj
    gc.collect()
    return dict(row=label, n=n, objects=fp_objects,
                bare_objects=cols['bare'].result[1], cols=cols,
                bare_ratio=statistics.median(ratios), big=big)


def fmt_s(t):
    return 'n/a' if t is None else '%.4f' % t


def report(results):
    print('python bench: footprint.asizeof(obj, limit=None) vs '
          'pympler.asizeof(obj, limit=maxsize), a bare C walk, a pure-Python '
          'walk, gc.collect()')
    print('CPython %s; pympler: %s' % (
        sys.version.split()[0],
        pympler_asizeof.__name__ if pympler_asizeof else
        'n/a (set PYMPLER_PATH)'))
    print('targets: pympler/footprint >= %.0fx on every 100k row; '
          'footprint/bare <= %.1fx on every 1M row' % (PYMPLER_TARGET,
                                                        BARE_TARGET))
    print('times: medians in seconds (runs: footprint and bare %d at 100k, '
          '%d at 1M; pympler %d; pure-Python and gc %d); fp/bare is the '
          'median of per-run ratios' % (RUNS['fast'] + RUNS['pympler'][:1] +
                                        RUNS['slow'][:1]))
    head = ('%-22s %8s %8s %8s %11s %10s %7s %-9s %5s %9s %7s %-9s %11s %12s'
            % ('row', 'N', 'fp objs', 'bare objs', 'footprint s', 'pympler s', 'faster',
               'target', 'same', 'bare C s', 'fp/bare', 'target',
               'pure-Py s', 'gc.collect s'))
    print(head)
    missed = 0
    for r in results:
        c = r['cols']
        fp, pm = c['footprint'].median(), c['pympler'].median()
        if pm is None:
            faster = same = 'n/a'
            ptarget = '-'
        else:
            faster = '%.0fx' % (pm / fp)
            ok = pm / fp >= PYMPLER_TARGET
            missed += not ok
            ptarget = '>=%.0fx %s' % (PYMPLER_TARGET, 'ok' if ok else 'MISS')
            a, b = c['footprint'].result, c['pympler'].result
            same = 'yes' if a == b else '%+d' % (a - b)
        if r['big']:
            ok = r['bare_ratio'] <= BARE_TARGET
            missed += not ok
            btarget = '<=%.1fx %s' % (BARE_TARGET, 'ok' if ok else 'MISS')
        else:
            btarget = '-'
        print('%-22s %8d %8d %8d %11s %10s %7s %-9s %5s %9s %6.2fx %-9s %11s %12s'
              % (r['row'], r['n'], r['objects'], r['bare_objects'], fmt_s(fp), fmt_s(pm), faster,
                 ptarget, same, fmt_s(c['bare'].median()), r['bare_ratio'],
                 btarget, fmt_s(c['pure'].median()), fmt_s(c['gc'].median())))
    print('same: footprint\'s figure equals pympler\'s (else the difference '
          'in bytes); objs: objects sized by footprint (its stats) and by the '
          'bare walk, which does not see the shared key strings of instance '
          'attributes and where footprint counts inline values as one more')
    print('python bench: %s' % ('every target met' if not missed else
                                '%d target(s) missed' % missed))


def main(argv):
    sizes = (SMALL, LARGE)
    if '--quick' in argv:
        sizes = (SMALL,)
    elif '--large' in argv:
        sizes = (LARGE,)
    names = [a for a in argv if not a.startswith('-')]
    unknown = set(names) - {r[0] for r in ROWS}
    if unknown:
        sys.exit('python bench: no row %s (rows: %s)' % (
            ', '.join(sorted(unknown)), ' '.join(r[0] for r in ROWS)))
    started = time.perf_counter()
    gc.collect()
    gc.disable()
    results = []
    for n in sizes:
        for name, label, build, comparable in ROWS:
            if not names or name in names:
                results.append(measure(name, label, build, comparable, n))
    gc.enable()
    report(results)
    print('python bench: %.0f s' % (time.perf_counter() - started))


if __name__ == '__main__':
    main(sys.argv[1:])
