"""Stand-in for SCons.Script.Main of SCons 4.6 and later: memory_stats
and the JSON writer are imported from SCons.Util.stats, and main() calls
the writer by the name imported here, after printing the statistics."""
import os
import sys

import SCons.Util.stats
from SCons.Standin import build, debug_values
from SCons.Util.stats import ENABLE_JSON, memory_stats, write_scons_stats_file

DEBUG_VALUES = ("count", "explain", "json", "memory", "time")


def DebugOptions(json=None):
    """From an SConstruct: write --debug=json's file to another path."""
    if json is not None:
        path = os.path.abspath(json)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        SCons.Util.stats.JSON_OUTPUT_FILE = path


def main():
    global ENABLE_JSON
    debug = debug_values(sys.argv[1:], DEBUG_VALUES)
    if "memory" in debug:
        memory_stats.enable(sys.stdout)
    if "json" in debug:
        ENABLE_JSON = True
    graph = build(memory_stats, {"DebugOptions": DebugOptions})
    memory_stats.print_stats()
    if ENABLE_JSON:
        write_scons_stats_file()
    del graph
    sys.exit(0)
