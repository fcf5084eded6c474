/*
 * table.h - pympler's summary table (right-justified columns, " | "
 * between column groups, a rule of '=' under the header), with a title
 * above each group and an optional rule before the last row (a total).
 */
#ifndef FP_CLI_TABLE_H
#define FP_CLI_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TABLE_CELL 64

typedef struct table {
    size_t ncols, nrows, cap;
    char (*cells)[TABLE_CELL];   /* nrows * ncols, row-major */
} table;

void table_init(table *t, size_t ncols);
void table_free(table *t);
/* Adds an empty row; its index, or (size_t)-1 when out of memory. */
size_t table_add_row(table *t);
/* printf into a cell (cut to TABLE_CELL - 1 bytes). */
void table_set(table *t, size_t row, size_t col, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* The cells the diff tables share: a size as pympler prints it, a signed
 * change of one ("+1.08 KB", "-48     B", "0     B"), the change of old
 * to new in percent ("+12.5%", "new" when old is 0), and a name on one
 * line (control characters as '?', cut to 50 characters with "..." as
 * pympler's trunc() does, never inside a character). */
void table_size(table *t, size_t r, size_t c, double bytes);
void table_delta(table *t, size_t r, size_t c, double d);
void table_pct(table *t, size_t r, size_t c, double old, double new);
void table_name(table *t, size_t r, size_t c, const char *name);
/* Four cells from column c, old to new: both, the change, the change in
 * percent; of a count ("+12") or of a size in bytes ("+1.08 KB"). */
void table_count_change(table *t, size_t r, size_t c, const uint64_t v[2]);
void table_size_change(table *t, size_t r, size_t c, double old, double new);

/* Row 0 is the header.  group[c] numbers the group of column c
 * (non-decreasing); titles[g] is printed centred over group g.  Column 0
 * is left-justified, the rest right-justified.  total_rule: draw a rule of
 * '-' before the last row. */
void table_print(const table *t, FILE *out, const size_t *group,
                 const char *const *titles, int total_rule);

#endif /* FP_CLI_TABLE_H */
