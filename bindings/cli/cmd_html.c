/*
 * cmd_html.c - `footprint html DUMP -o report.html`: the HTML report of a
 * dump (fp_report_html), or with two dumps the diff page between them
 * (fp_report_diff_html).  The page itself is built by core/report*.c, so
 * every host draws the same one.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: footprint html DUMP [OPTIONS]\n"
    "       footprint html OLD NEW [OPTIONS]\n"
    "\n"
    "One self-contained HTML page (inline CSS and SVG charts, no external\n"
    "URL): memory over time by class, every snapshot's class table, and per\n"
    "class its live instances over time, coalesced referents and largest\n"
    "instances.  With two dumps, the page of what changed from OLD to NEW.\n"
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

static int run(int argc, char **argv)
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
    const char *paths[2], *output = NULL, *value;
    fp_tracker *t[2] = {NULL, NULL};
    fp_report_opts o;
    fp_text *text = NULL;
    fp_status st;
    char msg[FP_ERRMSG_SIZE];
    int i, npaths = 0, rc = CLI_OK, r;
    size_t k;

    fp_report_opts_init(&o);
    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(&cli_html);
        if (strcmp(argv[i], "-o") == 0) {
            if (i + 1 >= argc)
                return cli_usage_error(&cli_html, "-o needs a file name");
            output = argv[++i];
            continue;
        }
        if ((r = cli_option(argc, argv, &i, "output", &value)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_html, "--output needs a file");
            output = value;
            continue;
        }
        if ((r = cli_option(argc, argv, &i, "title", &value)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_html, "--title needs a text");
            o.title = value;
            continue;
        }
        if (strcmp(argv[i], "--no-script") == 0) {
            o.script = 0;
            continue;
        }
        for (k = 0; k < sizeof counts / sizeof *counts; k++)
            if ((r = cli_option(argc, argv, &i, counts[k].name, &value)) !=
                0)
                break;
        if (k < sizeof counts / sizeof *counts) {
            if (r < 0 ||
                count_arg(value, (size_t *)((char *)&o + counts[k].offset)))
                return cli_usage_error(&cli_html,
                                       "--%s needs a whole number",
                                       counts[k].name);
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(&cli_html, "unknown option '%s'",
                                   argv[i]);
        if (npaths == 2)
            return cli_usage_error(&cli_html, "at most two dumps");
        paths[npaths++] = argv[i];
    }
    if (!npaths)
        return cli_usage_error(&cli_html, "no dump given");
    for (i = 0; i < npaths && rc == CLI_OK; i++)
        rc = cli_load(paths[i], &t[i]);
    if (rc == CLI_OK && npaths == 2) {
        if (o.diff_before != FP_REPORT_LAST &&
            o.diff_before >= fp_tracker_snapshot_count(t[0])) {
            fprintf(stderr, "footprint: %s: no snapshot %zu\n", paths[0],
                    o.diff_before);
            rc = CLI_EFILE;
        }
        if (o.diff_after != FP_REPORT_LAST &&
            o.diff_after >= fp_tracker_snapshot_count(t[1])) {
            fprintf(stderr, "footprint: %s: no snapshot %zu\n", paths[1],
                    o.diff_after);
            rc = CLI_EFILE;
        }
    }
    if (rc == CLI_OK) {
        st = fp_text_new(&text, NULL);
        if (st == FP_OK)
            st = npaths == 2 ? fp_report_diff_html(t[0], t[1], &o, text)
                             : fp_report_html(t[0], &o, text);
        if (st != FP_OK) {
            rc = cli_fail("html", st);
            fp_text_free(text);
        } else if (output) {
            st = fp_report_write(text, output, msg);
            if (st != FP_OK) {
                fprintf(stderr, "footprint: %s\n",
                        msg[0] ? msg : fp_strerror(st));
                rc = CLI_EFILE;
            }
            fp_text_free(text);
        } else {
            rc = cli_emit(text);
        }
    }
    fp_tracker_free(t[0]);
    fp_tracker_free(t[1]);
    return rc;
}

const cli_command cli_html = {"html", "an HTML report of a dump, or a diff "
                                      "page of two",
                              usage, run};
