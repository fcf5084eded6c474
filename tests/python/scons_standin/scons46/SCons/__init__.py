"""A stand-in for SCons written for footprint's tests, with the layout of
SCons 4.6 and later: the statistics classes live in SCons.Util.stats.

The modules both layouts share (SCons.Node, SCons.Node.FS, SCons.Executor,
SCons.Debug and the stand-in build) are in ../../shared/SCons, found
through this package's __path__."""
import os

__version__ = "4.10.2"

__path__.append(os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "shared", "SCons"))
