"""Builds footprint._core: SWIG output of swig/python.i, the CPython
adapter (this directory's *.c) and the core library (core/*.c), compiled
straight into one extension, so `pip install` needs no make and no network
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
    """Copy the core's sources into the build directory (setuptools keeps
    object files beside relative sources, and rejects absolute ones), run
    SWIG there, then compile as usual."""

    def run(self):
        swig = shutil.which(os.environ.get('SWIG', 'swig'))
        if not swig:
            raise SystemExit('footprint: swig is needed (apt-get install swig)')
        src = os.path.join(self.build_temp, 'src')
        core = os.path.join(src, 'core')
        os.makedirs(core, exist_ok=True)
        copied = []
        for f in sorted(glob.glob(os.path.join(ROOT, 'core', '*.[ch]'))):
            shutil.copy2(f, core)
            if f.endswith('.c'):
                copied.append(os.path.join(core, os.path.basename(f)))
        wrap = os.path.join(src, 'footprint_wrap.c')
        subprocess.check_call([
            swig, '-python', '-builtin', '-I' + core, '-I' + HERE,
            '-outdir', src, '-o', wrap,
            os.path.join(ROOT, 'swig', 'python.i')])
        for ext in self.extensions:
            ext.sources.extend(copied + [wrap])
            ext.include_dirs.insert(0, core)
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
