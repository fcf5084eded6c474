"""Stats, dumps and reports of a ClassTracker: pympler's text layout,
dumps read back by Stats and by the footprint command line, and the
core's HTML page."""
import io
import os
import shutil
import subprocess
import tempfile
import unittest

from footprint import _core
from footprint.classtracker import ClassTracker
from footprint.classtracker_stats import (ConsoleStats, HtmlStats, Stats,
                                          create_diff_html)

from tracker_support import fresh_classes, summary_text

HERE = os.path.dirname(os.path.abspath(__file__))
# made by `make` (mk/cli.mk); pytest-py depends on it
CLI = os.environ.get('FOOTPRINT_CLI',
                     os.path.join(HERE, '..', '..', 'build', 'footprint'))


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def run_cli(*args):
    p = subprocess.run([CLI] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode('utf-8'), p.stderr.decode('utf-8')


class FilesTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.mkdtemp(prefix='fp-tracker-')

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.dir)

    def setUp(self):
        self.Node, self.File, self.Dir, self.Plain = fresh_classes()
        t = self.t = ClassTracker()
        t.track_class(self.Node, name='SCons.Node.Node')
        t.track_class(self.File, name='SCons.Node.FS.File',
                      resolution_level=2, trace=True)
        t.track_class(self.Dir, name='SCons.Node.FS.Dir')

        class Entry(self.Node):
            __slots__ = ()
        t.track_class(Entry, name='SCons.Node.FS.Entry')
        self.keep = [self.File('f%d' % i, size=i * 10) for i in range(8)]
        self.keep += [self.Dir('d%d' % i) for i in range(3)]
        t.create_snapshot('before reading SConscript files:')
        self.keep += [self.Node('n%d' % i, size=500) for i in range(5)]
        del self.keep[:2]
        t.create_snapshot('after reading SConscript files:')
        self.keep[-1].__class__ = Entry  # renamed: in every snapshot
        del self.keep[3]
        t.create_snapshot('a description far longer than thirty-five '
                          'characters')

    def tearDown(self):
        self.t.clear()

    def path(self, name):
        return os.path.join(self.dir, name)

    def summary(self, stats):
        out = io.StringIO()
        stats.stream = out
        stats.print_summary()
        return out.getvalue()

    def test_print_summary_is_pymplers_layout(self):
        stats = ConsoleStats(tracker=self.t)
        text = self.summary(stats)
        self.assertEqual(text, summary_text(stats))
        lines = text.splitlines()
        self.assertEqual(len(lines), 2 + 3 * (1 + 4))
        self.assertTrue(lines[1].startswith('before reading SConscript'))
        self.assertTrue(lines[-6].startswith(
            'a description far longer than th...'))

    def test_summary_figures(self):
        stats = Stats(tracker=self.t)
        snaps = stats.snapshots
        got = [(name, stats.annotate_snapshot(s)[name]['active'])
               for s in snaps for name in stats.tracked_classes]
        # the morphed node counts as an Entry in every snapshot: a
        # tracked object has one class
        self.assertEqual(got, [
            ('SCons.Node.FS.Dir', 3), ('SCons.Node.FS.Entry', 0),
            ('SCons.Node.FS.File', 8), ('SCons.Node.Node', 0),
            ('SCons.Node.FS.Dir', 3), ('SCons.Node.FS.Entry', 1),
            ('SCons.Node.FS.File', 6), ('SCons.Node.Node', 4),
            ('SCons.Node.FS.Dir', 3), ('SCons.Node.FS.Entry', 1),
            ('SCons.Node.FS.File', 5), ('SCons.Node.Node', 4)])
        for s in snaps:
            c = stats.annotate_snapshot(s)
            self.assertEqual(sum(v['sum'] for v in c.values()),
                             s.tracked_total)

    def test_dump_round_trip(self):
        live = ConsoleStats(tracker=self.t)
        live.dump_stats(self.path('rt.dat'))
        loaded = ConsoleStats(filename=self.path('rt.dat'))
        self.assertEqual(self.summary(loaded), self.summary(live))
        for keys in [(), ('size',), ('classname', 'birth'), ('repr',)]:
            a, b = io.StringIO(), io.StringIO()
            live.stream, loaded.stream = a, b
            live.sort_stats(*keys).print_stats(limit=100)
            loaded.sort_stats(*keys).print_stats(limit=100)
            self.assertEqual(a.getvalue(), b.getvalue())
            self.assertTrue(a.getvalue())

        def rows(stats):
            return [(name, o.id, o.birth, o.death, o.repr, o.trace,
                     [(ts, a.size, a.flat) for ts, a in o.snapshots])
                    for name, lst in sorted(stats.index.items())
                    for o in lst]
        self.assertEqual(rows(loaded), rows(live))
        self.assertEqual(
            [(s.desc, s.timestamp, s.tracked_total, s.overhead, s.total)
             for s in loaded.snapshots],
            [(s.desc, s.timestamp, s.tracked_total, s.overhead, s.total)
             for s in live.snapshots])

    def test_dump_to_file_objects(self):
        buf = io.BytesIO()
        Stats(tracker=self.t).dump_stats(buf, close=False)
        data = buf.getvalue()
        self.assertEqual(data[:4], _core.Tracker().dump_bytes()[:4])
        stats = ConsoleStats()
        stats.load_stats(io.BytesIO(data))
        self.assertEqual(self.summary(stats),
                         self.summary(ConsoleStats(tracker=self.t)))
        with open(self.path('fo.dat'), 'wb') as f:
            Stats(tracker=self.t).dump_stats(f)
            self.assertTrue(f.closed)
        self.assertEqual(read(self.path('fo.dat')), data)

    def test_bad_dumps(self):
        with open(self.path('junk.dat'), 'wb') as f:
            f.write(b'not a footprint dump at all')
        with self.assertRaises(_core.Error):
            Stats(filename=self.path('junk.dat'))
        Stats(tracker=self.t).dump_stats(self.path('cut.dat'))
        data = read(self.path('cut.dat'))
        with self.assertRaises(_core.Error):
            Stats().load_stats(io.BytesIO(data[:len(data) // 2]))
        with self.assertRaises(OSError):
            Stats(filename=self.path('missing.dat'))

    def test_cli_reads_python_dump(self):
        Stats(tracker=self.t).dump_stats(self.path('cli.dat'))
        rc, out, err = run_cli('summary', self.path('cli.dat'))
        self.assertEqual((rc, err), (0, ''))
        self.assertEqual(out, self.summary(ConsoleStats(tracker=self.t)))
        rc, out, err = run_cli('stats', self.path('cli.dat'), '--class',
                               'File')
        self.assertEqual(rc, 0)
        self.assertEqual(out.count('SCons.Node.FS.File'), 8)

    def test_html_is_the_cores_page(self):
        HtmlStats(tracker=self.t).create_html(self.path('live.html'),
                                              title='tracker <test>')
        Stats(tracker=self.t).dump_stats(self.path('page.dat'))
        HtmlStats(filename=self.path('page.dat')).create_html(
            self.path('loaded.html'), title='tracker <test>')
        rc, _, err = run_cli('html', self.path('page.dat'), '--title',
                             'tracker <test>', '-o', self.path('cli.html'))
        self.assertEqual((rc, err), (0, ''))
        live = read(self.path('live.html'))
        self.assertEqual(read(self.path('cli.html')), live)
        self.assertEqual(read(self.path('loaded.html')), live)
        text = live.decode('utf-8')
        self.assertIn('tracker &lt;test&gt;', text)
        self.assertIn('<svg', text)
        for name in ('SCons.Node.FS.File', 'SCons.Node.FS.Dir'):
            self.assertIn(name, text)
        with self.assertRaises(TypeError):
            HtmlStats(tracker=self.t).create_html(self.path('x.html'),
                                                  bogus=1)

    def test_diff_page(self):
        Stats(tracker=self.t).dump_stats(self.path('old.dat'))
        self.keep += [self.File('new%d' % i) for i in range(4)]
        self.t.create_snapshot('later')
        Stats(tracker=self.t).dump_stats(self.path('new.dat'))
        create_diff_html(self.path('old.dat'), self.path('new.dat'),
                         self.path('diff.html'), title='diff')
        rc, _, err = run_cli('html', self.path('old.dat'),
                             self.path('new.dat'), '--title', 'diff', '-o',
                             self.path('diff-cli.html'))
        self.assertEqual(rc, 0, err)
        self.assertEqual(read(self.path('diff.html')),
                         read(self.path('diff-cli.html')))

    def test_sort_orders_are_per_stats(self):
        a = ConsoleStats(tracker=self.t, stream=io.StringIO())
        b = ConsoleStats(tracker=self.t, stream=io.StringIO())
        a.sort_stats('size')
        b.sort_stats('birth').reverse_order()
        sizes = [o.get_max_size() for o in a.sorted]
        self.assertEqual(sizes, sorted(sizes, reverse=True))
        births = [o.birth for o in b.sorted]
        self.assertEqual(births, sorted(births, reverse=True))
        with self.assertRaises(ValueError):
            a.sort_stats('bogus')

    def test_print_stats_filter_and_limit(self):
        stats = ConsoleStats(tracker=self.t, stream=io.StringIO())
        stats.print_stats(clsname='Dir', limit=100)
        text = stats.stream.getvalue()
        heads = [l for l in text.splitlines() if l.startswith('SCons')]
        self.assertEqual(len(heads), 3)
        self.assertTrue(all(h.startswith('SCons.Node.FS.Dir') for h in heads))
        stats.stream = io.StringIO()
        stats.print_stats(limit=0.5)  # half of all objects
        heads = [l for l in stats.stream.getvalue().splitlines()
                 if l.startswith('SCons')]
        self.assertEqual(len(heads), len(stats.sorted) // 2)


if __name__ == '__main__':
    unittest.main()
