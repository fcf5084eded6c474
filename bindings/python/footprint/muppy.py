"""pympler's muppy module: the objects of the heap.

    from footprint import muppy
    objs = muppy.get_objects()
    big = muppy.filter(objs, Type=dict, min=1024)

get_objects() lists what pympler's does (every object the collector
tracks, frames left out, and the untracked objects those reference: str,
int, float...), made in C without calling gc.collect() (a collection runs
__del__ methods: code of the program) and without running any code of the
objects.  Sizes are flat sizes as footprint.asizeof.flatsize gives them
(sys.getsizeof, without a Python __sizeof__ override).
"""
import gc
import inspect
import types

from . import _core

# the collector's own, taken at import: a replacement the program makes
# later is not called
_referents = gc.get_referents

__all__ = ['get_objects', 'get_size', 'get_diff', 'sort', 'filter',
           'get_referents', 'ignore_object', 'print_summary']


def ignore_object(obj):
    """True for what get_objects leaves out: frames (by type: no
    __class__ property runs)."""
    return type(obj) is types.FrameType


def print_summary():
    """Print a summary of the whole heap (summary.print_ of
    summarize(get_objects()), counted in C without the object list)."""
    from . import summary
    rows, _ = _core.census_heap([], 0, False)
    summary.print_(rows)


def get_objects(remove_dups=True, include_frames=False):
    """Every object of the heap pympler's get_objects lists, each once (so
    remove_dups changes nothing).  include_frames adds the frames of the
    callers, as pympler does."""
    objects = _core.census_objects(False)
    if include_frames:
        frame = inspect.currentframe()
        frame = frame.f_back.f_back if frame and frame.f_back else None
        while frame is not None:
            objects.append(frame)
            frame = frame.f_back
    return objects


def get_size(objects):
    """Total flat size of objects."""
    return sum(_core.flat_sizes(objects))


def get_diff(left, right):
    """{'+': objects only in right, '-': objects only in left}, by
    identity."""
    left_ids = {id(o) for o in left}
    right_ids = {id(o) for o in right}
    return {'+': [o for o in right if id(o) not in left_ids],
            '-': [o for o in left if id(o) not in right_ids]}


def sort(objects):
    """objects by flat size, smallest first."""
    objects = list(objects)
    sizes = _core.flat_sizes(objects)
    order = sorted(range(len(objects)), key=sizes.__getitem__)
    return [objects[i] for i in order]


def filter(objects, Type=None, min=-1, max=-1):  # noqa: A001 (pympler's)
    """The objects of Type (by its MRO: no __instancecheck__ runs) whose
    flat size is above min and below max (-1: no bound)."""
    if min > max and max > -1:
        raise ValueError("minimum must be smaller than maximum")
    return _core.census_filter(list(objects), Type, min, max)


def get_referents(object, level=1):  # noqa: A002 (pympler's)
    """What object reports to the collector, and theirs, level deep, each
    once."""
    seen, out, current = set(), [], [object]
    for _ in range(max(level, 1)):
        following = []
        for o in current:
            for r in _referents(o):
                if id(r) not in seen:
                    seen.add(id(r))
                    out.append(r)
                    following.append(r)
        current = following
    return out
