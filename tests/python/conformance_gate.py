"""Hold footprint.asizeof to the shared conformance corpus.

    conformance_gate.py CHECK_PY DOC MIN

Runs CHECK_PY (../shared/conformance/check.py) with this interpreter and
prints its output.  Passes when at least MIN cases match pympler exactly
and every case that does not is listed in DOC (docs/python.md) as a
deliberate difference, written "conformance case `name`".
"""
import re
import subprocess
import sys


def main(argv):
    check, doc, minimum = argv[1], argv[2], int(argv[3])
    run = subprocess.run([sys.executable, check], capture_output=True,
                         text=True)
    sys.stdout.write(run.stdout)
    sys.stderr.write(run.stderr)
    summary = re.search(r'^(\d+) passed, (\d+) failed$', run.stdout, re.M)
    if not summary:
        print('conformance: check.py printed no summary line')
        return 1
    passed = int(summary.group(1))
    failing = re.findall(r'^FAIL (\S+)', run.stdout, re.M)
    with open(doc, encoding='utf-8') as f:
        documented = set(re.findall(r'conformance case `([^`]+)`', f.read()))
    undocumented = [c for c in failing if c not in documented]
    if undocumented:
        print('conformance: differences not documented in %s: %s'
              % (doc, ', '.join(undocumented)))
    if passed < minimum:
        print('conformance: %d passed, at least %d required'
              % (passed, minimum))
    if undocumented or passed < minimum:
        return 1
    print('conformance: %d passed (at least %d), every difference documented'
          % (passed, minimum))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
