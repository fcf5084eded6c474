/*
 * detail.c - detail trees (pympler's Asized) live in one bump arena, so a
 * tree of millions of nodes is freed in a few calls, never by recursion.
 */
#include "detail.h"

#include <string.h>

#define CHUNK_MIN 16384u

typedef struct chunk {
    struct chunk *prev;
    size_t used, cap;
    /* max_align_t keeps the payload aligned for any node */
    union { max_align_t align; unsigned char bytes[1]; } data;
} chunk;

struct fp_detail {
    fp_alloc alloc;
    chunk *top;
    size_t nroots;
    fp_detail_node **roots;
};

static void *arena_alloc(fp_detail *d, size_t size)
{
    const size_t a = sizeof(max_align_t);
    size_t need = (size + a - 1) / a * a;
    chunk *c = d->top;

    if (need < size)
        return NULL;
    if (!c || c->cap - c->used < need) {
        size_t cap = need > CHUNK_MIN ? need : CHUNK_MIN;
        if (cap > (size_t)-1 - offsetof(chunk, data))
            return NULL;
        c = fp_mem_alloc(&d->alloc, offsetof(chunk, data) + cap);
        if (!c)
            return NULL;
        c->prev = d->top;
        c->used = 0;
        c->cap = cap;
        d->top = c;
    }
    c->used += need;
    return c->data.bytes + c->used - need;
}

fp_status fp_detail_create(fp_detail **out, const fp_alloc *alloc,
                           size_t nroots)
{
    fp_alloc a;
    fp_detail *d;
    size_t bytes = fp_mul_size(nroots ? nroots : 1, sizeof(fp_detail_node *));

    *out = NULL;
    fp_alloc_resolve(&a, alloc);
    if (!bytes)
        return FP_ENOMEM;
    d = fp_mem_alloc(&a, sizeof *d);
    if (!d)
        return FP_ENOMEM;
    d->alloc = a;
    d->top = NULL;
    d->nroots = nroots;
    d->roots = fp_mem_alloc(&a, bytes);
    if (!d->roots) {
        fp_mem_free(&a, d);
        return FP_ENOMEM;
    }
    memset(d->roots, 0, bytes);
    *out = d;
    return FP_OK;
}

static fp_detail_node *new_node(fp_detail *d, fp_handle obj)
{
    fp_detail_node *n = arena_alloc(d, sizeof *n);

    if (n) {
        memset(n, 0, sizeof *n);
        n->obj = obj;
    }
    return n;
}

fp_detail_node *fp_detail_root_node(fp_detail *d, size_t i, fp_handle obj)
{
    fp_detail_node *n = new_node(d, obj);

    if (n)
        d->roots[i] = n;
    return n;
}

void fp_detail_alias_root(fp_detail *d, size_t i, size_t j)
{
    d->roots[i] = d->roots[j];
}

fp_detail_node *fp_detail_add_child(fp_detail *d, fp_detail_node *parent,
                                    fp_detail_node **tail, fp_handle obj,
                                    const char *name, size_t len)
{
    fp_detail_node *n = new_node(d, obj);

    if (!n)
        return NULL;
    if (name) {
        char *copy = len + 1 ? arena_alloc(d, len + 1) : NULL;
        if (!copy)
            return NULL; /* the node stays unlinked in the arena: freed with it */
        memcpy(copy, name, len);
        copy[len] = '\0';
        n->name = copy;
    }
    if (*tail)
        (*tail)->next = n;
    else
        parent->child = n;
    *tail = n;
    parent->nchildren++;
    return n;
}

size_t fp_detail_count(const fp_detail *d)
{
    return d ? d->nroots : 0;
}

const fp_detail_node *fp_detail_root(const fp_detail *d, size_t i)
{
    return d && i < d->nroots ? d->roots[i] : NULL;
}

void fp_detail_free(fp_detail *d)
{
    chunk *c;
    fp_alloc a;

    if (!d)
        return;
    a = d->alloc;
    for (c = d->top; c;) {
        chunk *prev = c->prev;
        fp_mem_free(&a, c);
        c = prev;
    }
    fp_mem_free(&a, d->roots);
    fp_mem_free(&a, d);
}
