"""Stand-in for SCons.Script.Main of SCons 4.4: the statistics classes
and memory_stats are defined here, and --debug has no json value."""
import sys

import SCons.Debug
from SCons.Standin import build, debug_values

DEBUG_VALUES = ("count", "explain", "memory", "time")


class Stats:
    """Records a figure at each point once enabled; until then append and
    print_stats are do_nothing."""

    def __init__(self):
        self.labels = []
        self.stats = []
        self.append = self.do_nothing
        self.print_stats = self.do_nothing

    def enable(self, outfp):
        self.outfp = outfp
        self.append = self.do_append
        self.print_stats = self.do_print

    def do_nothing(self, *args, **kwargs):
        pass


class MemStats(Stats):
    def do_append(self, label):
        self.labels.append(label)
        self.stats.append(SCons.Debug.memory())

    def do_print(self):
        for label, value in zip(self.labels, self.stats):
            self.outfp.write("Memory %-34s %10d\n" % (label, value))


memory_stats = MemStats()


def main():
    debug = debug_values(sys.argv[1:], DEBUG_VALUES)
    if "memory" in debug:
        memory_stats.enable(sys.stdout)
    graph = build(memory_stats, {})
    memory_stats.print_stats()
    del graph
    sys.exit(0)
