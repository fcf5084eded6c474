/*
 * graph.h - a synthetic object graph and the fp_host that answers for it.
 *
 * Nodes are numbered 1..n; node 0 stands for "no object" (handle 0) and may
 * appear as a referent.  Handles are spread like heap pointers (a base plus
 * a stride, some with low tag bits), so the core sees realistic values,
 * never the node numbers.
 * Any node can be made to fail inspect or referents with a chosen status.
 * The host also watches the core: calls it should never make (handle 0, an
 * unknown handle, referents of a skipped or leaf object) are counted in
 * bad_calls, which every test expects to stay 0.
 */
#ifndef TEST_GRAPH_H
#define TEST_GRAPH_H

#include "footprint.h"

#include <stdint.h>

typedef struct gnode {
    size_t flat;
    unsigned flags;              /* FP_INFO_* */
    fp_handle cls;               /* inspect's class, 0 unless set */
    fp_status inspect_status;    /* FP_OK unless made to fail */
    fp_status referents_status;
    size_t fail_after;           /* referents fails after this many */
    size_t nref, capref;
    size_t *ref;                 /* node numbers, 0 = handle 0 */
    char **name;                 /* per edge: NULL means "[k]" */
} gnode;

typedef struct graph {
    size_t n;
    gnode *node;                 /* node[0] unused */
    size_t bad_calls;
    size_t inspect_calls;
    size_t referents_calls;
    size_t named_calls;          /* referents calls with want_names != 0 */
    size_t early_stops;          /* enumerations the core asked to stop */
} graph;

graph *graph_new(size_t n);
void graph_free(graph *g);
void graph_set(graph *g, size_t i, size_t flat, unsigned flags);
/* Append an edge from -> to (to may be 0); name NULL gives "[k]". */
void graph_edge(graph *g, size_t from, size_t to, const char *name);
/* The class inspect names for node i (a census groups by it). */
void graph_set_class(graph *g, size_t i, fp_handle cls);
void graph_fail(graph *g, size_t i, fp_status inspect, fp_status referents);
/* referents of node i reports its first k referents, then fails with st. */
void graph_fail_after(graph *g, size_t i, fp_status st, size_t k);
fp_handle graph_handle(const graph *g, size_t i);
/* Node number of h, 0 if h is not a node of g. */
size_t graph_index(const graph *g, fp_handle h);
/* The name the host reports for edge k of node i, into buf. */
const char *graph_edge_name(const graph *g, size_t i, size_t k, char *buf,
                            size_t cap);
void graph_host(graph *g, fp_host *host);

/* Shapes of random graphs: percentages are per node (flags, failures) or
 * per edge (null referents, back edges that close cycles). */
typedef struct graph_shape {
    size_t nodes;
    size_t max_refs;       /* each node gets 0..max_refs edges */
    size_t max_flat;
    unsigned pct_skip, pct_leaf, pct_leaf_unless_root;
    unsigned pct_fail_inspect, pct_fail_referents; /* with FP_EHOST */
    unsigned pct_null_ref, pct_back_edge, pct_named;
} graph_shape;

graph *graph_random(uint64_t seed, const graph_shape *shape);

/* A host-driven walker over a graph's host: graph_walk_root is an
 * fp_walk_fn whose arg is a graph_walker {&host, NULL, 0, 0}; free refs
 * after. */
typedef struct graph_walker {
    const fp_host *host;
    fp_handle *refs;
    size_t len, cap;
} graph_walker;

fp_status graph_walk_root(void *arg, fp_sizer *s, fp_handle root);

#endif /* TEST_GRAPH_H */
