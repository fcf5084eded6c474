"""footprint.asizeof: functions and every option, against sys.getsizeof."""
import array
import collections
import io
import struct
import sys
import types
import unittest

from footprint import asizeof
from support import al, flat

P = struct.calcsize('P')


class Node:
    def __init__(self, name, kids=()):
        self.name = name
        self.kids = list(kids)


class Slotted:
    __slots__ = ('a', 'b')

    def __init__(self, a, b):
        self.a = a
        self.b = b


class TightList(list):
    __slots__ = ()


def function():
    return 1


class BasicsTest(unittest.TestCase):
    def test_atoms(self):
        for o in (None, True, 0, 7 ** 99, 2.5, 1j, '', 'text', 'caf\xe9',
                  '\U0001f600', b'', b'bytes' * 9, bytearray(b'ab'),
                  range(3), slice(1, 2)):
            self.assertEqual(asizeof.asizeof(o), al(sys.getsizeof(o)), o)

    def test_containers(self):
        big, s, t = 10 ** 12, 'some text', (2.5, 1000)
        lst = [big, s, t]
        self.assertEqual(asizeof.asizeof(lst),
                         flat(lst, big, s, t, 2.5, 1000))
        d = {'k1': lst, 'k2': 'v'}
        self.assertEqual(asizeof.asizeof(d),
                         flat(d, 'k1', 'k2', 'v') + asizeof.asizeof(lst))
        st = {10 ** 10, 10 ** 11}
        self.assertEqual(asizeof.asizeof(st), flat(st, *st))
        fs = frozenset(st)
        self.assertEqual(asizeof.asizeof(fs), flat(fs, *st))

    def test_shared_counted_once(self):
        shared = ['x' * 50]
        lst = [shared, shared, {'s': shared}]
        self.assertEqual(asizeof.asizeof(lst),
                         flat(lst, lst[2], 's') + asizeof.asizeof(shared))
        self.assertEqual(asizeof.asizeof(shared, shared),
                         asizeof.asizeof(shared))

    def test_cycles(self):
        a = [1000]
        a.append(a)
        self.assertEqual(asizeof.asizeof(a), flat(a, a[0]))
        d = {}
        d['me'] = d
        self.assertEqual(asizeof.asizeof(d), flat(d, 'me'))

    def test_asizesof_first_object_owns_shared(self):
        shared = [10 ** 20]
        a, b = [shared], {'s': shared}
        sa, sb = asizeof.asizesof(a, b)
        self.assertEqual(sa, flat(a) + asizeof.asizeof(shared))
        self.assertEqual(sb, flat(b, 's'))
        self.assertEqual(asizeof.asizesof(shared, shared),
                         (asizeof.asizeof(shared),) * 2)
        self.assertEqual(asizeof.asizesof(), ())
        self.assertEqual(asizeof.asizeof(), 0)

    def test_root_inside_other_root_counts_for_itself(self):
        inner = [10 ** 20]
        outer = [inner]
        s_outer, s_inner = asizeof.asizesof(outer, inner)
        self.assertEqual(s_outer, flat(outer))
        self.assertEqual(s_inner, flat(inner, inner[0]))

    def test_instances(self):
        n = Node('leaf')
        sized = asizeof.asized(n, detail=1)
        d = sized.get('__dict__')
        self.assertIsNotNone(d)
        self.assertEqual(sized.flat, al(sys.getsizeof(n)))
        # the dict holds: its storage, keys, values (name, kids list)
        self.assertEqual(sized.size, sized.flat + d.size)
        self.assertGreaterEqual(d.size, flat('leaf', n.kids))
        s = Slotted([1, 2], 'x')
        self.assertEqual(asizeof.asizeof(s),
                         flat(s, 'x') + asizeof.asizeof(s.a))


class ShortcutsTest(unittest.TestCase):
    def test_every_path_gives_the_same_total(self):
        # a plain call may skip __class__ and fold inline values into
        # their instance; detail trees, duplicate counting and depth
        # limits take the long way: the totals must agree
        data = [Node('n%d' % i, [Node('leaf')]) for i in range(50)]
        data.append(Slotted([1], 'x'))
        for align in (1, 8, 16):
            sizes = {
                asizeof.asizeof(data, limit=None, align=align),
                asizeof.asized(data, limit=None, align=align).size,
                asizeof.Asizer(limit=None, align=align).asizeof(data),
                asizeof.asizeof(data, limit=10 ** 6, align=align),
            }
            self.assertEqual(len(sizes), 1, (align, sizes))

    def test_instances_with_different_attributes(self):
        # instances of one class share their dict keys; the plain call
        # pushes the key strings once, from an instance that has them all
        class Sparse:
            def __init__(self, i):
                if i % 3:
                    self.a = 'a%d' % i
                self.b = i * 1000
                if i % 2:
                    self.c = 'c%d' % i

        for made in (False, True):  # inline values, then real dicts
            data = [Sparse(i) for i in (0, 1, 2, 5, 6, 7)]
            if made:
                for o in data:
                    o.__dict__
            sizes = {
                asizeof.asizeof(data, limit=None),
                asizeof.asized(data, limit=None).size,
                asizeof.Asizer(limit=None).asizeof(data),
            }
            self.assertEqual(len(sizes), 1, (made, sizes))


class OptionsTest(unittest.TestCase):
    def test_align(self):
        lst = [1, 'ab', (3,)]
        parts = (lst, 1, 'ab', lst[2], 3)
        self.assertEqual(asizeof.asizeof(lst, align=1),
                         sum(sys.getsizeof(o) for o in parts))
        self.assertEqual(asizeof.asizeof(lst, align=16),
                         sum(al(sys.getsizeof(o), 16) for o in parts))
        self.assertEqual(asizeof.asizeof(lst, align=0),
                         asizeof.asizeof(lst, align=1))
        with self.assertRaises(ValueError):
            asizeof.asizeof(lst, align=3)

    def test_limit(self):
        deep = [[[[1000]]]]
        self.assertEqual(asizeof.asizeof(deep, limit=0), flat(deep))
        self.assertEqual(asizeof.asizeof(deep, limit=1),
                         flat(deep, deep[0]))
        self.assertEqual(asizeof.asizeof(deep, limit=4),
                         flat(deep, deep[0], deep[0][0], deep[0][0][0], 1000))
        self.assertEqual(asizeof.asizeof(deep, limit=None),
                         asizeof.asizeof(deep, limit=4))
        self.assertEqual(asizeof.asizeof(deep, limit=-1), flat(deep))

    def test_code(self):
        self.assertEqual(asizeof.asizeof(function), 0)
        self.assertEqual(asizeof.asizeof(Node), 0)
        self.assertEqual(asizeof.asizeof(Node('x').__init__), 0)
        with_code = asizeof.asizeof(function, code=True)
        self.assertGreaterEqual(with_code, flat(function, function.__code__))
        self.assertGreater(asizeof.asizeof(Node, code=True),
                           al(sys.getsizeof(Node)))

    def test_ignored(self):
        o = object()
        self.assertEqual(asizeof.asizeof(o), 0)
        self.assertEqual(asizeof.asizeof(o, code=True), 0)
        self.assertEqual(asizeof.asizeof(o, code=True, ignored=False),
                         al(sys.getsizeof(o)))
        self.assertEqual(asizeof.asizeof([len, int], ignored=False),
                         flat([len, int]))
        self.assertEqual(asizeof.asizeof(len, code=True, ignored=False),
                         al(sys.getsizeof(len)))

    def test_modules_followed_only_as_roots(self):
        mod = types.ModuleType('m')
        mod.payload = 'x' * 100
        self.assertEqual(asizeof.asizeof([mod]), flat([mod], mod))
        self.assertGreaterEqual(asizeof.asizeof(mod),
                                flat(mod, mod.__dict__, mod.payload))

    def test_derive(self):
        t = TightList([10 ** 20, 10 ** 21])
        self.assertEqual(asizeof.asizeof(t), flat(t))
        self.assertEqual(asizeof.asizeof(t, derive=True), flat(t, *t))
        self.assertEqual(asizeof.basicsize(t, derive=True),
                         asizeof.basicsize([]))

    def test_frames(self):
        frame = sys._getframe()
        self.assertEqual(asizeof.asizeof(frame), 0)
        self.assertGreaterEqual(asizeof.asizeof(frame, frames=True),
                                al(sys.getsizeof(frame)))

    def test_traverse_follows_c_containers(self):
        items = [10 ** 20 + i for i in range(5)]
        dq = collections.deque(items)
        self.assertEqual(asizeof.asizeof(dq), flat(dq))
        self.assertEqual(asizeof.asizeof(dq, traverse=True), flat(dq, *items))

    def test_clip_and_detail(self):
        long_list = list(range(100))
        a = asizeof.asized(long_list, clip=20)
        self.assertEqual(len(a.name), 20 // 2 - 2 + 4 + 20 // 2 - 2)
        self.assertIn('....', a.name)
        self.assertTrue(a.name.startswith('[0, 1, '))
        self.assertEqual(asizeof.asized(long_list, clip=0).name,
                         repr(long_list))
        self.assertEqual(asizeof.asized(long_list).refs, ())
        self.assertEqual(len(asizeof.asized(long_list, detail=1).refs), 100)

    def test_stats_print_summary(self):
        out = io.StringIO()
        lst = [1, 2, 3]
        n = asizeof.asizeof(lst, stats=1, stream=out)
        text = out.getvalue()
        self.assertIn('asizeof(', text)
        self.assertIn('%d bytes' % n, text)
        self.assertIn('4 objects sized', text)
        self.assertIn('1 object given', text)
        out = io.StringIO()
        asizeof.asizeof(lst, stream=out)
        self.assertEqual(out.getvalue(), '')
        with self.assertRaises(ValueError):
            asizeof.asizeof(lst, stats=-1)

    def test_all_objects(self):
        marker = ['marker' * 1000]
        total = asizeof.asizeof(all=True)
        self.assertGreater(total, asizeof.asizeof(marker))
        with self.assertRaises(ValueError):
            asizeof.asizeof(all='yes')

    def test_accepted_without_effect(self):
        lst = [1, 2]
        base = asizeof.asizeof(lst)
        for opts in ({'infer': True}, {'above': 0}, {'cutoff': 5},
                     {'detail': 2}):
            self.assertEqual(asizeof.asizeof(lst, **opts), base, opts)

    def test_unknown_option(self):
        with self.assertRaises(KeyError):
            asizeof.asizeof([], colour='red')
        # as pympler: options are checked before the objects are looked at
        for fn in (asizeof.asizeof, asizeof.asizesof, asizeof.asized):
            with self.assertRaises(KeyError):
                fn(colour='red')
        self.assertEqual((asizeof.asizeof(), asizeof.asizesof(),
                          asizeof.asized()), (0, (), ()))


class FlatSizeTest(unittest.TestCase):
    """Flat sizes are sys.getsizeof's, for every kind of builtin object
    and their subclasses (some are computed in place, not called)."""

    def samples(self):
        class S(str):
            pass

        class I(int):
            pass

        class L(list):
            pass

        class D(dict):
            pass
        grown = []
        for i in range(37):
            grown.append(i)
        out = [0, 1, -1, 255, 2 ** 30, -2 ** 30, 2 ** 64, 7 ** 300, True,
               False, I(5), I(2 ** 70), '', 'a', 'ascii' * 30, 'caf\xe9',
               '\u4e2d\u6587', '\U0001f600', S('sub'), [], [1], grown,
               L([1, 2]), list(range(100)), {}, {'a': 1},
               {i: i for i in range(100)}, D(x=1), (), (1, 2), b'', b'xy',
               1.5, 2j, None, set(), frozenset({1}), bytearray(b'abc'),
               range(4), Node('n'), Node('n').__dict__, Slotted(1, 2)]
        s = 'wide \u4e2d'
        s.encode('utf-8')  # not cached: str.encode makes a new object
        out.append(s)
        shrunk = {'a': 1, 'b': 2}
        del shrunk['a']

        def gen():
            yield 1
        started = gen()
        next(started)
        out += [shrunk, vars(Node('n')), gen(), started, iter([1]),
                (x for x in ()), collections.deque([1]), memoryview(b'ab')]
        return out

    def code_samples(self):
        """Sized only with code=True: classes (static ones have no
        pre-header on 3.13, nor a GC header on 3.10) and a module."""
        class L(list):
            pass
        return [int, type, object, Node, L, types.ModuleType, types]

    def test_flat_is_getsizeof(self):
        for o in self.samples():
            self.assertEqual(asizeof.flatsize(o), sys.getsizeof(o), repr(o))
            self.assertEqual(asizeof.asizeof(o, limit=0, align=1),
                             sys.getsizeof(o), repr(o))
        for o in self.code_samples():
            self.assertEqual(asizeof.flatsize(o), sys.getsizeof(o), repr(o))
            self.assertEqual(asizeof.asizeof(o, limit=0, align=1, code=True,
                                             ignored=False),
                             sys.getsizeof(o), repr(o))


class HelpersTest(unittest.TestCase):
    gch = ((3 * P) + 15) & ~15  # pympler's PyGC_Head estimate

    def test_flatsize(self):
        for o in ([1, 2, 3], {'a': 1}, 'abc', 10 ** 30, (1,), set(), Node('n')):
            self.assertEqual(asizeof.flatsize(o), sys.getsizeof(o))
        self.assertEqual(asizeof.flatsize('abc', align=8),
                         al(sys.getsizeof('abc')))
        self.assertEqual(asizeof.flatsize(Node), sys.getsizeof(Node))
        with self.assertRaises(ValueError):
            asizeof.flatsize([], align=6)

    def test_basicsize(self):
        self.assertEqual(asizeof.basicsize([]), list.__basicsize__ + self.gch)
        self.assertEqual(asizeof.basicsize(''), str.__basicsize__)
        self.assertEqual(asizeof.basicsize(5), int.__basicsize__)
        self.assertEqual(asizeof.basicsize(collections.OrderedDict()),
                         asizeof.basicsize({}))
        self.assertEqual(asizeof.basicsize(Node('x')),
                         Node.__basicsize__ + self.gch)

    def test_itemsize(self):
        self.assertEqual(asizeof.itemsize([]), P)
        self.assertEqual(asizeof.itemsize(array.array('d')), 8)
        self.assertEqual(asizeof.itemsize(array.array('h')), 2)
        self.assertEqual(asizeof.itemsize(5), int.__itemsize__)

    def test_leng(self):
        self.assertEqual(asizeof.leng([0] * 20), 20 + 6 + (20 >> 3))
        self.assertEqual(asizeof.leng([0] * 3), 3 + 4)
        self.assertEqual(asizeof.leng([]), 0)
        self.assertEqual(asizeof.leng('abc'), 4)
        self.assertEqual(asizeof.leng((1, 2)), 2)
        self.assertEqual(asizeof.leng({i: i for i in range(10)}), 16)
        self.assertEqual(asizeof.leng({1, 2}), 8)
        self.assertEqual(asizeof.leng(set(range(20))), 64)
        self.assertEqual(asizeof.leng(2 ** 100),
                         (sys.getsizeof(2 ** 100) - int.__basicsize__) //
                         int.__itemsize__)
        self.assertEqual(asizeof.leng(array.array('d', [1.0] * 7)), 7)
        self.assertEqual(asizeof.leng(bytearray(b'abc')),
                         bytearray(b'abc').__alloc__())
        self.assertIsNone(asizeof.leng(Node('x')))
        self.assertIsNone(asizeof.leng(1.5))

    def test_refs(self):
        a, b = [1], 'two'
        self.assertEqual(list(asizeof.refs([a, b])), [a, b])
        self.assertEqual(list(asizeof.refs({'k': a})), ['k', a])
        self.assertIsNone(asizeof.refs(1))
        s = Slotted(a, b)
        self.assertEqual(list(asizeof.refs(s)), [Slotted, a, b])
        self.assertEqual(asizeof.named_refs(s),
                         [('__class__', Slotted), ('a', a), ('b', b)])
        n = Node('n')
        (name, d), = [p for p in asizeof.named_refs(n) if p[0] == '__dict__']
        self.assertEqual(d, {'name': 'n', 'kids': []})


class AsizedTest(unittest.TestCase):
    def test_tree(self):
        root = Node('root', [Node('a'), Node('b')])
        t = asizeof.asized(root, detail=3)
        self.assertIsInstance(t, asizeof.Asized)
        self.assertEqual(t.size, asizeof.asizeof(root))
        self.assertEqual(t.flat, asizeof.flatsize(root, align=8))
        self.assertTrue(t.name.startswith('<%s.Node object at 0x' % __name__))
        d = t.get('__dict__')
        names = {r.name for r in d.refs}
        self.assertLessEqual({'[K] name', "[V] name: 'root'", '[K] kids'},
                             names)
        self.assertTrue(any(n.startswith('[V] kids: [<%s.Node object at 0x'
                                         % __name__) for n in names))
        kids = [r for r in d.refs if r.name.startswith('[V] kids')][0]
        self.assertEqual(len(kids.refs), 2)
        self.assertEqual(sum(r.size for r in t.refs), t.size - t.flat)
        self.assertIsNone(t.get('nope'))
        self.assertEqual(t.get('nope', 5), 5)

    def test_several_and_format(self):
        a, b = [1, 2], {'k': 'v'}
        ta, tb = asizeof.asized(a, b, detail=1)
        self.assertEqual((ta.size, tb.size), asizeof.asizesof(a, b))
        text = tb.format()
        self.assertEqual(text.splitlines()[0],
                         "{'k': 'v'} size=%d flat=%d" % (tb.size, tb.flat))
        self.assertIn("    [K] k size=", text)
        self.assertEqual(tb.format(depth=0).count('\n'), 0)
        self.assertIn('refs[2]', str(tb))
        by_name = tb.format(order_by='name').splitlines()
        self.assertLess(by_name.index(
            [l for l in by_name if '[K] k' in l][0]),
            by_name.index([l for l in by_name if '[V] k' in l][0]))

    def test_slots_names_mangled_like_pympler(self):
        class Priv:
            __slots__ = ('__secret', 'open')

            def __init__(self):
                self.__secret = [1]
                self.open = [2]
        t = asizeof.asized(Priv(), detail=1)
        self.assertEqual([r.name for r in t.refs],
                         ['__class__', '_Priv__secret', 'open'])

    def test_ignored_and_repeated_get_zero(self):
        t = asizeof.asized(function)
        self.assertEqual((t.size, t.flat, t.name), (0, 0, 'function'))
        lst = [1]
        t1, t2 = asizeof.asized(lst, lst)
        self.assertEqual(t1.size, t2.size)


if __name__ == '__main__':
    unittest.main()
