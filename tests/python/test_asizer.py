"""Asizer: sizes accumulate over calls until reset, as pympler's do."""
import io
import unittest

from footprint import asizeof
from support import flat


class Node:
    def __init__(self, name):
        self.name = name


class AccumulationTest(unittest.TestCase):
    def test_objects_count_once_across_calls(self):
        big1, big2 = 10 ** 40, 10 ** 41
        x = [big1]
        y = [x, big2]
        a = asizeof.Asizer()
        s1 = a.asizeof(x)
        self.assertEqual(s1, flat(x, big1))
        s2 = a.asizeof(y)
        self.assertEqual(s2, flat(y, big2))
        self.assertEqual(a.total, s1 + s2)
        self.assertEqual(a.asizeof(x), 0)
        z = ['fresh' * 10]
        self.assertEqual(a.asizesof(x, z), (0, flat(z, z[0])))
        self.assertEqual(a.total, s1 + s2 + flat(z, z[0]))
        self.assertEqual(a.sized, 6)
        a.reset()
        self.assertEqual(a.total, 0)
        self.assertEqual(a.asizeof(x), s1)

    def test_duplicates(self):
        s = ['shared']
        a = asizeof.Asizer()
        a.asizeof([s, s, s], {'k': s})
        self.assertEqual(a.duplicate, 1)
        self.assertGreaterEqual(a.seen, a.sized + 3)

    def test_exclude_refs(self):
        shared = ['x' * 100]
        holder = [shared]
        a = asizeof.Asizer()
        a.exclude_refs(shared)
        self.assertEqual(a.asizeof(holder), flat(holder))
        self.assertEqual(a.asizeof(shared), flat(shared, shared[0]))
        a.reset()  # forgets exclusions of references, as pympler's
        self.assertEqual(a.asizeof(holder), flat(holder, shared, shared[0]))

    def test_exclude_types(self):
        a = asizeof.Asizer()
        a.exclude_types(Node, 'not a class')
        holder = [Node('n')]
        self.assertEqual(a.asizeof(holder), flat(holder))
        self.assertEqual(a.asizeof(Node('m')), 0)
        self.assertEqual(a.excluded, (Node,))
        a.reset()
        self.assertEqual(a.asizeof([Node('n')]), flat(holder))
        out = io.StringIO()
        a.print_summary(file=out)
        self.assertIn('1 object excluded', out.getvalue())

    def test_exclude_objs(self):
        a = asizeof.Asizer()
        junk = ['junk' * 10]
        a.exclude_objs(junk)
        self.assertEqual(a.asizesof(junk, [junk]), (0, flat([junk])))

    def test_options(self):
        a = asizeof.Asizer(limit=0, align=16, code=True)
        self.assertEqual((a.limit, a.align, a.code, a.ignored), (0, 16, True,
                                                                  True))
        deep = [[1]]
        self.assertEqual(a.asizeof(deep), flat(deep, align=16))
        a.set(limit=5, align=8)
        self.assertEqual(a.asizeof([[1]], limit=5), flat([[1]], [1], 1))
        with self.assertRaises(ValueError):
            a.set(align=12)
        with self.assertRaises(KeyError):
            a.reset(bogus=1)

    def test_asized_with_names(self):
        a = asizeof.Asizer(detail=2)
        n = Node('named')
        t = a.asized(n)
        d = t.get('__dict__')
        self.assertEqual([r.name for r in t.refs], ['__dict__', '__class__'])
        self.assertEqual(sorted(r.name for r in d.refs),
                         ["[K] name", "[V] name: 'named'"])
        self.assertEqual(a.total, t.size)
        t2, t3 = a.asized([1], [2])
        self.assertEqual(a.total, t.size + t2.size + t3.size)

    def test_print_summary(self):
        a = asizeof.Asizer()
        total = a.asizeof([1, [2, 3]], 'x')
        out = io.StringIO()
        a.print_summary(objs=([1], 'x'), file=out)
        lines = out.getvalue().splitlines()
        self.assertEqual(lines[0], '%d bytes' % total)
        self.assertEqual(lines[1], '8 byte aligned')
        self.assertIn('2 objects given', lines)
        self.assertIn('6 objects sized', lines)
        self.assertIn('0 objects missed', lines)
        self.assertIn('2 deepest recursion', lines)


if __name__ == '__main__':
    unittest.main()
