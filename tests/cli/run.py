#!/usr/bin/env python3
"""The footprint command line, end to end.

    run.py FOOTPRINT MKDUMP

MKDUMP writes dumps from a synthetic host, plus a manifest of what the live
tracker held.  Every expectation here is computed from that manifest with
Python's own re-implementation of pympler's formatting (pp, pp_timestamp)
and the tracker's rules (active = born before the snapshot and not dead by
it), never copied from footprint's output.  Ends with "N passed, N failed".
"""
import json
import os
import re
import subprocess
import sys
import tempfile

FOOTPRINT, MKDUMP = sys.argv[1], sys.argv[2]
PASSED = FAILED = 0


def check(name, ok, detail=""):
    global PASSED, FAILED
    if ok:
        PASSED += 1
    else:
        FAILED += 1
        print("FAIL: %s%s" % (name, ": " + detail if detail else ""))


def run(*args, stdout=subprocess.PIPE):
    p = subprocess.run([FOOTPRINT, *args], stdout=stdout,
                       stderr=subprocess.PIPE)
    out = p.stdout.decode("utf-8", "surrogateescape") if p.stdout else ""
    return p.returncode, out, p.stderr.decode("utf-8", "replace")


def expect_rc(name, args, rc, err_has=None, **kw):
    got, out, err = run(*args, **kw)
    check("%s: exit %d" % (name, rc), got == rc,
          "got %d, stderr %r" % (got, err))
    if err_has is not None:
        check("%s: message" % name, err_has in err,
              "%r not in %r" % (err_has, err))
    return out, err


# ---- pympler's text, rebuilt ----

def pp(i, base=1024):
    degree, pattern = 0, "%4d     %s"
    while i > base:
        pattern = "%7.2f %s"
        i = i / float(base)
        degree += 1
    return pattern % (i, ["B", "KB", "MB", "GB", "TB", "EB"][degree])


def pp_timestamp(t):
    return "%02d:%02d:%05.2f" % (int(t / 3600), int(t / 60 % 60), t % 60)


def trunc(s, n):
    return s[:n - 3] + "..." if len(s) > n else s


# ---- the manifest ----

def unhex(field):
    return b"" if field == "-" else bytes.fromhex(field)


class Dump:
    def __init__(self, scenario, tmp):
        self.path = os.path.join(tmp, scenario + ".fpd")
        manifest = os.path.join(tmp, scenario + ".txt")
        subprocess.run([MKDUMP, scenario, self.path, manifest], check=True)
        self.classes, self.objects, self.snaps = [], [], []
        with open(manifest) as f:
            for line in f:
                w = line.split()
                if w[0] == "class":
                    self.classes.append(dict(level=int(w[2]), flags=int(w[3]),
                                             name=unhex(w[4])))
                elif w[0] == "object":
                    self.objects.append(dict(
                        cls=int(w[2]), addr=int(w[3], 16), birth=float(w[4]),
                        dead=w[5] == "1", death=float(w[6]), level=int(w[7]),
                        repr=unhex(w[8]), trace=unhex(w[9])))
                elif w[0] == "snapshot":
                    self.snaps.append(dict(
                        ts=float(w[2]), desc=unhex(w[3]), tracked=int(w[4]),
                        asizeof=int(w[5]), rss=int(w[6]), sizes={},
                        detail={}, census=None))
                elif w[0] == "size":
                    self.snaps[int(w[1])]["sizes"][int(w[2])] = int(w[3])
                elif w[0] == "detail":
                    self.snaps[int(w[1])]["detail"].setdefault(
                        int(w[2]), []).append(
                        (int(w[3]), unhex(w[4]), int(w[5]), int(w[6])))
                elif w[0] == "census":
                    self.snaps[int(w[1])]["census"] = dict(
                        objects=int(w[2]), flat=int(w[3]), types=[])
                elif w[0] == "type":
                    self.snaps[int(w[1])]["census"]["types"].append(dict(
                        name=unhex(w[2]), objects=int(w[3]), flat=int(w[4]),
                        deep=int(w[5])))

    def name(self, c):
        return self.classes[c]["name"].decode("utf-8", "surrogateescape")

    def class_stats(self, s, c):
        """active, sum: the tracker's rule, from the raw objects."""
        snap = self.snaps[s]
        active = sum(1 for o in self.objects if o["cls"] == c and
                     o["birth"] < snap["ts"] and
                     (not o["dead"] or o["death"] > snap["ts"]))
        total = sum(size for i, size in snap["sizes"].items()
                    if self.objects[i]["cls"] == c)
        return active, total

    def snap_total(self, s):
        snap = self.snaps[s]
        return snap["rss"] or snap["asizeof"] or snap["tracked"]


# ---- usage ----

def test_usage():
    expect_rc("no command", [], 2, "usage: footprint")
    out, _ = expect_rc("--help", ["--help"], 0)
    for cmd in ("summary", "stats", "diff", "export"):
        check("--help lists " + cmd, re.search(r"^  %s " % cmd, out, re.M))
        out2, _ = expect_rc(cmd + " --help", [cmd, "--help"], 0)
        check(cmd + " --help text", out2.startswith("usage: footprint " + cmd),
              out2[:60])
        out3, _ = expect_rc("help " + cmd, ["help", cmd], 0)
        check("help %s = %s --help" % (cmd, cmd), out3 == out2)
    expect_rc("unknown command", ["frobnicate"], 2, "unknown command")
    out, _ = expect_rc("--version", ["--version"], 0)
    check("--version text",
          re.fullmatch(r"footprint \d+\.\d+\.\d+ \(dump format 2\)\n", out),
          repr(out))


def test_bad_usage(d):
    p = d.path
    for name, args, msg in [
            ("summary without dump", ["summary"], "no DUMP"),
            ("summary two dumps", ["summary", p, p], "one DUMP"),
            ("summary bad option", ["summary", "--bogus", p], "--bogus"),
            ("stats --limit without N", ["stats", p, "--limit"], "--limit"),
            ("stats --limit negative", ["stats", p, "--limit", "-1"],
             "--limit"),
            ("stats --limit text", ["stats", p, "--limit=abc"], "abc"),
            ("stats bad sort key", ["stats", p, "--sort", "bogus"],
             "invalid sort key 'bogus'"),
            ("stats --sort without key", ["stats", p, "--sort"], "--sort"),
            ("diff one dump", ["diff", p], "OLD and NEW"),
            ("diff three dumps", ["diff", p, p, p], "OLD and NEW"),
            ("diff --snapshot without value", ["diff", p, p, "--snapshot"],
             "--snapshot"),
            ("export without --json", ["export", p], "--json"),
            ("export without dump", ["export", "--json"], "no DUMP")]:
        expect_rc(name, args, 2, msg)
    # a bad sort key is bad usage even when the file is bad too
    expect_rc("bad sort key, missing file",
              ["stats", "/nonexistent.fpd", "--sort", "bogus"], 2)


# ---- bad files ----

def test_bad_files(d, nosnap, tmp):
    with open(d.path, "rb") as f:
        good = f.read()

    def variant(name, data):
        path = os.path.join(tmp, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    cut = variant("cut.fpd", good[:len(good) // 2])
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x40
    flipped = variant("flipped.fpd", bytes(flipped))
    newer = bytearray(good)
    newer[8] = 3
    newer = variant("newer.fpd", bytes(newer))
    for cmd in (["summary"], ["stats"], ["export", "--json"]):
        expect_rc(" ".join(cmd) + " truncated", cmd + [cut], 1,
                  "footprint: %s: truncated" % cut)
        expect_rc(" ".join(cmd) + " missing", cmd + ["/nonexistent.fpd"], 1,
                  "cannot open")
    expect_rc("diff truncated old", ["diff", cut, d.path], 1, "truncated")
    expect_rc("diff truncated new", ["diff", d.path, cut], 1, "truncated")
    expect_rc("every cut is refused", ["summary", variant(
        "cut1.fpd", good[:-1])], 1, "truncated")
    expect_rc("foreign file", ["summary", __file__], 1,
              "not a footprint dump")
    expect_rc("flipped byte", ["summary", flipped], 1, "checksum")
    expect_rc("newer version", ["summary", newer], 1,
              "dump format version 3, this build reads up to 2")
    expect_rc("diff without snapshots", ["diff", d.path, nosnap.path], 1,
              "no snapshot")
    expect_rc("diff --snapshot out of range",
              ["diff", d.path, d.path, "--snapshot", "7"], 1, "no snapshot 7")
    expect_rc("diff --snapshot unknown label",
              ["diff", d.path, d.path, "--snapshot", "nolabel"], 1,
              "no snapshot described 'nolabel'")
    if os.path.exists("/dev/full"):
        with open("/dev/full", "wb") as full:
            expect_rc("output to a full device",
                      ["export", "--json", d.path], 1, "cannot write",
                      stdout=full)


# ---- summary ----

# ---- the heap by type (a snapshot's census) ----

def cell_name(b):
    """A type or class name in a table cell: control characters as '?',
    cut to 50 characters with '...' (pympler's trunc)."""
    s = b.decode("utf-8", "surrogateescape")
    s = "".join("?" if ord(c) < 0x20 or c == "\x7f" else c for c in s)
    return trunc(s, 50)


def pympler_table(rows, indent):
    """pympler's summary._format_table: columns one space wider than
    their widest cell on either side, right-justified, ' | ' between, '='
    under the header."""
    widths = [max(len(r[k]) for r in rows) + 2 for k in range(3)]
    out = []
    for i, r in enumerate(rows):
        out.append(indent + " | ".join(c.rjust(w) for c, w in zip(r, widths)))
        if i == 0:
            out.append(indent + " | ".join("=" * w for w in widths))
    return out


def census_lines(census, top, indent="  "):
    if census is None or top == 0:
        return []
    lines = [indent + "heap by type: %d objects, %s" % (
        census["objects"], pp(census["flat"]).lstrip())]
    rows = [["types", "# objects", "total size"]]
    count, flat = census["objects"], census["flat"]
    for t in census["types"][:top]:
        rows.append([cell_name(t["name"]), str(t["objects"]), pp(t["flat"])])
        count -= t["objects"]
        flat -= t["flat"]
    if count or flat:
        rows.append(["(other types)", str(count), pp(flat)])
    return lines + pympler_table(rows, indent)


def expected_summary(d, top=10):
    lines = ["---- SUMMARY " + "-" * 66]
    order = sorted(range(len(d.classes)), key=lambda c: d.classes[c]["name"])
    for s, snap in enumerate(d.snaps):
        total = d.snap_total(s)
        lines.append("%-35s %11s %12s %12s %5s" % (
            trunc(snap["desc"].decode("utf-8", "surrogateescape"), 35),
            "active", pp(total), "average",
            "pct"))
        for c in order:
            active, size = d.class_stats(s, c)
            avg = size / active if active else 0
            lines.append("  %-33s %11d %12s %12s %4d%%" % (
                trunc(d.name(c), 33), active, pp(size), pp(avg),
                int(size * 100 / total) if total else 0))
        lines += census_lines(snap["census"], top)
    lines.append("-" * 79)
    return "\n".join(lines) + "\n"


def test_summary(*dumps):
    for d in dumps:
        out, _ = expect_rc("summary " + os.path.basename(d.path),
                           ["summary", d.path], 0)
        want = expected_summary(d)
        check("summary layout of " + os.path.basename(d.path), out == want,
              "\n--- got\n%s--- want\n%s" % (out, want))


def test_summary_census(cbefore, cafter, weird, before):
    check("scenario: a census with more types than shown",
          len(cbefore.snaps[1]["census"]["types"]) > 10)
    check("scenario: a snapshot without census beside one with",
          cafter.snaps[0]["census"] is None and cafter.snaps[1]["census"])
    for top in (0, 1, 3, 12, 50):
        for d in (cbefore, cafter, weird):
            name = "summary --types %d %s" % (top, os.path.basename(d.path))
            out, _ = expect_rc(name, ["summary", d.path, "--types", str(top)],
                               0)
            want = expected_summary(d, top)
            check(name + ": layout", out == want,
                  "\n--- got\n%s--- want\n%s" % (out, want))
    out, _ = expect_rc("summary --types 0", ["summary", cbefore.path,
                                             "--types=0"], 0)
    check("summary --types 0 is the summary without census",
          out == expected_summary(cbefore, 0) and "heap by type" not in out)
    out, _ = expect_rc("summary without census", ["summary", before.path], 0)
    check("summary of a dump without census shows none",
          "heap by type" not in out)
    for bad in ("-1", "abc", "", "1e3", "2000000"):
        expect_rc("summary --types %r" % bad,
                  ["summary", cbefore.path, "--types=" + bad], 2, "--types")
    expect_rc("summary --types without N", ["summary", cbefore.path,
                                            "--types"], 2, "--types")
    # the layout, by hand: pympler's table for cbefore's first snapshot
    out, _ = expect_rc("summary --types 2", ["summary", cbefore.path,
                                             "--types", "2"], 0)
    want = ("  heap by type: 4700 objects, 302.73 KB\n"
            "            types |   # objects |   total size\n"
            "  =============== | =========== | ============\n"
            "              str |        3000 |    175.78 KB\n"
            "             dict |        1200 |     96.00 KB\n"
            "    (other types) |         500 |     30.95 KB\n")
    check("summary --types 2: the first census, as pympler prints it",
          want in out, "\n--- got\n%s--- want\n%s" % (out, want))


def test_stats_census(cbefore, before):
    out, _ = expect_rc("stats --types 3", ["stats", cbefore.path, "--types",
                                           "3"], 0)
    plain, _ = expect_rc("stats", ["stats", cbefore.path], 0)
    want = ["---- HEAP BY TYPE " + "-" * 61]
    for snap in cbefore.snaps:
        if snap["census"]:
            want.append("%s %s" % (pp_timestamp(snap["ts"]),
                                   snap["desc"].decode()))
            want += census_lines(snap["census"], 3)
    want = "\n".join(want) + "\n"
    check("stats --types 3: the reports, then each census",
          out == plain + want, "\n--- got\n%s--- want\n%s" % (
              out[len(plain):], want))
    check("stats shows no census unless asked", "heap by type" not in plain)
    out, _ = expect_rc("stats --types 3, no census",
                       ["stats", before.path, "--types", "3"], 0)
    check("stats --types on a dump without census adds nothing",
          "HEAP BY TYPE" not in out)
    expect_rc("stats --types bad", ["stats", cbefore.path, "--types", "x"], 2,
              "--types")


# ---- stats ----

HEAD = re.compile(r"^(\S.{31}) (0x[0-9a-f]+|\( free \)) ")
TIME = re.compile(r"^  (\d\d:\d\d:\d\d\.\d\d) +(.*?)\s*$")


def blocks(out):
    """[(classname, address, [(time, text)...])] per object report."""
    res = []
    for line in out.splitlines():
        m = HEAD.match(line)
        if m:
            res.append((m.group(1).rstrip(), m.group(2), []))
            continue
        m = TIME.match(line)
        if m and res:
            res[-1][2].append((m.group(1), m.group(2)))
    return res


def address(o):
    return "( free )" if o["dead"] else "0x%08x" % o["addr"]


def expected_lines(d, i):
    o = d.objects[i]
    lines = [(pp_timestamp(snap["ts"]), pp(snap["sizes"][i]).strip())
             for snap in d.snaps if i in snap["sizes"]]
    if o["dead"]:
        lines.append((pp_timestamp(o["death"]), "finalize"))
    return lines


def max_size(d, i):
    return max([s["sizes"].get(i, 0) for s in d.snaps] or [0])


def test_stats(d):
    n = len(d.objects)

    def stats(*args):
        out, _ = expect_rc("stats " + " ".join(args), ["stats", d.path, *args],
                           0)
        return blocks(out)

    got = stats("--sort", "birth")
    check("stats: one report per object", len(got) == n,
          "%d reports, %d objects" % (len(got), n))
    for i, (cls, addr, lines) in enumerate(got[:n]):
        o = d.objects[i]
        check("stats: object %d header" % i,
              (cls, addr) == (d.name(o["cls"]), address(o)),
              repr((cls, addr)))
        check("stats: object %d sizes and death" % i,
              lines == expected_lines(d, i),
              "%r != %r" % (lines, expected_lines(d, i)))

    by_size = sorted(range(n), key=lambda i: -max_size(d, i))
    got = stats("--sort", "size")
    check("stats --sort size order",
          [b[1] for b in got] == [address(d.objects[i]) for i in by_size])
    got = stats("--sort", "birth", "--reverse")
    check("stats --reverse",
          [b[1] for b in got] == [address(o) for o in reversed(d.objects)])
    a = run("stats", d.path, "--sort", "classname,birth")[1]
    b = run("stats", d.path, "--sort", "classname", "--sort=birth")[1]
    check("stats: comma keys = repeated keys", a == b and a)
    leaf = [i for i, o in enumerate(d.objects)
            if "Leaf" in d.name(o["cls"])]
    got = stats("--class", "Leaf")
    check("stats --class", sorted(b[1] for b in got) ==
          sorted(address(d.objects[i]) for i in leaf) and leaf)
    check("stats --limit 2", len(stats("--limit", "2")) == 2)
    check("stats --limit 0.5",
          len(stats("--limit", "0.5")) == max(1, int(n * 0.5)))
    check("stats --limit with --class",
          len(stats("--class", "Node", "--limit=1")) == 1)


# ---- diff ----

def signed_count(d):
    return "+%d" % d if d > 0 else "%d" % d


def signed_size(d):
    return ("+" if d > 0 else "-" if d < 0 else "") + pp(abs(d)).lstrip()


def pct(old, new):
    if old == 0:
        return "0.0%" if new == 0 else "new"
    return "%+.1f%%" % ((new - old) * 100.0 / old)


def stat_cells(count, size):
    avg = [size[k] / count[k] if count[k] else 0 for k in (0, 1)]
    return ([str(count[0]), str(count[1]),
             signed_count(count[1] - count[0]), pct(*count)],
            [pp(size[0]), pp(size[1]), signed_size(size[1] - size[0]),
             pct(*size)],
            [pp(avg[0]), pp(avg[1]), signed_size(avg[1] - avg[0]),
             pct(*avg)])


SIZE = r"[+-]?\d+(?:\.\d+)? +(?:B|KB|MB|GB|TB|EB)"


def cells(group):
    """The cells of a column group: sizes keep their inner spaces."""
    return [c if re.fullmatch(SIZE, c) else c
            for c in re.findall(SIZE + r"|\S+", group)]


def parse_diff(out):
    lines = out.splitlines()
    rows, total = [], None
    at = next(i for i, l in enumerate(lines) if l.startswith("class "))
    for line in lines[at + 2:]:
        if not line.strip():
            break
        if set(line.replace("|", "").replace(" ", "")) == {"-"}:
            continue
        groups = line.split(" | ")
        row = (groups[0].rstrip(), [cells(g) for g in groups[1:]])
        if row[0] == "total":
            total = row
        else:
            rows.append(row)
    return lines, rows, total


def norm(group):
    return [re.sub(r" +", " ", c.strip()) for c in group]


def check_diff(old, new, so, sn, args, name):
    out, _ = expect_rc(name, ["diff", old.path, new.path, *args], 0)
    lines, rows, total = parse_diff(out)
    names = {}
    for side, d, s in ((0, old, so), (1, new, sn)):
        for c in range(len(d.classes)):
            cnt, size = d.class_stats(s, c)
            e = names.setdefault(d.name(c), [[0, 0], [0, 0]])
            e[0][side], e[1][side] = cnt, size
    order = sorted(names, key=lambda k: (-abs(names[k][1][1] -
                                              names[k][1][0]), k))
    check(name + ": rows in order of change",
          [r[0] for r in rows] == order, "%r != %r" % ([r[0] for r in rows],
                                                       order))
    for cls, groups in rows:
        if cls in names:
            want = stat_cells(*names[cls])
            check("%s: row %s" % (name, cls),
                  [norm(g) for g in groups] == [norm(g) for g in want],
                  "%r != %r" % (groups, want))
    count = [sum(v[0][k] for v in names.values()) for k in (0, 1)]
    size = [sum(v[1][k] for v in names.values()) for k in (0, 1)]
    want = stat_cells(count, size)
    check(name + ": total row", total is not None and
          [norm(g) for g in total[1]] == [norm(g) for g in want],
          "%r != %r" % (total, want))
    for label, d, s in (("old:", old, so), ("new:", new, sn)):
        want = '%s %s, snapshot %d of %d ("%s", %s)' % (
            label, d.path, s, len(d.snaps), d.snaps[s]["desc"].decode(),
            pp_timestamp(d.snaps[s]["ts"]))
        check("%s: %s line" % (name, label), want in lines, want)
    a, b = old.snaps[so]["rss"], new.snaps[sn]["rss"]
    want = "process memory (rss): %s -> %s (%s, %s)" % (
        pp(a), pp(b), signed_size(b - a), pct(a, b))
    check(name + ": process line", want in lines, "%r not in output" % want)
    check(name + ": title", lines[0] == "---- DIFF " + "-" * 69)
    return out


def grown_section(out):
    """The lines after the TYPES THAT GREW rule, or None."""
    lines = out.splitlines()
    rule = "---- TYPES THAT GREW " + "-" * 58
    if rule not in lines:
        return None
    at = lines.index(rule)
    check("types that grew: a blank line before the rule",
          lines[at - 1] == "")
    return lines[at + 1:]


def expected_grown(old, new, so, sn, top):
    co, cn = old.snaps[so]["census"], new.snaps[sn]["census"]
    types = {}
    for side, c in ((0, co), (1, cn)):
        for t in (c or {}).get("types", []):
            e = types.setdefault(t["name"], [[0, 0], [0, 0]])
            e[0][side], e[1][side] = t["objects"], t["flat"]
    grown = [n for n, (c, f) in types.items()
             if f[1] > f[0] or (f[1] == f[0] and c[1] > c[0])]
    grown.sort(key=lambda n: (-(types[n][1][1] - types[n][1][0]),
                              -(types[n][0][1] - types[n][0][0]), n))
    return [(cell_name(n), types[n]) for n in grown[:top]]


cells_of = cells


def check_grown(old, new, so, sn, args, name, top=10):
    out, _ = expect_rc(name, ["diff", old.path, new.path, *args], 0)
    sec = grown_section(out)
    co, cn = old.snaps[so]["census"], new.snaps[sn]["census"]
    if co is None and cn is None:
        check(name + ": no census, no section", sec is None)
        return
    if top == 0:
        check(name + ": --types 0, no section", sec is None)
        return
    check(name + ": a section", sec is not None)
    if sec is None:
        return
    if co is None or cn is None:
        check(name + ": the side without census",
              sec == ["no census in %s" % (old if co is None else new).path])
        return
    check(name + ": totals line", sec[0] == (
        "heap by type: %d -> %d objects, %s -> %s" % (
            co["objects"], cn["objects"], pp(co["flat"]).lstrip(),
            pp(cn["flat"]).lstrip())), sec[0])
    want = expected_grown(old, new, so, sn, top)
    if not want:
        check(name + ": none grew", sec[1:] == ["no type grew"], repr(sec))
        return
    check(name + ": header", sec[1] == "" and sec[3].startswith("type ") and
          set(sec[4].replace("|", "").replace(" ", "")) == {"="},
          repr(sec[1:5]))
    notes = [line for line in sec[5:] if line.startswith("-: ")]
    rows = [line.split(" | ") for line in sec[5:] if line not in notes]
    check(name + ": rows in order of growth",
          [r[0].rstrip() for r in rows] == [n for n, _ in want],
          "%r != %r" % ([r[0].rstrip() for r in rows], [n for n, _ in want]))
    old_names = {t["name"] for t in co["types"]}
    old_complete = sum(t["objects"] for t in co["types"]) == co["objects"]
    unknown = False
    for (n, (count, flat)), r in zip(want, rows):
        want_cells = stat_cells(count, flat)[:2]
        if not old_complete and n not in map(cell_name, old_names):
            # the old census kept only its largest types: unknown before
            unknown = True
            want_cells = [["-", str(count[1]), "?", "?"],
                          ["-", pp(flat[1]), "?", "?"]]
        check("%s: row %s" % (name, n),
              [norm(cells_of(group)) for group in r[1:]] ==
              [norm(g) for g in want_cells]
              if len(r) == 3 else False, "%r != %r" % (r[1:], want_cells))
    check(name + ": a note on types the old census did not keep",
          notes == (["-: not among the %d largest types the old census kept"
                     % len(co["types"])] if unknown else []), notes)


def test_diff_census(cbefore, cafter, before, after):
    check("scenario: types grew, shrank, appeared and went",
          len(expected_grown(cbefore, cafter, 1, 1, 99)) >= 3)
    check_grown(cbefore, cafter, 1, 1, [], "diff census")
    check_grown(cafter, cbefore, 1, 1, [], "diff census reversed")
    check_grown(cbefore, cafter, 1, 1, ["--types", "2"], "diff --types 2",
                top=2)
    check_grown(cbefore, cafter, 1, 1, ["--types=0"], "diff --types 0",
                top=0)
    check_grown(cbefore, cbefore, 1, 1, [], "diff census with itself")
    check_grown(cbefore, cafter, 0, 0, ["--snapshot", "0"],
                "diff census, NEW without one")
    check_grown(cbefore, after, 1, 1, [], "diff census, NEW has none")
    check_grown(before, after, 1, 1, [], "diff without census")
    # the class table is the same with a census or without (the process
    # line is each run's own rss)
    a = run("diff", before.path, after.path)[1].split("process memory")[0]
    b = run("diff", cbefore.path, cafter.path)[1].split("process memory")[0]
    check("diff: the class part does not change with a census",
          b == a.replace(before.path, cbefore.path)
          .replace(after.path, cafter.path), "%r\n%r" % (a, b))
    expect_rc("diff --types bad", ["diff", cbefore.path, cafter.path,
                                   "--types", "-2"], 2, "--types")


def test_diff(before, after):
    last = check_diff(before, after, 1, 1, [], "diff")
    check("diff: a class only in OLD and one only in NEW",
          re.search(r"^app\.Gone .*-100\.0%", last, re.M) and
          re.search(r"^app\.New .* new *$", last, re.M))
    check_diff(after, before, 1, 1, [], "diff reversed")
    by_index = check_diff(before, after, 0, 0, ["--snapshot", "0"],
                          "diff --snapshot 0")
    by_label = check_diff(before, after, 0, 0, ["--snapshot=start"],
                          "diff --snapshot start")
    check("diff: label and index agree", by_index == by_label)
    check_diff(before, after, 0, 0, ["--snapshot", "-2"], "diff --snapshot -2")
    check_diff(before, before, 1, 1, [], "diff with itself")


# ---- export ----

def text(b):
    return b.decode("utf-8", "replace")


def test_export(*dumps):
    for d in dumps:
        name = "export " + os.path.basename(d.path)
        p = subprocess.run([FOOTPRINT, "export", "--json", d.path],
                           stdout=subprocess.PIPE)
        check(name + ": exit 0", p.returncode == 0)
        raw = p.stdout
        tool = subprocess.run([sys.executable, "-m", "json.tool"], input=raw,
                              stdout=subprocess.DEVNULL)
        check(name + ": python3 -m json.tool accepts it", tool.returncode == 0)
        try:
            raw.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            utf8 = False
        check(name + ": valid UTF-8", utf8)
        check(name + ": no raw control characters",
              not re.search(rb"[\x00-\x09\x0b-\x1f]", raw))
        try:
            doc = json.loads(raw)
        except ValueError as e:
            check(name + ": json.loads", False, str(e))
            continue
        check(name + ": classes", [
            (c["name"], c["resolution_level"], c["flags"]) for c in
            doc["classes"]] == [(text(c["name"]), c["level"], c["flags"])
                                for c in d.classes])
        want = [dict(cls=o["cls"], addr=o["addr"], birth=o["birth"],
                     death=o["death"] if o["dead"] else None, dead=o["dead"],
                     level=o["level"], repr=text(o["repr"]),
                     trace=text(o["trace"])) for o in d.objects]
        got = [dict(cls=o["class"], addr=int(o["address"], 16),
                    birth=o["birth"], death=o["death"], dead=o["dead"],
                    level=o["resolution_level"], repr=o["repr"],
                    trace=o["trace"]) for o in doc["objects"]]
        check(name + ": objects", got == want, "%r != %r" % (got, want))
        check(name + ": snapshot count",
              len(doc["snapshots"]) == len(d.snaps))
        for s, (js, snap) in enumerate(zip(doc["snapshots"], d.snaps)):
            check("%s: snapshot %d fields" % (name, s),
                  (js["timestamp"], js["description"], js["tracked_total"],
                   js["asizeof_total"], js["procmem"]["rss"]) ==
                  (snap["ts"], text(snap["desc"]), snap["tracked"],
                   snap["asizeof"], snap["rss"]))
            check("%s: snapshot %d sizes" % (name, s),
                  {e["object"]: e["size"] for e in js["sizes"]} ==
                  snap["sizes"])
            detail = {e["object"]: [(x["depth"], x["name"], x["size"],
                                     x["flat"]) for x in e["detail"]]
                      for e in js["sizes"] if "detail" in e}
            want = {i: [(a, text(b), c, f) for a, b, c, f in v]
                    for i, v in snap["detail"].items()}
            check("%s: snapshot %d detail" % (name, s), detail == want,
                  "%r != %r" % (detail, want))
            check("%s: snapshot %d class aggregates" % (name, s),
                  [(c["active"], c["sum"]) for c in js["classes"]] ==
                  [d.class_stats(s, c) for c in range(len(d.classes))])
            c = snap["census"]
            want = None if c is None else dict(
                objects=c["objects"], flat=c["flat"],
                types=[dict(name=text(t["name"]), objects=t["objects"],
                            flat=t["flat"], deep=t["deep"])
                       for t in c["types"]])
            check("%s: snapshot %d census" % (name, s),
                  js.get("census", "absent") == want,
                  "%r != %r" % (js.get("census", "absent"), want))


def main():
    with tempfile.TemporaryDirectory() as tmp:
        before, after = Dump("before", tmp), Dump("after", tmp)
        cbefore, cafter = Dump("cbefore", tmp), Dump("cafter", tmp)
        weird, nosnap = Dump("weird", tmp), Dump("nosnap", tmp)
        empty = Dump("empty", tmp)
        # the scenarios hold what the tests are about
        check("scenario: detail recorded",
              any(s["detail"] for s in before.snaps))
        check("scenario: a death", any(o["dead"] for o in before.objects))
        check("scenario: non-UTF-8 text",
              any(b"\xff" in c["name"] for c in weird.classes))
        test_usage()
        test_bad_usage(before)
        test_bad_files(before, nosnap, tmp)
        test_summary(before, after, cbefore, cafter, weird, empty, nosnap)
        test_summary_census(cbefore, cafter, weird, before)
        test_stats(before)
        test_stats(after)
        test_stats(cbefore)
        test_stats_census(cbefore, before)
        test_diff(before, after)
        test_diff(cbefore, cafter)
        test_diff_census(cbefore, cafter, before, after)
        test_export(before, after, cbefore, cafter, weird, empty, nosnap)
    print("%d passed, %d failed" % (PASSED, FAILED))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
