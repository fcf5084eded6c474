"""Stand-in for SCons.Executor: what builds a target from its sources."""


class Executor:
    __slots__ = ("action", "targets", "sources")

    def __init__(self, action, targets, sources):
        self.action = action
        self.targets = list(targets)
        self.sources = list(sources)
