/*
 * census.c - a snapshot's heap by type (fp_tracker_census_*) as the
 * commands print it: pympler's summary table ("types | # objects | total
 * size"), and the types that grew between the censuses of two dumps.
 */
#include "census.h"
#include "table.h"

#include <stdlib.h>
#include <string.h>

int cli_types_option(const cli_command *cmd, const char *v, size_t *out)
{
    char *end;
    unsigned long long n;

    if (!*v || *v == '-' || (n = strtoull(v, &end, 10), *end) ||
        n > 1000000)
        return cli_usage_error(cmd, "--types wants a number of types, 0 to "
                                    "1000000, not '%s'", v);
    *out = (size_t)n;
    return CLI_OK;
}

/* pympler's _format_table: each column as wide as its widest cell plus
 * one space on either side, cells right-justified, " | " between
 * columns, a border of '=' under the header.  Widths count characters. */
static void print_pympler(FILE *out, const table *t, const char *indent)
{
    size_t width[3] = {0, 0, 0}, r, k, n;

    for (r = 0; r < t->nrows; r++)
        for (k = 0; k < 3; k++) {
            const char *c = t->cells[r * 3 + k];
            n = fp_utf8_count(c, strlen(c)) + 2;
            if (n > width[k])
                width[k] = n;
        }
    for (r = 0; r < t->nrows; r++) {
        fputs(indent, out);
        for (k = 0; k < 3; k++) {
            const char *c = t->cells[r * 3 + k];
            for (n = fp_utf8_count(c, strlen(c)); n < width[k]; n++)
                putc(' ', out);
            fprintf(out, "%s%s", c, k < 2 ? " | " : "\n");
        }
        if (r)
            continue;
        fputs(indent, out);
        for (k = 0; k < 3; k++) {
            for (n = 0; n < width[k]; n++)
                putc('=', out);
            fputs(k < 2 ? " | " : "\n", out);
        }
    }
}

/* A size as pympler's pp() prints it, without the leading padding. */
static const char *trimmed(double bytes, char *buf, size_t cap)
{
    fp_format_size(bytes, buf, cap);
    while (*buf == ' ')
        buf++;
    return buf;
}

/* The rows: header, the `top` largest types, then what the others hold
 * (types the host did not keep and those past top) when anything. */
static int census_rows(const fp_tracker *t, size_t snap, size_t top,
                       table *tab)
{
    size_t n = fp_tracker_census_count(t, snap), i, r;
    uint64_t count = 0, flat = 0;

    fp_tracker_census_totals(t, snap, &count, &flat);
    if (table_add_row(tab) == (size_t)-1)
        return -1;
    table_set(tab, 0, 0, "types");
    table_set(tab, 0, 1, "# objects");
    table_set(tab, 0, 2, "total size");
    for (i = 0; i < n && i < top; i++) {
        fp_census_entry e;
        fp_tracker_census_entry(t, snap, i, &e);
        if ((r = table_add_row(tab)) == (size_t)-1)
            return -1;
        table_name(tab, r, 0, e.name);
        table_set(tab, r, 1, "%llu", (unsigned long long)e.count);
        table_size(tab, r, 2, (double)e.flat);
        count -= e.count; /* the tracker keeps sums within the totals */
        flat -= e.flat;
    }
    if (count || flat) {
        if ((r = table_add_row(tab)) == (size_t)-1)
            return -1;
        table_set(tab, r, 0, "(other types)");
        table_set(tab, r, 1, "%llu", (unsigned long long)count);
        table_size(tab, r, 2, (double)flat);
    }
    return 0;
}

int cli_print_census(FILE *out, const fp_tracker *t, size_t snap, size_t top,
                     const char *indent)
{
    uint64_t count = 0, flat = 0;
    char buf[64];
    table tab;
    int rc = 0;

    if (!top || !fp_tracker_census_taken(t, snap))
        return 0;
    fp_tracker_census_totals(t, snap, &count, &flat);
    fprintf(out, "%sheap by type: %llu objects, %s\n", indent,
            (unsigned long long)count, trimmed((double)flat, buf, sizeof buf));
    table_init(&tab, 3);
    if (census_rows(t, snap, top, &tab) == 0)
        print_pympler(out, &tab, indent);
    else
        rc = -1;
    table_free(&tab);
    return rc;
}

/* ---- the types that grew ---- */

/* A type the old census did not keep although it kept only its largest:
 * its old figures and so its growth are unknown. */
static void unknown_old_cells(table *tab, size_t r, const fp_type_delta *x)
{
    table_set(tab, r, 1, "-");
    table_set(tab, r, 2, "%llu", (unsigned long long)x->count[1]);
    table_set(tab, r, 3, "?");
    table_set(tab, r, 4, "?");
    table_set(tab, r, 5, "-");
    table_size(tab, r, 6, (double)x->flat[1]);
    table_set(tab, r, 7, "?");
    table_set(tab, r, 8, "?");
}

static int grown_rows(const fp_diff *d, size_t top, table *tab, int *unknown)
{
    static const char *const head[9] = {"type", "old", "new", "delta", "%",
                                        "old",  "new", "delta", "%"};
    size_t m = fp_diff_grown_count(d), i, k, r;

    if (table_add_row(tab) == (size_t)-1)
        return -1;
    for (k = 0; k < 9; k++)
        table_set(tab, 0, k, "%s", head[k]);
    for (i = 0; i < m && i < top; i++) {
        const fp_type_delta *x = fp_diff_grown(d, i);
        if ((r = table_add_row(tab)) == (size_t)-1)
            break;
        table_name(tab, r, 0, x->name);
        if (!x->known[0]) {
            unknown_old_cells(tab, r, x);
            *unknown = 1;
            continue;
        }
        table_count_change(tab, r, 1, x->count);
        table_size_change(tab, r, 5, (double)x->flat[0], (double)x->flat[1]);
    }
    return i < m && i < top ? -1 : 0;
}

/* "heap by type: 4500 -> 4407 objects, 292.97 KB -> 283.89 KB" */
static void totals_line(FILE *out, const fp_tracker *const t[2],
                        const size_t snap[2])
{
    uint64_t count[2], flat[2];
    char a[64], b[64];
    int k;

    for (k = 0; k < 2; k++)
        fp_tracker_census_totals(t[k], snap[k], &count[k], &flat[k]);
    fprintf(out, "heap by type: %llu -> %llu objects, ",
            (unsigned long long)count[0], (unsigned long long)count[1]);
    fprintf(out, "%s -> %s\n", trimmed((double)flat[0], a, sizeof a),
            trimmed((double)flat[1], b, sizeof b));
}

int cli_print_grown(FILE *out, const fp_diff *d, const fp_tracker *const t[2],
                    const char *const path[2], size_t top)
{
    static const size_t group[9] = {0, 1, 1, 1, 1, 2, 2, 2, 2};
    static const char *const titles[3] = {"", "objects", "total size"};
    size_t snap[2] = {fp_diff_snapshot(d, 0), fp_diff_snapshot(d, 1)};
    int has[2], k, rc, unknown = 0;
    table tab;

    for (k = 0; k < 2; k++)
        has[k] = fp_tracker_census_taken(t[k], snap[k]);
    if (!top || (!has[0] && !has[1]))
        return 0;
    fputs("\n---- TYPES THAT GREW ", out);
    fputs("----------------------------------------------------------\n",
          out);
    for (k = 0; k < 2; k++)
        if (!has[k]) {
            fprintf(out, "no census in %s\n", path[k]);
            return 0;
        }
    totals_line(out, t, snap);
    table_init(&tab, 9);
    rc = grown_rows(d, top, &tab, &unknown);
    if (rc == 0 && tab.nrows == 1)
        fputs("no type grew\n", out);
    else if (rc == 0) {
        putc('\n', out);
        table_print(&tab, out, group, titles, 0);
    }
    if (rc == 0 && unknown)
        fprintf(out, "-: not among the %zu largest types the old census "
                     "kept\n", fp_tracker_census_count(t[0], snap[0]));
    table_free(&tab);
    return rc;
}
