/*
 * test_report.c - the HTML report: balanced markup, escaping of every
 * string the measured program supplies, the series each chart draws, the
 * coalescing of referents, the limits that bound a page, the diff page,
 * allocation failure at every point, pages written atomically
 * (fp_text_write), and a tracker loaded from a dump giving the same page.
 */
#include "check.h"
#include "counting_alloc.h"
#include "fp_report.h"
#include "graph.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HOSTILE "</script><script>alert(1)"

/* ---- helpers ---- */

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0, len = strlen(needle);
    const char *p = hay;

    while ((p = strstr(p, needle)) != NULL) {
        n++;
        p += len;
    }
    return n;
}

/* Every element closed in order, every attribute value quoted, nothing
 * but the five XML entities and numeric references: the page must be
 * XML as well as HTML.  Returns NULL or a description of the first fault
 * (in a static buffer). */
static const char *markup_fault(const char *s)
{
    static char msg[160];
    const char *stack[512];
    size_t lens[512], sp = 0;
    const char *p = s;

    while (*p) {
        if (*p == '&') {
            static const char *const ent[] = {"&amp;", "&lt;", "&gt;",
                                              "&quot;", "&#39;"};
            size_t i;
            for (i = 0; i < 5; i++)
                if (strncmp(p, ent[i], strlen(ent[i])) == 0)
                    break;
            if (i == 5) {
                snprintf(msg, sizeof msg, "stray '&' at %.20s", p);
                return msg;
            }
            p++;
            continue;
        }
        if (*p != '<') {
            if (*p == '>') {
                snprintf(msg, sizeof msg, "stray '>' at offset %zu",
                         (size_t)(p - s));
                return msg;
            }
            p++;
            continue;
        }
        if (strncmp(p, "<!DOCTYPE html>", 15) == 0) {
            p += 15;
            continue;
        }
        if (strncmp(p, "<script>", 8) == 0) {
            /* the script is CDATA inside; skip to its end */
            const char *end = strstr(p, "//]]></script>");
            if (!end || strncmp(p + 8, "//<![CDATA[", 11) != 0)
                return "script without CDATA";
            p = end + 14;
            continue;
        }
        if (p[1] == '/') {
            const char *name = p + 2;
            size_t len = strcspn(name, ">");
            if (!sp || lens[sp - 1] != len ||
                strncmp(stack[sp - 1], name, len) != 0) {
                snprintf(msg, sizeof msg, "</%.*s> closes <%.*s>", (int)len,
                         name, sp ? (int)lens[sp - 1] : 0,
                         sp ? stack[sp - 1] : "");
                return msg;
            }
            sp--;
            p = name + len + 1;
            continue;
        }
        {
            const char *name = p + 1, *q;
            size_t len = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
            int selfclose = 0;
            if (!len)
                return "'<' not starting a tag";
            for (q = name + len; *q && *q != '>'; q++) {
                if (*q == '=') {
                    const char *close;
                    if (q[1] != '"')
                        return "unquoted attribute value";
                    close = strchr(q + 2, '"');
                    if (!close)
                        return "unterminated attribute value";
                    if (memchr(q + 2, '<', (size_t)(close - q - 2)))
                        return "'<' inside an attribute value";
                    q = close;
                }
            }
            if (!*q)
                return "unterminated tag";
            /* <x/> closes itself; nothing else may be left open, not
             * even HTML's void elements */
            selfclose = q[-1] == '/';
            if (!selfclose) {
                if (sp == 512)
                    return "nesting too deep";
                stack[sp] = name;
                lens[sp++] = len;
            }
            p = q + 1;
        }
    }
    if (sp) {
        snprintf(msg, sizeof msg, "<%.*s> never closed", (int)lens[sp - 1],
                 stack[sp - 1]);
        return msg;
    }
    return NULL;
}

#define CHECK_MARKUP(s)                                                      \
    do {                                                                     \
        const char *fault_ = markup_fault(s);                                \
        if (fault_)                                                          \
            fprintf(stderr, "%s:%d: [%s] markup: %s\n", __FILE__, __LINE__,  \
                    check_context, fault_);                                  \
        CU_ASSERT(fault_ == NULL);                                           \
    } while (0)

/* A run over graph nodes 1..n: node i is an instance with an attribute
 * ".a" (node n+i) and, at detail level, ".b: x" (node 2n+i). */
typedef struct run {
    graph *g;
    fp_tracker *t;
    size_t n;
} run;

static void run_new(run *r, size_t n, const fp_alloc *alloc)
{
    fp_host host;
    size_t i;

    r->n = n;
    r->g = graph_new(3 * n);
    for (i = 1; i <= n; i++) {
        graph_set(r->g, i, 16 * i, 0);
        graph_set(r->g, n + i, 100, FP_INFO_LEAF);
        graph_set(r->g, 2 * n + i, 1000, FP_INFO_LEAF);
        graph_edge(r->g, i, n + i, ".a");
        graph_edge(r->g, i, 2 * n + i, i % 2 ? ".b: x" : ".b: y");
    }
    graph_host(r->g, &host);
    r->t = NULL;
    CHECK_STATUS(fp_tracker_new(&r->t, &host, alloc), FP_OK);
}

static void run_free(run *r)
{
    fp_tracker_free(r->t);
    graph_free(r->g);
}

static size_t add_class(run *r, const char *name, int level)
{
    size_t c = 0;

    CHECK_STATUS(fp_tracker_add_class(r->t, name, level, 0, &c), FP_OK);
    return c;
}

static void track(run *r, size_t node, size_t cls, double when, int level,
                  const char *repr, const char *trace)
{
    CHECK_STATUS(fp_tracker_track(r->t, graph_handle(r->g, node), cls, when,
                                  level, repr, trace, NULL),
                 FP_OK);
}

static fp_text *html(const fp_tracker *t, const fp_report_opts *o)
{
    fp_text *x = NULL;

    CHECK_STATUS(fp_text_new(&x, NULL), FP_OK);
    CHECK_STATUS(fp_report_html(t, o, x), FP_OK);
    return x;
}

/* ---- tests ---- */

static void test_hostile_strings_escaped(void)
{
    run r;
    fp_report_opts o;
    fp_text *x;
    const char *s;
    size_t evil, i;

    run_new(&r, 4, NULL);
    evil = add_class(&r, "Evil" HOSTILE, 1);
    add_class(&r, "<b>&\"'", 0);
    track(&r, 1, evil, 1, 1, HOSTILE, "trace " HOSTILE);
    track(&r, 2, 1, 1, 0, "bad \xff\xfe utf-8 \xe2\x82 cut, ctl \x01\x7f",
          NULL);
    track(&r, 3, 1, 1, 0, "overlong \xc0\xaf surrogate \xed\xa0\x80 "
                          "big \xf4\x90\x80\x80 ok \xc3\xa9\xe2\x82\xac",
          NULL);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 2, "desc " HOSTILE, NULL, 0),
                 FP_OK);
    fp_report_opts_init(&o);
    o.title = "title " HOSTILE " <b>&\"'";
    x = html(r.t, &o);
    s = fp_text_data(x);
    CHECK_MARKUP(s);
    CHECK_EQ_U(count(s, "<script"), 1);
    /* every alert(1) follows an escaped tag (labels may be cut short) */
    CHECK_EQ_U(count(s, "alert(1)"), count(s, "script&gt;alert(1)"));
    /* title, class name (many places), repr, trace, description */
    CHECK_TRUE(count(s, "&lt;/script&gt;&lt;script&gt;alert(1)") >= 5);
    CHECK_TRUE(strstr(s, "&lt;b&gt;&amp;&quot;&#39;") != NULL);
    CHECK_TRUE(strstr(s, "<b>&") == NULL);
    /* invalid sequences and controls become U+FFFD; valid text stays */
    CHECK_TRUE(strstr(s, "bad \xEF\xBF\xBD\xEF\xBF\xBD utf-8 \xEF\xBF\xBD") !=
               NULL);
    CHECK_TRUE(strstr(s, "ok \xc3\xa9\xe2\x82\xac") != NULL);
    for (i = 0; s[i]; i++) {
        unsigned char c = (unsigned char)s[i];
        CHECK_TRUE(c >= 0x20 || c == '\n' || c == '\t');
        CHECK_TRUE(c != 0x7f && c != 0xff && c != 0xfe && c != 0xc0);
        if (c == 0xed) /* no encoded surrogate (ED A0..BF) */
            CHECK_TRUE((unsigned char)s[i + 1] < 0xa0);
        if (c == 0xf4) /* nothing beyond U+10FFFF */
            CHECK_TRUE((unsigned char)s[i + 1] < 0x90);
    }
    CHECK_TRUE(strstr(s, "http:") == NULL && strstr(s, "https:") == NULL);
    fp_text_free(x);

    o.script = 0;
    x = html(r.t, &o);
    CHECK_EQ_U(count(fp_text_data(x), "<script"), 0);
    CHECK_TRUE(strstr(fp_text_data(x), "script-src 'none'") != NULL);
    fp_text_free(x);
    run_free(&r);
}

static void test_series(void)
{
    run r;
    fp_report_opts o;
    fp_text *x;
    const char *s;
    size_t c[6], i;
    char name[16];

    run_new(&r, 30, NULL);
    for (i = 0; i < 6; i++) {
        snprintf(name, sizeof name, "C%zu", i);
        c[i] = add_class(&r, name, 0);
    }
    add_class(&r, "Empty", 0); /* index 6: never an instance */
    /* class k gets nodes with larger flat sizes the later it comes */
    for (i = 1; i <= 30; i++)
        track(&r, i, c[(i - 1) / 5], (double)i, 0, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 40, "one", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_died(r.t, graph_handle(r.g, 30), 41), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 50, "two", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 60, "three", NULL, 0), FP_OK);
    fp_report_opts_init(&o);
    o.top_classes = 4;
    x = html(r.t, &o);
    s = fp_text_data(x);
    CHECK_MARKUP(s);
    CHECK_EQ_U(count(s, "data-chart=\"timeline\""), 1);
    CHECK_EQ_U(count(s, "data-series=\"class\""), 4);
    CHECK_EQ_U(count(s, "data-series=\"other\""), 1);
    CHECK_EQ_U(count(s, "data-series=\"total\""), 1);
    /* the largest classes (the later ones) get the colours, largest first */
    CHECK_TRUE(strstr(s, "data-class=\"C5\"") <
               strstr(s, "data-class=\"C4\""));
    CHECK_TRUE(strstr(s, "data-class=\"C1\"") == NULL);
    CHECK_EQ_U(count(s, "data-chart=\"bars\""), 3);
    CHECK_EQ_U(count(s, "data-chart=\"lifetime\""), 6);
    CHECK_EQ_U(count(s, "data-series=\"live\""), 6);
    /* 3 markers on the timeline and on each lifetime chart */
    CHECK_EQ_U(count(s, "data-series=\"snapshot\""), 3 * 7);
    CHECK_EQ_U(count(s, "<section class=\"snap\""), 3);
    CHECK_EQ_U(count(s, "<article class=\"cls\""), 6);
    /* a class without instances is listed, but has no section */
    CHECK_TRUE(strstr(s, "<td>Empty</td>") != NULL);
    CHECK_TRUE(strstr(s, "id=\"c6\"") == NULL);
    fp_text_free(x);

    /* limits: one class section, two instances each, two snapshots */
    o.max_classes = 1;
    o.top_instances = 2;
    o.max_snapshots = 2;
    x = html(r.t, &o);
    s = fp_text_data(x);
    CHECK_MARKUP(s);
    CHECK_EQ_U(count(s, "<article class=\"cls\""), 1);
    CHECK_EQ_U(count(s, "<div class=\"inst\""), 2);
    CHECK_EQ_U(count(s, "<section class=\"snap\""), 2);
    CHECK_TRUE(strstr(s, "id=\"s1\"") && strstr(s, "id=\"s3\"") &&
               !strstr(s, "id=\"s2\""));
    /* only the class with a section is linked to */
    CHECK_TRUE(strstr(s, "href=\"#c5\"") != NULL);
    CHECK_TRUE(strstr(s, "href=\"#c4\"") == NULL);
    fp_text_free(x);
    run_free(&r);
}

static void test_coalesced_referents(void)
{
    run r;
    fp_text *x;
    const char *s, *row;
    char want[64];
    size_t c, i;

    run_new(&r, 4, NULL);
    c = add_class(&r, "Node", 1);
    for (i = 1; i <= 4; i++)
        track(&r, i, c, 1, 1, NULL, NULL);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 2, "s", NULL, 0), FP_OK);
    x = html(r.t, NULL);
    s = fp_text_data(x);
    CHECK_MARKUP(s);
    /* ".b: x" and ".b: y" merge into ".b": four leaves of 1000 bytes */
    CHECK_TRUE(strstr(s, ".b: ") == NULL);
    row = strstr(s, ">.b</td>");
    CHECK_TRUE(row != NULL);
    /* pympler's text for 4000 bytes, as the page shows it: "3.91 KB" */
    fp_format_size(4000, want, sizeof want);
    CHECK_EQ_STR(want, "   3.91 KB");
    if (row)
        CHECK_TRUE(strstr(row, "3.91 KB") != NULL &&
                   strstr(row, "3.91 KB") < strstr(row, "</tr>"));
    CHECK_TRUE(strstr(s, ">.a</td>") != NULL);
    CHECK_TRUE(strstr(s, "all instances with detail") != NULL);
    fp_text_free(x);
    run_free(&r);
}

static void test_empty_and_single(void)
{
    run r;
    fp_text *x;
    size_t c;

    run_new(&r, 2, NULL);
    x = html(r.t, NULL);
    CHECK_MARKUP(fp_text_data(x));
    CHECK_TRUE(strstr(fp_text_data(x), "No snapshot was taken") != NULL);
    fp_text_free(x);

    c = add_class(&r, "Only", 0);
    track(&r, 1, c, 5, 0, "one", NULL);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 5, "", NULL, 0), FP_OK);
    x = html(r.t, NULL);
    CHECK_MARKUP(fp_text_data(x));
    /* one snapshot at time 0: a column, not an area of no width */
    CHECK_EQ_U(count(fp_text_data(x), "data-series=\"class\""), 1);
    CHECK_TRUE(strstr(fp_text_data(x), "(no description)") != NULL);
    fp_text_free(x);
    CHECK_STATUS(fp_report_html(NULL, NULL, NULL), FP_EINVAL);
    run_free(&r);
}

static void test_diff(void)
{
    run a, b;
    fp_report_opts o;
    fp_text *x = NULL;
    const char *s;
    size_t i;

    run_new(&a, 6, NULL);
    run_new(&b, 6, NULL);
    add_class(&a, "Kept", 0);
    add_class(&a, "Gone", 0);
    add_class(&b, "New", 0);
    add_class(&b, "Kept", 0);
    for (i = 1; i <= 3; i++) {
        track(&a, i, 0, 1, 0, NULL, NULL);
        track(&a, 3 + i, 1, 1, 0, NULL, NULL);
        track(&b, i, 1, 1, 0, NULL, NULL);
        track(&b, 3 + i, 1, 1, 0, NULL, NULL); /* Kept doubles */
    }
    CHECK_STATUS(fp_tracker_snapshot(a.t, 2, "a1", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(b.t, 2, "b1", NULL, 0), FP_OK);
    CHECK_STATUS(fp_text_new(&x, NULL), FP_OK);
    CHECK_STATUS(fp_report_diff_html(a.t, b.t, NULL, x), FP_OK);
    s = fp_text_data(x);
    CHECK_MARKUP(s);
    /* Kept grew, Gone shrank to nothing, New has no rows (no instance) */
    CHECK_EQ_U(count(s, "data-series=\"delta\""), 2);
    CHECK_EQ_U(count(s, "data-series=\"delta\" class=\"grow\""), 1);
    CHECK_EQ_U(count(s, "data-series=\"delta\" class=\"shrink\""), 1);
    CHECK_EQ_U(count(s, "data-chart=\"timeline\""), 2);
    CHECK_TRUE(strstr(s, ">New</td>") == NULL);

    fp_report_opts_init(&o);
    o.diff_after = 1;
    fp_text_clear(x);
    CHECK_STATUS(fp_report_diff_html(a.t, b.t, &o, x), FP_EINVAL);
    o.diff_after = 0;
    CHECK_STATUS(fp_report_diff_html(a.t, b.t, &o, x), FP_OK);
    fp_text_free(x);
    run_free(&a);
    run_free(&b);
}

/* Every allocation of a report in turn fails: FP_ENOMEM, the text keeps
 * what it held before, and nothing leaks. */
static void test_alloc_failure(void)
{
    size_t k;
    int done = 0;

    for (k = 1; !done && k < 100000; k++) {
        counting_alloc ca;
        fp_alloc hook;
        run r;
        fp_text *x = NULL;
        fp_status st;
        size_t c, i, kept;
        char *before;

        counting_alloc_init(&ca, 0);
        hook = counting_alloc_hook(&ca);
        check_set_context("fail_at +%zu", k);
        run_new(&r, 8, &hook);
        c = add_class(&r, "A", 1);
        add_class(&r, "B", 0);
        for (i = 1; i <= 8; i++)
            track(&r, i, i % 2 ? c : 1, (double)i, i % 2, "r", "t");
        CHECK_STATUS(fp_tracker_snapshot(r.t, 10, "one", NULL, 0), FP_OK);
        CHECK_STATUS(fp_tracker_snapshot(r.t, 20, "two", NULL, 0), FP_OK);
        /* the text already holds something: a summary */
        CHECK_STATUS(fp_text_new(&x, &hook), FP_OK);
        CHECK_STATUS(fp_tracker_print_summary(r.t, x), FP_OK);
        kept = fp_text_len(x);
        before = malloc(kept + 1);
        memcpy(before, fp_text_data(x), kept + 1);
        ca.fail_at = ca.calls + k;
        st = fp_report_html(r.t, NULL, x);
        if (st == FP_OK) {
            CHECK_EQ_U(ca.failures, 0);
            CHECK_TRUE(strncmp(fp_text_data(x), before, kept) == 0);
            CHECK_TRUE(strncmp(fp_text_data(x) + kept, "<!DOCTYPE", 9) == 0);
            done = 1;
        } else {
            CHECK_STATUS(st, FP_ENOMEM);
            CHECK_EQ_U(fp_text_len(x), kept);
            CHECK_EQ_STR(fp_text_data(x), before);
        }
        free(before);
        fp_text_free(x);
        run_free(&r);
        CHECK_EQ_U(ca.live_blocks, 0);
        CHECK_EQ_U(ca.bad_frees, 0);
    }
    CHECK_TRUE(done);
}

/* fp_text_write, with its message copied into msg. */
static fp_status write_page(fp_text *x, const char *path, char *msg)
{
    fp_status st = fp_text_write(x, path);

    snprintf(msg, FP_ERRMSG_SIZE, "%s", fp_text_errmsg(x));
    return st;
}

static void test_write_atomic(void)
{
    char dir[] = "/tmp/fp-report-XXXXXX", path[256], msg[FP_ERRMSG_SIZE];
    fp_text *x = NULL;
    FILE *f;
    char buf[64];
    size_t n;
    DIR *dh;
    struct dirent *e;
    int others = 0;
    run r;

    run_new(&r, 1, NULL);
    CHECK_TRUE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/report.html", dir);
    CHECK_STATUS(fp_text_new(&x, NULL), FP_OK);
    CHECK_STATUS(write_page(x, path, msg), FP_OK); /* empty */
    CHECK_STATUS(fp_report_html(r.t, NULL, x), FP_OK);
    CHECK_STATUS(write_page(x, path, msg), FP_OK); /* replaced */
    f = fopen(path, "rb");
    CHECK_TRUE(f != NULL);
    if (f) {
        n = fread(buf, 1, sizeof buf, f);
        fseek(f, 0, SEEK_END);
        CHECK_EQ_U((size_t)ftell(f), fp_text_len(x));
        fclose(f);
        CHECK_TRUE(n == sizeof buf &&
                   memcmp(buf, fp_text_data(x), sizeof buf) == 0);
    }
    /* no temporary file is left behind */
    dh = opendir(dir);
    CHECK_TRUE(dh != NULL);
    while (dh && (e = readdir(dh)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            strcmp(e->d_name, "report.html"))
            others++;
    if (dh)
        closedir(dh);
    CHECK_EQ_U(others, 0);
    /* a directory that does not exist: FP_EIO and a message naming it */
    snprintf(path, sizeof path, "%s/missing/report.html", dir);
    CHECK_STATUS(write_page(x, path, msg), FP_EIO);
    CHECK_TRUE(strstr(msg, "missing/report.html") != NULL);
    CHECK_STATUS(fp_text_write(NULL, path), FP_EINVAL);
    fp_text_free(x);
    snprintf(path, sizeof path, "%s/report.html", dir);
    unlink(path);
    rmdir(dir);
    run_free(&r);
}

/* A tracker loaded from a dump draws the same page as the live one. */
static void test_same_page_from_dump(void)
{
    run r;
    unsigned char *buf = NULL;
    size_t len = 0, c, i;
    fp_tracker *loaded = NULL;
    char msg[FP_ERRMSG_SIZE] = "";
    fp_text *a, *b;

    run_new(&r, 10, NULL);
    c = add_class(&r, "A", 1);
    for (i = 1; i <= 10; i++)
        track(&r, i, c, (double)i, (int)(i % 2), "repr", "trace");
    CHECK_STATUS(fp_tracker_snapshot(r.t, 11, "one", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_died(r.t, graph_handle(r.g, 3), 12), FP_OK);
    CHECK_STATUS(fp_tracker_snapshot(r.t, 13, "two", NULL, 0), FP_OK);
    CHECK_STATUS(fp_tracker_dump_buffer(r.t, &buf, &len), FP_OK);
    CHECK_STATUS(fp_tracker_new(&loaded, NULL, NULL), FP_OK);
    CHECK_STATUS(fp_tracker_load_buffer(loaded, buf, len), FP_OK);
    CHECK_EQ_STR(fp_tracker_errmsg(loaded), msg);
    fp_tracker_buffer_free(r.t, buf);
    if (loaded) {
        a = html(r.t, NULL);
        b = html(loaded, NULL);
        CHECK_EQ_U(fp_text_len(a), fp_text_len(b));
        CHECK_TRUE(strcmp(fp_text_data(a), fp_text_data(b)) == 0);
        fp_text_free(a);
        fp_text_free(b);
    }
    fp_tracker_free(loaded);
    run_free(&r);
}

int suite_report(void)
{
    static const check_test tests[] = {
        {"hostile strings escaped", test_hostile_strings_escaped},
        {"chart series and limits", test_series},
        {"coalesced referents", test_coalesced_referents},
        {"empty tracker, one snapshot", test_empty_and_single},
        {"diff page", test_diff},
        {"allocation failure at every point", test_alloc_failure},
        {"atomic file writing", test_write_atomic},
        {"same page from a dump", test_same_page_from_dump},
        {NULL, NULL}};
    return check_add_suite("report", tests);
}
