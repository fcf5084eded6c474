"""C containers pympler cannot see into: xml.etree Elements are followed
through tp_traverse by default, deques (a collections type, kept at
pympler's figure by default) with traverse=True."""
import collections
import gc
import sys
import unittest
import xml.etree.ElementTree as ET

from footprint import asizeof
from support import al, flat

XML = '''<catalog id="c1">
  <book id="b1" lang="en"><title>One</title><price>10</price></book>
  <book id="b2"><title>Two</title><note>long text %s</note></book>
  <empty/>
</catalog>''' % ('x' * 500)


def parts(root):
    """Every object an Element tree holds: elements, tags, attribute dicts
    with their keys and values, texts and tails."""
    out = []
    for e in root.iter():
        out.append(e)
        out.append(e.tag)
        if e.keys():  # e.attrib would make an empty dict for the others
            out.append(e.attrib)
            out.extend(e.keys())
            out.extend(v for _, v in e.items())
        # reading text and tail joins the string lists the C parser left
        # (so size after calling this); None is referenced like any object
        out.extend((e.text, e.tail))
    return out


class ElementTreeTest(unittest.TestCase):
    def test_whole_tree_with_traverse(self):
        root = ET.fromstring(XML)
        self.assertEqual(ET.Element.__module__, 'xml.etree.ElementTree')
        self.assertEqual(type(root).__module__, 'xml.etree.ElementTree')
        expected = flat(*parts(root))
        self.assertEqual(asizeof.asizeof(root, traverse=True), expected)
        # a heap type's traverse (Element's since 3.12) also reports the
        # class, which sizing leaves out as code
        held = [o for o in gc.get_referents(root) if not isinstance(o, type)]
        self.assertEqual(asizeof.asizeof(root, traverse=True, limit=1),
                         flat(root, *held))
        self.assertEqual(sum(1 for _ in root.iter()), 8)

    def test_whole_tree_by_default(self):
        root = ET.fromstring(XML)
        # pympler sees no referents in a C Element and stops at the root;
        # footprint follows any C type outside builtins and collections
        expected = flat(*parts(root))  # first: it joins the text lists
        self.assertGreater(expected, al(sys.getsizeof(root)))
        self.assertEqual(asizeof.asizeof(root), expected)

    def test_tree_detail(self):
        root = ET.fromstring(XML)
        t = asizeof.asized(root, traverse=True, detail=2)
        self.assertEqual(t.size, asizeof.asizeof(root, traverse=True))
        names = [r.name for r in t.refs]
        self.assertIn("'catalog'", names)
        self.assertIn("{'id': 'c1'}", names)
        books = [r for r in t.refs if r.name.startswith('<xml.etree')]
        self.assertEqual(len(books), 3)


class DequeTest(unittest.TestCase):
    def test_items(self):
        items = [str(i) * 20 for i in range(300)]
        dq = collections.deque(items)
        self.assertEqual(asizeof.asizeof(dq, traverse=True), flat(dq, *items))
        self.assertEqual(asizeof.asizeof(dq), flat(dq))


if __name__ == '__main__':
    unittest.main()
