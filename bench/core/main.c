/*
 * main.c - the core benchmark: fp_sizer_size over synthetic graphs against
 * a bare marking walk of the same graphs, side by side in one run.
 *
 * Usage: core-bench [shape...] [objects...]
 *   shapes: wide deep shared (default: all); objects default 1M and 10M.
 *
 * Each repetition runs the bare walk then the engine back to back, so a
 * busy neighbour slows both alike; the ratio is the median of the
 * per-repetition ratios and the rates come from the median times, which a
 * shared machine disturbs less than it does means or single runs.  The
 * engine's time is a whole measurement as a user pays it: a fresh sizer,
 * its set and stack growing from empty, and freeing it.  The baseline
 * likewise grows and frees its stack; its marks live in the nodes and cost
 * nothing to allocate.
 */
#include "graph.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TARGET_RATIO 2.5
#define TARGET_OBJECTS 1000000u
/* Up to MAX_REPS runs per case, fewer when runs are slow: a case stops
 * before its runs would pass CASE_BUDGET seconds, so the whole bench stays
 * near two minutes.  Always an odd number, for a true median. */
#define MAX_REPS 7
#define CASE_BUDGET 15.0

typedef struct shape {
    const char *name;
    int (*build)(bench_graph *g, size_t n);
} shape;

static const shape shapes[] = {
    {"wide", bench_graph_wide},
    {"deep", bench_graph_deep},
    {"shared", bench_graph_shared},
};

typedef struct result {
    double engine, bare;  /* median seconds */
    double ratio;         /* median of engine / bare, run by run */
    size_t objects, memory;
    int runs;
} result;

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void die(const char *what, const char *shape, size_t n)
{
    fprintf(stderr, "core-bench: %s (%s, %zu objects)\n", what, shape, n);
    exit(1);
}

/* One whole measurement; returns seconds, fills the engine's figures. */
static double run_engine(bench_graph *g, size_t *total, size_t *objects,
                         size_t *memory)
{
    fp_host host;
    fp_sizer *s;
    fp_stats st;
    fp_handle root = (fp_handle)bench_root(g);
    double t0 = now();

    bench_host_init(&host, g);
    if (fp_sizer_new(&s, &host, NULL, NULL) != FP_OK ||
        fp_sizer_size(s, &root, 1, NULL) != FP_OK)
        die("engine failed", g->shape, g->n);
    fp_sizer_stats(s, &st);
    *memory = fp_sizer_memory(s);
    fp_sizer_free(s);
    *total = st.total;
    *objects = st.objects;
    return now() - t0;
}

static double run_bare(bench_graph *g, uint32_t epoch, size_t *total,
                       size_t *objects)
{
    double t0 = now();

    *total = bench_bare_walk(g, epoch, objects);
    if (*total == (size_t)-1)
        die("bare walk out of memory", g->shape, g->n);
    return now() - t0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static result measure(const shape *sh, size_t n)
{
    double bare[MAX_REPS], engine[MAX_REPS], ratio[MAX_REPS], spent = 0;
    bench_graph g;
    result r = {0, 0, 0, 0, 0, 0};
    int i;

    if (sh->build(&g, n))
        die("out of memory building the graph", sh->name, n);
    for (i = 0; i < MAX_REPS; i++) {
        size_t bare_total, bare_objects, total, objects, memory;
        double tb = run_bare(&g, (uint32_t)i + 1, &bare_total, &bare_objects);
        double te = run_engine(&g, &total, &objects, &memory);

        if (total != bare_total || objects != bare_objects) {
            fprintf(stderr,
                    "core-bench: totals differ on %s/%zu: engine %zu bytes "
                    "%zu objects, bare walk %zu bytes %zu objects\n",
                    sh->name, n, total, objects, bare_total, bare_objects);
            abort();
        }
        bare[i] = tb;
        engine[i] = te;
        ratio[i] = te / tb;
        r.objects = objects;
        r.memory = memory;
        spent += tb + te;
        /* after an odd count, stop if two more runs would pass the budget */
        if (i % 2 == 0 && spent / (i + 1) * (i + 3) > CASE_BUDGET) {
            i++;
            break;
        }
    }
    bench_graph_free(&g);
    r.runs = i;
    r.bare = median(bare, i);
    r.engine = median(engine, i);
    r.ratio = median(ratio, i);
    return r;
}

/* "12.3M" objects per second. */
static const char *rate(char *buf, size_t cap, size_t objects, double s)
{
    snprintf(buf, cap, "%.1fM", (double)objects / s / 1e6);
    return buf;
}

int main(int argc, char **argv)
{
    static const size_t defaults[] = {1000000, 10000000};
    const size_t nshapes = sizeof shapes / sizeof shapes[0];
    size_t sizes[16], nsizes = 0, i, j;
    int chosen[sizeof shapes / sizeof shapes[0]] = {0}, any = 0;
    int missed = 0;

    for (i = 1; i < (size_t)argc; i++) {
        char *end;
        unsigned long long v = strtoull(argv[i], &end, 10);
        for (j = 0; j < nshapes && strcmp(argv[i], shapes[j].name); j++)
            ;
        if (j < nshapes) {
            chosen[j] = any = 1;
        } else if (!*end && v >= 2 && v <= UINT32_MAX && nsizes < 16) {
            sizes[nsizes++] = (size_t)v;
        } else {
            fprintf(stderr, "usage: core-bench [wide|deep|shared...] "
                            "[objects (2..2^32-1)...]\n");
            return 2;
        }
    }
    if (!nsizes)
        for (; nsizes < 2; nsizes++)
            sizes[nsizes] = defaults[nsizes];

    printf("core bench: fp_sizer_size (trivial host) vs a bare marking walk;"
           " medians of up to %d runs each\n", MAX_REPS);
    printf("%-7s %9s %13s %11s %7s  %-19s %12s %5s\n", "shape", "objects",
           "engine obj/s", "bare obj/s", "ratio", "target", "engine B/obj",
           "runs");
    for (i = 0; i < nsizes; i++) {
        for (j = 0; j < nshapes; j++) {
            const char *target = "-";
            char eb[32], bb[32];
            result r;

            if (any && !chosen[j])
                continue;
            r = measure(&shapes[j], sizes[i]);
            if (sizes[i] == TARGET_OBJECTS) {
                target = r.ratio <= TARGET_RATIO ? "<= 2.5x at 1M: ok"
                                                 : "<= 2.5x at 1M: MISS";
                missed += r.ratio > TARGET_RATIO;
            }
            printf("%-7s %9zu %13s %11s %6.2fx  %-19s %12.1f %5d\n",
                   shapes[j].name, r.objects,
                   rate(eb, sizeof eb, r.objects, r.engine),
                   rate(bb, sizeof bb, r.objects, r.bare), r.ratio, target,
                   (double)r.memory / (double)r.objects, r.runs);
            fflush(stdout);
        }
    }
    if (missed)
        printf("core bench: %d shape(s) above the 2.5x target\n", missed);
    return 0;
}
