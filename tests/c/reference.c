/*
 * reference.c - the naive sizer the core is checked against.
 *
 * The semantics, as footprint.h documents them:
 * - an object is counted once, for the first path (depth-first, host order)
 *   that reaches it, at the depth that path reached it;
 * - roots are marked before any is walked, so no root is counted inside
 *   another; a root repeated in one call has the first occurrence's size;
 *   a root sized by an earlier call (or handle 0) has size 0;
 * - a reference to an excluded object counts in `excluded` and goes no
 *   further; a reference to an object already seen is a revisit (and, with
 *   count_duplicates, marks it a duplicate) - repeated and old roots too,
 *   as pympler's _seen.again() counts them;
 * - FP_EHOST from inspect: size 0, no referents; from referents: the flat
 *   size stays and the referents reported before the failure are followed
 *   (pympler keeps what it summed before an error); both count in
 *   `failed`.  Any other status aborts the call and resets the sizer
 *   (exclusions stay);
 * - SKIP: neither counted nor followed; LEAF: counted, not followed;
 *   LEAF_UNLESS_ROOT: followed at depth 0 only;
 * - referents of an object at depth >= limit are not sized; those that are
 *   not excluded, inspect fine, are not SKIP and were not sized by the end
 *   of the call are `truncated`;
 * - detail: a node lists its referents while its depth < opts.detail; a
 *   node's size is everything first reached through it.
 */
#include "reference.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OLD ((size_t)-1)

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);

    if (!p) {
        fprintf(stderr, "reference: out of memory\n");
        abort();
    }
    return p;
}

ref_sizer *ref_new(const graph *g, const fp_sizer_opts *opts)
{
    ref_sizer *r = xcalloc(1, sizeof *r);

    r->g = g;
    if (opts)
        r->opts = *opts;
    else
        fp_sizer_opts_init(&r->opts);
    r->seen = xcalloc(g->n + 1, 1);
    r->excluded = xcalloc(g->n + 1, 1);
    r->dup = xcalloc(g->n + 1, 1);
    r->cut = xcalloc(g->n + 1, 1);
    return r;
}

void ref_free(ref_sizer *r)
{
    if (!r)
        return;
    free(r->seen);
    free(r->excluded);
    free(r->dup);
    free(r->cut);
    free(r);
}

void ref_exclude(ref_sizer *r, const size_t *idx, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (idx[i])
            r->excluded[idx[i]] = 1;
}

void ref_exclude_clear(ref_sizer *r)
{
    memset(r->excluded, 0, r->g->n + 1);
}

void ref_reset(ref_sizer *r)
{
    memset(r->seen, 0, r->g->n + 1);
    memset(r->dup, 0, r->g->n + 1);
    memset(&r->stats, 0, sizeof r->stats);
}

static void revisit(ref_sizer *r, size_t i)
{
    r->stats.revisits++;
    if (r->opts.count_duplicates && !r->dup[i]) {
        r->dup[i] = 1;
        r->stats.duplicates++;
    }
}

static ref_node *new_node(size_t idx, const char *name)
{
    ref_node *n = xcalloc(1, sizeof *n);

    n->idx = idx;
    if (name) {
        n->name = xcalloc(strlen(name) + 1, 1);
        strcpy(n->name, name);
    }
    return n;
}

static void free_node(ref_node *n)
{
    while (n) {
        ref_node *next = n->next;
        free_node(n->child);
        free(n->name);
        free(n);
        n = next;
    }
}

void ref_tree_free(ref_tree *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->nowned; i++)
        free_node(t->owned[i]);
    free(t->owned);
    free(t->root);
    free(t);
}

static int hard(fp_status st)
{
    return st != FP_OK && st != FP_EHOST;
}

/* Referents of an object the depth limit stops at (the first nref). */
static void note_cut(ref_sizer *r, const gnode *n, size_t nref)
{
    size_t k;

    for (k = 0; k < nref; k++) {
        size_t c = n->ref[k];
        const gnode *cn = &r->g->node[c];
        if (!c || r->seen[c] || r->excluded[c])
            continue;
        if (hard(cn->inspect_status)) {
            r->err = cn->inspect_status;
            return;
        }
        if (cn->inspect_status == FP_OK && !(cn->flags & FP_INFO_SKIP))
            r->cut[c] = 1;
    }
}

/* Size node i, just marked seen, reached at depth; 0 on failure. */
static size_t visit(ref_sizer *r, size_t i, size_t depth, ref_node *node)
{
    const gnode *n = &r->g->node[i];
    ref_node *tail = NULL;
    size_t size, k, a = r->opts.align, nref = n->nref;

    if (n->inspect_status != FP_OK) {
        if (hard(n->inspect_status))
            r->err = n->inspect_status;
        else
            r->stats.failed++;
        return 0;
    }
    if (n->flags & FP_INFO_SKIP)
        return 0;
    size = (n->flat + a - 1) / a * a;
    r->stats.objects++;
    if (depth > r->stats.max_depth)
        r->stats.max_depth = depth;
    if (node)
        node->flat = node->size = size;
    if ((n->flags & FP_INFO_LEAF) ||
        (depth && (n->flags & FP_INFO_LEAF_UNLESS_ROOT)))
        return size;
    if (n->referents_status != FP_OK && n->fail_after < nref)
        nref = n->fail_after; /* what the host reported before failing */
    if (depth >= r->opts.limit)
        note_cut(r, n, nref);
    if (!r->err && n->referents_status != FP_OK) {
        if (hard(n->referents_status))
            r->err = n->referents_status;
        else
            r->stats.failed++;
    }
    if (r->err || depth >= r->opts.limit)
        return r->err ? 0 : size;
    for (k = 0; k < nref; k++) {
        size_t c = n->ref[k];
        ref_node *child = NULL;
        if (!c)
            continue;
        if (node && depth < r->opts.detail) {
            char name[64];
            child = new_node(c, graph_edge_name(r->g, i, k, name,
                                                sizeof name));
            if (tail)
                tail->next = child;
            else
                node->child = child;
            tail = child;
            node->nchildren++;
        }
        if (r->excluded[c]) {
            r->stats.excluded++;
            continue;
        }
        if (r->seen[c]) {
            revisit(r, c);
            continue;
        }
        r->seen[c] = 1;
        size += visit(r, c, depth + 1, child);
        if (r->err)
            return 0;
    }
    if (node)
        node->size = size;
    return size;
}

fp_status ref_size(ref_sizer *r, const size_t *roots, size_t n,
                   size_t *sizes, ref_tree **tree)
{
    size_t *first = xcalloc(n, sizeof *first);
    size_t *own = xcalloc(n, sizeof *own);
    size_t *pos = xcalloc(r->g->n + 1, sizeof *pos);
    unsigned char *inroots = xcalloc(r->g->n + 1, 1);
    ref_tree *t = NULL;
    size_t i, total = 0;

    r->err = FP_OK;
    memset(r->cut, 0, r->g->n + 1);
    if (tree) {
        *tree = NULL;
        t = xcalloc(1, sizeof *t);
        t->nroots = n;
        t->root = xcalloc(n, sizeof *t->root);
        t->owned = xcalloc(n, sizeof *t->owned);
    }
    for (i = 0; i < n; i++) {
        size_t c = roots[i];
        first[i] = OLD;
        if (!c)
            continue;
        if (inroots[c]) {
            first[i] = first[pos[c]] == OLD ? OLD : pos[c];
            continue;
        }
        inroots[c] = 1;
        pos[c] = i;
        if (!r->seen[c])
            first[i] = i;
    }
    for (i = 0; i < n; i++)
        if (first[i] == i)
            r->seen[roots[i]] = 1;
    for (i = 0; i < n && !r->err; i++) {
        ref_node *node = NULL;
        if (first[i] != OLD && first[i] < i) {
            own[i] = own[first[i]];
            if (t)
                t->root[i] = t->root[first[i]];
            revisit(r, roots[i]);
            continue;
        }
        if (t) {
            node = new_node(roots[i], NULL);
            t->root[i] = t->owned[t->nowned++] = node;
        }
        if (first[i] == OLD) {
            if (roots[i])
                revisit(r, roots[i]);
            continue;
        }
        own[i] = visit(r, roots[i], 0, node);
        total += own[i];
    }
    free(first);
    free(pos);
    free(inroots);
    if (r->err) {
        free(own);
        ref_tree_free(t);
        ref_reset(r);
        return r->err;
    }
    r->stats.total += total;
    for (i = 1; i <= r->g->n; i++)
        if (r->cut[i] && !r->seen[i])
            r->stats.truncated++;
    if (sizes)
        memcpy(sizes, own, n * sizeof *sizes);
    free(own);
    if (tree)
        *tree = t;
    return FP_OK;
}
