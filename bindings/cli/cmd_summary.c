/*
 * cmd_summary.c - `footprint summary DUMP`: pympler's print_summary table,
 * one block per snapshot, each followed by the largest types of the
 * snapshot's census when it has one.
 */
#include "census.h"

#include <string.h>

/* Writes the next n lines of [p, end) to stdout; returns where it
 * stopped. */
static const char *put_lines(const char *p, const char *end, size_t n)
{
    const char *q = p;

    while (n-- && q < end) {
        const char *nl = memchr(q, '\n', (size_t)(end - q));
        q = nl ? nl + 1 : end;
    }
    fwrite(p, 1, (size_t)(q - p), stdout);
    return q;
}

static size_t count_lines(const char *p, const char *end)
{
    size_t n = 0;

    for (; p < end && (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    return n;
}

/* The core prints the summary whole: a title line, per snapshot a header
 * and a line per class (it shows a newline in a name or description as
 * '|', so these are lines of the text), then a rule.  Each snapshot's
 * census goes after its lines; a text of any other shape is printed as it
 * is, the censuses after it. */
static int emit(const fp_tracker *t, const fp_text *text, size_t top)
{
    const char *p = fp_text_data(text), *end = p + fp_text_len(text);
    size_t nsnap = fp_tracker_snapshot_count(t), s;
    size_t per = 1 + fp_tracker_class_count(t);
    int fits = count_lines(p, end) == 2 + nsnap * per, rc = 0;

    p = put_lines(p, end, fits ? 1 : (size_t)-1);
    for (s = 0; s < nsnap; s++) {
        if (fits)
            p = put_lines(p, end, per);
        rc |= cli_print_census(stdout, t, s, top, "  ");
    }
    put_lines(p, end, (size_t)-1);
    return rc ? cli_fail("summary", FP_ENOMEM) : CLI_OK;
}

static int parse(int argc, char **argv, const char **path, size_t *top)
{
    const char *v;
    int i, r;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(&cli_summary) == CLI_OK ? -1 : CLI_EFILE;
        if ((r = cli_option(argc, argv, &i, "types", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_summary, "--types needs N");
            if ((r = cli_types_option(&cli_summary, v, top)) != CLI_OK)
                return r;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(&cli_summary, "unknown option '%s'",
                                   argv[i]);
        } else if (*path) {
            return cli_usage_error(&cli_summary, "one DUMP, not two");
        } else {
            *path = argv[i];
        }
    }
    if (!*path)
        return cli_usage_error(&cli_summary, "no DUMP given");
    return CLI_OK;
}

static int run(int argc, char **argv)
{
    const char *path = NULL;
    size_t top = CLI_TYPES_DEFAULT;
    fp_tracker *t = NULL;
    fp_text *text = NULL;
    fp_status st;
    int rc = parse(argc, argv, &path, &top);

    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    if ((rc = cli_load(path, &t)) != CLI_OK)
        return rc;
    st = fp_text_new(&text, NULL);
    if (st == FP_OK)
        st = fp_tracker_print_summary(t, text);
    if (st == FP_OK)
        rc = emit(t, text, top);
    else
        rc = cli_fail("summary", st);
    fp_text_free(text);
    fp_tracker_free(t);
    return rc;
}

const cli_command cli_summary = {
    "summary", "per snapshot, the tracked classes' counts and sizes",
    "usage: footprint summary DUMP [--types N]\n"
    "\n"
    "For each snapshot in DUMP, one row per tracked class: active instances,\n"
    "their total size, average size and share of the process's memory\n"
    "(pympler's ConsoleStats.print_summary layout).  When the snapshot has a\n"
    "census (the heap by type), its largest types follow in pympler's\n"
    "summary.print_ layout (types | # objects | total size), with a row for\n"
    "the other types.\n"
    "\n"
    "  --types N   types shown per census (default 10; 0: none)\n",
    run};
