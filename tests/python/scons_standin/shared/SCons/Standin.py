"""The build both stand-in layouts run (no SCons module has this name):
what SCons does between parsing its command line and printing its
statistics, reduced to making nodes at the four points where
--debug=memory records memory.

What exists at each point, counted under the most specialized of
footprint's default classes:

    before reading SConscript files:  Dir 2
    after reading SConscript files:   Dir 3, File 21, Base 1 (an Entry),
                                      Node 1, Executor 11
    before building targets:          the same
    after building targets:           Dir 3, File 22, Base 1, Node 1,
                                      Executor 1 (the objects' executors
                                      are released, the .sconsign is made)
"""
import os
import sys

from SCons.Executor import Executor
from SCons.Node import Node
from SCons.Node.FS import Dir, Entry, File

SOURCES = 10
LABELS = ("before reading SConscript files:",
          "after reading SConscript files:",
          "before building targets:",
          "after building targets:")


def debug_values(argv, known):
    """The --debug=a,b values; an unknown one ends the run as SCons does."""
    values = []
    for arg in argv:
        if arg.startswith("--debug="):
            values += arg[len("--debug="):].split(",")
    for value in values:
        if value not in known:
            sys.stderr.write("scons: *** option --debug: invalid choice: "
                             "%r\n" % value)
            sys.exit(2)
    return values


def option(argv, name):
    """The value of --name=VALUE, or None."""
    prefix = "--%s=" % name
    for arg in argv:
        if arg.startswith(prefix):
            return arg[len(prefix):]
    return None


def load_site_init(argv):
    """Run site_init.py from --site-dir, its folder on sys.path."""
    site_dir = option(argv, "site-dir")
    script = site_dir and os.path.join(site_dir, "site_init.py")
    if not script or not os.path.exists(script):
        return
    sys.path.insert(0, site_dir)
    with open(script) as f:
        code = compile(f.read(), script, "exec")
    exec(code, {"__file__": script, "__name__": "site_init"})


def read_sconscripts(graph, namespace):
    """Run ./SConstruct if there is one, then declare the targets."""
    if os.path.exists("SConstruct"):
        with open("SConstruct") as f:
            exec(compile(f.read(), "SConstruct", "exec"), dict(namespace))
    top, src = graph["dirs"]
    build = Dir("build", top)
    graph["dirs"].append(build)
    graph["other"] += [Entry("SConstruct", top), Node("version")]
    objects = []
    for i in range(SOURCES):
        source = File("src/f%02d.c" % i, src)
        target = File("build/f%02d.o" % i, build, [source])
        target.executor = Executor("cc", [target], [source])
        graph["files"] += [source, target]
        objects.append(target)
    program = File("build/prog", build, objects)
    program.executor = Executor("link", [program], objects)
    graph["files"].append(program)


def build_targets(graph):
    """Everything is up to date: release the objects' executors, as SCons
    does once a target is built, and record the signatures."""
    for node in graph["files"]:
        if node.name.endswith(".o"):
            node.executor = None
    graph["files"].append(File(".sconsign", graph["dirs"][0]))
    print("scons: `.' is up to date.")


def build(memory_stats, namespace):
    """The run from the top folders to the built targets; returns the
    graph, which lives until the statistics are printed."""
    argv = sys.argv[1:]
    graph = {"dirs": [Dir("#"), Dir("src")], "files": [], "other": []}
    load_site_init(argv)
    memory_stats.append(LABELS[0])
    print("scons: Reading SConscript files ...")
    read_sconscripts(graph, namespace)
    print("scons: done reading SConscript files.")
    memory_stats.append(LABELS[1])
    memory_stats.append(LABELS[2])
    print("scons: Building targets ...")
    build_targets(graph)
    print("scons: done building targets.")
    memory_stats.append(LABELS[3])
    return graph
