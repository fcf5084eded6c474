/*
 * reference.h - a naive sizer over a synthetic graph, written from the
 * documented semantics (footprint.h, pympler's asizesof), not from the
 * core's code: plain recursion, byte arrays for sets, a fresh malloc per
 * detail node.  The tests compare the core against it.
 */
#ifndef TEST_REFERENCE_H
#define TEST_REFERENCE_H

#include "graph.h"

typedef struct ref_node {
    size_t idx;               /* node number, 0 for handle 0 */
    char *name;
    size_t size, flat, nchildren;
    struct ref_node *child, *next;
} ref_node;

typedef struct ref_tree {
    size_t nroots;
    ref_node **root;          /* repeated roots share one node */
    size_t nowned;
    ref_node **owned;         /* every root node, freed once */
} ref_tree;

typedef struct ref_sizer {
    const graph *g;
    fp_sizer_opts opts;
    unsigned char *seen, *excluded, *dup, *cut;
    fp_stats stats;
    fp_status err;
} ref_sizer;

ref_sizer *ref_new(const graph *g, const fp_sizer_opts *opts);
void ref_free(ref_sizer *r);
void ref_exclude(ref_sizer *r, const size_t *idx, size_t n);
void ref_exclude_clear(ref_sizer *r);
void ref_reset(ref_sizer *r);
/* As fp_sizer_size / fp_sizer_size_detail, over node numbers.  tree may
 * be NULL; *tree is NULL unless the call succeeds. */
fp_status ref_size(ref_sizer *r, const size_t *roots, size_t n,
                   size_t *sizes, ref_tree **tree);
void ref_tree_free(ref_tree *t);

#endif /* TEST_REFERENCE_H */
