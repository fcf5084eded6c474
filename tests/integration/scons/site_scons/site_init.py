# The integration test's site_init.py: footprint's one line, plus a census
# of live instances taken right after footprint's last snapshot, which the
# test compares with footprint's counts.
import footprint.scons

profiler = footprint.scons.install()

if profiler is not None:
    import gc
    import json
    import os

    import SCons.Script.Main

    ms = SCons.Script.Main.memory_stats
    footprint_append = ms.append

    def census():
        """Live instances per tracked class, each counted under the most
        specialized tracked class in its MRO (footprint's rule)."""
        names = {c: n for n, c in profiler.tracked_classes()}
        counts = dict.fromkeys(names.values(), 0)
        for obj in gc.get_objects():
            for klass in type(obj).__mro__:
                if klass in names:
                    counts[names[klass]] += 1
                    break
        return counts

    def append(label):
        footprint_append(label)
        if label == "after building targets:":
            with open(os.environ["FOOTPRINT_TEST_CENSUS"], "w") as f:
                json.dump(census(), f)

    ms.append = append
