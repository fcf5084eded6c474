"""Saving, loading and presenting ClassTracker statistics: pympler's
classtracker_stats API over footprint's C tracker.

    from footprint.classtracker_stats import ConsoleStats, HtmlStats
    stats = ConsoleStats(filename='profile.dat')   # or tracker=...
    stats.sort_stats('size').print_stats(limit=10)
    stats.print_summary()
    HtmlStats(filename='profile.dat').create_html('profile.html')

Dumps are footprint's binary format (docs/dump-format.md), not pickles:
`footprint summary profile.dat` reads them too.  Text layouts are
pympler's; the HTML report is footprint's single self-contained page.
"""
import sys

from . import _core
from .asizeof import Asized

__all__ = ['Stats', 'ConsoleStats', 'HtmlStats', 'TrackedObject',
           'Snapshot', 'create_diff_html']

_CRITERIA = ('classname', 'tsize', 'birth', 'death', 'name', 'repr', 'size')


class _ProcessMemory(object):
    """The process's memory at a snapshot (pympler's ProcessMemoryInfo
    fields that footprint records)."""

    __slots__ = ('vsz', 'rss', 'peak_rss')

    def __init__(self, vsz, rss, peak_rss):
        self.vsz = vsz
        self.rss = rss
        self.peak_rss = peak_rss

    @property
    def available(self):
        return bool(self.rss or self.vsz)


class Snapshot(object):
    """One snapshot, read from the tracker (pympler's Snapshot)."""

    def __init__(self, data, index):
        core = data.core
        self._data = data
        self._index = index
        self.timestamp = core.snapshot_timestamp(index)
        self.desc = core.snapshot_desc(index)
        self.tracked_total = core.snapshot_tracked_total(index)
        self.asizeof_total = core.snapshot_asizeof_total(index)
        self.overhead = core.snapshot_overhead(index)
        self.system_total = _ProcessMemory(core.snapshot_vsize(index),
                                           core.snapshot_rss(index),
                                           core.snapshot_peak_rss(index))
        self.classes = None  # filled by Stats.annotate
        self._census_read = None

    @property
    def total(self):
        """pympler's: the process's virtual size, else the asizeof total,
        else the tracked total."""
        if self.system_total.vsz:
            return self.system_total.vsz
        return self.asizeof_total or self.tracked_total

    @property
    def resident(self):
        """What footprint's shares (the pct column) are taken of: the
        resident size, else the asizeof total, else the tracked total."""
        if self.system_total.rss:
            return self.system_total.rss
        return self.asizeof_total or self.tracked_total

    @property
    def census(self):
        """The heap by type when this snapshot took a census, as
        footprint.summary rows ([type, objects, bytes], largest first: the
        types kept), else None.  summary.print_(snapshot.census) prints
        them as pympler prints a summary."""
        rows, total = self._census()
        if not rows and not any(total):
            return None
        return [list(row) for row in rows]

    @property
    def census_total(self):
        """(objects, bytes) the census counted over every type, kept or
        not; (0, 0) without a census."""
        return self._census()[1]

    def _census(self):
        """(rows, totals) as the tracker holds them, read once a census
        is there (a snapshot's census does not change once taken)."""
        if self._census_read is not None:
            return self._census_read
        rows, total = self._data.core.snapshot_census(self._index)
        read = ([(name, count, flat) for name, count, flat, _ in rows],
                tuple(total))
        if rows or any(total):
            self._census_read = read
        return read

    @property
    def label(self):
        if not self.desc:
            return "%.3fs" % self.timestamp
        return "%s (%.3fs)" % (self.desc, self.timestamp)

    def __repr__(self):
        return '<Snapshot %s>' % self.label


class TrackedObject(object):
    """What the tracker knows of one tracked object (pympler's
    TrackedObject, read-only except for the resolution level).  trace is
    the formatted instantiation trace (text), not a list of frames."""

    __slots__ = ('_data', '_index', 'id', 'name', 'birth', 'death', 'repr',
                 'trace', '_level')

    def __init__(self, data, index, row):
        addr, cls, birth, death, level, rep, trace = row
        self._data = data
        self._index = index
        self.id = addr
        self.name = data.class_names[cls]
        self.birth = birth
        self.death = death
        self._level = level
        self.repr = rep
        self.trace = trace or None

    @property
    def classname(self):
        return self.name

    @property
    def resolution_level(self):
        return self._level

    def set_resolution_level(self, resolution_level):
        """Resolution level of the next snapshots (a live object)."""
        self._data.core.set_level(self.id, resolution_level)
        self._level = resolution_level

    def ref(self):
        """The object while it lives and is tracked, else None."""
        return self._data.core.object_ref(self._index)

    @property
    def snapshots(self):
        """[(timestamp, Asized)] for every snapshot that sized it."""
        core, out = self._data.core, []
        for snap, size in core.object_sizes(self._index):
            out.append((core.snapshot_timestamp(snap),
                        self._asized(snap, size)))
        return out

    def _asized(self, snap, size):
        core = self._data.core
        n = core.detail_count(snap, self._index)
        if not n:
            return Asized(size, 0, name=self.repr)
        first = core.detail_first(snap, self._index)
        nodes = []  # (depth, Asized, kids) in preorder
        for k in range(first, first + n):
            nodes.append((core.detail_depth(snap, k),
                          Asized(core.detail_size(snap, k),
                                 core.detail_flat(snap, k),
                                 name=core.detail_name(snap, k) or None),
                          []))
        stack = []
        for depth, node, kids in nodes:
            del stack[depth:]
            if stack:
                stack[-1][1].append(node)
            stack.append((node, kids))
        for depth, node, kids in nodes:
            node.refs = tuple(kids)
        root = nodes[0][1]
        if root.name is None:
            root.name = self.repr
        return root

    def get_max_size(self):
        sizes = [s for _, s in self._data.core.object_sizes(self._index)]
        return max(sizes) if sizes else 0

    def get_size_at_time(self, timestamp):
        core = self._data.core
        for snap, size in core.object_sizes(self._index):
            if core.snapshot_timestamp(snap) == timestamp:
                return size
        return 0

    def __repr__(self):
        return '<TrackedObject %s 0x%x>' % (self.name, self.id)


class _Data(object):
    """Views over one core tracker, made when asked and kept while the
    tracker only grows (cleared by reset)."""

    def __init__(self, core):
        self.core = core
        self.reset()

    def reset(self):
        self._objects = []
        self._snapshots = []
        self._nclasses = -1
        self._class_names = []

    @property
    def class_names(self):
        n = self.core.class_count()
        if n != self._nclasses:
            self._class_names = [self.core.class_name(i) for i in range(n)]
            self._nclasses = n
        return self._class_names

    def objects(self):
        """All tracked objects in birth order."""
        core = self.core
        n = core.object_count()
        if n < len(self._objects):
            self.reset()
        if len(self._objects) < n or any(o.death is None
                                         for o in self._objects):
            rows = core.object_rows()
            old = self._objects
            self._objects = [
                old[i] if i < len(old) and old[i].death is not None
                else TrackedObject(self, i, rows[i])
                for i in range(n)]
        return self._objects

    def snapshots(self):
        n = self.core.snapshot_count()
        if n < len(self._snapshots):
            self._snapshots = []
        for i in range(len(self._snapshots), n):
            self._snapshots.append(Snapshot(self, i))
        return self._snapshots

    def index(self):
        """{class name: [TrackedObject]}, every registered class."""
        idx = dict((name, []) for name in self.class_names)
        for o in self.objects():
            idx[o.name].append(o)
        return idx

    def history(self):
        """{class name: [(time, live instances)]} at every birth and
        death (pympler's ClassTracker.history)."""
        events = {}
        for o in self.objects():
            ev = events.setdefault(o.name, [])
            ev.append((o.birth, 1))
            if o.death is not None:
                ev.append((o.death, -1))
        out = {}
        for name, ev in events.items():
            ev.sort()
            n, series = 0, []
            for t, d in ev:
                n += d
                series.append((t, n))
            out[name] = series
        return out


class Stats(object):
    """The statistics of a ClassTracker, or of a dump file, sorted as
    asked (pympler's Stats)."""

    def __init__(self, tracker=None, filename=None, stream=None):
        self.stream = stream if stream else sys.stdout
        self.tracker = tracker
        self._data = None
        self._keys = ()
        self._reversed = False
        self._sorted = False
        if tracker is not None:
            self._data = tracker._data
        if filename:
            self.load_stats(filename)
        if self._data is None:
            # nothing yet: an empty tracker that holds no objects
            self._data = _Data(_core.load_bytes(_EMPTY_DUMP()))

    # ---- files ----

    def load_stats(self, fdump):
        """Read a dump (a file name, or a binary file open for reading)."""
        if isinstance(fdump, (str, bytes)) or hasattr(fdump, '__fspath__'):
            import os
            core = _core.load(os.fsdecode(fdump))
        else:
            core = _core.load_bytes(fdump.read())
        self._data = _Data(core)
        self.tracker = None
        self._keys = ()
        self._reversed = False
        self._sorted = False

    def dump_stats(self, fdump, close=True):
        """Write the data to a dump (a file name: written to a temporary
        file and renamed; or a binary file open for writing, closed unless
        close is False)."""
        if self.tracker:
            self.tracker.stop_periodic_snapshots()
        if isinstance(fdump, (str, bytes)) or hasattr(fdump, '__fspath__'):
            import os
            self._data.core.dump(os.fsdecode(fdump))
            return
        fdump.write(self._data.core.dump_bytes())
        if close:
            fdump.close()

    # ---- sorting ----

    def _apply_order(self):
        """The core's sorted view as this Stats last asked for it (another
        Stats of the same tracker may have sorted it differently)."""
        core = self._data.core
        core.sort(','.join(self._keys))
        if self._reversed:
            core.reverse()

    def sort_stats(self, *args):
        """Sort by the given keys ('classname', 'name', 'birth', 'death',
        'size', 'tsize', 'repr'; sizes descending); no key: all of them
        in pympler's order.  Returns self."""
        if not set(_CRITERIA).issuperset(set(args)):
            raise ValueError("Invalid sort criteria")
        self._keys = tuple(args)
        self._reversed = False
        self._sorted = True
        self._apply_order()
        return self

    def reverse_order(self):
        """Reverse the sorted order.  Returns self."""
        self._sorted = True
        self._reversed = not self._reversed
        self._apply_order()
        return self

    @property
    def sorted(self):
        """The tracked objects in the current order."""
        if not self._sorted:
            self.sort_stats()
        self._apply_order()
        objs = self._data.objects()
        core = self._data.core
        return [objs[core.sorted_object(k)] for k in range(len(objs))]

    # ---- data ----

    @property
    def index(self):
        return self._data.index()

    @property
    def snapshots(self):
        return self._data.snapshots()

    @property
    def history(self):
        return self._data.history()

    @property
    def tracked_classes(self):
        """Names of all tracked classes, sorted."""
        return sorted(self._data.class_names)

    def annotate(self):
        """Fill every snapshot's .classes with per-class figures."""
        for snapshot in self.snapshots:
            self.annotate_snapshot(snapshot)

    def annotate_snapshot(self, snapshot):
        """{class name: {'sum', 'avg', 'pct', 'active', 'merged'}} for
        snapshot; 'merged' (pympler's referent tree of the class's
        instances at that snapshot) is built when first read."""
        if snapshot.classes is not None:
            return snapshot.classes
        names = self._data.class_names
        rows = self._data.core.snapshot_classes(snapshot._index)
        snapshot.classes = dict(
            (names[i], _ClassFigures(self, snapshot, names[i], active=a,
                                     sum=s, avg=avg, pct=pct))
            for i, (a, s, avg, pct) in enumerate(rows))
        return snapshot.classes


class _ClassFigures(dict):
    """One class's figures in a snapshot; 'merged' is made on first read
    (a tree per instance is work most readers never ask for)."""

    def __init__(self, stats, snapshot, name, **figures):
        dict.__init__(self, **figures)
        self._source = (stats, snapshot, name)

    def __missing__(self, key):
        if key != 'merged':
            raise KeyError(key)
        stats, snapshot, name = self._source
        merged = Asized(0, 0)
        for tobj in stats.index.get(name, ()):
            for timestamp, sized in tobj.snapshots:
                if timestamp == snapshot.timestamp:
                    _merge_into(merged, sized, 0)
        self['merged'] = merged
        return merged


def _key(name):
    """What referents merge on: a name up to its first ':' ("[V] key: repr"
    of every instance is one row)."""
    return (name or '').split(':')[0]


def _copy(node):
    out = Asized(node.size, node.flat, name=node.name)
    out.refs = tuple(_copy(r) for r in node.refs)
    return out


def _merge_into(total, sized, depth):
    """Add sized's sizes into total and its referents into total's, by
    _key, as pympler's _merge_asized adds instances' trees."""
    total.size += sized.size
    total.flat += sized.flat
    if depth:
        total.name = _key(sized.name)
    by_key = dict((_key(r.name), r) for r in total.refs)
    added = list(total.refs)
    for ref in sized.refs:
        mine = by_key.get(_key(ref.name))
        if mine is not None:
            _merge_into(mine, ref, depth + 1)
        else:
            mine = _copy(ref)
            mine.name = _key(ref.name)
            by_key[mine.name] = mine
            added.append(mine)
    total.refs = tuple(added)


class ConsoleStats(Stats):
    """pympler's text reports, laid out byte for byte as pympler prints
    them (made by the core)."""

    def print_object(self, tobj):
        """One tracked object: name, address or ( free ), repr, trace,
        size per snapshot and referents where recorded."""
        self.stream.write(self._data.core.print_object(tobj._index))

    def print_stats(self, clsname=None, limit=1.0):
        """Tracked objects in the sorted order, those whose class name
        contains clsname; limit: a count, or a fraction of all objects
        when below 1."""
        if self.tracker:
            self.tracker.stop_periodic_snapshots()
        if not self._sorted:
            self.sort_stats()
        self._apply_order()
        self.stream.write(self._data.core.print_stats(clsname or None,
                                                      float(limit)))

    def print_summary(self):
        """Per snapshot, one row per tracked class: active instances,
        total, average and share of the process's memory."""
        self.stream.write(self._data.core.print_summary())


class HtmlStats(Stats):
    """footprint's report: one self-contained HTML page with inline SVG
    charts (pympler writes a folder of pages and matplotlib charts)."""

    def create_html(self, fname, title="ClassTracker Statistics", **opts):
        """Write the page to fname (through a temporary file and a rename).
        opts: top_classes, top_instances, max_classes, max_snapshots,
        detail_rows, text_chars, script (docs/report.md)."""
        allowed = ('top_classes', 'top_instances', 'max_classes',
                   'max_snapshots', 'detail_rows', 'text_chars', 'script')
        bad = set(opts) - set(allowed)
        if bad:
            raise TypeError('unknown option(s): %s' % ', '.join(sorted(bad)))
        args = [int(opts.get(k, -1)) for k in allowed]
        import os
        self._data.core.html(os.fsdecode(fname), title, *args)


def _stats_of(what):
    if isinstance(what, Stats):
        return what
    return Stats(filename=what)


def create_diff_html(before, after, fname, title=None, before_snapshot=-1,
                     after_snapshot=-1):
    """A page of what changed per class from before to after (Stats,
    or dump file names), in one snapshot of each (default: the last)."""
    import os
    b, a = _stats_of(before), _stats_of(after)
    b._data.core.diff_html(a._data.core, os.fsdecode(fname), title,
                           before_snapshot, after_snapshot)


def _EMPTY_DUMP():
    return _core.Tracker().dump_bytes()
