/*
 * vec.c - a growable array of fixed-size items: the traversal's explicit
 * stack lives in one, so depth costs heap, never C stack.
 */
#include "internal.h"

#include <string.h>

void fp_vec_init(fp_vec *v, size_t item)
{
    v->data = NULL;
    v->len = v->cap = 0;
    v->item = item;
}

void fp_vec_release(fp_vec *v, const fp_alloc *a)
{
    fp_mem_free(a, v->data);
    fp_vec_init(v, v->item);
}

static fp_status vec_resize(fp_vec *v, const fp_alloc *a, size_t cap)
{
    size_t bytes = fp_mul_size(cap, v->item);
    void *p;

    if (!bytes)
        return FP_ENOMEM;
    p = fp_mem_realloc(a, v->data, bytes);
    if (!p)
        return FP_ENOMEM;
    v->data = p;
    v->cap = cap;
    return FP_OK;
}

fp_status fp_vec_reserve(fp_vec *v, const fp_alloc *a, size_t extra)
{
    size_t need, cap;

    if (extra > (size_t)-1 - v->len)
        return FP_ENOMEM;
    need = v->len + extra;
    if (need <= v->cap)
        return FP_OK;
    cap = v->cap ? v->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    return vec_resize(v, a, cap);
}

void *fp_vec_push_lean(fp_vec *v, const fp_alloc *a)
{
    unsigned char *p;

    if (v->len == v->cap) {
        size_t step = v->cap / 4 < 64 ? 64 : v->cap / 4;
        if (step > (size_t)-1 - v->cap ||
            vec_resize(v, a, v->cap + step) != FP_OK)
            return NULL;
    }
    p = v->data + v->len++ * v->item;
    memset(p, 0, v->item);
    return p;
}

void *fp_vec_push(fp_vec *v, const fp_alloc *a)
{
    unsigned char *p;

    if (fp_vec_reserve(v, a, 1) != FP_OK)
        return NULL;
    p = v->data + v->len++ * v->item;
    memset(p, 0, v->item);
    return p;
}
