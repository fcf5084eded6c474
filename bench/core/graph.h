/*
 * graph.h - synthetic object graphs for the core benchmark.
 *
 * The objects live in one arena laid out like a heap: each object spans
 * its flat size (16 to 136 bytes) right after the previous one, so handles
 * are addresses with the spacing of real small objects, and the baseline
 * can keep its visited mark inside the object.  Children are pointers kept
 * in one array, object after object.
 */
#ifndef BENCH_GRAPH_H
#define BENCH_GRAPH_H

#include "footprint.h"

#include <stddef.h>
#include <stdint.h>

/* The header every object starts with; flat >= sizeof(bench_node). */
typedef struct bench_node {
    uint32_t flat;  /* bytes the object spans, a multiple of 8 */
    uint32_t nkids;
    uint32_t first; /* index of its first child in bench_graph.kids */
    uint32_t mark;  /* bare walk: the epoch of its last visit */
} bench_node;

typedef struct bench_graph {
    const char *shape;
    unsigned char *heap;  /* the objects; the root is the first */
    bench_node **kids;    /* children of every object, object after object */
    size_t n, nkids;
} bench_graph;

/* Shapes of n objects each, the same on every run.  0 on success. */
int bench_graph_wide(bench_graph *g, size_t n);
int bench_graph_deep(bench_graph *g, size_t n);
int bench_graph_shared(bench_graph *g, size_t n);
void bench_graph_free(bench_graph *g);

static inline bench_node *bench_root(const bench_graph *g)
{
    return (bench_node *)(void *)g->heap;
}

/* The trivial host over g: flat size from the node, children from kids. */
void bench_host_init(fp_host *host, bench_graph *g);

/* Baseline: iterative walk from the root that marks nodes in place (no
 * set), summing flat sizes.  epoch must differ from every earlier call's
 * on this graph.  Returns the total bytes, or (size_t)-1 out of memory. */
size_t bench_bare_walk(bench_graph *g, uint32_t epoch, size_t *objects);

#endif
