"""The interpreters footprint's CPython adapter can read.

bindings/python/pyversion.h holds the same bounds for the compiler.  Run
as a script (the build does, with the interpreter it builds for), it exits
with the reason when that interpreter is not one of them.  Kept to syntax
any Python can parse, so that the message, not a SyntaxError, is what an
old interpreter prints.
"""
import platform
import sys
import sysconfig

FIRST = (3, 10)
LAST = (3, 13)


def problem():
    """None when the running interpreter is supported, else why not."""
    impl = platform.python_implementation()
    have = '%s %d.%d' % ((impl,) + tuple(sys.version_info[:2]))
    if impl != 'CPython':
        return 'footprint reads CPython objects; this is %s' % have
    if not FIRST <= tuple(sys.version_info[:2]) <= LAST:
        return ('footprint supports CPython %d.%d to %d.%d; this is %s'
                % (FIRST + LAST + (have,)))
    if sysconfig.get_config_var('Py_GIL_DISABLED'):
        return 'footprint does not support free-threaded builds (%s)' % have
    return None


if __name__ == '__main__':
    why = problem()
    if why:
        sys.exit(why + ' (build with make PYTHON=<a CPython 3.10 to 3.13>)')
