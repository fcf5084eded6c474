/*
 * text.c - the growing buffer that printing functions write into, and
 * writing it to a file.
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
    memset(t, 0, sizeof *t);
    t->alloc = a;
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
    fp_text_truncate(t, 0);
}

void fp_text_truncate(fp_text *t, size_t len)
{
    if (!t)
        return;
    t->failed = 0;
    if (len < t->len) {
        t->len = len;
        t->data[len] = '\0';
    }
}

static int grow(fp_text *t, size_t cap)
{
    char *p = fp_mem_realloc(&t->alloc, t->data, cap);

    if (!p)
        return t->failed = 1, -1;
    t->data = p;
    t->cap = cap;
    return 0;
}

/* Doubling: printers append a few bytes at a time. */
static int reserve(fp_text *t, size_t extra)
{
    size_t cap;

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
    return grow(t, cap);
}

int fp_text_reserve(fp_text *t, size_t extra)
{
    if (t->failed)
        return -1;
    if (extra < t->cap - t->len && t->data)
        return 0;
    if (extra >= (size_t)-1 - t->len)
        return t->failed = 1, -1;
    return grow(t, t->len + extra + 1);
}

void fp_text_put(fp_text *t, const char *s, size_t n)
{
    if (!t || reserve(t, n) < 0)
        return;
    memcpy(t->data + t->len, s, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void fp_text_printf(fp_text *t, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!t)
        return;
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
    if (!t)
        return FP_EINVAL;
    return t->failed ? FP_ENOMEM : FP_OK;
}

fp_status fp_text_write(fp_text *t, const char *path)
{
    if (!t)
        return FP_EINVAL;
    t->errmsg[0] = '\0';
    if (!path || !*path) {
        fp_errmsg_set(t->errmsg, "fp_text_write: no path");
        return FP_EINVAL;
    }
    if (t->failed) {
        fp_errmsg_set(t->errmsg, "cannot write file '%s': the text is "
                                 "incomplete (out of memory)", path);
        return FP_ENOMEM;
    }
    return fp_file_write(&t->alloc, path, "file", t->data ? t->data : "",
                         t->len, t->errmsg);
}

const char *fp_text_errmsg(const fp_text *t)
{
    return t ? t->errmsg : "";
}
