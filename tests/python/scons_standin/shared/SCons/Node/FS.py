"""Stand-in for SCons.Node.FS: file system nodes, a Base under Node and
File, Dir and Entry under Base."""
import os

from SCons.Node import Node


class Base(Node):
    __slots__ = ("abspath", "dir")

    def __init__(self, name, directory=None, sources=()):
        super().__init__(name, sources)
        self.dir = directory
        self.abspath = os.path.join(os.getcwd(), name)


class Entry(Base):
    """A name not yet known to be a file or a folder."""
    __slots__ = ()


class File(Base):
    __slots__ = ("contents",)

    def __init__(self, name, directory=None, sources=()):
        super().__init__(name, directory, sources)
        self.contents = "int %s;\n" % name.replace("/", "_").replace(".", "_")


class Dir(Base):
    __slots__ = ("entries",)

    def __init__(self, name, directory=None):
        super().__init__(name, directory)
        self.entries = {}
