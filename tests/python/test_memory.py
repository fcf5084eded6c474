"""Deep structures, and sizing that leaves memory exactly as it was."""
import gc
import sys
import tracemalloc
import unittest

from footprint import asizeof
from support import al, flat

DEEP = 1000000


class Link:
    __slots__ = ('next',)

    def __init__(self, nxt):
        self.next = nxt


class Plain:
    def __init__(self, i):
        self.index = i
        self.label = 'plain'
        self.extra = None


def has_dict(obj):
    """Whether obj's __dict__ exists, asked without creating it: the GC
    sees the dict once there is one, the bare values before."""
    return any(type(r) is dict for r in gc.get_referents(obj))


# CPython 3.11+ makes a plain instance's __dict__ only when asked for it;
# 3.10 makes it with the first attribute.  Sizing must leave either as is.
LAZY_DICTS = sys.version_info >= (3, 11)


class DeepTest(unittest.TestCase):
    def test_million_deep_linked_list(self):
        head = None
        for _ in range(DEEP):
            head = Link(head)
        node = al(sys.getsizeof(head))
        a = asizeof.Asizer(limit=None)
        self.assertEqual(a.asizeof(head), DEEP * node + flat(None))
        self.assertEqual(a.truncated, 0)
        # pympler's default limit stops at depth 100, and says so
        a = asizeof.Asizer()
        self.assertEqual(a.asizeof(head), 101 * node)
        self.assertEqual(a.truncated, 1)
        t = asizeof.asized(head, detail=5, limit=None)
        self.assertEqual(t.size, DEEP * node + flat(None))
        depth, n = 0, t
        while n.refs:
            n = n.get('next')
            depth += 1
        self.assertEqual(depth, 5)

    def test_million_deep_nested_lists(self):
        lst = []
        for _ in range(DEEP):
            lst = [lst]
        self.assertEqual(asizeof.asizeof(lst, limit=None),
                         DEEP * al(sys.getsizeof([None])) +
                         al(sys.getsizeof([])))

    def test_deep_chain_of_instances(self):
        # each node keeps its attributes in inline values (CPython 3.11+
        # size those arrays by when the instance was made), on 3.10 in a
        # dict
        head = None
        for i in range(100000):
            p = Plain(10 ** 30 + i)
            p.extra = head
            head = p
        had_dict = has_dict(head)
        expected = flat(None, 'plain', 'index', 'label', 'extra')
        node = head
        while node is not None:
            storage = asizeof.asized(node, detail=1, limit=1).get('__dict__')
            expected += (al(sys.getsizeof(node)) + storage.flat +
                         al(sys.getsizeof(node.index)))
            node = node.extra
        self.assertEqual(asizeof.asizeof(head, limit=None), expected)
        self.assertEqual(has_dict(head), had_dict)
        self.assertEqual(had_dict, not LAZY_DICTS)


class NoTraceLeftTest(unittest.TestCase):
    def test_ten_thousand_fresh_instances(self):
        objs = [Plain(i) for i in range(10000)]
        dicts = list(map(has_dict, objs))
        self.assertEqual(any(dicts), not LAZY_DICTS)
        asizeof.asizeof(Plain(-1))  # first-call caches, outside the trace
        tracemalloc.start()
        try:
            before = tracemalloc.take_snapshot()
            size = asizeof.asizeof(objs)
            del size
            after = tracemalloc.take_snapshot()
        finally:
            tracemalloc.stop()
        mine = [tracemalloc.Filter(False, tracemalloc.__file__)]
        diff = after.filter_traces(mine).compare_to(
            before.filter_traces(mine), 'filename')
        grown = sum(d.size_diff for d in diff)
        # a __dict__ made for each instance would be > 10000 * 64 bytes;
        # what is left is the interpreter's free lists, not per object
        self.assertLess(grown, 1024, [str(d) for d in diff[:5]])
        self.assertEqual(list(map(has_dict, objs)), dicts)

    def test_inline_values_sized_as_allocated(self):
        # What an instance costs as allocated (traced) must be what
        # asizeof reports for it and its __dict__ storage.
        # CPython 3.11+ give the first instances of a class longer values
        # arrays while its shared keys settle; from then on each array is
        # exactly what dict.__sizeof__ would count for it (and asizeof).
        # On 3.10 the storage is the instance's dict.
        warm = [Plain(i) for i in range(100)]
        del warm
        # dicts from the interpreter's free list would go untraced
        drained = [{} for _ in range(1000)]
        keep = [None] * 5000
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for i in range(len(keep)):
                keep[i] = Plain.__new__(Plain)
                keep[i].index = keep  # values all preexisting objects
                keep[i].label = keep
                keep[i].extra = keep
            traced = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        sized = 0
        for p in keep:
            t = asizeof.asized(p, detail=1, limit=1)
            self.assertEqual(t.flat, al(sys.getsizeof(p)))
            sized += sys.getsizeof(p) + t.get('__dict__').flat
        # the loop's own int leaves a few bytes
        self.assertLess(abs(traced - sized), 64)
        self.assertEqual(any(map(has_dict, keep)), not LAZY_DICTS)
        del drained


if __name__ == '__main__':
    unittest.main()
