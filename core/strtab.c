/*
 * strtab.c - interned strings (see strtab.h).
 */
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "strtab.h"

#include <string.h>

fp_status fp_strtab_init(fp_strtab *t, const fp_alloc *alloc)
{
    memset(t, 0, sizeof *t);
    fp_alloc_resolve(&t->alloc, alloc);
    t->data = fp_mem_alloc(&t->alloc, 64);
    if (!t->data)
        return FP_ENOMEM;
    t->data[0] = '\0';
    t->len = 1;
    t->cap = 64;
    return FP_OK;
}

void fp_strtab_release(fp_strtab *t)
{
    fp_mem_free(&t->alloc, t->data);
    fp_mem_free(&t->alloc, t->slots);
    t->data = NULL;
    t->slots = NULL;
    t->len = t->cap = t->nslots = t->count = 0;
}

static size_t hash_text(const char *s, size_t len)
{
    return (size_t)XXH3_64bits(s, len);
}

static void slot_put(uint32_t *slots, size_t nslots, const char *data,
                     uint32_t off)
{
    size_t mask = nslots - 1;
    size_t i = hash_text(data + off, strlen(data + off)) & mask;

    while (slots[i])
        i = (i + 1) & mask;
    slots[i] = off;
}

static fp_status grow_slots(fp_strtab *t)
{
    size_t n = t->nslots ? t->nslots * 2 : 256, i;
    size_t bytes = fp_mul_size(n, sizeof(uint32_t));
    uint32_t *slots;

    if (!bytes || !(slots = fp_mem_alloc(&t->alloc, bytes)))
        return FP_ENOMEM;
    memset(slots, 0, bytes);
    for (i = 0; i < t->nslots; i++)
        if (t->slots[i])
            slot_put(slots, n, t->data, t->slots[i]);
    fp_mem_free(&t->alloc, t->slots);
    t->slots = slots;
    t->nslots = n;
    return FP_OK;
}

/* Room for bytes more without moving data. */
static fp_status grow_data(fp_strtab *t, size_t bytes)
{
    size_t cap = t->cap ? t->cap : 64;
    char *data;

    if (bytes > UINT32_MAX - t->len)
        return FP_ENOMEM; /* offsets are 32-bit, as in the dump format */
    if (t->len + bytes <= t->cap)
        return FP_OK;
    while (cap < t->len + bytes)
        cap *= 2;
    data = fp_mem_realloc(&t->alloc, t->data, cap);
    if (!data)
        return FP_ENOMEM;
    t->data = data;
    t->cap = cap;
    return FP_OK;
}

fp_status fp_strtab_reserve(fp_strtab *t, size_t bytes)
{
    return grow_data(t, bytes);
}

fp_status fp_strtab_intern(fp_strtab *t, const char *text, size_t len,
                           uint32_t *off)
{
    size_t mask, i;

    *off = 0;
    if (!text || !len)
        return FP_OK;
    if (memchr(text, '\0', len))
        len = strlen(text); /* a C string cannot hold more than that */
    if ((t->count + 1) * 2 > t->nslots && grow_slots(t) != FP_OK)
        return FP_ENOMEM;
    mask = t->nslots - 1;
    for (i = hash_text(text, len) & mask; t->slots[i]; i = (i + 1) & mask) {
        const char *s = t->data + t->slots[i];
        if (strncmp(s, text, len) == 0 && s[len] == '\0') {
            *off = t->slots[i];
            return FP_OK;
        }
    }
    if (grow_data(t, len + 1) != FP_OK)
        return FP_ENOMEM;
    memcpy(t->data + t->len, text, len);
    t->data[t->len + len] = '\0';
    t->slots[i] = (uint32_t)t->len;
    *off = (uint32_t)t->len;
    t->len += len + 1;
    t->count++;
    return FP_OK;
}

fp_status fp_strtab_adopt(fp_strtab *t, const char *data, size_t len)
{
    size_t off;
    char *copy;

    if (!len || data[0] != '\0' || data[len - 1] != '\0' || len > UINT32_MAX)
        return FP_ECORRUPT;
    copy = fp_mem_alloc(&t->alloc, len);
    if (!copy)
        return FP_ENOMEM;
    memcpy(copy, data, len);
    fp_mem_free(&t->alloc, t->data);
    fp_mem_free(&t->alloc, t->slots);
    t->data = copy;
    t->len = t->cap = len;
    t->slots = NULL;
    t->nslots = t->count = 0;
    for (off = 1; off < len; off += strlen(copy + off) + 1) {
        if ((t->count + 1) * 2 > t->nslots && grow_slots(t) != FP_OK)
            return FP_ENOMEM;
        slot_put(t->slots, t->nslots, copy, (uint32_t)off);
        t->count++;
    }
    return FP_OK;
}

size_t fp_strtab_memory(const fp_strtab *t)
{
    return t->cap + t->nslots * sizeof(uint32_t);
}
