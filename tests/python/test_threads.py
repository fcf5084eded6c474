"""Sizing while other threads change what is sized: each measurement sees
one consistent state (the GIL is held throughout), never a crash."""
import sys
import threading
import unittest

from footprint import asizeof
from support import al


class Item:
    def __init__(self, i):
        self.i = i
        self.tags = ['t%d' % i]


class MutatingThreadsTest(unittest.TestCase):
    def setUp(self):
        self.interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-4)  # switch threads often

    def tearDown(self):
        sys.setswitchinterval(self.interval)

    def test_structure_changed_while_sized(self):
        data = [Item(i) for i in range(2000)]
        index = {i: data[i] for i in range(2000)}
        stop = threading.Event()
        errors = []

        def mutate(seed):
            n = seed
            try:
                while not stop.is_set():
                    n += 2
                    data.append(Item(n))
                    del data[0]
                    index[n] = data[-1]
                    index.pop(n - 4000, None)
                    data[len(data) // 2].tags.append(n)
                    if len(data[len(data) // 2].tags) > 8:
                        data[len(data) // 2].tags = []
            except Exception as e:  # reported by the main thread
                errors.append(e)

        threads = [threading.Thread(target=mutate, args=(k,)) for k in (0, 1)]
        for t in threads:
            t.start()
        sizes = []
        try:
            for _ in range(100):
                a = asizeof.Asizer()
                s = a.asizeof(data, index)
                self.assertEqual(a.missed, 0)
                sizes.append(s)
                if len(sizes) % 10 == 0:
                    asizeof.asized(data, detail=2)
        finally:
            stop.set()
            for t in threads:
                t.join()
        self.assertEqual(errors, [])
        # every figure covers at least the containers and 2000 items each
        # holding a list, and no more than the structure could reach
        item = al(sys.getsizeof(Item(0)))
        low = 2000 * item
        high = 4000 * (item + 1000)
        for s in sizes:
            self.assertGreater(s, low)
            self.assertLess(s, high)
        self.assertGreater(len(set(sizes)), 1)  # it did change meanwhile

    def test_concurrent_sizers(self):
        shared = [[i] * 10 for i in range(500)]
        whole = asizeof.asizeof(shared)
        first = asizeof.asizeof(shared[0])
        results, errors = [], []

        def work():
            mine = []
            try:
                for _ in range(50):
                    mine.append(asizeof.asizeof(shared))
                    mine.append(asizeof.asizesof(shared[0], shared))
            except Exception as e:
                errors.append(e)
            results.append(mine)

        threads = [threading.Thread(target=work) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(results), 4)
        for mine in results:
            self.assertEqual(mine[0::2], [whole] * 50)
            self.assertEqual(mine[1::2], [(first, whole - first)] * 50)


if __name__ == '__main__':
    unittest.main()
