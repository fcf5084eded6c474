"""Compare an asizeof implementation with pympler 1.1 on cases.py.

    python3 check.py [--module footprint.asizeof] [--golden FILE] [-v]

The module must provide asizeof(*objs, **opts), asizesof(*objs, **opts),
flatsize(obj) and basicsize(obj) with pympler.asizeof's meaning.  The
expected figures are golden-py3XY.json for the running interpreter.  Each
case is settled (cases.settle) and sized.  Prints one 'FAIL name ...' line
per case that differs and a closing 'N passed, N failed'; exit status 1 when
any case fails, 2 when there is nothing to compare with.
"""
import argparse
import importlib
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cases  # noqa: E402


def measure(impl, objs, opts):
    got = {}
    try:
        got['asizeof'] = impl.asizeof(*objs, **opts)
        got['asizesof'] = list(impl.asizesof(*objs, **opts))
        if len(objs) == 1:
            got['flatsize'] = impl.flatsize(objs[0])
            got['basicsize'] = impl.basicsize(objs[0])
    except Exception as e:  # a crash fails its case; the others still run
        got['error'] = '%s: %s' % (type(e).__name__, e)
    return got


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--module', default='footprint.asizeof')
    ap.add_argument('--golden', default=os.path.join(
        HERE, 'golden-py%d%d.json' % sys.version_info[:2]))
    ap.add_argument('-v', '--verbose', action='store_true')
    args = ap.parse_args()

    if not os.path.isfile(args.golden):
        print('check: no golden figures for Python %d.%d: %s is missing; '
              'make them with make_golden.py (see README.md)'
              % (sys.version_info[:2] + (args.golden,)), file=sys.stderr)
        return 2
    with open(args.golden, encoding='utf-8') as f:
        golden = json.load(f)['cases']
    try:
        impl = importlib.import_module(args.module)
    except ImportError as e:
        print('check: cannot import %s: %s' % (args.module, e),
              file=sys.stderr)
        return 2

    passed = failed = 0
    built = cases.build()
    for name, objs, opts in built:
        want = golden.get(name)
        if want is None:
            failed += 1
            print('FAIL %-26s no golden figures (regenerate %s)'
                  % (name, os.path.basename(args.golden)))
            continue
        cases.settle(objs)
        got = measure(impl, objs, opts)
        bad = sorted(k for k in want if got.get(k) != want[k])
        if bad or 'error' in got:
            failed += 1
            print('FAIL %-26s %s %s' % (name, ' '.join(
                '%s want %s got %s' % (k, want[k], got.get(k)) for k in bad),
                got.get('error', '')))
        else:
            passed += 1
            if args.verbose:
                print('ok   %s' % name)
    for name in sorted(set(golden) - {name for name, _, _ in built}):
        failed += 1
        print('FAIL %-26s in %s but not in cases.py (regenerate it)'
              % (name, os.path.basename(args.golden)))
    print('%d passed, %d failed' % (passed, failed))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
