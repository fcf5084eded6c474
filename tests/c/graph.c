/*
 * graph.c - the synthetic graph host.
 */
#include "graph.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HANDLE_BASE ((fp_handle)0x7f3a00001000u)
#define HANDLE_STRIDE ((fp_handle)48)

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);

    if (!p) {
        fprintf(stderr, "graph: out of memory\n");
        abort();
    }
    return p;
}

graph *graph_new(size_t n)
{
    graph *g = xcalloc(1, sizeof *g);

    g->n = n;
    g->node = xcalloc(n + 1, sizeof *g->node);
    return g;
}

void graph_free(graph *g)
{
    size_t i, k;

    if (!g)
        return;
    for (i = 0; i <= g->n; i++) {
        for (k = 0; k < g->node[i].nref; k++)
            free(g->node[i].name[k]);
        free(g->node[i].ref);
        free(g->node[i].name);
    }
    free(g->node);
    free(g);
}

void graph_set(graph *g, size_t i, size_t flat, unsigned flags)
{
    g->node[i].flat = flat;
    g->node[i].flags = flags;
}

void graph_set_class(graph *g, size_t i, fp_handle cls)
{
    g->node[i].cls = cls;
}

void graph_edge(graph *g, size_t from, size_t to, const char *name)
{
    gnode *n = &g->node[from];

    if (n->nref == n->capref) {
        n->capref = n->capref ? 2 * n->capref : 4;
        n->ref = realloc(n->ref, n->capref * sizeof *n->ref);
        n->name = realloc(n->name, n->capref * sizeof *n->name);
        if (!n->ref || !n->name) {
            fprintf(stderr, "graph: out of memory\n");
            abort();
        }
    }
    n->ref[n->nref] = to;
    n->name[n->nref] = NULL;
    if (name) {
        n->name[n->nref] = xcalloc(strlen(name) + 1, 1);
        strcpy(n->name[n->nref], name);
    }
    n->nref++;
}

void graph_fail(graph *g, size_t i, fp_status inspect, fp_status referents)
{
    g->node[i].inspect_status = inspect;
    g->node[i].referents_status = referents;
    g->node[i].fail_after = 0;
}

void graph_fail_after(graph *g, size_t i, fp_status st, size_t k)
{
    g->node[i].referents_status = st;
    g->node[i].fail_after = k;
}

/* Some handles carry low tag bits (a host may hand out tagged values, not
 * only aligned addresses): every fourth node is off by 1..7 bytes. */
static fp_handle tag_of(size_t i)
{
    return i % 4 == 3 ? (fp_handle)(i % 7) + 1 : 0;
}

fp_handle graph_handle(const graph *g, size_t i)
{
    (void)g;
    return i ? HANDLE_BASE + (fp_handle)i * HANDLE_STRIDE + tag_of(i) : 0;
}

size_t graph_index(const graph *g, fp_handle h)
{
    fp_handle off;
    size_t i;

    if (h <= HANDLE_BASE)
        return 0;
    off = h - HANDLE_BASE;
    i = (size_t)(off / HANDLE_STRIDE);
    if (i > g->n || off % HANDLE_STRIDE != tag_of(i))
        return 0;
    return i;
}

const char *graph_edge_name(const graph *g, size_t i, size_t k, char *buf,
                            size_t cap)
{
    const char *name = g->node[i].name[k];

    if (name)
        snprintf(buf, cap, "%s", name);
    else
        snprintf(buf, cap, "[%zu]", k);
    return buf;
}

static fp_status host_inspect(void *ctx, fp_handle obj, fp_info *info)
{
    graph *g = ctx;
    size_t i = graph_index(g, obj);

    g->inspect_calls++;
    if (!i) {
        g->bad_calls++;
        return FP_EINVAL;
    }
    if (g->node[i].inspect_status != FP_OK)
        return g->node[i].inspect_status;
    info->flat = g->node[i].flat;
    info->flags = g->node[i].flags;
    info->cls = g->node[i].cls;
    return FP_OK;
}

static fp_status host_referents(void *ctx, fp_handle obj, int want_names,
                                fp_visit_fn visit, void *arg)
{
    graph *g = ctx;
    size_t i = graph_index(g, obj), k;
    const gnode *n;

    g->referents_calls++;
    if (!i) {
        g->bad_calls++;
        return FP_EINVAL;
    }
    n = &g->node[i];
    /* The core has no business asking: it was told not to follow. */
    if (n->flags & (FP_INFO_SKIP | FP_INFO_LEAF) ||
        n->inspect_status != FP_OK)
        g->bad_calls++;
    if (want_names)
        g->named_calls++;
    for (k = 0; k < n->nref; k++) {
        /* The name lives in a buffer that is overwritten after the call
         * and is not NUL-terminated where len says it ends: the core must
         * copy exactly len bytes. */
        char buf[64];
        size_t len = 0;
        int stop;
        if (n->referents_status != FP_OK && k == n->fail_after)
            return n->referents_status;
        if (want_names) {
            graph_edge_name(g, i, k, buf, sizeof buf);
            len = strlen(buf);
            memset(buf + len, '#', sizeof buf - len);
        }
        stop = visit(arg, graph_handle(g, n->ref[k]),
                     want_names ? buf : NULL, len);
        memset(buf, '?', sizeof buf);
        if (stop) {
            g->early_stops++;
            return FP_OK;
        }
    }
    return n->referents_status;
}

void graph_host(graph *g, fp_host *host)
{
    memset(host, 0, sizeof *host);
    host->ctx = g;
    host->inspect = host_inspect;
    host->referents = host_referents;
}

graph *graph_random(uint64_t seed, const graph_shape *sh)
{
    rng r = {seed};
    graph *g = graph_new(sh->nodes);
    size_t i, k;

    for (i = 1; i <= g->n; i++) {
        gnode *n = &g->node[i];
        size_t nref = rng_below(&r, sh->max_refs + 1);
        n->flat = rng_below(&r, sh->max_flat + 1);
        if (rng_pct(&r, sh->pct_skip))
            n->flags |= FP_INFO_SKIP;
        if (rng_pct(&r, sh->pct_leaf))
            n->flags |= FP_INFO_LEAF;
        if (rng_pct(&r, sh->pct_leaf_unless_root))
            n->flags |= FP_INFO_LEAF_UNLESS_ROOT;
        if (rng_pct(&r, sh->pct_fail_inspect)) {
            n->inspect_status = FP_EHOST;
        } else if (rng_pct(&r, sh->pct_fail_referents)) {
            n->referents_status = FP_EHOST;
            /* before any, part-way, or after the last referent */
            n->fail_after = rng_below(&r, nref + 2);
        }
        for (k = 0; k < nref; k++) {
            size_t to;
            char name[32];
            /* Mostly forward edges (deep, tree-like structure with shared
             * nodes), some back edges (cycles), a few handle-0 holes. */
            if (rng_pct(&r, sh->pct_null_ref))
                to = 0;
            else if (i < g->n && !rng_pct(&r, sh->pct_back_edge))
                to = i + 1 + rng_below(&r, g->n - i < 8 ? g->n - i : 8);
            else
                to = 1 + rng_below(&r, g->n);
            snprintf(name, sizeof name, ".a%zu", k);
            graph_edge(g, i, to, rng_pct(&r, sh->pct_named) ? name : NULL);
        }
    }
    return g;
}

/* ---- a host-driven walker (fp_sizer_walk) over a graph's host ----
 * What a host like Lua's does: recurse, asking the core about each
 * referent.  Test graphs are a few thousand nodes deep at most. */
static int collect_ref(void *arg, fp_handle ref, const char *name, size_t len)
{
    graph_walker *w = arg;

    (void)name;
    (void)len;
    if (w->len == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 64;
        fp_handle *p = realloc(w->refs, cap * sizeof *p);
        if (!p)
            return 1;
        w->refs = p;
        w->cap = cap;
    }
    w->refs[w->len++] = ref;
    return 0;
}

static fp_status walk_object(graph_walker *w, fp_sizer *s, fp_handle h,
                             size_t depth)
{
    fp_info info = {0, 0, 0};
    fp_status st = w->host->inspect(w->host->ctx, h, &info), rst;
    size_t start, i;

    if (st == FP_EHOST) {
        fp_sizer_failed(s);
        return FP_OK;
    }
    if (st != FP_OK)
        return st;
    if (info.flags & FP_INFO_SKIP)
        return FP_OK;
    fp_sizer_count(s, info.flat, depth);
    if ((info.flags & FP_INFO_LEAF) ||
        (depth && (info.flags & FP_INFO_LEAF_UNLESS_ROOT)))
        return FP_OK;
    start = w->len;
    rst = w->host->referents(w->host->ctx, h, 0, collect_ref, w);
    if (rst != FP_OK && rst != FP_EHOST)
        return rst;
    if (rst == FP_EHOST)
        fp_sizer_failed(s);
    for (i = start; i < w->len; i++) {
        int enter;
        if ((st = fp_sizer_visit(s, w->refs[i], &enter)) != FP_OK)
            return st;
        if (enter && (st = walk_object(w, s, w->refs[i], depth + 1)) != FP_OK)
            return st;
    }
    w->len = start;
    return FP_OK;
}

fp_status graph_walk_root(void *arg, fp_sizer *s, fp_handle root)
{
    graph_walker *w = arg;

    w->len = 0;
    return walk_object(w, s, root, 0);
}
