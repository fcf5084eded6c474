/*
 * test_census.c - the whole-heap census (fp_census) against a model kept
 * per node, and a snapshot's census in the tracker.
 *
 * The model counts what footprint.h promises: each node once, under the
 * class inspect names, with its unaligned flat size; unreadable nodes in
 * failed; excluded nodes never, whether excluded before or after they were
 * added.  Deep figures are checked against the reference sizer, row by
 * row in the census's order, so objects shared between rows land where
 * the documentation says.
 */
#include "check.h"
#include "counting_alloc.h"
#include "graph.h"
#include "reference.h"

#include <stdlib.h>

#define NCLASS 9

/* Class k's handle; class 0 is "the host said none" (handle 0).  Spread
 * like type objects, and not in the order of k, so that the census's tie
 * rule (lower handle first) is not the model's index order. */
static fp_handle class_handle(size_t k)
{
    return k ? (fp_handle)0x7f0000400000u + (fp_handle)((k * 5) % NCLASS) * 416
             : 0;
}

static size_t class_index(fp_handle cls)
{
    size_t k;

    for (k = 0; k < NCLASS; k++)
        if (class_handle(k) == cls)
            return k;
    return NCLASS;
}

/* A random graph whose nodes have classes; some skip, some fail. */
static graph *census_graph(uint64_t seed, size_t n)
{
    graph_shape sh;
    graph *g;
    rng r = {seed * 31 + 7};
    size_t i;

    memset(&sh, 0, sizeof sh);
    sh.nodes = n;
    sh.max_refs = 4;
    sh.max_flat = 300;
    sh.pct_skip = 8;
    sh.pct_leaf = 10;
    sh.pct_fail_inspect = 3;
    sh.pct_null_ref = 2;
    sh.pct_back_edge = 20;
    g = graph_random(seed, &sh);
    for (i = 1; i <= n; i++)
        graph_set_class(g, i, class_handle(rng_below(&r, NCLASS)));
    return g;
}

/* ---- the model ---- */

enum { M_NONE, M_COUNTED, M_FAILED };

typedef struct model {
    const graph *g;
    uint64_t count[NCLASS], flat[NCLASS], failed;
    unsigned char *state;      /* per node: M_* */
    unsigned char *excluded;
    size_t *added_at;          /* per node: add sequence, for deep roots */
    size_t seq;
    size_t inspects;           /* inspect calls the census should make */
} model;

static void model_init(model *m, const graph *g)
{
    memset(m, 0, sizeof *m);
    m->g = g;
    m->state = calloc(g->n + 1, 1);
    m->excluded = calloc(g->n + 1, 1);
    m->added_at = calloc(g->n + 1, sizeof *m->added_at);
    CHECK_TRUE(m->state && m->excluded && m->added_at);
}

static void model_free(model *m)
{
    free(m->state);
    free(m->excluded);
    free(m->added_at);
}

static void model_clear(model *m)
{
    memset(m->count, 0, sizeof m->count);
    memset(m->flat, 0, sizeof m->flat);
    m->failed = 0;
    memset(m->state, 0, m->g->n + 1);
}

/* What fp_census_add must answer for node i: 1 counted now. */
static int model_add(model *m, size_t i)
{
    const gnode *n = &m->g->node[i];
    size_t k = class_index(n->cls);

    if (m->excluded[i] || m->state[i] != M_NONE)
        return 0;
    m->inspects++;
    if (n->inspect_status != FP_OK) {
        m->state[i] = M_FAILED;
        m->failed++;
        return 0;
    }
    m->state[i] = M_COUNTED;
    m->added_at[i] = ++m->seq;
    m->count[k]++;
    m->flat[k] += n->flat;
    return 1;
}

static void model_exclude(model *m, size_t i)
{
    const gnode *n = &m->g->node[i];
    size_t k = class_index(n->cls);

    if (m->excluded[i])
        return;
    m->excluded[i] = 1;
    if (m->state[i] == M_COUNTED) {
        m->inspects++; /* asked again: the census kept no class */
        m->count[k]--;
        m->flat[k] -= n->flat;
    } else if (m->state[i] == M_FAILED) {
        m->failed--;
    }
}

/* The census's order: largest flat, more objects, lower class handle. */
static int row_before(const fp_census_row *a, const fp_census_row *b)
{
    if (a->flat != b->flat)
        return a->flat > b->flat;
    if (a->count != b->count)
        return a->count > b->count;
    return a->cls < b->cls;
}

static void check_model(fp_census *c, const model *m)
{
    size_t k, i, rows = 0;
    uint64_t count = 0, flat = 0, tc, tf, tfail;
    fp_census_row row, prev;

    for (k = 0; k < NCLASS; k++) {
        rows += m->count[k] != 0;
        count += m->count[k];
        flat += m->flat[k];
    }
    CHECK_EQ_U(fp_census_rows(c), rows);
    for (i = 0; i < fp_census_rows(c); i++) {
        CHECK_STATUS(fp_census_read(c, i, &row), FP_OK);
        k = class_index(row.cls);
        CHECK_TRUE(k < NCLASS);
        if (k >= NCLASS)
            continue;
        CHECK_EQ_U(row.count, m->count[k]);
        CHECK_EQ_U(row.flat, m->flat[k]);
        if (i)
            CHECK_TRUE(row_before(&prev, &row));
        prev = row;
    }
    CHECK_STATUS(fp_census_read(c, rows, &row), FP_EINVAL);
    fp_census_totals(c, &tc, &tf, &tfail);
    CHECK_EQ_U(tc, count);
    CHECK_EQ_U(tf, flat);
    CHECK_EQ_U(tfail, m->failed);
}

static fp_census *new_census(graph *g, unsigned flags, const fp_alloc *a)
{
    fp_host host;
    fp_census *c = NULL;

    graph_host(g, &host);
    CHECK_STATUS(fp_census_new(&c, &host, flags, a), FP_OK);
    return c;
}

/* One random step: mostly adds (repeats included), some exclusions. */
static void random_step(fp_census *c, model *m, rng *r)
{
    size_t i = 1 + rng_below(r, m->g->n);
    int added = -1, want;

    if (rng_pct(r, 8)) {
        model_exclude(m, i);
        CHECK_STATUS(fp_census_exclude(c, graph_handle(m->g, i)), FP_OK);
        return;
    }
    want = model_add(m, i);
    CHECK_STATUS(fp_census_add(c, graph_handle(m->g, i), &added), FP_OK);
    CHECK_EQ_U(added, want);
}

static void test_random_against_model(void)
{
    uint64_t seed;
    size_t step;

    for (seed = 1; seed <= 16; seed++) {
        graph *g = census_graph(seed, 400 + 150 * seed);
        fp_census *c = new_census(g, seed % 2 ? FP_CENSUS_DEEP : 0, NULL);
        rng r = {seed};
        model m;

        model_init(&m, g);
        for (step = 0; step < 4 * g->n; step++) {
            check_set_context("seed %ju, step %zu", (uintmax_t)seed, step);
            random_step(c, &m, &r);
            if (step % 997 == 0)
                check_model(c, &m);
        }
        check_model(c, &m);
        /* inspect is asked once per object, however often it is added,
         * plus once per object excluded after it was counted */
        CHECK_EQ_U(g->inspect_calls, m.inspects);
        CHECK_EQ_U(g->referents_calls, 0);
        CHECK_EQ_U(g->bad_calls, 0);
        fp_census_free(c);
        model_free(&m);
        graph_free(g);
    }
}

/* Nodes 1..6: classes A (1, 2), B (3, 4), C (5); 6 fails inspect. */
static graph *small_graph(void)
{
    graph *g = graph_new(6);
    static const size_t flat[] = {0, 100, 60, 10, 20, 7, 50};
    static const size_t cls[] = {0, 1, 1, 2, 2, 3, 1};
    size_t i;

    for (i = 1; i <= 6; i++) {
        graph_set(g, i, flat[i], 0);
        graph_set_class(g, i, class_handle(cls[i]));
    }
    graph_set(g, 3, 10, FP_INFO_SKIP); /* a type: counted all the same */
    graph_set(g, 5, 7, FP_INFO_LEAF);
    graph_fail(g, 6, FP_EHOST, FP_OK);
    graph_edge(g, 1, 2, NULL);
    return g;
}

static void test_duplicates_skip_and_failures(void)
{
    graph *g = small_graph();
    fp_census *c = new_census(g, 0, NULL);
    fp_census_row row;
    uint64_t n, flat, failed;
    int added = -1;
    size_t i;

    check_set_context("small graph");
    for (i = 1; i <= 6; i++) {
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), &added), FP_OK);
        CHECK_EQ_U(added, i != 6);
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), &added), FP_OK);
        CHECK_EQ_U(added, 0);
    }
    CHECK_EQ_U(fp_census_rows(c), 3);
    CHECK_STATUS(fp_census_read(c, 0, &row), FP_OK);
    CHECK_EQ_U(row.cls, class_handle(1));
    CHECK_EQ_U(row.count, 2);
    CHECK_EQ_U(row.flat, 160);
    CHECK_EQ_U(row.deep, 0);
    CHECK_STATUS(fp_census_read(c, 1, &row), FP_OK);
    CHECK_EQ_U(row.cls, class_handle(2));
    CHECK_EQ_U(row.count, 2); /* the skipped node 3 is counted */
    CHECK_EQ_U(row.flat, 30);
    fp_census_totals(c, &n, &flat, &failed);
    CHECK_EQ_U(n, 5);
    CHECK_EQ_U(flat, 197);
    CHECK_EQ_U(failed, 1);
    /* a census follows no referent, and asks about an object once */
    CHECK_EQ_U(g->referents_calls, 0);
    CHECK_EQ_U(g->inspect_calls, 6);
    /* arguments */
    CHECK_STATUS(fp_census_add(c, 0, &added), FP_EINVAL);
    CHECK_STATUS(fp_census_add(NULL, 1, &added), FP_EINVAL);
    CHECK_STATUS(fp_census_exclude(c, 0), FP_EINVAL);
    CHECK_STATUS(fp_census_read(c, 3, &row), FP_EINVAL);
    CHECK_STATUS(fp_census_read(c, 0, NULL), FP_EINVAL);
    fp_census_free(c);
    fp_census_free(NULL);
    graph_free(g);
}

static void test_hard_host_errors(void)
{
    graph *g = small_graph();
    fp_census *c = new_census(g, 0, NULL);
    uint64_t n, failed;
    int added = -1;

    check_set_context("inspect aborts");
    graph_fail(g, 2, FP_EIO, FP_OK);
    CHECK_STATUS(fp_census_add(c, graph_handle(g, 2), &added), FP_EIO);
    CHECK_EQ_U(added, 0);
    CHECK_TRUE(strstr(fp_census_errmsg(c), "input/output") != NULL);
    fp_census_totals(c, &n, NULL, &failed);
    CHECK_EQ_U(n + failed, 0);
    /* nothing was remembered: once readable, it counts */
    graph_fail(g, 2, FP_OK, FP_OK);
    CHECK_STATUS(fp_census_add(c, graph_handle(g, 2), &added), FP_OK);
    CHECK_EQ_U(added, 1);
    CHECK_EQ_STR(fp_census_errmsg(c), "");
    /* an unknown handle is the host's business: it says FP_EINVAL */
    CHECK_STATUS(fp_census_add(c, 12345, &added), FP_EINVAL);
    CHECK_EQ_U(g->bad_calls, 1);
    fp_census_free(c);
    graph_free(g);
}

static void test_constructor(void)
{
    graph *g = small_graph();
    fp_host host;
    fp_census *c = (fp_census *)&host;

    check_set_context("fp_census_new");
    graph_host(g, &host);
    CHECK_STATUS(fp_census_new(&c, &host, 2, NULL), FP_EINVAL);
    CHECK_TRUE(c == NULL);
    CHECK_STATUS(fp_census_new(&c, NULL, 0, NULL), FP_EINVAL);
    host.inspect = NULL;
    CHECK_STATUS(fp_census_new(&c, &host, 0, NULL), FP_EINVAL);
    CHECK_STATUS(fp_census_new(NULL, &host, 0, NULL), FP_EINVAL);
    graph_host(g, &host);
    host.referents = NULL; /* a census alone never follows referents */
    CHECK_STATUS(fp_census_new(&c, &host, 0, NULL), FP_OK);
    CHECK_EQ_U(fp_census_rows(c), 0);
    CHECK_TRUE(fp_census_memory(c) > 0);
    CHECK_EQ_U(fp_census_rows(NULL), 0);
    CHECK_EQ_U(fp_census_memory(NULL), 0);
    CHECK_EQ_STR(fp_census_errmsg(NULL), "");
    fp_census_free(c);
    graph_free(g);
}

static void test_exclusions(void)
{
    graph *g = small_graph();
    fp_census *c = new_census(g, 0, NULL);
    model m;
    size_t i;
    int added;

    model_init(&m, g);
    check_set_context("exclusions");
    /* before: never counted */
    model_exclude(&m, 4);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 4)), FP_OK);
    for (i = 1; i <= 6; i++) {
        model_add(&m, i);
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), &added), FP_OK);
    }
    check_model(c, &m);
    /* after: taken back out of its row; a failed one out of failed */
    model_exclude(&m, 1);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 1)), FP_OK);
    model_exclude(&m, 6);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 6)), FP_OK);
    check_model(c, &m);
    /* twice is once; the last object of a row takes the row away */
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 1)), FP_OK);
    model_exclude(&m, 5);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 5)), FP_OK);
    check_model(c, &m);
    CHECK_EQ_U(fp_census_rows(c), 2);
    /* excluded then added again: ignored */
    CHECK_STATUS(fp_census_add(c, graph_handle(g, 5), &added), FP_OK);
    CHECK_EQ_U(added, 0);
    check_model(c, &m);
    model_free(&m);
    fp_census_free(c);
    graph_free(g);
}

/* Unique adds count as adds do, exclusions made before included, but
 * are not remembered: neither a later exclusion nor a repeat sees them. */
static void test_add_unique(void)
{
    graph *g = census_graph(11, 2000);
    fp_census *c = new_census(g, 0, NULL), *ref = new_census(g, 0, NULL);
    model m;
    size_t i, seen_before, seen_after;
    uint64_t n0, f0, x0, n1, f1, x1;
    int added, want;

    model_init(&m, g);
    check_set_context("unique adds");
    for (i = 1; i <= g->n; i += 13) {
        model_exclude(&m, i);
        CHECK_STATUS(fp_census_exclude(c, graph_handle(g, i)), FP_OK);
    }
    seen_before = fp_census_memory(c);
    for (i = 1; i <= g->n; i++) {
        want = model_add(&m, i);
        CHECK_STATUS(fp_census_add_unique(c, graph_handle(g, i), &added),
                     FP_OK);
        CHECK_EQ_U(added, want);
        CHECK_STATUS(fp_census_add(ref, graph_handle(g, i), NULL), FP_OK);
    }
    check_model(c, &m);
    /* nothing remembered: the census holds no more than its rows grew,
     * where fp_census_add's holds its seen set */
    seen_after = fp_census_memory(c);
    CHECK_TRUE(seen_after - seen_before < fp_census_memory(ref) / 2);
    /* an exclusion after cannot take one back, and a repeat counts again */
    fp_census_totals(c, &n0, &f0, &x0);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 2)), FP_OK);
    fp_census_totals(c, &n1, &f1, &x1);
    CHECK_EQ_U(n1, n0);
    CHECK_STATUS(fp_census_add_unique(c, graph_handle(g, 3), &added), FP_OK);
    fp_census_totals(c, &n1, &f1, &x1);
    CHECK_EQ_U(n1 + x1, n0 + x0 + 1);
    /* NULL and a NULL object are refused */
    CHECK_STATUS(fp_census_add_unique(NULL, graph_handle(g, 1), NULL),
                 FP_EINVAL);
    CHECK_STATUS(fp_census_add_unique(c, 0, NULL), FP_EINVAL);
    model_free(&m);
    fp_census_free(ref);
    fp_census_free(c);
    graph_free(g);
}

/* The census keeps no class per object: when the host describes a counted
 * object differently at its exclusion, the call says it stays counted. */
static void test_exclusion_host_changed(void)
{
    graph *g = small_graph();
    fp_census *c = new_census(g, 0, NULL);
    uint64_t n, flat;
    size_t i;

    check_set_context("exclusion after the host changed");
    for (i = 1; i <= 5; i++)
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), NULL), FP_OK);
    graph_fail(g, 1, FP_EHOST, FP_OK);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 1)), FP_EHOST);
    CHECK_TRUE(strstr(fp_census_errmsg(c), "cannot be taken back") != NULL);
    graph_set_class(g, 2, class_handle(8));
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 2)), FP_EHOST);
    fp_census_totals(c, &n, &flat, NULL);
    CHECK_EQ_U(n, 5);
    CHECK_EQ_U(flat, 197);
    /* a one-object row whose object grew since: the row goes whole */
    graph_set(g, 5, 70, 0);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 5)), FP_OK);
    fp_census_totals(c, &n, &flat, NULL);
    CHECK_EQ_U(n, 4);
    CHECK_EQ_U(flat, 190);
    CHECK_EQ_U(fp_census_rows(c), 2);
    fp_census_free(c);
    graph_free(g);
}

/* Equal flats: more objects first, then the lower class handle. */
static void test_ordering_ties(void)
{
    graph *g = graph_new(7);
    fp_census *c;
    fp_census_row row[4];
    static const size_t flat[] = {0, 100, 50, 50, 100, 100, 0, 0};
    static const fp_handle cls[] = {0, 0x9000, 0x5000, 0x5000, 0x3000,
                                    0x7000, 0x1000, 0x2000};
    size_t i;

    check_set_context("ties");
    for (i = 1; i <= 7; i++) {
        graph_set(g, i, flat[i], 0);
        graph_set_class(g, i, cls[i]);
    }
    graph_set_class(g, 7, 0x1000);
    c = new_census(g, 0, NULL);
    for (i = 7; i >= 1; i--)
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), NULL), FP_OK);
    CHECK_EQ_U(fp_census_rows(c), 5);
    for (i = 0; i < 4; i++)
        CHECK_STATUS(fp_census_read(c, i, &row[i]), FP_OK);
    CHECK_EQ_U(row[0].cls, 0x5000); /* 100 bytes in 2 objects */
    CHECK_EQ_U(row[1].cls, 0x3000); /* 100 in 1, lowest handle */
    CHECK_EQ_U(row[2].cls, 0x7000);
    CHECK_EQ_U(row[3].cls, 0x9000);
    CHECK_STATUS(fp_census_read(c, 4, &row[0]), FP_OK);
    CHECK_EQ_U(row[0].cls, 0x1000); /* 0 bytes in 2 objects */
    CHECK_EQ_U(row[0].count, 2);
    /* adding after reading reorders */
    graph_set(g, 6, 500, 0);
    graph_set_class(g, 6, 0x2000);
    fp_census_clear(c);
    CHECK_STATUS(fp_census_add(c, graph_handle(g, 1), NULL), FP_OK);
    CHECK_STATUS(fp_census_read(c, 0, &row[0]), FP_OK);
    CHECK_EQ_U(row[0].cls, 0x9000);
    CHECK_STATUS(fp_census_add(c, graph_handle(g, 6), NULL), FP_OK);
    CHECK_STATUS(fp_census_read(c, 0, &row[0]), FP_OK);
    CHECK_EQ_U(row[0].cls, 0x2000);
    fp_census_free(c);
    graph_free(g);
}

/* The reference's deep figures: each row's nodes, in the order they were
 * added, as the roots of one call. */
static void reference_deep(const model *m, fp_census *c, uint64_t *deep)
{
    ref_sizer *r = ref_new(m->g, NULL);
    size_t *roots = malloc((m->g->n + 1) * sizeof *roots);
    size_t i, j, n;
    fp_census_row row;

    CHECK_TRUE(roots != NULL);
    for (i = 0; i < fp_census_rows(c); i++) {
        uint64_t before = r->stats.total;
        CHECK_STATUS(fp_census_read(c, i, &row), FP_OK);
        for (n = 0, j = 1; j <= m->g->n; j++)
            if (m->state[j] == M_COUNTED && !m->excluded[j] &&
                m->g->node[j].cls == row.cls)
                roots[n++] = j;
        /* by add order, as the census kept them */
        for (j = 1; j < n; j++) {
            size_t v = roots[j], k = j;
            for (; k && m->added_at[roots[k - 1]] > m->added_at[v]; k--)
                roots[k] = roots[k - 1];
            roots[k] = v;
        }
        CHECK_STATUS(ref_size(r, roots, n, NULL, NULL), FP_OK);
        deep[i] = r->stats.total - before;
    }
    free(roots);
    ref_free(r);
}

/* After fp_census_deep succeeded. */
static void compare_deep(fp_census *c, const model *m, fp_sizer *s)
{
    uint64_t want[NCLASS + 1], sum = 0;
    fp_census_row row;
    fp_stats st;
    size_t i;

    reference_deep(m, c, want);
    for (i = 0; i < fp_census_rows(c); i++) {
        CHECK_STATUS(fp_census_read(c, i, &row), FP_OK);
        CHECK_EQ_U(row.deep, want[i]);
        sum += row.deep;
    }
    fp_sizer_stats(s, &st);
    CHECK_EQ_U(st.total, sum);
}

static void check_deep(fp_census *c, const model *m, fp_sizer *s)
{
    CHECK_STATUS(fp_census_deep(c, s), FP_OK);
    compare_deep(c, m, s);
}

static void test_deep_against_reference(void)
{
    uint64_t seed;

    for (seed = 1; seed <= 12; seed++) {
        graph *g = census_graph(seed + 100, 300 + 100 * seed);
        fp_census *c = new_census(g, FP_CENSUS_DEEP, NULL);
        fp_sizer *s = NULL;
        fp_host host;
        fp_census_row row;
        rng r = {seed};
        model m;
        size_t step;

        check_set_context("deep, seed %ju", (uintmax_t)seed);
        model_init(&m, g);
        graph_host(g, &host);
        CHECK_STATUS(fp_sizer_new(&s, &host, NULL, NULL), FP_OK);
        for (step = 0; step < 2 * g->n; step++)
            random_step(c, &m, &r);
        check_deep(c, &m, s);
        /* a change makes deep figures stale: they read 0 */
        for (step = 1; m.state[step] != M_COUNTED || m.excluded[step];)
            step++;
        model_exclude(&m, step);
        CHECK_STATUS(fp_census_exclude(c, graph_handle(g, step)), FP_OK);
        CHECK_STATUS(fp_census_read(c, 0, &row), FP_OK);
        CHECK_EQ_U(row.deep, 0);
        check_deep(c, &m, s);
        CHECK_EQ_U(g->bad_calls, 0);
        fp_sizer_free(s);
        fp_census_free(c);
        model_free(&m);
        graph_free(g);
    }
}

static void test_deep_errors(void)
{
    graph *g = small_graph();
    fp_census *c = new_census(g, 0, NULL), *d = new_census(g, FP_CENSUS_DEEP,
                                                           NULL);
    fp_sizer *s = NULL;
    fp_host host;
    fp_census_row row;
    size_t i;

    check_set_context("deep errors");
    graph_host(g, &host);
    CHECK_STATUS(fp_sizer_new(&s, &host, NULL, NULL), FP_OK);
    CHECK_STATUS(fp_census_deep(c, s), FP_EINVAL);
    CHECK_TRUE(strstr(fp_census_errmsg(c), "FP_CENSUS_DEEP") != NULL);
    CHECK_STATUS(fp_census_deep(d, NULL), FP_EINVAL);
    for (i = 1; i <= 6; i++)
        CHECK_STATUS(fp_census_add(d, graph_handle(g, i), NULL), FP_OK);
    CHECK_STATUS(fp_census_deep(d, s), FP_OK);
    CHECK_STATUS(fp_census_read(d, 0, &row), FP_OK);
    CHECK_EQ_U(row.deep, 104 + 64); /* 1 reaches 2: both in row A */
    /* a hard failure of the host: no deep figure survives */
    graph_fail(g, 1, FP_OK, FP_EIO);
    CHECK_STATUS(fp_census_deep(d, s), FP_EIO);
    CHECK_TRUE(fp_census_errmsg(d)[0] != '\0');
    for (i = 0; i < fp_census_rows(d); i++) {
        CHECK_STATUS(fp_census_read(d, i, &row), FP_OK);
        CHECK_EQ_U(row.deep, 0);
    }
    fp_sizer_free(s);
    fp_census_free(c);
    fp_census_free(d);
    graph_free(g);
}

static void test_clear(void)
{
    graph *g = census_graph(5, 500);
    fp_census *c = new_census(g, FP_CENSUS_DEEP, NULL);
    model m;
    size_t i;
    int added;

    check_set_context("clear");
    model_init(&m, g);
    model_exclude(&m, 3);
    CHECK_STATUS(fp_census_exclude(c, graph_handle(g, 3)), FP_OK);
    for (i = 1; i <= g->n; i++) {
        model_add(&m, i);
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), NULL), FP_OK);
    }
    check_model(c, &m);
    fp_census_clear(c);
    model_clear(&m);
    check_model(c, &m);
    fp_census_clear(NULL);
    /* exclusions stay; everything else counts again */
    for (i = 1; i <= 10; i++) {
        int want = model_add(&m, i);
        CHECK_STATUS(fp_census_add(c, graph_handle(g, i), &added), FP_OK);
        CHECK_EQ_U(added, want);
    }
    check_model(c, &m);
    model_free(&m);
    fp_census_free(c);
    graph_free(g);
}

/* ---- memory ---- */

/* A heap-like host: objects back to back in address order, 16-byte
 * aligned, 16 to 128 bytes each (pymalloc's small objects, 72 on
 * average), classed by size; no graph behind it, so it is cheap. */
static fp_status heap_inspect(void *ctx, fp_handle obj, fp_info *info)
{
    uint64_t mix = (uint64_t)obj * 0x9e3779b97f4a7c15u;

    (void)ctx;
    info->flat = 16 + (size_t)(mix >> 61) * 16;
    info->flags = 0;
    info->cls = (fp_handle)0x1000 + (fp_handle)(mix >> 57 & 15) * 64;
    return FP_OK;
}

static fp_status heap_referents(void *ctx, fp_handle obj, int want_names,
                                fp_visit_fn visit, void *arg)
{
    (void)ctx;
    (void)obj;
    (void)want_names;
    (void)visit;
    (void)arg;
    return FP_OK;
}

/* Bytes per object of a census of n heap-like objects. */
static double heap_bytes_per_object(size_t n, unsigned flags,
                                    counting_alloc *ca)
{
    fp_host host = {NULL, heap_inspect, heap_referents, NULL, NULL};
    fp_alloc a = counting_alloc_hook(ca);
    fp_census *c = NULL;
    fp_handle h = 0x7f2200000000u;
    uint64_t count;
    double per;
    size_t i;

    CHECK_STATUS(fp_census_new(&c, &host, flags, &a), FP_OK);
    for (i = 0; i < n; i++) {
        fp_info info;
        heap_inspect(NULL, h, &info);
        CHECK_STATUS(fp_census_add(c, h, NULL), FP_OK);
        h += (info.flat + 15) & ~(fp_handle)15;
    }
    fp_census_totals(c, &count, NULL, NULL);
    CHECK_EQ_U(count, n);
    CHECK_EQ_U(fp_census_memory(c), ca->live_bytes);
    per = (double)ca->peak_bytes / (double)n;
    fp_census_free(c);
    CHECK_EQ_U(ca->live_blocks, 0);
    return per;
}

static void test_memory_per_object(void)
{
    counting_alloc ca;
    double plain, deep;

    check_set_context("memory per object");
    counting_alloc_init(&ca, 0);
    plain = heap_bytes_per_object(200000, 0, &ca);
    counting_alloc_init(&ca, 0);
    deep = heap_bytes_per_object(200000, FP_CENSUS_DEEP, &ca);
    /* well under 32 bytes an object; keeping objects adds 8-16 */
    CHECK_TRUE(plain < 16.0);
    CHECK_TRUE(deep < plain + 17.0);
    printf("\n    census of a 200k-object heap: %.1f bytes/object peak, "
           "%.1f with FP_CENSUS_DEEP ", plain, deep);
}

/* ---- every allocation failing in turn ---- */

static void add_step(fail_run *r, fp_census *c, model *m, size_t i)
{
    uint64_t before, after;
    int added = -1, want;
    fp_status st;

    fp_census_totals(c, &before, NULL, NULL);
    st = fp_census_add(c, graph_handle(m->g, i), &added);
    if (fail_run_refused(r, st)) {
        fp_census_totals(c, &after, NULL, NULL);
        CHECK_EQ_U(after, before); /* nothing changed: retry counts it */
        CHECK_EQ_U(added, 0);
        st = fp_census_add(c, graph_handle(m->g, i), &added);
    }
    want = model_add(m, i);
    CHECK_STATUS(st, FP_OK);
    CHECK_EQ_U(added, want);
}

/* add_step for fp_census_add_unique: a refused one changed nothing, so
 * handing the object over again is still its first time. */
static void unique_step(fail_run *r, fp_census *c, model *m, size_t i)
{
    uint64_t before, after;
    int added = -1, want;
    fp_status st;

    fp_census_totals(c, &before, NULL, NULL);
    st = fp_census_add_unique(c, graph_handle(m->g, i), &added);
    if (fail_run_refused(r, st)) {
        fp_census_totals(c, &after, NULL, NULL);
        CHECK_EQ_U(after, before);
        CHECK_EQ_U(added, 0);
        st = fp_census_add_unique(c, graph_handle(m->g, i), &added);
    }
    want = model_add(m, i);
    CHECK_STATUS(st, FP_OK);
    CHECK_EQ_U(added, want);
}

static void exclude_step(fail_run *r, fp_census *c, model *m, size_t i)
{
    fp_status st = fp_census_exclude(c, graph_handle(m->g, i));

    if (fail_run_refused(r, st))
        st = fp_census_exclude(c, graph_handle(m->g, i));
    CHECK_STATUS(st, FP_OK);
    model_exclude(m, i);
}

static void deep_step(fail_run *r, fp_census *c, model *m, fp_sizer *s)
{
    fp_census_row row;
    size_t i;

    if (fail_run_refused(r, fp_census_deep(c, s))) {
        for (i = 0; i < fp_census_rows(c); i++) {
            CHECK_STATUS(fp_census_read(c, i, &row), FP_OK);
            CHECK_EQ_U(row.deep, 0);
        }
        CHECK_STATUS(fp_census_deep(c, s), FP_OK);
    }
    compare_deep(c, m, s);
}

static void census_script(fail_run *r, graph *g)
{
    fp_census *c = NULL;
    fp_sizer *s = NULL;
    fp_host host;
    rng x = {99};
    model m;
    size_t i;

    graph_host(g, &host);
    if (fail_run_refused(r, fp_census_new(&c, &host, FP_CENSUS_DEEP, &r->a))) {
        CHECK_TRUE(c == NULL);
        CHECK_STATUS(fp_census_new(&c, &host, FP_CENSUS_DEEP, &r->a), FP_OK);
    }
    if (fail_run_refused(r, fp_sizer_new(&s, &host, NULL, &r->a)))
        CHECK_STATUS(fp_sizer_new(&s, &host, NULL, &r->a), FP_OK);
    model_init(&m, g);
    for (i = 1; i <= 40; i++)
        exclude_step(r, c, &m, i * 7);
    for (i = 0; i < g->n + g->n / 2; i++)
        add_step(r, c, &m, 1 + rng_below(&x, g->n));
    for (i = 1; i <= 40; i++)
        exclude_step(r, c, &m, i * 11);
    check_model(c, &m);
    deep_step(r, c, &m, s);
    fp_census_clear(c);
    model_clear(&m);
    for (i = 1; i <= 100; i++)
        add_step(r, c, &m, i);
    check_model(c, &m);
    for (i = 101; i <= 200; i++)
        unique_step(r, c, &m, i);
    check_model(c, &m);
    model_free(&m);
    fp_sizer_free(s);
    fp_census_free(c);
}

static void test_every_allocation_fails(void)
{
    graph *g = census_graph(3, 3000);
    unsigned failures_before = CU_get_number_of_failures();
    size_t n, calls = 0;

    for (n = 1; n < 100000; n++) {
        fail_run r;
        memset(&r, 0, sizeof r);
        counting_alloc_init(&r.ca, n);
        r.a = counting_alloc_hook(&r.ca);
        check_set_context("census: allocation %zu fails", n);
        census_script(&r, g);
        CHECK_EQ_U(r.ca.live_blocks, 0);
        CHECK_EQ_U(r.ca.bad_frees, 0);
        CHECK_EQ_U(r.other, 0);
        if (r.ca.failures == 0) {
            calls = r.ca.calls;
            break;
        }
        CHECK_EQ_U(r.enomem, 1);
        if (CU_get_number_of_failures() != failures_before)
            break;
    }
    check_set_context("census allocation failures");
    CHECK_TRUE(calls >= 30);
    CHECK_EQ_U(n, calls + 1);
    printf("\n    %zu census allocation points, each failed once ", calls);
    graph_free(g);
}

/* ---- a snapshot's census in the tracker ---- */

static fp_tracker *tracker_with_snapshots(graph *g, const fp_alloc *a,
                                          size_t nsnap)
{
    fp_host host;
    fp_tracker *t = NULL;
    size_t i;

    graph_host(g, &host);
    CHECK_STATUS(fp_tracker_new(&t, &host, a), FP_OK);
    for (i = 0; i < nsnap; i++)
        CHECK_STATUS(fp_tracker_snapshot(t, 1.0 + (double)i, "s", NULL, 0),
                     FP_OK);
    return t;
}

static void check_entry(fp_tracker *t, size_t snap, size_t i,
                        const char *name, uint64_t count, uint64_t flat,
                        uint64_t deep)
{
    fp_census_entry e;

    CHECK_STATUS(fp_tracker_census_entry(t, snap, i, &e), FP_OK);
    CHECK_EQ_STR(e.name, name);
    CHECK_EQ_U(e.count, count);
    CHECK_EQ_U(e.flat, flat);
    CHECK_EQ_U(e.deep, deep);
}

/* Names read back from the tracker are pointers into its strings: given
 * again with a new name long enough to grow them, first, they must still
 * be read right (ASan sees a use after free otherwise). */
static void readd_census(fp_tracker *t)
{
    fp_census_entry e[8];
    char name[3000];
    size_t i, n = fp_tracker_census_count(t, 1);

    CHECK_TRUE(n < 8);
    memset(name, 'x', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    e[0].name = name;
    e[0].count = e[0].flat = e[0].deep = 1;
    for (i = 0; i < n; i++)
        CHECK_STATUS(fp_tracker_census_entry(t, 1, i, &e[i + 1]), FP_OK);
    CHECK_STATUS(fp_tracker_set_census(t, 1, e, n + 1, 41, 3001), FP_OK);
    CHECK_EQ_U(fp_tracker_census_count(t, 1), n + 1);
    check_entry(t, 1, 0, "dict", 12, 1100, 7);
    check_entry(t, 1, n - 1, "b", 1, 100, 0);
    check_entry(t, 1, n, name, 1, 1, 1);
}

static void test_tracker_census(void)
{
    graph *g = small_graph();
    fp_tracker *t = tracker_with_snapshots(g, NULL, 2);
    static const fp_census_entry in[] = {
        {"dict", 10, 1000, 0}, {"str", 5, 1000, 0}, {"list", 3, 200, 50},
        {"dict", 2, 100, 7},   {"b", 1, 100, 0},    {"a", 1, 100, 0},
        {"c", 2, 100, 0},
    };
    uint64_t n = 1, flat = 1;
    size_t mem;

    check_set_context("tracker census");
    CHECK_EQ_U(fp_tracker_census_count(t, 0), 0);
    CHECK_STATUS(fp_tracker_census_totals(t, 0, &n, &flat), FP_OK);
    CHECK_EQ_U(n + flat, 0);
    mem = fp_tracker_memory(t);
    CHECK_STATUS(fp_tracker_set_census(t, 1, in, 7, 40, 3000), FP_OK);
    CHECK_TRUE(fp_tracker_memory(t) >= mem + 6 * 24);
    CHECK_EQ_U(fp_tracker_census_count(t, 1), 6); /* "dict" merged */
    check_entry(t, 1, 0, "dict", 12, 1100, 7);
    check_entry(t, 1, 1, "str", 5, 1000, 0);
    check_entry(t, 1, 2, "list", 3, 200, 50);
    check_entry(t, 1, 3, "c", 2, 100, 0);
    check_entry(t, 1, 4, "a", 1, 100, 0);
    check_entry(t, 1, 5, "b", 1, 100, 0);
    CHECK_STATUS(fp_tracker_census_totals(t, 1, &n, &flat), FP_OK);
    CHECK_EQ_U(n, 40);
    CHECK_EQ_U(flat, 3000);
    CHECK_EQ_U(fp_tracker_census_count(t, 0), 0);
    readd_census(t);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_tracker_census_refused(void)
{
    graph *g = small_graph();
    fp_tracker *t = tracker_with_snapshots(g, NULL, 1);
    fp_census_entry in[] = {{"x", 4, 40, 0}, {"y", 1, 10, 0}};
    uint64_t n, flat;

    check_set_context("tracker census refused");
    CHECK_STATUS(fp_tracker_set_census(t, 0, in, 2, 5, 50), FP_OK);
    /* more than the totals, no name, no snapshot: nothing changes */
    CHECK_STATUS(fp_tracker_set_census(t, 0, in, 2, 4, 50), FP_EINVAL);
    CHECK_TRUE(fp_tracker_errmsg(t)[0] != '\0');
    CHECK_STATUS(fp_tracker_set_census(t, 0, in, 2, 5, 49), FP_EINVAL);
    in[1].name = NULL;
    CHECK_STATUS(fp_tracker_set_census(t, 0, in, 2, 9, 99), FP_EINVAL);
    CHECK_STATUS(fp_tracker_set_census(t, 1, in, 1, 9, 99), FP_EINVAL);
    CHECK_STATUS(fp_tracker_set_census(t, 0, NULL, 1, 9, 99), FP_EINVAL);
    CHECK_STATUS(fp_tracker_census_totals(t, 1, &n, &flat), FP_EINVAL);
    CHECK_STATUS(fp_tracker_census_entry(t, 0, 2, in), FP_EINVAL);
    CHECK_EQ_U(fp_tracker_census_count(t, 0), 2);
    check_entry(t, 0, 0, "x", 4, 40, 0);
    /* replaced by totals alone: a host that kept no type */
    CHECK_STATUS(fp_tracker_set_census(t, 0, NULL, 0, 7, 70), FP_OK);
    CHECK_EQ_U(fp_tracker_census_count(t, 0), 0);
    CHECK_STATUS(fp_tracker_census_totals(t, 0, &n, &flat), FP_OK);
    CHECK_EQ_U(n, 7);
    CHECK_EQ_U(flat, 70);
    /* clear drops snapshots and their censuses */
    fp_tracker_clear(t);
    CHECK_EQ_U(fp_tracker_census_count(t, 0), 0);
    fp_tracker_free(t);
    graph_free(g);
}

static void test_tracker_census_alloc_failure(void)
{
    graph *g = small_graph();
    static const fp_census_entry first[] = {{"old", 1, 8, 0}};
    static const fp_census_entry in[] = {
        {"dict", 10, 1000, 0}, {"a new name", 5, 999, 0}, {"dict", 1, 1, 1}};
    size_t n;

    for (n = 1;; n++) {
        counting_alloc ca;
        fp_alloc a;
        fp_tracker *t;
        fp_status st;

        counting_alloc_init(&ca, 0);
        a = counting_alloc_hook(&ca);
        t = tracker_with_snapshots(g, &a, 1);
        check_set_context("set_census: allocation %zu fails", n);
        CHECK_STATUS(fp_tracker_set_census(t, 0, first, 1, 1, 8), FP_OK);
        ca.fail_at = ca.calls + n;
        st = fp_tracker_set_census(t, 0, in, 3, 20, 2000);
        if (st == FP_OK) {
            CHECK_EQ_U(fp_tracker_census_count(t, 0), 2);
            check_entry(t, 0, 0, "dict", 11, 1001, 1);
        } else {
            CHECK_STATUS(st, FP_ENOMEM);
            CHECK_EQ_U(fp_tracker_census_count(t, 0), 1);
            check_entry(t, 0, 0, "old", 1, 8, 0);
        }
        fp_tracker_free(t);
        CHECK_EQ_U(ca.live_blocks, 0);
        if (st == FP_OK || n > 100)
            break;
    }
    CHECK_TRUE(n > 1 && n <= 100);
    graph_free(g);
}

int suite_census(void)
{
    static const check_test tests[] = {
        {"counts and flats against a model", test_random_against_model},
        {"duplicates, skipped and failed objects",
         test_duplicates_skip_and_failures},
        {"hard host errors count nothing", test_hard_host_errors},
        {"constructor arguments", test_constructor},
        {"exclusions before and after adding", test_exclusions},
        {"exclusion when the host changed", test_exclusion_host_changed},
        {"unique adds", test_add_unique},
        {"order and ties", test_ordering_ties},
        {"deep figures against the reference", test_deep_against_reference},
        {"deep errors", test_deep_errors},
        {"clear keeps exclusions", test_clear},
        {"memory per object", test_memory_per_object},
        {"every allocation fails in turn", test_every_allocation_fails},
        {"tracker: a snapshot's census", test_tracker_census},
        {"tracker: refused censuses", test_tracker_census_refused},
        {"tracker: allocation failures", test_tracker_census_alloc_failure},
        {NULL, NULL},
    };

    return check_add_suite("census", tests);
}
