/*
 * cmd_diff.c - `footprint diff OLD NEW`: what a change did to memory, per
 * class, between one snapshot of each dump (the last by default).  The
 * rows are the core's class-by-class model (fp_diff_new), the one the
 * report's diff page draws; this file chooses the snapshots, orders the
 * rows and prints them as pympler's tables look.
 */
#include "census.h"
#include "table.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct side {
    const char *path;
    fp_tracker *t;
    size_t snap;
    fp_snapshot_info info;
} side;

/* --snapshot: an integer is an index (negative counts from the end),
 * anything else the description of a snapshot (the last one so named). */
static int pick(side *s, const char *sel)
{
    size_t n = fp_tracker_snapshot_count(s->t);
    char *end;
    long v;

    if (n == 0) {
        fprintf(stderr, "footprint: %s: the dump holds no snapshot\n",
                s->path);
        return CLI_EFILE;
    }
    s->snap = n - 1;
    if (sel && *sel && (v = strtol(sel, &end, 10), !*end)) {
        if (v < 0)
            v += (long)n;
        if (v < 0 || (size_t)v >= n) {
            fprintf(stderr, "footprint: %s: no snapshot %s (it holds %zu, 0 "
                            "to %zu)\n",
                    s->path, sel, n, n - 1);
            return CLI_EFILE;
        }
        s->snap = (size_t)v;
    } else if (sel && fp_tracker_find_snapshot(s->t, sel, &s->snap) !=
                          FP_OK) {
        fprintf(stderr, "footprint: %s: no snapshot described '%s'\n",
                s->path, sel);
        return CLI_EFILE;
    }
    fp_tracker_snapshot_info(s->t, s->snap, &s->info);
    return CLI_OK;
}

static uint64_t change(const fp_class_delta *r)
{
    return r->sum[1] > r->sum[0] ? r->sum[1] - r->sum[0]
                                 : r->sum[0] - r->sum[1];
}

/* The largest change first, then by name (names are unique). */
static int cmp_rows(const void *a, const void *b)
{
    const fp_class_delta *x = *(const fp_class_delta *const *)a;
    const fp_class_delta *y = *(const fp_class_delta *const *)b;

    if (change(x) != change(y))
        return change(x) > change(y) ? -1 : 1;
    return strcmp(x->name, y->name);
}

/* The model's rows, in the order printed; NULL when out of memory. */
static const fp_class_delta **gather(const fp_diff *d)
{
    size_t n = fp_diff_count(d), i;
    const fp_class_delta **rows = calloc(n + 1, sizeof *rows);

    if (!rows)
        return NULL;
    for (i = 0; i < n; i++)
        rows[i] = fp_diff_row(d, i);
    qsort(rows, n, sizeof *rows, cmp_rows);
    return rows;
}

/* ---- cells ---- */

/* count and sum: old [0] and new [1]. */
static void stat_cells(table *t, size_t r, const uint64_t *count,
                       const uint64_t *sum)
{
    double avg[2];
    size_t k;

    for (k = 0; k < 2; k++)
        avg[k] = count[k] ? (double)sum[k] / (double)count[k] : 0.0;
    table_count_change(t, r, 1, count);
    table_size_change(t, r, 5, (double)sum[0], (double)sum[1]);
    table_size_change(t, r, 9, avg[0], avg[1]);
}

/* ---- output ---- */

static void describe(const char *label, const side *s)
{
    char when[64];
    const char *d;

    fp_format_time(s->info.timestamp, when, sizeof when);
    printf("%s %s, snapshot %zu of %zu (\"", label, s->path, s->snap,
           fp_tracker_snapshot_count(s->t));
    /* a description is the host's text: keep control characters off the
     * terminal */
    for (d = s->info.desc; *d; d++)
        putchar((unsigned char)*d < 0x20 || *d == 0x7f ? '?' : *d);
    printf("\", %s)\n", when);
}

static void process_line(const side *old, const side *new)
{
    double a = (double)old->info.procmem.rss, b = (double)new->info.procmem.rss;
    table t;
    char x[TABLE_CELL], y[TABLE_CELL];

    if (!a || !b) {
        printf("process memory (rss): not recorded in %s\n",
               !a ? old->path : new->path);
        return;
    }
    /* one scratch row gives the same cells as the table's */
    table_init(&t, 3);
    if (table_add_row(&t) == (size_t)-1)
        return;
    table_delta(&t, 0, 0, b - a);
    table_pct(&t, 0, 1, a, b);
    fp_format_size(a, x, sizeof x);
    fp_format_size(b, y, sizeof y);
    printf("process memory (rss): %s -> %s (%s, %s)\n", x, y, t.cells[0],
           t.cells[1]);
    table_free(&t);
}

/* The header, a row per class and the total row; -1 when out of
 * memory. */
static int fill_table(table *t, const fp_class_delta *const *rows, size_t n)
{
    static const char *const head[13] = {
        "class", "old", "new", "delta", "%",  "old", "new",
        "delta", "%",   "old", "new", "delta", "%"};
    uint64_t total[2][2] = {{0, 0}, {0, 0}}; /* count, sum x old, new */
    size_t i, k, r;

    if (table_add_row(t) == (size_t)-1)
        return -1;
    for (k = 0; k < 13; k++)
        table_set(t, 0, k, "%s", head[k]);
    for (i = 0; i < n; i++) {
        uint64_t count[2] = {rows[i]->active[0], rows[i]->active[1]};
        if ((r = table_add_row(t)) == (size_t)-1)
            return -1;
        table_name(t, r, 0, rows[i]->name);
        stat_cells(t, r, count, rows[i]->sum);
        for (k = 0; k < 2; k++) {
            total[0][k] += count[k];
            total[1][k] += rows[i]->sum[k];
        }
    }
    if ((r = table_add_row(t)) == (size_t)-1)
        return -1;
    table_set(t, r, 0, "total");
    stat_cells(t, r, total[0], total[1]);
    return 0;
}

static int print_diff(side *old, side *new, size_t top)
{
    static const size_t group[13] = {0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3};
    static const char *const titles[4] = {"", "count", "total size",
                                          "average size"};
    const fp_tracker *const trackers[2] = {old->t, new->t};
    const char *const paths[2] = {old->path, new->path};
    const fp_class_delta **rows = NULL;
    fp_diff *d = NULL;
    table t;
    int ok;

    table_init(&t, 13);
    ok = fp_diff_new(&d, old->t, old->snap, new->t, new->snap, NULL) ==
             FP_OK &&
         (rows = gather(d)) != NULL &&
         fill_table(&t, rows, fp_diff_count(d)) == 0;
    if (ok) {
        printf("---- DIFF %.69s\n", "-------------------------------------"
                                     "--------------------------------------");
        describe("old:", old);
        describe("new:", new);
        putchar('\n');
        table_print(&t, stdout, group, titles, 1);
        putchar('\n');
        process_line(old, new);
        ok = cli_print_grown(stdout, d, trackers, paths, top) == 0;
    }
    table_free(&t);
    free(rows);
    fp_diff_free(d);
    return ok ? CLI_OK : cli_fail("diff", FP_ENOMEM);
}

typedef struct diff_args {
    side sides[2];
    const char *sel;
    size_t top;
} diff_args;

static int parse(int argc, char **argv, diff_args *a)
{
    const char *v;
    size_t n = 0;
    int i, r;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return -1;
        if ((r = cli_option(argc, argv, &i, "snapshot", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_diff,
                                       "--snapshot needs a LABEL or INDEX");
            a->sel = v;
        } else if ((r = cli_option(argc, argv, &i, "types", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_diff, "--types needs N");
            if ((r = cli_types_option(&cli_diff, v, &a->top)) != CLI_OK)
                return r;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(&cli_diff, "unknown option '%s'", argv[i]);
        } else if (n == 2) {
            return cli_usage_error(&cli_diff, "two dumps, OLD and NEW");
        } else {
            a->sides[n++].path = argv[i];
        }
    }
    if (n < 2)
        return cli_usage_error(&cli_diff, "two dumps, OLD and NEW");
    return CLI_OK;
}

static int run(int argc, char **argv)
{
    diff_args a;
    side *s = a.sides;
    int rc;

    memset(&a, 0, sizeof a);
    a.top = CLI_TYPES_DEFAULT;
    if ((rc = parse(argc, argv, &a)) < 0)
        return cli_help(&cli_diff);
    if (rc == CLI_OK)
        rc = cli_load(s[0].path, &s[0].t);
    if (rc == CLI_OK)
        rc = cli_load(s[1].path, &s[1].t);
    if (rc == CLI_OK)
        rc = pick(&s[0], a.sel);
    if (rc == CLI_OK)
        rc = pick(&s[1], a.sel);
    if (rc == CLI_OK)
        rc = print_diff(&s[0], &s[1], a.top);
    fp_tracker_free(s[0].t);
    fp_tracker_free(s[1].t);
    return rc;
}

const cli_command cli_diff = {
    "diff", "what changed per class between two dumps",
    "usage: footprint diff OLD NEW [--snapshot LABEL|INDEX] [--types N]\n"
    "\n"
    "Per tracked class (matched by name; classes found in only one dump\n"
    "are shown too): active instances, total size and average size in OLD\n"
    "and in NEW, with the change and the change in percent (\"new\" when\n"
    "OLD had none); largest change first, then a total row and the\n"
    "process's memory.  When the snapshots have a census (the heap by\n"
    "type), the types that grew follow: objects and total size in OLD and\n"
    "NEW, matched by name, the largest growth in bytes first (a type a\n"
    "census did not keep counts as 0 there).\n"
    "\n"
    "  --snapshot S   compare snapshot S of each dump instead of the last:\n"
    "                 an index (0 is the first, -1 the last) or the\n"
    "                 description given when it was taken\n"
    "  --types N      types that grew shown (default 10; 0: none)\n",
    run};
