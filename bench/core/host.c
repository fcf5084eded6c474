/*
 * host.c - the trivial host: everything it says is read straight from the
 * node, so the benchmark measures the engine, not a host.
 */
#include "graph.h"

static fp_status inspect(void *ctx, fp_handle obj, fp_info *info)
{
    (void)ctx;
    info->flat = ((const bench_node *)obj)->flat;
    info->flags = 0;
    info->cls = 0;
    return FP_OK;
}

static fp_status referents(void *ctx, fp_handle obj, int want_names,
                           fp_visit_fn visit, void *arg)
{
    const bench_graph *g = ctx;
    const bench_node *n = (const bench_node *)obj;
    bench_node *const *k = g->kids + n->first, *const *end = k + n->nkids;

    (void)want_names; /* nodes have no names to give */
    for (; k < end; k++)
        if (visit(arg, (fp_handle)*k, NULL, 0))
            break;
    return FP_OK;
}

void bench_host_init(fp_host *host, bench_graph *g)
{
    host->ctx = g;
    host->inspect = inspect;
    host->referents = referents;
    host->alive = NULL;
    host->describe = NULL;
}
