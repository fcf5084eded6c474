/*
 * graph.c - the three shapes the core benchmark sizes.
 *
 * wide:   one root holding n-1 leaves (a huge list): every pending child
 *         waits on the stack at once.
 * deep:   a single chain: the stack stays tiny but the walk is n levels
 *         deep.
 * shared: a random tree (each object's parent is a random earlier object,
 *         so all are reachable) plus SHARED_EXTRA edges per object to
 *         random objects: most are reached several times and the walk
 *         jumps around the heap.
 */
#include "graph.h"

#include <stdlib.h>
#include <string.h>

#define SHARED_EXTRA 2

/* splitmix64: tiny, fast, and the same sequence on every machine. */
static uint64_t next_rand(uint64_t *state)
{
    uint64_t z = (*state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/*
 * Lay out n objects of random sizes (16 to 136 bytes, like small heap
 * objects) and room for nkids child pointers.  *index receives each
 * object's address, for the builder to wire children; the caller frees it.
 */
static int alloc_graph(bench_graph *g, const char *shape, size_t n,
                       size_t nkids, uint64_t seed, bench_node ***index)
{
    size_t i, bytes = 0;
    uint32_t *flat;

    memset(g, 0, sizeof *g);
    g->shape = shape;
    g->n = n;
    g->nkids = nkids;
    flat = malloc(n * sizeof *flat);
    *index = malloc(n * sizeof **index);
    g->kids = malloc((nkids ? nkids : 1) * sizeof *g->kids);
    if (!flat || !*index || !g->kids)
        goto fail;
    for (i = 0; i < n; i++) {
        flat[i] = 16 + 8 * (uint32_t)(next_rand(&seed) % 16);
        bytes += flat[i];
    }
    g->heap = calloc(1, bytes);
    if (!g->heap)
        goto fail;
    for (i = 0, bytes = 0; i < n; i++) {
        (*index)[i] = (bench_node *)(void *)(g->heap + bytes);
        (*index)[i]->flat = flat[i];
        bytes += flat[i];
    }
    free(flat);
    return 0;
fail:
    free(flat);
    free(*index);
    *index = NULL;
    bench_graph_free(g);
    return -1;
}

int bench_graph_wide(bench_graph *g, size_t n)
{
    bench_node **node;
    size_t i;

    if (alloc_graph(g, "wide", n, n - 1, 1, &node))
        return -1;
    node[0]->nkids = (uint32_t)(n - 1);
    for (i = 1; i < n; i++)
        g->kids[i - 1] = node[i];
    free(node);
    return 0;
}

int bench_graph_deep(bench_graph *g, size_t n)
{
    bench_node **node;
    size_t i;

    if (alloc_graph(g, "deep", n, n - 1, 2, &node))
        return -1;
    for (i = 0; i + 1 < n; i++) {
        node[i]->nkids = 1;
        node[i]->first = (uint32_t)i;
        g->kids[i] = node[i + 1];
    }
    free(node);
    return 0;
}

int bench_graph_shared(bench_graph *g, size_t n)
{
    bench_node **node;
    uint32_t *parent;
    uint64_t seed = 3;
    size_t i, j, at = 0;

    if (alloc_graph(g, "shared", n, (n - 1) + SHARED_EXTRA * n, seed, &node))
        return -1;
    parent = malloc(n * sizeof *parent);
    if (!parent) {
        free(node);
        bench_graph_free(g);
        return -1;
    }
    /* Children are laid out object by object: count, then place. */
    for (i = 1; i < n; i++) {
        parent[i] = (uint32_t)(next_rand(&seed) % i);
        node[parent[i]]->nkids++;
    }
    for (i = 0; i < n; i++) {
        node[i]->nkids += SHARED_EXTRA;
        node[i]->first = (uint32_t)at;
        at += node[i]->nkids;
    }
    /* mark is free until the first walk: it counts filled child slots */
    for (i = 1; i < n; i++) {
        bench_node *p = node[parent[i]];
        g->kids[p->first + p->mark++] = node[i];
    }
    for (i = 0; i < n; i++) {
        bench_node *p = node[i];
        for (j = 0; j < SHARED_EXTRA; j++)
            g->kids[p->first + p->mark++] = node[next_rand(&seed) % n];
        p->mark = 0;
    }
    free(parent);
    free(node);
    return 0;
}

void bench_graph_free(bench_graph *g)
{
    free(g->heap);
    free(g->kids);
    memset(g, 0, sizeof *g);
}
