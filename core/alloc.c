/*
 * alloc.c - the allocator hook and its helpers.
 */
#include "internal.h"

#include <stdlib.h>

static void *libc_realloc(void *ud, void *ptr, size_t size)
{
    (void)ud;
    if (size == 0) {
        free(ptr);
        return NULL;
    }
    return realloc(ptr, size);
}

void fp_alloc_resolve(fp_alloc *dst, const fp_alloc *src)
{
    if (src && src->fn) {
        *dst = *src;
    } else {
        dst->fn = libc_realloc;
        dst->ud = NULL;
    }
}

/* The core passes resolved hooks; code built on it may pass NULL. */
static void *call(const fp_alloc *a, void *ptr, size_t size)
{
    return a && a->fn ? a->fn(a->ud, ptr, size) : libc_realloc(NULL, ptr, size);
}

void *fp_mem_alloc(const fp_alloc *a, size_t size)
{
    return size ? call(a, NULL, size) : NULL;
}

void *fp_mem_realloc(const fp_alloc *a, void *ptr, size_t size)
{
    return size ? call(a, ptr, size) : NULL;
}

void fp_mem_free(const fp_alloc *a, void *ptr)
{
    if (ptr)
        call(a, ptr, 0);
}

size_t fp_mul_size(size_t n, size_t size)
{
    if (size && n > (size_t)-1 / size)
        return 0;
    return n * size;
}
