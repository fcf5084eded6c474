"""Sizes of Python objects, pympler.asizeof-compatible, computed in C.

    from footprint import asizeof
    asizeof.asizeof(obj)               # bytes of obj and all it references
    asizeof.asizesof(a, b)             # per-object sizes, shared data once
    asizeof.asized(obj, detail=1)      # Asized tree of named referents

The functions, options and figures are pympler.asizeof's (see docs/python.md
for its definitions and the few deliberate differences).  Sizing runs in
C, holds the GIL throughout, never runs Python code of the measured objects
(no properties, __getattr__, __len__, __repr__ or Python __sizeof__) and
never changes them: an instance __dict__ that CPython 3.11 has not created
yet stays uncreated, and its inline values are sized as they are.

Extra option (not in pympler): traverse=True also follows what C objects
report to the garbage collector (tp_traverse) where pympler sees nothing,
e.g. the children of an xml.etree.ElementTree.Element or a deque's items.
"""
import gc as _gc
import inspect as _inspect
import os as _os
import sys as _sys

from . import _core

__all__ = ['Asized', 'Asizer', 'adict', 'amapped', 'asized', 'asizeof',
           'asizesof', 'basicsize', 'flatsize', 'itemsize', 'leng',
           'named_refs', 'refs']
__version__ = _core.FP_VERSION_STRING

_sizeof_Cvoidp = 8 if _sys.maxsize > 2 ** 32 else 4


def _option_error(where, error=ValueError, **options):
    plural = 's' if len(options) != 1 else ''
    args = ', '.join(sorted('%s=%r' % kv for kv in options.items()))
    return error('invalid option%s: %s(%s)' % (plural, where, args))


def _check_align(where, align):
    if align > 1 and (align & (align - 1)):
        raise _option_error(where, align=align)


def _si(size, k=1024, i='i'):
    if 1 < k <= size:
        f = float(size)
        for si in 'KMGPTE':
            f /= k
            if f < k:
                return ' or %.1f %s%sB' % (f, si, i)
    return ''


def _plural(n):
    return 's' if n != 1 else ''


class Asized(object):
    """Size information of one object: *size* (with referents), *flat*
    (the object alone), *name*, and *refs*, an Asized per referent."""

    __slots__ = ('flat', 'name', 'refs', 'size')

    def __init__(self, size, flat, refs=(), name=None):
        self.size = size
        self.flat = flat
        self.name = name
        self.refs = tuple(refs)

    def __str__(self):
        return 'size %r, flat %r, refs[%d], name %r' % (
            self.size, self.flat, len(self.refs), self.name)

    def format(self, format='%(name)s size=%(size)d flat=%(flat)d',
               depth=-1, order_by='size', indent=''):
        """The tree as text: one line per node (format), referents
        indented below their object, depth levels (-1: all), sorted by
        order_by ('name', 'size' or 'flat'; sizes largest first)."""
        lines = []
        stack = [(self, depth, indent)]
        while stack:
            node, d, ind = stack.pop()
            lines.append(ind + (format % dict(size=node.size, flat=node.flat,
                                              name=node.name)))
            if d and node.refs:
                kids = sorted(node.refs, key=lambda r: getattr(r, order_by),
                              reverse=order_by in ('size', 'flat'))
                for kid in reversed(kids):
                    stack.append((kid, d - 1, ind + '    '))
        return '\n'.join(lines)

    def get(self, name, dflt=None):
        """The referent named name, or dflt."""
        for ref in self.refs:
            if name == ref.name:
                return ref
        return dflt


def _asized_tree(tree):
    """Asized objects from the core's (size, flat, name, refs) tuples,
    breadth first (a detail level of a million is no recursion)."""
    size, flat, name, kids = tree
    root = Asized(size, flat, name=name)
    todo = [(root, kids)]
    while todo:
        node, kids = todo.pop()
        made = []
        for size, flat, name, grand in kids:
            kid = Asized(size, flat, name=name)
            made.append(kid)
            if grand:
                todo.append((kid, grand))
        node.refs = tuple(made)
    return root


class Asizer(object):
    """Sizer state and options, accumulating sizes over several calls."""

    def __init__(self, **opts):
        self._sizer = _core.Sizer()
        self._excl_types = {}
        self._excl_objs = {}
        self._dups = True  # count duplicates (see _one_call)
        self.reset(**opts)

    # ---- options ----
    def reset(self, above=1024, align=8, clip=80, code=False, cutoff=10,
              derive=False, detail=0, frames=False, ignored=True,
              infer=False, limit=100, stats=0, stream=None, traverse=False,
              **extra):
        """Reset options and state (excluded types stay excluded)."""
        if extra:
            raise _option_error('reset', error=KeyError, **extra)
        self._above_ = above
        self._align_ = align
        self._clip_ = clip
        self._code_ = code
        self._cutoff_ = cutoff
        self._derive_ = derive
        self._detail_ = detail
        self._frames_ = frames
        self._ignored_ = bool(ignored)
        self._infer_ = infer
        self._limit_ = limit
        self._stats_ = stats
        self._stream = stream
        self._traverse_ = traverse
        self._incl = ''
        self._clear()
        self.set(align=align, code=code, cutoff=cutoff, stats=stats)

    def set(self, above=None, align=None, code=None, cutoff=None,
            frames=None, detail=None, limit=None, stats=None, traverse=None):
        """Change some options; the others keep their values."""
        if above is not None:
            self._above_ = int(above)
        if align is not None:
            _check_align('set', align)
            self._align_ = align
        if code is not None:
            self._code_ = code
            if code:
                self._incl = ' (incl. code)'
        if cutoff is not None:
            self._cutoff_ = int(cutoff)
        if detail is not None:
            self._detail_ = detail
        if frames is not None:
            self._frames_ = frames
        if limit is not None:
            self._limit_ = limit
        if stats is not None:
            if stats < 0:
                raise _option_error('set', stats=stats)
            self._stats_ = int(stats)
        if traverse is not None:
            self._traverse_ = traverse
        self._apply()

    def _apply(self):
        limit = self._limit_
        limit = -1 if limit is None else max(0, int(limit))
        self._sizer.set_options(
            int(self._align_), limit, int(bool(self._code_)),
            int(self._ignored_), int(bool(self._derive_)),
            int(bool(self._frames_)), int(bool(self._traverse_)),
            int(self._clip_ or 0), int(self._dups))

    def _clear(self):
        self._sizer.reset()
        self._excl_objs = {}
        for t in self._excl_types:
            self._excl_types[t] = 0
        self._given = 0

    # ---- sizing ----
    def _roots(self, objs):
        """objs without those excluded by exclude_objs (sized as 0)."""
        if not self._excl_objs:
            return objs, None
        keep = [o for o in objs if id(o) not in self._excl_objs]
        return tuple(keep), [id(o) not in self._excl_objs for o in objs]

    def _sizes(self, objs):
        roots, mask = self._roots(objs)
        sizes = self._sizer.size(roots)
        if mask is None:
            return tuple(sizes)
        it = iter(sizes)
        return tuple(next(it) if m else 0 for m in mask)

    def asizeof(self, *objs, **opts):
        """The combined size of objs (shared objects once)."""
        if opts:
            self.set(**opts)
        sizes, seen = self._sizes(objs), set()
        total = 0
        for o, z in zip(objs, sizes):
            if id(o) not in seen:  # a repeated object counts once
                seen.add(id(o))
                total += z
        return total

    def asizesof(self, *objs, **opts):
        """The size of each object; an object reached from an earlier one
        (or sized by an earlier call) counts there, not here."""
        if opts:
            self.set(**opts)
        return self._sizes(objs)

    def asized(self, *objs, **opts):
        """An Asized per object (just one for a single object), with named
        referents detail levels deep."""
        if opts:
            self.set(**opts)
        roots, mask = self._roots(objs)
        trees = self._sizer.size_detail(roots, max(0, int(self._detail_)))
        made = [_asized_tree(t) for t in trees]
        if mask is not None:
            it = iter(made)
            made = [next(it) if m else Asized(0, 0, name=_nameof(o))
                    for m, o in zip(mask, objs)]
        return made[0] if len(made) == 1 else tuple(made)

    def exclude_refs(self, *objs):
        """References to objs are not followed; objs are still sized when
        passed to asizeof or asizesof.  The Asizer keeps them alive."""
        self._sizer.exclude_refs(objs)

    def exclude_objs(self, *objs):
        """objs are neither sized nor followed."""
        for o in objs:
            self._excl_objs[id(o)] = o
        self._sizer.exclude_refs(objs)

    def exclude_types(self, *objs):
        """Instances of these classes, and the classes, are not sized
        (exact class, as in pympler; non-classes are ignored)."""
        types = [o for o in objs if isinstance(o, type)]
        for t in types:
            self._excl_types.setdefault(t, 0)
        self._sizer.exclude_types(types)

    # ---- state ----
    def _stat(self, key):
        return self._sizer.stats()[key]

    @property
    def above(self):
        return self._above_

    @property
    def align(self):
        return self._align_

    @property
    def clip(self):
        return self._clip_

    @property
    def code(self):
        return self._code_

    @property
    def cutoff(self):
        return self._cutoff_

    @property
    def derive(self):
        return self._derive_

    @property
    def detail(self):
        return self._detail_

    @property
    def duplicate(self):
        """Objects referenced more than once so far."""
        return self._stat('duplicates')

    @property
    def excluded(self):
        return tuple(self._excl_types)

    @property
    def frames(self):
        return self._frames_

    @property
    def ignored(self):
        return self._ignored_

    @property
    def infer(self):
        return self._infer_

    @property
    def limit(self):
        return self._limit_

    @property
    def missed(self):
        """Objects the sizer could not inspect (counted, sized as 0)."""
        return self._stat('failed')

    @property
    def ranked(self):
        return 0

    @property
    def seen(self):
        s = self._sizer.stats()
        return s['objects'] + s['revisits']

    @property
    def sized(self):
        return self._stat('objects')

    @property
    def stats(self):
        return self._stats_

    @property
    def total(self):
        """Bytes sized since the last reset."""
        return self._stat('total')

    @property
    def traverse(self):
        return self._traverse_

    @property
    def truncated(self):
        """Objects the depth limit left unsized (0: the limit hid nothing)."""
        return self._stat('truncated')

    # ---- printing ----
    def _printf(self, fmt, *args, **print3options):
        text = fmt % args if args else fmt
        f = print3options.get('file') or self._stream or _sys.stdout
        f.write(text)
        f.write(print3options.get('end', _os.linesep))
        if print3options.get('flush', False):
            f.flush()

    def print_summary(self, w=0, objs=(), **print3options):
        """Totals and counts, as pympler prints them."""
        p = self._printf
        s = self._sizer.stats()
        total = s['total']
        p('%*d bytes%s%s', w, total, _si(total), self._incl, **print3options)
        if self._align_ > 1:
            p('%*d byte aligned', w, self._align_, **print3options)
        p('%*d byte sizeof(void*)', w, _sizeof_Cvoidp, **print3options)
        n = len(objs or ())
        p('%*d object%s %s', w, n, _plural(n), 'given', **print3options)
        n = s['objects']
        p('%*d object%s %s', w, n, _plural(n), 'sized', **print3options)
        if self._excl_types:
            n = s['excluded_types']
            p('%*d object%s %s', w, n, _plural(n), 'excluded', **print3options)
        n = s['objects'] + s['revisits']
        p('%*d object%s %s', w, n, _plural(n), 'seen', **print3options)
        n = s['failed']
        p('%*d object%s %s', w, n, _plural(n), 'missed', **print3options)
        n = s['duplicates']
        p('%*d duplicate%s', w, n, _plural(n), **print3options)
        if s['max_depth'] > 0:
            p('%*d deepest recursion', w, s['max_depth'], **print3options)

    def print_stats(self, objs=(), opts={}, sized=(), sizes=(), stats=3,
                    **print3options):
        """A header naming the call, then print_summary (pympler's largest
        objects and type profiles are not kept: see docs/python.md)."""
        s = min(opts.get('stats', stats) or 0, self._stats_)
        if s <= 0:
            return
        s = self._sizer.stats()
        w = len(str(s['failed'] + s['objects'] + s['total'])) + 1
        o = ', '.join(sorted('%s=%r' % kv for kv in opts.items()))
        c = ', ' if o and objs else ''
        if sized and objs:
            if len(objs) > 1:
                self._printf('%sasized(...%s%s) ...', _os.linesep, c, o,
                             **print3options)
                for i, a in enumerate(sized):
                    self._printf('%*d: %s', w - 1, i, a, **print3options)
            else:
                self._printf('%sasized(%s): %s', _os.linesep, o, sized,
                             **print3options)
        elif sizes and objs:
            self._printf('%sasizesof(...%s%s) ...', _os.linesep, c, o,
                         **print3options)
            for z, obj in zip(sizes, objs):
                self._printf('%*d bytes%s%s:  %s', w, z, _si(z), self._incl,
                             _nameof(obj, self._clip_), **print3options)
        else:
            t = _nameof(objs, self._clip_) if objs else ''
            self._printf('%sasizeof(%s%s%s) ...', _os.linesep, t, c, o,
                         **print3options)
        self.print_summary(w=w, objs=objs, **print3options)


def _nameof(obj, clip=80):
    """pympler's name of an object: __name__, else its clipped repr, made
    without running the object's code."""
    return _core.nameof(obj, int(clip or 0))


def _objs_opts(where, objs, all=None, **opts):
    if objs:
        return objs, opts, False
    if all in (False, None):
        return (), opts, True
    if all is True:
        return tuple(_gc.get_objects()), opts, True
    raise _option_error(where, all=all)


def _one_call(**opts):
    """The Asizer of one function call.  Nobody can ask it for duplicates
    unless its stats print them, and without duplicate counting the core
    may take shortcuts (fold inline values into their instance, skip
    __class__) that give the same totals faster."""
    a = Asizer(**opts)
    if not a._stats_:
        a._dups = False
        a._apply()
    return a


def asizeof(*objs, **opts):
    """The combined size in bytes of objs and everything they reference,
    shared objects counted once.  Options (pympler's): align=8, clip=80,
    code=False, derive=False, frames=False, ignored=True, infer=False,
    limit=100, stats=0, all=False; and traverse=False."""
    objs, opts2, from_all = _objs_opts('asizeof', objs, **opts)
    a = _one_call(**opts2)  # first: an unknown option raises KeyError
    if not objs:
        return 0
    if from_all:
        a.exclude_objs(objs)
    s = a.asizeof(*objs)
    a.print_stats(objs=objs, opts=opts)
    return s


def asizesof(*objs, **opts):
    """A tuple with the size of each object (see Asizer.asizesof)."""
    a = _one_call(**opts)  # first: an unknown option raises KeyError
    if not objs:
        return ()
    t = a.asizesof(*objs)
    a.print_stats(objs, opts=opts, sizes=t)
    return t


def asized(*objs, **opts):
    """An Asized per object (a single one for one object), referents
    named down to detail levels."""
    a = Asizer(**opts)  # first: an unknown option raises KeyError
    if not objs:
        return ()
    t = a.asized(*objs)
    a.print_stats(objs, opts=opts, sized=t)
    return t


def basicsize(obj, **opts):
    """pympler's basic size of obj's type (GC header included)."""
    return _core.typedef_info(obj, int(bool(opts.get('derive'))))[0]


def itemsize(obj, **opts):
    """pympler's item size (array.array: its itemsize)."""
    return _core.typedef_info(obj, int(bool(opts.get('derive'))))[1]


def leng(obj, **opts):
    """pympler's length in items (estimates for over-allocated containers),
    or None.  Never calls a Python __len__."""
    return _core.typedef_info(obj, int(bool(opts.get('derive'))))[2]


def flatsize(obj, align=0, **opts):
    """sys.getsizeof(obj) without running a Python __sizeof__ override,
    aligned to align (a power of 2; 0: none)."""
    _check_align('flatsize', align)
    return _core.flatsize(obj, align if align > 1 else 0)


def refs(obj, **opts):
    """An iterator over the referents asizeof follows for obj (None where
    pympler has no referents function).  An instance __dict__ that does
    not exist yet is given as a detached copy; the object is unchanged."""
    r = _core.refs(obj, 0)
    return None if r is None else iter(r)


def named_refs(obj, **opts):
    """(name, referent) pairs of the named referents of obj."""
    r = _core.refs(obj, 1)
    return [] if r is None else [(n, o) for n, o in r if n]


_dict_like = set()


def adict(*classes):
    """Register dict-like classes (pympler).  footprint sizes only real
    dicts (and subclasses) as dicts: iterating another mapping would run
    its Python code.  Returns whether all classes look dict-like."""
    ok = True
    for c in classes:
        attrs = ('items', 'keys', 'values', '__len__', 'get', 'has_key')
        if isinstance(c, type) and all(
                callable(_inspect.getattr_static(c, a, None)) for a in attrs):
            _dict_like.add(c)
        else:
            ok = False
    return ok


_amapped = 0.01


def amapped(percentage=None):
    """Get/set pympler's numpy.memmap percentage (kept for compatibility;
    footprint sizes memmaps by their __sizeof__)."""
    global _amapped
    p = _amapped * 100.0
    if percentage is not None:
        _amapped = max(0, min(1, percentage * 0.01))
    return p
