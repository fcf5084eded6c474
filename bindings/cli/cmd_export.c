/*
 * cmd_export.c - `footprint export --json DUMP`: everything a dump holds,
 * as one JSON document for other tools.
 */
#include "census.h"
#include "json.h"

#include <string.h>

static void key(FILE *o, const char *k)
{
    fprintf(o, "\"%s\": ", k);
}

static void export_classes(FILE *o, fp_tracker *t)
{
    size_t i, n = fp_tracker_class_count(t);

    fputs("  \"classes\": [", o);
    for (i = 0; i < n; i++) {
        fp_class_info ci;
        fp_tracker_class_info(t, i, &ci);
        fprintf(o, "%s\n    {\"index\": %zu, ", i ? "," : "", i);
        key(o, "name");
        json_string(o, ci.name);
        fprintf(o, ", \"resolution_level\": %d, \"keep\": %s, \"trace\": %s, "
                   "\"flags\": %u}",
                ci.resolution_level,
                ci.flags & FP_CLASS_KEEP ? "true" : "false",
                ci.flags & FP_CLASS_TRACE ? "true" : "false", ci.flags);
    }
    fputs(n ? "\n  ],\n" : "],\n", o);
}

static void export_objects(FILE *o, fp_tracker *t)
{
    size_t i, n = fp_tracker_object_count(t);

    fputs("  \"objects\": [", o);
    for (i = 0; i < n; i++) {
        fp_object_info oi;
        fp_class_info ci;
        fp_tracker_object_info(t, i, &oi);
        fp_tracker_class_info(t, oi.cls, &ci);
        fprintf(o, "%s\n    {\"index\": %zu, \"class\": %zu, ",
                i ? "," : "", i, oi.cls);
        key(o, "classname");
        json_string(o, ci.name);
        /* a string: JSON numbers are doubles to many readers, and a
         * 64-bit address does not fit one */
        fprintf(o, ", \"address\": \"0x%llx\", \"birth\": ",
                (unsigned long long)oi.addr);
        json_double(o, oi.birth);
        fputs(", \"death\": ", o);
        if (oi.dead)
            json_double(o, oi.death);
        else
            fputs("null", o);
        /* tracked: still followed when the dump was written (neither dead
         * nor detached) */
        fprintf(o, ", \"dead\": %s, \"tracked\": %s, "
                   "\"resolution_level\": %d, ",
                oi.dead ? "true" : "false",
                fp_tracker_is_tracked(t, oi.addr) ? "true" : "false",
                oi.resolution_level);
        key(o, "repr");
        json_string(o, oi.repr);
        fputs(", ", o);
        key(o, "trace");
        json_string(o, oi.trace);
        fputs("}", o);
    }
    fputs(n ? "\n  ],\n" : "],\n", o);
}

static void export_detail(FILE *o, fp_tracker *t, size_t s, size_t first,
                          size_t n)
{
    size_t k;

    fputs(", \"detail\": [", o);
    for (k = 0; k < n; k++) {
        fp_detail_entry e;
        fp_tracker_detail_entry(t, s, first + k, &e);
        fprintf(o, "%s\n        {\"depth\": %u, \"name\": ", k ? "," : "",
                (unsigned)e.depth);
        json_string(o, e.name);
        fputs(", \"size\": ", o);
        json_u64(o, e.size);
        fputs(", \"flat\": ", o);
        json_u64(o, e.flat);
        fputs("}", o);
    }
    fputs("\n      ]", o);
}

/* "census": null, or its totals and every type it kept, largest first. */
static void export_census(FILE *o, fp_tracker *t, size_t s)
{
    size_t i, n = fp_tracker_census_count(t, s);
    uint64_t count = 0, flat = 0;

    fputs(",\n     \"census\": ", o);
    if (!fp_tracker_census_taken(t, s)) {
        fputs("null", o);
        return;
    }
    fp_tracker_census_totals(t, s, &count, &flat);
    fputs("{\"objects\": ", o);
    json_u64(o, count);
    fputs(", \"flat\": ", o);
    json_u64(o, flat);
    fputs(", \"types\": [", o);
    for (i = 0; i < n; i++) {
        fp_census_entry e;
        fp_tracker_census_entry(t, s, i, &e);
        fprintf(o, "%s\n      {", i ? "," : "");
        key(o, "name");
        json_string(o, e.name);
        fputs(", \"objects\": ", o);
        json_u64(o, e.count);
        fputs(", \"flat\": ", o);
        json_u64(o, e.flat);
        fputs(", \"deep\": ", o);
        json_u64(o, e.deep);
        fputs("}", o);
    }
    fputs(n ? "\n     ]}" : "]}", o);
}

static void export_snapshot(FILE *o, fp_tracker *t, size_t s)
{
    size_t i, n = fp_tracker_object_count(t), nc = fp_tracker_class_count(t);
    fp_snapshot_info si;
    int first = 1;

    fp_tracker_snapshot_info(t, s, &si);
    fprintf(o, "\n    {\"index\": %zu, \"timestamp\": ", s);
    json_double(o, si.timestamp);
    fputs(", ", o);
    key(o, "description");
    json_string(o, si.desc);
    fputs(",\n     \"tracked_total\": ", o);
    json_u64(o, si.tracked_total);
    fputs(", \"asizeof_total\": ", o);
    json_u64(o, si.asizeof_total);
    fputs(", \"overhead\": ", o);
    json_u64(o, si.overhead);
    fputs(",\n     \"procmem\": {\"vsize\": ", o);
    json_u64(o, si.procmem.vsize);
    fputs(", \"rss\": ", o);
    json_u64(o, si.procmem.rss);
    fputs(", \"peak_rss\": ", o);
    json_u64(o, si.procmem.peak_rss);
    fprintf(o, "},\n     \"nsized\": %zu,\n     \"classes\": [", si.nsized);
    for (i = 0; i < nc; i++) {
        fp_class_stats cs;
        fp_tracker_class_stats(t, s, i, &cs);
        fprintf(o, "%s\n      {\"class\": %zu, \"active\": %zu, \"sum\": ",
                i ? "," : "", i, cs.active);
        json_u64(o, cs.sum);
        fputs(", \"average\": ", o);
        json_double(o, cs.avg);
        fputs(", \"pct\": ", o);
        json_double(o, cs.pct);
        fputs("}", o);
    }
    fputs(nc ? "\n     ],\n     \"sizes\": [" : "],\n     \"sizes\": [", o);
    for (i = 0; i < n; i++) {
        uint64_t size;
        size_t df, dn;
        if (fp_tracker_object_size(t, s, i, &size) != FP_OK)
            continue;
        fprintf(o, "%s\n      {\"object\": %zu, \"size\": ", first ? "" : ",",
                i);
        json_u64(o, size);
        fp_tracker_object_detail(t, s, i, &df, &dn);
        if (dn)
            export_detail(o, t, s, df, dn);
        fputs("}", o);
        first = 0;
    }
    fputs(first ? "]" : "\n     ]", o);
    export_census(o, t, s);
    fputs("}", o);
}

static void export_json(FILE *o, fp_tracker *t)
{
    size_t s, n = fp_tracker_snapshot_count(t);

    fprintf(o, "{\n  \"format\": \"footprint dump\",\n"
               "  \"dump_version\": %d,\n",
            FP_DUMP_VERSION);
    export_classes(o, t);
    export_objects(o, t);
    fputs("  \"snapshots\": [", o);
    for (s = 0; s < n; s++) {
        if (s)
            putc(',', o);
        export_snapshot(o, t, s);
    }
    fputs(n ? "\n  ]\n}\n" : "]\n}\n", o);
}

static int run(int argc, char **argv)
{
    const char *path = NULL;
    fp_tracker *t = NULL;
    int i, json = 0, rc;

    for (i = 1; i < argc; i++) {
        if (cli_is_help(argv[i]))
            return cli_help(&cli_export);
        if (strcmp(argv[i], "--json") == 0)
            json = 1;
        else if (argv[i][0] == '-' && argv[i][1])
            return cli_usage_error(&cli_export, "unknown option '%s'",
                                   argv[i]);
        else if (path)
            return cli_usage_error(&cli_export, "one DUMP, not two");
        else
            path = argv[i];
    }
    if (!json)
        return cli_usage_error(&cli_export, "name the format: --json");
    if (!path)
        return cli_usage_error(&cli_export, "no DUMP given");
    if ((rc = cli_load(path, &t)) != CLI_OK)
        return rc;
    export_json(stdout, t);
    fp_tracker_free(t);
    return CLI_OK;
}

const cli_command cli_export = {
    "export", "the whole dump as JSON, for other tools",
    "usage: footprint export --json DUMP\n"
    "\n"
    "Writes everything DUMP holds to stdout as one JSON document:\n"
    "  classes    index, name, resolution_level, keep, trace, flags\n"
    "  objects    index, class, classname, address (a hex string), birth,\n"
    "             death (null unless dead), dead, tracked (still followed),\n"
    "             resolution_level, repr, trace\n"
    "  snapshots  index, timestamp, description, tracked_total,\n"
    "             asizeof_total, overhead, procmem {vsize, rss, peak_rss},\n"
    "             nsized, classes [{class, active, sum, average, pct}],\n"
    "             sizes [{object, size, detail [{depth, name, size,\n"
    "             flat}] when recorded}], census (null when none was taken:\n"
    "             {objects, flat, types [{name, objects, flat, deep}]}, the\n"
    "             heap by type, largest first, deep 0 when not measured)\n"
    "Times are seconds, sizes bytes.  Strings are escaped; bytes that are\n"
    "not UTF-8 become U+FFFD.\n",
    run};
