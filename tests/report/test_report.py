#!/usr/bin/env python3
"""test_report.py - the HTML report, read as a machine and as a browser.

    test_report.py MKREPORT FOOTPRINT OUTDIR

MKREPORT (tests/report/mkreport.c) writes into OUTDIR a realistic run's
report.html, a diff.html against a heavier run, census.html (the same run
with a census of the heap by type in three snapshots), and expected.json
with the figures the tracker's own API gives and the censuses as given.  The tests parse both pages with an
XML parser (well-formedness), check every chart's series against those
figures, check that hostile strings from the "measured program" appear
only as text and that nothing points outside the page, then load the pages
in Debian's headless Chromium: a screenshot that is not blank, the DOM
after scripts ran, and no console error; the census page's screenshot is
kept as OUTDIR/heap_by_type.png to look at.  FOOTPRINT (the CLI) must
draw the same pages from the runs' dumps.

Python standard library only.  Ends with "N passed, N failed".
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import png  # noqa: E402

HOSTILE = "</script><script>alert(1)"
BOLD = "<b>&\"'"
EVIL_CLASS = "Evil" + HOSTILE
BOLD_CLASS = BOLD + "Bold"
TITLE = "SCons build " + BOLD + " " + HOSTILE
CENSUS_TITLE = "SCons build with a census"
HOSTILE_TYPE = "Evil<script>alert(2)</script>&Co"
TYPE_SERIES = 8  # report_census.c: types drawn over time

TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Page:
    def __init__(self, path):
        with open(path, "rb") as f:
            self.raw = f.read()
        self.text = self.raw.decode("utf-8")  # strict: invalid UTF-8 fails
        self.root = ET.fromstring(self.text)  # the doctype stays: expat reads it
        self.ids = {e.get("id"): e for e in self.root.iter() if e.get("id")}

    def by_id(self, ident):
        e = self.ids.get(ident)
        assert e is not None, "no element with id %r" % ident
        return e


def text_of(e):
    return "".join(e.itertext())


def charts(root, kind=None):
    return [s for s in root.iter("svg") if kind is None or s.get("data-chart") == kind]


def series(svg, name):
    return [e for e in svg.iter() if e.get("data-series") == name]


def points(d):
    """(x, y) pairs of a path made of M/L commands."""
    nums = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return list(zip(nums[0::2], nums[1::2]))


UNITS = {"B": 1, "KB": 1024, "MB": 1024 ** 2, "GB": 1024 ** 3}


def parse_size(s):
    m = re.match(r"\s*([+\u2212-]?)([\d.]+)\s*(B|KB|MB|GB)\s*$", s)
    assert m, "not a size: %r" % s
    v = float(m.group(2)) * UNITS[m.group(3)]
    return -v if m.group(1) in ("-", "\u2212") else v


def peaks(run):
    """Class name -> largest bytes in one snapshot."""
    out = {}
    for snap in run["snapshots"]:
        for name, c in snap["classes"].items():
            out[name] = max(out.get(name, 0), c["sum"])
    return out


# ---- structure ---------------------------------------------------------------


@test
def well_formed_pages(ctx):
    for page in (ctx.report, ctx.diff, ctx.census):
        assert page.root.tag == "html", page.root.tag
        assert page.text.startswith("<!DOCTYPE html>\n")
        head = page.root.find("head")
        metas = {m.get("name") or m.get("http-equiv") or "charset": m for m in head.iter("meta")}
        assert metas["charset"].get("charset") == "utf-8"
        assert "width=device-width" in metas["viewport"].get("content")
        assert "default-src 'none'" in metas["Content-Security-Policy"].get("content")
        style = head.find("style").text
        assert "@media print" in style and "@media (max-width:600px)" in style
    assert text_of(ctx.report.root.find("head/title")) == TITLE
    assert text_of(ctx.census.root.find("head/title")) == CENSUS_TITLE


ALLOWED_TAGS = set("""html head meta title style body header div h1 h2 h3 h4 p nav a
    main section figure svg g line text path circle rect figcaption ul li span ol
    table thead tbody tfoot tr th td b code pre dl dt dd br article footer
    script""".split())


@test
def only_expected_elements(ctx):
    for page in (ctx.report, ctx.diff, ctx.census):
        tags = {e.tag for e in page.root.iter()}
        assert tags <= ALLOWED_TAGS, tags - ALLOWED_TAGS
        scripts = list(page.root.iter("script"))
        assert len(scripts) == 1, "%d script elements" % len(scripts)
        assert "alert" not in scripts[0].text
        # a <b> from "<b>&\"'" in the data would start with &"'
        for b in page.root.iter("b"):
            assert not text_of(b).startswith("&\"'"), "injected <b>"


@test
def no_external_reference(ctx):
    for page in (ctx.report, ctx.diff, ctx.census):
        low = page.text.lower()
        assert "http:" not in low and "https:" not in low and "ftp:" not in low
        # the script's CDATA markers are the only "//" in the page
        without_script = re.sub(r"<script>.*?</script>", "", page.text, flags=re.S)
        assert "//" not in without_script
        assert "url(" not in low and "@import" not in low
        for e in page.root.iter():
            for k, v in e.attrib.items():
                if k in ("href", "xlink:href"):
                    assert v.startswith("#"), "%s=%r" % (k, v)
                assert k != "src" or v.startswith("data:"), "%s=%r" % (k, v)
                assert "javascript:" not in v.lower()
                assert not k.startswith("on"), "event handler attribute %s" % k
            if e.tag == "a":
                assert e.get("href", "#").startswith("#")


@test
def fragment_links_resolve(ctx):
    for page in (ctx.report, ctx.diff, ctx.census):
        for e in page.root.iter("a"):
            target = e.get("href")[1:]
            assert target in page.ids, "dangling link #%s" % target


# ---- escaping ------------------------------------------------------------------


@test
def hostile_strings_are_text(ctx):
    r = ctx.report
    assert "<script>alert" not in r.text and "<b>&" not in r.text
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in r.text
    # the parser gives the strings back verbatim: they were shown as text
    h1 = r.root.find("body/header/div/h1")
    assert text_of(h1) == TITLE
    headings = [text_of(h) for h in r.root.iter("h3")]
    assert EVIL_CLASS in headings and BOLD_CLASS in headings
    assert any(h.startswith("Snapshot 4: after building " + BOLD + " targets: " + HOSTILE)
               for h in headings), headings
    reprs = [text_of(dd) for dd in r.root.iter("dd") if dd.get("class") == "repr"]
    assert sum(1 for t in reprs if t.startswith(HOSTILE + " #")) == 5
    traces = [text_of(p) for p in r.root.iter("pre")]
    assert any(HOSTILE in t for t in traces)
    # class names inside SVG: attributes, bar labels (cut to their end) and
    # tooltips
    assert EVIL_CLASS in [s.get("aria-label") for s in charts(r.root, "lifetime")]
    labels = [text_of(t) for t in ctx.diff.root.iter("text") if t.get("class") == "lbl"]
    titles = [text_of(t) for t in ctx.diff.root.iter("title")]
    assert any(t.startswith("\u2026") and EVIL_CLASS.endswith(t[1:]) and "<script>" in t
               for t in labels), labels
    assert any(t.startswith(EVIL_CLASS + ": ") for t in titles)


@test
def invalid_utf8_and_controls_replaced(ctx):
    r = ctx.report
    bold = [text_of(dd) for dd in r.root.iter("dd")
            if dd.get("class") == "repr" and text_of(dd).startswith(BOLD)]
    assert len(bold) == 5, bold
    for t in bold:
        assert "bad utf-8 \ufffd\ufffd ctl \ufffd #" in t, repr(t)
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", r.text)


# ---- charts ---------------------------------------------------------------------


@test
def every_chart_is_svg_with_series(ctx):
    r = ctx.report
    nclasses = len(ctx.exp["before"]["classes"])
    kinds = [s.get("data-chart") for s in charts(r.root)]
    assert kinds.count("timeline") == 1
    assert kinds.count("bars") == 4
    assert kinds.count("lifetime") == nclasses
    for s in charts(r.root):
        assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", s.get("viewBox")), s.get("viewBox")
        assert s.get("role") == "img" and s.get("aria-label")
        assert any(e.get("data-series") for e in s.iter()), "chart without series"
    for s in charts(r.root, "lifetime"):
        live = series(s, "live")
        assert len(live) == 1 and len(live[0].find("path").get("d")) > 20
        assert len(series(s, "snapshot")) == 4


@test
def timeline_stacks_top_classes(ctx):
    exp, top = ctx.exp["before"], ctx.exp["top_classes"]
    svg = charts(ctx.report.root, "timeline")[0]
    pk = peaks(exp)
    want = sorted((n for n in pk if pk[n]), key=lambda n: (-pk[n], exp["classes"][n]["index"]))
    areas = series(svg, "class")
    assert [a.get("data-class") for a in areas] == want[:top]
    assert len(series(svg, "other")) == (1 if len(want) > top else 0)
    assert len(series(svg, "total")) == 1 and len(series(svg, "rss")) == 1
    assert not series(svg, "host")  # no host total was given
    assert len(series(svg, "snapshot")) == len(exp["snapshots"])
    # each area is a band over every snapshot: top edge, then bottom edge
    n = len(exp["snapshots"])
    bands = areas + series(svg, "other")
    for a in bands:
        assert len(points(a.get("d"))) == 2 * n, a.get("d")
    # stacked bands sit on each other and end on the tracked total line
    for lower, upper in zip(bands, bands[1:]):
        top_edge = points(lower.get("d"))[:n]
        bottom_edge = points(upper.get("d"))[n:][::-1]
        for (x1, y1), (x2, y2) in zip(top_edge, bottom_edge):
            assert abs(x1 - x2) < 0.11 and abs(y1 - y2) < 0.11
    total = points(series(svg, "total")[0].find("path").get("d"))
    for (x1, y1), (x2, y2) in zip(points(bands[-1].get("d"))[:n], total):
        assert abs(x1 - x2) < 0.11 and abs(y1 - y2) < 0.25, ((x1, y1), (x2, y2))
    # higher total, higher line (SVG y grows downwards)
    totals = [s["tracked_total"] for s in exp["snapshots"]]
    for i in range(n):
        for j in range(n):
            if totals[i] > totals[j]:
                assert total[i][1] < total[j][1]


@test
def snapshot_tables_match_tracker(ctx):
    exp, top = ctx.exp["before"], ctx.exp["top_classes"]
    for k, snap in enumerate(exp["snapshots"]):
        sec = ctx.report.by_id("s%d" % (k + 1))
        rows = sec.find(".//table/tbody").findall("tr")
        seen = {}
        for tr in rows:
            td = tr.findall("td")
            seen[text_of(td[0])] = (int(td[1].get("data-v")), int(td[2].get("data-v")))
        want = {n: (c["active"], c["sum"]) for n, c in snap["classes"].items()
                if c["active"] or c["sum"]}
        assert seen == want, (k, seen, want)
        sums = [v[1] for v in seen.values()]
        assert sums == sorted(sums, reverse=True), "rows not largest first"
        bars = series(charts(sec, "bars")[0], "bar")
        nonzero = [c["sum"] for c in snap["classes"].values() if c["sum"]]
        assert len(bars) == min(top, len(nonzero)) + (len(nonzero) > top)
        widths = [float(b.find("rect").get("width")) for b in bars[:min(top, len(nonzero))]]
        assert widths == sorted(widths, reverse=True)


@test
def class_sections(ctx):
    exp = ctx.exp["before"]
    for name, c in exp["classes"].items():
        art = ctx.report.by_id("c%d" % c["index"])
        assert art.tag == "article" and text_of(art.find("h3")) == name
        summary = text_of(art.find("p"))
        assert summary.startswith("%d instance" % c["count"]), summary
        assert " %d alive," % c["alive"] in summary, summary
        cards = [d for d in art.iter("div") if d.get("class") == "inst"]
        assert len(cards) == min(c["count"], ctx.exp["top_instances"])
        sizes = [parse_size(text_of(card.find("dl/dd/b"))) for card in cards]
        assert sizes == sorted(sizes, reverse=True), sizes


def referent_rows(table):
    out = []
    for tr in table.find("tbody").findall("tr"):
        td = tr.findall("td")
        pad = re.search(r"padding-left:(\d+)px", td[0].get("style") or "")
        out.append((text_of(td[0]), int(pad.group(1)) if pad else 0,
                    [text_of(x) for x in td[1:]]))
    return out


@test
def coalesced_referents(ctx):
    exp = ctx.exp["before"]
    file_cls = exp["classes"]["SCons.Node.FS.File"]
    art = ctx.report.by_id("c%d" % file_cls["index"])
    table = [t for t in art.iter("table") if t.get("class") == "refs"][0]
    rows = referent_rows(table)
    names = [r[0] for r in rows]
    assert names[0] == "all instances with detail"
    assert {".name", ".abspath", ".sources"} <= set(names), names
    assert ".dir" not in names  # the directory is tracked itself: excluded
    # level 2: list items under .sources, one level deeper
    src = names.index(".sources")
    assert rows[src + 1][0].startswith("[") and rows[src + 1][1] > rows[src][1]
    # every File has detail, so the merged root is the class's total
    snap_tables = {}
    for k, snap in enumerate(exp["snapshots"]):
        sec = ctx.report.by_id("s%d" % (k + 1))
        for tr in sec.find(".//table/tbody").findall("tr"):
            td = tr.findall("td")
            snap_tables[(k, text_of(td[0]))] = text_of(td[2])
    for k, cell in enumerate(rows[0][2][:len(exp["snapshots"])]):
        want = snap_tables.get((k, "SCons.Node.FS.File"))
        assert cell == (want or "\u2014"), (k, cell, want)
    # names merge up to ": " (pympler keys "[V] key: value" by key)
    exe = ctx.report.by_id("c%d" % exp["classes"]["SCons.Executor.Executor"]["index"])
    exe_names = [r[0] for r in referent_rows(
        [t for t in exe.iter("table") if t.get("class") == "refs"][0])]
    assert "._memo" in exe_names and not any("{cache}" in n for n in exe_names)


@test
def diff_page(ctx):
    d, before, after = ctx.diff, ctx.exp["before"], ctx.exp["after"]
    b, a = before["snapshots"][-1]["classes"], after["snapshots"][-1]["classes"]
    delta = {n: a[n]["sum"] - b[n]["sum"] for n in a}
    bars = series(charts(d.root, "delta")[0], "delta")
    nonzero = [n for n in delta if delta[n]]
    assert len(bars) == min(len(nonzero), 2 * ctx.exp["top_classes"])
    for g in bars:
        name = text_of(g.find("title")).rsplit(": ", 1)[0]
        assert g.get("class") == ("grow" if delta[name] > 0 else "shrink"), name
    rows = d.by_id("changes").find(".//table/tbody").findall("tr")
    got = {text_of(tr.find("td")): int(tr.findall("td")[6].get("data-v")) for tr in rows}
    assert got == {n: v for n, v in delta.items() if a[n]["sum"] or b[n]["sum"]}, got
    # one colour per class on both timelines
    colours = {}
    for side in ("before", "after"):
        for p in series(charts(d.by_id(side), "timeline")[0], "class"):
            colours.setdefault(p.get("data-class"), set()).add(p.get("fill"))
    assert colours and all(len(c) == 1 for c in colours.values()), colours


# ---- the heap by type ----------------------------------------------------------


def pct_text(v):
    """report_text.c's rp_pct: one decimal rounded half up, "<0.1%"."""
    if 0 < v < 0.05:
        return "<0.1%"
    q = int(v * 10 + 0.5)
    return "%d.%d%%" % (q // 10, q % 10)


def last_census(ctx):
    cens = ctx.exp["census"]
    return max(i for i, c in enumerate(cens) if c is not None)


def expected_types(ctx):
    """What the chart must draw, from the censuses as given: the types
    with the largest flat size in any census (name order among equals),
    and per type the {snapshot: flat} it knows.  A census whose entries
    add up to its totals knows a type it does not list: it had 0 bytes."""
    cens = ctx.exp["census"]
    peak, known = {}, {}
    for s, c in enumerate(cens):
        if c is None:
            continue
        for name, _, flat in c["entries"]:
            peak[name] = max(peak.get(name, 0), flat)
            known.setdefault(name, {})[s] = flat
    top = sorted((n for n in peak if peak[n]), key=lambda n: (-peak[n], n.encode()))[:TYPE_SERIES]
    for s, c in enumerate(cens):
        complete = c is not None and (
            sum(e[1] for e in c["entries"]) == c["count"]
            and sum(e[2] for e in c["entries"]) == c["flat"])
        for name in top:
            if complete:
                known[name].setdefault(s, 0)
    return top, {n: known[n] for n in top}


@test
def census_absent_no_section(ctx):
    # the run without a census: no section, no chart, no link to one
    for page in (ctx.report, ctx.diff):
        assert "types" not in page.ids
        assert "Heap by type" not in page.text
        assert not charts(page.root, "types")
        assert not [a for a in page.root.iter("a") if a.get("href") == "#types"]
    # the census page has them, and the rest of the page as before
    sec = ctx.census.by_id("types")
    assert sec.tag == "section" and text_of(sec.find("h2")) == "Heap by type"
    assert [a for a in ctx.census.root.iter("a") if a.get("href") == "#types"]
    h2 = [text_of(h) for h in ctx.census.root.iter("h2")]
    assert h2[:4] == ["Memory over time", "Heap by type", "Snapshots", "Classes"], h2


@test
def census_table_rows(ctx):
    k = last_census(ctx)
    c = ctx.exp["census"][k]
    sec = ctx.census.by_id("types")
    intro = sec.find("p")
    link = intro.find("a")
    assert link is not None and link.get("href") == "#s%d" % (k + 1), text_of(intro)
    assert "snapshot %d" % (k + 1) in text_of(intro)
    table = sec.find(".//table")
    assert "sort" in table.get("class").split()
    rows = []
    for tr in table.find("tbody").findall("tr"):
        td = tr.findall("td")
        rows.append((text_of(td[0]), int(td[1].get("data-v")), int(td[2].get("data-v")),
                     text_of(td[3])))
    want = sorted(c["entries"], key=lambda e: -e[2])
    assert [r[:3] for r in rows] == [tuple(e) for e in want], rows
    for r in rows:
        assert r[3] == pct_text(r[2] * 100 / c["flat"]), r
    # below the rows: what the host did not keep, then the totals
    foot = [[text_of(td) for td in tr.findall("td")] for tr in table.find("tfoot").findall("tr")]
    rest = (c["count"] - sum(e[1] for e in want), c["flat"] - sum(e[2] for e in want))
    assert foot[0][0] == "(other types)" and foot[0][1] == "{:,}".format(rest[0]), foot
    assert abs(parse_size(foot[0][2]) - rest[1]) <= rest[1] * 0.005, foot
    assert foot[1][0] == "all types" and foot[1][1] == "{:,}".format(c["count"]), foot
    assert abs(parse_size(foot[1][2]) - c["flat"]) <= c["flat"] * 0.005, foot
    assert foot[1][3] == "100.0%"


@test
def census_tracked_share(ctx):
    k = last_census(ctx)
    heap = ctx.exp["census"][k]["flat"]
    tracked = ctx.exp["census_run"]["snapshots"][k]["tracked_total"]
    # the tracked total of the census's snapshot, not of the last one
    assert tracked != ctx.exp["census_run"]["snapshots"][-1]["tracked_total"]
    sec = ctx.census.by_id("types")
    p = [e for e in sec.iter("p") if e.get("class") == "hshare"]
    assert len(p) == 1
    line = text_of(p[0].find("b"))
    m = re.fullmatch(r"tracked classes: (.+) of (.+) counted on the heap \((.+)\)", line)
    assert m, line
    assert abs(parse_size(m.group(1)) - tracked) <= tracked * 0.005, (line, tracked)
    assert abs(parse_size(m.group(2)) - heap) <= heap * 0.005, (line, heap)
    assert m.group(3) == pct_text(tracked * 100 / heap), (line, tracked, heap)
    caption = text_of(p[0].find("span")).lower()
    assert "recursive size of tracked classes vs flat bytes of every object" in caption


def subpaths(d):
    """The runs of (x, y) points of a path of M/L commands, one per M."""
    return [points(run) for run in re.findall(r"M[^M]*", d)]


@test
def census_chart_series(ctx):
    top, known = expected_types(ctx)
    svgs = charts(ctx.census.by_id("types"), "types")
    assert len(svgs) == 1
    svg = svgs[0]
    assert re.fullmatch(r"0 0 \d+(\.\d)? \d+(\.\d)?", svg.get("viewBox"))
    lines = series(svg, "type")
    assert [g.get("data-type") for g in lines] == top, [g.get("data-type") for g in lines]
    # the chart's choice is not the last table's eight largest
    last = sorted(ctx.exp["census"][last_census(ctx)]["entries"], key=lambda e: -e[2])
    assert top != [e[0] for e in last[:TYPE_SERIES]]
    # snapshot marks give each snapshot's x
    xs = {}
    for g in series(svg, "snapshot"):
        n = int(text_of(g.find("text")))
        xs[n - 1] = float(g.find("line").get("x1"))
    colours, ys = set(), []
    for g in lines:
        name = g.get("data-type")
        path = g.find("path")
        colours.add(path.get("style"))
        runs = subpaths(path.get("d"))
        # one run per stretch of known values; snapshots without a census
        # are stepped over, a census without the type breaks the line
        want_runs, cur = [], []
        for s, c in enumerate(ctx.exp["census"]):
            if c is None:
                continue
            if s in known[name]:
                cur.append(s)
            elif cur:
                want_runs.append(cur)
                cur = []
        if cur:
            want_runs.append(cur)
        assert [len(r) for r in runs] == [len(r) for r in want_runs], (name, runs, want_runs)
        for run, snaps in zip(runs, want_runs):
            for (x, y), s in zip(run, snaps):
                assert abs(x - xs[s]) < 0.11, (name, s, x, xs[s])
                ys.append((known[name][s], y))
        circles = g.findall("circle")
        assert len(circles) == len(known[name])
        for circ, s in zip(circles, sorted(known[name])):
            assert text_of(circ.find("title")).startswith("%s, snapshot %d: " % (name, s + 1))
    assert len(colours) == len(lines), colours
    # more bytes, higher point (SVG y grows downwards); equal bytes, same y
    for v1, y1 in ys:
        for v2, y2 in ys:
            if v1 > v2:
                assert y1 < y2, (v1, y1, v2, y2)
            elif v1 == v2:
                assert abs(y1 - y2) < 0.11
    legend = ctx.census.by_id("types").find(".//figure/figcaption/ul")
    assert [text_of(li) for li in legend.findall("li")] == top


@test
def census_names_escaped(ctx):
    page = ctx.census
    assert "<script>alert(2)" not in page.text
    assert "Evil&lt;script&gt;alert(2)&lt;/script&gt;&amp;Co" in page.text
    sec = page.by_id("types")
    cells = [text_of(tr.find("td")) for tr in sec.find(".//table/tbody").findall("tr")]
    assert HOSTILE_TYPE in cells, cells
    svg = charts(sec, "types")[0]
    assert HOSTILE_TYPE in [g.get("data-type") for g in series(svg, "type")]
    assert HOSTILE_TYPE in [text_of(t) for t in svg.iter("title")]
    assert HOSTILE_TYPE in [text_of(li) for li in sec.iter("li")]


@test
def census_alloc_failures(ctx):
    p = subprocess.run([ctx.mkreport, "--alloc-failures"], capture_output=True, timeout=120)
    assert p.returncode == 0, (p.stdout + p.stderr).decode(errors="replace")
    m = re.search(rb"(\d+) allocation failures", p.stdout)
    assert m and int(m.group(1)) > 20, p.stdout


# ---- the command line -------------------------------------------------------------


@test
def cli_draws_the_same_page(ctx):
    dump = os.path.join(ctx.out, "run.dump")
    out = os.path.join(ctx.out, "cli.html")
    args = [ctx.footprint, "html", dump, "--title", TITLE, "--classes",
            str(ctx.exp["top_classes"])]
    p = subprocess.run(args + ["-o", out], capture_output=True)
    assert p.returncode == 0, p.stderr
    with open(out, "rb") as f:
        assert f.read() == ctx.report.raw, "footprint html differs from the live report"
    p = subprocess.run(args, capture_output=True)
    assert p.returncode == 0 and p.stdout == ctx.report.raw
    p = subprocess.run([ctx.footprint, "html", dump, dump, "-o", out], capture_output=True)
    assert p.returncode == 0, p.stderr
    diff = Page(out)
    assert len(charts(diff.root, "timeline")) == 2 and charts(diff.root, "delta") == []
    p = subprocess.run([ctx.footprint, "html", dump, "--classes", "x"], capture_output=True)
    assert p.returncode == 2


@test
def cli_draws_census_page(ctx):
    # the census travels in the dump: the CLI draws the same census page
    dump = os.path.join(ctx.out, "census.dump")
    out = os.path.join(ctx.out, "cli-census.html")
    p = subprocess.run([ctx.footprint, "html", dump, "--title", CENSUS_TITLE, "--classes",
                        str(ctx.exp["top_classes"]), "-o", out], capture_output=True)
    assert p.returncode == 0, p.stderr
    with open(out, "rb") as f:
        assert f.read() == ctx.census.raw, "footprint html differs from the live census page"


def expected_grown(cens, b, a):
    """The diff page's types that grew from census b to census a, as the
    censuses were given: (name, known before, [count before, after, delta,
    flat before, after, delta]) in order of growth, at most 20."""
    old = {n: (c, f) for n, c, f in cens[b]["entries"]}
    new = {n: (c, f) for n, c, f in cens[a]["entries"]}
    complete = sum(c for c, _ in old.values()) == cens[b]["count"]
    rows = []
    for name in set(old) | set(new):
        (c0, f0), (c1, f1) = old.get(name, (0, 0)), new.get(name, (0, 0))
        if f1 > f0 or (f1 == f0 and c1 > c0):
            rows.append((name, name in old or complete, [c0, c1, c1 - c0, f0, f1, f1 - f0]))
    rows.sort(key=lambda r: (-r[2][5], -r[2][2], r[0].encode()))
    return rows[:20]


@test
def diff_page_types_that_grew(ctx):
    # two snapshots of the census run, diffed: the types that grew, from
    # the censuses as mkreport gave them
    dump = os.path.join(ctx.out, "census.dump")
    out = os.path.join(ctx.out, "census-diff.html")
    cens = ctx.exp["census"]
    taken = [i for i, c in enumerate(cens) if c is not None]
    unknown = 0
    # the first census keeps every type, the second only its largest
    for b, a in zip(taken, taken[1:]):
        unknown += types_grew_between(ctx, dump, out, b, a)
    assert unknown, "no pair exercised a type the before census did not keep"
    # the after snapshot without a census: said so, no table
    last = len(cens) - 1
    assert cens[last] is None
    p = subprocess.run([ctx.footprint, "html", dump, dump, "--before", str(taken[0]),
                        "--after", str(last), "-o", out], capture_output=True)
    assert p.returncode == 0, p.stderr
    sec = Page(out).by_id("types")
    assert "No census in the after snapshot." in text_of(sec)
    assert not list(sec.iter("table"))


def types_grew_between(ctx, dump, out, b, a):
    """Check the diff page of snapshots b and a; the number of rows whose
    before figures are unknown."""
    cens = ctx.exp["census"]
    p = subprocess.run([ctx.footprint, "html", dump, dump, "--before", str(b),
                        "--after", str(a), "-o", out], capture_output=True)
    assert p.returncode == 0, p.stderr
    page = Page(out)
    sec = page.by_id("types")
    assert text_of(sec.find("h2")) == "Types that grew"
    assert [x for x in page.root.iter("a") if x.get("href") == "#types"]
    want = expected_grown(cens, b, a)
    assert len(want) >= 3, want
    got = []
    for tr in sec.iter("tr"):
        tds = tr.findall("td")
        if tds:
            got.append((text_of(tds[0]), [td.get("data-v") for td in tds[1:7]],
                        [text_of(td) for td in tds[1:]]))
    assert [g[0] for g in got] == [w[0] for w in want], (got, want)
    for (name, vals, texts), (_, known, nums) in zip(got, want):
        if known:
            assert [int(float(v)) for v in vals] == nums, (name, vals, nums)
        else:
            assert texts[0] == "\u2014" and texts[2] == "?" and texts[5] == "?", texts
            assert int(vals[1]) == nums[1] and int(vals[4]) == nums[4], (vals, nums)
    # a hostile name is text, never markup
    assert "<script>alert(2)" not in page.text.split('id="types"')[1].split("</section>")[0]
    unknown = sum(1 for _, known, _ in want if not known)
    note = "not among the types the before census kept" in text_of(sec)
    assert note == bool(unknown), (note, unknown)
    return unknown


# ---- the browser ------------------------------------------------------------------


def chromium(args, timeout=60):
    exe = shutil.which("chromium")
    assert exe, "chromium is not installed (make deps)"
    profile = tempfile.mkdtemp(prefix="fp-chromium-")
    try:
        cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
               "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--hide-scrollbars",
               "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile] + args
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def page_errors(stderr):
    """Console output from the page: errors, CSP refusals, uncaught
    exceptions (Chromium's own dbus/gpu chatter is not the page's)."""
    return [line for line in stderr.splitlines()
            if "CONSOLE" in line or "Uncaught" in line or "Refused to" in line
            or "Content Security Policy" in line]


def screenshot(page, shot, width, height):
    """Chromium's screenshot of page into shot, checked to be neither
    blank nor flat; (width, height, channels, rows)."""
    if os.path.exists(shot):
        os.remove(shot)
    rc, _, err = chromium(["--screenshot=" + shot, "--window-size=%d,%d" % (width, height),
                           "file://" + os.path.abspath(page)])
    assert rc == 0, err[-2000:]
    assert not page_errors(err), page_errors(err)
    with open(shot, "rb") as f:
        data = f.read()
    w, h, ch, rows = png.decode(data)
    assert (w, h) == (width, height), (w, h)
    white = bytes([255] * ch)
    colours, inked = set(), 0
    for y in range(0, h, 4):
        row = rows[y]
        for x in range(0, w * ch, 4 * ch):
            px = row[x:x + ch]
            colours.add(px)
            inked += px != white
    samples = (h // 4) * (w // 4)
    assert len(colours) > 64, "%d colours: a blank or flat page" % len(colours)
    assert inked > samples // 20, "only %d of %d samples are not white" % (inked, samples)
    return w, h, ch, rows


@test
def browser_screenshot(ctx):
    screenshot(ctx.report_path, os.path.join(ctx.out, "report.png"), 1280, 1600)


@test
def browser_census_screenshot(ctx):
    # tall enough to hold the heap by type below the memory chart; kept
    # for people to look at (a fragment URL does not scroll reliably in
    # a headless screenshot)
    shot = os.path.join(ctx.out, "heap_by_type.png")
    w, h, ch, rows = screenshot(ctx.census_path, shot, 1280, 2500)
    # palette slots 5-7 colour only the types chart here: the page gives
    # its classes 5 colours (0-4), the types chart 8
    want = {bytes.fromhex(c) for c in ("edc948", "b07aa1", "ff9da7")}
    found = set()
    for y in range(h):
        row = rows[y]
        for x in range(0, w * ch, ch):
            px = bytes(row[x:x + 3])
            if px in want:
                found.add(px)
        if found == want:
            break
    assert found == want, "types chart colours missing: %s" % sorted(c.hex() for c in want - found)


@test
def browser_dom_after_scripts(ctx):
    for path, sortable in ((ctx.report_path, 3), (ctx.diff_path, 1), (ctx.census_path, 3)):
        rc, dom, err = chromium(["--dump-dom", "file://" + os.path.abspath(path)])
        assert rc == 0, err[-2000:]
        assert not page_errors(err), page_errors(err)
        assert dom.count("<script") == 1, "scripts in the live DOM: %d" % dom.count("<script")
        # the sorting script ran without error: it titles every header
        assert dom.count('title="sort"') >= sortable * 5, dom.count('title="sort"')
        if path == ctx.report_path:
            # the browser holds the hostile title as text, serialized escaped
            shown = TITLE.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            assert "<title>" + shown + "</title>" in dom
        has_types = '<section id="types"><h2>Heap by type</h2>' in dom
        assert has_types == (path == ctx.census_path), path
        if path == ctx.census_path:
            # the types table sorts too, and the hostile name stayed text
            assert '<th title="sort">Type</th>' in dom
            assert "Evil&lt;script&gt;alert(2)&lt;/script&gt;&amp;Co" in dom


def main(argv):
    if len(argv) != 4:
        print(__doc__.strip())
        return 2
    mkreport, footprint, out = argv[1:]
    os.makedirs(out, exist_ok=True)
    for name in ("report.html", "diff.html", "expected.json", "run.dump", "census.html",
                 "census.dump"):
        if os.path.exists(os.path.join(out, name)):
            os.remove(os.path.join(out, name))
    subprocess.run([mkreport, out], check=True)

    class Ctx:
        pass
    ctx = Ctx()
    ctx.out = out
    ctx.footprint = os.path.abspath(footprint)
    ctx.report_path = os.path.join(out, "report.html")
    ctx.diff_path = os.path.join(out, "diff.html")
    ctx.census_path = os.path.join(out, "census.html")
    ctx.mkreport = os.path.abspath(mkreport)
    with open(os.path.join(out, "expected.json"), encoding="utf-8") as f:
        ctx.exp = json.load(f)
    passed = failed = 0
    try:
        ctx.report = Page(ctx.report_path)
        ctx.diff = Page(ctx.diff_path)
        ctx.census = Page(ctx.census_path)
    except Exception as e:  # every test needs the pages
        print("FAIL parse: %s: %s" % (type(e).__name__, e))
        print("0 passed, %d failed" % len(TESTS))
        return 1
    for fn in TESTS:
        t0 = time.time()
        try:
            fn(ctx)
        except Exception as e:
            failed += 1
            print("FAIL %s: %s: %s" % (fn.__name__, type(e).__name__, str(e)[:2000]))
        else:
            passed += 1
            print("ok   %s (%.1f s)" % (fn.__name__, time.time() - t0))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
