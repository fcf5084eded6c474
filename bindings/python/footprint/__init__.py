"""footprint: how much memory Python objects hold, measured in C.

    from footprint import asizeof      # pympler.asizeof's API
    asizeof.asizeof(obj)

footprint._core is the SWIG-built extension (core library plus the CPython
adapter); it refuses to load against a core of another version.
"""
from . import _core

__version__ = _core.FP_VERSION_STRING
__all__ = ['asizeof', 'procmem', 'format_size', 'Error']

Error = _core.Error


def procmem():
    """The process's memory: {'vsize': .., 'rss': .., 'peak_rss': ..}."""
    return _core.procmem()


def format_size(nbytes):
    """nbytes as pympler prints sizes ('   12     B', '   1.21 KB')."""
    return _core.format_size(float(nbytes))


from . import asizeof  # noqa: E402  (the module, as pympler's)
