/*
 * lmap.c - addresses to dense numbers, the adapter's identity map.
 *
 * Open addressing with linear probing at most half full.  Keys are
 * addresses of Lua objects: their low four bits are almost always zero
 * (allocator alignment), so they are shifted out before the multiplicative
 * hash, whose high bits pick the slot.
 */
#include "linternal.h"

#include <stdlib.h>
#include <string.h>

#define FPL_MAP_MIN 256u

void fpl_map_init(fpl_map *m)
{
    m->keys = NULL;
    m->vals = NULL;
    m->cap = m->count = 0;
}

void fpl_map_free(fpl_map *m)
{
    free(m->keys);
    free(m->vals);
    fpl_map_init(m);
}

void fpl_map_clear(fpl_map *m)
{
    /* A map that grew for one huge measurement should not make every
     * small one after it pay a huge memset. */
    if (m->cap > FPL_MAP_MIN && m->count < m->cap / 16) {
        fpl_map_free(m);
        return;
    }
    if (m->keys)
        memset(m->keys, 0, m->cap * sizeof *m->keys);
    m->count = 0;
}

static size_t slot_of(const void *key, size_t cap)
{
    uint64_t h = (uint64_t)((uintptr_t)key >> 4) * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 32) & (cap - 1);
}

uint32_t fpl_map_get(const fpl_map *m, const void *key)
{
    size_t i, mask;

    if (!m->count)
        return 0;
    mask = m->cap - 1;
    for (i = slot_of(key, m->cap); m->keys[i]; i = (i + 1) & mask)
        if (m->keys[i] == key)
            return m->vals[i];
    return 0;
}

static int grow(fpl_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : FPL_MAP_MIN, i;
    const void **keys;
    uint32_t *vals;

    if (cap < m->cap || cap > SIZE_MAX / sizeof *keys)
        return -1;
    keys = calloc(cap, sizeof *keys);
    vals = malloc(cap * sizeof *vals);
    if (!keys || !vals) {
        free(keys);
        free(vals);
        return -1;
    }
    for (i = 0; i < m->cap; i++) {
        size_t j;
        if (!m->keys[i])
            continue;
        for (j = slot_of(m->keys[i], cap); keys[j]; j = (j + 1) & (cap - 1))
            ;
        keys[j] = m->keys[i];
        vals[j] = m->vals[i];
    }
    free(m->keys);
    free(m->vals);
    m->keys = keys;
    m->vals = vals;
    m->cap = cap;
    return 0;
}

int fpl_map_put(fpl_map *m, const void *key, uint32_t **slot)
{
    size_t i, mask;

    if ((m->count + 1) * 2 > m->cap && grow(m) < 0)
        return -1;
    mask = m->cap - 1;
    for (i = slot_of(key, m->cap); m->keys[i]; i = (i + 1) & mask)
        if (m->keys[i] == key) {
            *slot = &m->vals[i];
            return 0;
        }
    m->keys[i] = key;
    m->vals[i] = 0;
    m->count++;
    *slot = &m->vals[i];
    return 0;
}
