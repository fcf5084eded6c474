/*
 * mkdump.c - writes the dumps the CLI tests read, from a small synthetic
 * host, and a manifest of what the live tracker held before it was dumped
 * (so the tests compare the CLI's view of the file with the tracker that
 * wrote it).
 *
 *   mkdump SCENARIO DUMP MANIFEST
 *
 * Scenarios: before, after (a "patch" between them: classes gained, lost,
 * grown), cbefore and cafter (the same with a census, the heap by type: on
 * both snapshots of cbefore, on the last of cafter), weird (names, reprs
 * and census types with quotes, control characters, UTF-8 and bytes that
 * are not UTF-8), nosnap (no snapshot), empty.
 *
 * Manifest lines, strings hex-encoded so any byte survives:
 *   class INDEX LEVEL FLAGS NAME
 *   object INDEX CLASS ADDR BIRTH DEAD DEATH LEVEL REPR TRACE
 *   snapshot INDEX TIMESTAMP DESC TRACKED ASIZEOF RSS
 *   size SNAP OBJECT SIZE
 *   detail SNAP OBJECT DEPTH NAME SIZE FLAT
 *   census SNAP OBJECTS FLAT              (a snapshot's census totals)
 *   type SNAP NAME OBJECTS FLAT DEEP      (its types, in the tracker's order)
 */
#include "footprint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NODES 64
#define BASE ((fp_handle)0x7f0000100000u)

typedef struct node {
    size_t flat;
    size_t nref;
    size_t ref[4];
    const char *name[4];
} node;

static node g[NODES];

static fp_handle H(size_t i)
{
    return BASE + 64 * (fp_handle)i;
}

static size_t index_of(fp_handle h)
{
    return h >= BASE && (h - BASE) % 64 == 0 && (h - BASE) / 64 < NODES
               ? (size_t)((h - BASE) / 64)
               : 0;
}

static fp_status inspect(void *ctx, fp_handle obj, fp_info *info)
{
    size_t i = index_of(obj);

    (void)ctx;
    if (!i)
        return FP_EHOST;
    info->flat = g[i].flat;
    info->flags = 0;
    info->cls = 0;
    return FP_OK;
}

static fp_status referents(void *ctx, fp_handle obj, int want_names,
                           fp_visit_fn visit, void *arg)
{
    size_t i = index_of(obj), k;

    (void)ctx;
    for (k = 0; i && k < g[i].nref; k++) {
        const char *nm = want_names ? g[i].name[k] : NULL;
        if (visit(arg, H(g[i].ref[k]), nm, nm ? strlen(nm) : 0))
            break;
    }
    return FP_OK;
}

static void edge(size_t from, size_t to, const char *name)
{
    g[from].ref[g[from].nref] = to;
    g[from].name[g[from].nref++] = name;
}

static void die(const char *what, fp_status st)
{
    fprintf(stderr, "mkdump: %s: %s\n", what, fp_strerror(st));
    exit(1);
}

static void track(fp_tracker *t, size_t node, size_t cls, double when,
                  int level, const char *repr, const char *trace)
{
    fp_status st = fp_tracker_track(t, H(node), cls, when, level, repr, trace,
                                    NULL);
    if (st != FP_OK)
        die("track", st);
}

static void snap(fp_tracker *t, double when, const char *desc)
{
    fp_status st = fp_tracker_snapshot(t, when, desc, NULL, 0);
    if (st != FP_OK)
        die("snapshot", st);
}

static size_t cls(fp_tracker *t, const char *name, int level, unsigned flags)
{
    size_t i;
    fp_status st = fp_tracker_add_class(t, name, level, flags, &i);
    if (st != FP_OK)
        die("add_class", st);
    return i;
}

static void census(fp_tracker *t, size_t snap, const fp_census_entry *e,
                   size_t n, uint64_t count, uint64_t flat)
{
    fp_status st = fp_tracker_set_census(t, snap, e, n, count, flat);
    if (st != FP_OK)
        die("set_census", st);
}

/* Nodes 1..19 are objects, 20.. their payloads. */
static void scenario_before(fp_tracker *t)
{
    size_t node = cls(t, "app.Node", 0, 0),
           leaf = cls(t, "app.Leaf", 1, FP_CLASS_TRACE),
           gone = cls(t, "app.Gone", 0, FP_CLASS_KEEP), i;

    for (i = 1; i <= 3; i++) {
        g[i].flat = 64;
        g[19 + i].flat = 100 * i;
        edge(i, 19 + i, ".payload");
        track(t, i, node, (double)i, 0, "<Node>", NULL);
    }
    g[4].flat = g[5].flat = 32;
    g[30].flat = 48;
    g[31].flat = 1000;
    edge(4, 30, ".value");
    edge(5, 30, ".value"); /* shared: the first-born counts it */
    edge(5, 31, "[0]");
    track(t, 4, leaf, 4.0, 1, "<Leaf 4>", "  build.py:   7 in make\n");
    track(t, 5, leaf, 5.0, 1, "<Leaf 5>", "  build.py:   8 in make\n");
    g[6].flat = 500;
    track(t, 6, gone, 6.0, 0, "<Gone>", NULL);
    snap(t, 10.0, "start");
    fp_tracker_died(t, H(3), 11.0);
    snap(t, 20.0, "end");
}

static void scenario_after(fp_tracker *t)
{
    size_t node = cls(t, "app.Node", 0, 0),
           leaf = cls(t, "app.Leaf", 1, FP_CLASS_TRACE),
           new = cls(t, "app.New", 2, 0), i;

    for (i = 1; i <= 4; i++) {
        g[i].flat = 64;
        g[19 + i].flat = 150 * i;
        edge(i, 19 + i, ".payload");
        track(t, i, node, (double)i, 0, "<Node>", NULL);
    }
    g[5].flat = g[6].flat = 40;
    g[30].flat = 48;
    edge(5, 30, ".value");
    edge(6, 30, ".value");
    track(t, 5, leaf, 5.0, 1, "<Leaf 5>", "  build.py:   7 in make\n");
    track(t, 6, leaf, 6.0, 1, "<Leaf 6>", "  build.py:   8 in make\n");
    g[7].flat = g[8].flat = 24;
    g[40].flat = 16;
    g[41].flat = 8;
    edge(7, 40, ".child");
    edge(40, 41, ".grandchild");
    track(t, 7, new, 7.0, 2, "<New 7>", NULL);
    track(t, 8, new, 8.0, 2, "<New 8>", NULL);
    snap(t, 10.0, "start");
    fp_tracker_died(t, H(8), 12.0);
    snap(t, 20.0, "end");
}

static void scenario_weird(fp_tracker *t)
{
    size_t a = cls(t, "we\"ird\\cls\x01\tname\xff\xfe", 1, 0),
           b = cls(t, "caf\xc3\xa9.\xe2\x82" "a\xf0\x9f\x98\x80", 0, 0);

    g[1].flat = 16;
    g[2].flat = 24;
    g[20].flat = 8;
    edge(1, 20, "[\"k\\ey\n\x7f\"]");
    track(t, 1, a, 1.0, 1, "repr with \"quotes\", \\ and \x1b[31m\r\n",
          "trace\xc0\xafline\n");
    track(t, 2, b, 2.0, 0, "\xed\xa0\x80 surrogate, \xf4\x90\x80\x80 too high",
          NULL);
    snap(t, 3.0, "d\xe9j\xe0 vu \x01");
    {
        static const fp_census_entry types[] = {
            {"we\"ird\\type\x01\tname\xff\xfe", 3, 300, 0},
            {"caf\xc3\xa9 <b>&amp;</b>", 2, 200, 0},
            {"a.very.long.module.path.that.goes.on.and.on.TypeName", 1,
             100, 0},
            {"", 1, 8, 0}};
        census(t, 0, types, 4, 7, 608);
    }
}

/* Twelve types at "end" (more than the ten shown by default), ties in
 * size, a type only here ("set"), and objects no type kept. */
static void scenario_cbefore(fp_tracker *t)
{
    static const fp_census_entry start[] = {
        {"dict", 1200, 98304, 0}, {"str", 3000, 180000, 0},
        {"app.Node", 3, 192, 792}, {"tuple", 400, 25600, 0}};
    static const fp_census_entry end[] = {
        {"dict", 1250, 100000, 0},    {"str", 3100, 185000, 0},
        {"tuple", 420, 26880, 0},     {"list", 300, 16800, 0},
        {"function", 90, 12960, 0},   {"type", 12, 12000, 0},
        {"app.Node", 2, 128, 528},    {"set", 10, 2160, 0},
        {"int", 64, 1792, 0},         {"float", 10, 240, 0},
        {"bytes", 8, 240, 0},         {"cell", 7, 280, 0}};

    scenario_before(t);
    census(t, 0, start, 4, 4700, 310000);
    census(t, 1, end, 12, 5300, 365000);
}

/* No census at "start"; at "end" dict and list grew, str shrank, "set" is
 * gone from the kept types and "bytearray" is new. */
static void scenario_cafter(fp_tracker *t)
{
    static const fp_census_entry end[] = {
        {"dict", 1500, 140000, 0}, {"str", 3000, 180000, 0},
        {"list", 350, 19600, 0},   {"tuple", 420, 26880, 0},
        {"bytearray", 2, 4096, 0}, {"app.Node", 4, 256, 1356},
        {"int", 64, 1792, 0}};

    scenario_after(t);
    census(t, 1, end, 7, 5500, 380000);
}

static void scenario_nosnap(fp_tracker *t)
{
    size_t a = cls(t, "app.Node", 0, 0);

    g[1].flat = 64;
    track(t, 1, a, 1.0, 0, NULL, NULL);
}

static void hex(FILE *f, const char *s)
{
    putc(' ', f);
    if (!*s)
        putc('-', f); /* an empty string is still a field */
    for (; *s; s++)
        fprintf(f, "%02x", (unsigned char)*s);
}

static void manifest_census(fp_tracker *t, size_t s, FILE *f)
{
    uint64_t count = 0, flat = 0;
    size_t i, n = fp_tracker_census_count(t, s);

    fp_tracker_census_totals(t, s, &count, &flat);
    if (!n && !count && !flat)
        return;
    fprintf(f, "census %zu %llu %llu\n", s, (unsigned long long)count,
            (unsigned long long)flat);
    for (i = 0; i < n; i++) {
        fp_census_entry e;
        fp_tracker_census_entry(t, s, i, &e);
        fprintf(f, "type %zu", s);
        hex(f, e.name);
        fprintf(f, " %llu %llu %llu\n", (unsigned long long)e.count,
                (unsigned long long)e.flat, (unsigned long long)e.deep);
    }
}

static void manifest(fp_tracker *t, FILE *f)
{
    size_t i, s, n = fp_tracker_object_count(t);

    for (i = 0; i < fp_tracker_class_count(t); i++) {
        fp_class_info c;
        fp_tracker_class_info(t, i, &c);
        fprintf(f, "class %zu %d %u", i, c.resolution_level, c.flags);
        hex(f, c.name);
        putc('\n', f);
    }
    for (i = 0; i < n; i++) {
        fp_object_info o;
        fp_tracker_object_info(t, i, &o);
        fprintf(f, "object %zu %zu %llx %.17g %d %.17g %d", i, o.cls,
                (unsigned long long)o.addr, o.birth, o.dead, o.death,
                o.resolution_level);
        hex(f, o.repr);
        hex(f, o.trace);
        putc('\n', f);
    }
    for (s = 0; s < fp_tracker_snapshot_count(t); s++) {
        fp_snapshot_info si;
        fp_tracker_snapshot_info(t, s, &si);
        fprintf(f, "snapshot %zu %.17g", s, si.timestamp);
        hex(f, si.desc);
        fprintf(f, " %llu %llu %llu\n", (unsigned long long)si.tracked_total,
                (unsigned long long)si.asizeof_total,
                (unsigned long long)si.procmem.rss);
        manifest_census(t, s, f);
        for (i = 0; i < n; i++) {
            uint64_t size;
            size_t first, nd, k;
            if (fp_tracker_object_size(t, s, i, &size) != FP_OK)
                continue;
            fprintf(f, "size %zu %zu %llu\n", s, i, (unsigned long long)size);
            fp_tracker_object_detail(t, s, i, &first, &nd);
            for (k = 0; k < nd; k++) {
                fp_detail_entry e;
                fp_tracker_detail_entry(t, s, first + k, &e);
                fprintf(f, "detail %zu %zu %u", s, i, (unsigned)e.depth);
                hex(f, e.name);
                fprintf(f, " %llu %llu\n", (unsigned long long)e.size,
                        (unsigned long long)e.flat);
            }
        }
    }
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(fp_tracker *);
    } scenarios[] = {{"before", scenario_before},
                     {"after", scenario_after},
                     {"cbefore", scenario_cbefore},
                     {"cafter", scenario_cafter},
                     {"weird", scenario_weird},
                     {"nosnap", scenario_nosnap},
                     {"empty", NULL}};
    fp_host host = {NULL, inspect, referents, NULL, NULL};
    fp_tracker *t = NULL;
    fp_status st;
    FILE *f;
    size_t i;

    if (argc != 4) {
        fprintf(stderr, "usage: mkdump SCENARIO DUMP MANIFEST\n");
        return 2;
    }
    for (i = 0; i < sizeof scenarios / sizeof *scenarios; i++)
        if (strcmp(argv[1], scenarios[i].name) == 0)
            break;
    if (i == sizeof scenarios / sizeof *scenarios) {
        fprintf(stderr, "mkdump: no scenario '%s'\n", argv[1]);
        return 2;
    }
    if ((st = fp_tracker_new(&t, &host, NULL)) != FP_OK)
        die("tracker", st);
    if (scenarios[i].fn)
        scenarios[i].fn(t);
    if ((st = fp_tracker_dump(t, argv[2])) != FP_OK) {
        fprintf(stderr, "mkdump: %s\n", fp_tracker_errmsg(t));
        return 1;
    }
    f = fopen(argv[3], "w");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    manifest(t, f);
    if (fclose(f) != 0) {
        perror(argv[3]);
        return 1;
    }
    fp_tracker_free(t);
    return 0;
}
