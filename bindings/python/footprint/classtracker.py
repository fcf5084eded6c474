"""ClassTracker: sizes of the instances of chosen classes over time, with
pympler.classtracker's API, on footprint's C tracker.

    from footprint.classtracker import ClassTracker
    with ClassTracker() as tracker:
        tracker.track_class(Node, resolution_level=1)
        tracker.create_snapshot('before')
        ...
        tracker.create_snapshot('after')
        tracker.stats.print_summary()

What it does that pympler's cannot: it follows instances of __slots__
classes without __weakref__ (no weak reference is taken: a C finalizer on
the class reports each death), never keeps objects alive unless asked,
records every death before the next snapshot, keeps following an object
whose __class__ is assigned, and can pick up instances that existed before
track_class (existing=True).  Snapshots size objects in C without running
their code.  See docs/python.md for the details and the differences.
"""
import inspect
import linecache
import sys
import threading

from . import _core
from .classtracker_stats import ConsoleStats, _Data

__all__ = ['ClassTracker', 'PeriodicThread']


def _format_trace(frame):
    """The stack that leads to frame, outermost first, laid out as
    pympler's _format_trace prints its instantiation traces."""
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    lines = []
    for f in reversed(frames):
        code = f.f_code
        lineno = f.f_lineno or 0
        src = linecache.getline(code.co_filename, lineno, f.f_globals)
        if src:
            lines.append('    ' + src.strip() + '\n')
        lines.append('  %s:%4d in %s\n' % (code.co_filename, lineno,
                                            code.co_name))
    return ''.join(lines)


_core.set_trace_formatter(_format_trace)


class _ClassObserver(object):
    """Options of a tracked class (pympler's)."""

    __slots__ = ('index', 'name', 'detail', 'keep', 'trace')

    def __init__(self, index, name, detail, keep, trace):
        self.index = index
        self.name = name
        self.detail = detail
        self.keep = keep
        self.trace = trace


class PeriodicThread(threading.Thread):
    """Takes a snapshot every `interval` seconds until stopped."""

    def __init__(self, tracker, interval, *args, **kwargs):
        self.interval = interval
        self.tracker = tracker
        self._stop_event = threading.Event()
        super(PeriodicThread, self).__init__(*args, **kwargs)

    @property
    def stop(self):
        return self._stop_event.is_set()

    @stop.setter
    def stop(self, value):
        if value:
            self._stop_event.set()
        else:
            self._stop_event.clear()

    def run(self):
        while not self._stop_event.is_set():
            self.tracker.create_snapshot()
            self._stop_event.wait(self.interval)


class ClassTracker(object):
    """Tracks instances of classes and objects; takes snapshots of their
    sizes (pympler.classtracker.ClassTracker)."""

    #: how many of the largest types a snapshot's census keeps (0: all)
    census_types = 50

    def __init__(self, stream=None, census=False):
        """census: take a census of the heap by type with every snapshot
        (create_snapshot's default)."""
        self.census = bool(census)
        self._core = _core.Tracker()
        self._data = _Data(self._core)
        self._stream = stream
        self._observers = {}
        self._periodic_thread = None
        self.snapshot_lock = threading.Lock()
        self._first = 0  # objects: the records since the last detach_all

    # ---- what pympler users read ----

    @property
    def stats(self):
        """A ConsoleStats over the current data."""
        return ConsoleStats(tracker=self, stream=self._stream)

    @property
    def index(self):
        """{class name: [TrackedObject]} of every tracked object, dead or
        alive, in birth order."""
        return self._data.index()

    @property
    def objects(self):
        """{id: TrackedObject} of every object tracked since the last
        detach_all, dead ones too (their ref() is None), as pympler keeps
        them; an address reused by a later object names the later one."""
        return dict((o.id, o) for o in self._data.objects()[self._first:])

    @property
    def snapshots(self):
        return self._data.snapshots()

    @property
    def history(self):
        """{class name: [(time, live instances)]}."""
        return self._data.history()

    def memory(self):
        """Bytes the tracker holds (the C tracker plus what the Python
        adapter keeps for it)."""
        return self._core.memory() + self._core.adapter_memory()

    # ---- tracking ----

    def _class_index(self, name, resolution_level, keep, trace):
        i = self._core.find_class(name)
        if i < 0:
            i = self._core.add_class(name, resolution_level,
                                     self._flags(keep, trace))
        return i

    @staticmethod
    def _flags(keep, trace):
        return ((_core.FP_CLASS_KEEP if keep else 0) |
                (_core.FP_CLASS_TRACE if trace else 0))

    def track_object(self, instance, name=None, resolution_level=0,
                     keep=False, trace=False):
        """Track instance (sizes in each snapshot, birth and death).  An
        object tracked already is left as it is.  keep: hold a reference
        so it stays alive.  TypeError if footprint could not see it die
        (not a class instance and no weak references) and keep is false."""
        if name is None:
            name = instance.__class__.__name__
        index = self._class_index(name, resolution_level, keep, trace)
        text = _format_trace(sys._getframe(1)) if trace else None
        self._core.track_object(instance, index, resolution_level,
                                bool(keep), text)

    def track_class(self, cls, name=None, resolution_level=0, keep=False,
                    trace=False, existing=False):
        """Track every instance of cls (and of its subclasses) created from
        now on; the most specialized tracked class names an instance.  A
        class tracked already gets the new options.  name: default
        module.Class; trace: record where each instance was made.
        existing (footprint only): also track the instances alive now,
        found with gc.get_objects(), born now and without a trace."""
        if not inspect.isclass(cls):
            raise TypeError("only class objects can be tracked")
        if name is None:
            name = cls.__module__ + '.' + cls.__name__
        index = self._core.add_class(name, resolution_level,
                                     self._flags(keep, trace))
        self._core.track_class(cls, index, resolution_level, bool(keep),
                               bool(trace))
        self._observers[cls] = _ClassObserver(index, name, resolution_level,
                                              keep, trace)
        if existing:
            self._core.track_existing(cls)

    def track_change(self, instance, resolution_level=0):
        """Change the resolution level of a tracked object (KeyError if it
        is not tracked)."""
        try:
            self._core.set_level(id(instance), resolution_level)
        except LookupError:
            raise KeyError(id(instance))

    def detach_class(self, cls):
        """Stop tracking new instances of cls (KeyError if not tracked);
        its instances tracked so far stay tracked."""
        self._core.detach_class(cls)
        self._observers.pop(cls, None)

    def detach_all_classes(self):
        for cls in list(self._observers):
            self.detach_class(cls)

    def detach_all(self):
        """Detach from all classes and stop following every object.  What
        was recorded stays readable (pympler drops it)."""
        self.detach_all_classes()
        self._core.detach_all()
        self._first = self._core.object_count()

    def clear(self):
        """Detach from everything and forget all objects and snapshots."""
        self.detach_all()
        self._core.clear()
        self._data.reset()
        self._first = 0

    def close(self):
        """Stop periodic snapshots and detach from the tracked classes
        (usable with contextlib.closing; a with block calls it too)."""
        self.stop_periodic_snapshots()
        self.detach_all_classes()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    # ---- snapshots ----

    def start_periodic_snapshots(self, interval=1.0):
        """Take a snapshot every interval seconds from a daemon thread (or
        change the interval of the running one)."""
        if not self._periodic_thread:
            self._periodic_thread = PeriodicThread(self, interval,
                                                   name='BackgroundMonitor',
                                                   daemon=True)
            self._periodic_thread.start()
        else:
            self._periodic_thread.interval = interval

    def stop_periodic_snapshots(self):
        """Stop the periodic snapshots and wait for the thread to end."""
        thread = self._periodic_thread
        if thread and thread.is_alive():
            thread.stop = True
            if thread is not threading.current_thread():
                thread.join()
        self._periodic_thread = None

    def create_snapshot(self, description='', compute_total=False,
                        census=None):
        """Size every tracked object alive now (in birth order, each
        without the other tracked objects) and record the process's
        memory.  compute_total: also size everything asizeof can reach
        (slow).  census: also count the whole heap by type (muppy's
        objects, flat sizes) and keep the census_types largest types with
        the snapshot (None: the tracker's census setting).  Thread-safe."""
        with self.snapshot_lock:
            total = 0
            if compute_total:
                from . import asizeof
                total = asizeof.asizeof(all=True, code=True)
            # -1: the time is read in C, the GIL held until the snapshot
            # ends, so births, deaths and sizes agree with it
            self._core.snapshot(-1.0, str(description), total)
            if self.census if census is None else census:
                self._take_census()

    def _take_census(self):
        """The heap by type into the last snapshot, the tracker's own
        Python objects left out."""
        own = [self, self.__dict__, self._data, self._data.__dict__]
        self._core.take_census(self._core.snapshot_count() - 1, own,
                               int(self.census_types))
