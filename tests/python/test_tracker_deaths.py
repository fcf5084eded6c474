"""Deaths of tracked objects: seen without weak references, recorded before
the next snapshot, never sized after; objects whose __class__ changes stay
followed; hooks taken away by the program are noticed.  These run under
PYTHONMALLOC=debug (freed memory overwritten) and valgrind too (see
docs/python.md): a read of a freed object would crash or change sizes."""
import gc
import random
import unittest

from footprint import _core
from footprint.classtracker import ClassTracker

from tracker_support import expected_sizes, fresh_classes


def live_view(tracker):
    """{id: TrackedObject} the tracker follows (objects keeps the dead
    ones' records too, as pympler does)."""
    return dict((i, o) for i, o in tracker.objects.items()
                if o.death is None)


class DeathTest(unittest.TestCase):
    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        self.t = ClassTracker()
        self.t.track_class(self.Node, name='Node')

    def tearDown(self):
        self.t.clear()

    def test_death_recorded_at_once_and_never_sized_after(self):
        a, b = self.Node('a'), self.Node('b')
        self.t.create_snapshot('1')
        ident = id(a)
        del a
        (oa, ob) = self.t.index['Node']
        self.assertEqual(oa.id, ident)
        self.assertIsNotNone(oa.death)
        self.assertIsNone(ob.death)
        self.t.create_snapshot('2')
        s1, s2 = self.t.snapshots
        self.assertLessEqual(oa.death, s2.timestamp)
        self.assertGreater(oa.death, s1.timestamp)
        self.assertEqual([ts for ts, _ in oa.snapshots], [s1.timestamp])
        self.assertEqual([ts for ts, _ in ob.snapshots],
                         [s1.timestamp, s2.timestamp])
        self.assertEqual(s2.tracked_total, expected_sizes([b])[0])
        classes = self.t.stats.annotate_snapshot(s2)
        self.assertEqual(classes['Node']['active'], 1)

    def test_churn_with_reused_memory(self):
        rng = random.Random(7)
        alive = [self.File('f%d' % i, size=rng.randrange(30))
                 for i in range(300)]
        dead_ids = set()
        for round_ in range(20):
            for _ in range(150):
                k = rng.randrange(len(alive))
                dead_ids.add(id(alive[k]))
                del alive[k]
            alive.extend(self.File('g%d' % i, size=rng.randrange(30))
                         for i in range(150))
            self.t.create_snapshot('round %d' % round_)
            followed = live_view(self.t)
            self.assertEqual(sorted(followed), sorted(id(o) for o in alive))
            ts = self.t.snapshots[-1].timestamp
            by_id = dict((id(o), o) for o in alive)
            order = sorted(followed.values(), key=lambda o: o.birth)
            want = expected_sizes([by_id[o.id] for o in order])
            self.assertEqual([o.get_size_at_time(ts) for o in order], want)
            del by_id  # holds the objects: the next round must free them
        # the premise: freed objects' memory went to new tracked objects
        reused = dead_ids & set(id(o) for o in alive)
        self.assertTrue(reused)
        objs = self.t.index['Node']
        self.assertEqual(len(objs), 300 + 20 * 150)
        dead = [o for o in objs if o.death is not None]
        self.assertEqual(len(dead), 20 * 150)
        # every dead object was sized only in snapshots before its death
        stamps = [s.timestamp for s in self.t.snapshots]
        for o in dead:
            for ts, _ in o.snapshots:
                self.assertLess(ts, o.death)
            self.assertEqual(len(o.snapshots),
                             sum(1 for s in stamps if o.birth < s < o.death))

    def test_cycles_freed_by_the_collector(self):
        gc.disable()
        try:
            a, b = self.Node('a'), self.Node('b')
            a.kids.append(b)
            b.kids.append(a)
            del a, b
            self.assertEqual(len(live_view(self.t)), 2)  # not freed yet
            gc.collect()
            self.assertEqual(len(live_view(self.t)), 0)
            self.assertTrue(all(o.death is not None
                                for o in self.t.index['Node']))
            self.t.create_snapshot()
            self.assertEqual(self.t.snapshots[0].tracked_total, 0)
        finally:
            gc.enable()

    def test_class_with_del(self):
        ran = []

        class WithDel(self.Node):
            __slots__ = ()

            def __del__(self):
                ran.append(self.name)

        w = WithDel('w')
        del w
        self.assertEqual(ran, ['w'])  # its own finalizer still runs
        (o,) = self.t.index['Node']
        self.assertIsNotNone(o.death)

    def test_resurrected_object_is_not_followed_again(self):
        saved = []

        class Phoenix(self.Node):
            __slots__ = ()

            def __del__(self):
                saved.append(self)

        p = Phoenix('p')
        ident = id(p)
        del p
        (o,) = self.t.index['Node']
        self.assertIsNotNone(o.death)  # finalized: taken for dead
        self.assertEqual(id(saved[0]), ident)
        self.t.create_snapshot()
        self.assertEqual(self.t.snapshots[0].tracked_total, 0)
        # CPython will not finalize it a second time, so no hook can see
        # its real death: it can only be tracked by keeping it
        with self.assertRaises(TypeError):
            self.t.track_object(saved[0])
        self.t.track_object(saved[0], name='kept', keep=True)
        self.assertEqual(len(self.t.index['kept']), 1)
        self.t.detach_all()
        saved.clear()

    def test_subclass_created_after_tracking(self):
        class Late(self.Node):
            __slots__ = ('extra',)

            def __init__(self, name):
                super().__init__(name)
                self.extra = [name] * 3

        objs = [Late('l%d' % i) for i in range(10)]
        self.assertEqual(len(live_view(self.t)), 10)
        del objs[:5]
        self.assertEqual(len(live_view(self.t)), 5)
        self.t.create_snapshot()
        self.assertEqual(self.t.snapshots[0].tracked_total,
                         sum(expected_sizes(objs)))


class MorphTest(unittest.TestCase):
    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        self.t = ClassTracker()
        self.t.track_class(self.Node, name='Node')
        self.t.track_class(self.File, name='File')

    def tearDown(self):
        self.t.clear()

    def test_morph_to_untracked_new_class_then_death(self):
        n = self.Node('n')

        class Entry(self.Node):  # made after tracking began: no hook yet
            __slots__ = ()

        n.__class__ = Entry
        self.assertIs(type(n), Entry)
        self.assertIs(n.__class__, Entry)
        (o,) = self.t.index['Node']  # still its tracked class
        self.assertIn('Entry object', o.repr)
        self.t.create_snapshot('1')
        self.assertEqual(self.t.snapshots[0].tracked_total,
                         expected_sizes([n])[0])
        del n
        self.assertIsNotNone(self.t.index['Node'][0].death)
        self.t.create_snapshot('2')
        self.assertEqual(self.t.snapshots[1].tracked_total, 0)

    def test_morph_to_tracked_class_renames(self):
        class Entry(self.Node):
            __slots__ = ()

        class SlotFile(Entry):
            __slots__ = ()
        self.t.track_class(SlotFile, name='SlotFile')
        e = Entry('e')  # Entry is untracked: named Node
        self.assertEqual(len(self.t.index['Node']), 1)
        e.__class__ = SlotFile
        self.assertEqual([o.id for o in self.t.index['SlotFile']], [id(e)])
        self.assertEqual(self.t.index['Node'], [])
        del e
        self.assertIsNotNone(self.t.index['SlotFile'][0].death)

    def test_morph_untracked_object_is_ignored(self):
        class A(object):
            __slots__ = ('x',)

        class B(object):
            __slots__ = ('x',)
        a = A()
        a.__class__ = B
        self.assertIs(type(a), B)
        self.assertEqual(len(live_view(self.t)), 0)

    def test_morph_plain_instances_and_errors(self):
        class P(object):
            def __init__(self):
                self.v = [1, 2, 3]

        class Q(object):
            pass
        self.t.track_class(P, name='P')
        p = P()
        p.__class__ = Q
        self.assertEqual(p.v, [1, 2, 3])
        with self.assertRaises(TypeError):
            p.__class__ = int
        with self.assertRaises(TypeError):
            del p.__class__
        self.t.create_snapshot()
        (o,) = self.t.index['P']
        self.assertEqual(o.get_size_at_time(self.t.snapshots[0].timestamp),
                         expected_sizes([p])[0])
        del p
        self.assertIsNotNone(o.death if o.death is not None
                             else self.t.index['P'][0].death)

    def test_churn_with_morphing(self):
        rng = random.Random(11)
        kinds = []
        for i in range(6):  # classes made while tracking, some tracked
            kinds.append(type('K%d' % i, (self.Node,), {'__slots__': ()}))
        self.t.track_class(kinds[0], name='K0')
        alive = [self.Node(str(i)) for i in range(200)]
        for round_ in range(10):
            for o in rng.sample(alive, 60):
                o.__class__ = rng.choice(kinds + [self.Node])
            del o  # the loop variable must not keep one alive
            for _ in range(50):
                del alive[rng.randrange(len(alive))]
            alive.extend(rng.choice(kinds)(str(i)) for i in range(50))
            self.t.create_snapshot()
            followed = live_view(self.t)
            self.assertEqual(sorted(followed), sorted(id(o) for o in alive))
            for o in alive:
                want = 'K0' if isinstance(o, kinds[0]) else 'Node'
                self.assertEqual(followed[id(o)].name, want)
            del o
        del alive
        self.t.create_snapshot()
        self.assertEqual(self.t.snapshots[-1].tracked_total, 0)


class LostHookTest(unittest.TestCase):
    """The program itself can reset a class's finalizer (assigning __del__
    or __bases__); the next snapshot notices and never reads the objects
    that died unseen."""

    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        self.t = ClassTracker()
        self.t.track_class(self.Node, name='Node')

    def tearDown(self):
        self.t.clear()

    def test_del_assigned_after_tracking(self):
        ran = []
        nodes = [self.Node(str(i)) for i in range(50)]
        self.Node.__del__ = lambda self: ran.append(self.name)
        del nodes[:30]  # die unseen: the hook is gone
        self.assertEqual(len(ran), 30)
        filler = [self.Node('x%d' % i) for i in range(30)]  # reuse memory
        self.t.create_snapshot()
        followed = live_view(self.t)
        self.assertEqual(sorted(followed),
                         sorted(id(o) for o in nodes + filler))
        self.assertEqual(self.t.snapshots[0].tracked_total,
                         sum(expected_sizes(
                             sorted(nodes + filler,
                                    key=lambda o: followed[id(o)].birth))))
        # hooked again: the next death is seen at once, __del__ still runs
        ran.clear()
        del nodes[0]
        self.assertEqual(len(ran), 1)
        self.assertEqual(len(live_view(self.t)), 49)
        del self.Node.__del__

    def test_bases_assigned_after_tracking(self):
        class Base(object):
            __slots__ = ()

        class Other(object):
            __slots__ = ()

        class Thing(Base):
            __slots__ = ('v',)

            def __init__(self):
                self.v = [0] * 5
        self.t.track_class(Thing)
        things = [Thing() for _ in range(20)]
        Thing.__bases__ = (Other,)  # recomputes every slot of Thing
        del things[:10]
        self.t.create_snapshot()
        self.assertEqual(sorted(live_view(self.t)),
                         sorted(id(o) for o in things))


if __name__ == '__main__':
    unittest.main()
