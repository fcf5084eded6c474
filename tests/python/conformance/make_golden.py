"""Write pympler 1.1's figures for the cases of cases.py.

    python3 make_golden.py PYMPLER_CHECKOUT [-o FILE]
    PYMPLER_PATH=PYMPLER_CHECKOUT python3 make_golden.py

PYMPLER_CHECKOUT is a source checkout of pympler 1.1 (the folder holding
the `pympler` package); pympler is not a dependency of footprint and is
imported from there only.  Writes golden-py3XY.json for the running
interpreter beside this file (or to FILE, '-' for stdout).

Each case is settled (cases.settle), sized once so that pympler makes
whatever it makes on first contact, then sized for the record.  The
script fails when that first pass changed a reachable object that settle()
left alone: the figures would then describe a state check.py cannot
reproduce.
"""
import argparse
import gc
import json
import os
import platform
import sys
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases  # noqa: E402

REFERENCE_VERSION = '1.1'


def load_pympler(path):
    path = os.path.abspath(path)
    if not os.path.isfile(os.path.join(path, 'pympler', 'asizeof.py')):
        sys.exit('make_golden: %s is not a pympler checkout '
                 '(no pympler/asizeof.py)' % path)
    sys.path.insert(0, path)
    import pympler
    from pympler import asizeof
    found = os.path.dirname(os.path.abspath(pympler.__file__))
    if found != os.path.join(path, 'pympler'):
        sys.exit('make_golden: pympler was imported from %s, not from %s'
                 % (pympler.__file__, path))
    if pympler.__version__ != REFERENCE_VERSION:
        sys.exit('make_golden: pympler %s found, the goldens are of pympler %s'
                 % (pympler.__version__, REFERENCE_VERSION))
    return pympler, asizeof


def referents(objs):
    """id -> ids of referents, for what settle() walks.

    Generators are left out: pympler reads gi_frame.f_locals, which makes a
    frame object and a dict that footprint deliberately does not make (it
    counts the dict such a read would make, docs/python.md)."""
    out = {}
    for o in cases._reachable(objs):
        if isinstance(o, (type, types.FrameType, types.GeneratorType)):
            continue
        out[id(o)] = [id(r) for r in gc.get_referents(o)]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('pympler', nargs='?',
                    default=os.environ.get('PYMPLER_PATH'),
                    help='pympler 1.1 checkout (default: $PYMPLER_PATH)')
    ap.add_argument('-o', '--output', default=os.path.join(
        HERE, 'golden-py%d%d.json' % sys.version_info[:2]))
    args = ap.parse_args()
    if not args.pympler:
        ap.error('name a pympler 1.1 checkout (argument or PYMPLER_PATH)')
    pympler, asizeof = load_pympler(args.pympler)

    out = {'python': platform.python_version(), 'machine': platform.machine(),
           'reference': 'pympler %s (asizeof %s)'
                        % (pympler.__version__, asizeof.__version__),
           'cases': {}}
    unsettled = []
    for name, objs, opts in cases.build():
        if name in out['cases']:
            sys.exit('make_golden: case %s defined twice' % name)
        cases.settle(objs)
        before = referents(objs)
        asizeof.asizeof(*objs, **opts)
        after = referents(objs)
        if any(after.get(i, refs) != refs for i, refs in before.items()):
            unsettled.append(name)
        case = {'asizeof': asizeof.asizeof(*objs, **opts),
                'asizesof': list(asizeof.asizesof(*objs, **opts))}
        if len(objs) == 1:
            case['flatsize'] = asizeof.flatsize(objs[0])
            case['basicsize'] = asizeof.basicsize(objs[0])
        out['cases'][name] = case
    if unsettled:
        sys.exit('make_golden: pympler changed objects that settle() '
                 'left alone in: %s' % ', '.join(unsettled))

    text = json.dumps(out, indent=1, sort_keys=True) + '\n'
    if args.output == '-':
        sys.stdout.write(text)
    else:
        with open(args.output, 'w', encoding='utf-8') as f:
            f.write(text)
        print('make_golden: %d cases, python %s, written to %s'
              % (len(out['cases']), out['python'], args.output))
    return 0


if __name__ == '__main__':
    sys.exit(main())
