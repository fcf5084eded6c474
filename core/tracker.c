/*
 * tracker.c - tracked classes and objects, and snapshots of their sizes.
 *
 * Objects are kept in birth order, so "size in birth order" is a walk over
 * the array and every per-snapshot table is naturally sorted by object
 * index.  Live objects are found by handle through an open-addressing index
 * of 32-bit object numbers (the handle itself is read from the object):
 * 5-byte slots at a load between 3/8 and 3/4, 7 to 14 bytes per live
 * object.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "tracker.h"

#include <string.h>

/* ---- the live index ----
 *
 * Open addressing with linear probing kept in Robin Hood order.  A slot
 * is 5 bytes: the object number + 1 (0: empty) and how far the entry sits
 * from its home slot, side by side so that one cache miss reads both.  A
 * lookup reads an object record (a likely miss too: records are in birth
 * order, not hash order) only for entries whose home is the handle's own,
 * about one per lookup at 3/4 load instead of one per probe, and stops at
 * the first entry nearer its home than the probe; a removal shifts the
 * entries after it back one slot by their distances alone, reading no
 * record.  An insert that would put an entry 256 or more slots from home
 * grows the table instead (with a well-mixed hash, practically never). */

enum { SLOT_BYTES = 5, INDEX_MAX_DIST = 255 };

static inline uint32_t ix_obj(const unsigned char *ix, size_t i)
{
    uint32_t v;
    memcpy(&v, ix + i * SLOT_BYTES, sizeof v);
    return v;
}

static inline unsigned ix_dist(const unsigned char *ix, size_t i)
{
    return ix[i * SLOT_BYTES + 4];
}

static inline void ix_set(unsigned char *ix, size_t i, uint32_t v, unsigned d)
{
    memcpy(ix + i * SLOT_BYTES, &v, sizeof v);
    ix[i * SLOT_BYTES + 4] = (unsigned char)d;
}

static size_t index_slot(fp_handle h, size_t mask)
{
    return (size_t)XXH3_64bits(&h, sizeof h) & mask;
}

static uint32_t index_find(const fp_tracker *t, fp_handle h, size_t *slot)
{
    const unsigned char *ix = t->index;
    size_t mask, i;
    unsigned d;
    uint32_t v;

    if (!t->index_cap)
        return FP_NONE;
    mask = t->index_cap - 1;
    for (i = index_slot(h, mask), d = 0;
         (v = ix_obj(ix, i)) != 0 && ix_dist(ix, i) >= d;
         i = (i + 1) & mask, d++)
        if (ix_dist(ix, i) == d && TOBJ(t, v - 1).addr == h) {
            if (slot)
                *slot = i;
            return v - 1;
        }
    return FP_NONE;
}

/* 1 if an entry whose home is `home` can be placed with every entry it
 * displaces staying within INDEX_MAX_DIST of its home; changes nothing. */
static int index_fits(const unsigned char *ix, size_t mask, size_t home)
{
    size_t i = home;
    unsigned d = 0;

    for (; ix_obj(ix, i); i = (i + 1) & mask) {
        if (ix_dist(ix, i) < d)
            d = ix_dist(ix, i); /* the displaced entry is carried on */
        if (++d > INDEX_MAX_DIST)
            return 0;
    }
    return 1;
}

/* Put entry v (object number + 1) whose home is `home`, where
 * index_fits said it fits. */
static void index_place(unsigned char *ix, size_t mask, size_t home,
                        uint32_t v)
{
    size_t i = home;
    unsigned d = 0;
    uint32_t cur;

    for (; (cur = ix_obj(ix, i)) != 0; i = (i + 1) & mask, d++)
        if (ix_dist(ix, i) < d) { /* the richer entry moves on */
            unsigned cd = ix_dist(ix, i);
            ix_set(ix, i, v, d);
            v = cur;
            d = cd;
        }
    ix_set(ix, i, v, d);
}

/* A table of cap slots, or larger if some entry would land too far from
 * home, holding every entry of the current one; on failure the current
 * one stays. */
static fp_status index_rebuild(fp_tracker *t, size_t cap)
{
    for (;;) {
        size_t bytes = fp_mul_size(cap, SLOT_BYTES), i, mask = cap - 1;
        unsigned char *ix;
        int ok = 1;

        if (!bytes || !(ix = fp_mem_alloc(&t->alloc, bytes)))
            return FP_ENOMEM;
        memset(ix, 0, bytes);
        for (i = 0; ok && i < t->index_cap; i++) {
            uint32_t v = ix_obj(t->index, i);
            size_t home;
            if (!v)
                continue;
            home = index_slot(TOBJ(t, v - 1).addr, mask);
            if ((ok = index_fits(ix, mask, home)))
                index_place(ix, mask, home, v);
        }
        if (ok) {
            fp_mem_free(&t->alloc, t->index);
            t->index = ix;
            t->index_cap = cap;
            return FP_OK;
        }
        fp_mem_free(&t->alloc, ix);
        if (cap > (size_t)-1 / 2 / SLOT_BYTES)
            return FP_ENOMEM;
        cap *= 2;
    }
}

/* Load factor at most 3/4: the index costs 7-14 bytes per live object,
 * not the 10-20 of 5-byte slots in a half-full table. */
static fp_status index_add(fp_tracker *t, uint32_t obj)
{
    fp_handle h = TOBJ(t, obj).addr;

    if ((t->nlive + 1) * 4 > t->index_cap * 3 &&
        index_rebuild(t, t->index_cap ? t->index_cap * 2 : 1024) != FP_OK)
        return FP_ENOMEM;
    while (!index_fits(t->index, t->index_cap - 1,
                       index_slot(h, t->index_cap - 1)))
        if (index_rebuild(t, t->index_cap * 2) != FP_OK)
            return FP_ENOMEM;
    index_place(t->index, t->index_cap - 1, index_slot(h, t->index_cap - 1),
                obj + 1);
    t->nlive++;
    return FP_OK;
}

/* Backward-shift deletion: no tombstones, so a long-running tracker
 * does not silt up, and Robin Hood order stays intact. */
static void index_remove(fp_tracker *t, size_t slot)
{
    unsigned char *ix = t->index;
    size_t mask = t->index_cap - 1, i = slot, j;
    uint32_t v;

    for (j = (i + 1) & mask; (v = ix_obj(ix, j)) != 0 && ix_dist(ix, j);
         j = (j + 1) & mask) {
        ix_set(ix, i, v, ix_dist(ix, j) - 1);
        i = j;
    }
    ix_set(ix, i, 0, 0);
    t->nlive--;
}

static void index_empty(fp_tracker *t)
{
    if (t->index)
        memset(t->index, 0, t->index_cap * SLOT_BYTES);
    t->nlive = 0;
}

fp_status fp_tracker_reindex(fp_tracker *t)
{
    size_t i;

    fp_mem_free(&t->alloc, t->index);
    t->index = NULL;
    t->index_cap = t->nlive = 0;
    for (i = 0; i < t->objs.len; i++)
        if (!(TOBJ(t, i).flags & (TOBJ_DEAD | TOBJ_DETACHED)) &&
            index_find(t, TOBJ(t, i).addr, NULL) == FP_NONE &&
            index_add(t, (uint32_t)i) != FP_OK)
            return FP_ENOMEM;
    return FP_OK;
}

/* ---- life cycle ---- */

fp_status fp_tracker_new(fp_tracker **out, const fp_host *host,
                         const fp_alloc *alloc)
{
    fp_alloc a;
    fp_tracker *t;
    fp_status st;

    if (!out)
        return FP_EINVAL;
    *out = NULL;
    if (host && (!host->inspect || !host->referents))
        return FP_EINVAL;
    fp_alloc_resolve(&a, alloc);
    t = fp_mem_alloc(&a, sizeof *t);
    if (!t)
        return FP_ENOMEM;
    memset(t, 0, sizeof *t);
    t->alloc = a;
    fp_vec_init(&t->classes, sizeof(tclass));
    fp_vec_init(&t->objs, sizeof(tobj));
    fp_vec_init(&t->snaps, sizeof(tsnap));
    st = fp_strtab_init(&t->strs, &a);
    if (st == FP_OK && host) {
        t->host = *host;
        t->has_host = 1;
        st = fp_sizer_new(&t->sizer, host, NULL, &a);
    }
    if (st != FP_OK) {
        fp_tracker_free(t);
        return st;
    }
    *out = t;
    return FP_OK;
}

void fp_tsnap_release(fp_tracker *t, tsnap *s)
{
    fp_mem_free(&t->alloc, s->obj);
    fp_mem_free(&t->alloc, s->size);
    fp_mem_free(&t->alloc, s->detail);
    fp_mem_free(&t->alloc, s->census);
    s->obj = NULL;
    s->size = NULL;
    s->detail = NULL;
    s->census = NULL;
    s->n = s->ndetail = s->ncensus = 0;
    s->census_count = s->census_flat = 0;
}

static void release_snaps(fp_tracker *t)
{
    size_t i;

    for (i = 0; i < t->snaps.len; i++)
        fp_tsnap_release(t, &TSNAP(t, i));
    t->snaps.len = 0;
}

void fp_tracker_free(fp_tracker *t)
{
    fp_alloc a;

    if (!t)
        return;
    a = t->alloc;
    release_snaps(t);
    fp_vec_release(&t->snaps, &a);
    fp_vec_release(&t->objs, &a);
    fp_vec_release(&t->classes, &a);
    fp_mem_free(&a, t->index);
    fp_mem_free(&a, t->order);
    fp_strtab_release(&t->strs);
    fp_sizer_free(t->sizer);
    fp_mem_free(&a, t);
}

const char *fp_tracker_errmsg(const fp_tracker *t)
{
    return t ? t->errmsg : "";
}

void fp_tracker_allocator(const fp_tracker *t, fp_alloc *out)
{
    if (out)
        fp_alloc_resolve(out, t ? &t->alloc : NULL);
}

void fp_tracker_swap_contents(fp_tracker *a, fp_tracker *b)
{
#define SWAP_(field)                                                         \
    do {                                                                     \
        fp_tracker tmp_;                                                     \
        tmp_.field = a->field;                                               \
        a->field = b->field;                                                 \
        b->field = tmp_.field;                                               \
    } while (0)
    SWAP_(strs);
    SWAP_(classes);
    SWAP_(objs);
    SWAP_(index);
    SWAP_(index_cap);
    SWAP_(nlive);
    SWAP_(snaps);
    SWAP_(order);
    SWAP_(norder);
#undef SWAP_
}

static void drop_order(fp_tracker *t)
{
    fp_mem_free(&t->alloc, t->order);
    t->order = NULL;
    t->norder = 0;
}

void fp_tracker_clear(fp_tracker *t)
{
    if (!t)
        return;
    release_snaps(t);
    t->objs.len = 0;
    index_empty(t);
    drop_order(t);
}

void fp_tracker_set_walk(fp_tracker *t, fp_walk_fn walk, void *arg)
{
    if (!t)
        return;
    t->walk = walk;
    t->walk_arg = arg;
}

void fp_tracker_detach_all(fp_tracker *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->objs.len; i++)
        if (!(TOBJ(t, i).flags & TOBJ_DEAD))
            TOBJ(t, i).flags |= TOBJ_DETACHED;
    index_empty(t);
}

/* ---- classes ---- */

fp_status fp_tracker_find_class(const fp_tracker *t, const char *name,
                                size_t *index)
{
    size_t i;

    if (!t || !name || !index)
        return FP_EINVAL;
    for (i = 0; i < t->classes.len; i++)
        if (strcmp(fp_strtab_get(&t->strs, TCLASS(t, i).name), name) == 0) {
            *index = i;
            return FP_OK;
        }
    return FP_ENOTFOUND;
}

fp_status fp_tracker_find_snapshot(const fp_tracker *t, const char *desc,
                                   size_t *index)
{
    size_t i;

    if (!t || !desc || !index)
        return FP_EINVAL;
    for (i = t->snaps.len; i-- > 0;)
        if (strcmp(fp_strtab_get(&t->strs, TSNAP(t, i).desc), desc) == 0) {
            *index = i;
            return FP_OK;
        }
    return FP_ENOTFOUND;
}

fp_status fp_tracker_add_class(fp_tracker *t, const char *name,
                               int resolution_level, unsigned flags,
                               size_t *index)
{
    size_t i;
    uint32_t off;
    tclass *c;

    if (!t || !name || !*name || resolution_level < 0 ||
        resolution_level > 255 || (flags & ~FP_CLASS_KNOWN))
        return FP_EINVAL;
    if (fp_tracker_find_class(t, name, &i) == FP_OK) {
        TCLASS(t, i).level = resolution_level;
        TCLASS(t, i).flags = flags;
    } else {
        if (t->classes.len >= FP_NONE)
            return FP_ENOMEM;
        if (fp_strtab_intern(&t->strs, name, strlen(name), &off) != FP_OK)
            return FP_ENOMEM;
        c = fp_vec_push(&t->classes, &t->alloc);
        if (!c)
            return FP_ENOMEM;
        c->name = off;
        c->level = resolution_level;
        c->flags = flags;
        i = t->classes.len - 1;
    }
    if (index)
        *index = i;
    return FP_OK;
}

/* ---- objects ---- */

/* Times are printed and stored as numbers: NaN and infinities are
 * refused at the door, and so are values past 2^53 that dumps refuse. */
static int valid_time(double when)
{
    return when == when && when >= -9007199254740992.0 &&
           when <= 9007199254740992.0;
}

static fp_status intern_opt(fp_tracker *t, const char *s, uint32_t *off)
{
    return fp_strtab_intern(&t->strs, s, s ? strlen(s) : 0, off);
}

fp_status fp_tracker_track(fp_tracker *t, fp_handle obj, size_t cls,
                           double when, int level, const char *repr,
                           const char *trace, int *added)
{
    uint32_t r, tr;
    tobj *o;

    if (added)
        *added = 0;
    if (!t || !obj || cls >= t->classes.len || level < 0 || level > 255 ||
        !valid_time(when))
        return FP_EINVAL;
    if (index_find(t, obj, NULL) != FP_NONE)
        return FP_OK;
    if (t->objs.len >= FP_NONE - 1)
        return FP_ENOMEM;
    if (intern_opt(t, repr, &r) != FP_OK || intern_opt(t, trace, &tr) != FP_OK)
        return FP_ENOMEM;
    o = fp_vec_push_lean(&t->objs, &t->alloc);
    if (!o)
        return FP_ENOMEM;
    o->addr = obj;
    o->birth = when;
    o->cls = (uint32_t)cls;
    o->repr = r;
    o->trace = tr;
    o->level = (uint8_t)level;
    if (index_add(t, (uint32_t)(t->objs.len - 1)) != FP_OK) {
        t->objs.len--;
        return FP_ENOMEM;
    }
    drop_order(t);
    if (added)
        *added = 1;
    return FP_OK;
}

fp_status fp_tracker_died(fp_tracker *t, fp_handle obj, double when)
{
    size_t slot;
    uint32_t i;

    if (!t || !valid_time(when))
        return FP_EINVAL;
    i = index_find(t, obj, &slot);
    if (i == FP_NONE)
        return FP_ENOTFOUND;
    TOBJ(t, i).flags |= TOBJ_DEAD;
    TOBJ(t, i).death = when;
    index_remove(t, slot);
    return FP_OK;
}

int fp_tracker_is_tracked(const fp_tracker *t, fp_handle obj)
{
    return t && obj && index_find(t, obj, NULL) != FP_NONE;
}

fp_status fp_tracker_object_index(const fp_tracker *t, fp_handle obj,
                                  size_t *i)
{
    uint32_t k;

    if (!t || !i)
        return FP_EINVAL;
    k = index_find(t, obj, NULL);
    if (k == FP_NONE)
        return FP_ENOTFOUND;
    *i = k;
    return FP_OK;
}

static tobj *live_obj(fp_tracker *t, fp_handle obj)
{
    uint32_t i = t ? index_find(t, obj, NULL) : FP_NONE;

    return i == FP_NONE ? NULL : &TOBJ(t, i);
}

fp_status fp_tracker_set_class(fp_tracker *t, fp_handle obj, size_t cls)
{
    tobj *o = live_obj(t, obj);

    if (!o)
        return t ? FP_ENOTFOUND : FP_EINVAL;
    if (cls >= t->classes.len)
        return FP_EINVAL;
    o->cls = (uint32_t)cls;
    drop_order(t);
    return FP_OK;
}

fp_status fp_tracker_set_level(fp_tracker *t, fp_handle obj, int level)
{
    tobj *o = live_obj(t, obj);

    if (!o)
        return t ? FP_ENOTFOUND : FP_EINVAL;
    if (level < 0 || level > 255)
        return FP_EINVAL;
    o->level = (uint8_t)level;
    return FP_OK;
}

fp_status fp_tracker_set_repr(fp_tracker *t, fp_handle obj, const char *repr)
{
    tobj *o = live_obj(t, obj);
    uint32_t r;

    if (!o)
        return t ? FP_ENOTFOUND : FP_EINVAL;
    if (intern_opt(t, repr, &r) != FP_OK)
        return FP_ENOMEM;
    o->repr = r;
    return FP_OK;
}

/* ---- snapshots ---- */

typedef struct walk_item {
    const fp_detail_node *node;
    uint32_t depth;
} walk_item;

/* Flatten a detail tree into the snapshot's preorder table, iteratively:
 * trees can be as deep as the resolution level allows. */
static fp_status record_detail(fp_tracker *t, fp_vec *out, uint32_t obj,
                               const fp_detail_node *root, fp_vec *stack)
{
    stack->len = 0;
    if (fp_vec_reserve(stack, &t->alloc, 1) != FP_OK)
        return FP_ENOMEM;
    ((walk_item *)stack->data)[stack->len].node = root;
    ((walk_item *)stack->data)[stack->len++].depth = 0;
    while (stack->len) {
        walk_item w = ((walk_item *)stack->data)[--stack->len];
        const fp_detail_node *c;
        size_t base = stack->len;
        tdetail *d = fp_vec_push(out, &t->alloc);
        walk_item *lo, *hi;

        if (!d)
            return FP_ENOMEM;
        d->obj = obj;
        d->depth = w.depth;
        d->size = w.node->size;
        d->flat = w.node->flat;
        if (intern_opt(t, w.node->name, &d->name) != FP_OK)
            return FP_ENOMEM;
        for (c = w.node->child; c; c = c->next) {
            if (fp_vec_reserve(stack, &t->alloc, 1) != FP_OK)
                return FP_ENOMEM;
            ((walk_item *)stack->data)[stack->len].node = c;
            ((walk_item *)stack->data)[stack->len++].depth = w.depth + 1;
        }
        /* children were pushed in order; pop them in order */
        lo = (walk_item *)stack->data + base;
        hi = (walk_item *)stack->data + stack->len;
        while (lo < --hi) {
            walk_item tmp = *lo;
            *lo++ = *hi;
            *hi = tmp;
        }
    }
    return FP_OK;
}

/* Size every live object into snap; the caller owns the vecs. */
static fp_status size_live(fp_tracker *t, tsnap *snap, double when,
                           const fp_sizer_opts *opts, fp_vec *details,
                           fp_vec *stack)
{
    fp_sizer_opts o;
    fp_stats stats;
    size_t i, k = 0;
    fp_status st;

    if (opts)
        o = *opts;
    else
        fp_sizer_opts_init(&o);
    o.detail = 0;
    if ((st = fp_sizer_set_opts(t->sizer, &o)) != FP_OK)
        return st;
    fp_sizer_reset(t->sizer);
    fp_sizer_exclude_clear(t->sizer);

    /* Deaths the host can see but did not report end here, so a death is
     * recorded no later than the first snapshot after it. */
    if (t->host.alive)
        for (i = 0; i < t->objs.len; i++) {
            tobj *ob = &TOBJ(t, i);
            if (!(ob->flags & (TOBJ_DEAD | TOBJ_DETACHED)) &&
                !t->host.alive(t->host.ctx, ob->addr))
                fp_tracker_died(t, ob->addr, when);
        }

    snap->obj = fp_mem_alloc(&t->alloc, fp_mul_size(t->nlive + 1,
                                                    sizeof *snap->obj));
    snap->size = fp_mem_alloc(&t->alloc, fp_mul_size(t->nlive + 1,
                                                     sizeof *snap->size));
    if (!snap->obj || !snap->size)
        return FP_ENOMEM;
    for (i = 0; i < t->objs.len; i++) {
        tobj *ob = &TOBJ(t, i);
        if (!(ob->flags & (TOBJ_DEAD | TOBJ_DETACHED)) &&
            (st = fp_sizer_exclude(t->sizer, &ob->addr, 1)) != FP_OK)
            return st;
    }
    for (i = 0; i < t->objs.len; i++) {
        tobj *ob = &TOBJ(t, i);
        size_t size = 0;

        if (ob->flags & (TOBJ_DEAD | TOBJ_DETACHED))
            continue;
        if (ob->level) {
            fp_detail *d = NULL;
            o.detail = ob->level;
            if ((st = fp_sizer_set_opts(t->sizer, &o)) != FP_OK)
                return st;
            st = fp_sizer_size_detail(t->sizer, &ob->addr, 1, &size, &d);
            if (st == FP_OK)
                st = record_detail(t, details, (uint32_t)i,
                                   fp_detail_root(d, 0), stack);
            fp_detail_free(d);
            o.detail = 0;
            if (st == FP_OK)
                st = fp_sizer_set_opts(t->sizer, &o);
        } else if (t->walk && o.limit == FP_NO_LIMIT) {
            st = fp_sizer_walk(t->sizer, &ob->addr, 1, &size, t->walk,
                               t->walk_arg);
        } else {
            st = fp_sizer_size(t->sizer, &ob->addr, 1, &size);
        }
        if (st != FP_OK) {
            fp_errmsg_set(t->errmsg, "snapshot: sizing object %zu failed: %s",
                          i, fp_sizer_errmsg(t->sizer));
            return st;
        }
        snap->obj[k] = (uint32_t)i;
        snap->size[k++] = size;
    }
    snap->n = k;
    fp_sizer_stats(t->sizer, &stats);
    snap->tracked_total = stats.total;
    return FP_OK;
}

fp_status fp_tracker_snapshot(fp_tracker *t, double when, const char *desc,
                              const fp_sizer_opts *opts,
                              uint64_t asizeof_total)
{
    tsnap snap, *slot;
    fp_vec details, stack;
    fp_status st;

    if (!t)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    if (!valid_time(when))
        return FP_EINVAL;
    if (!t->has_host) {
        fp_errmsg_set(t->errmsg, "a tracker without a host cannot snapshot");
        return FP_EINVAL;
    }
    memset(&snap, 0, sizeof snap);
    fp_vec_init(&details, sizeof(tdetail));
    fp_vec_init(&stack, sizeof(walk_item));
    snap.ts = when;
    snap.asizeof_total = asizeof_total;
    st = intern_opt(t, desc, &snap.desc);
    if (st == FP_OK)
        st = size_live(t, &snap, when, opts, &details, &stack);
    fp_vec_release(&stack, &t->alloc);
    if (st == FP_OK && fp_vec_reserve(&t->snaps, &t->alloc, 1) != FP_OK)
        st = FP_ENOMEM;
    if (st != FP_OK) {
        fp_vec_release(&details, &t->alloc);
        fp_tsnap_release(t, &snap);
        fp_sizer_trim(t->sizer);
        if (!t->errmsg[0])
            fp_errmsg_set(t->errmsg, "snapshot failed: %s", fp_strerror(st));
        return st;
    }
    snap.detail = (tdetail *)details.data;
    snap.ndetail = details.len;
    if (fp_procmem_read(&snap.procmem) != FP_OK)
        memset(&snap.procmem, 0, sizeof snap.procmem);
    /* The tracker's own overhead, including this snapshot's tables and the
     * sizer's sets while they are still full. */
    snap.overhead = fp_tracker_memory(t) +
                    snap.n * (sizeof *snap.obj + sizeof *snap.size) +
                    details.cap * sizeof(tdetail);
    fp_sizer_trim(t->sizer);
    slot = (tsnap *)t->snaps.data + t->snaps.len++;
    *slot = snap;
    return FP_OK;
}

/* ---- reading ---- */

/* The process memory a snapshot is measured against: resident size, else
 * the host's total, else what was tracked (pympler's fallback order, with
 * rss where pympler takes the virtual size: vsize counts reserved address
 * space, which makes every share look negligible). */
uint64_t fp_snap_total(const tsnap *s)
{
    if (s->procmem.rss)
        return s->procmem.rss;
    return s->asizeof_total ? s->asizeof_total : s->tracked_total;
}

size_t fp_tracker_class_count(const fp_tracker *t)
{
    return t ? t->classes.len : 0;
}

size_t fp_tracker_object_count(const fp_tracker *t)
{
    return t ? t->objs.len : 0;
}

size_t fp_tracker_live_count(const fp_tracker *t)
{
    return t ? t->nlive : 0;
}

size_t fp_tracker_snapshot_count(const fp_tracker *t)
{
    return t ? t->snaps.len : 0;
}

fp_status fp_tracker_class_info(const fp_tracker *t, size_t i,
                                fp_class_info *out)
{
    if (!t || !out || i >= t->classes.len)
        return FP_EINVAL;
    out->name = fp_strtab_get(&t->strs, TCLASS(t, i).name);
    out->resolution_level = TCLASS(t, i).level;
    out->flags = TCLASS(t, i).flags;
    return FP_OK;
}

fp_status fp_tracker_object_infos(const fp_tracker *t, size_t first,
                                  size_t n, fp_object_info *out)
{
    size_t k;

    if (!t || (!out && n) || first > t->objs.len ||
        n > t->objs.len - first)
        return FP_EINVAL;
    for (k = 0; k < n; k++) {
        const tobj *o = &TOBJ(t, first + k);
        fp_object_info *x = &out[k];
        x->addr = o->addr;
        x->cls = o->cls;
        x->birth = o->birth;
        x->dead = (o->flags & TOBJ_DEAD) != 0;
        x->detached = (o->flags & TOBJ_DETACHED) != 0;
        x->death = x->dead ? o->death : 0.0;
        x->resolution_level = o->level;
        x->repr = fp_strtab_get(&t->strs, o->repr);
        x->trace = fp_strtab_get(&t->strs, o->trace);
    }
    return FP_OK;
}

fp_status fp_tracker_object_info(const fp_tracker *t, size_t i,
                                 fp_object_info *out)
{
    return out ? fp_tracker_object_infos(t, i, 1, out) : FP_EINVAL;
}

fp_status fp_tracker_snapshot_info(const fp_tracker *t, size_t i,
                                   fp_snapshot_info *out)
{
    const tsnap *s;

    if (!t || !out || i >= t->snaps.len)
        return FP_EINVAL;
    s = &TSNAP(t, i);
    out->timestamp = s->ts;
    out->desc = fp_strtab_get(&t->strs, s->desc);
    out->tracked_total = s->tracked_total;
    out->asizeof_total = s->asizeof_total;
    out->overhead = s->overhead;
    out->procmem = s->procmem;
    out->nsized = s->n;
    out->ndetail = s->ndetail;
    return FP_OK;
}

/* Position of obj in a snapshot's ascending table, or (size_t)-1. */
static size_t snap_find(const tsnap *s, size_t obj)
{
    size_t lo = 0, hi = s->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->obj[mid] < obj)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->obj[lo] == obj ? lo : (size_t)-1;
}

fp_status fp_tracker_snapshot_entries(const fp_tracker *t, size_t snap,
                                      size_t first, size_t n, size_t *obj,
                                      uint64_t *size)
{
    const tsnap *s;
    size_t k;

    if (!t || snap >= t->snaps.len)
        return FP_EINVAL;
    s = &TSNAP(t, snap);
    if (first > s->n || n > s->n - first)
        return FP_EINVAL;
    for (k = 0; obj && k < n; k++)
        obj[k] = s->obj[first + k];
    if (size && n)
        memcpy(size, s->size + first, n * sizeof *size);
    return FP_OK;
}

fp_status fp_tracker_object_size(const fp_tracker *t, size_t snap, size_t obj,
                                 uint64_t *size)
{
    size_t k;

    if (!t || !size || snap >= t->snaps.len)
        return FP_EINVAL;
    k = snap_find(&TSNAP(t, snap), obj);
    if (k == (size_t)-1)
        return FP_ENOTFOUND;
    *size = TSNAP(t, snap).size[k];
    return FP_OK;
}

fp_status fp_tracker_object_detail(const fp_tracker *t, size_t snap,
                                   size_t obj, size_t *first, size_t *n)
{
    const tsnap *s;
    size_t lo = 0, hi;

    if (!t || !first || !n || snap >= t->snaps.len)
        return FP_EINVAL;
    s = &TSNAP(t, snap);
    hi = s->ndetail;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->detail[mid].obj < obj)
            lo = mid + 1;
        else
            hi = mid;
    }
    *first = lo;
    for (hi = lo; hi < s->ndetail && s->detail[hi].obj == obj; hi++)
        ;
    *n = hi - lo;
    return FP_OK;
}

fp_status fp_tracker_detail_entries(const fp_tracker *t, size_t snap,
                                    size_t first, size_t n,
                                    fp_detail_entry *out)
{
    const tdetail *d;
    size_t k;

    if (!t || (!out && n) || snap >= t->snaps.len ||
        first > TSNAP(t, snap).ndetail || n > TSNAP(t, snap).ndetail - first)
        return FP_EINVAL;
    d = TSNAP(t, snap).detail + first;
    for (k = 0; k < n; k++) {
        out[k].obj = d[k].obj;
        out[k].depth = d[k].depth;
        out[k].name = fp_strtab_get(&t->strs, d[k].name);
        out[k].size = d[k].size;
        out[k].flat = d[k].flat;
    }
    return FP_OK;
}

fp_status fp_tracker_detail_entry(const fp_tracker *t, size_t snap, size_t k,
                                  fp_detail_entry *out)
{
    return out ? fp_tracker_detail_entries(t, snap, k, 1, out) : FP_EINVAL;
}

/* pympler's rule: active = born before the snapshot and not dead by it;
 * sum = what its instances measured in that snapshot. */
fp_status fp_tracker_snapshot_classes(const fp_tracker *t, size_t snap,
                                      fp_class_stats *out)
{
    const tsnap *s;
    uint64_t total;
    size_t i, c;

    if (!t || (!out && t->classes.len) || snap >= t->snaps.len)
        return FP_EINVAL;
    s = &TSNAP(t, snap);
    memset(out, 0, t->classes.len * sizeof *out);
    for (i = 0; i < t->objs.len; i++) {
        if (fp_tobj_active_at(&TOBJ(t, i), s->ts))
            out[TOBJ(t, i).cls].active++;
    }
    for (i = 0; i < s->n; i++)
        out[TOBJ(t, s->obj[i]).cls].sum += s->size[i];
    total = fp_snap_total(s);
    for (c = 0; c < t->classes.len; c++) {
        fp_class_stats *cs = &out[c];
        cs->avg = cs->active ? (double)cs->sum / (double)cs->active : 0.0;
        cs->pct = total ? (double)cs->sum * 100.0 / (double)total : 0.0;
    }
    return FP_OK;
}

fp_status fp_tracker_class_stats(const fp_tracker *t, size_t snap, size_t cls,
                                 fp_class_stats *out)
{
    fp_class_stats *all;
    fp_status st;

    if (!t || !out || snap >= t->snaps.len || cls >= t->classes.len)
        return FP_EINVAL;
    all = fp_mem_alloc(&t->alloc, t->classes.len * sizeof *all);
    if (!all)
        return FP_ENOMEM;
    st = fp_tracker_snapshot_classes(t, snap, all);
    *out = all[cls];
    fp_mem_free(&t->alloc, all);
    return st;
}

size_t fp_tracker_memory(const fp_tracker *t)
{
    size_t n, i;

    if (!t)
        return 0;
    n = sizeof *t + fp_strtab_memory(&t->strs) +
        t->classes.cap * t->classes.item + t->objs.cap * t->objs.item +
        t->index_cap * SLOT_BYTES + t->snaps.cap * t->snaps.item +
        t->norder * sizeof *t->order + fp_sizer_memory(t->sizer);
    for (i = 0; i < t->snaps.len; i++)
        n += TSNAP(t, i).n * (sizeof(uint32_t) + sizeof(uint64_t)) +
             TSNAP(t, i).ndetail * sizeof(tdetail) +
             TSNAP(t, i).ncensus * sizeof(tcensus);
    return n;
}
