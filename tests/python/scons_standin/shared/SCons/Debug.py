"""Stand-in for SCons.Debug: the process's memory, as --debug=memory
reports it."""
import resource


def memory():
    """Peak resident size in bytes (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
