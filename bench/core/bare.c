/*
 * bare.c - the baseline: the least work that sizes a graph exactly, a
 * visited mark stored in the object itself and an explicit stack.
 *
 * It walks in the engine's order (children pushed in reverse, the mark
 * tested when an object is popped), so the two differ only in what the
 * engine adds: the visited set, the host callbacks and its bookkeeping.
 */
#include "graph.h"

#include <stdlib.h>

size_t bench_bare_walk(bench_graph *g, uint32_t epoch, size_t *objects)
{
    size_t cap = 64, len = 0, total = 0, count = 0;
    bench_node **stack = malloc(cap * sizeof *stack);

    if (!stack)
        return (size_t)-1;
    stack[len++] = bench_root(g);
    while (len) {
        bench_node *n = stack[--len];
        bench_node *const *k;
        uint32_t i;

        if (n->mark == epoch)
            continue;
        n->mark = epoch;
        total += n->flat;
        count++;
        if (len + n->nkids > cap) {
            bench_node **p;
            while (len + n->nkids > cap)
                cap *= 2;
            p = realloc(stack, cap * sizeof *stack);
            if (!p) {
                free(stack);
                return (size_t)-1;
            }
            stack = p;
        }
        k = g->kids + n->first;
        for (i = n->nkids; i-- > 0;)
            stack[len++] = k[i];
    }
    free(stack);
    *objects = count;
    return total;
}
