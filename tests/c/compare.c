/*
 * compare.c - the core against the reference, observable by observable.
 */
#include "compare.h"

#include "check.h"

#include <stdlib.h>

fp_status twin_open(twin *t, graph *g, const fp_sizer_opts *opts,
                    const fp_alloc *alloc)
{
    fp_status st;

    t->g = g;
    t->allow_enomem = 0;
    t->walk = 0;
    graph_host(g, &t->host);
    st = fp_sizer_new(&t->s, &t->host, opts, alloc);
    t->r = st == FP_OK ? ref_new(g, opts) : NULL;
    return st;
}

void twin_close(twin *t)
{
    fp_sizer_free(t->s);
    ref_free(t->r);
    t->s = NULL;
    t->r = NULL;
}

fp_status twin_set_opts(twin *t, const fp_sizer_opts *opts)
{
    fp_status st = fp_sizer_set_opts(t->s, opts);

    if (st == FP_OK)
        t->r->opts = *opts;
    return st;
}

fp_status twin_exclude(twin *t, const size_t *idx, size_t n)
{
    fp_handle *h = calloc(n ? n : 1, sizeof *h);
    fp_status st;
    size_t i;

    for (i = 0; i < n; i++)
        h[i] = graph_handle(t->g, idx[i]);
    st = fp_sizer_exclude(t->s, h, n);
    if (st == FP_OK)
        ref_exclude(t->r, idx, n);
    free(h);
    return st;
}

void twin_exclude_clear(twin *t)
{
    fp_sizer_exclude_clear(t->s);
    ref_exclude_clear(t->r);
}

void twin_reset(twin *t)
{
    fp_sizer_reset(t->s);
    ref_reset(t->r);
}

void compare_stats(const fp_stats *got, const fp_stats *want)
{
    CHECK_EQ_U(got->total, want->total);
    CHECK_EQ_U(got->objects, want->objects);
    CHECK_EQ_U(got->revisits, want->revisits);
    CHECK_EQ_U(got->duplicates, want->duplicates);
    CHECK_EQ_U(got->excluded, want->excluded);
    CHECK_EQ_U(got->failed, want->failed);
    CHECK_EQ_U(got->truncated, want->truncated);
    CHECK_EQ_U(got->max_depth, want->max_depth);
}

void compare_seen(const twin *t)
{
    size_t i, wrong = 0, first_wrong = 0;

    for (i = 1; i <= t->g->n; i++)
        if (!!fp_sizer_seen(t->s, graph_handle(t->g, i)) != t->r->seen[i] &&
            !wrong++)
            first_wrong = i;
    if (wrong)
        fprintf(stderr, "[%s] %zu nodes disagree on seen, first %zu\n",
                check_context, wrong, first_wrong);
    CHECK_EQ_U(wrong, 0);
    CHECK_TRUE(!fp_sizer_seen(t->s, 0));
}

/* Iterative over siblings, recursive over depth: trees here are shallow
 * (opts.detail levels). */
static void compare_node(const graph *g, const fp_detail_node *got,
                         const ref_node *want, size_t *nodes)
{
    const fp_detail_node *gc;
    const ref_node *wc;

    (*nodes)++;
    CHECK_EQ_U(got->obj, graph_handle(g, want->idx));
    CHECK_EQ_STR(got->name, want->name);
    CHECK_EQ_U(got->size, want->size);
    CHECK_EQ_U(got->flat, want->flat);
    CHECK_EQ_U(got->nchildren, want->nchildren);
    for (gc = got->child, wc = want->child; gc && wc;
         gc = gc->next, wc = wc->next)
        compare_node(g, gc, wc, nodes);
    CHECK_TRUE(gc == NULL && wc == NULL);
}

void compare_detail(const graph *g, const fp_detail *d, const ref_tree *want)
{
    size_t i, j, nodes = 0;

    CHECK_EQ_U(fp_detail_count(d), want->nroots);
    if (fp_detail_count(d) != want->nroots)
        return;
    for (i = 0; i < want->nroots; i++) {
        const fp_detail_node *got = fp_detail_root(d, i);
        CHECK_TRUE(got != NULL);
        if (!got)
            continue;
        CHECK_TRUE(got->next == NULL);
        /* Repeated roots share the first occurrence's tree, as pympler
         * hands back the same Asized object. */
        for (j = 0; j < i; j++)
            if (want->root[j] == want->root[i])
                break;
        if (j < i) {
            CHECK_TRUE(got == fp_detail_root(d, j));
            continue;
        }
        for (j = 0; j < i; j++)
            CHECK_TRUE(got != fp_detail_root(d, j));
        compare_node(g, got, want->root[i], &nodes);
    }
    CHECK_TRUE(fp_detail_root(d, want->nroots) == NULL);
}

fp_status twin_size(twin *t, const size_t *roots, size_t n, int detail,
                    size_t *out_sizes)
{
    fp_handle *h = calloc(n ? n : 1, sizeof *h);
    size_t *got = calloc(n ? n : 1, sizeof *got);
    size_t *want = calloc(n ? n : 1, sizeof *want);
    fp_detail *d = NULL;
    ref_tree *tree = NULL;
    fp_stats gs;
    fp_sizer_opts o;
    fp_status st, wst;
    size_t i, named_before = t->g->named_calls;

    for (i = 0; i < n; i++) {
        h[i] = graph_handle(t->g, roots[i]);
        got[i] = (size_t)-7; /* must be overwritten on success */
    }
    fp_sizer_get_opts(t->s, &o);
    if (t->walk && !detail && o.limit == FP_NO_LIMIT) {
        graph_walker w = {&t->host, NULL, 0, 0};
        st = fp_sizer_walk(t->s, h, n, got, graph_walk_root, &w);
        free(w.refs);
    } else if (detail) {
        st = fp_sizer_size_detail(t->s, h, n, got, &d);
    } else {
        if (t->walk) /* a walk cannot honour a limit: refused, no effect */
            CHECK_STATUS(fp_sizer_walk(t->s, h, n, got, graph_walk_root, t),
                         FP_EINVAL);
        st = fp_sizer_size(t->s, h, n, got);
    }
    if (st == FP_ENOMEM && t->allow_enomem) {
        ref_reset(t->r);
        wst = FP_ENOMEM;
    } else {
        wst = ref_size(t->r, roots, n, want, detail ? &tree : NULL);
    }
    CHECK_STATUS(st, wst);
    if (st == FP_OK && wst == FP_OK) {
        for (i = 0; i < n; i++)
            CHECK_EQ_U(got[i], want[i]);
        if (detail)
            compare_detail(t->g, d, tree);
        else /* names cost the host work: only asked for with detail */
            CHECK_EQ_U(t->g->named_calls, named_before);
        CHECK_EQ_STR(fp_sizer_errmsg(t->s), "");
    } else if (st != FP_OK) {
        CHECK_TRUE(fp_sizer_errmsg(t->s)[0] != '\0');
        CHECK_TRUE(d == NULL);
    }
    fp_sizer_stats(t->s, &gs);
    compare_stats(&gs, &t->r->stats);
    compare_seen(t);
    CHECK_EQ_U(t->g->bad_calls, 0);
    if (out_sizes)
        memcpy(out_sizes, got, n * sizeof *got);
    fp_detail_free(d);
    ref_tree_free(tree);
    free(h);
    free(got);
    free(want);
    return st;
}

/* Random graphs, random options, random sequences of calls. */
int twin_random_session(uint64_t seed, int hard_errors, int mode)
{
    int detail = mode == TWIN_DETAIL;
    rng r = {seed * 7919 + 1};
    graph_shape sh;
    graph *g;
    twin t;
    fp_sizer_opts o;
    size_t call, i;
    unsigned failures_before = CU_get_number_of_failures();

    memset(&sh, 0, sizeof sh);
    sh.nodes = 20 + rng_below(&r, 400);
    sh.max_refs = 1 + rng_below(&r, 6);
    sh.max_flat = 1 + rng_below(&r, 300);
    sh.pct_skip = (unsigned)rng_below(&r, 10);
    sh.pct_leaf = (unsigned)rng_below(&r, 15);
    sh.pct_leaf_unless_root = (unsigned)rng_below(&r, 10);
    sh.pct_fail_inspect = (unsigned)rng_below(&r, 4);
    sh.pct_fail_referents = (unsigned)rng_below(&r, 4);
    sh.pct_null_ref = (unsigned)rng_below(&r, 5);
    sh.pct_back_edge = (unsigned)rng_below(&r, 40);
    sh.pct_named = 50;
    g = graph_random(seed, &sh);
    fp_sizer_opts_init(&o);
    CHECK_STATUS(twin_open(&t, g, &o, NULL), FP_OK);
    t.walk = mode == TWIN_WALK;
    for (call = 0; call < 12; call++) {
        /* Up to 8 roots and more: the core has a path for each. */
        size_t n = rng_pct(&r, 30) ? 9 + rng_below(&r, 16) : rng_below(&r, 9);
        size_t roots[24], excl[6], nx;
        check_set_context("seed %ju, call %zu%s%s", (uintmax_t)seed, call,
                          hard_errors ? ", hard errors" : "",
                          detail ? ", detail" : mode == TWIN_WALK ? ", walk"
                                                                 : "");
        if (rng_pct(&r, 30)) {
            static const size_t aligns[] = {1, 8, 16};
            o.align = aligns[rng_below(&r, 3)];
            o.limit = rng_pct(&r, 50) ? FP_NO_LIMIT : rng_below(&r, 6);
            o.detail = rng_below(&r, 4);
            o.count_duplicates = rng_pct(&r, 50);
            CHECK_STATUS(twin_set_opts(&t, &o), FP_OK);
        }
        if (rng_pct(&r, 20))
            twin_reset(&t);
        if (rng_pct(&r, 10))
            twin_exclude_clear(&t);
        if (rng_pct(&r, 30)) {
            nx = 1 + rng_below(&r, 6);
            for (i = 0; i < nx; i++)
                excl[i] = 1 + rng_below(&r, g->n);
            CHECK_STATUS(twin_exclude(&t, excl, nx), FP_OK);
        }
        if (hard_errors) {
            for (i = 1; i <= g->n; i++)
                if (g->node[i].inspect_status == FP_EIO ||
                    g->node[i].referents_status == FP_EIO)
                    graph_fail(g, i, FP_OK, FP_OK);
            if (rng_pct(&r, 60)) {
                size_t v = 1 + rng_below(&r, g->n);
                if (rng_pct(&r, 50))
                    graph_fail(g, v, FP_EIO, FP_OK);
                else
                    graph_fail(g, v, FP_OK, FP_EIO);
            }
        }
        for (i = 0; i < n; i++) {
            /* Mostly low numbers: they head the longest structures. */
            size_t span = rng_pct(&r, 70) ? (g->n < 10 ? g->n : 10) : g->n;
            roots[i] = rng_pct(&r, 5) ? 0 : 1 + rng_below(&r, span);
            if (i && rng_pct(&r, 15))
                roots[i] = roots[rng_below(&r, i)];
        }
        twin_size(&t, roots, n, detail, NULL);
        if (CU_get_number_of_failures() != failures_before)
            break;
    }
    twin_close(&t);
    graph_free(g);
    return CU_get_number_of_failures() != failures_before ? -1 : 0;
}
