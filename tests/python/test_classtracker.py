"""footprint.classtracker: pympler's ClassTracker API, on slotted classes
pympler cannot follow."""
import contextlib
import gc
import io
import sys
import unittest
import weakref

from footprint import _core, asizeof
from footprint.classtracker import ClassTracker
from footprint.classtracker_stats import ConsoleStats, Stats

from tracker_support import expected_sizes, fresh_classes, live_instances


class TrackClassTest(unittest.TestCase):
    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        self.tracker = ClassTracker()

    def tearDown(self):
        self.tracker.clear()

    def test_pympler_cannot_follow_these_classes(self):
        # pympler's TrackedObject starts with weakref.ref(instance)
        with self.assertRaises(TypeError):
            weakref.ref(self.Node('n'))
        with self.assertRaises(TypeError):
            weakref.ref(self.File('f'))

    def test_instances_tracked_and_sized_as_asizeof_sizes_them(self):
        self.tracker.track_class(self.Node)
        nodes = [self.Node('n%d' % i, size=i) for i in range(20)]
        self.tracker.create_snapshot('one')
        objs = self.tracker.index[self.Node.__module__ + '.Node']
        self.assertEqual([o.id for o in objs], [id(n) for n in nodes])
        want = expected_sizes(nodes)
        got = [o.get_size_at_time(self.tracker.snapshots[0].timestamp)
               for o in objs]
        self.assertEqual(got, want)
        self.assertEqual(self.tracker.snapshots[0].tracked_total, sum(want))
        self.assertTrue(all(o.death is None for o in objs))

    def test_default_and_given_names(self):
        self.tracker.track_class(self.Node)
        self.tracker.track_class(self.File, name='files')
        self.Node('a')
        self.File('b')
        self.assertEqual(sorted(self.tracker.index),
                         sorted([self.Node.__module__ + '.Node', 'files']))
        self.assertEqual(len(self.tracker.index['files']), 1)

    def test_subclass_of_tracked_class_is_tracked(self):
        self.tracker.track_class(self.Node, name='Node')
        f = self.File('f')
        d = self.Dir('d')
        names = [(o.id, o.name) for o in self.tracker.index['Node']]
        self.assertEqual(names, [(id(f), 'Node'), (id(d), 'Node')])

    def test_most_specialized_tracked_class_names_the_instance(self):
        self.tracker.track_class(self.Node, name='Node')
        self.tracker.track_class(self.File, name='File')
        f = self.File('f')  # File.__init__ calls super().__init__
        n = self.Node('n')
        idx = self.tracker.index
        self.assertEqual([o.id for o in idx['File']], [id(f)])
        self.assertEqual([o.id for o in idx['Node']], [id(n)])
        # the order of track_class calls does not matter
        t2 = ClassTracker()
        try:
            t2.track_class(self.File, name='File')
            t2.track_class(self.Node, name='Node')
            f2 = self.File('f2')
            self.assertEqual([o.id for o in t2.index['File']], [id(f2)])
            self.assertEqual(t2.index['Node'], [])
        finally:
            t2.clear()

    def test_init_arguments_and_result_untouched(self):
        class Kw(object):
            __slots__ = ('a', 'b')

            def __init__(self, a, b=2, *, c=3):
                self.a, self.b = a, b + c

        self.tracker.track_class(Kw)
        k = Kw(1, b=5, c=7)
        self.assertEqual((k.a, k.b), (1, 12))
        with self.assertRaises(TypeError):
            Kw()
        # the failed instance was tracked, then died
        objs = self.tracker.index[Kw.__module__ + '.Kw']
        self.assertEqual(len(objs), 2)
        self.assertIsNone(objs[0].death)
        self.assertIsNotNone(objs[1].death)

    def test_class_without_own_init(self):
        class Base(object):
            def __init__(self, x):
                self.x = x

        class Mixin(Base):
            def __init__(self, x):
                self.mixed = True
                super().__init__(x)

        class Leaf(Base):
            pass

        class Diamond(Leaf, Mixin):
            pass

        self.tracker.track_class(Leaf)
        self.assertEqual(Leaf(4).x, 4)
        # Diamond's MRO goes Leaf, Mixin, Base: Leaf's missing __init__
        # means Mixin's (pympler pins Base's and skips Mixin)
        self.assertEqual([c.__name__ for c in Diamond.__mro__],
                         ['Diamond', 'Leaf', 'Mixin', 'Base', 'object'])
        d = Diamond(5)
        self.assertTrue(d.mixed)
        self.assertEqual(d.x, 5)
        self.assertEqual(len(self.tracker.index[Leaf.__module__ + '.Leaf']),
                         2)
        self.tracker.detach_class(Leaf)
        self.assertNotIn('__init__', Leaf.__dict__)
        self.assertEqual(Diamond(6).x, 6)

    def test_detach_class_restores_init(self):
        own = self.Node.__dict__['__init__']
        self.tracker.track_class(self.Node)
        self.assertIsNot(self.Node.__dict__['__init__'], own)
        self.assertIs(self.Node.__dict__['__init__'].__wrapped__, own)
        self.tracker.detach_class(self.Node)
        self.assertIs(self.Node.__dict__['__init__'], own)
        self.Node('after')
        self.assertEqual(
            len(self.tracker.index[self.Node.__module__ + '.Node']), 0)
        with self.assertRaises(KeyError):
            self.tracker.detach_class(self.Node)

    def test_two_trackers_on_one_class_detach_in_any_order(self):
        own = self.Node.__dict__['__init__']
        t2 = ClassTracker()
        try:
            self.tracker.track_class(self.Node, name='N')
            t2.track_class(self.Node, name='N')
            a = self.Node('a')
            self.assertEqual([o.id for o in self.tracker.index['N']],
                             [id(a)])
            self.assertEqual([o.id for o in t2.index['N']], [id(a)])
            self.tracker.detach_class(self.Node)  # the lower wrapper
            b = self.Node('b')
            self.assertEqual(len(self.tracker.index['N']), 1)
            self.assertEqual([o.id for o in t2.index['N']], [id(a), id(b)])
            t2.detach_class(self.Node)
            self.assertIs(self.Node.__dict__['__init__'], own)
        finally:
            t2.clear()

    def test_track_class_again_changes_options(self):
        self.tracker.track_class(self.Node, name='N')
        self.tracker.track_class(self.Node, name='N', resolution_level=2,
                                 trace=True)
        n = self.Node('x')
        self.tracker.create_snapshot()
        (o,) = self.tracker.index['N']
        self.assertIn('test_track_class_again_changes_options', o.trace)
        (_, asized), = o.snapshots
        self.assertEqual(sorted(r.name for r in asized.refs),
                         sorted(['name', 'kids', 'data', '__class__']))
        self.assertTrue(any(r.refs for r in asized.refs))  # level 2
        del n

    def test_only_classes(self):
        with self.assertRaises(TypeError):
            self.tracker.track_class(self.Node('x'))

    def test_existing_instances_picked_up_on_request(self):
        before = [self.File('f%d' % i) for i in range(5)]
        plain = [self.Node('n')]
        self.tracker.track_class(self.File, name='F')
        self.assertEqual(self.tracker.index['F'], [])
        self.tracker.track_class(self.File, name='F', existing=True)
        self.assertEqual(sorted(o.id for o in self.tracker.index['F']),
                         sorted(id(f) for f in before))
        self.assertEqual(len(live_instances(self.File)),
                         len([o for o in self.tracker.objects.values()
                              if o.death is None]))
        # asking again adds nothing
        self.tracker.track_class(self.File, name='F', existing=True)
        self.assertEqual(len(self.tracker.index['F']), 5)
        del plain

    def test_existing_instances_named_by_most_specialized_class(self):
        objs = [self.Node('n'), self.File('f'), self.Dir('d')]
        self.tracker.track_class(self.File, name='File')
        self.tracker.track_class(self.Node, name='Node', existing=True)
        got = dict((o.id, name) for name, lst in self.tracker.index.items()
                   for o in lst)
        self.assertEqual(got, {id(objs[0]): 'Node', id(objs[1]): 'File',
                               id(objs[2]): 'Node'})

    def test_existing_instances_renamed_when_a_subclass_comes_later(self):
        # footprint.scons tracks SCons.Node.Node before SCons.Node.FS.File:
        # both pick up existing instances, the File ends up named File
        objs = [self.Node('n'), self.File('f'), self.Dir('d')]
        self.tracker.track_class(self.Node, name='Node', existing=True)
        self.tracker.track_class(self.File, name='File', existing=True)
        got = dict((o.id, name) for name, lst in self.tracker.index.items()
                   for o in lst)
        self.assertEqual(got, {id(objs[0]): 'Node', id(objs[1]): 'File',
                               id(objs[2]): 'Node'})


class TrackObjectTest(unittest.TestCase):
    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        self.tracker = ClassTracker()

    def tearDown(self):
        self.tracker.clear()

    def test_track_object_names_and_sizes(self):
        n = self.Node('x')
        p = self.Plain(5)
        self.tracker.track_object(n)
        self.tracker.track_object(p, name='plain', resolution_level=1)
        self.tracker.track_object(n, name='again')  # left as it is
        self.tracker.create_snapshot()
        idx = self.tracker.index
        self.assertEqual([o.id for o in idx['Node']], [id(n)])
        self.assertEqual([o.id for o in idx['plain']], [id(p)])
        self.assertEqual(idx['again'], [])
        ts = self.tracker.snapshots[0].timestamp
        self.assertEqual([idx['Node'][0].get_size_at_time(ts),
                          idx['plain'][0].get_size_at_time(ts)],
                         expected_sizes([n, p]))

    def test_track_object_does_not_keep_alive(self):
        n = self.Node('x')
        self.tracker.track_object(n)
        (o,) = self.tracker.index['Node']
        self.assertIs(o.ref(), n)
        del n
        self.assertIsNone(o.ref())
        (o,) = self.tracker.index['Node']
        self.assertIsNotNone(o.death)

    def test_keep(self):
        n = self.Node('x')
        ident = id(n)
        self.tracker.track_object(n, keep=True)
        del n
        gc.collect()
        (o,) = self.tracker.index['Node']
        self.assertIsNone(o.death)
        self.assertEqual(id(o.ref()), ident)
        self.tracker.detach_all()  # lets it go
        self.assertIsNone(o.ref())

    def test_builtin_objects(self):
        s = {1, 2, 3}  # no hook possible, weak references are
        self.tracker.track_object(s, name='set')
        with self.assertRaises(TypeError):
            self.tracker.track_object([1, 2])  # neither: pympler fails too
        lst = [1, 2]
        self.tracker.track_object(lst, name='list', keep=True)
        self.tracker.create_snapshot()
        del s
        self.tracker.create_snapshot()
        (so,) = self.tracker.index['set']
        self.assertIsNotNone(so.death)
        self.assertEqual(len(so.snapshots), 1)
        (lo,) = self.tracker.index['list']
        self.assertEqual(len(lo.snapshots), 2)

    def test_track_change(self):
        n = self.Node('x')
        self.tracker.track_object(n)
        self.tracker.create_snapshot()
        self.tracker.track_change(n, resolution_level=1)
        self.tracker.create_snapshot()
        (o,) = self.tracker.index['Node']
        (_, s0), (_, s1) = o.snapshots
        self.assertEqual(s0.refs, ())
        self.assertEqual(sorted(r.name for r in s1.refs),
                         ['__class__', 'data', 'kids', 'name'])
        self.assertEqual(s1.size, s0.size)
        with self.assertRaises(KeyError):
            self.tracker.track_change(self.Node('other'))

    def test_trace(self):
        def make():
            return self.Plain()
        self.tracker.track_class(self.Plain, trace=True)
        p = make()
        (o,) = self.tracker.index[self.Plain.__module__ + '.Plain']
        lines = o.trace.splitlines()
        # outermost first, the instantiation site last
        self.assertIn('in make', lines[-1])
        self.assertEqual(lines[-2].strip(), 'return self.Plain()')
        self.assertIn('in test_trace', lines[-3])
        n = self.Node('x')
        self.tracker.track_object(n, trace=True)
        (o,) = self.tracker.index['Node']
        self.assertIn('in test_trace', o.trace.splitlines()[-1])
        del p


class PymplerSnapshotTest(unittest.TestCase):
    """What pympler's Snapshot and Stats attributes mean."""

    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        self.tracker = ClassTracker()

    def tearDown(self):
        self.tracker.clear()

    def test_total_is_the_virtual_size_resident_beside_it(self):
        self.tracker.create_snapshot('s')
        snap = self.tracker.snapshots[0]
        self.assertGreater(snap.system_total.vsz, snap.system_total.rss)
        self.assertEqual(snap.total, snap.system_total.vsz)
        self.assertEqual(snap.resident, snap.system_total.rss)

    def test_merged_referents_of_a_class(self):
        name = self.Plain.__module__ + '.Plain'
        self.tracker.track_class(self.Plain, resolution_level=2)
        plains = [self.Plain() for _ in range(3)]
        self.tracker.create_snapshot('s')
        stats = self.tracker.stats
        snap = stats.snapshots[0]
        merged = stats.annotate_snapshot(snap)[name]['merged']
        trees = [t for o in stats.index[name]
                 for ts, t in o.snapshots if ts == snap.timestamp]
        self.assertEqual(len(trees), 3)
        self.assertEqual(merged.size, sum(t.size for t in trees))
        # referents merged by name up to ':' ("[V] key: repr" of every
        # instance is one row), their sizes summed
        want = {}
        for t in trees:
            for ref in t.refs:
                key = ref.name.split(':')[0]
                want[key] = want.get(key, 0) + ref.size
        self.assertEqual(dict((r.name, r.size) for r in merged.refs), want)
        self.assertTrue(want)
        del plains


class LifecycleTest(unittest.TestCase):
    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()

    def test_close_and_context_manager(self):
        own = self.Node.__dict__['__init__']
        own_file = self.File.__dict__['__init__']
        with ClassTracker() as t:
            t.track_class(self.Node)
            n = self.Node('x')
        self.assertIs(self.Node.__dict__['__init__'], own)
        # objects stay tracked after close, as in pympler
        self.assertEqual(len(t.objects), 1)
        addr = id(n)
        self.assertIs(t.objects[addr].ref(), n)
        self.assertIsNone(t.objects[addr].death)
        del n
        # the record stays, dead, as pympler keeps it
        self.assertEqual(list(t.objects), [addr])
        self.assertIsNotNone(t.objects[addr].death)
        self.assertIsNone(t.objects[addr].ref())
        t2 = ClassTracker()
        with contextlib.closing(t2):
            t2.track_class(self.File)
            self.assertIsNot(self.File.__dict__['__init__'], own_file)
        self.assertIs(self.File.__dict__['__init__'], own_file)
        t.clear()
        t2.clear()

    def test_detach_all_keeps_what_was_recorded(self):
        t = ClassTracker()
        t.track_class(self.Node)
        nodes = [self.Node(str(i)) for i in range(3)]
        t.create_snapshot('s')
        t.detach_all()
        self.assertEqual(t.objects, {})
        self.assertEqual(len(t.snapshots), 1)
        self.assertEqual(sum(len(v) for v in t.index.values()), 3)
        del nodes
        t.create_snapshot('after')  # sizes nothing, reads nothing freed
        self.assertEqual(t.snapshots[1].tracked_total, 0)
        self.assertEqual(t.snapshots[1].desc, 'after')
        t.clear()
        self.assertEqual(t.index, {self.Node.__module__ + '.Node': []})
        self.assertEqual(t.snapshots, [])

    def test_hooks_removed_when_nothing_is_followed(self):
        gc.collect()  # trackers other tests dropped
        t = ClassTracker()
        t.track_class(self.Node)
        n = self.Node('x')
        info = _core.hook_info()
        self.assertGreaterEqual(info['types'], 1)
        self.assertTrue(info['class_descriptor'])
        t.close()
        self.assertEqual(_core.hook_info()['types'], info['types'])
        t.detach_all()
        info = _core.hook_info()
        self.assertEqual(info['types'], 0)
        self.assertFalse(info['class_descriptor'])
        # and back when needed again
        t.track_object(n)
        self.assertTrue(_core.hook_info()['class_descriptor'])
        del n
        self.assertEqual([o.death is not None for o in t.objects.values()],
                         [True])
        t.clear()
        self.assertEqual(t.objects, {})
        self.assertEqual(_core.hook_info()['types'], 0)

    def test_stats_property_and_stream(self):
        out = io.StringIO()
        t = ClassTracker(stream=out)
        t.track_class(self.Node, name='N')
        keep = self.Node('x')
        t.create_snapshot('only')
        t.stats.print_summary()
        self.assertIn('only', out.getvalue())
        self.assertIn('  N ', out.getvalue())
        self.assertIsInstance(t.stats, ConsoleStats)
        t.clear()
        del keep

    def test_memory_reported(self):
        t = ClassTracker()
        t.track_class(self.Node)
        before = t.memory()
        nodes = [self.Node(str(i)) for i in range(2000)]
        t.create_snapshot()
        self.assertGreater(t.memory(), before)
        t.clear()
        del nodes


if __name__ == '__main__':
    unittest.main()
