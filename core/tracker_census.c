/*
 * tracker_census.c - a snapshot's heap by type, as a host's census found
 * it: names interned in the tracker's strings, entries kept in the order
 * every reader shows them (largest flat first), so printers, the report
 * and dumps never sort them again.
 */
#include "tracker.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int fp_tcensus_before(const fp_tracker *t, const tcensus *a, const tcensus *b)
{
    if (a->flat != b->flat)
        return a->flat > b->flat;
    if (a->count != b->count)
        return a->count > b->count;
    return strcmp(fp_strtab_get(&t->strs, a->name),
                  fp_strtab_get(&t->strs, b->name)) < 0;
}

/* An entry with its name's text, for sorting without the tracker. */
typedef struct keyed {
    const char *name;
    tcensus e;
    int inside;     /* the caller's name lies in the tracker's strings */
} keyed;

static int by_name(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;

    return a->e.name < b->e.name ? -1 : a->e.name > b->e.name;
}

static int by_order(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;

    if (a->e.flat != b->e.flat)
        return a->e.flat > b->e.flat ? -1 : 1;
    if (a->e.count != b->e.count)
        return a->e.count > b->e.count ? -1 : 1;
    return strcmp(a->name, b->name);
}

/* Sum entries of one name into one (interned: one name, one offset);
 * 0 when a sum overflows.  *n becomes the number of distinct names. */
static int merge(keyed *k, size_t *n)
{
    size_t i, m = 0;

    qsort(k, *n, sizeof *k, by_name);
    for (i = 0; i < *n; i++) {
        if (m && k[m - 1].e.name == k[i].e.name) {
            tcensus *d = &k[m - 1].e;
            if (d->count > UINT64_MAX - k[i].e.count ||
                d->flat > UINT64_MAX - k[i].e.flat ||
                d->deep > UINT64_MAX - k[i].e.deep)
                return 0;
            d->count += k[i].e.count;
            d->flat += k[i].e.flat;
            d->deep += k[i].e.deep;
        } else {
            k[m++] = k[i];
        }
    }
    *n = m;
    return 1;
}

/* The entries' sums stay within the totals given with them (the host
 * may keep only the largest types, never more than it counted). */
static int within(const keyed *k, size_t n, uint64_t count, uint64_t flat)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (k[i].e.count > count || k[i].e.flat > flat)
            return 0;
        count -= k[i].e.count;
        flat -= k[i].e.flat;
    }
    return 1;
}

/* Names may point into the tracker's own strings (read back with
 * fp_tracker_census_entry), which interning may move: those are noted by
 * offset, room for every name is made, and only then is any interned. */
static fp_status intern_all(fp_tracker *t, const fp_census_entry *in,
                            size_t n, keyed *k)
{
    const fp_strtab *st = &t->strs;
    size_t i, bytes = 0;
    uintptr_t off;

    for (i = 0; i < n; i++) {
        const char *s = in[i].name;
        size_t len = s ? strlen(s) : 0;
        if (!s)
            return FP_EINVAL;
        if (len >= (size_t)-1 - bytes)
            return FP_ENOMEM;
        bytes += len + 1;
        /* compared as integers: < between unrelated pointers is not C */
        off = (uintptr_t)s - (uintptr_t)st->data;
        k[i].inside = off < st->len;
        k[i].e.name = k[i].inside ? (uint32_t)off : 0;
    }
    if (fp_strtab_reserve(&t->strs, bytes) != FP_OK)
        return FP_ENOMEM;
    for (i = 0; i < n; i++) {
        const char *s = k[i].inside ? st->data + k[i].e.name : in[i].name;
        if (fp_strtab_intern(&t->strs, s, strlen(s), &k[i].e.name) != FP_OK)
            return FP_ENOMEM;
        k[i].e.unused = 0;
        k[i].e.count = in[i].count;
        k[i].e.flat = in[i].flat;
        k[i].e.deep = in[i].deep;
    }
    /* Names are read once the table has stopped growing. */
    for (i = 0; i < n; i++)
        k[i].name = fp_strtab_get(&t->strs, k[i].e.name);
    return FP_OK;
}

/* Merged, checked and ordered entries into a new array (NULL for none). */
static fp_status build(fp_tracker *t, const fp_census_entry *in, size_t *n,
                       uint64_t count, uint64_t flat, tcensus **out)
{
    keyed *k = fp_mem_alloc(&t->alloc, fp_mul_size(*n, sizeof *k));
    tcensus *e = NULL;
    fp_status st;
    size_t i;

    *out = NULL;
    if (!k)
        return *n ? FP_ENOMEM : FP_OK;
    st = intern_all(t, in, *n, k);
    if (st == FP_EINVAL)
        fp_errmsg_set(t->errmsg, "a type without a name");
    if (st == FP_OK && (!merge(k, n) || !within(k, *n, count, flat))) {
        fp_errmsg_set(t->errmsg, "the types count more than the totals "
                                 "(%ju objects, %ju bytes)",
                      (uintmax_t)count, (uintmax_t)flat);
        st = FP_EINVAL;
    }
    if (st == FP_OK) {
        qsort(k, *n, sizeof *k, by_order);
        e = fp_mem_alloc(&t->alloc, fp_mul_size(*n, sizeof *e));
        if (!e)
            st = FP_ENOMEM;
    }
    for (i = 0; st == FP_OK && i < *n; i++)
        e[i] = k[i].e;
    fp_mem_free(&t->alloc, k);
    if (st == FP_OK)
        *out = e;
    return st;
}

fp_status fp_tracker_set_census(fp_tracker *t, size_t snap,
                                const fp_census_entry *entries, size_t n,
                                uint64_t total_count, uint64_t total_flat)
{
    tcensus *e;
    tsnap *s;
    fp_status st;

    if (!t)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    if (snap >= t->snaps.len || (n && !entries) || n > UINT32_MAX) {
        fp_errmsg_set(t->errmsg, "census: no snapshot %zu (%zu taken), or "
                                 "no entries", snap, t->snaps.len);
        return FP_EINVAL;
    }
    st = build(t, entries, &n, total_count, total_flat, &e);
    if (st != FP_OK) {
        char why[FP_ERRMSG_SIZE];
        snprintf(why, sizeof why, "%s",
                 st == FP_EINVAL ? t->errmsg : fp_strerror(st));
        fp_errmsg_set(t->errmsg, "census of snapshot %zu: %s", snap, why);
        return st;
    }
    s = &TSNAP(t, snap);
    fp_mem_free(&t->alloc, s->census);
    s->census = e;
    s->ncensus = n;
    s->census_count = total_count;
    s->census_flat = total_flat;
    return FP_OK;
}

size_t fp_tracker_census_count(const fp_tracker *t, size_t snap)
{
    return t && snap < t->snaps.len ? TSNAP(t, snap).ncensus : 0;
}

fp_status fp_tracker_census_entry(const fp_tracker *t, size_t snap, size_t i,
                                  fp_census_entry *out)
{
    const tcensus *e;

    if (!t || !out || snap >= t->snaps.len || i >= TSNAP(t, snap).ncensus)
        return FP_EINVAL;
    e = &TSNAP(t, snap).census[i];
    out->name = fp_strtab_get(&t->strs, e->name);
    out->count = e->count;
    out->flat = e->flat;
    out->deep = e->deep;
    return FP_OK;
}

fp_status fp_tracker_census_totals(const fp_tracker *t, size_t snap,
                                   uint64_t *count, uint64_t *flat)
{
    if (!t || snap >= t->snaps.len)
        return FP_EINVAL;
    if (count)
        *count = TSNAP(t, snap).census_count;
    if (flat)
        *flat = TSNAP(t, snap).census_flat;
    return FP_OK;
}

int fp_tracker_census_taken(const fp_tracker *t, size_t snap)
{
    const tsnap *s;

    if (!t || snap >= t->snaps.len)
        return 0;
    s = &TSNAP(t, snap);
    return s->census_count || s->census_flat || s->ncensus;
}

int fp_tracker_census_complete(const fp_tracker *t, size_t snap)
{
    uint64_t count = 0, flat = 0;
    size_t i;
    const tsnap *s;

    if (!fp_tracker_census_taken(t, snap))
        return 0;
    s = &TSNAP(t, snap);
    for (i = 0; i < s->ncensus; i++) {
        count += s->census[i].count;
        flat += s->census[i].flat;
    }
    return count == s->census_count && flat == s->census_flat;
}
