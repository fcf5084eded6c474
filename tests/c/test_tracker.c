/*
 * test_tracker.c - the class tracker engine: birth order and exclusion in
 * snapshots, per-class statistics, deaths, the live index, detail records,
 * and allocation failure during a snapshot.
 */
#include "check.h"
#include "counting_alloc.h"
#include "graph.h"

#include <stdlib.h>

/* A tracker over g with classes "A" (index 0) and "B" (index 1). */
static fp_tracker *new_tracker(graph *g, const fp_alloc *alloc)
{
    fp_host host;
    fp_tracker *t = NULL;
    size_t a, b;

    graph_host(g, &host);
    CHECK_STATUS(fp_tracker_new(&t, &host, alloc), FP_OK);
    CHECK_STATUS(fp_tracker_add_class(t, "A", 0, 0, &a), FP_OK);
    CHECK_STATUS(fp_tracker_add_class(t, "B", 0, FP_CLASS_TRACE, &b), FP_OK);
    CHECK_EQ_U(a, 0);
    CHECK_EQ_U(b, 1);
    return t;
}

static uint64_t size_in(fp_tracker *t, size_t snap, size_t obj)
{
    uint64_t s = (uint64_t)-1;

    CHECK_STATUS(fp_tracker_object_size(t, snap, obj, &s), FP_OK);
    return s;
}

/* Objects 1 (A), 2 (A), 3 (B); 1 and 2 share node 4; 3 references 1 and
 * the private node 5.  Sizes are multiples of 8 so alignment is neutral. */
static graph *shared_graph(void)
{
    graph *g = graph_new(5);

    graph_set(g, 1, 16, 0);
    graph_set(g, 2, 24, 0);
    graph_set(g, 3, 32, 0);
    graph_set(g, 4, 400, 0);
    graph_set(g, 5, 1000, 0);
    graph_edge(g, 1, 4, ".shared");
    graph_edge(g, 2, 4, ".shared");
    graph_edge(g, 3, 1, ".owner");
    graph_edge(g, 3, 5, ".private");
    return g;
}

static void test_first_born_owns_shared_data(void)
{
    graph *g = shared_graph();
    fp_tracker *t = new_tracker(g, NULL);
    fp_snapshot_info si;
    int added = 0;

    /* tracked in the order 2, 1, 3: birth order is tracking order */
    CHECK_STATUS(fp_tracker_track(t, graph_handle(g, 2), 0, 1.0, 0, "two",
                                  NULL, &added), FP_OK);
    CHECK_EQ_U(added, 1);
    CHECK_STATUS(fp_tracker_track(t, graph_handle(g, 1), 0, 2.0, 0, "one",
                                  NULL, NULL), FP_OK);
    CHECK_STATUS(fp_tracker_track(t, graph_handle(g, 3), 1, 3.0, 0, NULL,
                                  "trace", NULL), FP_OK);
    /* tracking a live handle again changes nothing */
    CHECK_STATUS(fp_tracker_track(t, graph_handle(g, 2), 1, 4.0, 0, "x",
                                  NULL, &added), FP_OK);
    CHECK_EQ_U(added, 0);
    CHECK_EQ_U(fp_tracker_object_count(t), 3);
    CHECK_EQ_U(fp_tracker_live_count(t), 3);

    CHECK_STATUS(fp_tracker_snapshot(t, 5.0, "first", NULL, 0), FP_OK);
    CHECK_EQ_U(size_in(t, 0, 0), 24 + 400); /* object 2, first-born */
    CHECK_EQ_U(size_in(t, 0, 1), 16);       /* object 1: shared taken */
    CHECK_EQ_U(size_in(t, 0, 2), 32 + 1000); /* 3: tracked 1 excluded */
    CHECK_STATUS(fp_tracker_snapshot_info(t, 0, &si), FP_OK);
    CHECK_EQ_U(si.tracked_total, 24 + 400 + 16 + 32 + 1000);
    CHECK_EQ_U(si.nsized, 3);
    CHECK_EQ_STR(si.desc, "first");
    CHECK_TRUE(si.overhead > 0);
    CHECK_EQ_U(g->bad_calls, 0);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_deaths_and_class_stats(void)
{
    graph *g = shared_graph();
    fp_tracker *t = new_tracker(g, NULL);
    fp_class_stats cs;
    fp_object_info oi;
    uint64_t sz;

    fp_tracker_track(t, graph_handle(g, 1), 0, 1.0, 0, NULL, NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 2), 0, 2.0, 0, NULL, NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 3), 1, 3.0, 0, NULL, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(t, 4.0, "s0", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_died(t, graph_handle(g, 1), 4.5), FP_OK);
    CHECK_STATUS(fp_tracker_died(t, graph_handle(g, 1), 4.6), FP_ENOTFOUND);
    CHECK_TRUE(!fp_tracker_is_tracked(t, graph_handle(g, 1)));
    CHECK_STATUS(fp_tracker_snapshot(t, 5.0, "s1", NULL, 0), FP_OK);

    /* the dead object is not sized; the shared node moves to object 2 */
    CHECK_STATUS(fp_tracker_object_size(t, 1, 0, &sz), FP_ENOTFOUND);
    CHECK_EQ_U(size_in(t, 1, 1), 24 + 400);
    CHECK_STATUS(fp_tracker_object_info(t, 0, &oi), FP_OK);
    CHECK_TRUE(oi.dead);
    CHECK_TRUE(oi.death == 4.5);

    CHECK_STATUS(fp_tracker_class_stats(t, 0, 0, &cs), FP_OK);
    CHECK_EQ_U(cs.active, 2);
    CHECK_EQ_U(cs.sum, 16 + 400 + 24);
    CHECK_TRUE(cs.avg == (16.0 + 400 + 24) / 2);
    CHECK_STATUS(fp_tracker_class_stats(t, 1, 0, &cs), FP_OK);
    CHECK_EQ_U(cs.active, 1);
    CHECK_EQ_U(cs.sum, 24 + 400);
    CHECK_STATUS(fp_tracker_class_stats(t, 1, 1, &cs), FP_OK);
    /* object 1 is dead, so it is no longer excluded: object 3 reaches it
     * (its shared node already went to object 2) */
    CHECK_EQ_U(cs.sum, 32 + 1000 + 16);
    CHECK_STATUS(fp_tracker_class_stats(t, 2, 0, &cs), FP_EINVAL);

    /* the same address may be reused by a new object: a new record */
    CHECK_STATUS(fp_tracker_track(t, graph_handle(g, 1), 1, 6.0, 0, NULL,
                                  NULL, NULL), FP_OK);
    CHECK_EQ_U(fp_tracker_object_count(t), 4);
    CHECK_EQ_U(fp_tracker_live_count(t), 3);
    fp_tracker_free(t);
    graph_free(g);
}

static int never_alive(void *ctx, fp_handle obj)
{
    (void)ctx;
    (void)obj;
    return 0;
}

static void test_alive_callback_marks_deaths(void)
{
    graph *g = shared_graph();
    fp_host host;
    fp_tracker *t = NULL;
    fp_object_info oi;
    size_t a;

    graph_host(g, &host);
    host.alive = never_alive;
    CHECK_STATUS(fp_tracker_new(&t, &host, NULL), FP_OK);
    fp_tracker_add_class(t, "A", 0, 0, &a);
    fp_tracker_track(t, graph_handle(g, 1), a, 1.0, 0, NULL, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(t, 2.0, NULL, NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_object_info(t, 0, &oi), FP_OK);
    CHECK_TRUE(oi.dead && oi.death == 2.0);
    CHECK_EQ_U(fp_tracker_live_count(t), 0);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_detail_records(void)
{
    graph *g = shared_graph();
    fp_tracker *t = new_tracker(g, NULL);
    fp_detail_entry e;
    size_t first, n;

    fp_tracker_track(t, graph_handle(g, 3), 1, 1.0, 2, NULL, NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 2), 0, 2.0, 0, NULL, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(t, 3.0, "d", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_object_detail(t, 0, 0, &first, &n), FP_OK);
    CHECK_EQ_U(n, 4); /* root, .owner, .private, .owner's .shared */
    CHECK_STATUS(fp_tracker_detail_entry(t, 0, first, &e), FP_OK);
    CHECK_EQ_U(e.depth, 0);
    CHECK_EQ_U(e.size, 32 + 16 + 400 + 1000);
    CHECK_EQ_U(e.flat, 32);
    fp_tracker_detail_entry(t, 0, first + 1, &e);
    CHECK_EQ_STR(e.name, ".owner");
    CHECK_EQ_U(e.depth, 1);
    CHECK_EQ_U(e.size, 16 + 400);
    fp_tracker_detail_entry(t, 0, first + 2, &e);
    CHECK_EQ_STR(e.name, ".shared");
    CHECK_EQ_U(e.depth, 2);
    fp_tracker_detail_entry(t, 0, first + 3, &e);
    CHECK_EQ_STR(e.name, ".private");
    CHECK_EQ_U(e.size, 1000);
    /* object 2 was tracked at level 0: no detail */
    CHECK_STATUS(fp_tracker_object_detail(t, 0, 1, &first, &n), FP_OK);
    CHECK_EQ_U(n, 0);
    /* and a level change applies from the next snapshot on */
    CHECK_STATUS(fp_tracker_set_level(t, graph_handle(g, 2), 1), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(t, 4.0, "d2", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_object_detail(t, 1, 1, &first, &n), FP_OK);
    CHECK_EQ_U(n, 2);
    fp_tracker_free(t);
    graph_free(g);
}

/* What the report reads through the public API: a snapshot's sizes entry
 * by entry, its detail entries with their objects, snapshots by
 * description, the allocator, and which objects were detached. */
static void test_reading_snapshots(void)
{
    graph *g = shared_graph();
    fp_tracker *t = new_tracker(g, NULL);
    fp_snapshot_info si;
    fp_detail_entry e;
    fp_object_info oi;
    fp_alloc a = {NULL, NULL};
    size_t i, obj;
    uint64_t size, want;

    fp_tracker_track(t, graph_handle(g, 3), 1, 1.0, 2, NULL, NULL, NULL);
    fp_tracker_track(t, graph_handle(g, 2), 0, 2.0, 0, NULL, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(t, 3.0, "d", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(t, 4.0, "d", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(t, 5.0, "e", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_find_snapshot(t, "d", &i), FP_OK);
    CHECK_EQ_U(i, 1); /* the last one so described */
    CHECK_STATUS(fp_tracker_find_snapshot(t, "x", &i), FP_ENOTFOUND);
    CHECK_STATUS(fp_tracker_snapshot_info(t, 0, &si), FP_OK);
    CHECK_EQ_U(si.nsized, 2);
    CHECK_EQ_U(si.ndetail, 4);
    for (i = 0; i < si.nsized; i++) {
        CHECK_STATUS(fp_tracker_snapshot_entries(t, 0, i, 1, &obj, &size),
                     FP_OK);
        CHECK_EQ_U(obj, i); /* ascending object indices */
        CHECK_STATUS(fp_tracker_object_size(t, 0, obj, &want), FP_OK);
        CHECK_EQ_U(size, want);
    }
    {
        size_t objs[2] = {9, 9};
        uint64_t sizes[2] = {0, 0};
        CHECK_STATUS(fp_tracker_snapshot_entries(t, 0, 0, 2, objs, sizes),
                     FP_OK);
        CHECK_TRUE(objs[0] == 0 && objs[1] == 1);
        CHECK_STATUS(fp_tracker_object_size(t, 0, 1, &want), FP_OK);
        CHECK_EQ_U(sizes[1], want);
        CHECK_STATUS(fp_tracker_snapshot_entries(t, 0, 2, 0, NULL, NULL),
                     FP_OK);
    }
    CHECK_STATUS(fp_tracker_snapshot_entries(t, 0, si.nsized, 1, &obj, &size),
                 FP_EINVAL);
    CHECK_STATUS(fp_tracker_snapshot_entries(t, 9, 0, 0, NULL, NULL),
                 FP_EINVAL);
    for (i = 0; i < si.ndetail; i++) {
        CHECK_STATUS(fp_tracker_detail_entry(t, 0, i, &e), FP_OK);
        CHECK_EQ_U(e.obj, 0);
    }
    fp_tracker_allocator(t, &a);
    CHECK_TRUE(a.fn != NULL);
    fp_tracker_object_info(t, 0, &oi);
    CHECK_TRUE(!oi.dead && !oi.detached);
    fp_tracker_detach_all(t);
    fp_tracker_object_info(t, 0, &oi);
    CHECK_TRUE(!oi.dead && oi.detached);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_edits_detach_clear(void)
{
    graph *g = shared_graph();
    fp_tracker *t = new_tracker(g, NULL);
    fp_object_info oi;
    size_t i;

    CHECK_STATUS(fp_tracker_add_class(t, "", 0, 0, &i), FP_EINVAL);
    CHECK_STATUS(fp_tracker_add_class(t, "A", 3, 0, &i), FP_OK);
    CHECK_EQ_U(i, 0); /* updated, not added */
    CHECK_EQ_U(fp_tracker_class_count(t), 2);
    CHECK_STATUS(fp_tracker_find_class(t, "B", &i), FP_OK);
    CHECK_EQ_U(i, 1);
    CHECK_STATUS(fp_tracker_find_class(t, "C", &i), FP_ENOTFOUND);
    CHECK_STATUS(fp_tracker_track(t, graph_handle(g, 1), 7, 1.0, 0, NULL,
                                  NULL, NULL), FP_EINVAL);
    CHECK_STATUS(fp_tracker_track(t, 0, 0, 1.0, 0, NULL, NULL, NULL),
                 FP_EINVAL);
    fp_tracker_track(t, graph_handle(g, 1), 0, 1.0, 0, "r1", NULL, NULL);
    CHECK_STATUS(fp_tracker_set_class(t, graph_handle(g, 1), 1), FP_OK);
    CHECK_STATUS(fp_tracker_set_repr(t, graph_handle(g, 1), "r2"), FP_OK);
    CHECK_STATUS(fp_tracker_set_repr(t, graph_handle(g, 5), "x"),
                 FP_ENOTFOUND);
    fp_tracker_object_info(t, 0, &oi);
    CHECK_EQ_U(oi.cls, 1);
    CHECK_EQ_STR(oi.repr, "r2");
    CHECK_EQ_STR(oi.trace, "");

    fp_tracker_detach_all(t);
    CHECK_EQ_U(fp_tracker_live_count(t), 0);
    CHECK_STATUS(fp_tracker_snapshot(t, 2.0, "after detach", NULL, 0), FP_OK);
    CHECK_EQ_U(g->inspect_calls, 0); /* nothing left to size */
    fp_tracker_clear(t);
    CHECK_EQ_U(fp_tracker_object_count(t), 0);
    CHECK_EQ_U(fp_tracker_snapshot_count(t), 0);
    CHECK_EQ_U(fp_tracker_class_count(t), 2);
    fp_tracker_free(t);
    graph_free(g);
}

/* The live index against a reference array through many births, deaths
 * and address reuses (exercises growth and backward-shift deletion). */
static void test_live_index_random(void)
{
    enum { N = 20000 };
    graph *g = graph_new(N);
    fp_tracker *t = new_tracker(g, NULL);
    unsigned char live[N + 1] = {0};
    size_t nlive = 0, step, i;
    rng r = {42};

    for (step = 0; step < 150000; step++) {
        size_t k = 1 + rng_below(&r, N);
        fp_handle h = graph_handle(g, k);
        check_set_context("step %zu node %zu", step, k);
        if (live[k]) {
            CHECK_STATUS(fp_tracker_died(t, h, (double)step), FP_OK);
            live[k] = 0;
            nlive--;
        } else {
            int added = 0;
            CHECK_STATUS(fp_tracker_track(t, h, k & 1, (double)step, 0, NULL,
                                          NULL, &added), FP_OK);
            CHECK_EQ_U(added, 1);
            live[k] = 1;
            nlive++;
        }
    }
    check_set_context("final");
    CHECK_EQ_U(fp_tracker_live_count(t), nlive);
    for (i = 1; i <= N; i++) {
        size_t idx;
        CHECK_EQ_U(fp_tracker_is_tracked(t, graph_handle(g, i)), live[i]);
        if (live[i]) {
            fp_object_info oi;
            CHECK_STATUS(fp_tracker_object_index(t, graph_handle(g, i), &idx),
                         FP_OK);
            fp_tracker_object_info(t, idx, &oi);
            CHECK_TRUE(!oi.dead && oi.addr == graph_handle(g, i));
        }
    }
    fp_tracker_free(t);
    graph_free(g);
}

/* Fail every allocation of a run in turn: each failing call reports
 * FP_ENOMEM, the tracker stays usable, and everything is freed. */
static void test_alloc_failure(void)
{
    size_t n;
    int done = 0;

    for (n = 1; !done && n < 10000; n++) {
        counting_alloc ca;
        fp_alloc hook;
        graph *g = shared_graph();
        fp_host host;
        fp_tracker *t = NULL;
        fp_status st;
        size_t a = 0, b = 0;
        int ok = 1;

        counting_alloc_init(&ca, n);
        hook = counting_alloc_hook(&ca);
        graph_host(g, &host);
        check_set_context("fail_at %zu", n);
        st = fp_tracker_new(&t, &host, &hook);
        if (st == FP_OK)
            st = fp_tracker_add_class(t, "A", 0, 0, &a);
        if (st == FP_OK)
            st = fp_tracker_add_class(t, "B", 2, 0, &b);
        if (st == FP_OK)
            st = fp_tracker_track(t, graph_handle(g, 1), a, 1, 0, "one",
                                  "tr", NULL);
        if (st == FP_OK)
            st = fp_tracker_track(t, graph_handle(g, 3), b, 2, 2, NULL, NULL,
                                  NULL);
        if (st == FP_OK)
            st = fp_tracker_snapshot(t, 3, "snap", NULL, 0);
        if (st == FP_OK) {
            fp_text *x = NULL;
            st = fp_text_new(&x, &hook);
            if (st == FP_OK)
                st = fp_tracker_print_summary(t, x);
            if (st == FP_OK)
                st = fp_tracker_print_stats(t, NULL, 10, x);
            fp_text_free(x);
        }
        if (st != FP_OK) {
            CHECK_STATUS(st, FP_ENOMEM);
            ok = 0;
            /* a failed call leaves a working tracker behind */
            if (t && st == FP_ENOMEM) {
                ca.fail_at = 0;
                CHECK_STATUS(fp_tracker_snapshot(t, 9, "again", NULL, 0),
                             FP_OK);
            }
        } else {
            CHECK_EQ_U(ca.failures, 0);
            done = 1;
        }
        (void)ok;
        fp_tracker_free(t);
        CHECK_EQ_U(ca.live_blocks, 0);
        CHECK_EQ_U(ca.bad_frees, 0);
        graph_free(g);
    }
    CHECK_TRUE(done);
}

/* The per-object budget (#4): at most 64 bytes of tracker memory per
 * tracked object at every count from 1,000 to 200,000 (growth slack of
 * the records and the index included, whenever each grows), and a
 * snapshot keeps 12 bytes per object (its sizes), not the sizer's sets
 * (16 KB: the sizer itself and the first block of snapshot records). */
static void test_memory_budget(void)
{
    enum { N = 200000 };
    graph *g = graph_new(N);
    fp_tracker *t = new_tracker(g, NULL);
    size_t i, base, tracked, snapped, worst = 0, worst_n = 0;

    for (i = 1; i <= N; i++)
        graph_set(g, i, 32, 0);
    base = fp_tracker_memory(t);
    for (i = 1; i <= N; i++) {
        size_t per;
        CHECK_STATUS(fp_tracker_track(t, graph_handle(g, i), i & 1, 1, 0,
                                      NULL, NULL, NULL), FP_OK);
        per = (fp_tracker_memory(t) - base + i - 1) / i;
        if (i >= 1000 && per > worst) {
            worst = per;
            worst_n = i;
        }
    }
    check_set_context("worst at %zu objects: %zu bytes each", worst_n, worst);
    CHECK_TRUE(worst <= 64);
    tracked = fp_tracker_memory(t);
    CHECK_STATUS(fp_tracker_snapshot(t, 2, NULL, NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(t, 3, NULL, NULL, 0), FP_OK);
    snapped = fp_tracker_memory(t);
    CHECK_TRUE(snapped - tracked <= 2 * 12 * (size_t)N + 16384);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_hostless(void)
{
    fp_tracker *t = NULL;
    size_t a;

    CHECK_STATUS(fp_tracker_new(&t, NULL, NULL), FP_OK);
    fp_tracker_add_class(t, "A", 0, 0, &a);
    CHECK_STATUS(fp_tracker_snapshot(t, 1, "x", NULL, 0), FP_EINVAL);
    CHECK_TRUE(strlen(fp_tracker_errmsg(t)) > 0);
    fp_tracker_free(t);
    fp_tracker_free(NULL);
}

/* fp_tracker_set_walk: snapshots sized through a host-driven walk are
 * the snapshots of the host's inspect/referents, object by object, on
 * random graphs with deaths, detail levels (which take the core's walk)
 * and an option set with a limit (which does too). */
static void test_walk_sizing(void)
{
    uint64_t seed;

    for (seed = 1; seed <= 40; seed++) {
        graph_shape sh = {0};
        graph *g;
        fp_tracker *plain, *walked;
        graph_walker w;
        fp_host host;
        fp_sizer_opts o;
        size_t i, snap;
        uint64_t r = seed * 2654435761u;

        sh.nodes = 50 + seed * 7;
        sh.max_refs = 4;
        sh.max_flat = 200;
        sh.pct_skip = 5;
        sh.pct_leaf = 10;
        sh.pct_null_ref = 3;
        sh.pct_back_edge = 30;
        g = graph_random(seed, &sh);
        check_set_context("walk sizing, seed %ju", (uintmax_t)seed);
        plain = new_tracker(g, NULL);
        walked = new_tracker(g, NULL);
        graph_host(g, &host);
        w.host = &host;
        w.refs = NULL;
        w.len = w.cap = 0;
        fp_tracker_set_walk(walked, graph_walk_root, &w);
        for (i = 1; i <= g->n; i += 1 + (size_t)(r % 3)) {
            int level = (r >> 7) % 5 == 0 ? 2 : 0, a1 = 0, a2 = 0;
            r = r * 6364136223846793005u + 1442695040888963407u;
            CHECK_STATUS(fp_tracker_track(plain, graph_handle(g, i), i & 1,
                                          1.0, level, NULL, NULL, &a1), FP_OK);
            CHECK_STATUS(fp_tracker_track(walked, graph_handle(g, i), i & 1,
                                          1.0, level, NULL, NULL, &a2), FP_OK);
        }
        fp_sizer_opts_init(&o);
        for (snap = 0; snap < 3; snap++) {
            const fp_sizer_opts *opts = snap == 2 ? &o : NULL;
            fp_snapshot_info a, b;
            size_t k;
            if (snap == 1) /* some deaths */
                for (k = 1; k <= g->n; k += 5) {
                    fp_tracker_died(plain, graph_handle(g, k), 2.0 + snap);
                    fp_tracker_died(walked, graph_handle(g, k), 2.0 + snap);
                }
            o.limit = 3; /* snapshot 2: a limit, the core's walk for all */
            CHECK_STATUS(fp_tracker_snapshot(plain, 3.0 + snap, NULL, opts, 0),
                         FP_OK);
            CHECK_STATUS(fp_tracker_snapshot(walked, 3.0 + snap, NULL, opts,
                                             0), FP_OK);
            CHECK_STATUS(fp_tracker_snapshot_info(plain, snap, &a), FP_OK);
            CHECK_STATUS(fp_tracker_snapshot_info(walked, snap, &b), FP_OK);
            CHECK_EQ_U(a.tracked_total, b.tracked_total);
            CHECK_EQ_U(a.nsized, b.nsized);
            CHECK_TRUE(a.tracked_total > 0);
            for (k = 0; k < fp_tracker_object_count(plain); k++) {
                uint64_t sa = 7, sb = 7;
                fp_status s1 = fp_tracker_object_size(plain, snap, k, &sa);
                fp_status s2 = fp_tracker_object_size(walked, snap, k, &sb);
                CHECK_STATUS(s2, s1);
                CHECK_EQ_U(sb, sa);
            }
        }
        CHECK_EQ_U(g->bad_calls, 0);
        free(w.refs);
        fp_tracker_free(plain);
        fp_tracker_free(walked);
        graph_free(g);
    }
}

int suite_tracker(void)
{
    static const check_test tests[] = {
        {"first-born owns shared data", test_first_born_owns_shared_data},
        {"deaths and class stats", test_deaths_and_class_stats},
        {"alive callback marks deaths", test_alive_callback_marks_deaths},
        {"detail records", test_detail_records},
        {"reading snapshots through the API", test_reading_snapshots},
        {"edits, detach, clear", test_edits_detach_clear},
        {"live index against a reference", test_live_index_random},
        {"allocation failure at every point", test_alloc_failure},
        {"memory per object and snapshot", test_memory_budget},
        {"host-less tracker", test_hostless},
        {"sizing through a host-driven walk", test_walk_sizing},
        {NULL, NULL}};
    return check_add_suite("tracker", tests);
}
