/*
 * cli.h - what the footprint command's files share.  The command is built
 * on the public headers only: footprint.h (the core) and, for `html`,
 * fp_report.h (the report); never a header of core/ or report/ insides,
 * nor of another binding (tests/layers/check.py).
 *
 * Exit status: 0 success, 1 a file could not be read (or output could not
 * be written), 2 the command line was wrong.  Messages go to stderr as
 * "footprint: ...", with the loader's own message for a bad dump.
 */
#ifndef FP_CLI_H
#define FP_CLI_H

#include "footprint.h"

#include <stdio.h>

enum { CLI_OK = 0, CLI_EFILE = 1, CLI_EUSAGE = 2 };

typedef struct cli_command {
    const char *name;
    const char *summary;   /* one line for `footprint --help` */
    const char *usage;     /* the text of `footprint NAME --help` */
    int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

extern const cli_command cli_summary, cli_stats, cli_diff, cli_export,
    cli_html;

/* "footprint NAME: message" and a hint, on stderr; returns CLI_EUSAGE. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int cli_is_help(const char *arg);
/* The usage text on stdout; returns CLI_OK. */
int cli_help(const cli_command *cmd);

/* argv[*i] is --name or --name=VALUE: 1 with *value set (the next
 * argument is taken and *i advanced for the first form), -1 when no value
 * follows, 0 when argv[*i] is another argument. */
int cli_option(int argc, char **argv, int *i, const char *name,
               const char **value);

/* Load a dump into a new tracker (*out, the caller's to free); on failure
 * print the loader's message, leave *out NULL and return CLI_EFILE. */
int cli_load(const char *path, fp_tracker **out);
/* Write a text buffer to stdout and free it. */
int cli_emit(fp_text *text);
/* Flush stdout; a failed write (a full disk, a closed pipe) is CLI_EFILE. */
int cli_finish(int status);
/* "out of memory" or the status text, on stderr; returns CLI_EFILE. */
int cli_fail(const char *what, fp_status st);

#endif /* FP_CLI_H */
