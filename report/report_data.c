/*
 * report_data.c - the numbers a report page is drawn from, each computed
 * in one pass over objects or snapshots, so a tracker of 100k instances
 * reports in milliseconds.
 *
 * Counts are fp_tracker_snapshot_classes' (pympler's rule, FP_ACTIVE_AT),
 * taken from the objects the page copies once, all classes in one pass per
 * snapshot; objects and detail entries are read in batches.
 */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static void *zalloc(const fp_alloc *a, size_t n, size_t size)
{
    size_t bytes = fp_mul_size(n ? n : 1, size);
    void *p = bytes ? fp_mem_alloc(a, bytes) : NULL;

    if (p)
        memset(p, 0, bytes);
    return p;
}

typedef struct keyed {
    uint64_t key;
    uint32_t idx;
} keyed;

static int by_key_desc(const void *a, const void *b)
{
    const keyed *x = a, *y = b;

    if (x->key != y->key)
        return x->key > y->key ? -1 : 1;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

fp_status rp_order_desc(const fp_alloc *alloc, const uint64_t *key,
                        size_t n, uint32_t **order)
{
    keyed *k = zalloc(alloc, n, sizeof *k);
    size_t i;

    *order = zalloc(alloc, n, sizeof **order);
    if (!k || !*order) {
        fp_mem_free(alloc, k);
        fp_mem_free(alloc, *order);
        *order = NULL;
        return FP_ENOMEM;
    }
    for (i = 0; i < n; i++) {
        k[i].key = key[i];
        k[i].idx = (uint32_t)i;
    }
    qsort(k, n, sizeof *k, by_key_desc);
    for (i = 0; i < n; i++)
        (*order)[i] = k[i].idx;
    fp_mem_free(alloc, k);
    return FP_OK;
}

static void time_range(rp_data *d)
{
    size_t i;
    int any = 0;

    d->t0 = d->t1 = 0;
#define SEE(x)                                                               \
    do {                                                                     \
        double x_ = (x);                                                     \
        if (!any || x_ < d->t0)                                              \
            d->t0 = x_;                                                      \
        if (!any || x_ > d->t1)                                              \
            d->t1 = x_;                                                      \
        any = 1;                                                             \
    } while (0)
    for (i = 0; i < d->nobj; i++) {
        SEE(d->obj[i].birth);
        if (d->obj[i].dead)
            SEE(d->obj[i].death);
    }
    for (i = 0; i < d->nsnap; i++)
        SEE(d->snap[i].timestamp);
#undef SEE
}

/* Snapshot s's active counts and sums per class (fp_tracker_snapshot_
 * classes' figures, from the objects copied already), and each object's
 * largest size. */
static fp_status count_snapshot(rp_data *d, size_t s)
{
    enum { BATCH = 256 };
    size_t i, k, n, obj[BATCH];
    size_t *active = d->active + s * d->ncls;
    uint64_t size[BATCH], *sum = d->sum + s * d->ncls;
    double ts = d->snap[s].timestamp;
    fp_status st = FP_OK;

    for (i = 0; i < d->nobj; i++) {
        const rp_obj *o = &d->obj[i];
        if (FP_ACTIVE_AT(o->birth, o->dead, o->death, ts))
            active[o->cls]++;
    }
    for (i = 0; st == FP_OK && i < d->snap[s].nsized; i += n) {
        n = d->snap[s].nsized - i < BATCH ? d->snap[s].nsized - i : BATCH;
        st = fp_tracker_snapshot_entries(d->t, s, i, n, obj, size);
        for (k = 0; st == FP_OK && k < n; k++) {
            sum[d->obj[obj[k]].cls] += size[k];
            if (size[k] > d->objmax[obj[k]])
                d->objmax[obj[k]] = size[k];
            d->sized[obj[k]] = 1;
        }
    }
    return st;
}

static fp_status count_snapshots(rp_data *d)
{
    enum { BATCH = 128 };
    fp_object_info o[BATCH];
    size_t s, i, k, n;
    fp_status st = FP_OK;

    for (i = 0; st == FP_OK && i < d->nobj; i += n) {
        n = d->nobj - i < BATCH ? d->nobj - i : BATCH;
        st = fp_tracker_object_infos(d->t, i, n, o);
        for (k = 0; st == FP_OK && k < n; k++) {
            rp_obj *r = &d->obj[i + k];
            r->birth = o[k].birth;
            r->death = o[k].death;
            r->cls = (uint32_t)o[k].cls;
            r->dead = (uint8_t)o[k].dead;
            r->detached = (uint8_t)o[k].detached;
        }
    }
    for (s = 0; st == FP_OK && s < d->nsnap; s++)
        st = fp_tracker_snapshot_info(d->t, s, &d->snap[s]);
    for (s = 0; st == FP_OK && s < d->nsnap; s++)
        st = count_snapshot(d, s);
    return st;
}

static void summarize_classes(rp_data *d)
{
    fp_class_info ci;
    size_t i, s;

    for (i = 0; i < d->ncls; i++) {
        fp_tracker_class_info(d->t, i, &ci);
        d->cls[i].name = ci.name;
    }
    for (i = 0; i < d->nobj; i++) {
        rp_class *c = &d->cls[d->obj[i].cls];
        uint64_t m = d->objmax[i];

        c->count++;
        if (!d->obj[i].dead && !d->obj[i].detached)
            c->alive++;
        if (!d->sized[i])
            continue;
        if (!c->measured || m < c->min)
            c->min = m;
        if (m > c->max)
            c->max = m;
        c->measured++;
        c->avg += (double)m; /* a sum until divided below */
    }
    for (i = 0; i < d->ncls; i++) {
        rp_class *c = &d->cls[i];
        if (c->measured)
            c->avg /= (double)c->measured;
        for (s = 0; s < d->nsnap; s++)
            if (d->sum[s * d->ncls + i] > c->peak)
                c->peak = d->sum[s * d->ncls + i];
    }
}

static const uint64_t *fill_peaks(const rp_data *d, uint64_t *peaks)
{
    size_t i;

    for (i = 0; i < d->ncls; i++)
        peaks[i] = d->cls[i].peak;
    return peaks;
}

/* Colours go to the classes with the largest peaks; a class that never
 * held a byte gets none. */
static void colour_classes(rp_data *d, size_t top)
{
    size_t i;

    d->ntop = 0;
    for (i = 0; i < d->ncls; i++) {
        rp_class *c = &d->cls[d->rank[i]];
        if (d->ntop < top && c->peak) {
            c->slot = (int)(d->ntop % RP_PALETTE);
            d->ntop++;
        } else {
            c->slot = -1;
        }
    }
}

void rp_recolour(rp_data *d, const int *slot)
{
    size_t i, k = 0;

    for (i = 0; i < d->ncls; i++)
        d->cls[i].slot = slot[i];
    /* stable partition of rank: coloured classes first, in rank order;
     * done in place by rotating each coloured entry forward */
    for (i = 0; i < d->ncls; i++) {
        uint32_t c = d->rank[i];
        if (d->cls[c].slot < 0)
            continue;
        memmove(d->rank + k + 1, d->rank + k, (i - k) * sizeof *d->rank);
        d->rank[k++] = c;
    }
    d->ntop = k;
}

/* Evenly spread snapshots, always the first and the last: periodic
 * snapshots can number thousands, and a table column or a section each
 * would bury the page. */
static void choose_shown(rp_data *d, size_t max)
{
    size_t i;

    if (max == 0)
        max = 1;
    d->nshown = d->nsnap < max ? d->nsnap : max;
    for (i = 0; i < d->nshown; i++)
        d->shown[i] = (uint32_t)(d->nshown == 1
                                     ? d->nsnap - 1
                                     : i * (d->nsnap - 1) / (d->nshown - 1));
}

fp_status rp_data_init(rp_data *d, const fp_tracker *t, size_t top_classes,
                       size_t max_snapshots)
{
    size_t cells;
    uint64_t *peaks;

    memset(d, 0, sizeof *d);
    d->t = t;
    fp_tracker_allocator(t, &d->alloc);
    d->ncls = fp_tracker_class_count(t);
    d->nobj = fp_tracker_object_count(t);
    d->nsnap = fp_tracker_snapshot_count(t);
    cells = fp_mul_size(d->ncls, d->nsnap);
    if (d->nsnap && !cells && d->ncls)
        return FP_ENOMEM;
    d->cls = zalloc(&d->alloc, d->ncls, sizeof *d->cls);
    d->active = zalloc(&d->alloc, cells, sizeof *d->active);
    d->sum = zalloc(&d->alloc, cells, sizeof *d->sum);
    d->objmax = zalloc(&d->alloc, d->nobj, sizeof *d->objmax);
    d->sized = zalloc(&d->alloc, d->nobj, 1);
    d->shown = zalloc(&d->alloc, d->nsnap, sizeof *d->shown);
    d->snap = zalloc(&d->alloc, d->nsnap, sizeof *d->snap);
    /* filled whole by count_snapshots: not zeroed first */
    d->obj = fp_mem_alloc(&d->alloc, fp_mul_size(d->nobj ? d->nobj : 1,
                                                 sizeof *d->obj));
    if (!d->cls || !d->active || !d->sum || !d->objmax || !d->sized ||
        !d->shown || !d->snap || !d->obj || count_snapshots(d) != FP_OK) {
        rp_data_release(d);
        return FP_ENOMEM;
    }
    time_range(d);
    summarize_classes(d);
    peaks = zalloc(&d->alloc, d->ncls, sizeof *peaks);
    if (!peaks || rp_order_desc(&d->alloc, peaks ? fill_peaks(d, peaks)
                                                 : NULL,
                                d->ncls, &d->rank) != FP_OK) {
        fp_mem_free(&d->alloc, peaks);
        rp_data_release(d);
        return FP_ENOMEM;
    }
    fp_mem_free(&d->alloc, peaks);
    colour_classes(d, top_classes);
    choose_shown(d, max_snapshots);
    return FP_OK;
}

void rp_data_release(rp_data *d)
{
    fp_mem_free(&d->alloc, d->cls);
    fp_mem_free(&d->alloc, d->rank);
    fp_mem_free(&d->alloc, d->active);
    fp_mem_free(&d->alloc, d->sum);
    fp_mem_free(&d->alloc, d->objmax);
    fp_mem_free(&d->alloc, d->sized);
    fp_mem_free(&d->alloc, d->shown);
    fp_mem_free(&d->alloc, d->snap);
    fp_mem_free(&d->alloc, d->obj);
    memset(d, 0, sizeof *d);
}

/* ---- largest instances: one bounded min-heap per class ---- */

/* 1 if object a ranks below b: smaller, or as large and born later. */
static int ranks_below(const rp_data *d, uint32_t a, uint32_t b)
{
    if (d->objmax[a] != d->objmax[b])
        return d->objmax[a] < d->objmax[b];
    return a > b;
}

static void sift_down(const rp_data *d, uint32_t *h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && ranks_below(d, h[l], h[m]))
            m = l;
        if (r < n && ranks_below(d, h[r], h[m]))
            m = r;
        if (m == i)
            return;
        uint32_t tmp = h[i];
        h[i] = h[m];
        h[m] = tmp;
        i = m;
    }
}

static void heap_push(const rp_data *d, uint32_t *h, size_t *n, size_t cap,
                      uint32_t obj)
{
    size_t i;

    if (*n == cap) {
        if (!ranks_below(d, h[0], obj))
            return;
        h[0] = obj;
        sift_down(d, h, *n, 0);
        return;
    }
    for (i = (*n)++; i > 0 && ranks_below(d, obj, h[(i - 1) / 2]);
         i = (i - 1) / 2)
        h[i] = h[(i - 1) / 2];
    h[i] = obj;
}

fp_status rp_top_instances(const rp_data *d, size_t n, uint32_t **idx,
                           size_t **count)
{
    size_t c, i;

    *idx = zalloc(&d->alloc, fp_mul_size(d->ncls, n ? n : 1), sizeof **idx);
    *count = zalloc(&d->alloc, d->ncls, sizeof **count);
    if (!*idx || !*count || (d->ncls && !fp_mul_size(d->ncls, n ? n : 1))) {
        fp_mem_free(&d->alloc, *idx);
        fp_mem_free(&d->alloc, *count);
        *idx = NULL;
        *count = NULL;
        return FP_ENOMEM;
    }
    if (!n)
        return FP_OK;
    for (i = 0; i < d->nobj; i++) {
        c = d->obj[i].cls;
        heap_push(d, *idx + c * n, *count + c, n, (uint32_t)i);
    }
    /* heap sort in place: popping the smallest to the back leaves the
     * array largest first */
    for (c = 0; c < d->ncls; c++) {
        uint32_t *h = *idx + c * n;
        size_t k;
        for (k = (*count)[c]; k > 1; k--) {
            uint32_t tmp = h[0];
            h[0] = h[k - 1];
            h[k - 1] = tmp;
            sift_down(d, h, k - 1, 0);
        }
    }
    return FP_OK;
}

/* ---- live instances over time ---- */

static size_t bin_of(const rp_data *d, double x, size_t nbins)
{
    double span = d->t1 - d->t0, f;

    if (!(span > 0))
        return 0;
    f = (x - d->t0) / span * (double)nbins;
    if (!(f > 0))
        return 0;
    return f >= (double)nbins ? nbins - 1 : (size_t)f;
}

fp_status rp_lifetime(const rp_data *d, const uint32_t *classes,
                      size_t nclasses, size_t nbins, uint32_t **live)
{
    size_t stride = nbins + 1, i, k, kb, kd;
    int32_t *delta, *slot_of;

    *live = zalloc(&d->alloc, fp_mul_size(nclasses, stride), sizeof **live);
    delta = zalloc(&d->alloc, fp_mul_size(nclasses, stride), sizeof *delta);
    slot_of = zalloc(&d->alloc, d->ncls, sizeof *slot_of);
    if (!*live || !delta || !slot_of || !nbins) {
        fp_mem_free(&d->alloc, *live);
        fp_mem_free(&d->alloc, delta);
        fp_mem_free(&d->alloc, slot_of);
        *live = NULL;
        return nbins ? FP_ENOMEM : FP_EINVAL;
    }
    for (i = 0; i < d->ncls; i++)
        slot_of[i] = -1;
    for (i = 0; i < nclasses; i++)
        slot_of[classes[i]] = (int32_t)i;
    for (i = 0; i < d->nobj; i++) {
        const rp_obj *o = &d->obj[i];
        int32_t *row;
        if (slot_of[o->cls] < 0)
            continue;
        row = delta + (size_t)slot_of[o->cls] * stride;
        kb = bin_of(d, o->birth, nbins);
        row[kb]++;
        /* the -1 goes one slice after the death, so a slice counts every
         * instance alive at some moment in it, even one born and dead
         * inside it; deaths in the last slice land on the final count */
        if (o->dead) {
            kd = bin_of(d, o->death, nbins);
            if (kd < kb)
                kd = kb;
            row[kd + 1]--;
        }
    }
    for (i = 0; i < nclasses; i++) {
        int64_t run = 0;
        for (k = 0; k < stride; k++) {
            run += delta[i * stride + k];
            (*live)[i * stride + k] = run > 0 ? (uint32_t)run : 0;
        }
    }
    fp_mem_free(&d->alloc, delta);
    fp_mem_free(&d->alloc, slot_of);
    return FP_OK;
}
