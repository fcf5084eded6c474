"""footprint's own conformance corpus: objects to size, built fresh.

build() returns a list of cases (name, objects, options).  Each case is
sized with asizeof(*objects, **options) and asizesof(*objects, **options)
and, when it has one object, flatsize(obj) and basicsize(obj).  The figures
pympler 1.1 gives for them, per interpreter, are in golden-py3XY.json beside
this file (make_golden.py writes them, check.py compares against them).

Every figure must be the same on every run and every machine of one
interpreter version: no ids, clocks, random values or file paths reach a
sized object.  Code objects that code=True sizes are compiled from source
here with the file name "<corpus>" (a function defined in this file would
hold this file's path).  A dict's size follows the history of its inserts
and deletions whatever the keys' hashes; a set that lost items reuses
their slots where the hashes lead, so such sets hold ints, whose hashes
do not change from run to run.

The cases are sized in order in one process, and pympler keeps state
between calls: one definition per type, made from the first object of the
type it sizes.  The first array (array_first_exact, whose buffer is
exactly its items) fixes the base size of every later array, and
derive=True only applies to a class sized for the first time.  Add new
cases after the existing ones of their kind, not before them.
"""
import array
import collections
import dataclasses
import enum
import functools
import gc
import types
import typing
import weakref


# -- classes whose instances are sized (never with code=True: their code
# -- objects hold this file's path)

class Empty:
    pass


class Point3:
    def __init__(self, x, y, z):
        self.x = x
        self.y = y
        self.z = z


class Wide:
    """More attributes than CPython shares keys for (30)."""

    def __init__(self, n):
        for i in range(n):
            setattr(self, 'attr_%02d' % i, i * 1000)


class Late:
    def __init__(self):
        self.first = 'set in __init__'


class Pruned:
    def __init__(self):
        self.keep = [1, 2, 3]
        self.drop = 'dropped later'
        self.also = (4, 5)


class Base:
    def __init__(self):
        self.base_attr = 'base'


class Middle(Base):
    def __init__(self):
        super().__init__()
        self.middle_attr = ['middle']


class Leaf(Middle):
    def __init__(self):
        super().__init__()
        self.leaf_attr = {'leaf': 1}


class Mangled:
    def __init__(self):
        self.__secret = 'name-mangled attribute'
        self._shown = 7


class WithClassAttrs:
    """Class attributes live in the class, not in the instance."""
    limit = 10
    names = ('a', 'b', 'c')

    def __init__(self):
        self.own = 'instance'


class SelfRef:
    def __init__(self):
        self.me = self
        self.peers = [self]


class Parent:
    def __init__(self, name):
        self.name = name
        self.children = []
        self.parent = None

    def add(self, child):
        child.parent = self
        self.children.append(child)
        return child


class SlotTuple:
    __slots__ = ('a', 'b', 'c')

    def __init__(self):
        self.a = 1.5
        self.b = 'bee'
        self.c = [None]


class SlotList:
    __slots__ = ['first', 'second']

    def __init__(self):
        self.first = 'listed'
        self.second = (1, 2)


class SlotStr:
    __slots__ = 'only'

    def __init__(self):
        self.only = 'one slot named by a plain str'


class SlotMangled:
    __slots__ = ('__hidden', 'shown')

    def __init__(self):
        self.__hidden = ['mangled', 'slot']
        self.shown = 3


class SlotUnset:
    __slots__ = ('p', 'q')


class SlotA:
    __slots__ = ('a',)

    def __init__(self):
        self.a = 'from A'


class SlotB(SlotA):
    __slots__ = ('b',)

    def __init__(self):
        super().__init__()
        self.b = ['from', 'B']


class SlotC(SlotB):
    __slots__ = ('c',)

    def __init__(self):
        super().__init__()
        self.c = {'from': 'C'}


class PlainOverSlots(SlotA):
    """No __slots__ of its own: instances get a __dict__ beside slot a."""

    def __init__(self):
        super().__init__()
        self.extra = 'in the dict'


class SlotDict:
    __slots__ = ('fixed', '__dict__')

    def __init__(self):
        self.fixed = 'slot value'
        self.one = 1
        self.two = 'two'
        self.three = [3]


class SlotWeak:
    __slots__ = ('payload', '__weakref__')

    def __init__(self):
        self.payload = 'weakly referenced'


class Callable:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1


class IntLike(int):
    pass


class StrLike(str):
    pass


class TupleLike(tuple):
    pass


class PosingAsBuiltin:
    """pympler ignores what modules such as builtins define, by __module__."""
    __module__ = 'builtins'

    def __init__(self):
        self.payload = ['p'] * 3


class Derived(Point3):
    """Sized with derive=True after Point3 has a definition."""

    def __init__(self):
        super().__init__('dx', 'dy', 'dz')
        self.more = 'derived'


Pair = collections.namedtuple('Pair', 'left right')


class Typed(typing.NamedTuple):
    label: str
    weight: float = 1.0


@dataclasses.dataclass
class Record:
    name: str
    tags: list = dataclasses.field(default_factory=list)
    count: int = 0


@dataclasses.dataclass(frozen=True)
class Frozen:
    key: str
    value: tuple


@dataclasses.dataclass(slots=True)
class Compact:
    x: int
    label: str


class Level(enum.IntEnum):
    LOW = 1
    HIGH = 1000


class Perm(enum.Flag):
    R = 4
    W = 2
    X = 1


class Planet(enum.Enum):
    EARTH = (5.976e24, 6.37814e6)
    MARS = (6.421e23, 3.3972e6)

    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius


class AppError(Exception):
    def __init__(self, message, code):
        super().__init__(message, code)
        self.code = code


class FileProblem(OSError):
    pass


class ParseProblem(SyntaxError):
    pass


class PlainError(Exception):
    pass


# Compiled with a fixed file name, so that code=True sizes the same code
# objects (co_filename included) from any checkout.
_CODE_SRC = '''
def scale(values, factor=2):
    """Multiply every value by factor."""
    out = []
    for v in values:
        out.append(v * factor)
    return out


def counter(start):
    count = [start]

    def step():
        count[0] += 1
        return count[0]
    return step


class Account:
    """An account with an owner."""
    rate = 0.25

    def __init__(self, owner):
        self.owner = owner

    def interest(self, amount):
        return amount * self.rate
'''


def _compiled():
    ns = {'__name__': 'corpus_code'}
    exec(compile(_CODE_SRC, '<corpus>', 'exec'), ns)
    return ns


def _documented():
    """A docstring that a property object copies."""
    return 1


def _walker(items):
    total = 0
    label = 'walking'
    for item in items:
        total += item
        yield total
    yield label


# -- objects built step by step: their sizes depend on how they grew

def _list_appended(n):
    out = []
    for i in range(n):
        out.append(i)
    return out


def _list_popped():
    out = list(range(40))
    for _ in range(30):
        out.pop()
    return out


def _list_cleared():
    out = ['x'] * 50
    out.clear()
    return out


def _list_extended():
    out = [1, 2]
    out.extend(range(20))
    out.extend(('a', 'b'))
    return out


def _dict_deleted():
    d = {}
    for i in range(40):
        d['key%02d' % i] = i
    for i in range(35):
        del d['key%02d' % i]
    return d


def _dict_cleared():
    d = {i: i for i in range(30)}
    d.clear()
    return d


def _dict_refilled():
    d = {}
    for i in range(10):
        d[i] = str(i)
    for i in range(10):
        del d[i]
    for i in range(100, 104):
        d[i] = 'again'
    return d


def _dict_grown(n):
    d = {}
    for i in range(n):
        d['g%d' % i] = None
    return d


def _set_added(n):
    s = set()
    for i in range(n):
        s.add(i * 7)
    return s


def _set_removed():
    s = set(range(64))
    for i in range(60):
        s.discard(i)
    return s


def _bytearray_appended():
    b = bytearray()
    for i in range(100):
        b.append(i)
    return b


def _bytearray_shrunk():
    b = bytearray(b'x' * 200)
    del b[10:]
    return b


def _array_appended():
    a = array.array('l')
    for i in range(33):
        a.append(i)
    return a


def _ordered_reordered():
    keys = ('alpha', 'beta', 'gamma', 'delta', 'epsilon')
    od = collections.OrderedDict((k, len(k)) for k in keys)
    od.move_to_end('alpha')
    del od['gamma']
    od['zeta'] = 6
    return od


def _defaultdict_nested():
    d = collections.defaultdict(lambda: collections.defaultdict(list))
    for i in range(12):
        d['outer%d' % (i % 3)]['inner%d' % (i % 2)].append(i)
    return d


def _deque_rotated():
    d = collections.deque(range(200), maxlen=150)
    d.rotate(17)
    d.appendleft('left')
    return d


def _with_late_attrs():
    o = Late()
    o.second = ['added', 'after', '__init__']
    o.third = 3.0
    return o


def _with_deleted_attr():
    o = Pruned()
    del o.drop
    return o


def _with_readded_attr():
    o = Pruned()
    del o.drop
    o.drop = 'put back'
    return o


def _tree():
    root = Parent('root')
    for i in range(3):
        kid = root.add(Parent('kid%d' % i))
        for j in range(2):
            kid.add(Parent('grandkid%d%d' % (i, j)))
    return root


def _raised():
    try:
        raise AppError('raised and caught', 500)
    except AppError as e:
        return e


def _chained():
    try:
        try:
            raise KeyError('inner')
        except KeyError as inner:
            raise PlainError('outer', ['detail']) from inner
    except PlainError as e:
        return e


def _module():
    m = types.ModuleType('corpus_module', 'A module made for the corpus.')
    m.table = {'one': 1, 'two': 2}
    m.items = ['module', 'level', 'list']
    return m


def _chain(depth):
    node = ['bottom']
    for _ in range(depth):
        node = [node]
    return node


def _started_walker():
    g = _walker([1, 2, 3])
    next(g)
    next(g)
    return g


# Objects reached only through weak references, kept alive until the
# next build().
_alive = []


def build():
    del _alive[:]
    code = _compiled()

    shared_list = ['shared', 'by', 'several', 'holders']
    shared_str = 'a string several containers hold'
    shared_inst = Point3(shared_list, shared_str, None)

    two_a = []
    two_b = [two_a]
    two_a.append(two_b)

    payload = ['payload', [1, 2, 3]]
    near_far = [[payload], payload]

    weak_target = Point3('weakly', 'held', ['target'])
    _alive.append(weak_target)
    slot_weak = SlotWeak()
    _alive.append(weakref.ref(slot_weak))

    member = ['member', 'list']
    holder = {'member': member, 'other': [0] * 5}

    cases = [
        # ints around digit boundaries (30-bit digits), signs, bools
        ('int_256', [256], {}),
        ('int_digit1_max', [2 ** 30 - 1], {}),
        ('int_digit2_min', [2 ** 30], {}),
        ('int_digit3_min', [2 ** 60], {}),
        ('int_neg_digit3', [-(2 ** 75)], {}),
        ('bool_false', [False], {}),
        ('float_inf', [float('inf')], {}),
        ('complex_large', [complex(1e300, -1e-300)], {}),
        # str of each kind; lengths across 8-byte boundaries
        ('str_ascii_7', ['abcdefg'], {}),
        ('str_ascii_8', ['abcdefgh'], {}),
        ('str_latin1_long', ['\xe9\xe8\xea' * 50], {}),
        ('str_ucs2_long', ['\u0416\u4e00\u2603' * 40], {}),
        ('str_ucs4_mixed', ['plain ascii then \U0001f40d'], {}),
        ('str_subclass', [StrLike('subclassed str')], {}),
        # bytes and bytearray
        ('bytes_7', [b'1234567'], {}),
        ('bytes_9', [b'123456789'], {}),
        ('bytes_1000', [bytes(1000)], {}),
        ('bytearray_appended', [_bytearray_appended()], {}),
        ('bytearray_shrunk', [_bytearray_shrunk()], {}),
        # lists and tuples, empty, small, large, grown, shrunk
        ('list_appended_9', [_list_appended(9)], {}),
        ('list_popped', [_list_popped()], {}),
        ('list_cleared', [_list_cleared()], {}),
        ('list_extended', [_list_extended()], {}),
        ('list_repeated', [[None] * 64], {}),
        ('list_of_empties', [[[], (), {}, '', b'']], {}),
        ('list_same_str', [[shared_str] * 30], {}),
        ('tuple_nested', [((1, 2), (3, (4, (5, 'deep'))))], {}),
        ('tuple_subclass', [TupleLike((1, 'two', 3.0))], {}),
        # dicts: growth, deletions, key kinds, shared values
        ('dict_5', [_dict_grown(5)], {}),
        ('dict_6', [_dict_grown(6)], {}),
        ('dict_deleted', [_dict_deleted()], {}),
        ('dict_cleared', [_dict_cleared()], {}),
        ('dict_refilled', [_dict_refilled()], {}),
        ('dict_tuple_keys', [{(i, -i): i * i for i in range(20)}], {}),
        ('dict_mixed_keys',
         [{'s': 1, 2: 'two', (3,): [3], 4.5: None, None: b'n'}], {}),
        ('dict_fromkeys', [dict.fromkeys(range(30), shared_list)], {}),
        ('dict_copy_of_deleted', [dict(_dict_deleted())], {}),
        ('dict_nested', [{'a': {'b': {'c': {'d': ['leaf']}}}}], {}),
        # sets
        ('set_added_5', [_set_added(5)], {}),
        ('set_added_50', [_set_added(50)], {}),
        ('set_removed', [_set_removed()], {}),
        ('set_of_tuples', [{(i, str(i)) for i in range(10)}], {}),
        ('frozenset_strs', [frozenset(['f%d' % i for i in range(20)])], {}),
        # other builtins
        ('range_large', [range(-10 ** 20, 10 ** 20, 7)], {}),
        ('slice_of_objects', [slice('start', ['stop'], None)], {}),
        ('list_iterator', [iter(['iterated', 'list'])], {}),
        ('dict_values_view', [{'v': [1, 2]}.values()], {}),
        ('enumerate_object', [enumerate(['e', 'n'])], {}),
        ('object_instance', [object()], {}),
        ('module_fresh', [_module()], {}),
        # standard library containers
        ('ordereddict_reordered', [_ordered_reordered()], {}),
        ('defaultdict_nested', [_defaultdict_nested()], {}),
        ('counter_ints',
         [collections.Counter([i % 7 for i in range(100)])], {}),
        ('deque_rotated', [_deque_rotated()], {}),
        ('chainmap', [collections.ChainMap({'a': 1}, {'b': [2]})], {}),
        ('userdict', [collections.UserDict({'u': 'd'})], {}),
        ('array_first_exact', [array.array('d', [0.5] * 12)], {}),
        ('array_appended', [_array_appended()], {}),
        ('simple_namespace_nested',
         [types.SimpleNamespace(inner=types.SimpleNamespace(v=[1]), w='w')],
         {}),
        # instances
        ('instance_empty', [Empty()], {}),
        ('instance_three', [Point3(1, 'two', [3.0])], {}),
        ('instance_wide', [Wide(40)], {}),
        ('instance_late_attrs', [_with_late_attrs()], {}),
        ('instance_deleted_attr', [_with_deleted_attr()], {}),
        ('instance_readded_attr', [_with_readded_attr()], {}),
        ('instance_inherited', [Leaf()], {}),
        ('instance_mangled', [Mangled()], {}),
        ('instance_class_attrs', [WithClassAttrs()], {}),
        ('instance_self_ref', [SelfRef()], {}),
        ('instance_tree', [_tree()], {}),
        ('instance_callable', [Callable()], {}),
        ('instances_100',
         [[Point3(i, 'p%d' % i, None) for i in range(100)]], {}),
        ('int_subclass', [IntLike(12345)], {}),
        # __slots__
        ('slots_tuple', [SlotTuple()], {}),
        ('slots_list', [SlotList()], {}),
        ('slots_str', [SlotStr()], {}),
        ('slots_mangled', [SlotMangled()], {}),
        ('slots_unset', [SlotUnset()], {}),
        ('slots_chain', [SlotC()], {}),
        ('slots_base_plain_child', [PlainOverSlots()], {}),
        ('slots_with_dict', [SlotDict()], {}),
        ('slots_weakref_live', [slot_weak], {}),
        # named tuples, dataclasses, enums
        ('namedtuple_pair', [Pair(['l'], {'r': 1})], {}),
        ('typed_namedtuple', [Typed('heavy', 9.5)], {}),
        ('dataclass_record', [Record('rec', ['t1', 't2'], 2)], {}),
        ('dataclass_frozen', [Frozen('k', (1, 2))], {}),
        ('dataclass_slots', [Compact(7, 'compact')], {}),
        ('enum_int', [Level.HIGH], {}),
        ('enum_flag_combined', [Perm.R | Perm.W], {}),
        ('enum_with_init', [Planet.EARTH], {}),
        # exceptions
        ('exception_plain', [Exception('plain', 1)], {}),
        ('exception_builtin', [ValueError('a builtin exception')], {}),
        ('exception_with_attr', [AppError('failed', 42)], {}),
        ('exception_raised', [_raised()], {}),
        ('exception_chained', [_chained()], {}),
        ('exception_oserror', [FileProblem(2, 'missing', 'name.txt')], {}),
        ('exception_syntax',
         [ParseProblem('bad', ('f.py', 3, 5, 'x = (', 3, 6))], {}),
        # callables and code, default options
        ('compiled_function', [code['scale']], {}),
        ('compiled_closure', [code['counter'](5)], {}),
        ('compiled_class', [code['Account']], {}),
        ('compiled_instance', [code['Account']('owner')], {}),
        ('staticmethod_object', [staticmethod(_documented)], {}),
        ('property_object', [property(_documented)], {}),
        ('partial_object',
         [functools.partial(_documented, 1, key=['kw'])], {}),
        ('generator_suspended', [_started_walker()], {}),
        ('weakref_to_instance', [weakref.ref(weak_target)], {}),
        # sharing, cycles, several objects in one call
        ('shared_instance_twice', [[shared_inst, (shared_inst,)]], {}),
        ('two_list_cycle', [two_a], {}),
        ('deep_chain_150', [_chain(150)], {}),
        ('multi_shared_list',
         [[shared_list], {'k': shared_list}, (shared_list,)], {}),
        ('multi_member_first', [member, holder], {}),
        ('multi_member_last', [holder, member], {}),
        # options
        ('limit_0_instance', [Point3([1], [2], [3])], {'limit': 0}),
        ('limit_1_instance', [Point3([1], [2], [3])], {'limit': 1}),
        ('limit_2_instance', [Point3([1], [2], [3])], {'limit': 2}),
        ('limit_3_nested', [_chain(6)], {'limit': 3}),
        ('limit_2_depth_order', [near_far], {'limit': 2}),
        ('limit_1_multi', [[['a']], [['b']]], {'limit': 1}),
        ('align_1_str', ['odd length str'], {'align': 1}),
        ('align_1_instance', [Point3('a', 'bb', 'ccc')], {'align': 1}),
        ('align_2_bytes', [[b'a', b'abc', b'abcde']], {'align': 2}),
        ('align_16_dict', [{'x': 'y', 'z': [1]}], {'align': 16}),
        ('code_true_data', [{'list': [1, 2], 'str': 's'}], {'code': True}),
        ('code_true_function', [code['scale']], {'code': True}),
        ('code_true_staticmethod', [staticmethod(code['scale'])],
         {'code': True}),
        ('ignored_by_module', [PosingAsBuiltin()], {}),
        ('ignored_false_by_module', [PosingAsBuiltin()], {'ignored': False}),
        ('ignored_false_code_builtins', [[len, [].append, object()]],
         {'ignored': False, 'code': True}),
        ('derive_true_subclass', [Derived()], {'derive': True}),
    ]
    return cases


def settle(objs):
    """Create the __dict__s that pympler creates while sizing objs.

    CPython 3.11 and later keep a plain instance's attributes inline and
    create its __dict__ only when something asks for it.  pympler asks
    (getattr(obj, '__dict__')) for every instance it sizes, so its figures
    describe objects whose dicts exist, and they stay.  footprint reads the
    attributes without creating the dict, so before comparing, the same
    dicts must exist.  pympler also calls dir() on what it sizes by
    attribute prefix (functions and methods with code=True), which creates
    a function's __dict__; those are created here too.  Left alone, as
    pympler leaves them: exceptions, classes, generators, named tuples and
    dict subclasses, whose __dict__ pympler never asks for.  The walk
    follows what the garbage collector sees, plus weak references (pympler
    sizes their referents), and stays out of classes, frames, functions'
    globals and modules other than the objects themselves (pympler does not
    size those through references either).  make_golden.py checks that
    pympler changes nothing this leaves.
    """
    for o in _reachable(objs):
        t = type(o)
        if (t.__dictoffset__ and not isinstance(o, _NOT_INSTANCES)
                and not isinstance(o, dict) and not _isnamedtuple(o)):
            try:
                vars(o)
            except TypeError:
                pass


_NOT_INSTANCES = (type, BaseException, types.BuiltinFunctionType,
                  types.ModuleType, types.GeneratorType, types.CoroutineType,
                  types.FrameType)


def _isnamedtuple(o):
    return isinstance(o, tuple) and hasattr(type(o), '_fields')


def _reachable(objs):
    """Objects reachable from objs, each once, roots first."""
    roots = {id(o) for o in objs}
    seen = set()
    stack = list(reversed(objs))
    out = []
    while stack:
        o = stack.pop()
        if id(o) in seen:
            continue
        seen.add(id(o))
        out.append(o)
        if isinstance(o, (type, types.FrameType)):
            continue
        if isinstance(o, types.ModuleType) and id(o) not in roots:
            continue
        refs = gc.get_referents(o)
        if isinstance(o, types.FunctionType):
            refs = [r for r in refs
                    if r is not o.__globals__ and r is not o.__builtins__]
        elif isinstance(o, weakref.ref):
            r = o()
            refs = [r] if r is not None else []
        stack.extend(reversed(refs))
    return out
