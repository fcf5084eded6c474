/*
 * compare.h - run the core and the reference side by side on one graph
 * and assert that every observable agrees: status, per-root sizes, stats,
 * the set of objects sized, and detail trees node by node.
 */
#ifndef TEST_COMPARE_H
#define TEST_COMPARE_H

#include "reference.h"

typedef struct twin {
    graph *g;
    fp_sizer *s;
    ref_sizer *r;
    fp_host host;
    /* The core may run out of memory (an allocator fails on purpose): then
     * it must say FP_ENOMEM and be reset, and the reference is reset too. */
    int allow_enomem;
    /* Size through fp_sizer_walk (a recursive walker over the graph host,
     * compare.c) whenever the options allow it. */
    int walk;
} twin;

/* A sizer (with alloc, may be NULL) and a reference over g, same opts. */
fp_status twin_open(twin *t, graph *g, const fp_sizer_opts *opts,
                    const fp_alloc *alloc);
void twin_close(twin *t);
fp_status twin_set_opts(twin *t, const fp_sizer_opts *opts);
fp_status twin_exclude(twin *t, const size_t *idx, size_t n);
void twin_exclude_clear(twin *t);
void twin_reset(twin *t);

/* Size roots (node numbers) with both, compare everything, return the
 * core's status.  With detail, also compare trees; out_sizes (may be NULL)
 * gets the core's per-root sizes. */
fp_status twin_size(twin *t, const size_t *roots, size_t n, int detail,
                    size_t *out_sizes);

void compare_stats(const fp_stats *got, const fp_stats *want);
/* Every node of the graph: sized by the core iff by the reference. */
void compare_seen(const twin *t);
void compare_detail(const graph *g, const fp_detail *d, const ref_tree *want);

enum { TWIN_PLAIN, TWIN_DETAIL, TWIN_WALK };

/* A random graph (from seed) and a dozen random calls - options, resets,
 * exclusions, roots with repeats and zeros - each checked by twin_size,
 * plainly, with detail trees or host-driven (mode).
 * hard_errors makes a random node fail with FP_EIO before each call.
 * Stops at the first call that disagrees and returns -1 (later calls would
 * only repeat the symptom), 0 if all agreed. */
int twin_random_session(uint64_t seed, int hard_errors, int mode);

#endif /* TEST_COMPARE_H */
