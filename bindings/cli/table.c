/*
 * table.c - the grouped table of table.h.
 */
#include "table.h"

#include "footprint.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void table_init(table *t, size_t ncols)
{
    t->ncols = ncols;
    t->nrows = t->cap = 0;
    t->cells = NULL;
}

void table_free(table *t)
{
    free(t->cells);
    table_init(t, t->ncols);
}

size_t table_add_row(table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        void *p = realloc(t->cells, cap * t->ncols * TABLE_CELL);
        if (!p)
            return (size_t)-1;
        t->cells = p;
        t->cap = cap;
    }
    memset(t->cells[t->nrows * t->ncols], 0, t->ncols * TABLE_CELL);
    return t->nrows++;
}

void table_set(table *t, size_t row, size_t col, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(t->cells[row * t->ncols + col], TABLE_CELL, fmt, ap);
    va_end(ap);
}

/* ---- cells ---- */

void table_size(table *t, size_t r, size_t c, double bytes)
{
    char buf[TABLE_CELL];

    fp_format_size(bytes, buf, sizeof buf);
    table_set(t, r, c, "%s", buf);
}

/* "+1.08 KB", "-48     B", "0     B": the size's own spacing, signed. */
void table_delta(table *t, size_t r, size_t c, double d)
{
    char buf[TABLE_CELL];
    const char *p = buf;

    fp_format_size(d < 0 ? -d : d, buf, sizeof buf);
    while (*p == ' ')
        p++;
    table_set(t, r, c, "%s%s", d > 0 ? "+" : d < 0 ? "-" : "", p);
}

void table_pct(table *t, size_t r, size_t c, double old, double new)
{
    if (old == 0)
        table_set(t, r, c, "%s", new == 0 ? "0.0%" : "new");
    else
        table_set(t, r, c, "%+.1f%%", (new - old) * 100.0 / old);
}

/* Cut shorter than 50 characters where wide characters would overflow a
 * cell (never inside a character: the core's UTF-8 reading). */
void table_name(table *t, size_t r, size_t c, const char *name)
{
    char buf[TABLE_CELL];
    size_t i, n = strlen(name), cut = n;
    int dots = fp_utf8_count(name, n) > 50;

    if (dots)
        cut = fp_utf8_skip(name, n, 47);
    while (cut > TABLE_CELL - 4) {
        cut = fp_utf8_skip(name, cut, fp_utf8_count(name, cut) - 1);
        dots = 1;
    }
    for (i = 0; i < cut; i++)
        buf[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7f ? '?'
                                                                  : name[i];
    memcpy(buf + cut, dots ? "..." : "", dots ? 4 : 1);
    table_set(t, r, c, "%s", buf);
}

/* ---- printing ---- */

/* Columns count characters, not bytes (the core's UTF-8 reading, as
 * the console tables count). */
static size_t text_width(const char *s)
{
    return fp_utf8_count(s, strlen(s));
}

static void pad(FILE *out, int c, size_t n)
{
    while (n--)
        putc(c, out);
}

/* One line of '=' or '-' under each column, shaped like the rows. */
static void rule(FILE *out, int c, const size_t *width, const size_t *group,
                 size_t ncols)
{
    size_t k;

    for (k = 0; k < ncols; k++) {
        if (k)
            fputs(group[k] != group[k - 1] ? " | " : " ", out);
        pad(out, c, width[k]);
    }
    putc('\n', out);
}

/* Width of the group starting at column start; *end is the column after
 * it. */
static size_t group_span(const table *t, const size_t *width,
                         const size_t *group, size_t start, size_t *end)
{
    size_t k = start, span = 0;

    for (; k < t->ncols && group[k] == group[start]; k++)
        span += width[k] + (k > start);
    *end = k;
    return span;
}

void table_print(const table *t, FILE *out, const size_t *group,
                 const char *const *titles, int total_rule)
{
    size_t *width = calloc(t->ncols ? t->ncols : 1, sizeof *width);
    size_t r, k, start, end, span;

    if (!width)
        return;
    for (r = 0; r < t->nrows; r++)
        for (k = 0; k < t->ncols; k++) {
            size_t n = text_width(t->cells[r * t->ncols + k]);
            if (n > width[k])
                width[k] = n;
        }
    /* a group is at least as wide as its title; the extra goes to its
     * first column */
    for (start = 0; start < t->ncols; start = end) {
        size_t tl = strlen(titles[group[start]]);
        span = group_span(t, width, group, start, &end);
        if (tl > span)
            width[start] += tl - span;
    }
    for (start = 0; start < t->ncols; start = end) {
        size_t tl = strlen(titles[group[start]]);
        span = group_span(t, width, group, start, &end);
        if (start)
            fputs(" | ", out);
        pad(out, ' ', (span - tl) / 2);
        fputs(titles[group[start]], out);
        if (end < t->ncols)
            pad(out, ' ', span - tl - (span - tl) / 2);
    }
    putc('\n', out);
    for (r = 0; r < t->nrows; r++) {
        if (r == 1)
            rule(out, '=', width, group, t->ncols);
        if (total_rule && r > 1 && r == t->nrows - 1)
            rule(out, '-', width, group, t->ncols);
        for (k = 0; k < t->ncols; k++) {
            const char *c = t->cells[r * t->ncols + k];
            if (k)
                fputs(group[k] != group[k - 1] ? " | " : " ", out);
            if (k == 0) {
                fputs(c, out);
                pad(out, ' ', width[k] - text_width(c));
            } else {
                pad(out, ' ', width[k] - text_width(c));
                fputs(c, out);
            }
        }
        putc('\n', out);
    }
    free(width);
}

void table_count_change(table *t, size_t r, size_t c, const uint64_t v[2])
{
    table_set(t, r, c, "%llu", (unsigned long long)v[0]);
    table_set(t, r, c + 1, "%llu", (unsigned long long)v[1]);
    if (v[1] >= v[0])
        table_set(t, r, c + 2, "%s%llu", v[1] > v[0] ? "+" : "",
                  (unsigned long long)(v[1] - v[0]));
    else
        table_set(t, r, c + 2, "-%llu", (unsigned long long)(v[0] - v[1]));
    table_pct(t, r, c + 3, (double)v[0], (double)v[1]);
}

void table_size_change(table *t, size_t r, size_t c, double old, double new)
{
    table_size(t, r, c, old);
    table_size(t, r, c + 1, new);
    table_delta(t, r, c + 2, new - old);
    table_pct(t, r, c + 3, old, new);
}
