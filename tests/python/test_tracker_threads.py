"""Periodic snapshots in a background thread while the main thread creates,
morphs and destroys tracked objects: every snapshot sizes exactly the
objects alive at its time stamp, never one that died before it."""
import bisect
import random
import sys
import threading
import time
import unittest

from footprint.classtracker import ClassTracker

from tracker_support import fresh_classes


def check_snapshots(testcase, tracker):
    """Each object was sized in exactly the snapshots taken between its
    birth and its death (objects compared by number: addresses are reused
    after deaths), and each snapshot counted those as active."""
    core = tracker._core
    rows = core.object_rows()  # (addr, class, birth, death, ...)
    stamps = [s.timestamp for s in tracker.snapshots]
    testcase.assertEqual(stamps, sorted(stamps))
    expected_active = [0] * len(stamps)
    for i, row in enumerate(rows):
        birth, death = row[2], row[3]
        lo = bisect.bisect_left(stamps, birth)
        hi = len(stamps) if death is None else bisect.bisect_right(stamps,
                                                                   death)
        got = [snap for snap, _ in core.object_sizes(i)]
        testcase.assertEqual(got, list(range(lo, hi)), 'object %d' % i)
        for k in range(bisect.bisect_right(stamps, birth),
                       len(stamps) if death is None
                       else bisect.bisect_left(stamps, death)):
            expected_active[k] += 1
    stats = tracker.stats
    for k, snap in enumerate(tracker.snapshots):
        active = sum(c['active'] for c in
                     stats.annotate_snapshot(snap).values())
        testcase.assertEqual(active, expected_active[k], snap.label)


class PeriodicTest(unittest.TestCase):
    def setUp(self):
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-5)  # switch threads very often
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()

    def tearDown(self):
        sys.setswitchinterval(self.interval)

    def churn(self, seconds, seed, alive, kinds):
        rng = random.Random(seed)
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for _ in range(20):
                if alive and rng.random() < 0.5:
                    del alive[rng.randrange(len(alive))]
                else:
                    alive.append(rng.choice(kinds)(str(rng.random())))
            if alive and rng.random() < 0.3:
                x = alive[rng.randrange(len(alive))]
                if type(x) in (self.Node, self.Entry):
                    x.__class__ = rng.choice((self.Node, self.Entry))
                del x

    def test_periodic_snapshots_race_with_main_thread(self):
        class Entry(self.Node):
            __slots__ = ()
        self.Entry = Entry
        t = ClassTracker()
        t.track_class(self.Node, name='Node')
        t.track_class(self.File, name='File', resolution_level=1)
        alive = []
        t.start_periodic_snapshots(interval=0.002)
        try:
            self.churn(0.6, 3, alive, [self.Node, self.File, Entry])
        finally:
            t.stop_periodic_snapshots()
        self.assertIsNone(t._periodic_thread)
        n = len(t.snapshots)
        self.assertGreaterEqual(n, 10)
        check_snapshots(self, t)
        self.assertEqual(sorted(i for i, o in t.objects.items() if o.death is None),
                         sorted(id(o) for o in alive))
        del alive
        t.create_snapshot('end')
        self.assertEqual(t.snapshots[-1].tracked_total, 0)
        t.clear()

    def test_snapshots_from_two_threads_and_a_churning_one(self):
        class Entry(self.Node):
            __slots__ = ()
        self.Entry = Entry
        t = ClassTracker()
        t.track_class(self.Node, name='Node')
        alive, errors = [], []
        stop = threading.Event()

        def snapper():
            try:
                while not stop.is_set():
                    t.create_snapshot('thread')
                    time.sleep(0.001)
            except Exception as e:  # reported below
                errors.append(e)

        def churner():
            try:
                self.churn(0.5, 5, alive, [self.Node, Entry, self.Dir])
            except Exception as e:
                errors.append(e)

        workers = [threading.Thread(target=snapper),
                   threading.Thread(target=churner)]
        t.start_periodic_snapshots(interval=0.001)
        for w in workers:
            w.start()
        workers[1].join()
        stop.set()
        workers[0].join()
        t.stop_periodic_snapshots()
        self.assertEqual(errors, [])
        check_snapshots(self, t)
        self.assertEqual(sorted(i for i, o in t.objects.items() if o.death is None),
                         sorted(id(o) for o in alive))
        t.clear()


if __name__ == '__main__':
    unittest.main()
