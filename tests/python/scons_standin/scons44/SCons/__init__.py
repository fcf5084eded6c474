"""A stand-in for SCons written for footprint's tests, with the layout of
SCons 4.4 and 4.5: the statistics classes live in SCons.Script.Main.

The modules both layouts share (SCons.Node, SCons.Node.FS, SCons.Executor,
SCons.Debug and the stand-in build) are in ../../shared/SCons, found
through this package's __path__."""
import os

__version__ = "4.4.0"

__path__.append(os.path.join(os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))), "shared", "SCons"))
