/*
 * report_merge.c - coalesced per-referent detail (pympler's _merge_asized):
 * detail trees merged by the path of referent names, one size per
 * snapshot, so one table shows which attributes hold a class's memory and
 * how that changed.
 *
 * Names are keyed up to the first ": " as pympler keys them up to ':'
 * ("[V] key: value" merges by key), but not at a bare ':', which would cut
 * dictionary keys such as "C:\\path" apart.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "report.h"

#include <stdlib.h>
#include <string.h>

void rp_merge_init(rp_merge *m, const fp_alloc *alloc, size_t nsnap)
{
    memset(m, 0, sizeof *m);
    m->alloc = *alloc;
    m->nsnap = nsnap ? nsnap : 1;
}

void rp_merge_release(rp_merge *m)
{
    fp_mem_free(&m->alloc, m->node);
    fp_mem_free(&m->alloc, m->size);
    fp_mem_free(&m->alloc, m->slots);
    fp_mem_free(&m->alloc, m->path);
    rp_merge_init(m, &m->alloc, m->nsnap);
}

void rp_merge_reset(rp_merge *m)
{
    m->n = 0;
    m->failed = 0;
    if (m->slots)
        memset(m->slots, 0, m->nslots * sizeof *m->slots);
}

static size_t key_slot(uint32_t parent, const char *name, size_t len,
                       size_t mask)
{
    return (size_t)(XXH3_64bits_withSeed(name, len, parent) & mask);
}

static int rehash(rp_merge *m)
{
    size_t cap = m->nslots ? m->nslots * 2 : 256, i;
    uint32_t *slots = fp_mem_alloc(&m->alloc, fp_mul_size(cap, sizeof *slots));

    if (!slots)
        return -1;
    memset(slots, 0, cap * sizeof *slots);
    for (i = 0; i < m->n; i++) {
        const rp_mnode *nd = &m->node[i];
        size_t j;
        if (nd->parent == RP_NIL)
            continue;
        for (j = key_slot(nd->parent, nd->name, nd->len, cap - 1); slots[j];
             j = (j + 1) & (cap - 1))
            ;
        slots[j] = (uint32_t)i + 1;
    }
    fp_mem_free(&m->alloc, m->slots);
    m->slots = slots;
    m->nslots = cap;
    return 0;
}

static uint32_t add_node(rp_merge *m, uint32_t parent, const char *name,
                         size_t len)
{
    rp_mnode *nd;

    if (m->n >= RP_NIL - 1)
        return RP_NIL;
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        size_t sbytes = fp_mul_size(cap, m->nsnap * sizeof *m->size);
        rp_mnode *node = fp_mem_realloc(&m->alloc, m->node,
                                        fp_mul_size(cap, sizeof *node));
        uint64_t *size;
        if (!node)
            return RP_NIL;
        m->node = node;
        size = sbytes ? fp_mem_realloc(&m->alloc, m->size, sbytes) : NULL;
        if (!size)
            return RP_NIL;
        m->size = size;
        m->cap = cap;
    }
    nd = &m->node[m->n];
    nd->parent = parent;
    nd->child = nd->next = RP_NIL;
    nd->name = name;
    nd->len = (uint32_t)len;
    memset(m->size + m->n * m->nsnap, 0, m->nsnap * sizeof *m->size);
    if (parent != RP_NIL) {
        /* appended, so rows keep the host's order among equal sizes */
        uint32_t *link = &m->node[parent].child;
        while (*link != RP_NIL)
            link = &m->node[*link].next;
        *link = (uint32_t)m->n;
    }
    return (uint32_t)m->n++;
}

uint32_t rp_merge_root(rp_merge *m)
{
    uint32_t r = add_node(m, RP_NIL, "", 0);

    if (r == RP_NIL)
        m->failed = 1;
    return r;
}

static uint32_t child_of(rp_merge *m, uint32_t parent, const char *name,
                         size_t len)
{
    size_t mask, j;
    uint32_t id;

    if ((m->n + 1) * 2 > m->nslots && rehash(m) < 0)
        return RP_NIL;
    mask = m->nslots - 1;
    for (j = key_slot(parent, name, len, mask); m->slots[j];
         j = (j + 1) & mask) {
        const rp_mnode *nd = &m->node[m->slots[j] - 1];
        if (nd->parent == parent && nd->len == len &&
            memcmp(nd->name, name, len) == 0)
            return m->slots[j] - 1;
    }
    id = add_node(m, parent, name, len);
    if (id != RP_NIL)
        m->slots[j] = id + 1;
    return id;
}

/* The part of a referent name entries merge on: "[V] key" of "[V] key:
 * repr".  One pass (names are short; strstr's setup cost more). */
static size_t key_len(const char *name)
{
    const char *p = name;

    while (*p && !(p[0] == ':' && p[1] == ' '))
        p++;
    return (size_t)(p - name);
}

/* Make room in m->path for depth; -1 when out of memory. */
static int path_room(rp_merge *m, size_t depth)
{
    size_t cap = m->path_cap ? m->path_cap * 2 : 16;
    uint32_t *p;

    if (depth < m->path_cap)
        return 0;
    while (cap <= depth)
        cap *= 2;
    p = fp_mem_realloc(&m->alloc, m->path, fp_mul_size(cap, sizeof *p));
    if (!p)
        return -1;
    m->path = p;
    m->path_cap = cap;
    return 0;
}

/* Merge one detail entry of snapshot snap into the tree under root; *sp
 * is the depth the current object's tree has reached (0 at its start). */
static fp_status merge_entry(rp_merge *m, size_t snap,
                             const fp_detail_entry *e, uint32_t root,
                             size_t *sp)
{
    uint32_t id;

    if (e->depth == 0) {
        id = root;
    } else {
        /* preorder: a depth can exceed its parent's by one only; a tree
         * that breaks this (a damaged dump) is cut, not trusted */
        if (e->depth > *sp)
            return FP_OK;
        id = child_of(m, m->path[e->depth - 1], e->name, key_len(e->name));
        if (id == RP_NIL) {
            m->failed = 1;
            return FP_ENOMEM;
        }
    }
    if (path_room(m, e->depth) < 0) {
        m->failed = 1;
        return FP_ENOMEM;
    }
    m->path[e->depth] = id;
    *sp = (size_t)e->depth + 1;
    m->size[(size_t)id * m->nsnap + snap] += e->size;
    return FP_OK;
}

/* Entries are read this many at a time (on the stack). */
#define RP_BATCH 128

fp_status rp_merge_range(rp_merge *m, const fp_tracker *t, size_t snap,
                         size_t first, size_t n, uint32_t root)
{
    fp_detail_entry e[RP_BATCH];
    size_t k, i, b, sp = 0;
    fp_status st = FP_OK;

    if (m->failed || root == RP_NIL)
        return FP_ENOMEM;
    for (k = 0; k < n && st == FP_OK; k += b) {
        b = n - k < RP_BATCH ? n - k : RP_BATCH;
        st = fp_tracker_detail_entries(t, snap, first + k, b, e);
        for (i = 0; i < b && st == FP_OK; i++)
            st = merge_entry(m, snap, &e[i], root, &sp);
    }
    return st;
}

fp_status rp_merge_snapshot(rp_merge *m, const rp_data *d, size_t snap,
                            const uint32_t *root_of)
{
    fp_detail_entry e[RP_BATCH];
    size_t k, i, b, n = d->snap[snap].ndetail, sp = 0, obj = (size_t)-1;
    uint32_t root = RP_NIL;
    fp_status st = FP_OK;

    if (m->failed)
        return FP_ENOMEM;
    for (k = 0; k < n && st == FP_OK; k += b) {
        b = n - k < RP_BATCH ? n - k : RP_BATCH;
        st = fp_tracker_detail_entries(d->t, snap, k, b, e);
        for (i = 0; i < b && st == FP_OK; i++) {
            if (e[i].obj != obj) { /* the next object's tree */
                obj = e[i].obj;
                sp = 0;
                root = obj < d->nobj ? root_of[d->obj[obj].cls] : RP_NIL;
            }
            if (root != RP_NIL)
                st = merge_entry(m, snap, &e[i], root, &sp);
        }
    }
    return st;
}

fp_status rp_merge_object(rp_merge *m, const fp_tracker *t, size_t snap,
                          size_t obj, uint32_t root)
{
    size_t first, n;
    fp_status st = fp_tracker_object_detail(t, snap, obj, &first, &n);

    return st == FP_OK ? rp_merge_range(m, t, snap, first, n, root) : st;
}

int rp_merge_recorded(const rp_merge *m, uint32_t root)
{
    size_t i;

    if (m->failed || root == RP_NIL || root >= m->n)
        return 0;
    for (i = 0; i < m->nsnap; i++)
        if (m->size[(size_t)root * m->nsnap + i])
            return 1;
    return 0;
}

/* ---- rows ---- */

typedef struct ranked {
    uint64_t weight;
    uint32_t node, order, depth;
} ranked;

typedef struct rstack {
    ranked *a;
    size_t n, cap;
} rstack;

static int by_weight(const void *a, const void *b)
{
    const ranked *x = a, *y = b;

    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->order < y->order ? -1 : x->order > y->order;
}

/* A node's weight is its largest size in any snapshot: a referent that
 * mattered once is worth a row even if it shrank later. */
static uint64_t weight(const rp_merge *m, uint32_t node)
{
    const uint64_t *s = m->size + (size_t)node * m->nsnap;
    uint64_t w = 0;
    size_t i;

    for (i = 0; i < m->nsnap; i++)
        if (s[i] > w)
            w = s[i];
    return w;
}

/* Push parent's children so that the largest pops first. */
static int push_children(rp_merge *m, rstack *st, uint32_t parent,
                         uint32_t depth)
{
    size_t base = st->n, cnt = 0, i;
    uint32_t c;

    for (c = m->node[parent].child; c != RP_NIL; c = m->node[c].next)
        cnt++;
    if (st->n + cnt > st->cap) {
        size_t cap = (st->n + cnt) * 2;
        ranked *a = fp_mem_realloc(&m->alloc, st->a,
                                   fp_mul_size(cap, sizeof *a));
        if (!a)
            return -1;
        st->a = a;
        st->cap = cap;
    }
    i = 0;
    for (c = m->node[parent].child; c != RP_NIL; c = m->node[c].next) {
        ranked *r = &st->a[base + i];
        r->node = c;
        r->order = (uint32_t)i++;
        r->depth = depth;
        r->weight = weight(m, c);
    }
    qsort(st->a + base, cnt, sizeof *st->a, by_weight);
    for (i = 0; i < cnt / 2; i++) {
        ranked r = st->a[base + i];
        st->a[base + i] = st->a[base + cnt - 1 - i];
        st->a[base + cnt - 1 - i] = r;
    }
    st->n += cnt;
    return 0;
}

fp_status rp_merge_rows(rp_merge *m, uint32_t root, size_t max,
                        rp_mrow **rows, size_t *nrows, size_t *more)
{
    rstack st = {NULL, 0, 0};
    rp_mrow *out;
    size_t n = 0;
    uint64_t rootw;

    *rows = NULL;
    *nrows = *more = 0;
    if (m->failed || root == RP_NIL)
        return FP_ENOMEM;
    rootw = weight(m, root);
    out = fp_mem_alloc(&m->alloc, fp_mul_size(max ? max : 1, sizeof *out));
    if (!out || push_children(m, &st, root, 1) < 0)
        goto nomem;
    while (st.n) {
        ranked r = st.a[--st.n];
        /* pympler's minpct: referents under 0.1% of the whole are noise */
        if (r.weight == 0 || r.weight < rootw / 1000)
            continue;
        if (n == max) {
            (*more)++;
            continue;
        }
        out[n].node = r.node;
        out[n++].depth = r.depth;
        if (push_children(m, &st, r.node, r.depth + 1) < 0)
            goto nomem;
    }
    fp_mem_free(&m->alloc, st.a);
    *rows = out;
    *nrows = n;
    return FP_OK;
nomem:
    fp_mem_free(&m->alloc, st.a);
    fp_mem_free(&m->alloc, out);
    return FP_ENOMEM;
}
