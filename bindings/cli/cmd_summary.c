/*
 * cmd_summary.c - `footprint summary DUMP`: pympler's print_summary table,
 * one block per snapshot.
 */
#include "cli.h"

static int run(int argc, char **argv)
{
    const char *path = NULL;
    fp_tracker *t = NULL;
    fp_text *text = NULL;
    fp_status st;
    int i, rc;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(&cli_summary);
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(&cli_summary, "unknown option '%s'",
                                   argv[i]);
        if (path)
            return cli_usage_error(&cli_summary, "one DUMP, not two");
        path = argv[i];
    }
    if (!path)
        return cli_usage_error(&cli_summary, "no DUMP given");
    if ((rc = cli_load(path, &t)) != CLI_OK)
        return rc;
    st = fp_text_new(&text, NULL);
    if (st == FP_OK)
        st = fp_tracker_print_summary(t, text);
    fp_tracker_free(t);
    if (st != FP_OK) {
        fp_text_free(text);
        return cli_fail("summary", st);
    }
    return cli_emit(text);
}

const cli_command cli_summary = {
    "summary", "per snapshot, the tracked classes' counts and sizes",
    "usage: footprint summary DUMP\n"
    "\n"
    "For each snapshot in DUMP, one row per tracked class: active instances,\n"
    "their total size, average size and share of the process's memory\n"
    "(pympler's ConsoleStats.print_summary layout).\n",
    run};
