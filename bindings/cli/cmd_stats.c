/*
 * cmd_stats.c - `footprint stats DUMP`: pympler's print_stats, one report
 * per tracked object in a chosen order.
 */
#include "census.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_KEYS 16

typedef struct stats_args {
    const char *path, *clsname;
    char *keys[MAX_KEYS];
    size_t nkeys;
    double limit;
    int reverse;
    size_t types;     /* census types per snapshot, after the reports */
} stats_args;

/* "--sort size,birth" and "--sort size --sort birth" both add keys. */
static int add_keys(stats_args *a, const char *list)
{
    const char *p = list;

    for (;;) {
        size_t n = strcspn(p, ",");
        if (n) {
            if (a->nkeys == MAX_KEYS)
                return cli_usage_error(&cli_stats, "at most %d sort keys",
                                       MAX_KEYS);
            a->keys[a->nkeys] = malloc(n + 1);
            if (!a->keys[a->nkeys])
                return cli_fail("stats", FP_ENOMEM);
            memcpy(a->keys[a->nkeys], p, n);
            a->keys[a->nkeys++][n] = '\0';
        }
        if (!p[n])
            return CLI_OK;
        p += n + 1;
    }
}

static int parse_limit(const char *s, double *out)
{
    char *end;
    double v = strtod(s, &end);

    if (!*s || *end || !(v >= 0 && v <= 1e18))
        return cli_usage_error(&cli_stats, "--limit wants a number >= 0, "
                                           "not '%s'", s);
    *out = v;
    return CLI_OK;
}

static int parse(int argc, char **argv, stats_args *a)
{
    const char *v;
    int i, r, rc;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return -1;
        if ((r = cli_option(argc, argv, &i, "sort", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_stats, "--sort needs a KEY");
            if ((rc = add_keys(a, v)) != CLI_OK)
                return rc;
        } else if ((r = cli_option(argc, argv, &i, "limit", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_stats, "--limit needs N");
            if ((rc = parse_limit(v, &a->limit)) != CLI_OK)
                return rc;
        } else if ((r = cli_option(argc, argv, &i, "class", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_stats, "--class needs SUBSTR");
            a->clsname = v;
        } else if ((r = cli_option(argc, argv, &i, "types", &v)) != 0) {
            if (r < 0)
                return cli_usage_error(&cli_stats, "--types needs N");
            if ((rc = cli_types_option(&cli_stats, v, &a->types)) != CLI_OK)
                return rc;
        } else if (strcmp(argv[i], "--reverse") == 0) {
            a->reverse = 1;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return cli_usage_error(&cli_stats, "unknown option '%s'",
                                   argv[i]);
        } else if (a->path) {
            return cli_usage_error(&cli_stats, "one DUMP, not two");
        } else {
            a->path = argv[i];
        }
    }
    if (!a->path)
        return cli_usage_error(&cli_stats, "no DUMP given");
    return CLI_OK;
}

/* The keys are checked on an empty tracker before the dump is read: a
 * typo is a usage error whatever the file holds. */
static int check_keys(const stats_args *a)
{
    fp_tracker *t = NULL;
    fp_status st = fp_tracker_new(&t, NULL, NULL);
    int rc = CLI_OK;

    if (st == FP_OK)
        st = fp_tracker_sort(t, (const char *const *)a->keys, a->nkeys);
    if (st == FP_EINVAL)
        rc = cli_usage_error(&cli_stats, "%s", fp_tracker_errmsg(t));
    else if (st != FP_OK)
        rc = cli_fail("stats", st);
    fp_tracker_free(t);
    return rc;
}

/* With --types: each snapshot's census after the object reports, under
 * the snapshot's time and description (the reports show times too). */
static int censuses(const fp_tracker *t, size_t top)
{
    size_t s, n = fp_tracker_snapshot_count(t);
    int header = 0, rc = 0;

    for (s = 0; s < n && top; s++) {
        fp_snapshot_info si;
        char when[64];
        const char *d;
        if (!fp_tracker_census_taken(t, s))
            continue;
        if (!header++)
            printf("---- HEAP BY TYPE %.61s\n",
                   "-------------------------------------------------------"
                   "------");
        fp_tracker_snapshot_info(t, s, &si);
        fp_format_time(si.timestamp, when, sizeof when);
        printf("%s ", when);
        for (d = si.desc; *d; d++) /* the host's text: no control bytes */
            putchar((unsigned char)*d < 0x20 || *d == 0x7f ? '?' : *d);
        putchar('\n');
        rc |= cli_print_census(stdout, t, s, top, "  ");
    }
    return rc ? cli_fail("stats", FP_ENOMEM) : CLI_OK;
}

static int report(const stats_args *a)
{
    fp_tracker *t = NULL;
    fp_text *text = NULL;
    fp_status st;
    int rc;

    if ((rc = check_keys(a)) != CLI_OK || (rc = cli_load(a->path, &t)) !=
                                              CLI_OK)
        return rc;
    st = fp_tracker_sort(t, (const char *const *)a->keys, a->nkeys);
    if (st == FP_OK && a->reverse)
        st = fp_tracker_reverse(t);
    if (st == FP_OK)
        st = fp_text_new(&text, NULL);
    if (st == FP_OK)
        st = fp_tracker_print_stats(t, a->clsname, a->limit, text);
    if (st != FP_OK) {
        fp_tracker_free(t);
        fp_text_free(text);
        return cli_fail("stats", st);
    }
    rc = cli_emit(text);
    if (rc == CLI_OK)
        rc = censuses(t, a->types);
    fp_tracker_free(t);
    return rc;
}

static int run(int argc, char **argv)
{
    stats_args a;
    size_t k;
    int rc;

    memset(&a, 0, sizeof a);
    a.limit = (double)SIZE_MAX; /* every object */
    rc = parse(argc, argv, &a);
    if (rc < 0)
        rc = cli_help(&cli_stats);
    else if (rc == CLI_OK)
        rc = report(&a);
    for (k = 0; k < a.nkeys; k++)
        free(a.keys[k]);
    return rc;
}

const cli_command cli_stats = {
    "stats", "every tracked object: sizes per snapshot, detail, lifetime",
    "usage: footprint stats DUMP [--sort KEY[,KEY...]]... [--reverse]\n"
    "                            [--limit N] [--class SUBSTR] [--types N]\n"
    "\n"
    "One report per tracked object (pympler's ConsoleStats.print_stats):\n"
    "class, address or ( free ), repr, instantiation trace, size in each\n"
    "snapshot, per-referent detail when recorded, and death time.\n"
    "\n"
    "  --sort KEY     order by these keys, in turn: classname, name, birth,\n"
    "                 death, size (largest measured), tsize (size in the\n"
    "                 snapshot with the largest total), repr; repeatable or\n"
    "                 comma-separated (default: pympler's order)\n"
    "  --reverse      the opposite order\n"
    "  --limit N      at most N objects; below 1, that fraction of all\n"
    "                 objects (at least one); default: all\n"
    "  --class SUBSTR only objects whose class name contains SUBSTR\n"
    "  --types N      then, for each snapshot with a census (the heap by\n"
    "                 type), its N largest types as `summary` shows them\n"
    "                 (default 0: none)\n",
    run};
