"""Builds footprint._core: SWIG output of swig/python.i, the CPython
adapter (this directory's *.c), the core library (core/*.c) and the HTML
report built on it (report/*.c), compiled straight into one extension, so `pip install` needs no make and no network
(swig, a C compiler, xxhash.h and the Python headers: make deps installs
them on Debian).  Build from a checkout: the sources live two levels up."""
import glob
import os
import re
import shutil
import subprocess

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, '..', '..'))
os.chdir(HERE)  # sources are given relative to this directory


def version():
    with open(os.path.join(ROOT, 'core', 'footprint.h')) as f:
        return re.search(r'#define FP_VERSION_STRING "([^"]+)"',
                         f.read()).group(1)


class BuildWithSwig(build_ext):
    """Copy the core's and the report's sources into the build directory
    (setuptools keeps object files beside relative sources, and rejects
    absolute ones), run SWIG there, then compile as usual."""

    def run(self):
        swig = shutil.which(os.environ.get('SWIG', 'swig'))
        if not swig:
            raise SystemExit('footprint: swig is needed (apt-get install swig)')
        src = os.path.join(self.build_temp, 'src')
        copied, dirs = [], []
        for part in ('core', 'report'):
            dst = os.path.join(src, part)
            os.makedirs(dst, exist_ok=True)
            dirs.append(dst)
            for f in sorted(glob.glob(os.path.join(ROOT, part, '*.[ch]'))):
                shutil.copy2(f, dst)
                if f.endswith('.c'):
                    copied.append(os.path.join(dst, os.path.basename(f)))
        core = dirs[0]
        wrap = os.path.join(src, 'footprint_wrap.c')
        subprocess.check_call([
            swig, '-python', '-builtin', '-I' + core, '-I' + HERE,
            '-outdir', src, '-o', wrap,
            os.path.join(ROOT, 'swig', 'python.i')])
        for ext in self.extensions:
            ext.sources.extend(copied + [wrap])
            ext.include_dirs[:0] = dirs
        super().run()


setup(
    version=version(),
    ext_modules=[Extension(
        'footprint._core',
        sources=sorted(glob.glob('*.c')),
        include_dirs=['.'],
        define_macros=[('_POSIX_C_SOURCE', '200809L'),
                       ('GCC_HASCLASSVISIBILITY', None)],
        extra_compile_args=['-std=c11', '-fvisibility=hidden'],
    )],
    cmdclass={'build_ext': BuildWithSwig},
)
