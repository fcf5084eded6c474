"""pympler's tracker module: what changed in the heap between two moments.

    from footprint import tracker
    tr = tracker.SummaryTracker()
    ...
    tr.print_diff()

SummaryTracker takes a census of the heap by type (in C) at each call and
keeps its own summaries out of the next ones, as pympler's does (with
ignore_self); ObjectTracker keeps the objects themselves and lists those
that came and went.
"""
import sys

from . import _core, muppy, summary

__all__ = ['SummaryTracker', 'ObjectTracker']


class SummaryTracker(object):
    """Summaries of the heap by type, and the differences between them.

    A first summary is taken on creation; each diff() takes a new one and
    compares it with the last."""

    def __init__(self, ignore_self=True):
        self.ignore_self = ignore_self
        self.summaries = {}
        self.s0 = self.create_summary()

    def _own(self):
        """What this tracker's summaries are made of: left out of a census
        with ignore_self.  A row item counts as the tracker's only when
        nothing else holds it (a shared name or small int is the
        program's too)."""
        own = [self.summaries, self.__dict__]
        kept = list(self.summaries.values())
        for attr in ('s0', 's1'):
            if isinstance(self.__dict__.get(attr), list):
                kept.append(self.__dict__[attr])
        for rows in kept:
            own.append(rows)
            for row in rows:
                own.append(row)
                # held by the row and by getrefcount's argument
                own.extend(x for x in row if sys.getrefcount(x) <= 3)
        own.extend(self.summaries.keys())
        own.append(kept)  # own itself the census leaves out
        return own

    def create_summary(self):
        """A summary of the whole heap now."""
        own = self._own() if self.ignore_self else []
        rows, _ = _core.census_heap(own, 0, False)
        return rows

    def diff(self, summary1=None, summary2=None):
        """The rows that changed: from the last summary (or summary1) to a
        new one, or from summary1 to summary2."""
        if summary2 is None:
            self.s1 = self.create_summary()
            res = summary.get_diff(self.s0 if summary1 is None else summary1,
                                   self.s1)
            self.s0 = self.s1
        elif summary1 is None:
            raise ValueError("You cannot provide summary2 without summary1.")
        else:
            res = summary.get_diff(summary1, summary2)
        return summary._sweep(res)

    def print_diff(self, summary1=None, summary2=None):
        """Print diff() as pympler's summary table."""
        summary.print_(self.diff(summary1=summary1, summary2=summary2))

    def format_diff(self, summary1=None, summary2=None):
        """The lines print_diff() would print."""
        return summary.format_(self.diff(summary1=summary1,
                                         summary2=summary2))

    def store_summary(self, key):
        """Keep a summary of now under key (left out of later ones)."""
        self.summaries[key] = self.create_summary()


class ObjectTracker(object):
    """The objects that came and went between two calls.  It holds every
    object it saw (they cannot be freed while it exists), as pympler's
    does."""

    def __init__(self):
        self.o0 = self._get_objects()

    def _get_objects(self, ignore=()):
        objects = muppy.get_objects()
        skip = {id(o) for o in ignore}
        skip.update((id(self), id(self.__dict__), id(objects), id(skip)))
        for attr in ('o0', 'o1'):
            if attr in self.__dict__:
                skip.add(id(self.__dict__[attr]))
        return [o for o in objects if id(o) not in skip]

    def get_diff(self, ignore=()):
        """{'+': new objects, '-': gone objects} since the last call."""
        self.o1 = self._get_objects(ignore)
        diff = muppy.get_diff(self.o0, self.o1)
        self.o0 = self.o1
        return diff

    def format_diff(self, ignore=()):
        """Added and removed objects, each as a summary table."""
        diff = self.get_diff(ignore)
        lines = ["Added objects:"]
        lines.extend(summary.format_(summary.summarize(diff['+'])))
        lines.append("Removed objects:")
        lines.extend(summary.format_(summary.summarize(diff['-'])))
        return lines

    def print_diff(self, ignore=()):
        """Print format_diff()."""
        for line in self.format_diff(ignore):
            print(line)
