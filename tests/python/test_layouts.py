"""The adapter's layout mirrors (bindings/python/layouts/) against the
interpreter running the tests.

_layout_check (tests/python/layout_check.c) is built by make for each
interpreter with CPython's internal headers: that it compiles at all means
the mirrored offsets and constants match them (3.11+).  Here its functions
read live objects through the mirrors, and the answers are compared with
CPython's own inline functions and with what Python itself reports.
"""
import gc
import os
import sys
import unittest

_where = os.environ.get('FOOTPRINT_LAYOUT_CHECK')
if not _where:
    raise ImportError('FOOTPRINT_LAYOUT_CHECK names no directory holding '
                      '_layout_check: run the Python tests with make '
                      '(make pytest-py PYTHON=%s)' % sys.executable)
sys.path.insert(0, _where)
import _layout_check as lc  # noqa: E402

MANAGED = sys.version_info >= (3, 11)


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


class Wide:
    pass


def suspended(a, b):
    cell = [a]

    def inner():
        return cell
    mid = b * 2
    yield inner
    yield mid


class StorageTest(unittest.TestCase):
    def test_values_then_dict(self):
        p = Point('ex', 'why')
        st = lc.storage(p)
        if not MANAGED:
            self.assertIsNone(st)  # 3.10: a dict through tp_dictoffset
            return
        by_cpython, by_mirror = st
        self.assertEqual(by_mirror, by_cpython)
        self.assertIsNone(by_mirror[0])
        self.assertNotEqual(by_mirror[1], 0)
        self.assertEqual(lc.values(p), [('x', 'ex'), ('y', 'why')])
        d = vars(p)  # now the dict exists, and owns the attributes
        by_cpython, by_mirror = lc.storage(p)
        self.assertEqual(by_mirror, by_cpython)
        self.assertIs(by_mirror[0], d)
        self.assertIsNone(lc.values(p))

    def test_insertion_order_and_deletion(self):
        w = Wide()
        for name in ('c', 'a', 'b'):
            setattr(w, name, name * 3)
        del w.a
        w.d = 4
        mine = lc.values(w)
        if not MANAGED:
            self.assertIsNone(mine)  # 3.10: the dict holds them
            return
        self.assertEqual(mine, [('c', 'ccc'), ('b', 'bbb'), ('d', 4)])
        self.assertEqual(list(vars(w).items()), mine)  # CPython's order

    def test_values_size(self):
        sizes = lc.values_size(Point(1, 2))
        if not MANAGED:
            self.assertIsNone(sizes)
            return
        mine, theirs = sizes
        self.assertGreaterEqual(mine, 2 * 8)
        if theirs is not None:  # 3.13: _PyInlineValuesSize
            self.assertEqual(mine, theirs)


class DictKeysTest(unittest.TestCase):
    def test_kinds(self):
        self.assertEqual(lc.dict_keys({'a': 1}), (True, None))
        self.assertEqual(lc.dict_keys({1: 'a'}), (False, None))
        mixed = {'a': 1, 2: 'b'}
        del mixed[2]  # once general, a dict stays general
        self.assertEqual(lc.dict_keys(mixed), (False, None))
        strs = {'a': 1, 'b': 2}
        del strs['a']
        self.assertEqual(lc.dict_keys(strs), (True, None))

    def test_shared_keys(self):
        p = Point(1, 2)
        d = vars(p)
        str_only, count = lc.dict_keys(d)
        self.assertTrue(str_only)
        self.assertEqual(count, 2)


class GeneratorTest(unittest.TestCase):
    def test_locals_as_frame_f_locals(self):
        g = suspended('a', 21)
        self.assertEqual(lc.gen_locals(g), {'a': 'a', 'b': 21})  # not run
        inner = next(g)
        mine = lc.gen_locals(g)
        self.assertEqual(mine, dict(g.gi_frame.f_locals))
        self.assertEqual(mine, {'a': 'a', 'b': 21, 'cell': ['a'],
                                'inner': inner, 'mid': 42})
        for _ in g:
            pass
        self.assertIsNone(lc.gen_locals(g))


class TypeDictTest(unittest.TestCase):
    def test_static_and_heap_types(self):
        for t in (int, object, dict, Point, type(gc)):
            d = lc.type_dict(t)
            self.assertIs(d, gc.get_referents(t.__dict__)[0], t)


if __name__ == '__main__':
    unittest.main()
