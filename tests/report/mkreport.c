/*
 * mkreport.c - builds a realistic tracker over a synthetic object graph
 * (an imitation of an SCons run: nodes, executors, environments; hundreds
 * of instances born and dying across four snapshots, per-referent detail
 * at resolution level 2, and hostile strings in class names, reprs,
 * descriptions and traces) and writes, into OUTDIR:
 *
 *   report.html  fp_report_html of the run, written by fp_text_write
 *   diff.html    fp_report_diff_html against a second, heavier run
 *   run.dump     the run as a dump (for the CLI's `footprint html`)
 *   census.html  the same run with a census of the heap by type in three
 *                of its four snapshots (not the last), and census.dump
 *   expected.json  the figures the pages must show, taken from the
 *                  tracker's own API, and the censuses as given, for
 *                  test_report.py to compare
 *
 * usage: mkreport OUTDIR
 *        mkreport --alloc-failures   the census run's report with each of
 *                 its allocations failing in turn: FP_ENOMEM, the text as
 *                 it was, nothing leaked (exit 0), else a message (exit 1)
 */
#include "fp_report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a tiny object graph and its host ---- */

typedef struct edge {
    size_t to;
    const char *name;
} edge;

typedef struct node {
    size_t flat;
    unsigned flags;
    int dead;
    size_t nedge;
    edge edges[8];
} node;

typedef struct graph {
    node *n;
    size_t len, cap;
} graph;

#define HANDLE(i) ((fp_handle)(0x7f3a10000000u + (i) * 48u))
#define INDEX(h) ((size_t)(((h) - 0x7f3a10000000u) / 48u))

static size_t add_node(graph *g, size_t flat, unsigned flags)
{
    if (g->len == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 1024;
        g->n = realloc(g->n, g->cap * sizeof *g->n);
        if (!g->n) {
            perror("mkreport");
            exit(2);
        }
    }
    memset(&g->n[g->len], 0, sizeof *g->n);
    g->n[g->len].flat = flat;
    g->n[g->len].flags = flags;
    return g->len++;
}

static void add_edge(graph *g, size_t from, size_t to, const char *name)
{
    node *n = &g->n[from];

    if (n->nedge < 8) {
        n->edges[n->nedge].to = to;
        n->edges[n->nedge++].name = name;
    }
}

static fp_status inspect(void *ctx, fp_handle obj, fp_info *info)
{
    graph *g = ctx;
    size_t i = INDEX(obj);

    if (i >= g->len || g->n[i].dead)
        return FP_EHOST;
    info->flat = g->n[i].flat;
    info->flags = g->n[i].flags;
    info->cls = 0;
    return FP_OK;
}

static fp_status referents(void *ctx, fp_handle obj, int want_names,
                           fp_visit_fn visit, void *arg)
{
    graph *g = ctx;
    size_t i = INDEX(obj), k;

    if (i >= g->len)
        return FP_EHOST;
    for (k = 0; k < g->n[i].nedge; k++) {
        const edge *e = &g->n[i].edges[k];
        const char *name = want_names ? e->name : NULL;
        if (visit(arg, HANDLE(e->to), name, name ? strlen(name) : 0))
            break;
    }
    return FP_OK;
}

static int alive(void *ctx, fp_handle obj)
{
    graph *g = ctx;
    size_t i = INDEX(obj);

    return i < g->len && !g->n[i].dead;
}

/* ---- the imitation SCons run ---- */

enum { FILE_C, DIR_C, EXEC_C, ENV_C, ACTION_C, BUILDER_C, EVIL_C, BOLD_C,
       NCLASSES };

static const char *const class_names[NCLASSES] = {
    "SCons.Node.FS.File",
    "SCons.Node.FS.Dir",
    "SCons.Executor.Executor",
    "SCons.Environment.Base",
    "SCons.Action.CommandAction",
    "SCons.Builder.BuilderBase",
    "Evil</script><script>alert(1)",
    "<b>&\"'Bold",
};
static const int class_levels[NCLASSES] = {2, 1, 1, 0, 0, 0, 2, 0};

static const char *const descs[4] = {
    "before reading SConscript files:",
    "after reading SConscript files:",
    "before building targets:",
    "after building <b>&\"' targets: </script><script>alert(1)",
};

/* test_report.py looks for these exact strings */
#define HOSTILE_REPR "</script><script>alert(1)"
#define BOLD_REPR "<b>&\"'"

typedef struct run {
    graph g;
    fp_tracker *t;
    size_t cls[NCLASSES];
    unsigned scale;      /* the "after" run is heavier */
    unsigned long seq;
} run;

static void die(const char *what, fp_status st, const fp_tracker *t)
{
    fprintf(stderr, "mkreport: %s: %s %s\n", what, fp_strerror(st),
            t ? fp_tracker_errmsg(t) : "");
    exit(2);
}

static unsigned long rnd(run *r)
{
    r->seq = r->seq * 6364136223846793005ul + 1442695040888963407ul;
    return (unsigned long)(r->seq >> 33);
}

static size_t leaf(run *r, size_t size)
{
    return add_node(&r->g, size, FP_INFO_LEAF);
}

/* An instance: a dict-like body with named attributes, some leaves, a
 * list of sources, and for nodes a reference to their directory. */
static size_t make_obj(run *r, int c, size_t dir, double when, int k)
{
    graph *g = &r->g;
    size_t o = add_node(g, 56, 0), lst, i;
    char repr[256], trace[512];
    fp_status st;

    add_edge(g, o, leaf(r, 48 + rnd(r) % 64), ".name");
    add_edge(g, o, leaf(r, (80 + rnd(r) % 200) * r->scale), ".abspath");
    if (c == FILE_C || c == EXEC_C || c == EVIL_C) {
        lst = add_node(g, 72, 0);
        add_edge(g, o, lst, ".sources");
        for (i = 0; i < 1 + rnd(r) % 5; i++) {
            static const char *const idx[] = {"[0]", "[1]", "[2]", "[3]",
                                              "[4]", "[5]"};
            add_edge(g, lst, leaf(r, 64 * r->scale), idx[i]);
        }
    }
    if (c == EXEC_C || c == ENV_C)
        add_edge(g, o, leaf(r, (2000 + rnd(r) % 4000) * r->scale),
                 "._memo: {cache}");
    if (c == ENV_C)
        add_edge(g, o, leaf(r, 60000 * r->scale), "._dict");
    if (dir != (size_t)-1)
        add_edge(g, o, dir, ".dir");
    switch (c) {
    case EVIL_C:
        snprintf(repr, sizeof repr, "%s #%d", HOSTILE_REPR, k);
        break;
    case BOLD_C:
        snprintf(repr, sizeof repr,
                 BOLD_REPR " bad utf-8 \xff\xfe ctl \x01 #%d", k);
        break;
    default:
        snprintf(repr, sizeof repr, "<%s 'src/module%d/file%d.c'>",
                 class_names[c], k % 17, k);
    }
    snprintf(trace, sizeof trace,
             "  File \"SConstruct\", line %d, in <module>\n"
             "    env.Program('prog%d', Glob('*.c'))\n"
             "  File \"SCons/Node/FS.py\", line 1234, in File\n"
             "    %s\n",
             10 + k % 40, k, c == EVIL_C ? HOSTILE_REPR : "return Entry()");
    st = fp_tracker_track(r->t, HANDLE(o), r->cls[c], when, class_levels[c],
                          repr, trace, NULL);
    if (st != FP_OK)
        die("track", st, r->t);
    return o;
}

static void snapshot(run *r, double when, int i)
{
    fp_status st = fp_tracker_snapshot(r->t, when, descs[i], NULL, 0);

    if (st != FP_OK)
        die("snapshot", st, r->t);
}

/* Four phases like an SCons build: read SConscripts (dirs, files,
 * environments), prepare executors, build (executors come and go). */
static void make_run(run *r, unsigned scale, unsigned long seed,
                     const fp_alloc *alloc)
{
    fp_host host = {0};
    size_t dirs[40], execs[200], i;
    int k;
    fp_status st;

    memset(r, 0, sizeof *r);
    r->scale = scale;
    r->seq = seed;
    host.ctx = &r->g;
    host.inspect = inspect;
    host.referents = referents;
    host.alive = alive;
    if ((st = fp_tracker_new(&r->t, &host, alloc)) != FP_OK)
        die("tracker", st, NULL);
    for (i = 0; i < NCLASSES; i++)
        if ((st = fp_tracker_add_class(r->t, class_names[i], class_levels[i],
                                       i == FILE_C ? FP_CLASS_TRACE : 0,
                                       &r->cls[i])) != FP_OK)
            die("class", st, r->t);

    for (k = 0; k < 3; k++)
        make_obj(r, ENV_C, (size_t)-1, 0.05 * k, k);
    for (k = 0; k < 40; k++)
        dirs[k] = make_obj(r, DIR_C, k ? dirs[(k - 1) / 3] : (size_t)-1,
                           0.1 + 0.01 * k, k);
    snapshot(r, 0.6, 0);

    for (k = 0; k < 320; k++)
        make_obj(r, FILE_C, dirs[k % 40], 0.7 + 0.01 * k, k);
    for (k = 0; k < 30; k++)
        make_obj(r, ACTION_C, (size_t)-1, 1.0 + 0.02 * k, k);
    for (k = 0; k < 12; k++)
        make_obj(r, BUILDER_C, (size_t)-1, 1.1 + 0.02 * k, k);
    for (k = 0; k < 5; k++)
        make_obj(r, EVIL_C, dirs[k], 1.5 + 0.1 * k, k);
    for (k = 0; k < 5; k++)
        make_obj(r, BOLD_C, (size_t)-1, 1.6 + 0.1 * k, k);
    snapshot(r, 4.2, 1);

    for (k = 0; k < 200; k++)
        execs[k] = make_obj(r, EXEC_C, (size_t)-1, 4.5 + 0.01 * k, k);
    snapshot(r, 6.8, 2);

    /* building: executors are released as targets finish; the host sees
     * some deaths itself and leaves the rest to alive() at the snapshot */
    for (k = 0; k < 150; k++) {
        r->g.n[execs[k]].dead = 1;
        if (k % 2 == 0 &&
            (st = fp_tracker_died(r->t, HANDLE(execs[k]), 7.0 + 0.02 * k)) !=
                FP_OK)
            die("died", st, r->t);
    }
    for (k = 0; k < 60; k++)
        make_obj(r, FILE_C, dirs[k % 40], 8.0 + 0.03 * k, 320 + k);
    snapshot(r, 12.4, 3);
}

/* ---- the heap by type ---- */

/* A type name test_report.py looks for, escaped. */
#define HOSTILE_TYPE "Evil<script>alert(2)</script>&Co"

typedef struct census_in {
    size_t snap;
    uint64_t count, flat;    /* the totals over every type */
    size_t n;
    fp_census_entry e[12];
} census_in;

/* What a Python host's census might give at the first three snapshots.
 * The first lists every type (its entries add up to the totals), the
 * others only the largest.  Chosen so that the chart's eight types (the
 * largest peaks: bytes, dict, str, tuple, list, frame, Evil, function)
 * are not the last table's eight largest, that bytes is gone from the
 * last census, function missing from the second and frame absent from
 * the complete first (so it had no object then). */
static const census_in censuses[] = {
    {0, 13165, 3934600, 10,
     {{"bytes", 40, 2400000, 0}, {"dict", 1500, 600000, 0},
      {"str", 6000, 420000, 0}, {"tuple", 2500, 160000, 0},
      {"function", 1100, 150000, 0}, {"list", 700, 80000, 0},
      {"set", 120, 55000, 0}, {HOSTILE_TYPE, 5, 30000, 0},
      {"int", 900, 25200, 0}, {"cell", 300, 14400, 0}}},
    {1, 35000, 6900000, 10,
     {{"bytes", 42, 2450000, 0}, {"dict", 4000, 1800000, 0},
      {"str", 15000, 1100000, 0}, {"tuple", 6000, 400000, 0},
      {"list", 2000, 260000, 0}, {"set", 300, 120000, 0},
      {HOSTILE_TYPE, 5, 90000, 0}, {"cell", 800, 38400, 0},
      {"frame", 60, 29000, 0}, {"SCons.Node.FS.File", 320, 17920, 0}}},
    {2, 50000, 7400000, 11,
     {{"dict", 5200, 2400000, 0}, {"str", 21000, 1500000, 0},
      {"tuple", 9000, 620000, 0}, {"list", 3100, 410000, 0},
      {"frame", 600, 290000, 0}, {HOSTILE_TYPE, 5, 200000, 0},
      {"function", 1400, 190000, 0}, {"set", 400, 180000, 0},
      {"int", 3000, 84000, 0}, {"cell", 1000, 48000, 0},
      {"SCons.Node.FS.File", 380, 21280, 0}}},
};
#define NCENSUS (sizeof censuses / sizeof *censuses)

static void add_censuses(run *r)
{
    size_t i;
    fp_status st;

    for (i = 0; i < NCENSUS; i++) {
        const census_in *c = &censuses[i];
        st = fp_tracker_set_census(r->t, c->snap, c->e, c->n, c->count,
                                   c->flat);
        if (st != FP_OK)
            die("census", st, r->t);
    }
}

/* ---- expected figures, as JSON ---- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_run(FILE *f, const fp_tracker *t)
{
    size_t s, c, i, n = fp_tracker_snapshot_count(t);

    fprintf(f, "{\"objects\": %zu, \"classes\": {",
            fp_tracker_object_count(t));
    for (c = 0; c < fp_tracker_class_count(t); c++) {
        fp_class_info ci;
        size_t count = 0, alive = 0;
        fp_tracker_class_info(t, c, &ci);
        for (i = 0; i < fp_tracker_object_count(t); i++) {
            fp_object_info oi;
            fp_tracker_object_info(t, i, &oi);
            if (oi.cls == c) {
                count++;
                alive += !oi.dead;
            }
        }
        fprintf(f, "%s", c ? ", " : "");
        json_str(f, ci.name);
        fprintf(f, ": {\"index\": %zu, \"count\": %zu, \"alive\": %zu, "
                   "\"level\": %d}",
                c, count, alive, ci.resolution_level);
    }
    fprintf(f, "}, \"snapshots\": [");
    for (s = 0; s < n; s++) {
        fp_snapshot_info si;
        fp_tracker_snapshot_info(t, s, &si);
        fprintf(f, "%s\n  {\"desc\": ", s ? "," : "");
        json_str(f, si.desc);
        fprintf(f, ", \"timestamp\": %.3f, \"tracked_total\": %llu, "
                   "\"rss\": %llu, \"classes\": {",
                si.timestamp, (unsigned long long)si.tracked_total,
                (unsigned long long)si.procmem.rss);
        for (c = 0; c < fp_tracker_class_count(t); c++) {
            fp_class_info ci;
            fp_class_stats cs;
            fp_tracker_class_info(t, c, &ci);
            fp_tracker_class_stats(t, s, c, &cs);
            fprintf(f, "%s", c ? ", " : "");
            json_str(f, ci.name);
            fprintf(f, ": {\"active\": %zu, \"sum\": %llu}", cs.active,
                    (unsigned long long)cs.sum);
        }
        fprintf(f, "}}");
    }
    fprintf(f, "]}");
}

/* The censuses as given to the tracker, by snapshot (null: none). */
static void json_censuses(FILE *f, size_t nsnap)
{
    size_t s, i, k;

    fprintf(f, "[");
    for (s = 0; s < nsnap; s++) {
        const census_in *c = NULL;
        for (k = 0; k < NCENSUS; k++)
            if (censuses[k].snap == s)
                c = &censuses[k];
        fprintf(f, "%s\n  ", s ? "," : "");
        if (!c) {
            fprintf(f, "null");
            continue;
        }
        fprintf(f, "{\"count\": %llu, \"flat\": %llu, \"entries\": [",
                (unsigned long long)c->count, (unsigned long long)c->flat);
        for (i = 0; i < c->n; i++) {
            fprintf(f, "%s[", i ? ", " : "");
            json_str(f, c->e[i].name);
            fprintf(f, ", %llu, %llu]", (unsigned long long)c->e[i].count,
                    (unsigned long long)c->e[i].flat);
        }
        fprintf(f, "]}");
    }
    fprintf(f, "]");
}

static void check(fp_status st, const char *what, const char *msg)
{
    if (st != FP_OK) {
        fprintf(stderr, "mkreport: %s: %s %s\n", what, fp_strerror(st), msg);
        exit(1);
    }
}

/* The page of before (and after, for a diff) to path. */
static void write_page(const run *before, const run *after,
                       const fp_report_opts *o, const char *path)
{
    fp_text *text = NULL;
    fp_status st = fp_text_new(&text, NULL);

    if (st == FP_OK)
        st = after ? fp_report_diff_html(before->t, after->t, o, text)
                   : fp_report_html(before->t, o, text);
    if (st == FP_OK)
        st = fp_text_write(text, path);
    check(st, path, fp_text_errmsg(text));
    fp_text_free(text);
}

/* ---- every allocation of the census page failing in turn ---- */

typedef struct failing {
    size_t calls, fail_at, live;
} failing;

static void *failing_realloc(void *ud, void *ptr, size_t size)
{
    failing *a = ud;
    void *p;

    if (!size) {
        a->live -= ptr != NULL;
        free(ptr);
        return NULL;
    }
    if (++a->calls == a->fail_at)
        return NULL;
    p = realloc(ptr, size);
    a->live += p && !ptr;
    return p;
}

/* The census run's page with its k-th allocation failing, for k = 1, 2,
 * ... until one succeeds (the tracker and the text share the hook, so
 * each path of report_census.c fails in turn): every failure must give
 * FP_ENOMEM, leave the text as it held before and free what it took. */
static int alloc_failures(void)
{
    failing a = {0, 0, 0};
    fp_alloc hook = {failing_realloc, &a};
    fp_text *text = NULL;
    fp_report_opts o;
    size_t k, live, len;
    fp_status st = FP_ENOMEM;
    run r;

    make_run(&r, 1, 1, &hook);
    add_censuses(&r);
    fp_report_opts_init(&o);
    check(fp_text_new(&text, &hook), "text", "");
    fp_text_put(text, "kept", 4);
    len = fp_text_len(text);
    live = a.live;
    for (k = 1; st != FP_OK && k < 100000; k++) {
        a.fail_at = a.calls + k;
        st = fp_report_html(r.t, &o, text);
        if (st != FP_OK && (st != FP_ENOMEM || fp_text_len(text) != len ||
                            memcmp(fp_text_data(text), "kept", 4) != 0 ||
                            a.live != live)) {
            fprintf(stderr, "mkreport: allocation %zu failing: %s, text "
                            "%zu bytes, %zu blocks held (want %zu)\n",
                    k, fp_strerror(st), fp_text_len(text), a.live, live);
            return 1;
        }
    }
    a.fail_at = 0;
    if (st != FP_OK || !strstr(fp_text_data(text), "id=\"types\"")) {
        fprintf(stderr, "mkreport: no census page after %zu failures\n", k);
        return 1;
    }
    printf("mkreport: %zu allocation failures, each FP_ENOMEM with the text "
           "kept and nothing leaked\n", k - 1);
    fp_text_free(text);
    fp_tracker_free(r.t);
    free(r.g.n);
    return a.live == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    char path[4096];
    fp_report_opts o;
    run before, after, cen;
    FILE *f;

    if (argc == 2 && strcmp(argv[1], "--alloc-failures") == 0)
        return alloc_failures();
    if (argc != 2) {
        fprintf(stderr, "usage: mkreport OUTDIR | --alloc-failures\n");
        return 2;
    }
    make_run(&before, 1, 1, NULL);
    make_run(&after, 2, 7, NULL);
    /* the same run as before, with a census of the heap by type */
    make_run(&cen, 1, 1, NULL);
    add_censuses(&cen);

    fp_report_opts_init(&o);
    /* fewer colours than classes, so "other" is drawn too */
    o.top_classes = 5;
    o.title = "SCons build <b>&\"' </script><script>alert(1)";
    snprintf(path, sizeof path, "%s/report.html", argv[1]);
    write_page(&before, NULL, &o, path);
    o.title = "After the patch";
    snprintf(path, sizeof path, "%s/diff.html", argv[1]);
    write_page(&before, &after, &o, path);
    snprintf(path, sizeof path, "%s/run.dump", argv[1]);
    check(fp_tracker_dump(before.t, path), path, fp_tracker_errmsg(before.t));
    o.title = "SCons build with a census";
    snprintf(path, sizeof path, "%s/census.html", argv[1]);
    write_page(&cen, NULL, &o, path);
    snprintf(path, sizeof path, "%s/census.dump", argv[1]);
    check(fp_tracker_dump(cen.t, path), path, fp_tracker_errmsg(cen.t));

    snprintf(path, sizeof path, "%s/expected.json", argv[1]);
    f = fopen(path, "w");
    if (!f) {
        perror(path);
        return 1;
    }
    fprintf(f, "{\"top_classes\": %zu, \"top_instances\": %zu,\n"
               "\"before\": ",
            o.top_classes, o.top_instances);
    json_run(f, before.t);
    fprintf(f, ",\n\"after\": ");
    json_run(f, after.t);
    fprintf(f, ",\n\"census_run\": ");
    json_run(f, cen.t);
    fprintf(f, ",\n\"census\": ");
    json_censuses(f, fp_tracker_snapshot_count(cen.t));
    fprintf(f, "}\n");
    if (fclose(f) != 0) {
        perror(path);
        return 1;
    }
    fp_tracker_free(before.t);
    fp_tracker_free(after.t);
    fp_tracker_free(cen.t);
    free(before.g.n);
    free(after.g.n);
    free(cen.g.n);
    return 0;
}
