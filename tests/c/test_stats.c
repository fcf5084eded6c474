/*
 * test_stats.c - the sorted view and pympler's console layout.  Expected
 * lines are rebuilt here from pympler's format strings (with snprintf),
 * not copied from footprint's output.
 */
#include "check.h"
#include "graph.h"

#include <stdlib.h>

/* A tracker of three classes over five objects and two snapshots; object
 * 4 dies between them.  Class names include one longer than 33 chars
 * and one with multi-byte characters. */
static const char *const NAMES[] = {
    "pkg.Small", "pkg.a.very.long.module.path.LongClassName", "pkg.Caf\xc3\xa9"};

typedef struct fixture {
    graph *g;
    fp_tracker *t;
} fixture;

static fixture make(void)
{
    fixture f;
    fp_host host;
    size_t i, c;
    static const size_t flat[] = {0, 64, 128, 2048, 4096, 40};

    f.g = graph_new(6);
    for (i = 1; i <= 5; i++)
        graph_set(f.g, i, flat[i], 0);
    graph_edge(f.g, 3, 6, ".payload");
    graph_set(f.g, 6, 1 << 20, 0);
    graph_host(f.g, &host);
    CHECK_STATUS(fp_tracker_new(&f.t, &host, NULL), FP_OK);
    for (c = 0; c < 3; c++)
        fp_tracker_add_class(f.t, NAMES[c], 0, 0, NULL);
    fp_tracker_track(f.t, graph_handle(f.g, 1), 0, 0.5, 0, "<small one>",
                     NULL, NULL);
    fp_tracker_track(f.t, graph_handle(f.g, 2), 0, 0.6, 0, "<small two>",
                     NULL, NULL);
    fp_tracker_track(f.t, graph_handle(f.g, 3), 1, 0.7, 1, "<long>",
                     "  build.py:  12 in main\n", NULL);
    fp_tracker_track(f.t, graph_handle(f.g, 4), 2, 0.8, 0, "<caf\xc3\xa9>",
                     NULL, NULL);
    fp_tracker_track(f.t, graph_handle(f.g, 5), 2, 0.9, 0, "<tiny>", NULL,
                     NULL);
    CHECK_STATUS(fp_tracker_snapshot(f.t, 1.0, "before reading SConscript "
                                     "files:", NULL, 0), FP_OK);
    fp_tracker_died(f.t, graph_handle(f.g, 4), 1.5);
    CHECK_STATUS(fp_tracker_snapshot(f.t, 3723.25, "after building targets "
                                     "and a description longer than 35",
                                     NULL, 0), FP_OK);
    return f;
}

static void release(fixture *f)
{
    fp_tracker_free(f->t);
    graph_free(f->g);
}

static char *fmt_size(double n, char *buf)
{
    fp_format_size(n, buf, 64);
    return buf;
}

/* pympler's trunc(s, max) for ASCII text. */
static void trunc_ascii(const char *s, size_t max, char *out)
{
    if (strlen(s) > max)
        snprintf(out, 256, "%.*s...", (int)(max - 3), s);
    else
        snprintf(out, 256, "%s", s);
}

static void test_summary_layout(void)
{
    fixture f = make();
    fp_text *x = NULL;
    char want[8192], line[512], a[64], b[64], tr[256];
    size_t s;
    const char *got;

    fp_text_new(&x, NULL);
    CHECK_STATUS(fp_tracker_print_summary(f.t, x), FP_OK);
    want[0] = '\0';
    snprintf(want, sizeof want, "---- SUMMARY %s\n",
             "------------------------------------------------------------------");
    for (s = 0; s < 2; s++) {
        fp_snapshot_info si;
        /* rows in class-name order: "pkg.Caf\xc3\xa9" < "pkg.Small" <
         * "pkg.a.very..." (byte order, as Python sorts code points) */
        static const size_t order[] = {2, 0, 1};
        size_t k;
        fp_tracker_snapshot_info(f.t, s, &si);
        trunc_ascii(si.desc, 35, tr);
        snprintf(line, sizeof line, "%-35s %11s %12s %12s %5s\n", tr, "active",
                 fmt_size((double)si.procmem.rss, a), "average", "pct");
        strcat(want, line);
        for (k = 0; k < 3; k++) {
            fp_class_stats cs;
            const char *name = NAMES[order[k]];
            fp_tracker_class_stats(f.t, s, order[k], &cs);
            if (order[k] == 2) /* 8 characters in 9 bytes: pad one more */
                snprintf(line, sizeof line, "  %-34s %11zu %12s %12s %4d%%\n",
                         name, cs.active, fmt_size((double)cs.sum, a),
                         fmt_size(cs.avg, b), (int)cs.pct);
            else {
                trunc_ascii(name, 33, tr);
                snprintf(line, sizeof line, "  %-33s %11zu %12s %12s %4d%%\n",
                         tr, cs.active, fmt_size((double)cs.sum, a),
                         fmt_size(cs.avg, b), (int)cs.pct);
            }
            strcat(want, line);
        }
    }
    strcat(want, "-------------------------------------------------------------"
                 "------------------\n");
    got = fp_text_data(x);
    CHECK_EQ_STR(got, want);
    /* and the figures behind it: snapshot 2 lost the dead object */
    {
        fp_class_stats cs;
        fp_tracker_class_stats(f.t, 1, 2, &cs);
        CHECK_EQ_U(cs.active, 1);
        CHECK_EQ_U(cs.sum, 40);
        fp_tracker_class_stats(f.t, 0, 1, &cs);
        CHECK_EQ_U(cs.sum, 2048 + (1 << 20));
    }
    fp_text_free(x);
    release(&f);
}

static size_t sorted_at(fp_tracker *t, size_t k)
{
    size_t o = (size_t)-1;

    CHECK_STATUS(fp_tracker_sorted_object(t, k, &o), FP_OK);
    return o;
}

static void test_sorting(void)
{
    fixture f = make();
    const char *by_size[] = {"size"};
    const char *by_class_birth[] = {"classname", "birth"};
    const char *by_death[] = {"death", "birth"};
    const char *bad[] = {"weight"};
    size_t o;

    CHECK_STATUS(fp_tracker_sort(f.t, by_size, 1), FP_OK);
    CHECK_EQ_U(sorted_at(f.t, 0), 2); /* the long one, 1 MiB + 2 KiB */
    CHECK_EQ_U(sorted_at(f.t, 1), 3); /* the dead one, 4 KiB once */
    CHECK_EQ_U(sorted_at(f.t, 4), 4); /* 40 bytes */
    CHECK_STATUS(fp_tracker_reverse(f.t), FP_OK);
    CHECK_EQ_U(sorted_at(f.t, 0), 4);
    CHECK_STATUS(fp_tracker_sort(f.t, by_class_birth, 2), FP_OK);
    CHECK_EQ_U(sorted_at(f.t, 0), 3); /* "pkg.Caf\xc3\xa9" < "pkg.Small" */
    CHECK_EQ_U(sorted_at(f.t, 1), 4);
    CHECK_EQ_U(sorted_at(f.t, 2), 0);
    CHECK_EQ_U(sorted_at(f.t, 3), 1);
    CHECK_EQ_U(sorted_at(f.t, 4), 2);
    CHECK_STATUS(fp_tracker_sort(f.t, by_death, 2), FP_OK);
    CHECK_EQ_U(sorted_at(f.t, 0), 3); /* the only death comes first */
    CHECK_EQ_U(sorted_at(f.t, 1), 0);
    CHECK_STATUS(fp_tracker_sort(f.t, bad, 1), FP_EINVAL);
    CHECK_TRUE(strstr(fp_tracker_errmsg(f.t), "weight") != NULL);
    CHECK_STATUS(fp_tracker_sorted_object(f.t, 5, &o), FP_EINVAL);
    release(&f);
}

static size_t count_lines_starting(const char *s, const char *prefix)
{
    size_t n = 0, len = strlen(prefix);

    for (; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
        n += strncmp(s, prefix, len) == 0;
    return n;
}

/* print_object's first line is the only one not indented. */
static size_t count_objects(const char *s)
{
    size_t n = 0;

    for (; s && *s; s = strchr(s, '\n') ? strchr(s, '\n') + 1 : NULL)
        n += *s != ' ';
    return n;
}

static void test_print_stats_and_object(void)
{
    fixture f = make();
    fp_text *x = NULL;
    const char *by_size[] = {"size"};
    char line[512], a[64], t0[64];
    fp_object_info oi;

    fp_text_new(&x, NULL);
    fp_tracker_sort(f.t, by_size, 1);
    /* limit 2: the two largest; a fraction 0.5 of 5 objects: 2 too */
    CHECK_STATUS(fp_tracker_print_stats(f.t, NULL, 2, x), FP_OK);
    CHECK_EQ_U(count_objects(fp_text_data(x)), 2);
    fp_text_clear(x);
    CHECK_STATUS(fp_tracker_print_stats(f.t, NULL, 0.5, x), FP_OK);
    CHECK_EQ_U(count_objects(fp_text_data(x)), 2);
    fp_text_clear(x);
    CHECK_STATUS(fp_tracker_print_stats(f.t, NULL, 100, x), FP_OK);
    CHECK_EQ_U(count_objects(fp_text_data(x)), 5);
    fp_text_clear(x);
    CHECK_STATUS(fp_tracker_print_stats(f.t, "Small", 100, x), FP_OK);
    CHECK_EQ_U(count_lines_starting(fp_text_data(x), "pkg.Small"), 2);
    CHECK_EQ_U(count_objects(fp_text_data(x)), 2);
    fp_text_clear(x);

    /* the object with detail: header, trace, two snapshots, its referent */
    CHECK_STATUS(fp_tracker_print_object(f.t, 2, x), FP_OK);
    fp_tracker_object_info(f.t, 2, &oi);
    /* trunc(name, 32, left=True): '...' + the last 29 characters */
    snprintf(line, sizeof line, "...%s 0x%08jx %-35s\n",
             NAMES[1] + strlen(NAMES[1]) - 29, (uintmax_t)oi.addr, "<long>");
    CHECK_TRUE(strncmp(fp_text_data(x), line, strlen(line)) == 0);
    CHECK_TRUE(strstr(fp_text_data(x), "  build.py:  12 in main\n") != NULL);
    fp_format_time(3723.25, t0, sizeof t0);
    CHECK_EQ_STR(t0, "01:02:03.25");
    snprintf(line, sizeof line, "  %-30s %s\n", t0,
             fmt_size(2048 + (1 << 20), a));
    CHECK_TRUE(strstr(fp_text_data(x), line) != NULL);
    /* '%-50s %-14s %3d%% [%d]' for the .payload referent */
    {
        char ref[128], sz[64];
        fp_format_size(1 << 20, sz, sizeof sz);
        snprintf(ref, sizeof ref, "%-50s %-14s %3d%% [%d]\n", "    .payload",
                 sz, (int)((1 << 20) * 100.0 / (2048 + (1 << 20))), 1);
        CHECK_TRUE(strstr(fp_text_data(x), ref) != NULL);
    }
    fp_text_clear(x);
    /* a dead object: "( free )" and a finalize line */
    CHECK_STATUS(fp_tracker_print_object(f.t, 3, x), FP_OK);
    /* 8 characters in 9 bytes: one more byte of padding */
    snprintf(line, sizeof line, "%-33s ( free )   ", NAMES[2]);
    CHECK_TRUE(strncmp(fp_text_data(x), line, strlen(line)) == 0);
    fp_format_time(1.5, t0, sizeof t0);
    snprintf(line, sizeof line, "  %-30s finalize\n", t0);
    CHECK_TRUE(strstr(fp_text_data(x), line) != NULL);
    CHECK_STATUS(fp_tracker_print_object(f.t, 9, x), FP_EINVAL);
    fp_text_free(x);
    release(&f);
}

int suite_stats(void)
{
    static const check_test tests[] = {
        {"print_summary layout", test_summary_layout},
        {"sorting", test_sorting},
        {"print_stats and print_object", test_print_stats_and_object},
        {NULL, NULL}};
    return check_add_suite("stats", tests);
}
