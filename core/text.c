/*
 * text.c - the growing buffer that printing functions write into.
 */
#include "internal.h"
#include "text.h"

#include <stdio.h>
#include <string.h>

fp_status fp_text_new(fp_text **out, const fp_alloc *alloc)
{
    fp_alloc a;
    fp_text *t;

    if (!out)
        return FP_EINVAL;
    fp_alloc_resolve(&a, alloc);
    t = fp_mem_alloc(&a, sizeof *t);
    if (!t)
        return FP_ENOMEM;
    t->alloc = a;
    t->data = NULL;
    t->len = t->cap = 0;
    t->failed = 0;
    *out = t;
    return FP_OK;
}

void fp_text_free(fp_text *t)
{
    if (!t)
        return;
    fp_mem_free(&t->alloc, t->data);
    fp_mem_free(&t->alloc, t);
}

const char *fp_text_data(const fp_text *t)
{
    return t && t->data ? t->data : "";
}

size_t fp_text_len(const fp_text *t)
{
    return t ? t->len : 0;
}

void fp_text_clear(fp_text *t)
{
    if (!t)
        return;
    t->len = 0;
    t->failed = 0;
    if (t->data)
        t->data[0] = '\0';
}

static int reserve(fp_text *t, size_t extra)
{
    size_t cap;
    char *p;

    if (t->failed)
        return -1;
    if (extra < t->cap - t->len && t->data)
        return 0;
    cap = t->cap ? t->cap : 256;
    while (cap - t->len <= extra) {
        if (cap > (size_t)-1 / 2)
            return t->failed = 1, -1;
        cap *= 2;
    }
    p = fp_mem_realloc(&t->alloc, t->data, cap);
    if (!p)
        return t->failed = 1, -1;
    t->data = p;
    t->cap = cap;
    return 0;
}

void fp_text_put(fp_text *t, const char *s, size_t n)
{
    if (reserve(t, n) < 0)
        return;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void fp_text_printf(fp_text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || reserve(t, (size_t)n) < 0)
        return;
    va_start(ap, fmt);
    vsnprintf(t->data + t->len, t->cap - t->len, fmt, ap);
    va_end(ap);
    t->len += (size_t)n;
}

fp_status fp_text_status(const fp_text *t)
{
    return t->failed ? FP_ENOMEM : FP_OK;
}
