"""Interpreters the adapter cannot read are refused with the reason, by
the build (footprint/_supported.py run as a script) and by import, and an
interpreter without its extension is told how to build it."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
PKG_PARENT = os.path.join(os.path.dirname(os.path.dirname(HERE)),
                          'bindings', 'python')
PKG = os.path.join(PKG_PARENT, 'footprint')
HEADER = os.path.join(PKG_PARENT, 'pyversion.h')


def run_as(version, code, path=PKG_PARENT):
    """Run code in a fresh interpreter that reports version as its own."""
    prelude = ('import sys; sys.version_info = %r; sys.path.insert(0, %r)\n'
               % (version, path))
    return subprocess.run([sys.executable, '-c', prelude + code],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          universal_newlines=True)


class RefusedTest(unittest.TestCase):
    def test_import_refuses_other_versions(self):
        for version, name in (((3, 9, 18, 'final', 0), '3.9'),
                              ((3, 14, 0, 'final', 0), '3.14')):
            r = run_as(version, 'import footprint')
            self.assertNotEqual(r.returncode, 0)
            self.assertIn('ImportError: footprint supports CPython 3.10 to '
                          '3.13; this is CPython %s' % name, r.stderr)
            # refused before any extension is loaded
            self.assertNotIn('_core', r.stderr)

    def test_build_refuses_other_versions(self):
        script = ('import runpy; runpy.run_path(%r, run_name="__main__")'
                  % os.path.join(PKG, '_supported.py'))
        r = run_as((3, 9, 0, 'final', 0), script)
        self.assertEqual(r.returncode, 1)
        self.assertIn('footprint supports CPython 3.10 to 3.13; this is '
                      'CPython 3.9 (build with make PYTHON=', r.stderr)
        ok = run_as(tuple(sys.version_info), script)
        self.assertEqual((ok.returncode, ok.stderr), (0, ''))

    def test_bounds_agree_with_the_compiler(self):
        sys.path.insert(0, PKG)
        try:
            import _supported
        finally:
            sys.path.remove(PKG)
        with open(HEADER) as f:
            text = f.read()
        first = int(re.search(r'#define FPV_FIRST_HEX (0x[0-9A-F]+)',
                              text).group(1), 16)
        past = int(re.search(r'#define FPV_PAST_HEX (0x[0-9A-F]+)',
                             text).group(1), 16)
        self.assertEqual(((first >> 24) & 0xff, (first >> 16) & 0xff),
                         _supported.FIRST)
        self.assertEqual(((past >> 24) & 0xff, ((past >> 16) & 0xff) - 1),
                         _supported.LAST)


class NotBuiltTest(unittest.TestCase):
    def test_names_the_make_command(self):
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(PKG, os.path.join(tmp, 'footprint'),
                            ignore=shutil.ignore_patterns('_core*', '*.so',
                                                          '__pycache__'))
            r = run_as(tuple(sys.version_info), 'import footprint', tmp)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn('footprint._core is not built for this interpreter',
                      r.stderr)
        self.assertIn('make PYTHON=%s python-ext' % sys.executable, r.stderr)


if __name__ == '__main__':
    unittest.main()
