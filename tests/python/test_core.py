"""footprint._core: the SWIG layer over the core library."""
import os
import unittest

import footprint
from footprint import _core


class VersionTest(unittest.TestCase):
    def test_core_matches_binding(self):
        self.assertEqual(_core.version(), _core.FP_VERSION_NUMBER)
        self.assertEqual(
            _core.FP_VERSION_NUMBER,
            _core.FP_VERSION_MAJOR * 10000 + _core.FP_VERSION_MINOR * 100 +
            _core.FP_VERSION_PATCH)
        self.assertEqual(footprint.__version__, _core.FP_VERSION_STRING)

    def test_mismatch_is_refused(self):
        self.assertIsNone(_core.check_version(_core.FP_VERSION_NUMBER))
        with self.assertRaises(_core.VersionError) as cm:
            _core.check_version(_core.FP_VERSION_NUMBER + 1)
        self.assertEqual(cm.exception.status, _core.FP_EVERSION)
        self.assertEqual(cm.exception.name, 'FP_EVERSION')


class StatusTest(unittest.TestCase):
    def codes(self):
        return {n: getattr(_core, n) for n in dir(_core)
                if n.startswith('FP_E') and isinstance(getattr(_core, n), int)}

    def test_every_code_has_an_exception_class(self):
        codes = self.codes()
        self.assertIn('FP_ENOMEM', codes)
        self.assertEqual(_core.FP_OK, 0)
        for name, value in codes.items():
            cls = getattr(_core, name[4].upper() + name[5:].lower() + 'Error')
            self.assertTrue(issubclass(cls, _core.Error), name)
            self.assertEqual(_core.status_name(value), name)
            self.assertNotEqual(_core.strerror(value), 'unknown status')

    def test_builtin_bases(self):
        self.assertTrue(issubclass(_core.NomemError, MemoryError))
        self.assertTrue(issubclass(_core.InvalError, ValueError))
        self.assertTrue(issubclass(_core.IoError, OSError))
        self.assertTrue(issubclass(_core.NotfoundError, LookupError))
        self.assertIs(footprint.Error, _core.Error)

    def test_unknown_status(self):
        self.assertEqual(_core.strerror(12345), 'unknown status')
        self.assertEqual(_core.status_name(-1), 'FP_UNKNOWN')

    def test_status_becomes_exception(self):
        s = _core.Sizer()
        with self.assertRaises(_core.InvalError) as cm:
            s.set_options(3, 100, 0, 1, 0, 0, 0, 80, 0)  # align 3
        self.assertEqual(cm.exception.status, _core.FP_EINVAL)
        with self.assertRaises(ValueError):
            s.size(object())  # neither tuple nor list


class FormatTest(unittest.TestCase):
    def test_sizes_as_pympler_prints(self):
        self.assertEqual(_core.format_size(100), ' 100     B')
        self.assertEqual(_core.format_size(1024), '1024     B')
        self.assertEqual(_core.format_size(2048), '   2.00 KB')
        self.assertEqual(footprint.format_size(3 * 1024 ** 2),
                         '   3.00 MB')

    def test_time(self):
        self.assertEqual(_core.format_time(3725.5), '01:02:05.50')


class ProcmemTest(unittest.TestCase):
    def test_own_process(self):
        m = footprint.procmem()
        self.assertEqual(set(m), {'vsize', 'rss', 'peak_rss'})
        with open('/proc/self/statm') as f:
            pages = int(f.read().split()[1])
        rss = pages * os.sysconf('SC_PAGE_SIZE')
        self.assertGreater(m['rss'], 0)
        self.assertLess(abs(m['rss'] - rss), 64 * 1024 * 1024)
        self.assertGreaterEqual(m['vsize'], m['rss'])
        self.assertGreaterEqual(m['peak_rss'], m['rss'] // 2)


if __name__ == '__main__':
    unittest.main()
