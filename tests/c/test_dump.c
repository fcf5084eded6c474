/*
 * test_dump.c - dump files: round trips, every truncation point, random and
 * targeted corruption (with the checksum recomputed, so the validators
 * themselves are reached), foreign files and versions, allocation failure
 * at every point of a load, and the atomic write.
 *
 * The layout walker below reads the format from docs/dump-format.md on its
 * own, without the core's headers: if the writer drifts from the document,
 * these tests notice.
 */
#define _XOPEN_SOURCE 700 /* setrlimit, mkdtemp */

#include "check.h"
#include "counting_alloc.h"
#include "graph.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define HDR 32

#define CHECK_MSG(msg, needle)                                              \
    do {                                                                    \
        const char *m_ = (msg), *n_ = (needle);                             \
        int ok_ = strstr(m_, n_) != NULL;                                   \
        if (!ok_)                                                           \
            fprintf(stderr, "%s:%d: [%s] message \"%s\" lacks \"%s\"\n",    \
                    __FILE__, __LINE__, check_context, m_, n_);             \
        CU_ASSERT(ok_);                                                     \
    } while (0)

/* ---- little-endian access, as the document specifies ---- */

static uint64_t rd(const unsigned char *p, int n)
{
    uint64_t v = 0;

    while (n--)
        v = v << 8 | p[n];
    return v;
}

static void wr(unsigned char *p, int n, uint64_t v)
{
    int i;

    for (i = 0; i < n; i++, v >>= 8)
        p[i] = (unsigned char)v;
}

/* Payload length and checksum made to match the bytes again. */
static void fix_header(unsigned char *buf, size_t len)
{
    wr(buf + 16, 8, len - HDR);
    wr(buf + 24, 8, XXH3_64bits(buf + HDR, len - HDR));
}

typedef struct layout {
    unsigned version;
    size_t nsec;
    size_t sec[5];               /* offsets of the section headers */
    size_t strs, nstrs;          /* string bytes */
    size_t cls, ncls;            /* first class record, count */
    size_t obj, nobj;
    size_t nsnap;
    size_t snap[16];             /* first snapshots' record offsets */
    size_t cens[16];             /* their census records (version 2) */
} layout;

/* Version 1 has four sections; version 2 adds CENS, one census record
 * (24 bytes, then 32 per type) per snapshot. */
static void walk(const unsigned char *b, size_t len, layout *l)
{
    static const char tags[5][5] = {"STRS", "CLAS", "OBJS", "SNAP", "CENS"};
    size_t p = HDR, i;

    memset(l, 0, sizeof *l);
    l->version = (unsigned)rd(b + 8, 4);
    l->nsec = l->version >= 2 ? 5 : 4;
    for (i = 0; i < l->nsec; i++) {
        l->sec[i] = p;
        CHECK_TRUE(memcmp(b + p, tags[i], 4) == 0);
        p += 12 + (size_t)rd(b + p + 4, 8);
    }
    CHECK_EQ_U(p, len);
    l->strs = l->sec[0] + 12;
    l->nstrs = (size_t)rd(b + l->sec[0] + 4, 8);
    l->ncls = (size_t)rd(b + l->sec[1] + 12, 8);
    l->cls = l->sec[1] + 20;
    l->nobj = (size_t)rd(b + l->sec[2] + 12, 8);
    l->obj = l->sec[2] + 20;
    l->nsnap = (size_t)rd(b + l->sec[3] + 12, 8);
    p = l->sec[3] + 20;
    for (i = 0; i < l->nsnap && i < 16; i++) {
        l->snap[i] = p;
        p += 80 + 12 * (size_t)rd(b + p + 64, 8) +
             32 * (size_t)rd(b + p + 72, 8);
    }
    if (l->nsec < 5)
        return;
    CHECK_EQ_U(rd(b + l->sec[4] + 12, 8), l->nsnap);
    p = l->sec[4] + 20;
    for (i = 0; i < l->nsnap && i < 16; i++) {
        l->cens[i] = p;
        p += 24 + 32 * (size_t)rd(b + p + 16, 8);
    }
}

/* Offset of string s in the strings section (0 if absent). */
static uint32_t str_at(const unsigned char *b, const layout *l, const char *s)
{
    size_t off;

    for (off = 1; off < l->nstrs; off += strlen((const char *)b + l->strs + off) + 1)
        if (strcmp((const char *)b + l->strs + off, s) == 0)
            return (uint32_t)off;
    return 0;
}

/* ---- the tracker every test dumps ---- */

/* Nodes 1..8 are tracked; 9..14 hang off them with names, so objects at
 * resolution level 1 and 2 record detail trees. */
static graph *demo_graph(void)
{
    graph *g = graph_new(14);
    size_t i;

    for (i = 1; i <= 14; i++)
        graph_set(g, i, 16 * i, 0);
    graph_edge(g, 1, 9, ".name");
    graph_edge(g, 1, 10, ".kids");
    graph_edge(g, 10, 11, NULL);
    graph_edge(g, 10, 12, NULL);
    graph_edge(g, 2, 9, ".name");      /* shared with 1: first-born wins */
    graph_edge(g, 2, 13, "[\"k\\ey\"]");
    graph_edge(g, 4, 14, ".env");
    graph_edge(g, 4, 1, ".owner");     /* tracked: excluded */
    graph_edge(g, 6, 11, ".x");
    return g;
}

/* Snapshots 0 and 2 have a census (1 has none): names shared with the
 * classes and odd ones, a type named "", one with deep figures. */
static void add_censuses(fp_tracker *t)
{
    static const fp_census_entry first[] = {
        {"dict", 1200, 98304, 0},
        {"str", 3000, 180000, 0},
        {"pkg.Node", 2, 64, 0},
        {"odd\tname\xff", 1, 64, 0},
        {"", 5, 400, 0},
    };
    static const fp_census_entry last[] = {
        {"str", 3100, 190000, 250000},
        {"<script>", 7, 700, 900},
        {"dict", 1300, 100000, 400000},
    };

    CHECK_STATUS(fp_tracker_set_census(t, 0, first, 5, 4500, 300000), FP_OK);
    CHECK_STATUS(fp_tracker_set_census(t, 2, last, 3, 4407, 290700), FP_OK);
}

static fp_tracker *demo_tracker(graph *g, const fp_alloc *alloc)
{
    fp_host host;
    fp_tracker *t = NULL;
    size_t a, b, c;

    graph_host(g, &host);
    CHECK_STATUS(fp_tracker_new(&t, &host, alloc), FP_OK);
    CHECK_STATUS(fp_tracker_add_class(t, "pkg.Node", 0, 0, &a), FP_OK);
    CHECK_STATUS(fp_tracker_add_class(t, "pkg.Leaf", 2, FP_CLASS_TRACE, &b),
                 FP_OK);
    CHECK_STATUS(fp_tracker_add_class(t, "odd\tname\xff", 1, FP_CLASS_KEEP,
                                      &c), FP_OK);
    fp_tracker_track(t, graph_handle(g, 1), a, 1.0, 2, "<Node one>",
                     "File \"a.py\", line 1", NULL);
    fp_tracker_track(t, graph_handle(g, 2), b, 2.0, 1, "<Leaf>", NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 3), a, 3.0, 0, NULL, NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 4), c, 4.0, 1, "odd\n", "tr", NULL);
    fp_tracker_track(t, graph_handle(g, 5), b, 4.5, 0, "<Leaf 5>", NULL,
                     NULL);
    CHECK_STATUS(fp_tracker_snapshot(t, 5.0, "first", NULL, 1234), FP_OK);
    CHECK_STATUS(fp_tracker_died(t, graph_handle(g, 3), 5.5), FP_OK);
    fp_tracker_track(t, graph_handle(g, 6), a, 6.0, 2, "<six>", NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 7), b, 6.5, 0, NULL, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(t, 7.0, "second", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_died(t, graph_handle(g, 1), 7.5), FP_OK);
    fp_tracker_set_repr(t, graph_handle(g, 2), "<Leaf renamed>");
    CHECK_STATUS(fp_tracker_snapshot(t, 8.0, NULL, NULL, 0), FP_OK);
    fp_tracker_track(t, graph_handle(g, 8), c, 9.0, 0, "never sized", NULL,
                     NULL);
    add_censuses(t);
    return t;
}

static void dump_buf(fp_tracker *t, unsigned char **buf, size_t *len)
{
    CHECK_STATUS(fp_tracker_dump_buffer(t, buf, len), FP_OK);
}

/* Copies t's message (the one channel) into msg, when msg is not NULL. */
static void take_msg(const fp_tracker *t, char *msg)
{
    if (msg)
        snprintf(msg, FP_ERRMSG_SIZE, "%s", fp_tracker_errmsg(t));
}

/* A failed load leaves the tracker it loaded into as it was: here, empty. */
static void check_empty(const fp_tracker *u)
{
    CHECK_EQ_U(fp_tracker_class_count(u), 0);
    CHECK_EQ_U(fp_tracker_object_count(u), 0);
    CHECK_EQ_U(fp_tracker_snapshot_count(u), 0);
}

/* Loads into a new host-less tracker made with hook (NULL: libc), from
 * buf[0..len) or, with buf NULL, from path.  *out is the tracker on
 * success; on failure it was left empty and is freed (*out NULL).  msg
 * (may be NULL) gets the tracker's message either way. */
static fp_status load_new(fp_tracker **out, const void *buf, size_t len,
                          const char *path, const fp_alloc *hook, char *msg)
{
    fp_tracker *u = NULL;
    fp_status st;

    *out = NULL;
    CHECK_STATUS(fp_tracker_new(&u, NULL, hook), FP_OK);
    if (!u)
        return FP_ENOMEM;
    st = buf ? fp_tracker_load_buffer(u, buf, len) : fp_tracker_load(u, path);
    take_msg(u, msg);
    if (st != FP_OK) {
        check_empty(u);
        fp_tracker_free(u);
        u = NULL;
    }
    *out = u;
    return st;
}

static fp_status load_buf(fp_tracker **out, const void *buf, size_t len,
                          const fp_alloc *hook, char *msg)
{
    return load_new(out, buf ? buf : "", len, NULL, hook, msg);
}

static fp_status load_file(fp_tracker **out, const char *path,
                           const fp_alloc *hook, char *msg)
{
    return load_new(out, NULL, 0, path, hook, msg);
}

static fp_status dump_file(fp_tracker *t, const char *path, char *msg)
{
    fp_status st = fp_tracker_dump(t, path);

    take_msg(t, msg);
    return st;
}

/* ---- equality through the public API ---- */

static void same_census(fp_tracker *a, fp_tracker *b, size_t s)
{
    size_t i, n = fp_tracker_census_count(a, s);
    uint64_t xc = 1, xf = 1, yc = 2, yf = 2;

    CHECK_EQ_U(fp_tracker_census_count(b, s), n);
    CHECK_STATUS(fp_tracker_census_totals(a, s, &xc, &xf), FP_OK);
    CHECK_STATUS(fp_tracker_census_totals(b, s, &yc, &yf), FP_OK);
    CHECK_EQ_U(yc, xc);
    CHECK_EQ_U(yf, xf);
    for (i = 0; i < n; i++) {
        fp_census_entry x, y;
        fp_tracker_census_entry(a, s, i, &x);
        CHECK_STATUS(fp_tracker_census_entry(b, s, i, &y), FP_OK);
        CHECK_EQ_STR(y.name, x.name);
        CHECK_EQ_U(y.count, x.count);
        CHECK_EQ_U(y.flat, x.flat);
        CHECK_EQ_U(y.deep, x.deep);
    }
}

static void same_tracker(fp_tracker *a, fp_tracker *b)
{
    size_t i, s, n = fp_tracker_object_count(a);

    CHECK_EQ_U(fp_tracker_class_count(b), fp_tracker_class_count(a));
    CHECK_EQ_U(fp_tracker_object_count(b), n);
    CHECK_EQ_U(fp_tracker_live_count(b), fp_tracker_live_count(a));
    CHECK_EQ_U(fp_tracker_snapshot_count(b), fp_tracker_snapshot_count(a));
    for (i = 0; i < fp_tracker_class_count(a); i++) {
        fp_class_info x, y;
        fp_tracker_class_info(a, i, &x);
        CHECK_STATUS(fp_tracker_class_info(b, i, &y), FP_OK);
        CHECK_EQ_STR(y.name, x.name);
        CHECK_EQ_U(y.resolution_level, x.resolution_level);
        CHECK_EQ_U(y.flags, x.flags);
    }
    for (i = 0; i < n; i++) {
        fp_object_info x, y;
        fp_tracker_object_info(a, i, &x);
        CHECK_STATUS(fp_tracker_object_info(b, i, &y), FP_OK);
        CHECK_EQ_U(y.addr, x.addr);
        CHECK_EQ_U(y.cls, x.cls);
        CHECK_TRUE(y.birth == x.birth && y.death == x.death);
        CHECK_EQ_U(y.dead, x.dead);
        CHECK_EQ_U(y.resolution_level, x.resolution_level);
        CHECK_EQ_STR(y.repr, x.repr);
        CHECK_EQ_STR(y.trace, x.trace);
        CHECK_EQ_U(fp_tracker_is_tracked(b, x.addr),
                   fp_tracker_is_tracked(a, x.addr));
    }
    for (s = 0; s < fp_tracker_snapshot_count(a); s++) {
        fp_snapshot_info x, y;
        fp_tracker_snapshot_info(a, s, &x);
        CHECK_STATUS(fp_tracker_snapshot_info(b, s, &y), FP_OK);
        CHECK_TRUE(y.timestamp == x.timestamp);
        CHECK_EQ_STR(y.desc, x.desc);
        CHECK_EQ_U(y.tracked_total, x.tracked_total);
        CHECK_EQ_U(y.asizeof_total, x.asizeof_total);
        CHECK_EQ_U(y.overhead, x.overhead);
        CHECK_EQ_U(y.procmem.vsize, x.procmem.vsize);
        CHECK_EQ_U(y.procmem.rss, x.procmem.rss);
        CHECK_EQ_U(y.procmem.peak_rss, x.procmem.peak_rss);
        CHECK_EQ_U(y.nsized, x.nsized);
        for (i = 0; i < n; i++) {
            uint64_t sx = 0, sy = 0;
            size_t fx, nx, fy, ny, k;
            CHECK_STATUS(fp_tracker_object_size(b, s, i, &sy),
                         fp_tracker_object_size(a, s, i, &sx));
            CHECK_EQ_U(sy, sx);
            fp_tracker_object_detail(a, s, i, &fx, &nx);
            CHECK_STATUS(fp_tracker_object_detail(b, s, i, &fy, &ny), FP_OK);
            CHECK_EQ_U(ny, nx);
            for (k = 0; k < nx && k < ny; k++) {
                fp_detail_entry ex, ey;
                fp_tracker_detail_entry(a, s, fx + k, &ex);
                CHECK_STATUS(fp_tracker_detail_entry(b, s, fy + k, &ey),
                             FP_OK);
                CHECK_EQ_U(ey.depth, ex.depth);
                CHECK_EQ_STR(ey.name, ex.name);
                CHECK_EQ_U(ey.size, ex.size);
                CHECK_EQ_U(ey.flat, ex.flat);
            }
        }
        for (i = 0; i < fp_tracker_class_count(a); i++) {
            fp_class_stats x, y;
            fp_tracker_class_stats(a, s, i, &x);
            CHECK_STATUS(fp_tracker_class_stats(b, s, i, &y), FP_OK);
            CHECK_EQ_U(y.active, x.active);
            CHECK_EQ_U(y.sum, x.sum);
        }
        same_census(a, b, s);
    }
}

/* Same text from both: the printers see the same tracker. */
static void same_text(fp_tracker *a, fp_tracker *b)
{
    fp_text *x = NULL, *y = NULL;

    fp_text_new(&x, NULL);
    fp_text_new(&y, NULL);
    CHECK_STATUS(fp_tracker_print_summary(a, x), FP_OK);
    CHECK_STATUS(fp_tracker_print_summary(b, y), FP_OK);
    CHECK_STATUS(fp_tracker_print_stats(a, NULL, 100, x), FP_OK);
    CHECK_STATUS(fp_tracker_print_stats(b, NULL, 100, y), FP_OK);
    CHECK_TRUE(fp_text_len(x) > 0);
    CHECK_EQ_STR(fp_text_data(y), fp_text_data(x));
    fp_text_free(x);
    fp_text_free(y);
}

/* ---- round trips ---- */

static void test_round_trip(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL), *u = NULL;
    unsigned char *b1, *b2;
    size_t l1, l2, first, n;
    char msg[FP_ERRMSG_SIZE];
    fp_object_info oi;

    /* the demo holds what the format must carry: detail trees, deaths,
     * a renamed repr, a never-sized object */
    CHECK_STATUS(fp_tracker_object_detail(t, 0, 0, &first, &n), FP_OK);
    CHECK_TRUE(n >= 4);
    fp_tracker_object_info(t, 2, &oi);
    CHECK_TRUE(oi.dead);

    dump_buf(t, &b1, &l1);
    CHECK_STATUS(load_buf(&u, b1, l1, NULL, msg), FP_OK);
    CHECK_EQ_STR(msg, "");
    if (u) {
        same_tracker(t, u);
        same_text(t, u);
        /* a loaded tracker has no host to size with */
        CHECK_STATUS(fp_tracker_snapshot(u, 10.0, "x", NULL, 0), FP_EINVAL);
        /* and dumps again to the very same bytes */
        dump_buf(u, &b2, &l2);
        CHECK_EQ_U(l2, l1);
        CHECK_TRUE(l1 == l2 && memcmp(b1, b2, l1) == 0);
        fp_tracker_buffer_free(u, b2);
    }
    fp_tracker_free(u);
    fp_tracker_buffer_free(t, b1);

    /* detached objects keep their state */
    fp_tracker_detach_all(t);
    dump_buf(t, &b1, &l1);
    CHECK_STATUS(load_buf(&u, b1, l1, NULL, msg), FP_OK);
    if (u) {
        same_tracker(t, u);
        CHECK_EQ_U(fp_tracker_live_count(u), 0);
    }
    fp_tracker_free(u);
    fp_tracker_buffer_free(t, b1);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_empty_and_arguments(void)
{
    fp_tracker *t = NULL, *u = NULL;
    unsigned char *b;
    size_t l;
    char msg[FP_ERRMSG_SIZE];

    CHECK_STATUS(fp_tracker_new(&t, NULL, NULL), FP_OK);
    dump_buf(t, &b, &l);
    CHECK_EQ_U(l, HDR + 5 * 12 + 1 + 4 * 8); /* "" and four zero counts */
    CHECK_STATUS(load_buf(&u, b, l, NULL, msg), FP_OK);
    CHECK_EQ_U(fp_tracker_object_count(u), 0);
    CHECK_EQ_U(fp_tracker_snapshot_count(u), 0);
    fp_tracker_free(u);
    fp_tracker_buffer_free(t, b);

    CHECK_STATUS(fp_tracker_dump_buffer(NULL, &b, &l), FP_EINVAL);
    CHECK_STATUS(fp_tracker_dump_buffer(t, NULL, &l), FP_EINVAL);
    CHECK_STATUS(fp_tracker_load_buffer(NULL, "x", 1), FP_EINVAL);
    CHECK_STATUS(fp_tracker_load_buffer(t, NULL, 5), FP_EINVAL);
    CHECK_STATUS(fp_tracker_dump(t, NULL), FP_EINVAL);
    CHECK_STATUS(fp_tracker_dump(NULL, "x"), FP_EINVAL);
    CHECK_STATUS(fp_tracker_load(t, NULL), FP_EINVAL);
    CHECK_STATUS(fp_tracker_load(NULL, "x"), FP_EINVAL);
    fp_tracker_buffer_free(t, NULL);
    fp_tracker_buffer_free(NULL, NULL);

    /* times the reader would refuse never get into a tracker */
    {
        graph *g = demo_graph();
        fp_host host;
        fp_tracker *h = NULL;
        size_t c;
        graph_host(g, &host);
        fp_tracker_new(&h, &host, NULL);
        fp_tracker_add_class(h, "A", 0, 0, &c);
        CHECK_STATUS(fp_tracker_track(h, graph_handle(g, 1), c, NAN, 0, NULL,
                                      NULL, NULL), FP_EINVAL);
        CHECK_STATUS(fp_tracker_track(h, graph_handle(g, 1), c, INFINITY, 0,
                                      NULL, NULL, NULL), FP_EINVAL);
        CHECK_STATUS(fp_tracker_track(h, graph_handle(g, 1), c, 1.0, 0, NULL,
                                      NULL, NULL), FP_OK);
        CHECK_STATUS(fp_tracker_died(h, graph_handle(g, 1), NAN), FP_EINVAL);
        CHECK_STATUS(fp_tracker_snapshot(h, -INFINITY, "x", NULL, 0),
                     FP_EINVAL);
        CHECK_EQ_U(fp_tracker_snapshot_count(h), 0);
        CHECK_STATUS(fp_tracker_dump_buffer(h, &b, &l), FP_OK);
        fp_tracker_buffer_free(h, b);
        fp_tracker_free(h);
        graph_free(g);
    }
    fp_tracker_free(t);
}

/* Random censuses on about half the snapshots: names repeat (they are
 * merged), ties in size and count are common. */
static void random_censuses(fp_tracker *t, rng *r)
{
    fp_census_entry e[12];
    char names[12][8];
    size_t s, i, n;
    uint64_t count, flat;

    for (s = 0; s < fp_tracker_snapshot_count(t); s++) {
        if (rng_pct(r, 50))
            continue;
        n = rng_below(r, 13);
        count = flat = rng_below(r, 3);
        for (i = 0; i < n; i++) {
            snprintf(names[i], sizeof names[i], "T%zu", rng_below(r, 9));
            e[i].name = names[i];
            e[i].count = 1 + rng_below(r, 4);
            e[i].flat = 8 * rng_below(r, 4);
            e[i].deep = rng_pct(r, 50) ? e[i].flat + rng_below(r, 100) : 0;
            count += e[i].count;
            flat += e[i].flat;
        }
        CHECK_STATUS(fp_tracker_set_census(t, s, e, n, count, flat), FP_OK);
    }
}

/* A random tracker: many objects, random levels, deaths, snapshots. */
static void test_random_round_trips(void)
{
    uint64_t seed;

    for (seed = 1; seed <= 20; seed++) {
        graph_shape sh = {200, 4, 64, 5, 10, 5, 3, 3, 10, 20, 60};
        graph *g = graph_random(seed, &sh);
        rng r = {seed};
        fp_host host;
        fp_tracker *t = NULL, *u = NULL;
        unsigned char *b1, *b2;
        size_t l1, l2, i, c;
        double now = 0;

        check_set_context("seed %ju", (uintmax_t)seed);
        graph_host(g, &host);
        fp_tracker_new(&t, &host, NULL);
        for (i = 0; i < 5; i++) {
            char name[16];
            snprintf(name, sizeof name, "C%zu", i);
            fp_tracker_add_class(t, name, (int)i % 3, 0, &c);
        }
        for (i = 1; i <= 200; i++) {
            char repr[32];
            now += 1;
            snprintf(repr, sizeof repr, "<obj %zu>", i);
            if (rng_pct(&r, 70))
                fp_tracker_track(t, graph_handle(g, i), rng_below(&r, 5), now,
                                 (int)rng_below(&r, 4), repr,
                                 rng_pct(&r, 30) ? "trace" : NULL, NULL);
            if (rng_pct(&r, 10))
                fp_tracker_died(t, graph_handle(g, 1 + rng_below(&r, i)), now);
            if (rng_pct(&r, 5))
                CHECK_STATUS(fp_tracker_snapshot(t, now, "s", NULL, 0), FP_OK);
        }
        random_censuses(t, &r);
        dump_buf(t, &b1, &l1);
        CHECK_STATUS(load_buf(&u, b1, l1, NULL, NULL), FP_OK);
        if (u) {
            same_tracker(t, u);
            dump_buf(u, &b2, &l2);
            CHECK_TRUE(l1 == l2 && memcmp(b1, b2, l1) == 0);
            fp_tracker_buffer_free(u, b2);
        }
        fp_tracker_free(u);
        fp_tracker_buffer_free(t, b1);
        fp_tracker_free(t);
        graph_free(g);
    }
}

/* ---- damaged input ---- */

/* Loads buf[0..len) with a counting allocator: the status, and nothing
 * held afterwards.  A successful load is dumped again and must give the
 * same bytes: what the reader accepts, it represents exactly. */
static fp_status load_checked_as(const unsigned char *buf, size_t len,
                                 char *msg, const unsigned char *want,
                                 size_t wlen);

static fp_status load_checked(const unsigned char *buf, size_t len, char *msg)
{
    return load_checked_as(buf, len, msg, buf, len);
}

/* load_checked for an older version, which dumps again as want[0..wlen). */
static fp_status load_checked_as(const unsigned char *buf, size_t len,
                                 char *msg, const unsigned char *want,
                                 size_t wlen)
{
    counting_alloc ca;
    fp_alloc hook;
    fp_tracker *u = (fp_tracker *)&ca; /* must be reset to NULL */
    fp_status st;

    counting_alloc_init(&ca, 0);
    hook = counting_alloc_hook(&ca);
    st = load_buf(&u, buf, len, &hook, msg);
    if (st != FP_OK) {
        CHECK_TRUE(u == NULL);
        CHECK_TRUE(msg[0] != '\0');
    } else if (u) {
        unsigned char *b;
        size_t l;
        fp_text *x = NULL;
        size_t i, obj;
        dump_buf(u, &b, &l);
        CHECK_TRUE(l == wlen && memcmp(b, want, wlen) == 0);
        fp_tracker_buffer_free(u, b);
        /* and whatever it holds prints without harm */
        fp_text_new(&x, &hook);
        CHECK_STATUS(fp_tracker_print_summary(u, x), FP_OK);
        CHECK_STATUS(fp_tracker_print_stats(u, NULL, 1000, x), FP_OK);
        for (i = 0; fp_tracker_sorted_object(u, i, &obj) == FP_OK; i++)
            CHECK_TRUE(obj < fp_tracker_object_count(u));
        fp_text_free(x);
        fp_tracker_free(u);
    }
    CHECK_EQ_U(ca.live_blocks, 0);
    CHECK_EQ_U(ca.bad_frees, 0);
    return st;
}

static void test_every_truncation(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL);
    unsigned char *b, *cut;
    size_t l, k;
    char msg[FP_ERRMSG_SIZE];

    dump_buf(t, &b, &l);
    cut = malloc(l);
    for (k = 0; k < l; k++) {
        fp_status st;
        check_set_context("cut at %zu of %zu", k, l);
        memcpy(cut, b, k);
        st = load_checked(cut, k, msg);
        CHECK_STATUS(st, FP_ECORRUPT);
        CHECK_MSG(msg, "truncated");
        /* the same cut with a header that matches it: the section
         * readers meet the end of the data themselves */
        if (k >= HDR) {
            fix_header(cut, k);
            st = load_checked(cut, k, msg);
            CHECK_STATUS(st, FP_ECORRUPT);
            CHECK_MSG(msg, "truncated in section '");
        }
    }
    /* a cut inside the objects says so, with the byte */
    {
        layout lay;
        walk(b, l, &lay);
        memcpy(cut, b, lay.obj + 45);
        fix_header(cut, lay.obj + 45);
        load_checked(cut, lay.obj + 45, msg);
        CHECK_MSG(msg, "truncated in section 'objects'");
        CHECK_MSG(msg, "at byte");
    }
    free(cut);
    fp_tracker_buffer_free(t, b);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_random_corruption(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL);
    unsigned char *b, *bad;
    size_t l, trial, accepted = 0, refused = 0;
    char msg[FP_ERRMSG_SIZE];
    rng r = {42};

    dump_buf(t, &b, &l);
    bad = malloc(l);
    for (trial = 0; trial < 4000; trial++) {
        size_t flips = 1 + rng_below(&r, 4), i;
        int fixed = trial % 2;
        fp_status st;

        check_set_context("trial %zu", trial);
        memcpy(bad, b, l);
        for (i = 0; i < flips; i++) {
            /* payload bytes when the checksum is recomputed (the header
             * would just be rewritten), anywhere otherwise */
            size_t at = fixed ? HDR + rng_below(&r, l - HDR)
                              : rng_below(&r, l);
            bad[at] ^= (unsigned char)(1 + rng_below(&r, 255));
        }
        if (memcmp(bad, b, l) == 0)
            continue; /* two flips undid each other */
        if (fixed)
            fix_header(bad, l);
        st = load_checked(bad, l, msg);
        if (!fixed) {
            CHECK_TRUE(st == FP_ECORRUPT || st == FP_EFORMAT);
        } else if (st == FP_OK) {
            accepted++; /* a size or total changed: nothing to check */
        } else {
            CHECK_STATUS(st, FP_ECORRUPT);
            refused++;
        }
    }
    /* the validators must have been reached, and must refuse most */
    CHECK_TRUE(refused > accepted);
    free(bad);
    fp_tracker_buffer_free(t, b);
    fp_tracker_free(t);
    graph_free(g);
}

/* One targeted edit (with the checksum recomputed) and the message the
 * reader must give for it. */
typedef struct edit {
    const char *what;
    size_t at;
    int width;
    uint64_t value;
    const char *needle;
} edit;

static void test_targeted_corruption(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL);
    unsigned char *b, *bad;
    size_t l, i, s0, s2, nd2, n2, det, c0;
    layout y;
    char msg[FP_ERRMSG_SIZE];
    uint32_t mid, nodeoff;

    dump_buf(t, &b, &l);
    walk(b, l, &y);
    CHECK_EQ_U(y.ncls, 3);
    CHECK_EQ_U(y.nobj, 8);
    CHECK_EQ_U(y.nsnap, 3);
    nodeoff = str_at(b, &y, "pkg.Node");
    mid = nodeoff + 2;
    s0 = y.snap[0];
    s2 = y.snap[2];
    n2 = (size_t)rd(b + s2 + 64, 8);
    nd2 = (size_t)rd(b + s2 + 72, 8);
    det = s2 + 80 + 12 * n2; /* snapshot 2's first detail entry */
    CHECK_TRUE(nd2 >= 3);
    /* snapshot 0's census: str, dict, "", pkg.Node, odd (five types) */
    c0 = y.cens[0];
    CHECK_EQ_U(rd(b + c0 + 16, 8), 5);
    CHECK_EQ_U(rd(b + c0 + 24 + 3 * 32, 4), nodeoff);
    {
        /* object 0 is dead in snapshot 2 (died at 7.5): its tree is gone,
         * so the detail starts with object 1 (level 1) */
        const edit edits[] = {
            {"strings: first byte", y.strs, 1, 'x', "start with the empty"},
            {"strings: last byte", y.strs + y.nstrs - 1, 1, 'x',
             "NUL-terminated"},
            {"class tag", y.sec[1], 1, 'X', "expected tag CLAS"},
            {"class count", y.sec[1] + 12, 8, (uint64_t)1 << 40, "class count"},
            {"class count small", y.sec[1] + 12, 8, 2, "left unread"},
            {"class name past strings", y.cls, 4, y.nstrs, "string offset"},
            {"class name mid-string", y.cls, 4, mid, "does not start"},
            {"class without name", y.cls, 4, 0, "no name"},
            {"class name twice", y.cls + 12, 4, nodeoff, "appears twice"},
            {"class level", y.cls + 4, 4, 256, "resolution level 256"},
            {"object count", y.sec[2] + 12, 8, 9, "truncated in section "
                                                  "'objects'"},
            {"object handle 0", y.obj, 8, 0, "handle"},
            {"object birth NaN", y.obj + 8, 8, 0x7ff8000000000000ull,
             "birth"},
            {"object birth inf", y.obj + 8, 8, 0x7ff0000000000000ull,
             "birth"},
            {"live object with a death", y.obj + 40 + 16, 8,
             0x3ff0000000000000ull, "not dead"},
            {"dead object death NaN", y.obj + 16, 8, 0xfff8000000000000ull,
             "death"},
            {"object class", y.obj + 24, 4, 3, "class 3 out of range"},
            {"object repr", y.obj + 28, 4, (uint64_t)y.nstrs + 5, "string "
                                                                "offset"},
            {"object trace", y.obj + 32, 4, mid, "does not start"},
            {"object flags", y.obj + 37, 1, 4, "flags 0x4"},
            {"object dead and detached", y.obj + 37, 1, 3, "flags 0x3"},
            {"object reserved", y.obj + 38, 2, 1, "reserved"},
            {"live handles twice", y.obj + 40, 8, rd(b + y.obj + 3 * 40, 8),
             "distinct handles"},
            {"snapshot count", y.sec[3] + 12, 8, 1000, "snapshot count"},
            {"snapshot ts", s0, 8, 0x7ff0000000000000ull, "timestamp"},
            {"snapshot desc", s0 + 8, 4, mid, "does not start"},
            {"snapshot reserved", s0 + 12, 4, 7, "reserved"},
            {"snapshot sized count", s0 + 64, 8, 9, "9 objects sized"},
            {"snapshot sized count huge", s2 + 64, 8, 8, "truncated"},
            {"snapshot detail count", s0 + 72, 8, (uint64_t)1 << 60,
             "truncated"},
            {"sized object range", s0 + 80, 4, 8, "object 8 out of range"},
            {"sized not ascending", s0 + 80 + 12, 4, 0, "not ascending"},
            {"detail not sized", det, 4, 7, "not sized"},
            {"detail root depth", det + 4, 4, 1, "depth 1, not 0"},
            {"detail depth jump", det + 32 + 4, 4, 2, "preorder"},
            {"detail name", det + 8, 4, (uint64_t)y.nstrs, "string offset"},
            {"detail reserved", det + 12, 4, 1, "reserved"},
            {"detail second root", det + 32 + 4, 4, 0, "preorder"},
            {"detail deeper than 255", det + 32 + 4, 4, 256, "preorder"},
            {"detail root size", det + 16, 8, rd(b + det + 16, 8) + 1,
             "the object measured"},
            {"detail child size", det + 32 + 16, 8, rd(b + det + 16, 8) + 1,
             "above its parent's"},
            {"detail flat size", det + 24, 8, rd(b + det + 16, 8) + 1,
             "flat size"},
            {"census tag", y.sec[4], 1, 'X', "expected tag CENS"},
            {"census count", y.sec[4] + 12, 8, 2, "2 censuses for 3"},
            {"census count huge", y.sec[4] + 12, 8, (uint64_t)1 << 40,
             "truncated in section 'census'"},
            {"census types huge", c0 + 16, 8, 1000, "truncated in section "
                                                    "'census'"},
            {"census types few", c0 + 16, 8, 4, "(census of snapshot 1)"},
            {"census name past strings", c0 + 24, 4, y.nstrs,
             "string offset"},
            {"census name mid-string", c0 + 24, 4, mid, "does not start"},
            {"census reserved", c0 + 28, 4, 1, "reserved"},
            {"census order", c0 + 24 + 32 + 16, 8, rd(b + c0 + 24 + 16, 8) + 1,
             "type 1 is not after type 0"},
            {"census count over totals", c0, 8, 100, "more than the totals"},
            {"census flat over totals", c0 + 8, 8, 1000, "more than the "
                                                         "totals"},
            {"census type twice", c0 + 24 + 4 * 32, 4,
             rd(b + c0 + 24 + 3 * 32, 4), "type 'pkg.Node' appears twice"},
        };
        bad = malloc(l);
        for (i = 0; i < sizeof edits / sizeof *edits; i++) {
            const edit *e = &edits[i];
            check_set_context("%s", e->what);
            memcpy(bad, b, l);
            wr(bad + e->at, e->width, e->value);
            CHECK_TRUE(memcmp(bad, b, l) != 0);
            fix_header(bad, l);
            CHECK_STATUS(load_checked(bad, l, msg), FP_ECORRUPT);
            CHECK_MSG(msg, e->needle);
        }
        /* objects out of order in the detail: the first tree is moved
         * behind the second by giving its entries a larger index */
        check_set_context("detail order");
        memcpy(bad, b, l);
        CHECK_EQ_U(rd(b + det, 4), 1);
        for (i = 0; i < nd2 && rd(b + det + 32 * i, 4) == 1; i++)
            wr(bad + det + 32 * i, 4, 6);
        /* object 6 measured what object 1's tree says, so only the order
         * is wrong */
        for (i = 0; i < n2; i++)
            if (rd(b + s2 + 80 + 12 * i, 4) == 6)
                wr(bad + s2 + 80 + 12 * i + 4, 8, rd(b + det + 16, 8));
        fix_header(bad, l);
        CHECK_STATUS(load_checked(bad, l, msg), FP_ECORRUPT);
        CHECK_MSG(msg, "not ascending");
        free(bad);
    }

    /* bytes after the last section, declared by the header */
    check_set_context("trailing");
    bad = malloc(l + 3);
    memcpy(bad, b, l);
    memset(bad + l, 0, 3);
    fix_header(bad, l + 3);
    CHECK_STATUS(load_checked(bad, l + 3, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "after the last section");
    /* and beyond the payload the header declares */
    memcpy(bad, b, l);
    CHECK_STATUS(load_checked(bad, l + 3, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "trailing garbage");
    /* a section longer than the payload */
    memcpy(bad, b, l);
    wr(bad + y.sec[3] + 4, 8, (uint64_t)-1);
    fix_header(bad, l);
    CHECK_STATUS(load_checked(bad, l, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "truncated in section 'snapshots'");
    /* a bad checksum alone */
    memcpy(bad, b, l);
    bad[l - 1] ^= 1;
    CHECK_STATUS(load_checked(bad, l, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "checksum");
    /* header flags */
    memcpy(bad, b, l);
    bad[12] = 1;
    CHECK_STATUS(load_checked(bad, l, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "header flags");
    free(bad);
    fp_tracker_buffer_free(t, b);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_foreign_and_versions(void)
{
    static const char *const foreign[] = {
        "hello, world\n", "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", "\x7f" "ELF\2\1\1",
        "{\"classes\": []}", "\x89" "FPE\r\n\x1a\n and the rest"};
    fp_tracker *t = NULL;
    unsigned char *b;
    size_t l, i;
    char msg[FP_ERRMSG_SIZE];

    for (i = 0; i < sizeof foreign / sizeof *foreign; i++) {
        check_set_context("foreign %zu", i);
        CHECK_STATUS(load_checked((const unsigned char *)foreign[i],
                                  strlen(foreign[i]) + 1, msg),
                     FP_EFORMAT);
        CHECK_MSG(msg, "not a footprint dump");
    }
    fp_tracker_new(&t, NULL, NULL);
    dump_buf(t, &b, &l);
    /* a newer writer: refused by version before anything else */
    wr(b + 8, 4, FP_DUMP_VERSION + 1);
    CHECK_STATUS(load_checked(b, l, msg), FP_EFORMAT);
    {
        char want[96];
        snprintf(want, sizeof want,
                 "dump format version %d, this build reads up to %d",
                 FP_DUMP_VERSION + 1, FP_DUMP_VERSION);
        CHECK_MSG(msg, want);
    }
    /* even with a body this build could not parse */
    CHECK_STATUS(load_checked(b, 12, msg), FP_EFORMAT);
    wr(b + 8, 4, 0);
    CHECK_STATUS(load_checked(b, l, msg), FP_EFORMAT);
    wr(b + 8, 4, FP_DUMP_VERSION);
    CHECK_STATUS(load_checked(b, l, msg), FP_OK);
    fp_tracker_buffer_free(t, b);
    fp_tracker_free(t);
}

/* Version 1, the layout before censuses: the first four sections of
 * version 2, byte for byte.  It loads as snapshots without a census and
 * is written back as version 2. */
static void test_version_1(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL), *u = NULL, *v = NULL;
    unsigned char *b, *old, *again;
    size_t l, lo, la, i;
    char msg[FP_ERRMSG_SIZE];
    layout y;

    /* the same tracker without its censuses, as version 2 */
    for (i = 0; i < fp_tracker_snapshot_count(t); i++)
        CHECK_STATUS(fp_tracker_set_census(t, i, NULL, 0, 0, 0), FP_OK);
    dump_buf(t, &b, &l);
    walk(b, l, &y);
    /* cut to the first four sections: version 1 */
    lo = y.sec[4];
    old = malloc(l);
    memcpy(old, b, lo);
    wr(old + 8, 4, 1);
    fix_header(old, lo);
    walk(old, lo, &y);
    CHECK_EQ_U(y.nsec, 4);
    CHECK_STATUS(load_checked_as(old, lo, msg, b, l), FP_OK);
    CHECK_STATUS(load_buf(&u, old, lo, NULL, msg), FP_OK);
    if (u) {
        same_tracker(t, u);
        same_text(t, u);
        CHECK_EQ_U(fp_tracker_census_count(u, 0), 0);
        dump_buf(u, &again, &la);
        CHECK_TRUE(la == l && memcmp(again, b, l) == 0);
        CHECK_EQ_U(rd(again + 8, 4), FP_DUMP_VERSION);
        fp_tracker_buffer_free(u, again);
    }
    /* a census section in a version 1 dump is not part of its layout */
    memcpy(old, b, l);
    wr(old + 8, 4, 1);
    fix_header(old, l);
    CHECK_STATUS(load_buf(&v, old, l, NULL, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "after the last section");
    /* and version 2 without one is cut short */
    memcpy(old, b, lo);
    fix_header(old, lo);
    CHECK_STATUS(load_buf(&v, old, lo, NULL, msg), FP_ECORRUPT);
    CHECK_MSG(msg, "truncated in section 'census'");
    free(old);
    fp_tracker_free(u);
    fp_tracker_buffer_free(t, b);
    fp_tracker_free(t);
    graph_free(g);
}

/* Allocations a load into a new tracker made with ca's hook needs. */
static size_t load_calls(counting_alloc *ca, const unsigned char *b,
                         size_t l, const char *path)
{
    fp_alloc hook;
    fp_tracker *u = NULL;
    size_t before;

    counting_alloc_init(ca, 0);
    hook = counting_alloc_hook(ca);
    CHECK_STATUS(fp_tracker_new(&u, NULL, &hook), FP_OK);
    before = ca->calls;
    CHECK_STATUS(b ? fp_tracker_load_buffer(u, b, l) : fp_tracker_load(u, path),
                 FP_OK);
    fp_tracker_free(u);
    CHECK_EQ_U(ca->live_blocks, 0);
    return ca->calls - before;
}

/* The load's allocation number n fails: FP_ENOMEM, a message naming what
 * ran out (and the file, for a path), the tracker as it was, nothing
 * else held. */
static void load_failing_at(size_t n, const unsigned char *b, size_t l,
                            const char *path)
{
    counting_alloc ca;
    fp_alloc hook;
    fp_tracker *u = NULL;
    size_t held;

    counting_alloc_init(&ca, 0);
    hook = counting_alloc_hook(&ca);
    CHECK_STATUS(fp_tracker_new(&u, NULL, &hook), FP_OK);
    held = ca.live_blocks;
    ca.fail_at = ca.calls + n;
    CHECK_STATUS(b ? fp_tracker_load_buffer(u, b, l) : fp_tracker_load(u, path),
                 FP_ENOMEM);
    check_empty(u);
    CHECK_MSG(fp_tracker_errmsg(u), "out of memory");
    if (path)
        CHECK_MSG(fp_tracker_errmsg(u), path);
    CHECK_EQ_U(ca.live_blocks, held);
    fp_tracker_free(u);
    CHECK_EQ_U(ca.live_blocks, 0);
    CHECK_EQ_U(ca.bad_frees, 0);
}

/* Fail each allocation of a load in turn: FP_ENOMEM, nothing held. */
static void test_load_alloc_failure(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL);
    unsigned char *b;
    size_t l, n, needed;
    char msg[FP_ERRMSG_SIZE], path[64] = "/tmp/fp-dump-alloc-XXXXXX";
    counting_alloc ca;
    int fd;

    dump_buf(t, &b, &l);
    needed = load_calls(&ca, b, l, NULL);
    CHECK_TRUE(needed >= 10);
    for (n = 1; n <= needed; n++) {
        check_set_context("buffer, fail_at %zu of %zu", n, needed);
        load_failing_at(n, b, l, NULL);
    }
    /* the same through a file: the read buffer is one more point */
    fd = mkstemp(path);
    CHECK_TRUE(fd >= 0);
    close(fd);
    CHECK_STATUS(dump_file(t, path, msg), FP_OK);
    needed = load_calls(&ca, NULL, 0, path);
    for (n = 1; n <= needed; n++) {
        check_set_context("file, fail_at %zu of %zu", n, needed);
        load_failing_at(n, NULL, 0, path);
    }
    unlink(path);
    fp_tracker_buffer_free(t, b);
    fp_tracker_free(t);
    graph_free(g);
}

/* The writer's own allocations fail cleanly too. */
static void test_dump_alloc_failure(void)
{
    graph *g = demo_graph();
    counting_alloc ca;
    fp_alloc hook;
    fp_tracker *t;
    unsigned char *b = (unsigned char *)"x";
    size_t l = 1, held, k;
    char dir[64] = "/tmp/fp-dump-XXXXXX", path[96], msg[FP_ERRMSG_SIZE];

    counting_alloc_init(&ca, 0);
    hook = counting_alloc_hook(&ca);
    t = demo_tracker(g, &hook);
    held = ca.live_blocks;
    ca.fail_at = ca.calls + 1;
    CHECK_STATUS(fp_tracker_dump_buffer(t, &b, &l), FP_ENOMEM);
    CHECK_TRUE(b == NULL && l == 0);
    CHECK_EQ_U(ca.live_blocks, held);
    CHECK_TRUE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/d.fpd", dir);
    /* the buffer, then the temporary name */
    for (k = 1; k <= 2; k++) {
        ca.fail_at = ca.calls + k;
        CHECK_STATUS(dump_file(t, path, msg), FP_ENOMEM);
        CHECK_MSG(msg, "out of memory");
        CHECK_EQ_U(ca.live_blocks, held);
        CHECK_TRUE(access(path, F_OK) != 0);
    }
    ca.fail_at = 0;
    CHECK_STATUS(dump_file(t, path, msg), FP_OK);
    CHECK_EQ_U(ca.live_blocks, held);
    unlink(path);
    rmdir(dir);
    fp_tracker_free(t);
    CHECK_EQ_U(ca.live_blocks, 0);
    graph_free(g);
}

/* ---- files and the atomic write ---- */

static size_t leftovers(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    if (!d)
        return (size_t)-1;
    while ((e = readdir(d)))
        n += strstr(e->d_name, ".tmp.") != NULL;
    closedir(d);
    return n;
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *b;
    long n;

    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    fclose(f);
    return b;
}

static void test_files_and_atomic_write(void)
{
    graph *g = demo_graph();
    fp_tracker *small = NULL, *big = demo_tracker(g, NULL), *u = NULL;
    char dir[64] = "/tmp/fp-dump-XXXXXX", path[128], other[128];
    char msg[FP_ERRMSG_SIZE];
    unsigned char *before, *after, *want;
    size_t lb, la, lw;
    struct rlimit old, lim;
    void (*prev)(int);
    fp_status st;

    CHECK_TRUE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/run.fpd", dir);
    fp_tracker_new(&small, NULL, NULL);

    /* a plain write and read back */
    CHECK_STATUS(dump_file(big, path, msg), FP_OK);
    CHECK_EQ_STR(msg, "");
    CHECK_STATUS(load_file(&u, path, NULL, msg), FP_OK);
    if (u)
        same_tracker(big, u);
    fp_tracker_free(u);
    dump_buf(big, &want, &lw);
    after = slurp(path, &la);
    CHECK_TRUE(after && la == lw && memcmp(after, want, lw) == 0);
    free(after);
    fp_tracker_buffer_free(big, want);

    /* replacing it is atomic: the small dump takes its place whole */
    CHECK_STATUS(dump_file(small, path, msg), FP_OK);
    CHECK_STATUS(load_file(&u, path, NULL, msg), FP_OK);
    CHECK_EQ_U(fp_tracker_object_count(u), 0);
    fp_tracker_free(u);
    CHECK_EQ_U(leftovers(dir), 0);
    before = slurp(path, &lb);

    /* a full disk: the kernel refuses bytes past RLIMIT_FSIZE (EFBIG),
     * part-way through the temporary file */
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 100;
    prev = signal(SIGXFSZ, SIG_IGN);
    CHECK_TRUE(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    st = dump_file(big, path, msg);
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, prev);
    CHECK_STATUS(st, FP_EIO);
    CHECK_MSG(msg, "cannot write dump");
    CHECK_MSG(msg, path);
    CHECK_MSG(msg, strerror(EFBIG));
    CHECK_EQ_U(leftovers(dir), 0);
    after = slurp(path, &la);
    CHECK_TRUE(before && after && la == lb && memcmp(before, after, lb) == 0);
    free(after);

    /* the final name is a directory: the rename fails, nothing is left */
    snprintf(other, sizeof other, "%s/sub", dir);
    mkdir(other, 0755);
    CHECK_STATUS(dump_file(big, other, msg), FP_EIO);
    CHECK_MSG(msg, "renaming");
    CHECK_EQ_U(leftovers(dir), 0);
    rmdir(other);

    /* a directory that does not exist */
    snprintf(other, sizeof other, "%s/no/such/dir/run.fpd", dir);
    CHECK_STATUS(dump_file(big, other, msg), FP_EIO);
    CHECK_MSG(msg, strerror(ENOENT));

    /* reading: a missing file, a directory, a foreign file */
    CHECK_STATUS(load_file(&u, other, NULL, msg), FP_EIO);
    CHECK_MSG(msg, "cannot open");
    CHECK_TRUE(u == NULL);
    CHECK_STATUS(load_file(&u, dir, NULL, msg), FP_EIO);
    CHECK_TRUE(u == NULL);
    CHECK_STATUS(load_file(&u, "/proc/self/status", NULL, msg),
                 FP_EFORMAT);
    CHECK_MSG(msg, "/proc/self/status: not a footprint dump");

    /* the old file is still whole after all of that */
    after = slurp(path, &la);
    CHECK_TRUE(after && la == lb && memcmp(before, after, lb) == 0);
    free(after);
    free(before);
    unlink(path);
    CHECK_EQ_U(leftovers(dir), 0);
    CHECK_TRUE(rmdir(dir) == 0);
    fp_tracker_free(small);
    fp_tracker_free(big);
    graph_free(g);
}

/* A load replaces what a host-less tracker held, a failed one changes
 * nothing, and a tracker with a host refuses: its host would be asked
 * about handles of another run. */
static void test_load_into(void)
{
    graph *g = demo_graph();
    fp_tracker *t = demo_tracker(g, NULL), *u = NULL, *empty = NULL;
    unsigned char *b, *e;
    size_t l, le, i;

    dump_buf(t, &b, &l);
    CHECK_STATUS(fp_tracker_new(&empty, NULL, NULL), FP_OK);
    dump_buf(empty, &e, &le);
    CHECK_STATUS(fp_tracker_load_buffer(t, b, l), FP_EINVAL);
    CHECK_MSG(fp_tracker_errmsg(t), "a tracker with a host cannot load");
    CHECK_STATUS(fp_tracker_new(&u, NULL, NULL), FP_OK);
    CHECK_STATUS(fp_tracker_load_buffer(u, e, le), FP_OK);
    CHECK_STATUS(fp_tracker_load_buffer(u, b, l), FP_OK);
    CHECK_EQ_STR(fp_tracker_errmsg(u), "");
    same_tracker(t, u);
    /* every cut of the dump is refused and leaves u as it was */
    for (i = 0; i < l; i += 97) {
        check_set_context("cut at %zu", i);
        CHECK_TRUE(fp_tracker_load_buffer(u, b, i) != FP_OK);
        CHECK_TRUE(fp_tracker_errmsg(u)[0] != '\0');
    }
    check_set_context("after the cuts");
    same_tracker(t, u);
    /* and a good load of the empty dump empties it */
    CHECK_STATUS(fp_tracker_load_buffer(u, e, le), FP_OK);
    check_empty(u);
    fp_tracker_buffer_free(t, b);
    fp_tracker_buffer_free(empty, e);
    fp_tracker_free(u);
    fp_tracker_free(empty);
    fp_tracker_free(t);
    graph_free(g);
}

int suite_dump(void)
{
    static const check_test tests[] = {
        {"round trip", test_round_trip},
        {"empty tracker and arguments", test_empty_and_arguments},
        {"random round trips", test_random_round_trips},
        {"every truncation point", test_every_truncation},
        {"random corruption", test_random_corruption},
        {"targeted corruption", test_targeted_corruption},
        {"foreign files and versions", test_foreign_and_versions},
        {"version 1 dumps still load", test_version_1},
        {"allocation failure while loading", test_load_alloc_failure},
        {"allocation failure while dumping", test_dump_alloc_failure},
        {"files and the atomic write", test_files_and_atomic_write},
        {"loading into a tracker", test_load_into},
        {NULL, NULL}};
    return check_add_suite("dump", tests);
}
