"""Hold footprint.asizeof to a conformance corpus.

    conformance_gate.py CHECK_PY DOC MIN [--label LABEL]

Runs CHECK_PY (the corpus's check.py) with this interpreter and prints its
output.  Passes when at least MIN cases match pympler exactly and every
case that does not is listed in DOC (docs/python.md) as a deliberate
difference, written "LABEL case `name`".  LABEL names the corpus, so that
the same case name in two corpora is documented for each separately:
"conformance" (the default) for the shared corpus, "own" for the project's
own, tests/python/conformance/check.py.
"""
import argparse
import re
import subprocess
import sys


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('check', metavar='CHECK_PY')
    ap.add_argument('doc', metavar='DOC')
    ap.add_argument('minimum', metavar='MIN', type=int)
    ap.add_argument('--label', default='conformance',
                    help='documented differences read "LABEL case `name`"')
    args = ap.parse_args(argv[1:])
    label = args.label

    run = subprocess.run([sys.executable, args.check], capture_output=True,
                         text=True)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    summary = re.search(r'^(\d+) passed, (\d+) failed$', run.stdout, re.M)
    if not summary:
        print('%s: %s printed no summary line (exit status %d)'
              % (label, args.check, run.returncode))
        return 1
    passed = int(summary.group(1))
    failing = re.findall(r'^FAIL (\S+)', run.stdout, re.M)
    # the marker may be wrapped across lines of the Markdown source
    marker = r'\b%s\s+case\s+`([^`]+)`' % re.escape(label)
    with open(args.doc, encoding='utf-8') as f:
        documented = set(re.findall(marker, f.read()))
    undocumented = [c for c in failing if c not in documented]
    if undocumented:
        print('%s: differences not documented in %s as "%s case `name`": %s'
              % (label, args.doc, label, ', '.join(undocumented)))
    if passed < args.minimum:
        print('%s: %d passed, at least %d required'
              % (label, passed, args.minimum))
    if undocumented or passed < args.minimum:
        return 1
    print('%s: %d passed (at least %d), every difference documented'
          % (label, passed, args.minimum))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
