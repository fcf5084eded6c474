/*
 * cmd_html.c - `footprint html DUMP -o report.html`: the HTML report of a
 * dump (fp_report_html), or with two dumps the diff page between them
 * (fp_report_diff_html).  The page itself is built by the report library
 * (report/), so every host draws the same one; the core writes the file
 * (fp_text_write).
 */
#include "cli.h"

#include "fp_report.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: footprint html DUMP [OPTIONS]\n"
    "       footprint html OLD NEW [OPTIONS]\n"
    "\n"
    "One self-contained HTML page (inline CSS and SVG charts, no external\n"
    "URL): memory over time by class, the heap by type when the dump holds\n"
    "a census, every snapshot's class table, and per class its live\n"
    "instances over time, coalesced referents and largest instances.  With\n"
    "two dumps, the page of what changed from OLD to NEW.\n"
    "\n"
    "options:\n"
    "  -o, --output FILE   write the page to FILE (atomically); default\n"
    "                      standard output\n"
    "  --title TEXT        the page's title\n"
    "  --classes N         classes drawn in colours of their own (8)\n"
    "  --instances N       largest instances listed per class (10)\n"
    "  --sections N        classes given a section of their own (100)\n"
    "  --snapshots N       snapshots given a section, spread evenly (40)\n"
    "  --before I          diff: snapshot index in OLD (default: the last)\n"
    "  --after I           diff: snapshot index in NEW (default: the last)\n"
    "  --no-script         leave out the small script that sorts tables\n"
    "  -h, --help          this text\n";

static int count_arg(const char *value, size_t *out)
{
    char *end;
    unsigned long long v;

    if (!value || !*value || *value == '-')
        return -1;
    v = strtoull(value, &end, 10);
    if (*end)
        return -1;
    *out = (size_t)v;
    return 0;
}

typedef struct html_args {
    const char *paths[2], *output;
    int npaths;
    fp_report_opts o;
} html_args;

/* --classes N and the other whole-number options: 1 taken, 0 not this
 * kind of option, -1 a usage error already printed. */
static int count_option(int argc, char **argv, int *i, fp_report_opts *o)
{
    static const struct {
        const char *name;
        size_t offset;
    } counts[] = {
        {"classes", offsetof(fp_report_opts, top_classes)},
        {"instances", offsetof(fp_report_opts, top_instances)},
        {"sections", offsetof(fp_report_opts, max_classes)},
        {"snapshots", offsetof(fp_report_opts, max_snapshots)},
        {"before", offsetof(fp_report_opts, diff_before)},
        {"after", offsetof(fp_report_opts, diff_after)},
    };
    const char *value = NULL;
    size_t k;
    int r = 0;

    for (k = 0; k < sizeof counts / sizeof *counts; k++)
        if ((r = cli_option(argc, argv, i, counts[k].name, &value)) != 0)
            break;
    if (!r)
        return 0;
    if (r < 0 || count_arg(value, (size_t *)((char *)o + counts[k].offset))) {
        cli_usage_error(&cli_html, "--%s needs a whole number",
                        counts[k].name);
        return -1;
    }
    return 1;
}

/* One argument at argv[*i]: CLI_OK, or the status to exit with. */
static int parse_one(int argc, char **argv, int *i, html_args *a)
{
    const char *value;
    int r;

    if (strcmp(argv[*i], "-o") == 0) {
        if (*i + 1 >= argc)
            return cli_usage_error(&cli_html, "-o needs a file name");
        a->output = argv[++*i];
    } else if ((r = cli_option(argc, argv, i, "output", &value)) != 0) {
        if (r < 0)
            return cli_usage_error(&cli_html, "--output needs a file");
        a->output = value;
    } else if ((r = cli_option(argc, argv, i, "title", &value)) != 0) {
        if (r < 0)
            return cli_usage_error(&cli_html, "--title needs a text");
        a->o.title = value;
    } else if (strcmp(argv[*i], "--no-script") == 0) {
        a->o.script = 0;
    } else if ((r = count_option(argc, argv, i, &a->o)) != 0) {
        return r < 0 ? CLI_EUSAGE : CLI_OK;
    } else if (argv[*i][0] == '-' && argv[*i][1]) {
        return cli_usage_error(&cli_html, "unknown option '%s'", argv[*i]);
    } else if (a->npaths == 2) {
        return cli_usage_error(&cli_html, "at most two dumps");
    } else {
        a->paths[a->npaths++] = argv[*i];
    }
    return CLI_OK;
}

/* A snapshot asked for with --before / --after must exist. */
static int check_snapshot(const char *path, const fp_tracker *t, size_t snap)
{
    if (snap == FP_REPORT_LAST || snap < fp_tracker_snapshot_count(t))
        return CLI_OK;
    fprintf(stderr, "footprint: %s: no snapshot %zu\n", path, snap);
    return CLI_EFILE;
}

/* The page, to the output file (atomically) or to stdout. */
static int emit_page(fp_tracker *const *t, const html_args *a)
{
    fp_text *text = NULL;
    fp_status st = fp_text_new(&text, NULL);
    int rc = CLI_OK;

    if (st == FP_OK)
        st = a->npaths == 2 ? fp_report_diff_html(t[0], t[1], &a->o, text)
                            : fp_report_html(t[0], &a->o, text);
    if (st != FP_OK) {
        rc = cli_fail("html", st);
    } else if (!a->output) {
        return cli_emit(text);
    } else if ((st = fp_text_write(text, a->output)) != FP_OK) {
        const char *msg = fp_text_errmsg(text);
        fprintf(stderr, "footprint: %s\n", *msg ? msg : fp_strerror(st));
        rc = CLI_EFILE;
    }
    fp_text_free(text);
    return rc;
}

static int run(int argc, char **argv)
{
    fp_tracker *t[2] = {NULL, NULL};
    html_args a;
    int i, rc = CLI_OK;

    memset(&a, 0, sizeof a);
    fp_report_opts_init(&a.o);
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(&cli_html);
        if ((rc = parse_one(argc, argv, &i, &a)) != CLI_OK)
            return rc;
    }
    if (!a.npaths)
        return cli_usage_error(&cli_html, "no dump given");
    for (i = 0; i < a.npaths && rc == CLI_OK; i++)
        rc = cli_load(a.paths[i], &t[i]);
    if (rc == CLI_OK && a.npaths == 2) {
        rc = check_snapshot(a.paths[0], t[0], a.o.diff_before);
        if (check_snapshot(a.paths[1], t[1], a.o.diff_after) != CLI_OK)
            rc = CLI_EFILE;
    }
    if (rc == CLI_OK)
        rc = emit_page(t, &a);
    fp_tracker_free(t[0]);
    fp_tracker_free(t[1]);
    return rc;
}

const cli_command cli_html = {"html", "an HTML report of a dump, or a diff "
                                      "page of two",
                              usage, run};
