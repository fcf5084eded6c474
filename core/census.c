/*
 * census.c - every object a host can find, counted once, by class
 * (pympler's muppy + summary).
 *
 * What a census holds per object is its bit in the visited set: a heap
 * walked in address order costs a few bytes an object (visited.c packs a
 * 512-byte stretch into one entry); an object added as unique (the host
 * lists it once) costs nothing.  The class and flat size of a counted
 * object are summed into its row and forgotten; an object excluded after
 * it was counted is asked about again to take it back out.  Rows sit in an
 * array in the order classes were met, found through a small hash map (a
 * host has hundreds of classes, not millions) and sorted only when read.
 *
 * Every change is prepared first (sets reserved, the row found or made,
 * the kept-object array grown) and committed after, so a failed
 * allocation leaves the figures as they were.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

#include <stdlib.h>
#include <string.h>

#define ROW_NONE UINT32_MAX
#define MAP_MIN_CAP 64u

typedef struct crow {
    fp_handle cls;
    uint64_t count, flat, deep;
    fp_vec objs;          /* of fp_handle: the counted objects (DEEP) */
} crow;

struct fp_census {
    fp_alloc alloc;
    fp_host host;
    unsigned flags;
    fp_set seen;          /* added: counted or failed */
    fp_set excluded;
    fp_set failed;        /* added but unreadable: few, kept to exclude */
    fp_vec rows;          /* crow, in the order classes were met */
    fp_vec order;         /* crow *: the sorted view, rows.len of them */
    uint32_t *map;        /* open addressing: row index + 1, 0 = empty */
    size_t map_cap;
    size_t last;          /* row of the last add: objects come in runs */
    size_t nonempty;      /* rows holding at least one object */
    uint64_t count, flat, nfailed;
    int sorted;           /* order is current */
    int has_deep;         /* rows hold fp_census_deep's figures */
    int pruned;           /* every kept object is still counted */
    char errmsg[FP_ERRMSG_SIZE];
};

#define CROW(c, i) (((crow *)(c)->rows.data)[i])

static size_t map_slot(fp_handle cls, size_t mask)
{
    return (size_t)XXH3_64bits(&cls, sizeof cls) & mask;
}

fp_status fp_census_new(fp_census **out, const fp_host *host,
                        unsigned flags, const fp_alloc *alloc)
{
    fp_alloc a;
    fp_census *c;

    if (!out)
        return FP_EINVAL;
    *out = NULL;
    if (!host || !host->inspect || (flags & ~FP_CENSUS_DEEP))
        return FP_EINVAL;
    fp_alloc_resolve(&a, alloc);
    c = fp_mem_alloc(&a, sizeof *c);
    if (!c)
        return FP_ENOMEM;
    memset(c, 0, sizeof *c);
    c->alloc = a;
    c->host = *host;
    c->flags = flags;
    fp_set_init(&c->seen, &a);
    fp_set_init(&c->excluded, &a);
    fp_set_init(&c->failed, &a);
    fp_vec_init(&c->rows, sizeof(crow));
    fp_vec_init(&c->order, sizeof(crow *));
    c->last = ROW_NONE;
    c->pruned = 1;
    *out = c;
    return FP_OK;
}

static void release_rows(fp_census *c)
{
    size_t i;

    for (i = 0; i < c->rows.len; i++)
        fp_vec_release(&CROW(c, i).objs, &c->alloc);
    c->rows.len = c->order.len = 0;
}

void fp_census_free(fp_census *c)
{
    fp_alloc a;

    if (!c)
        return;
    a = c->alloc;
    release_rows(c);
    fp_vec_release(&c->rows, &a);
    fp_vec_release(&c->order, &a);
    fp_set_release(&c->seen);
    fp_set_release(&c->excluded);
    fp_set_release(&c->failed);
    fp_mem_free(&a, c->map);
    fp_mem_free(&a, c);
}

void fp_census_clear(fp_census *c)
{
    if (!c)
        return;
    release_rows(c);
    fp_set_clear(&c->seen);
    fp_set_clear(&c->failed);
    if (c->map)
        memset(c->map, 0, c->map_cap * sizeof *c->map);
    c->last = ROW_NONE;
    c->nonempty = 0;
    c->count = c->flat = c->nfailed = 0;
    c->sorted = c->has_deep = 0;
    c->pruned = 1;
    c->errmsg[0] = '\0';
}

/* The row of cls, or ROW_NONE. */
static size_t row_find(fp_census *c, fp_handle cls)
{
    size_t mask, i;

    if (c->last != ROW_NONE && CROW(c, c->last).cls == cls)
        return c->last;
    if (!c->map)
        return ROW_NONE;
    mask = c->map_cap - 1;
    for (i = map_slot(cls, mask); c->map[i]; i = (i + 1) & mask)
        if (CROW(c, c->map[i] - 1).cls == cls)
            return c->map[i] - 1;
    return ROW_NONE;
}

/* Room in the map for one more row, at most half full. */
static fp_status map_reserve(fp_census *c)
{
    size_t cap = c->map_cap ? c->map_cap : MAP_MIN_CAP, i, j, mask;
    uint32_t *map;

    while (c->rows.len + 1 > cap / 2)
        cap *= 2;
    if (cap == c->map_cap)
        return FP_OK;
    if (c->rows.len >= ROW_NONE - 1 || !fp_mul_size(cap, sizeof *map))
        return FP_ENOMEM;
    map = fp_mem_alloc(&c->alloc, cap * sizeof *map);
    if (!map)
        return FP_ENOMEM;
    memset(map, 0, cap * sizeof *map);
    mask = cap - 1;
    for (i = 0; i < c->rows.len; i++) {
        for (j = map_slot(CROW(c, i).cls, mask); map[j]; j = (j + 1) & mask)
            ;
        map[j] = (uint32_t)(i + 1);
    }
    fp_mem_free(&c->alloc, c->map);
    c->map = map;
    c->map_cap = cap;
    return FP_OK;
}

/* The row of cls, made (empty) if new.  An empty row left behind by a
 * later failure is harmless: rows without objects are never shown. */
static fp_status row_get(fp_census *c, fp_handle cls, size_t *row)
{
    size_t i = row_find(c, cls), mask, j;
    crow *r;

    if (i == ROW_NONE) {
        if (map_reserve(c) != FP_OK ||
            fp_vec_reserve(&c->order, &c->alloc, 1) != FP_OK ||
            !(r = fp_vec_push(&c->rows, &c->alloc)))
            return FP_ENOMEM;
        i = c->rows.len - 1;
        r->cls = cls;
        fp_vec_init(&r->objs, sizeof(fp_handle));
        c->order.len = c->rows.len;
        mask = c->map_cap - 1;
        for (j = map_slot(cls, mask); c->map[j]; j = (j + 1) & mask)
            ;
        c->map[j] = (uint32_t)(i + 1);
        c->sorted = 0;
    }
    *row = c->last = i;
    return FP_OK;
}

static void zero_deep(fp_census *c)
{
    size_t i;

    for (i = 0; i < c->rows.len; i++)
        CROW(c, i).deep = 0;
    c->has_deep = 0;
}

/* Counted figures changed: the order and any deep figures are stale. */
static void changed(fp_census *c)
{
    c->sorted = 0;
    if (c->has_deep)
        zero_deep(c);
}

static fp_status no_memory(fp_census *c, const char *what, fp_handle obj)
{
    fp_errmsg_set(c->errmsg, "census: out of memory %s object %#jx",
                  what, (uintmax_t)obj);
    return FP_ENOMEM;
}

static fp_status add_failed(fp_census *c, fp_handle obj)
{
    if (fp_set_reserve(&c->seen, 1) != FP_OK ||
        fp_set_reserve(&c->failed, 1) != FP_OK)
        return no_memory(c, "counting", obj);
    fp_set_insert(&c->seen, obj);
    fp_set_insert(&c->failed, obj);
    c->nfailed++;
    return FP_OK;
}

/* Count obj in its row; remember: also in the set of seen objects. */
static fp_status add_counted(fp_census *c, fp_handle obj, const fp_info *info,
                             int remember)
{
    size_t i;
    crow *r;

    if ((remember && fp_set_reserve(&c->seen, 1) != FP_OK) ||
        row_get(c, info->cls, &i) != FP_OK)
        return no_memory(c, "counting", obj);
    r = &CROW(c, i);
    if ((c->flags & FP_CENSUS_DEEP) &&
        fp_vec_reserve(&r->objs, &c->alloc, 1) != FP_OK)
        return no_memory(c, "keeping", obj);
    if (remember)
        fp_set_insert(&c->seen, obj);
    if (c->flags & FP_CENSUS_DEEP)
        ((fp_handle *)r->objs.data)[r->objs.len++] = obj;
    if (!r->count++)
        c->nonempty++;
    r->flat += info->flat;
    c->count++;
    c->flat += info->flat;
    changed(c);
    return FP_OK;
}

/* What both adds do once obj is known to be new and not excluded. */
static fp_status add_new(fp_census *c, fp_handle obj, int remember,
                         int *added)
{
    fp_info info = {0, 0, 0};
    fp_status st = c->host.inspect(c->host.ctx, obj, &info);

    if (st == FP_EHOST && !remember) {
        c->nfailed++;
        return FP_OK;
    }
    if (st == FP_EHOST)
        return add_failed(c, obj);
    if (st != FP_OK) {
        fp_errmsg_set(c->errmsg, "census: host failed on object %#jx: %s",
                      (uintmax_t)obj, fp_strerror(st));
        return st;
    }
    st = add_counted(c, obj, &info, remember);
    if (st == FP_OK && added)
        *added = 1;
    return st;
}

fp_status fp_census_add(fp_census *c, fp_handle obj, int *added)
{
    if (added)
        *added = 0;
    if (!c || !obj)
        return FP_EINVAL;
    c->errmsg[0] = '\0';
    /* seen first: hosts hand over shared objects once per holder */
    if (fp_set_contains(&c->seen, obj) ||
        (c->excluded.count && fp_set_contains(&c->excluded, obj)))
        return FP_OK;
    return add_new(c, obj, 1, added);
}

fp_status fp_census_add_unique(fp_census *c, fp_handle obj, int *added)
{
    if (added)
        *added = 0;
    if (!c || !obj)
        return FP_EINVAL;
    c->errmsg[0] = '\0';
    if (c->excluded.count && fp_set_contains(&c->excluded, obj))
        return FP_OK;
    return add_new(c, obj, 0, added);
}

/* Take a counted object back out of its row, as inspect describes it
 * now: the census did not keep its class and size. */
static fp_status take_back(fp_census *c, fp_handle obj)
{
    fp_info info = {0, 0, 0};
    fp_status st;
    size_t i;
    crow *r;

    if (c->failed.count && fp_set_contains(&c->failed, obj)) {
        c->nfailed--;
        return FP_OK;
    }
    st = c->host.inspect(c->host.ctx, obj, &info);
    i = st == FP_OK ? row_find(c, info.cls) : ROW_NONE;
    if (i == ROW_NONE || !CROW(c, i).count) {
        fp_errmsg_set(c->errmsg,
                      "census: object %#jx was counted and cannot be taken "
                      "back out: %s", (uintmax_t)obj,
                      st != FP_OK ? fp_strerror(st)
                                  : "its class is no longer the one counted");
        return st != FP_OK ? st : FP_EHOST;
    }
    r = &CROW(c, i);
    if (info.flat > r->flat || r->count == 1)
        info.flat = (size_t)r->flat;
    r->flat -= info.flat;
    c->flat -= info.flat;
    c->count--;
    if (!--r->count)
        c->nonempty--;
    if (c->flags & FP_CENSUS_DEEP)
        c->pruned = 0; /* its handle stays in its row until deep prunes */
    changed(c);
    return FP_OK;
}

fp_status fp_census_exclude(fp_census *c, fp_handle obj)
{
    fp_status st = FP_OK;

    if (!c || !obj)
        return FP_EINVAL;
    c->errmsg[0] = '\0';
    if (fp_set_contains(&c->excluded, obj))
        return FP_OK;
    if (fp_set_reserve(&c->excluded, 1) != FP_OK)
        return no_memory(c, "excluding", obj);
    if (fp_set_contains(&c->seen, obj))
        st = take_back(c, obj);
    fp_set_insert(&c->excluded, obj);
    return st;
}

/* Largest flat first; ties: more objects, then the lower class handle.
 * Empty rows (flat 0, count 0) come last. */
static int row_cmp(const void *pa, const void *pb)
{
    const crow *a = *(const crow *const *)pa, *b = *(const crow *const *)pb;

    if (a->flat != b->flat)
        return a->flat > b->flat ? -1 : 1;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    return 0;
}

size_t fp_census_rows(fp_census *c)
{
    crow **order;
    size_t i;

    if (!c)
        return 0;
    if (!c->sorted) {
        order = (crow **)c->order.data;
        for (i = 0; i < c->rows.len; i++)
            order[i] = &CROW(c, i);
        if (c->rows.len > 1)
            qsort(order, c->rows.len, sizeof *order, row_cmp);
        c->sorted = 1;
    }
    return c->nonempty;
}

fp_status fp_census_read(fp_census *c, size_t i, fp_census_row *out)
{
    const crow *r;

    if (!c || !out || i >= fp_census_rows(c))
        return FP_EINVAL;
    r = ((crow **)c->order.data)[i];
    out->cls = r->cls;
    out->count = r->count;
    out->flat = r->flat;
    out->deep = r->deep;
    return FP_OK;
}

void fp_census_totals(const fp_census *c, uint64_t *count, uint64_t *flat,
                      uint64_t *failed)
{
    if (count)
        *count = c ? c->count : 0;
    if (flat)
        *flat = c ? c->flat : 0;
    if (failed)
        *failed = c ? c->nfailed : 0;
}

/* Drop kept objects that were excluded after they were counted. */
static void prune(fp_census *c)
{
    size_t i, k, n;

    for (i = 0; i < c->rows.len && !c->pruned; i++) {
        crow *r = &CROW(c, i);
        fp_handle *h = (fp_handle *)r->objs.data;
        for (k = n = 0; k < r->objs.len; k++)
            if (!fp_set_contains(&c->excluded, h[k]))
                h[n++] = h[k];
        r->objs.len = n;
    }
    c->pruned = 1;
}

fp_status fp_census_deep(fp_census *c, fp_sizer *sizer)
{
    size_t n, i;
    fp_stats before, after;
    fp_status st;

    if (!c || !sizer)
        return FP_EINVAL;
    c->errmsg[0] = '\0';
    if (!(c->flags & FP_CENSUS_DEEP)) {
        fp_errmsg_set(c->errmsg, "census: made without FP_CENSUS_DEEP, "
                                 "it kept no objects to size");
        return FP_EINVAL;
    }
    zero_deep(c);
    n = fp_census_rows(c);
    prune(c);
    fp_sizer_reset(sizer);
    for (i = 0; i < n; i++) {
        crow *r = ((crow **)c->order.data)[i];
        fp_sizer_stats(sizer, &before);
        st = fp_sizer_size(sizer, (const fp_handle *)r->objs.data,
                           r->objs.len, NULL);
        if (st != FP_OK) {
            fp_errmsg_set(c->errmsg, "census: sizing row %zu failed: %s", i,
                          fp_sizer_errmsg(sizer));
            zero_deep(c);
            return st;
        }
        fp_sizer_stats(sizer, &after);
        r->deep = after.total - before.total;
    }
    c->has_deep = 1;
    return FP_OK;
}

size_t fp_census_memory(const fp_census *c)
{
    size_t bytes, i;

    if (!c)
        return 0;
    bytes = sizeof *c + fp_set_memory(&c->seen) +
            fp_set_memory(&c->excluded) + fp_set_memory(&c->failed) +
            c->rows.cap * c->rows.item + c->order.cap * c->order.item +
            c->map_cap * sizeof *c->map;
    for (i = 0; i < c->rows.len; i++)
        bytes += CROW(c, i).objs.cap * sizeof(fp_handle);
    return bytes;
}

const char *fp_census_errmsg(const fp_census *c)
{
    return c ? c->errmsg : "";
}
