/*
 * counting_alloc.h - an fp_alloc that keeps books and fails on demand.
 *
 * Every block carries a small header with its size, so the tests can say
 * exactly how many blocks and bytes the core holds at any moment, and fail
 * the Nth allocation to walk every allocation point of a run.
 */
#ifndef TEST_COUNTING_ALLOC_H
#define TEST_COUNTING_ALLOC_H

#include "footprint.h"

#include <stddef.h>

typedef struct counting_alloc {
    size_t live_blocks;
    size_t live_bytes;   /* bytes the core asked for, headers excluded */
    size_t peak_bytes;
    size_t calls;        /* allocations and reallocations (size > 0) */
    size_t fail_at;      /* fail the call numbered fail_at (1-based); 0 never */
    size_t failures;     /* calls refused so far */
    size_t frees;
    size_t bad_frees;    /* frees of pointers this allocator never gave out */
} counting_alloc;

void counting_alloc_init(counting_alloc *c, size_t fail_at);
/* An fp_alloc backed by c. */
fp_alloc counting_alloc_hook(counting_alloc *c);

/* A scripted run under an allocator that refuses one allocation: the
 * calls that failed, by kind. */
typedef struct fail_run {
    counting_alloc ca;
    fp_alloc a;
    size_t enomem;     /* calls that said FP_ENOMEM */
    size_t other;      /* calls that failed with anything else */
} fail_run;

/* 0 for FP_OK.  Otherwise notes st, checks that it is the FP_ENOMEM of
 * the one refused allocation, gives the memory back for the retry (the
 * allocator refuses no more) and answers 1. */
int fail_run_refused(fail_run *r, fp_status st);

#endif /* TEST_COUNTING_ALLOC_H */
