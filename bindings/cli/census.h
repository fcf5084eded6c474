/*
 * census.h - a snapshot's heap by type as the commands print it.
 */
#ifndef FP_CLI_CENSUS_H
#define FP_CLI_CENSUS_H

#include "cli.h"

/* Types shown by default: pympler's summary.print_ shows 15, a console
 * table under each snapshot reads better shorter. */
#define CLI_TYPES_DEFAULT 10

/* --types N: CLI_OK with *out set, or a usage error. */
int cli_types_option(const cli_command *cmd, const char *v, size_t *out);
/* snap's census, each line after indent: a line of totals, then
 * pympler's summary table of the `top` largest types and a row for the
 * rest.  Nothing when top is 0 or snap has no census; -1 out of memory. */
int cli_print_census(FILE *out, const fp_tracker *t, size_t snap, size_t top,
                     const char *indent);
/* The types whose size (or, at equal size, count) grew between the two
 * snapshots d compares, at most top of them, largest growth first, under
 * a rule of their own.  Nothing when neither snapshot has a census; a line
 * saying which has none when one lacks it.  -1 out of memory. */
int cli_print_grown(FILE *out, const fp_diff *d, const fp_tracker *const t[2],
                    const char *const path[2], size_t top);

#endif /* FP_CLI_CENSUS_H */
