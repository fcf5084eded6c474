/*
 * internal.h - what the core's modules share and nobody else may use: the
 * report, the command line and the bindings include footprint.h only
 * (tests/layers/check.py fails the build otherwise).
 */
#ifndef FP_INTERNAL_H
#define FP_INTERNAL_H

#include "footprint.h"

#include <stdarg.h>
#include <stddef.h>

/* ---- allocation: every byte the core holds goes through the hook
 * (fp_mem_alloc and its kin are in footprint.h) ---- */
/* dst = src, or libc's hook when src (or its fn) is NULL. */
void fp_alloc_resolve(fp_alloc *dst, const fp_alloc *src);

/* ---- visited set ----
 * An entry holds the handles of one 512-byte stretch that share their low
 * three bits: handle = (key >> 3) << 9 | b << 3 | (key & 7) for each bit b
 * set in bits.  See visited.c for why. */
typedef struct fp_set_entry {
    fp_handle key;
    uint64_t bits;      /* 0 marks an empty entry */
} fp_set_entry;

struct fp_set {
    fp_alloc alloc;
    fp_set_entry *slots;
    size_t cap;         /* entries: a power of two, or 0 before any insert */
    size_t used;        /* entries holding handles */
    size_t count;       /* handles */
    fp_set_entry *hint; /* entry of the last insert, or NULL */
};

/* A cursor over a set's handles; start from {0, 0}. */
typedef struct fp_set_iter {
    size_t slot;
    uint64_t rest;
} fp_set_iter;

void fp_set_init(fp_set *set, const fp_alloc *alloc);
void fp_set_release(fp_set *set);
/* Where a handle lives: its entry's key and its bit in that entry. */
static inline fp_handle fp_set_key(fp_handle h)
{
    return (h >> 9) << 3 | (h & 7);
}

static inline uint64_t fp_set_bit(fp_handle h)
{
    return (uint64_t)1 << ((h >> 3) & 63);
}

/* Grow now so that n more entries (stretches) fit without growing: the
 * next n inserts cannot fail.  FP_ENOMEM leaves the set unchanged.  For
 * callers that must commit several changes together (the census). */
fp_status fp_set_reserve(fp_set *set, size_t n);

/* fp_set_insert for a handle outside the entry of the last insert. */
int fp_set_insert_far(fp_set *set, fp_handle h);

/* 1 added, 0 present, -1 out of memory (set unchanged).  Inline because
 * the sizer calls it once per reference and most calls end here, in the
 * entry of the last insert. */
static inline int fp_set_insert(fp_set *set, fp_handle h)
{
    fp_set_entry *e = set->hint;
    uint64_t bit = fp_set_bit(h);

    if (!e || e->key != fp_set_key(h))
        return fp_set_insert_far(set, h);
    if (e->bits & bit)
        return 0;
    e->bits |= bit;
    set->count++;
    return 1;
}

/* 1 with *h set while handles remain (in no particular order), then 0.
 * The set must not change during the iteration. */
int fp_set_next(const fp_set *set, fp_set_iter *it, fp_handle *h);

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
/* fp_vec_push growing by a quarter, not double: for arrays that live as
 * long as their owner and hold a per-object budget (the tracker's object
 * records), where doubling's up-to-half-empty tail would be most of it. */
void *fp_vec_push_lean(fp_vec *v, const fp_alloc *a);

/* ---- sizer internals shared with the tracker ---- */
/* fp_sizer_reset, exclusions cleared too, and every set and stack freed:
 * a tracker between snapshots keeps no per-object memory in its sizer
 * (regrowing them did not measurably slow snapshots of 100k objects). */
void fp_sizer_trim(fp_sizer *s);

/* ---- the message a handle keeps (footprint.h, "errors") ----
 * buf holds FP_ERRMSG_SIZE bytes; the text is cut to fit. */
void fp_errmsg_set(char *buf, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void fp_errmsg_vset(char *buf, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;

/* ---- files (file.c) ----
 * The atomic write behind fp_text_write and fp_tracker_dump: data[0..len)
 * replaces path whole or not at all.  On failure msg (FP_ERRMSG_SIZE
 * bytes) says "cannot write WHAT 'PATH': STEP 'TEMPORARY': REASON". */
fp_status fp_file_write(const fp_alloc *a, const char *path, const char *what,
                        const void *data, size_t len, char *msg);

#endif /* FP_INTERNAL_H */
