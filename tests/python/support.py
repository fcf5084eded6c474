"""Helpers shared by the footprint Python tests (not a test module).

Expected figures are computed here from sys.getsizeof of the parts, the
interpreter's own answer, never copied from a run of footprint."""
import sys


def al(n, align=8):
    """n rounded up to align, as asizeof aligns flat sizes."""
    return (n + align - 1) & ~(align - 1)


def flat(*objs, align=8):
    """Sum of the aligned sys.getsizeof of distinct objects."""
    seen, total = set(), 0
    for o in objs:
        if id(o) not in seen:
            seen.add(id(o))
            total += al(sys.getsizeof(o), align)
    return total


class Recorder:
    """Collects the names of methods of hostile objects that ran."""

    def __init__(self):
        self.calls = []

    def hit(self, what):
        self.calls.append(what)
