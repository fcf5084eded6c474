/*
 * visited.c - the set of handles already sized.
 *
 * Handles are usually addresses, and a walk meets neighbours in memory one
 * after another: objects allocated together reference each other.  Hashing
 * each handle to its own slot would cost one cache (and TLB) miss per
 * object, the whole price of a walk.  So an entry stands for a 512-byte
 * stretch of addresses (and one value of the three low bits) with one bit
 * per 8-byte step, and the set remembers the entry of the last insert:
 * handles in the same stretch cost a compare and an OR, a dense heap needs
 * a few bytes per object instead of sixteen, and when a walk enters a new
 * stretch the entry two stretches on is prefetched.  Handles that are not
 * addresses (small integers, say) are still exact: each handle has exactly
 * one (entry, bit).
 *
 * Entries are placed by xxHash (XXH3) of their key: open addressing with
 * linear probing over a power-of-two table.  Most inserts find their entry
 * through the last-insert hint without probing, so the table can grow at
 * 3/4 load rather than 1/2: half the memory to fault in and cache.
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "internal.h"

#include <string.h>

#define FP_SET_MIN_CAP 64u
#define FP_SET_AHEAD 2 /* stretches prefetched ahead of a walk */

#if defined(__GNUC__)
#define FP_PREFETCH(p) __builtin_prefetch((p), 1)
#else
#define FP_PREFETCH(p) ((void)(p))
#endif

static size_t slot_of(fp_handle key, size_t mask)
{
    return (size_t)XXH3_64bits(&key, sizeof key) & mask;
}

void fp_set_init(fp_set *set, const fp_alloc *alloc)
{
    fp_alloc_resolve(&set->alloc, alloc);
    set->slots = set->hint = NULL;
    set->cap = set->used = set->count = 0;
}

void fp_set_release(fp_set *set)
{
    fp_mem_free(&set->alloc, set->slots);
    set->slots = set->hint = NULL;
    set->cap = set->used = set->count = 0;
}

/* Move every entry into a fresh table of new_cap entries. */
static int rehash(fp_set *set, size_t new_cap)
{
    size_t bytes = fp_mul_size(new_cap, sizeof(fp_set_entry));
    fp_set_entry *slots;
    size_t i, mask = new_cap - 1;

    if (!bytes)
        return -1;
    slots = fp_mem_alloc(&set->alloc, bytes);
    if (!slots)
        return -1;
    memset(slots, 0, bytes);
    for (i = 0; i < set->cap; i++) {
        fp_set_entry e = set->slots[i];
        size_t j;
        if (!e.bits)
            continue;
        for (j = slot_of(e.key, mask); slots[j].bits; j = (j + 1) & mask)
            ;
        slots[j] = e;
    }
    fp_mem_free(&set->alloc, set->slots);
    set->slots = slots;
    set->cap = new_cap;
    set->hint = NULL;
    return 0;
}

/* The capacity a table needs to take `used` entries under 3/4 load. */
static int fits(size_t used, size_t cap)
{
    return used <= cap - cap / 4;
}

fp_status fp_set_reserve(fp_set *set, size_t n)
{
    size_t cap = set->cap ? set->cap : FP_SET_MIN_CAP;

    if (!n)
        return FP_OK;
    if (n > (size_t)-1 - set->used)
        return FP_ENOMEM;
    while (!fits(set->used + n, cap)) {
        if (cap > (size_t)-1 / 2)
            return FP_ENOMEM;
        cap *= 2;
    }
    if (cap == set->cap)
        return FP_OK;
    return rehash(set, cap) < 0 ? FP_ENOMEM : FP_OK;
}

/* The entry for key, added if missing; NULL when the table cannot grow. */
static fp_set_entry *find_or_add(fp_set *set, fp_handle key)
{
    fp_set_entry *e;
    size_t mask, i;

    if (!fits(set->used + 1, set->cap)) {
        size_t cap = set->cap ? set->cap * 2 : FP_SET_MIN_CAP;
        if (cap < set->cap || rehash(set, cap) < 0)
            return NULL;
    }
    mask = set->cap - 1;
    for (i = slot_of(key, mask); set->slots[i].bits; i = (i + 1) & mask)
        if (set->slots[i].key == key)
            break;
    e = set->hint = set->slots + i;
    if (!e->bits) {
        e->key = key;
        set->used++;
        /* A walk that entered this stretch is likely to go on through
         * memory: start fetching the entry it will need after the next. */
        FP_PREFETCH(set->slots + slot_of(key + (FP_SET_AHEAD << 3), mask));
    }
    return e;
}

int fp_set_insert_far(fp_set *set, fp_handle h)
{
    uint64_t bit = fp_set_bit(h);
    fp_set_entry *e = find_or_add(set, fp_set_key(h));

    if (!e)
        return -1;
    if (e->bits & bit)
        return 0;
    e->bits |= bit; /* bits was 0 for a new entry: now it is in use */
    set->count++;
    return 1;
}

int fp_set_contains(const fp_set *set, fp_handle h)
{
    fp_handle key;
    size_t mask, i;

    if (!set || !set->count || !h)
        return 0;
    key = fp_set_key(h);
    /* a census asks before it inserts, in the same runs of addresses */
    if (set->hint && set->hint->key == key)
        return (set->hint->bits & fp_set_bit(h)) != 0;
    mask = set->cap - 1;
    for (i = slot_of(key, mask); set->slots[i].bits; i = (i + 1) & mask)
        if (set->slots[i].key == key)
            return (set->slots[i].bits & fp_set_bit(h)) != 0;
    return 0;
}

static unsigned lowest_bit(uint64_t v)
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(v);
#else
    unsigned n = 0;
    for (; !(v & 1); v >>= 1)
        n++;
    return n;
#endif
}

int fp_set_next(const fp_set *set, fp_set_iter *it, fp_handle *h)
{
    const fp_set_entry *e;
    unsigned b;

    while (!it->rest) {
        if (it->slot >= set->cap)
            return 0;
        it->rest = set->slots[it->slot++].bits;
    }
    e = set->slots + it->slot - 1;
    b = lowest_bit(it->rest);
    it->rest &= it->rest - 1;
    *h = (e->key >> 3) << 9 | (fp_handle)b << 3 | (e->key & 7);
    return 1;
}

void fp_set_clear(fp_set *set)
{
    /* A table that once held millions but now serves small measurements
     * would pay a large memset per call: give it back and let the next
     * insert grow a table to fit.  A set refilled to a similar size (load
     * stays above 1/4) keeps its table. */
    if (set->cap > FP_SET_MIN_CAP && set->used < set->cap / 16) {
        fp_set_release(set);
        return;
    }
    if (set->slots)
        memset(set->slots, 0, set->cap * sizeof(fp_set_entry));
    set->used = set->count = 0;
    set->hint = NULL;
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
    return set ? set->cap * sizeof(fp_set_entry) : 0;
}
