/*
 * test_detail.c - detail trees (core/detail.c, fp_sizer_size_detail).
 *
 * Each hand-made case checks a few figures worked out here, and the whole
 * tree node by node against the reference (twin_size with detail).
 */
#include "check.h"
#include "compare.h"

enum { A = 1, B, C, D, E };

static void open_detail(twin *t, graph *g, size_t detail, size_t limit)
{
    fp_sizer_opts o;

    fp_sizer_opts_init(&o);
    o.align = 1;
    o.detail = detail;
    o.limit = limit;
    CHECK_STATUS(twin_open(t, g, &o, NULL), FP_OK);
}

static fp_detail *size_detail(twin *t, const size_t *roots, size_t n)
{
    fp_handle h[8];
    fp_detail *d = NULL;
    size_t i;

    for (i = 0; i < n; i++)
        h[i] = graph_handle(t->g, roots[i]);
    CHECK_STATUS(fp_sizer_size_detail(t->s, h, n, NULL, &d), FP_OK);
    return d;
}

static const fp_detail_node *nth_child(const fp_detail_node *n, size_t k)
{
    const fp_detail_node *c = n ? n->child : NULL;

    while (c && k--)
        c = c->next;
    return c;
}

/* A -> B -> D, A -> C -> D, C -> E: B gets D, C's D is a size-0 child. */
static graph *diamond(void)
{
    graph *g = graph_new(5);

    graph_set(g, A, 1, 0);
    graph_set(g, B, 10, 0);
    graph_set(g, C, 100, 0);
    graph_set(g, D, 1000, 0);
    graph_set(g, E, 10000, 0);
    graph_edge(g, A, B, ".left");
    graph_edge(g, A, C, ".right");
    graph_edge(g, B, D, "[0]");
    graph_edge(g, C, D, "[key]");
    graph_edge(g, C, E, NULL);
    return g;
}

static void test_sizes_and_names(void)
{
    graph *g = diamond();
    twin t;
    size_t root = A;
    fp_detail *d;
    const fp_detail_node *a, *b, *c;

    check_set_context("diamond, detail 2");
    open_detail(&t, g, 2, FP_NO_LIMIT);
    d = size_detail(&t, &root, 1);
    a = fp_detail_root(d, 0);
    CHECK_TRUE(a != NULL);
    if (a) {
        b = nth_child(a, 0);
        c = nth_child(a, 1);
        CHECK_EQ_U(a->obj, graph_handle(g, A));
        CHECK_TRUE(a->name == NULL);
        CHECK_EQ_U(a->size, 11111);
        CHECK_EQ_U(a->flat, 1);
        CHECK_EQ_U(a->nchildren, 2);
        CHECK_EQ_STR(b ? b->name : NULL, ".left");
        CHECK_EQ_U(b ? b->size : 0, 1010);
        CHECK_EQ_STR(c ? c->name : NULL, ".right");
        CHECK_EQ_U(c ? c->size : 0, 10100);
        CHECK_EQ_STR(nth_child(b, 0) ? nth_child(b, 0)->name : NULL, "[0]");
        CHECK_EQ_U(nth_child(b, 0) ? nth_child(b, 0)->size : 1, 1000);
        /* D was sized through B: under C it is there, with size 0. */
        CHECK_EQ_STR(nth_child(c, 0) ? nth_child(c, 0)->name : NULL, "[key]");
        CHECK_EQ_U(nth_child(c, 0) ? nth_child(c, 0)->size : 1, 0);
        CHECK_EQ_U(nth_child(c, 0) ? nth_child(c, 0)->flat : 1, 0);
        CHECK_EQ_STR(nth_child(c, 1) ? nth_child(c, 1)->name : NULL, "[1]");
    }
    /* The names survive the host's buffers (overwritten after each call)
     * and the sizer (reset and reused). */
    twin_reset(&t);
    CHECK_STATUS(twin_size(&t, &root, 1, 1, NULL), FP_OK);
    CHECK_EQ_STR(nth_child(fp_detail_root(d, 0), 1)->name, ".right");
    fp_detail_free(d);
    twin_reset(&t);
    CHECK_STATUS(twin_size(&t, &root, 1, 1, NULL), FP_OK);
    twin_close(&t);
    graph_free(g);
}

/* detail 0: a root node alone, with the whole size; each level more lists
 * one more generation; sizes are always whole subtrees. */
static void test_levels(void)
{
    graph *g = diamond();
    size_t level, root = A;

    for (level = 0; level <= 4; level++) {
        twin t;
        fp_detail *d;
        const fp_detail_node *a;
        check_set_context("detail %zu", level);
        open_detail(&t, g, level, FP_NO_LIMIT);
        CHECK_STATUS(twin_size(&t, &root, 1, 1, NULL), FP_OK);
        twin_reset(&t);
        d = size_detail(&t, &root, 1);
        a = fp_detail_root(d, 0);
        CHECK_EQ_U(a->size, 11111);
        CHECK_EQ_U(a->nchildren, level >= 1 ? 2 : 0);
        CHECK_EQ_U(a->child ? a->child->nchildren : 0, level >= 2 ? 1 : 0);
        CHECK_EQ_U(a->child ? a->child->size : 1010, 1010);
        fp_detail_free(d);
        twin_close(&t);
    }
    graph_free(g);
}

/* Children that are excluded, skipped, failed, or roots of the same call
 * are listed with size 0. */
static void test_zero_size_children(void)
{
    graph *g = graph_new(5);
    twin t;
    size_t roots[2] = {A, E}, x = B;

    check_set_context("size-0 children");
    graph_set(g, A, 1, 0);
    graph_set(g, B, 2, 0);
    graph_set(g, C, 4, FP_INFO_SKIP);
    graph_set(g, D, 8, 0);
    graph_set(g, E, 16, 0);
    graph_fail(g, D, FP_EHOST, FP_OK);
    graph_edge(g, A, B, ".excluded");
    graph_edge(g, A, C, ".skipped");
    graph_edge(g, A, D, ".failed");
    graph_edge(g, A, E, ".root");
    graph_edge(g, A, A, ".self");
    open_detail(&t, g, 3, FP_NO_LIMIT);
    CHECK_STATUS(twin_exclude(&t, &x, 1), FP_OK);
    CHECK_STATUS(twin_size(&t, roots, 2, 1, NULL), FP_OK);
    twin_reset(&t);
    {
        fp_detail *d = size_detail(&t, roots, 2);
        const fp_detail_node *a = fp_detail_root(d, 0), *c;
        size_t listed = 0;
        CHECK_EQ_U(a->nchildren, 5);
        CHECK_EQ_U(a->size, 1);
        for (c = a->child; c; c = c->next, listed++)
            CHECK_EQ_U(c->size, 0);
        CHECK_EQ_U(listed, 5);
        CHECK_EQ_U(fp_detail_root(d, 1)->size, 16);
        fp_detail_free(d);
    }
    twin_close(&t);
    graph_free(g);
}

/* [A, B, A]: the repeat shares the first tree; a root sized by an earlier
 * call gets a bare node of size 0. */
static void test_repeated_and_old_roots(void)
{
    graph *g = diamond();
    twin t;
    size_t roots[3] = {A, B, A}, old = C;
    fp_detail *d;

    check_set_context("repeated roots");
    open_detail(&t, g, 2, FP_NO_LIMIT);
    CHECK_STATUS(twin_size(&t, roots, 3, 1, NULL), FP_OK);
    twin_reset(&t);
    d = size_detail(&t, roots, 3);
    CHECK_TRUE(fp_detail_root(d, 2) == fp_detail_root(d, 0));
    CHECK_TRUE(fp_detail_root(d, 1) != fp_detail_root(d, 0));
    fp_detail_free(d);
    d = size_detail(&t, &old, 1);
    CHECK_EQ_U(fp_detail_root(d, 0)->size, 0);
    CHECK_EQ_U(fp_detail_root(d, 0)->nchildren, 0);
    CHECK_EQ_U(fp_detail_root(d, 0)->obj, graph_handle(g, C));
    fp_detail_free(d);
    twin_close(&t);
    graph_free(g);
}

/* The depth limit wins over detail: nothing is listed below it. */
static void test_limit_cuts_detail(void)
{
    graph *g = diamond();
    twin t;
    size_t root = A;

    check_set_context("limit 1, detail 3");
    open_detail(&t, g, 3, 1);
    CHECK_STATUS(twin_size(&t, &root, 1, 1, NULL), FP_OK);
    twin_reset(&t);
    {
        fp_detail *d = size_detail(&t, &root, 1);
        const fp_detail_node *a = fp_detail_root(d, 0);
        CHECK_EQ_U(a->size, 111);
        CHECK_EQ_U(a->nchildren, 2);
        CHECK_EQ_U(a->child->nchildren, 0);
        fp_detail_free(d);
    }
    twin_close(&t);
    graph_free(g);
}

static void test_empty_and_null(void)
{
    graph *g = diamond();
    twin t;
    fp_detail *d = NULL;

    check_set_context("empty");
    open_detail(&t, g, 2, FP_NO_LIMIT);
    CHECK_STATUS(fp_sizer_size_detail(t.s, NULL, 0, NULL, &d), FP_OK);
    CHECK_TRUE(d != NULL);
    CHECK_EQ_U(fp_detail_count(d), 0);
    CHECK_TRUE(fp_detail_root(d, 0) == NULL);
    fp_detail_free(d);
    CHECK_EQ_U(fp_detail_count(NULL), 0);
    CHECK_TRUE(fp_detail_root(NULL, 0) == NULL);
    fp_detail_free(NULL);
    twin_close(&t);
    graph_free(g);
}

/* Many children and long names: the arena spans several chunks. */
static void test_large_tree(void)
{
    const size_t n = 20000;
    graph *g = graph_new(n + 1);
    twin t;
    size_t i, root = 1;

    check_set_context("large tree");
    for (i = 2; i <= n + 1; i++) {
        char name[64];
        snprintf(name, sizeof name, "[a key long enough to matter %zu]", i);
        graph_set(g, i, i, 0);
        graph_edge(g, 1, i, i % 3 ? name : NULL);
        if (i > 2)
            graph_edge(g, i, i - 1, NULL);
    }
    open_detail(&t, g, 2, FP_NO_LIMIT);
    CHECK_STATUS(twin_size(&t, &root, 1, 1, NULL), FP_OK);
    twin_close(&t);
    graph_free(g);
}

static void test_random_trees(void)
{
    uint64_t seed;

    for (seed = 2000; seed < 2400; seed++)
        if (twin_random_session(seed, 0, TWIN_DETAIL) < 0)
            return;
    for (seed = 3000; seed < 3150; seed++)
        if (twin_random_session(seed, 1, TWIN_DETAIL) < 0)
            return;
}

int suite_detail(void)
{
    static const check_test tests[] = {
        {"sizes and copied names", test_sizes_and_names},
        {"detail levels", test_levels},
        {"seen, excluded, skipped children are size 0",
         test_zero_size_children},
        {"repeated and old roots", test_repeated_and_old_roots},
        {"depth limit cuts the tree", test_limit_cuts_detail},
        {"no roots, NULL", test_empty_and_null},
        {"large tree over many chunks", test_large_tree},
        {"random trees vs reference", test_random_trees},
        {NULL, NULL},
    };

    return check_add_suite("detail", tests);
}
