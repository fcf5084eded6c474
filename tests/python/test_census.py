"""footprint's muppy, summary and tracker: pympler's whole-heap API, in C.

Expected figures come from the interpreter itself (sys.getsizeof, str of
the type, gc's own lists), never from a run of footprint."""
import gc
import io
import re
import sys
import threading
import types
import unittest
from contextlib import redirect_stdout

from footprint import muppy, summary, tracker

from support import Recorder

rec = Recorder()


def trap(name):
    def method(self, *args, **kwargs):
        rec.hit(name)
        raise RuntimeError('%s must not run in a census' % name)
    return method


class Meta(type):
    __repr__ = trap('Meta.__repr__')
    __instancecheck__ = trap('Meta.__instancecheck__')
    __subclasscheck__ = trap('Meta.__subclasscheck__')

    @property
    def __name__(cls):
        rec.hit('Meta.__name__')
        raise RuntimeError('a property __name__ must not run')


class Hostile(metaclass=Meta):
    __getattr__ = trap('Hostile.__getattr__')
    __getattribute__ = trap('Hostile.__getattribute__')
    __sizeof__ = trap('Hostile.__sizeof__')
    __repr__ = trap('Hostile.__repr__')
    __eq__ = trap('Hostile.__eq__')
    __hash__ = object.__hash__
    __len__ = trap('Hostile.__len__')


class Point:
    def __init__(self, x):
        self.x = x


def pympler_name(o):
    """pympler's summary name of o, as its _repr builds it (from str of
    the type): the test's own oracle."""
    t = type(o)
    if t is types.FunctionType:
        return 'function (%s)' % o.__name__
    if t is types.ModuleType:
        return 'module(%s)' % o.__name__
    text = re.sub(r' at 0x[0-9a-f]+', '', str(t))
    return re.sub(r"^<(type|class) '(\S+)'>$", r'\2', text)


def expected_rows(objects):
    rows = {}
    for o in objects:
        row = rows.setdefault(pympler_name(o), [0, 0])
        row[0] += 1
        row[1] += sys.getsizeof(o)
    return rows


class SummarizeTest(unittest.TestCase):
    def test_rows_are_counts_and_getsizeof_per_type(self):
        def f():
            pass

        def g():
            pass
        objects = [1.5, 'abc', 'de', [1, 2], {'a': 1}, f, g, f, types,
                   Point(1), Point(2), (1, 2), b'xy', 10 ** 40]
        got = dict((r[0], [r[1], r[2]]) for r in summary.summarize(objects))
        # f twice: each object counts once
        self.assertEqual(got, expected_rows(objects[:7] + objects[8:]))
        self.assertEqual(got['function (f)'], [1, sys.getsizeof(f)])
        self.assertEqual(got['module(types)'], [1, sys.getsizeof(types)])
        self.assertEqual(got[__name__ + '.Point'],
                         [2, 2 * sys.getsizeof(Point(0))])

    def test_hostile_objects_run_nothing_and_stay_as_they_were(self):
        del rec.calls[:]
        h = Hostile()
        before = dict(object.__getattribute__(h, '__dict__'))
        rows = summary.summarize([h, Hostile])
        name = Hostile.__module__ + '.Hostile'
        self.assertEqual([r[:2] for r in rows if r[0] == name], [[name, 1]])
        self.assertEqual(rec.calls, [])
        muppy.filter([h, 1], Type=Hostile)
        muppy.sort([h, 'x'])
        muppy.get_size([h])
        objs = muppy.get_objects()
        self.assertTrue(any(o is h for o in objs))
        self.assertEqual(rec.calls, [])
        self.assertEqual(object.__getattribute__(h, '__dict__'), before)

    def test_types_are_named_from_c_fields(self):
        import enum

        class Color(enum.Enum):
            RED = 1

        class Loud(type):
            def __repr__(cls):
                rec.hit('Loud.__repr__')
                return 'LOUD'

        class Quiet(metaclass=Loud):
            pass
        del rec.calls[:]
        got = dict((r[0], r[1]) for r in summary.summarize(
            [Color.RED, Quiet(), Quiet()]))
        prefix = __name__ + '.SummarizeTest.test_types_are_named_from_c_fields'
        self.assertEqual(got, {prefix + '.<locals>.Color': 1,
                               prefix + '.<locals>.Quiet': 2})
        self.assertEqual(rec.calls, [])
        # where pympler's str(type) differs: the metaclass's repr
        self.assertEqual(str(Color), "<enum 'Color'>")

    def test_format_is_pymplers_table(self):
        rows = [['int', 3, 84], ['a.b.C', 12, 2048], ['str', 2, 100]]
        lines = list(summary.format_(rows))
        self.assertEqual(lines, [
            '  types |   # objects |   total size',
            '======= | =========== | ============',
            '  a.b.C |          12 |      2.00 KB',
            '    str |           2 |    100     B',
            '    int |           3 |     84     B',
        ])
        self.assertEqual(list(summary.format_(rows, limit=1, sort='#',
                                              order='ascending'))[2],
                         '    str |           2 |    100     B')
        self.assertEqual([l.split('|')[0].strip() for l in
                          summary.format_(rows, sort='type',
                                          order='ascending')][2:],
                         ['a.b.C', 'int', 'str'])
        with self.assertRaises(ValueError):
            list(summary.format_(rows, sort='colour'))
        out = io.StringIO()
        with redirect_stdout(out):
            summary.print_(rows)
        self.assertEqual(out.getvalue().splitlines(), lines)

    def test_get_diff(self):
        left = [['a', 1, 10], ['b', 2, 20]]
        right = [['b', 5, 50], ['c', 1, 1]]
        got = sorted(summary.get_diff(left, right))
        self.assertEqual(got, [['a', -1, -10], ['b', 3, 30], ['c', 1, 1]])


class GetObjectsTest(unittest.TestCase):
    def test_what_the_collector_tracks_and_their_untracked_referents(self):
        marker = ['tracked list']
        lone = 'only in the list %d' % id(marker)
        marker.append(lone)
        tracked = gc.get_objects()  # kept alive until objs is made
        objs = muppy.get_objects()
        ids = set(map(id, objs))
        self.assertEqual(len(ids), len(objs))  # each once
        self.assertIn(id(marker), ids)
        self.assertIn(id(lone), ids)           # untracked, referenced
        self.assertFalse(any(type(o) is types.FrameType for o in objs))
        want = set(id(o) for o in tracked
                   if type(o) is not types.FrameType)
        self.assertEqual(want - ids, set())
        self.assertIn(id(tracked), ids)
        frames = muppy.get_objects(include_frames=True)
        self.assertTrue(any(type(o) is types.FrameType for o in frames))

    def test_print_summary_and_ignore_object(self):
        keep = [Point(i) for i in range(777)]
        out = io.StringIO()
        with redirect_stdout(out):
            muppy.print_summary()
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[0].split(), ['types', '|', '#', 'objects', '|',
                                            'total', 'size'])
        self.assertLessEqual(len(lines), 2 + 15)  # print_'s default limit
        rows = dict((r[0], r[1]) for r in summary.summarize(
            muppy.get_objects()))
        self.assertGreaterEqual(rows[__name__ + '.Point'], 777)
        self.assertTrue(muppy.ignore_object(sys._getframe()))
        self.assertFalse(muppy.ignore_object(keep))
        del keep

    def test_filter_sort_size_referents(self):
        small, big = {'a': 1}, {str(i): i for i in range(100)}
        objs = [small, big, [1], 'x' * 500]
        self.assertEqual(muppy.filter(objs, Type=dict), [small, big])
        self.assertEqual(muppy.filter(objs, min=sys.getsizeof(small)),
                         [big, 'x' * 500])
        self.assertEqual(muppy.filter(objs, Type=dict,
                                      max=sys.getsizeof(big)), [small])
        with self.assertRaises(ValueError):
            muppy.filter(objs, min=10, max=5)
        self.assertEqual(muppy.sort(objs),
                         sorted(objs, key=sys.getsizeof))
        self.assertEqual(muppy.get_size(objs),
                         sum(map(sys.getsizeof, objs)))
        inner = [1.5]
        outer = [inner]
        self.assertEqual(muppy.get_referents(outer), [inner])
        self.assertEqual(muppy.get_referents(outer, level=2), [inner, 1.5])

    def test_replaced_gc_functions_are_never_called(self):
        from footprint.classtracker import ClassTracker
        real, real_refs = gc.get_objects, gc.get_referents
        gc.get_objects = trap('gc.get_objects')
        gc.get_referents = trap('gc.get_referents')
        del rec.calls[:]
        try:
            self.assertEqual(muppy.get_referents([1.5]), [1.5])
            keep = [Point(i) for i in range(10)]
            rows = dict((r[0], r[1]) for r in summary.summarize(
                muppy.get_objects()))
            tracker.SummaryTracker().diff()
            tr = ClassTracker(census=True)
            tr.census_types = 0
            tr.track_class(Point, existing=True)
            tr.create_snapshot()
            tr.close()
        finally:
            gc.get_objects, gc.get_referents = real, real_refs
        self.assertEqual(rec.calls, [])
        self.assertGreaterEqual(rows[__name__ + '.Point'], 10)
        self.assertGreaterEqual(
            dict((r[0], r[1]) for r in tr.snapshots[0].census)
            .get(__name__ + '.Point', 0), 10)
        del keep

    def test_other_threads_during_the_census(self):
        stop = threading.Event()

        def churn():
            while not stop.is_set():
                [Point(i) for i in range(200)]
        threads = [threading.Thread(target=churn) for _ in range(2)]
        for t in threads:
            t.start()
        try:
            keep = [Point(i) for i in range(100)]
            for _ in range(20):
                rows = summary.summarize(muppy.get_objects())
                got = dict((r[0], r[1]) for r in rows)
                self.assertGreaterEqual(got[__name__ + '.Point'], 100)
        finally:
            stop.set()
            for t in threads:
                t.join()
        del keep


class SummaryTrackerTest(unittest.TestCase):
    def test_diff_sees_new_instances_and_not_itself(self):
        tr = tracker.SummaryTracker()
        for _ in range(3):  # what importing and the first diffs leave
            tr.diff()
        keep = [Point(i) for i in range(1000)]
        rows = dict((r[0], r[1:]) for r in tr.diff())
        self.assertEqual(rows[__name__ + '.Point'],
                         [1000, 1000 * sys.getsizeof(keep[0])])
        kept = tr.s0  # a summary: a list of [name, count, size] rows
        self.assertGreater(len(kept), 300)
        tr.store_summary('kept')  # its own summaries are left out
        tr.store_summary('again')
        rows = dict((r[0], r[1:]) for r in tr.diff())
        # two more summaries counted would add 2 * len(kept) lists
        self.assertLess(abs(rows.get('list', [0])[0]), 50)
        self.assertNotIn(__name__ + '.Point', rows)
        del keep, kept
        rows = dict((r[0], r[1:]) for r in tr.diff())
        self.assertEqual(rows[__name__ + '.Point'][0], -1000)
        out = io.StringIO()
        with redirect_stdout(out):
            tr.print_diff()
        self.assertEqual(out.getvalue().splitlines()[0].split(),
                         ['types', '|', '#', 'objects', '|', 'total', 'size'])

    def test_two_summaries_given(self):
        tr = tracker.SummaryTracker()
        a = [['x', 1, 10]]
        b = [['x', 3, 30]]
        self.assertEqual(tr.diff(a, b), [['x', 2, 20]])
        with self.assertRaises(ValueError):
            tr.diff(summary2=b)


class ClassTrackerCensusTest(unittest.TestCase):
    """A snapshot's census: the heap by type, kept with the snapshot,
    in dumps, in the CLI."""

    def test_snapshot_census_counts_the_heap(self):
        from footprint.classtracker import ClassTracker
        from footprint.classtracker_stats import Stats
        tr = ClassTracker(census=True)
        tr.track_class(Point)
        keep = [Point(i) for i in range(1234)]
        tr.create_snapshot('with')
        tr.create_snapshot('without', census=False)
        tr.census = False
        tr.census_types = 5
        tr.create_snapshot('few', census=True)
        with_, without, few = tr.snapshots
        rows = dict((r[0], r[1:]) for r in with_.census)
        self.assertEqual(rows[__name__ + '.Point'],
                         [1234, 1234 * sys.getsizeof(keep[0])])
        self.assertEqual(without.census, None)
        self.assertEqual(without.census_total, (0, 0))
        self.assertEqual(len(few.census), 5)
        objects, size = few.census_total
        self.assertGreater(objects, sum(r[1] for r in few.census))
        self.assertGreater(size, sum(r[2] for r in few.census))
        sizes = [r[2] for r in with_.census]
        self.assertEqual(sizes, sorted(sizes, reverse=True))
        self.assertEqual(len(with_.census), ClassTracker.census_types)
        # the dump keeps it, and reads back the same
        import os
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, 'c.dump')
            tr.stats.dump_stats(path)
            back = Stats(filename=path).snapshots
            self.assertEqual([s.census for s in back],
                             [with_.census, None, few.census])
            self.assertEqual(back[0].census_total, with_.census_total)
            cli = os.environ.get('FOOTPRINT_CLI')
            if cli:
                out = subprocess.run([cli, 'summary', path, '--types', '50'],
                                     stdout=subprocess.PIPE, text=True,
                                     check=True).stdout
                self.assertIn('heap by type: %d objects'
                              % with_.census_total[0], out)
                self.assertRegex(out, r'\n +%s \| +1234 \|'
                                 % re.escape(__name__ + '.Point'))
        tr.close()
        del keep

    def test_census_runs_no_code_and_changes_nothing(self):
        from footprint.classtracker import ClassTracker
        del rec.calls[:]
        h = Hostile()
        before = dict(object.__getattribute__(h, '__dict__'))
        tr = ClassTracker(census=True)
        tr.census_types = 0  # every type
        tr.track_class(Hostile, name='Hostile')
        tr.create_snapshot()
        rows = dict((r[0], r[1]) for r in tr.snapshots[0].census)
        self.assertEqual(rows[Hostile.__module__ + '.Hostile'], 1)
        self.assertEqual(rec.calls, [])
        self.assertEqual(object.__getattribute__(h, '__dict__'), before)
        tr.close()


class ObjectTrackerTest(unittest.TestCase):
    def test_new_and_gone_objects(self):
        ot = tracker.ObjectTracker()
        ot.get_diff()
        made = [Point(i) for i in range(5)]
        diff = ot.get_diff()
        added = [o for o in diff['+'] if type(o) is Point]
        self.assertEqual(sorted(map(id, added)), sorted(map(id, made)))
        lines = ot.format_diff()
        self.assertEqual(lines[0], 'Added objects:')
        self.assertIn('Removed objects:', lines)


if __name__ == '__main__':
    unittest.main()
