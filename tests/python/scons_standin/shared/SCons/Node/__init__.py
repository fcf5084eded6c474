"""Stand-in for SCons.Node: the base class of every node.  Like SCons's
nodes it has __slots__ and no __weakref__, so nothing can take a weak
reference to one."""


class Node:
    __slots__ = ("name", "sources", "executor", "attributes")

    def __init__(self, name, sources=()):
        self.name = name
        self.sources = list(sources)
        self.executor = None
        self.attributes = {"name": name}
