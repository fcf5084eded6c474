"""Helpers shared by the class tracker tests (not a test module).

Expected figures come from asizeof of the same objects or from pympler's
formatting rules re-implemented here, never from a run of the tracker."""
import gc
import sys

from footprint import asizeof, format_size


def fresh_classes():
    """A small hierarchy of SCons-like classes, new for each test (so no
    test sees another's hooks or wrappers).  Node and its subclasses are
    __slots__ classes without __weakref__, like SCons 4's nodes."""

    class Node(object):
        __slots__ = ('name', 'kids', 'data')

        def __init__(self, name, size=10):
            self.name = name
            self.kids = []
            self.data = list(range(size))

    class File(Node):
        __slots__ = ('contents',)

        def __init__(self, name, size=10):
            super().__init__(name, size)
            self.contents = 'c' * size

    class Dir(Node):
        __slots__ = ('entries',)

        def __init__(self, name):
            Node.__init__(self, name)
            self.entries = {}

    class Plain(object):
        def __init__(self, n=3):
            self.items = list(range(n))

    return Node, File, Dir, Plain


def live_instances(cls):
    """The live instances of cls, as a gc scan finds them."""
    gc.collect()
    return [o for o in gc.get_objects() if issubclass(type(o), cls)]


def expected_sizes(objs):
    """Sizes each object gets when sized in order, each without the
    others (pympler's rule for a snapshot)."""
    a = asizeof.Asizer()
    a.exclude_refs(*objs)
    return [a.asizeof(o) for o in objs]


def trunc(s, maxlen):
    """pympler.util.stringutils.trunc (right side)."""
    if len(s) > maxlen:
        return s[:maxlen - 3] + '...'
    return s


def pp(n):
    return format_size(n)


def summary_text(stats):
    """pympler's ConsoleStats.print_summary, from the Stats' data, with
    pympler's own format strings (the size column: the process memory the
    core takes shares of, Snapshot.resident; pympler's is Snapshot.total,
    the virtual size)."""
    out = ['---- SUMMARY ' + '-' * 66 + '\n']
    names = stats.tracked_classes
    for snap in stats.snapshots:
        classes = stats.annotate_snapshot(snap)
        out.append('%-35s %11s %12s %12s %5s\n' % (
            trunc(snap.desc, 35), 'active', pp(snap.resident), 'average',
            'pct'))
        for name in names:
            info = classes[name]
            out.append('  %-33s %11d %12s %12s %4d%%\n' % (
                trunc(name, 33), info['active'], pp(info['sum']),
                pp(info['avg']), info['pct']))
    out.append('-' * 79 + '\n')
    return ''.join(out)


def interpreter():
    return sys.executable
