/*
 * visited.c - the set of handles already sized.
 *
 * Open addressing with linear probing over a power-of-two table; slot value
 * 0 means empty, which is why handle 0 is never an object.  Handles are
 * usually pointers, whose low bits are constant and whose high bits barely
 * move, so they are hashed with xxHash (XXH3) before masking.  The table
 * doubles at half load: probes stay short, and the sizing loop pays one
 * cache miss per object, not several.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

#include <string.h>

#define FP_SET_MIN_CAP 64u

static size_t slot_of(fp_handle h, size_t mask)
{
    return (size_t)XXH3_64bits(&h, sizeof h) & mask;
}

void fp_set_init(fp_set *set, const fp_alloc *alloc)
{
    fp_alloc_resolve(&set->alloc, alloc);
    set->slots = NULL;
    set->cap = set->count = 0;
}

void fp_set_release(fp_set *set)
{
    fp_mem_free(&set->alloc, set->slots);
    set->slots = NULL;
    set->cap = set->count = 0;
}

/* Move every handle into a fresh table of new_cap slots. */
static int rehash(fp_set *set, size_t new_cap)
{
    size_t bytes = fp_mul_size(new_cap, sizeof(fp_handle));
    fp_handle *slots;
    size_t i, mask = new_cap - 1;

    if (!bytes)
        return -1;
    slots = fp_mem_alloc(&set->alloc, bytes);
    if (!slots)
        return -1;
    memset(slots, 0, bytes);
    for (i = 0; i < set->cap; i++) {
        fp_handle h = set->slots[i];
        size_t j;
        if (!h)
            continue;
        for (j = slot_of(h, mask); slots[j]; j = (j + 1) & mask)
            ;
        slots[j] = h;
    }
    fp_mem_free(&set->alloc, set->slots);
    set->slots = slots;
    set->cap = new_cap;
    return 0;
}

int fp_set_insert(fp_set *set, fp_handle h)
{
    size_t mask, i;

    if (set->count + 1 > set->cap / 2) {
        size_t cap = set->cap ? set->cap * 2 : FP_SET_MIN_CAP;
        if (cap < set->cap || rehash(set, cap) < 0)
            return -1;
    }
    mask = set->cap - 1;
    for (i = slot_of(h, mask); set->slots[i]; i = (i + 1) & mask)
        if (set->slots[i] == h)
            return 0;
    set->slots[i] = h;
    set->count++;
    return 1;
}

int fp_set_contains(const fp_set *set, fp_handle h)
{
    size_t mask, i;

    if (!set || !set->count || !h)
        return 0;
    mask = set->cap - 1;
    for (i = slot_of(h, mask); set->slots[i]; i = (i + 1) & mask)
        if (set->slots[i] == h)
            return 1;
    return 0;
}

void fp_set_clear(fp_set *set)
{
    /* A table that once held millions but now serves small measurements
     * would pay a large memset per call: give it back and let the next
     * insert grow a table to fit.  A set refilled to a similar size (load
     * stays above 1/4) keeps its table. */
    if (set->cap > FP_SET_MIN_CAP && set->count < set->cap / 16) {
        fp_set_release(set);
        return;
    }
    if (set->slots)
        memset(set->slots, 0, set->cap * sizeof(fp_handle));
    set->count = 0;
}

fp_status fp_set_new(fp_set **out, const fp_alloc *alloc)
{
    fp_alloc a;
    fp_set *set;

    if (!out)
        return FP_EINVAL;
    *out = NULL;
    fp_alloc_resolve(&a, alloc);
    set = fp_mem_alloc(&a, sizeof *set);
    if (!set)
        return FP_ENOMEM;
    fp_set_init(set, &a);
    *out = set;
    return FP_OK;
}

void fp_set_free(fp_set *set)
{
    fp_alloc a;

    if (!set)
        return;
    a = set->alloc;
    fp_set_release(set);
    fp_mem_free(&a, set);
}

fp_status fp_set_add(fp_set *set, fp_handle h, int *added)
{
    int r;

    if (!set || !h)
        return FP_EINVAL;
    r = fp_set_insert(set, h);
    if (r < 0)
        return FP_ENOMEM;
    if (added)
        *added = r;
    return FP_OK;
}

size_t fp_set_count(const fp_set *set)
{
    return set ? set->count : 0;
}

size_t fp_set_memory(const fp_set *set)
{
    return set ? set->cap * sizeof(fp_handle) : 0;
}
