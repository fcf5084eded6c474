"""Hostile objects: sizing never runs their Python code, never changes
them, and survives failures (counted as missed, never a crash)."""
import ctypes
import struct
import sys
import unittest

from footprint import asizeof
from support import Recorder, al, flat

rec = Recorder()


def trap(name):
    def method(self, *args, **kwargs):
        rec.hit(name)
        raise RuntimeError('%s must not run while sizing' % name)
    return method


def trap_property(name):
    return property(trap(name))


HOOKS = ('__len__', '__repr__', '__str__', '__sizeof__', '__iter__',
         '__getitem__', '__eq__', '__dir__', '__format__', '__bool__',
         '__length_hint__', '__contains__', 'items', 'keys', 'values', 'get')


def hostile(cls):
    """Give cls every hook as a recording trap."""
    for h in HOOKS:
        setattr(cls, h, trap(type.__getattribute__(cls, '__name__') + '.' + h))
    return cls


class Meta(type):
    __getattribute__ = trap('Meta.__getattribute__')
    __repr__ = trap('Meta.__repr__')
    __sizeof__ = trap('Meta.__sizeof__')
    __len__ = trap('Meta.__len__')


@hostile
class Plain:
    def __init__(self):
        self.payload = ['p' * 10]
        self.other = 10 ** 20

    __getattr__ = trap('Plain.__getattr__')
    prop = trap_property('Plain.prop')
    __hash__ = object.__hash__


@hostile
class Spooky(metaclass=Meta):
    """Overrides attribute access itself, and the class attributes
    pympler reads."""
    __slots__ = ('a', 'b', '__weakref__')
    __getattribute__ = trap('Spooky.__getattribute__')
    __class__ = trap_property('Spooky.__class__')
    __hash__ = object.__hash__

    def __init__(self):
        object.__setattr__(self, 'a', [1, 2, 3])
        object.__setattr__(self, 'b', 'bee')


@hostile
class Managed:
    """A __dict__ property in front of the real dict."""
    __dict__ = trap_property('Managed.__dict__')
    __hash__ = object.__hash__

    def __init__(self):
        self.value = [4]


@hostile
class HDict(dict):
    pass


@hostile
class HList(list):
    __hash__ = None


@hostile
class HTuple(tuple):
    _fields = ('x', 'y')  # pympler takes it for a namedtuple


class HError(Exception):
    msg = trap_property('HError.msg')
    filename = trap_property('HError.filename')
    __repr__ = trap('HError.__repr__')
    __str__ = trap('HError.__str__')
    __getattr__ = trap('HError.__getattr__')


armed = [False]


class Key:
    """A dict key whose hash collides with everything."""
    def __hash__(self):
        if armed[0]:
            rec.hit('Key.__hash__')
        return 1

    def __eq__(self, other):
        if armed[0]:
            rec.hit('Key.__eq__')
            raise RuntimeError('Key.__eq__ must not run while sizing')
        return self is other

    __repr__ = trap('Key.__repr__')
    __str__ = trap('Key.__str__')


def generator():
    local = ['local']
    yield local


def build():
    g = generator()
    next(g)
    return [Plain(), Spooky(), Managed(), HDict(a=[1], b='x'),
            HList([1, 'two']), HTuple((1, 2)), HError('boom', 42),
            {Key(): 'v', Key(): 'w'}, g, Meta, Spooky, Plain]


class NoCodeRunsTest(unittest.TestCase):
    def setUp(self):
        self.objs = build()
        del rec.calls[:]
        armed[0] = True

    def tearDown(self):
        armed[0] = False
        self.assertEqual(rec.calls, [])

    def test_sizing(self):
        for opts in ({}, {'code': True}, {'code': True, 'ignored': False},
                     {'derive': True}, {'traverse': True}, {'limit': 1},
                     {'frames': True, 'code': True}):
            asizeof.asizeof(*self.objs, **opts)
            asizeof.asizesof(*self.objs, **opts)
            for o in self.objs:
                asizeof.asizeof(o, **opts)
            self.assertEqual(rec.calls, [], opts)

    def test_detail_trees_and_names(self):
        for opts in ({}, {'code': True, 'ignored': False}):
            trees = asizeof.asized(*self.objs, detail=4, **opts)
            text = '\n'.join(t.format() for t in trees)
            self.assertIn('object at 0x', text)

    def test_helpers(self):
        for o in self.objs:
            asizeof.flatsize(o)
            asizeof.basicsize(o)
            asizeof.itemsize(o)
            asizeof.leng(o)
            r = asizeof.refs(o)
            if r is not None:
                list(r)
            asizeof.named_refs(o)

    def test_figures_follow_the_c_layout(self):
        plain, spooky, managed, hdict, hlist = self.objs[:5]
        # __sizeof__ overrides are passed over for the C one
        self.assertEqual(asizeof.flatsize(plain),
                         object.__sizeof__(plain) + _preheader(PlainTwin()))
        self.assertEqual(asizeof.flatsize(hlist),
                         list.__sizeof__(hlist) + _preheader(ListTwin()))
        # dict storage read directly, not through items()
        self.assertEqual(asizeof.asizeof(hdict),
                         al(dict.__sizeof__(hdict) + _preheader(DictTwin())) +
                         flat('a', 'b', 'x') + asizeof.asizeof(dict.__getitem__(hdict, 'a')))
        # slots read as slots
        self.assertEqual(asizeof.asizeof(spooky),
                         al(object.__sizeof__(spooky) + _preheader(SpookyTwin())) +
                         asizeof.asizeof(object.__getattribute__(spooky, 'a'))
                         + flat('bee'))
        with self.assertRaises(RuntimeError):
            len(hlist)  # the traps are armed
        del rec.calls[:]


def _preheader(twin):
    """What sys.getsizeof adds to __sizeof__ (GC header, pre-header words)
    for instances laid out as twin, a harmless object of the same shape:
    the interpreter's own answer, whatever its version."""
    return sys.getsizeof(twin) - type(twin).__sizeof__(twin)


class PlainTwin:
    def __init__(self):
        self.payload = None


class SpookyTwin:
    __slots__ = ('a', 'b', '__weakref__')


class ListTwin(list):
    pass


class DictTwin(dict):
    pass


class NothingChangesTest(unittest.TestCase):
    def test_sizeof_aliases_cannot_change_objects(self):
        class Clearing(list):
            __sizeof__ = list.clear       # a C method posing as __sizeof__

        class Wrong:
            __sizeof__ = int.__sizeof__   # a C __sizeof__ of another type
        c = Clearing([1, 2, 3])
        w = Wrong()
        t = asizeof.asized(c, detail=1)
        self.assertEqual(t.flat, al(list.__sizeof__(c) + _preheader(ListTwin())))
        self.assertEqual(c, [1, 2, 3])
        self.assertEqual(asizeof.flatsize(w),
                         object.__sizeof__(w) + _preheader(PlainTwin()))

    def test_generator_not_touched(self):
        g = generator()
        next(g)
        size = asizeof.asizeof(g)
        self.assertGreater(size, al(sys.getsizeof(g)))
        self.assertEqual(asizeof.asizeof(g), size)
        # no frame object was made for it (gi_frame would create one)
        self.assertIsNone(g.gi_frame.f_back)


class FailuresTest(unittest.TestCase):
    def test_failing_c_sizeof_is_counted(self):
        class Broken:
            pass
        objs = [Broken(), [10 ** 20], 'text']
        basic = ctypes.c_ssize_t.from_address(id(Broken) +
                                               _offset_of_basicsize())
        self.assertEqual(basic.value, Broken.__basicsize__)
        saved = basic.value
        basic.value = -64  # object.__sizeof__ now answers a negative size
        try:
            a = asizeof.Asizer()
            total = a.asizeof(objs)
            missed = a.missed
            with self.assertRaises(TypeError):
                asizeof.flatsize(objs[0])
        finally:
            basic.value = saved
        self.assertEqual(missed, 1)
        self.assertEqual(total, flat(objs, objs[1], objs[1][0], 'text'))

    def test_deleted_attribute_and_partial_slots(self):
        class P:
            __slots__ = ('set_', 'unset')
        p = P()
        p.set_ = [1]
        self.assertEqual([n for n, _ in asizeof.named_refs(p)],
                         ['__class__', 'set_'])

        class D:
            pass
        d = D()
        d.a, d.b = [1], [2]
        del d.a
        self.assertEqual(_dict_names(d), ['b'])
        self.assertEqual(asizeof.asizeof(d),
                         asizeof.asized(d, detail=1).size)


def _dict_names(obj):
    t = asizeof.asized(obj, detail=2).get('__dict__')
    return [r.name[4:] for r in t.refs if r.name.startswith('[K] ')]


def _offset_of_basicsize():
    """offsetof(PyTypeObject, tp_basicsize): after the var head and tp_name."""
    return 4 * struct.calcsize('P')


if __name__ == '__main__':
    unittest.main()
