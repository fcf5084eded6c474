"""Stand-in for SCons.Util.stats of SCons 4.6 and later: the statistics
classes and memory_stats moved here from SCons.Script.Main, and
write_scons_stats_file() writes them to JSON_OUTPUT_FILE for
--debug=json."""
import json
import sys

import SCons.Debug

ENABLE_JSON = False
JSON_OUTPUT_FILE = "scons_stats.json"


class Stats:
    """Records a figure at each point once enabled; until then append and
    print_stats are do_nothing."""

    def __init__(self):
        self.labels = []
        self.stats = []
        self.enabled = False
        self.append = self.do_nothing
        self.print_stats = self.do_nothing

    def enable(self, outfp):
        self.outfp = outfp
        self.enabled = True
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


def write_scons_stats_file():
    """What was recorded, and how SCons was run, as one JSON object."""
    out = {}
    if memory_stats.enabled:
        out["Memory"] = dict(zip(memory_stats.labels, memory_stats.stats))
    out["Build_Info"] = {"ARGV": sys.argv, "LAYOUT": "4.6"}
    with open(JSON_OUTPUT_FILE, "w") as f:
        f.write(json.dumps(out, indent=4))
