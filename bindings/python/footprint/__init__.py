"""footprint: how much memory Python objects hold, measured in C.

    from footprint import asizeof      # pympler.asizeof's API
    asizeof.asizeof(obj)

footprint._core is the SWIG-built extension (core library plus the CPython
adapter), built per interpreter (`make PYTHON=...`); it refuses to load
against a core of another version.  Interpreters the adapter cannot read
are refused here, before any extension is loaded.
"""
from . import _supported

if _supported.problem():
    raise ImportError(_supported.problem())

def _built():
    """Whether an extension for this interpreter's ABI is here."""
    import importlib.util
    return importlib.util.find_spec(__name__ + '._core') is not None


if not _built():
    import sys as _sys
    raise ImportError(
        'footprint._core is not built for this interpreter (%s): run '
        '`make PYTHON=%s python-ext` in the footprint checkout'
        % (_sys.version.split()[0], _sys.executable))

from . import _core  # noqa: E402

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
