"""The Python suites on every supported interpreter: one line each.

    each_python.py [INTERPRETER ...]
    each_python.py --list [--first] [INTERPRETER ...]

An INTERPRETER is a path, or a version such as 3.12 that stands for the
interpreters found for it.  Without any, every supported version is
looked for: pythonX.Y on PATH, /usr/bin/pythonX.Y, and pyenv's versions
(PYENV_ROOT, else ~/.pyenv).  Each interpreter found runs `make pytest-py
conformance PYTHON=...` (the unit tests with the safety and tracker
tests, then the conformance corpora), its output kept in
build/python/each/<version>-<n>.log, and gets one line: passed or FAILED,
with what ran.  A supported version with no interpreter is reported as
skipped, by name.  Exit status 1 when any run failed.  --list only prints
the interpreters found, one "VERSION EXECUTABLE" line each ("VERSION -"
for a version with none), for other make targets to loop over; --first
keeps the first interpreter of each version.
"""
import glob
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'bindings', 'python', 'footprint'))
import _supported  # noqa: E402  (the one statement of what is supported)

VERSIONS = ['%d.%d' % (3, m) for m in range(_supported.FIRST[1],
                                             _supported.LAST[1] + 1)]
PROBE = 'import sys; print(sys.version.split()[0]); print(sys.executable)'


def identify(path):
    """(version, executable) of a working interpreter at path, or None
    (a pyenv shim of a version that is not selected fails here)."""
    try:
        out = subprocess.run([path, '-c', PROBE], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, timeout=60,
                             universal_newlines=True)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = out.stdout.split()
    if out.returncode != 0 or len(lines) != 2:
        return None
    return lines[0], lines[1]


def candidates(version):
    """Paths where an interpreter of version may be."""
    name = 'python' + version
    found = [os.path.join(d, name)
             for d in os.environ.get('PATH', '').split(os.pathsep) if d]
    found.append(os.path.join('/usr/bin', name))
    root = os.environ.get('PYENV_ROOT') or os.path.expanduser('~/.pyenv')
    found += sorted(glob.glob(os.path.join(root, 'versions', version + '.*',
                                           'bin', name)))
    return [p for p in found if os.access(p, os.X_OK)]


def interpreters(version):
    """[(full version, executable)] of version, each interpreter once."""
    seen, out = set(), []
    for path in candidates(version):
        got = identify(path)
        if not got or not got[0].startswith(version + '.'):
            continue
        key = os.path.realpath(got[1])
        if key not in seen:
            seen.add(key)
            out.append(got)
    return out


def chosen(args):
    """[(label, [(full version, executable)])] to run, in order."""
    if not args:
        return [(v, interpreters(v)) for v in VERSIONS]
    out = []
    for a in args:
        if re.match(r'^\d+\.\d+$', a):
            out.append((a, interpreters(a)))
        else:
            got = identify(a)
            out.append((a, [got] if got else []))
    return out


def corpus_result(lines, label):
    """'passed/cases' of the corpus whose gate prints label, or None."""
    for i, line in enumerate(lines):
        if re.match(r'^%s: \d+ passed' % label, line):
            for before in reversed(lines[:i]):
                m = re.match(r'^(\d+) passed, (\d+) failed$', before)
                if m:
                    return '%s/%d' % (m.group(1),
                                      int(m.group(1)) + int(m.group(2)))
    return None


def summary(log):
    """What the log says ran: tests and conformance figures."""
    lines = log.splitlines()
    parts = []
    tests = re.findall(r'^Ran (\d+) tests?', log, re.M)
    if tests:
        parts.append('%s tests' % tests[-1])
    for label, corpus in (('own', 'own corpus'), ('conformance', 'shared')):
        got = corpus_result(lines, label)
        if got:
            parts.append('%s %s' % (corpus, got))
    if 'no shared corpus at' in log:
        parts.append('no shared corpus')
    return ', '.join(parts)


def run(version, exe, n):
    logdir = os.path.join(ROOT, 'build', 'python', 'each')
    os.makedirs(logdir, exist_ok=True)
    log_path = os.path.join(logdir, '%s-%d.log' % (version, n))
    with open(log_path, 'w') as log:
        rc = subprocess.call(['make', '--no-print-directory', '-C', ROOT,
                              'pytest-py', 'conformance', 'PYTHON=' + exe],
                             stdout=log, stderr=subprocess.STDOUT)
    with open(log_path) as f:
        text = f.read()
    return rc, text, os.path.relpath(log_path, ROOT)


def listing(args):
    first = '--first' in args
    for label, found in chosen([a for a in args if a != '--first']):
        for version, exe in (found[:1] if first else found) or [(label, '-')]:
            print('%s %s' % (version, exe))
    return 0


def main(args):
    if args[:1] == ['--list']:
        return listing(args[1:])
    failed = ran = 0
    for label, found in chosen(args):
        if not found:
            print('python %-8s skipped: no such interpreter found' % label)
            continue
        for n, (version, exe) in enumerate(found):
            rc, text, log = run(version, exe, n)
            ran += 1
            what = summary(text)
            if rc == 0:
                print('python %-8s passed  %s (%s)' % (version, exe, what))
            else:
                failed += 1
                print('python %-8s FAILED  %s (%s; log %s)'
                      % (version, exe, what, log))
                sys.stdout.write(''.join(text.splitlines(True)[-40:]))
            sys.stdout.flush()
    print('python suites: %d interpreters passed, %d failed'
          % (ran - failed, failed))
    return 1 if failed or not ran else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
