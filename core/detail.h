/*
 * detail.h - the arena that holds detail trees (internal).
 */
#ifndef FP_DETAIL_H
#define FP_DETAIL_H

#include "internal.h"

fp_status fp_detail_create(fp_detail **out, const fp_alloc *alloc,
                           size_t nroots);
/* A zeroed node for root i (called once per root). */
fp_detail_node *fp_detail_root_node(fp_detail *d, size_t i, fp_handle obj);
/* Root i repeats root j < i: both share j's tree (pympler returns the same
 * Asized for both). */
void fp_detail_alias_root(fp_detail *d, size_t i, size_t j);
/* A zeroed node appended to parent's children, with a copy of name. */
fp_detail_node *fp_detail_add_child(fp_detail *d, fp_detail_node *parent,
                                    fp_detail_node **tail, fp_handle obj,
                                    const char *name, size_t len);

#endif /* FP_DETAIL_H */
