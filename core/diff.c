/*
 * diff.c - two trackers compared class by class, and the censuses of the
 * two snapshots type by type (footprint.h, "comparing two trackers"):
 * what `footprint diff` prints and the report's diff page draws.
 *
 * Classes and types are matched by name through a hash table of the
 * first tracker's names, so a diff of thousands of them stays linear.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

#include <stdlib.h>
#include <string.h>

struct fp_diff {
    fp_alloc alloc;
    size_t snap[2];
    fp_class_delta *rows;
    size_t n;
    fp_type_delta *types;   /* the two snapshots' censuses, by name */
    size_t ntypes;
    const fp_type_delta **grown;  /* those that grew, in growth order */
    size_t ngrown;
};

/* A name of t: class i, or type i of snapshot snap's census. */
typedef const char *(*name_fn)(const fp_tracker *t, size_t snap, size_t i);

static const char *class_name(const fp_tracker *t, size_t snap, size_t i)
{
    fp_class_info ci;

    (void)snap;
    fp_tracker_class_info(t, i, &ci);
    return ci.name;
}

static const char *type_name(const fp_tracker *t, size_t snap, size_t i)
{
    fp_census_entry e;

    fp_tracker_census_entry(t, snap, i, &e);
    return e.name;
}

/* Types in snap's census; none for FP_SNAPSHOT_LAST (no snapshot). */
static size_t type_count(const fp_tracker *t, size_t snap)
{
    return snap == FP_SNAPSHOT_LAST ? 0 : fp_tracker_census_count(t, snap);
}

/* The snapshot to compare: want, or the last; FP_SNAPSHOT_LAST when the
 * tracker has none to give. */
static fp_status pick(const fp_tracker *t, size_t want, size_t *snap)
{
    size_t n = fp_tracker_snapshot_count(t);

    if (want == FP_SNAPSHOT_LAST) {
        *snap = n ? n - 1 : FP_SNAPSHOT_LAST;
        return FP_OK;
    }
    if (want >= n)
        return FP_EINVAL;
    *snap = want;
    return FP_OK;
}

/* Active counts and bytes of every class of t at snap (zeros when snap
 * is FP_SNAPSHOT_LAST). */
static fp_status class_stats(const fp_alloc *a, const fp_tracker *t,
                             size_t snap, fp_class_stats **out)
{
    size_t n = fp_tracker_class_count(t);
    fp_class_stats *cs = fp_mem_alloc(a, fp_mul_size(n + 1, sizeof *cs));
    fp_status st = FP_OK;

    if (!cs)
        return FP_ENOMEM;
    memset(cs, 0, (n + 1) * sizeof *cs);
    if (snap != FP_SNAPSHOT_LAST)
        st = fp_tracker_snapshot_classes(t, snap, cs);
    if (st != FP_OK) {
        fp_mem_free(a, cs);
        return st;
    }
    *out = cs;
    return FP_OK;
}

/* Open addressing over n names of one tracker (index + 1), keyed by
 * name. */
typedef struct names {
    size_t *slot;
    size_t mask;
    const fp_tracker *t;
    size_t snap;
    name_fn name;
} names;

static size_t name_slot(const char *name, size_t mask)
{
    return (size_t)XXH3_64bits(name, strlen(name)) & mask;
}

static fp_status index_names(const fp_alloc *a, size_t n, names *ix)
{
    size_t cap = 8, i, j;

    while (cap < 2 * n)
        cap *= 2;
    ix->slot = fp_mem_alloc(a, fp_mul_size(cap, sizeof *ix->slot));
    if (!ix->slot)
        return FP_ENOMEM;
    memset(ix->slot, 0, cap * sizeof *ix->slot);
    ix->mask = cap - 1;
    for (i = 0; i < n; i++) {
        for (j = name_slot(ix->name(ix->t, ix->snap, i), ix->mask);
             ix->slot[j]; j = (j + 1) & ix->mask)
            ;
        ix->slot[j] = i + 1;
    }
    return FP_OK;
}

static size_t find_name(const names *ix, const char *name)
{
    size_t j;

    for (j = name_slot(name, ix->mask); ix->slot[j]; j = (j + 1) & ix->mask)
        if (strcmp(ix->name(ix->t, ix->snap, ix->slot[j] - 1), name) == 0)
            return ix->slot[j] - 1;
    return FP_CLASS_NONE;
}

static void fill(fp_class_delta *r, int side, size_t cls,
                 const fp_class_stats *cs)
{
    r->cls[side] = cls;
    r->active[side] = cls == FP_CLASS_NONE ? 0 : cs[cls].active;
    r->sum[side] = cls == FP_CLASS_NONE ? 0 : cs[cls].sum;
}

/* after's classes in order, each with its match in before; then what
 * only before has.  matched[] marks before's classes already in a row. */
static void match(fp_diff *d, const fp_tracker *before,
                  const fp_tracker *after, const names *ix,
                  fp_class_stats *const cs[2], unsigned char *matched)
{
    size_t na = fp_tracker_class_count(after), i;
    size_t nb = fp_tracker_class_count(before);

    for (i = 0; i < na; i++) {
        fp_class_delta *r = &d->rows[d->n++];
        fp_class_info ci;
        size_t b;
        fp_tracker_class_info(after, i, &ci);
        b = find_name(ix, ci.name);
        r->name = ci.name;
        fill(r, 0, b, cs[0]);
        fill(r, 1, i, cs[1]);
        if (b != FP_CLASS_NONE)
            matched[b] = 1;
    }
    for (i = 0; i < nb; i++) {
        fp_class_delta *r;
        fp_class_info ci;
        if (matched[i])
            continue;
        r = &d->rows[d->n++];
        fp_tracker_class_info(before, i, &ci);
        r->name = ci.name;
        fill(r, 0, i, cs[0]);
        fill(r, 1, FP_CLASS_NONE, cs[1]);
    }
}

static fp_status build(fp_diff *d, const fp_tracker *before,
                       const fp_tracker *after)
{
    size_t nb = fp_tracker_class_count(before);
    size_t rows = fp_tracker_class_count(after) + nb;
    fp_class_stats *cs[2] = {NULL, NULL};
    unsigned char *matched = NULL;
    names ix = {NULL, 0, NULL, 0, NULL};
    fp_status st;

    d->rows = fp_mem_alloc(&d->alloc, fp_mul_size(rows + 1, sizeof *d->rows));
    matched = fp_mem_alloc(&d->alloc, nb + 1);
    st = d->rows && matched ? FP_OK : FP_ENOMEM;
    if (st == FP_OK)
        st = class_stats(&d->alloc, before, d->snap[0], &cs[0]);
    if (st == FP_OK)
        st = class_stats(&d->alloc, after, d->snap[1], &cs[1]);
    ix.t = before;
    ix.name = class_name;
    if (st == FP_OK)
        st = index_names(&d->alloc, nb, &ix);
    if (st == FP_OK) {
        memset(matched, 0, nb + 1);
        match(d, before, after, &ix, cs, matched);
    }
    fp_mem_free(&d->alloc, ix.slot);
    fp_mem_free(&d->alloc, cs[0]);
    fp_mem_free(&d->alloc, cs[1]);
    fp_mem_free(&d->alloc, matched);
    return st;
}

static void fill_type(fp_type_delta *r, int side, const fp_tracker *t,
                      size_t snap, size_t i)
{
    fp_census_entry e;

    if (i == FP_CLASS_NONE)
        return;
    fp_tracker_census_entry(t, snap, i, &e);
    r->name = e.name;
    r->kept[side] = 1;
    r->count[side] = e.count;
    r->flat[side] = e.flat;
}

/* Each side's figures known: kept, or that census kept every type. */
static void mark_known(fp_diff *d, const fp_tracker *const side[2])
{
    int complete[2], k;
    size_t i;

    for (k = 0; k < 2; k++)
        complete[k] = fp_tracker_census_complete(side[k], d->snap[k]);
    for (i = 0; i < d->ntypes; i++)
        for (k = 0; k < 2; k++)
            d->types[i].known[k] = d->types[i].kept[k] || complete[k];
}

static int grew(const fp_type_delta *r)
{
    return r->flat[1] > r->flat[0] ||
           (r->flat[1] == r->flat[0] && r->count[1] > r->count[0]);
}

/* The largest growth in bytes first, then in objects, then by name. */
static int cmp_growth(const void *pa, const void *pb)
{
    const fp_type_delta *x = *(const fp_type_delta *const *)pa;
    const fp_type_delta *y = *(const fp_type_delta *const *)pb;
    uint64_t dx = x->flat[1] - x->flat[0], dy = y->flat[1] - y->flat[0];
    int64_t cx = (int64_t)(x->count[1] - x->count[0]),
            cy = (int64_t)(y->count[1] - y->count[0]);

    if (dx != dy)
        return dx > dy ? -1 : 1;
    if (cx != cy)
        return cx > cy ? -1 : 1;
    return strcmp(x->name, y->name);
}

static fp_status order_grown(fp_diff *d)
{
    size_t i;

    d->grown = fp_mem_alloc(&d->alloc, fp_mul_size(d->ntypes + 1,
                                                   sizeof *d->grown));
    if (!d->grown)
        return FP_ENOMEM;
    for (i = 0; i < d->ntypes; i++)
        if (grew(&d->types[i]))
            d->grown[d->ngrown++] = &d->types[i];
    qsort(d->grown, d->ngrown, sizeof *d->grown, cmp_growth);
    return FP_OK;
}

/* after's types in their order, each with its match in before; then
 * what only before's census kept. */
static void match_types(fp_diff *d, const fp_tracker *before,
                        const fp_tracker *after, const names *ix,
                        unsigned char *matched)
{
    size_t na = type_count(after, d->snap[1]), i;
    size_t nb = type_count(before, d->snap[0]);

    for (i = 0; i < na; i++) {
        fp_type_delta *r = &d->types[d->ntypes++];
        size_t b = find_name(ix, type_name(after, d->snap[1], i));
        fill_type(r, 0, before, d->snap[0], b);
        fill_type(r, 1, after, d->snap[1], i);
        if (b != FP_CLASS_NONE)
            matched[b] = 1;
    }
    for (i = 0; i < nb; i++)
        if (!matched[i])
            fill_type(&d->types[d->ntypes++], 0, before, d->snap[0], i);
}

static fp_status build_types(fp_diff *d, const fp_tracker *before,
                             const fp_tracker *after)
{
    size_t nb = type_count(before, d->snap[0]);
    size_t rows = type_count(after, d->snap[1]) + nb;
    names ix = {NULL, 0, NULL, 0, type_name};
    unsigned char *matched;
    fp_status st;

    ix.t = before;
    ix.snap = d->snap[0];
    d->types = fp_mem_alloc(&d->alloc, fp_mul_size(rows + 1,
                                                   sizeof *d->types));
    matched = fp_mem_alloc(&d->alloc, nb + 1);
    st = d->types && matched ? FP_OK : FP_ENOMEM;
    if (st == FP_OK)
        st = index_names(&d->alloc, nb, &ix);
    if (st == FP_OK) {
        memset(d->types, 0, (rows + 1) * sizeof *d->types);
        memset(matched, 0, nb + 1);
        match_types(d, before, after, &ix, matched);
    }
    fp_mem_free(&d->alloc, ix.slot);
    fp_mem_free(&d->alloc, matched);
    if (st == FP_OK) {
        const fp_tracker *side[2] = {before, after};
        mark_known(d, side);
        st = order_grown(d);
    }
    return st;
}

fp_status fp_diff_new(fp_diff **out, const fp_tracker *before,
                      size_t snap_before, const fp_tracker *after,
                      size_t snap_after, const fp_alloc *alloc)
{
    fp_alloc a;
    fp_diff *d;
    size_t snap[2];
    fp_status st;

    if (!out)
        return FP_EINVAL;
    *out = NULL;
    if (!before || !after || pick(before, snap_before, &snap[0]) != FP_OK ||
        pick(after, snap_after, &snap[1]) != FP_OK)
        return FP_EINVAL;
    fp_alloc_resolve(&a, alloc);
    d = fp_mem_alloc(&a, sizeof *d);
    if (!d)
        return FP_ENOMEM;
    memset(d, 0, sizeof *d);
    d->alloc = a;
    d->snap[0] = snap[0];
    d->snap[1] = snap[1];
    if ((st = build(d, before, after)) != FP_OK ||
        (st = build_types(d, before, after)) != FP_OK) {
        fp_diff_free(d);
        return st;
    }
    *out = d;
    return FP_OK;
}

void fp_diff_free(fp_diff *d)
{
    if (!d)
        return;
    fp_mem_free(&d->alloc, d->rows);
    fp_mem_free(&d->alloc, d->types);
    fp_mem_free(&d->alloc, d->grown);
    fp_mem_free(&d->alloc, d);
}

size_t fp_diff_count(const fp_diff *d)
{
    return d ? d->n : 0;
}

const fp_class_delta *fp_diff_row(const fp_diff *d, size_t i)
{
    return d && i < d->n ? &d->rows[i] : NULL;
}

size_t fp_diff_snapshot(const fp_diff *d, int side)
{
    return d && (side == 0 || side == 1) ? d->snap[side] : FP_SNAPSHOT_LAST;
}

size_t fp_diff_type_count(const fp_diff *d)
{
    return d ? d->ntypes : 0;
}

const fp_type_delta *fp_diff_type(const fp_diff *d, size_t i)
{
    return d && i < d->ntypes ? &d->types[i] : NULL;
}

size_t fp_diff_grown_count(const fp_diff *d)
{
    return d ? d->ngrown : 0;
}

const fp_type_delta *fp_diff_grown(const fp_diff *d, size_t i)
{
    return d && i < d->ngrown ? d->grown[i] : NULL;
}
