/*
 * internal.h - what the core's modules share and nobody else may use.
 */
#ifndef FP_INTERNAL_H
#define FP_INTERNAL_H

#include "footprint.h"

#include <stdarg.h>
#include <stddef.h>

/* ---- allocation: every byte the core holds goes through the hook ---- */
void fp_alloc_resolve(fp_alloc *dst, const fp_alloc *src);
void *fp_mem_alloc(const fp_alloc *a, size_t size);
/* Like realloc; on failure returns NULL and leaves ptr untouched. */
void *fp_mem_realloc(const fp_alloc *a, void *ptr, size_t size);
void fp_mem_free(const fp_alloc *a, void *ptr);
/* n * size with overflow check: 0 when it would not fit in size_t. */
size_t fp_mul_size(size_t n, size_t size);

/* ---- visited set ---- */
struct fp_set {
    fp_alloc alloc;
    fp_handle *slots;   /* 0 marks an empty slot */
    size_t cap;         /* power of two, or 0 before the first insert */
    size_t count;
};

void fp_set_init(fp_set *set, const fp_alloc *alloc);
void fp_set_release(fp_set *set);
/* 1 added, 0 present, -1 out of memory (set unchanged). */
int fp_set_insert(fp_set *set, fp_handle h);

/* ---- growable stack of fixed-size items ---- */
typedef struct fp_vec {
    unsigned char *data;
    size_t len, cap;   /* in items */
    size_t item;       /* bytes per item */
} fp_vec;

void fp_vec_init(fp_vec *v, size_t item);
void fp_vec_release(fp_vec *v, const fp_alloc *a);
/* Make room for extra more items; FP_ENOMEM leaves v unchanged. */
fp_status fp_vec_reserve(fp_vec *v, const fp_alloc *a, size_t extra);
/* Room for one more item, zeroed; NULL when out of memory. */
void *fp_vec_push(fp_vec *v, const fp_alloc *a);

/* ---- last-error messages kept per handle ---- */
#define FP_ERRMSG_CAP 256
void fp_errmsg_set(char *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

#endif /* FP_INTERNAL_H */
