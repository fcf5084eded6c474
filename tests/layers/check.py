#!/usr/bin/env python3
"""The layers include only what they may (docs/ARCHITECTURE.md, "Layers").

    core/             its own headers, libc and xxhash.h
    report/           its own headers and core/footprint.h
    bindings/cli/     its own headers, footprint.h and report/fp_report.h
    bindings/python/  the same, with its own headers (layouts/ included)
    bindings/lua/     the same, with its own headers
    swig/footprint.i  footprint.h and fp_report.h; python.i and lua.i also
                      their binding's headers

An include names a project header by its file name, whatever path or
brackets it is written with ("../core/internal.h", <tracker.h>), so no
spelling gets around the rule.

    check.py [ROOT]       check the tree at ROOT (default: this checkout)
    check.py --self-test  also prove, on a scratch tree, that each kind of
                          violation is caught
"""
import os
import re
import shutil
import sys
import tempfile

PUBLIC = {"footprint.h": "core", "fp_report.h": "report"}
# (folder, what it may include besides its own folder's headers)
LAYERS = [
    ("core", set()),
    ("report", {"footprint.h"}),
    ("bindings/cli", {"footprint.h", "fp_report.h"}),
    ("bindings/python", {"footprint.h", "fp_report.h"}),
    ("bindings/lua", {"footprint.h", "fp_report.h"}),
]
SWIG = {"footprint.i": None, "python.i": "bindings/python",
        "lua.i": "bindings/lua"}
INCLUDE = re.compile(r'^\s*[#%]\s*include\s*[<"]([^>"]+)[>"]', re.M)


def headers(root):
    """file name -> the set of project folders holding a header so named."""
    found = {}
    for folder, _ in LAYERS:
        for dirpath, _, files in os.walk(os.path.join(root, folder)):
            for f in files:
                if f.endswith(".h"):
                    found.setdefault(f, set()).add(folder)
    return found


def sources(root, folder):
    for dirpath, _, files in sorted(os.walk(os.path.join(root, folder))):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.join(dirpath, f)


def includes(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    for m in INCLUDE.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        yield line, m.group(1), os.path.basename(m.group(1))


def check_file(root, path, own, allowed, known):
    """Violations in one file: project headers of another folder than own
    that allowed does not name."""
    bad = []
    for line, spelled, name in includes(path):
        where = known.get(name)
        if not where or own in where or name in allowed:
            continue
        bad.append("%s:%d: includes \"%s\" (%s), which %s may not"
                   % (os.path.relpath(path, root), line, spelled,
                      ", ".join(sorted(where)), own))
    return bad


def check(root):
    known = headers(root)
    bad = []
    for folder, allowed in LAYERS:
        for path in sources(root, folder):
            bad += check_file(root, path, folder, allowed, known)
    for name, binding in SWIG.items():
        path = os.path.join(root, "swig", name)
        if os.path.exists(path):
            bad += check_file(root, path, binding or "swig",
                              set(PUBLIC), known)
    return bad


# Each line breaks one rule; the self-test wants every one reported.
VIOLATIONS = [
    ("report/report.h", '#include "tracker.h"'),
    ("report/report_text.c", '#include "../core/text.h"'),
    ("report/report_svg.c", '#include <internal.h>'),
    ("bindings/cli/cmd_html.c", '#include "internal.h"'),
    ("bindings/cli/main.c", '#include "strtab.h"'),
    ("bindings/python/pysizer.c", '#include "fp_lua.h"'),
    ("bindings/lua/lsizer.c", '#include "cli.h"'),
    ("bindings/lua/lwalk.c", '#include "report.h"'),
    ("core/sizer.c", '#include "fp_report.h"'),
    ("swig/footprint.i", '#include "fp_python.h"'),
]


def self_test(root):
    """Violations planted in a copy of the layers must all be found; the
    copy as it was must pass.  Returns the number of misses."""
    scratch = tempfile.mkdtemp(prefix="fp-layers-")
    misses = caught = 0
    try:
        for folder in ["core", "report", "bindings", "swig"]:
            shutil.copytree(os.path.join(root, folder),
                            os.path.join(scratch, folder),
                            ignore=shutil.ignore_patterns("*.so", "*.py",
                                                          "__pycache__"))
        if check(scratch):
            print("layers self-test: the clean copy does not pass")
            misses += 1
        for path, line in VIOLATIONS:
            full = os.path.join(scratch, path)
            with open(full) as f:
                text = f.read()
            with open(full, "w") as f:
                f.write(line + "\n" + text)
            found = [b for b in check(scratch) if b.startswith(path + ":1:")]
            if found:
                caught += 1
            else:
                print("layers self-test: missed %s in %s" % (line, path))
                misses += 1
            with open(full, "w") as f:
                f.write(text)
    finally:
        shutil.rmtree(scratch)
    print("layers self-test: %d planted violations, %d caught"
          % (len(VIOLATIONS), caught))
    return misses


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    args = [a for a in argv[1:] if a != "--self-test"]
    root = args[0] if args else os.path.normpath(os.path.join(here, "..", ".."))
    bad = check(root)
    for b in bad:
        print(b)
    misses = self_test(root) if "--self-test" in argv else 0
    print("layers: %d files' includes checked, %d violations"
          % (sum(1 for f, _ in LAYERS for _ in sources(root, f)), len(bad)))
    return 1 if bad or misses else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
