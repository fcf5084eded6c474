/*
 * test_sizer.c - the sizing traversal (core/sizer.c) on synthetic graphs.
 *
 * Hand-made graphs check each rule with figures worked out in the test
 * from the graph's flat sizes; every case also runs through twin_size, so
 * the naive reference sizer agrees on status, per-root sizes, all stats
 * and the set of objects sized.  Random graphs (fixed seeds) then mix all
 * the rules together.
 */
#include "check.h"
#include "compare.h"

#include <stdlib.h>

enum { A = 1, B, C, D, E, F };

static size_t al(size_t n, size_t a)
{
    return (n + a - 1) / a * a;
}

static size_t al8(size_t n)
{
    return al(n, 8);
}

static fp_stats stats_of(const twin *t)
{
    fp_stats st;

    fp_sizer_stats(t->s, &st);
    return st;
}

static void open_default(twin *t, graph *g)
{
    CHECK_STATUS(twin_open(t, g, NULL, NULL), FP_OK);
}

static void test_arguments(void)
{
    graph *g = graph_new(2);
    fp_host host, nohost;
    fp_sizer *s = (fp_sizer *)&host;
    fp_sizer_opts o;
    fp_handle h = graph_handle(g, A);
    fp_detail *d = (fp_detail *)&host;
    size_t size = 99;

    check_set_context("arguments");
    graph_host(g, &host);
    memset(&nohost, 0, sizeof nohost);
    CHECK_STATUS(fp_sizer_new(NULL, &host, NULL, NULL), FP_EINVAL);
    CHECK_STATUS(fp_sizer_new(&s, NULL, NULL, NULL), FP_EINVAL);
    CHECK_TRUE(s == NULL);
    CHECK_STATUS(fp_sizer_new(&s, &nohost, NULL, NULL), FP_EINVAL);
    nohost.inspect = host.inspect;
    CHECK_STATUS(fp_sizer_new(&s, &nohost, NULL, NULL), FP_EINVAL);
    fp_sizer_free(NULL);

    CHECK_STATUS(fp_sizer_new(&s, &host, NULL, NULL), FP_OK);
    fp_sizer_get_opts(s, &o);
    CHECK_EQ_U(o.align, 8);
    CHECK_EQ_U(o.limit, FP_NO_LIMIT);
    CHECK_EQ_U(o.detail, 0);
    CHECK_EQ_U(o.count_duplicates, 0);
    CHECK_STATUS(fp_sizer_size(NULL, &h, 1, &size), FP_EINVAL);
    CHECK_STATUS(fp_sizer_size(s, NULL, 1, &size), FP_EINVAL);
    CHECK_STATUS(fp_sizer_size(s, NULL, 0, NULL), FP_OK);
    CHECK_STATUS(fp_sizer_size_detail(s, &h, 1, &size, NULL), FP_EINVAL);
    CHECK_STATUS(fp_sizer_size_detail(NULL, &h, 1, &size, &d), FP_EINVAL);
    CHECK_STATUS(fp_sizer_exclude(NULL, &h, 1), FP_EINVAL);
    CHECK_STATUS(fp_sizer_exclude(s, NULL, 1), FP_EINVAL);
    CHECK_STATUS(fp_sizer_exclude(s, NULL, 0), FP_OK);
    CHECK_STATUS(fp_sizer_set_opts(s, NULL), FP_EINVAL);
    CHECK_STATUS(fp_sizer_set_opts(NULL, &o), FP_EINVAL);
    CHECK_EQ_U(size, 99); /* no call above sized anything */
    CHECK_EQ_STR(fp_sizer_errmsg(NULL), "");
    fp_sizer_free(s);
    CHECK_EQ_U(g->bad_calls, 0);
    graph_free(g);
}

/* A -> B -> C -> A, A -> A, C -> B: everything once, the rest revisits. */
static void test_cycles(void)
{
    graph *g = graph_new(3);
    twin t;
    size_t root = A, size;
    fp_stats st;

    check_set_context("cycles");
    graph_set(g, A, 10, 0);
    graph_set(g, B, 20, 0);
    graph_set(g, C, 30, 0);
    graph_edge(g, A, B, NULL);
    graph_edge(g, B, C, NULL);
    graph_edge(g, C, A, NULL);
    graph_edge(g, A, A, NULL);
    graph_edge(g, C, B, NULL);
    open_default(&t, g);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, al8(10) + al8(20) + al8(30));
    st = stats_of(&t);
    CHECK_EQ_U(st.objects, 3);
    CHECK_EQ_U(st.revisits, 3);
    CHECK_EQ_U(st.max_depth, 2);
    twin_close(&t);
    graph_free(g);
}

/* Diamond A -> B -> D, A -> C -> D, plus A -> D: D counts once, for B. */
static void test_shared_counted_once(void)
{
    graph *g = graph_new(4);
    twin t;
    size_t root = A, size;
    fp_sizer_opts o;
    fp_stats st;

    check_set_context("shared");
    graph_set(g, A, 1, 0);
    graph_set(g, B, 2, 0);
    graph_set(g, C, 3, 0);
    graph_set(g, D, 1000, 0);
    graph_edge(g, A, B, NULL);
    graph_edge(g, A, C, NULL);
    graph_edge(g, A, D, NULL);
    graph_edge(g, B, D, NULL);
    graph_edge(g, C, D, NULL);
    fp_sizer_opts_init(&o);
    o.count_duplicates = 1;
    CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, 3 * 8 + 1000);
    st = stats_of(&t);
    CHECK_EQ_U(st.objects, 4);
    CHECK_EQ_U(st.revisits, 2);
    CHECK_EQ_U(st.duplicates, 1);
    CHECK_EQ_U(st.max_depth, 2); /* D first reached through B */

    /* Without count_duplicates the second set is not kept. */
    o.count_duplicates = 0;
    CHECK_STATUS(twin_set_opts(&t, &o), FP_OK);
    twin_reset(&t);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    st = stats_of(&t);
    CHECK_EQ_U(st.revisits, 2);
    CHECK_EQ_U(st.duplicates, 0);
    twin_close(&t);
    graph_free(g);
}

/* A -> X -> Y, A -> Z; X excluded. */
static void test_exclusions(void)
{
    enum { X = 2, Y, Z };
    graph *g = graph_new(4);
    twin t;
    size_t roots[2], sizes[2], x = X;
    fp_stats st;

    check_set_context("exclusions");
    graph_set(g, A, 8, 0);
    graph_set(g, X, 16, 0);
    graph_set(g, Y, 32, 0);
    graph_set(g, Z, 64, 0);
    graph_edge(g, A, X, NULL);
    graph_edge(g, X, Y, NULL);
    graph_edge(g, A, Z, NULL);
    graph_edge(g, Z, X, NULL);
    open_default(&t, g);
    CHECK_STATUS(twin_exclude(&t, &x, 1), FP_OK);
    roots[0] = A;
    CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 8 + 64);
    st = stats_of(&t);
    CHECK_EQ_U(st.excluded, 2);
    CHECK_EQ_U(st.revisits, 0);
    CHECK_TRUE(!fp_sizer_seen(t.s, graph_handle(g, Y)));

    /* An excluded object passed as a root is sized, with what it holds. */
    roots[0] = X;
    CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 16 + 32);

    /* Exclusions outlive resets; clearing them brings X back. */
    twin_reset(&t);
    roots[0] = A;
    CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 8 + 64);
    twin_reset(&t);
    twin_exclude_clear(&t);
    roots[0] = A;
    roots[1] = X;
    CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 8 + 64);
    CHECK_EQ_U(sizes[1], 16 + 32);
    CHECK_EQ_U(stats_of(&t).excluded, 0);
    twin_close(&t);
    graph_free(g);
}

/* A -> B -> C: as roots [A, B] B is never counted inside A. */
static void test_roots_not_inside_other_roots(void)
{
    graph *g = graph_new(3);
    twin t;
    size_t roots[2], sizes[2];

    check_set_context("roots");
    graph_set(g, A, 100, 0);
    graph_set(g, B, 200, 0);
    graph_set(g, C, 300, 0);
    graph_edge(g, A, B, NULL);
    graph_edge(g, B, C, NULL);
    open_default(&t, g);
    roots[0] = A;
    roots[1] = B;
    CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], al8(100));
    CHECK_EQ_U(sizes[1], al8(200) + al8(300));
    twin_reset(&t);
    roots[0] = B;
    roots[1] = A;
    CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], al8(200) + al8(300));
    CHECK_EQ_U(sizes[1], al8(100));
    CHECK_EQ_U(stats_of(&t).total, al8(100) + al8(200) + al8(300));
    twin_close(&t);
    graph_free(g);
}

/* A -> S, B -> S: S goes to whichever root comes first (asizesof). */
static void test_first_root_wins(void)
{
    enum { S = 3 };
    graph *g = graph_new(3);
    twin t;
    size_t roots[2], sizes[2];

    check_set_context("first root wins");
    graph_set(g, A, 24, 0);
    graph_set(g, B, 40, 0);
    graph_set(g, S, 1000, 0);
    graph_edge(g, A, S, NULL);
    graph_edge(g, B, S, NULL);
    open_default(&t, g);
    roots[0] = A;
    roots[1] = B;
    CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 24 + 1000);
    CHECK_EQ_U(sizes[1], 40);
    twin_reset(&t);
    roots[0] = B;
    roots[1] = A;
    CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 40 + 1000);
    CHECK_EQ_U(sizes[1], 24);
    twin_close(&t);
    graph_free(g);
}

/* [A, B, A, 0, B]: repeats get the first occurrence's size, count once. */
static void test_repeated_roots(void)
{
    graph *g = graph_new(3);
    twin t;
    size_t roots[5] = {A, B, A, 0, B}, sizes[5];
    fp_stats st;

    check_set_context("repeated roots");
    graph_set(g, A, 16, 0);
    graph_set(g, B, 32, 0);
    graph_set(g, C, 64, 0);
    graph_edge(g, A, C, NULL);
    graph_edge(g, B, C, NULL);
    open_default(&t, g);
    CHECK_STATUS(twin_size(&t, roots, 5, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 16 + 64);
    CHECK_EQ_U(sizes[1], 32);
    CHECK_EQ_U(sizes[2], sizes[0]);
    CHECK_EQ_U(sizes[3], 0);
    CHECK_EQ_U(sizes[4], sizes[1]);
    st = stats_of(&t);
    CHECK_EQ_U(st.objects, 3);
    CHECK_EQ_U(st.total, 16 + 32 + 64);
    twin_close(&t);
    graph_free(g);
}

/* The sizer accumulates: a root sized by an earlier call gets 0, and what
 * earlier calls reached is not counted again - until a reset. */
static void test_accumulates_until_reset(void)
{
    graph *g = graph_new(3);
    twin t;
    size_t roots[2], sizes[2];
    fp_stats st;

    check_set_context("accumulating");
    graph_set(g, A, 8, 0);
    graph_set(g, B, 16, 0);
    graph_set(g, C, 24, 0);
    graph_edge(g, A, C, NULL);
    graph_edge(g, B, C, NULL);
    open_default(&t, g);
    roots[0] = A;
    CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 8 + 24);
    roots[0] = A;
    roots[1] = B;
    CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 0);
    CHECK_EQ_U(sizes[1], 16);
    st = stats_of(&t);
    CHECK_EQ_U(st.total, 8 + 16 + 24);
    CHECK_EQ_U(st.objects, 3);
    CHECK_TRUE(fp_sizer_seen(t.s, graph_handle(g, C)));

    twin_reset(&t);
    st = stats_of(&t);
    CHECK_EQ_U(st.total, 0);
    CHECK_EQ_U(st.objects, 0);
    CHECK_EQ_U(st.revisits, 0);
    CHECK_TRUE(!fp_sizer_seen(t.s, graph_handle(g, A)));
    roots[0] = B;
    CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 16 + 24);
    twin_close(&t);
    graph_free(g);
}

static void test_alignment(void)
{
    static const size_t flats[] = {0, 1, 7, 8, 9, 15, 16, 17, 33};
    static const size_t aligns[] = {1, 2, 8, 16, 4096};
    static const size_t bad[] = {0, 3, 12, 24, (size_t)-1};
    const size_t nf = sizeof flats / sizeof *flats;
    graph *g = graph_new(nf + 1);
    fp_sizer_opts o, got;
    twin t;
    size_t i, j, root = 1, size;

    /* One root holding one object of each flat size. */
    for (i = 0; i < nf; i++) {
        graph_set(g, i + 2, flats[i], 0);
        graph_edge(g, 1, i + 2, NULL);
    }
    for (j = 0; j < sizeof aligns / sizeof *aligns; j++) {
        size_t want = 0;
        check_set_context("align %zu", aligns[j]);
        fp_sizer_opts_init(&o);
        o.align = aligns[j];
        CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
        for (i = 0; i < nf; i++)
            want += al(flats[i], aligns[j]);
        CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
        CHECK_EQ_U(size, want);
        twin_close(&t);
    }
    check_set_context("invalid align");
    CHECK_STATUS(twin_open(&t, g, NULL, NULL), FP_OK);
    for (j = 0; j < sizeof bad / sizeof *bad; j++) {
        fp_sizer *s = (fp_sizer *)&o;
        fp_sizer_opts_init(&o);
        o.align = bad[j];
        CHECK_STATUS(fp_sizer_new(&s, &t.host, &o, NULL), FP_EINVAL);
        CHECK_TRUE(s == NULL);
        CHECK_STATUS(fp_sizer_set_opts(t.s, &o), FP_EINVAL);
        fp_sizer_get_opts(t.s, &got);
        CHECK_EQ_U(got.align, 8); /* a refused change leaves opts alone */
    }
    twin_close(&t);
    graph_free(g);
}

/* Root A holds: S (SKIP, holds X), L (LEAF, holds Y), M (LEAF_UNLESS_ROOT,
 * holds Z). */
static void test_flags(void)
{
    enum { S = 2, L, M, X, Y, Z };
    graph *g = graph_new(7);
    twin t;
    size_t roots[3], sizes[3];
    fp_stats st;

    check_set_context("flags");
    graph_set(g, A, 8, 0);
    graph_set(g, S, 1000, FP_INFO_SKIP);
    graph_set(g, L, 16, FP_INFO_LEAF);
    graph_set(g, M, 32, FP_INFO_LEAF_UNLESS_ROOT);
    graph_set(g, X, 64, 0);
    graph_set(g, Y, 128, 0);
    graph_set(g, Z, 256, 0);
    graph_edge(g, A, S, NULL);
    graph_edge(g, A, L, NULL);
    graph_edge(g, A, M, NULL);
    graph_edge(g, A, S, NULL);
    graph_edge(g, S, X, NULL);
    graph_edge(g, L, Y, NULL);
    graph_edge(g, M, Z, NULL);
    open_default(&t, g);
    roots[0] = A;
    CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 8 + 16 + 32);
    st = stats_of(&t);
    CHECK_EQ_U(st.objects, 3);
    CHECK_TRUE(!fp_sizer_seen(t.s, graph_handle(g, X)));
    CHECK_TRUE(!fp_sizer_seen(t.s, graph_handle(g, Z)));

    /* As roots: SKIP is still nothing, LEAF still stops, and a
     * LEAF_UNLESS_ROOT object is followed. */
    twin_reset(&t);
    roots[0] = S;
    roots[1] = L;
    roots[2] = M;
    CHECK_STATUS(twin_size(&t, roots, 3, 0, sizes), FP_OK);
    CHECK_EQ_U(sizes[0], 0);
    CHECK_EQ_U(sizes[1], 16);
    CHECK_EQ_U(sizes[2], 32 + 256);
    CHECK_EQ_U(stats_of(&t).objects, 3);
    twin_close(&t);
    graph_free(g);
}

/* Chain A -> B -> C -> D -> E, and a short cut A -> D. */
static void test_depth_limit(void)
{
    graph *g = graph_new(5);
    twin t;
    fp_sizer_opts o;
    size_t root = A, size, limit;
    fp_stats st;

    graph_set(g, A, 1, 0);
    graph_set(g, B, 10, 0);
    graph_set(g, C, 100, 0);
    graph_set(g, D, 1000, 0);
    graph_set(g, E, 10000, 0);
    graph_edge(g, A, B, NULL);
    graph_edge(g, B, C, NULL);
    graph_edge(g, C, D, NULL);
    graph_edge(g, D, E, NULL);
    for (limit = 0; limit <= 5; limit++) {
        size_t want = 0, i;
        check_set_context("chain, limit %zu", limit);
        fp_sizer_opts_init(&o);
        o.align = 1;
        o.limit = limit;
        CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
        for (i = A; i <= E && i - A <= limit; i++)
            want += g->node[i].flat;
        CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
        CHECK_EQ_U(size, want);
        st = stats_of(&t);
        CHECK_EQ_U(st.objects, limit < 4 ? limit + 1 : 5);
        CHECK_EQ_U(st.max_depth, limit < 4 ? limit : 4);
        CHECK_EQ_U(st.truncated, limit < 4 ? 1 : 0);
        twin_close(&t);
    }

    /* With A -> D as well, D is reached at depth 1: limit 1 hides C
     * (below B) and E (below D). */
    graph_edge(g, A, D, NULL);
    check_set_context("short cut, limit 1");
    fp_sizer_opts_init(&o);
    o.align = 1;
    o.limit = 1;
    CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, 1 + 10 + 1000);
    CHECK_EQ_U(stats_of(&t).truncated, 2);
    twin_close(&t);

    /* Limit 0 sizes roots only; a second root reaching what the first's
     * limit hid means nothing was hidden. */
    check_set_context("limit 0, roots only");
    o.limit = 0;
    CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
    {
        size_t roots[2] = {C, D}, sizes[2];
        CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_OK);
        CHECK_EQ_U(sizes[0], 100);
        CHECK_EQ_U(sizes[1], 1000);
        st = stats_of(&t);
        CHECK_EQ_U(st.truncated, 1); /* E; D is a root */
        CHECK_EQ_U(st.max_depth, 0);
    }
    twin_close(&t);
    graph_free(g);
}

/* What the limit hides but would be skipped or excluded anyway is not
 * reported as truncated. */
static void test_truncated_ignores_skip_and_excluded(void)
{
    enum { S = 2, X, Y };
    graph *g = graph_new(4);
    twin t;
    fp_sizer_opts o;
    size_t root = A, x = X, size;

    check_set_context("truncated");
    graph_set(g, S, 8, FP_INFO_SKIP);
    graph_set(g, X, 8, 0);
    graph_set(g, Y, 8, 0);
    graph_edge(g, A, S, NULL);
    graph_edge(g, A, X, NULL);
    graph_edge(g, A, Y, NULL);
    graph_edge(g, A, Y, NULL);
    fp_sizer_opts_init(&o);
    o.limit = 0;
    CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
    CHECK_STATUS(twin_exclude(&t, &x, 1), FP_OK);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(stats_of(&t).truncated, 1); /* Y, once */
    twin_close(&t);
    graph_free(g);
}

/* A -> B (inspect fails), A -> C (referents fail) -> D. */
static void test_host_ehost_counted(void)
{
    graph *g = graph_new(4);
    twin t;
    size_t root = A, size;
    fp_stats st;

    check_set_context("FP_EHOST");
    graph_set(g, A, 8, 0);
    graph_set(g, B, 16, 0);
    graph_set(g, C, 32, 0);
    graph_set(g, D, 64, 0);
    graph_edge(g, A, B, NULL);
    graph_edge(g, A, C, NULL);
    graph_edge(g, C, D, NULL);
    graph_fail(g, B, FP_EHOST, FP_OK);
    graph_fail(g, C, FP_OK, FP_EHOST);
    open_default(&t, g);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, 8 + 32);
    st = stats_of(&t);
    CHECK_EQ_U(st.failed, 2);
    CHECK_EQ_U(st.objects, 2);
    CHECK_EQ_STR(fp_sizer_errmsg(t.s), "");

    /* A root the host cannot inspect is size 0 and the call still works. */
    twin_reset(&t);
    root = B;
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, 0);
    CHECK_EQ_U(stats_of(&t).failed, 1);
    twin_close(&t);
    graph_free(g);

    /* referents that fail part-way: what was reported is still sized. */
    g = graph_new(4);
    graph_set(g, A, 8, 0);
    graph_set(g, B, 16, 0);
    graph_set(g, C, 32, 0);
    graph_set(g, D, 64, 0);
    graph_edge(g, A, B, NULL);
    graph_edge(g, A, C, NULL);
    graph_edge(g, A, D, NULL);
    graph_fail_after(g, A, FP_EHOST, 2);
    open_default(&t, g);
    root = A;
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, 8 + 16 + 32);
    CHECK_EQ_U(stats_of(&t).failed, 1);
    CHECK_TRUE(!fp_sizer_seen(t.s, graph_handle(g, D)));
    twin_close(&t);
    graph_free(g);
}

/* Any other status aborts: returned, explained, sizer reset. */
static void test_host_hard_failure_aborts(void)
{
    static const struct {
        const char *what;
        size_t node;
        int in_referents;
        size_t limit;
    } cases[] = {
        {"inspect of a referent", C, 0, FP_NO_LIMIT},
        {"referents of a referent", C, 1, FP_NO_LIMIT},
        {"inspect of a root", B, 0, FP_NO_LIMIT},
        {"referents of a root", B, 1, FP_NO_LIMIT},
        {"referents at the depth limit", C, 1, 1},
        {"inspect below the depth limit", D, 0, 1},
    };
    size_t k;

    for (k = 0; k < sizeof cases / sizeof *cases; k++) {
        graph *g = graph_new(5);
        twin t;
        fp_sizer_opts o;
        size_t roots[2] = {A, B}, sizes[2], e = E, size;
        fp_stats st;

        check_set_context("hard failure: %s", cases[k].what);
        graph_set(g, A, 8, 0);
        graph_set(g, B, 8, 0);
        graph_set(g, C, 8, 0);
        graph_set(g, D, 8, 0);
        graph_edge(g, A, E, NULL);
        graph_edge(g, B, C, NULL);
        graph_edge(g, C, D, NULL);
        graph_edge(g, D, E, NULL);
        fp_sizer_opts_init(&o);
        o.limit = cases[k].limit;
        CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
        CHECK_STATUS(twin_exclude(&t, &e, 1), FP_OK);
        /* Something sized before, to see the reset forget it. */
        CHECK_STATUS(twin_size(&t, roots, 1, 0, sizes), FP_OK);
        CHECK_TRUE(fp_sizer_seen(t.s, graph_handle(g, A)));
        if (cases[k].in_referents)
            graph_fail(g, cases[k].node, FP_OK, FP_EIO);
        else
            graph_fail(g, cases[k].node, FP_EIO, FP_OK);
        CHECK_STATUS(twin_size(&t, roots, 2, 0, sizes), FP_EIO);
        CHECK_TRUE(strstr(fp_sizer_errmsg(t.s), fp_strerror(FP_EIO)) !=
                   NULL);
        st = stats_of(&t);
        CHECK_EQ_U(st.total, 0);
        CHECK_EQ_U(st.objects, 0);
        CHECK_TRUE(!fp_sizer_seen(t.s, graph_handle(g, A)));

        /* Still usable, exclusions kept, message cleared on success. */
        graph_fail(g, cases[k].node, FP_OK, FP_OK);
        CHECK_STATUS(twin_size(&t, roots, 1, 0, &size), FP_OK);
        CHECK_EQ_U(size, 8);
        CHECK_EQ_U(stats_of(&t).excluded, 1);
        CHECK_EQ_STR(fp_sizer_errmsg(t.s), "");
        twin_close(&t);
        graph_free(g);
    }
}

/* Handle-0 referents are holes, not objects: no count, no revisit. */
static void test_null_referents(void)
{
    graph *g = graph_new(2);
    twin t;
    size_t root = A, size;
    fp_stats st;

    check_set_context("null referents");
    graph_set(g, A, 8, 0);
    graph_set(g, B, 8, 0);
    graph_edge(g, A, 0, NULL);
    graph_edge(g, A, B, NULL);
    graph_edge(g, A, 0, NULL);
    open_default(&t, g);
    CHECK_STATUS(twin_size(&t, &root, 1, 0, &size), FP_OK);
    CHECK_EQ_U(size, 16);
    st = stats_of(&t);
    CHECK_EQ_U(st.objects, 2);
    CHECK_EQ_U(st.revisits, 0);
    twin_close(&t);
    graph_free(g);
}

static void test_random_graphs(void)
{
    uint64_t seed;

    for (seed = 1; seed <= 600; seed++)
        if (twin_random_session(seed, 0, TWIN_PLAIN) < 0)
            break;
}

static void test_random_hard_errors(void)
{
    uint64_t seed;

    for (seed = 1000; seed < 1300; seed++)
        if (twin_random_session(seed, 1, TWIN_PLAIN) < 0)
            break;
}

/* fp_sizer_walk: a host that walks by itself gets what fp_sizer_size
 * gives, on the same random sessions (limits fall back, see compare.c). */
static void test_random_walks(void)
{
    uint64_t seed;

    for (seed = 1; seed <= 600; seed++)
        if (twin_random_session(seed, 0, TWIN_WALK) < 0)
            break;
    for (seed = 1000; seed < 1300; seed++)
        if (twin_random_session(seed, 1, TWIN_WALK) < 0)
            break;
}

int suite_sizer(void)
{
    static const check_test tests[] = {
        {"arguments", test_arguments},
        {"cycles", test_cycles},
        {"shared objects counted once", test_shared_counted_once},
        {"exclusions", test_exclusions},
        {"roots never inside other roots", test_roots_not_inside_other_roots},
        {"first root wins", test_first_root_wins},
        {"repeated roots", test_repeated_roots},
        {"accumulates until reset", test_accumulates_until_reset},
        {"alignment", test_alignment},
        {"SKIP, LEAF, LEAF_UNLESS_ROOT", test_flags},
        {"depth limit and truncation", test_depth_limit},
        {"truncated ignores skip and excluded",
         test_truncated_ignores_skip_and_excluded},
        {"FP_EHOST counted, call succeeds", test_host_ehost_counted},
        {"other host errors abort and reset", test_host_hard_failure_aborts},
        {"handle 0 referents", test_null_referents},
        {"random graphs vs reference", test_random_graphs},
        {"random hard errors vs reference", test_random_hard_errors},
        {"host-driven walks vs reference", test_random_walks},
        {NULL, NULL},
    };

    return check_add_suite("sizer", tests);
}
