/*
 * test_diff.c - two trackers compared class by class (fp_diff_new): rows
 * matched by name in their documented order, the figures of
 * fp_tracker_class_stats on each side, the snapshots chosen, trackers
 * without snapshots, the censuses type by type, bad arguments, and
 * allocation failure at every point.
 */
#include "check.h"
#include "counting_alloc.h"
#include "graph.h"

#include "footprint.h"

#include <stdio.h>

typedef struct side {
    graph *g;
    fp_tracker *t;
} side;

/* A tracker whose classes are named by names[] (NULL-terminated); node i
 * (1-based) is an instance of class (i - 1) % nclasses, sized 10 * i, and
 * snapshots are taken after each third of them is born. */
static void side_new(side *s, const char *const *names, size_t nobj,
                     size_t nsnap, const fp_alloc *alloc)
{
    fp_host host;
    size_t ncls = 0, i, c;

    while (names[ncls])
        ncls++;
    s->g = graph_new(nobj);
    for (i = 1; i <= nobj; i++)
        graph_set(s->g, i, 10 * i, FP_INFO_LEAF);
    graph_host(s->g, &host);
    CHECK_STATUS(fp_tracker_new(&s->t, &host, alloc), FP_OK);
    for (c = 0; c < ncls; c++)
        CHECK_STATUS(fp_tracker_add_class(s->t, names[c], 0, 0, NULL), FP_OK);
    for (i = 1; i <= nobj; i++) {
        CHECK_STATUS(fp_tracker_track(s->t, graph_handle(s->g, i),
                                      (i - 1) % ncls, (double)i, 0, NULL,
                                      NULL, NULL),
                     FP_OK);
        if (nsnap && i % (nobj / nsnap) == 0) {
            char desc[16];
            snprintf(desc, sizeof desc, "s%zu", i / (nobj / nsnap));
            CHECK_STATUS(fp_tracker_snapshot(s->t, (double)i + 0.5, desc,
                                             NULL, 0),
                         FP_OK);
        }
    }
}

static void side_free(side *s)
{
    fp_tracker_free(s->t);
    graph_free(s->g);
}

/* Row i matches the class stats of each side at the snapshots compared. */
static void check_row(const fp_diff *d, size_t i, const char *name,
                      const side *b, const side *a)
{
    const fp_class_delta *r = fp_diff_row(d, i);
    const side *sides[2] = {b, a};
    int k;

    CHECK_TRUE(r != NULL);
    if (!r)
        return;
    CHECK_EQ_STR(r->name, name);
    for (k = 0; k < 2; k++) {
        size_t cls, snap = fp_diff_snapshot(d, k);
        fp_class_stats cs = {0, 0, 0, 0};
        if (fp_tracker_find_class(sides[k]->t, name, &cls) != FP_OK) {
            CHECK_EQ_U(r->cls[k], FP_CLASS_NONE);
        } else {
            CHECK_EQ_U(r->cls[k], cls);
            if (snap != FP_SNAPSHOT_LAST)
                fp_tracker_class_stats(sides[k]->t, snap, cls, &cs);
        }
        CHECK_EQ_U(r->active[k], cs.active);
        CHECK_EQ_U(r->sum[k], cs.sum);
    }
}

static void test_rows(void)
{
    static const char *const before[] = {"A", "Gone", "B", NULL};
    static const char *const after[] = {"B", "New", "A", NULL};
    side b, a;
    fp_diff *d = NULL;

    side_new(&b, before, 12, 3, NULL);
    side_new(&a, after, 18, 2, NULL);
    CHECK_STATUS(fp_diff_new(&d, b.t, FP_SNAPSHOT_LAST, a.t, FP_SNAPSHOT_LAST,
                             NULL),
                 FP_OK);
    CHECK_EQ_U(fp_diff_snapshot(d, 0), 2);
    CHECK_EQ_U(fp_diff_snapshot(d, 1), 1);
    /* after's classes in its order, then what only before has */
    CHECK_EQ_U(fp_diff_count(d), 4);
    check_row(d, 0, "B", &b, &a);
    check_row(d, 1, "New", &b, &a);
    check_row(d, 2, "A", &b, &a);
    check_row(d, 3, "Gone", &b, &a);
    CHECK_TRUE(fp_diff_row(d, 4) == NULL);
    CHECK_TRUE(fp_diff_row(d, 1)->active[1] > 0);
    fp_diff_free(d);
    /* chosen snapshots */
    CHECK_STATUS(fp_diff_new(&d, b.t, 0, a.t, 0, NULL), FP_OK);
    CHECK_EQ_U(fp_diff_snapshot(d, 0), 0);
    CHECK_EQ_U(fp_diff_snapshot(d, 1), 0);
    check_row(d, 0, "B", &b, &a);
    check_row(d, 3, "Gone", &b, &a);
    CHECK_EQ_U(fp_diff_snapshot(d, 2), FP_SNAPSHOT_LAST);
    fp_diff_free(d);
    /* a tracker compared with itself changes nothing */
    CHECK_STATUS(fp_diff_new(&d, a.t, 1, a.t, 1, NULL), FP_OK);
    CHECK_EQ_U(fp_diff_count(d), 3);
    CHECK_EQ_U(fp_diff_row(d, 2)->sum[0], fp_diff_row(d, 2)->sum[1]);
    fp_diff_free(d);
    side_free(&b);
    side_free(&a);
}

static void test_no_snapshot_and_arguments(void)
{
    static const char *const names[] = {"A", "B", NULL};
    side s, none;
    fp_diff *d = (fp_diff *)&s;

    side_new(&s, names, 6, 2, NULL);
    side_new(&none, names, 4, 0, NULL);
    CHECK_STATUS(fp_diff_new(&d, none.t, FP_SNAPSHOT_LAST, s.t,
                             FP_SNAPSHOT_LAST, NULL),
                 FP_OK);
    CHECK_EQ_U(fp_diff_snapshot(d, 0), FP_SNAPSHOT_LAST);
    CHECK_EQ_U(fp_diff_count(d), 2);
    CHECK_EQ_U(fp_diff_row(d, 0)->active[0], 0);
    CHECK_EQ_U(fp_diff_row(d, 0)->cls[0], 0);
    check_row(d, 1, "B", &none, &s);
    fp_diff_free(d);
    d = (fp_diff *)&s;
    CHECK_STATUS(fp_diff_new(&d, s.t, 2, s.t, 0, NULL), FP_EINVAL);
    CHECK_TRUE(d == NULL);
    CHECK_STATUS(fp_diff_new(&d, none.t, 0, s.t, 0, NULL), FP_EINVAL);
    CHECK_STATUS(fp_diff_new(&d, NULL, 0, s.t, 0, NULL), FP_EINVAL);
    CHECK_STATUS(fp_diff_new(NULL, s.t, 0, s.t, 0, NULL), FP_EINVAL);
    CHECK_EQ_U(fp_diff_count(NULL), 0);
    CHECK_TRUE(fp_diff_row(NULL, 0) == NULL);
    fp_diff_free(NULL);
    side_free(&s);
    side_free(&none);
}

/* Classes matched by name however many: the same rows as a quadratic
 * search would give. */
static void test_many_classes(void)
{
    enum { N = 500 };
    static char names[N][16];
    const char *before[N + 1], *after[N + 1];
    side b, a;
    fp_diff *d = NULL;
    size_t i;

    for (i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "pkg.C%zu", i);
        before[i] = names[i];
        after[i] = names[(i * 7 + 3) % N];
    }
    before[N] = after[N] = NULL;
    side_new(&b, before, N, 1, NULL);
    side_new(&a, after, N, 1, NULL);
    CHECK_STATUS(fp_diff_new(&d, b.t, FP_SNAPSHOT_LAST, a.t, FP_SNAPSHOT_LAST,
                             NULL),
                 FP_OK);
    CHECK_EQ_U(fp_diff_count(d), N);
    for (i = 0; i < N; i += 37)
        check_row(d, i, after[i], &b, &a);
    fp_diff_free(d);
    side_free(&b);
    side_free(&a);
}

static void check_type(const fp_diff *d, size_t i, const char *name,
                       int kept0, uint64_t count0, uint64_t flat0,
                       int kept1, uint64_t count1, uint64_t flat1)
{
    const fp_type_delta *r = fp_diff_type(d, i);

    CHECK_TRUE(r != NULL);
    if (!r)
        return;
    CHECK_EQ_STR(r->name, name);
    CHECK_EQ_U(r->kept[0], kept0);
    CHECK_EQ_U(r->count[0], count0);
    CHECK_EQ_U(r->flat[0], flat0);
    CHECK_EQ_U(r->kept[1], kept1);
    CHECK_EQ_U(r->count[1], count1);
    CHECK_EQ_U(r->flat[1], flat1);
}

/* Censuses of the two snapshots: dict grew, str shrank, "list" only in
 * before's (after's did not keep it), "set" only in after's. */
static void add_censuses(side *b, side *a)
{
    static const fp_census_entry old[] = {
        {"str", 50, 5000, 0}, {"dict", 10, 2000, 0}, {"list", 3, 300, 0}};
    static const fp_census_entry new[] = {
        {"dict", 30, 6000, 0}, {"str", 40, 4000, 0}, {"set", 1, 200, 0}};

    CHECK_STATUS(fp_tracker_set_census(b->t, 2, old, 3, 100, 9000), FP_OK);
    CHECK_STATUS(fp_tracker_set_census(a->t, 1, new, 3, 80, 10500), FP_OK);
}

static void test_types(void)
{
    static const char *const names[] = {"A", NULL};
    side b, a;
    fp_diff *d = NULL;

    side_new(&b, names, 12, 3, NULL);
    side_new(&a, names, 12, 2, NULL);
    /* no census on either side: no type */
    CHECK_STATUS(fp_diff_new(&d, b.t, FP_SNAPSHOT_LAST, a.t, FP_SNAPSHOT_LAST,
                             NULL), FP_OK);
    CHECK_EQ_U(fp_diff_type_count(d), 0);
    CHECK_TRUE(fp_diff_type(d, 0) == NULL);
    fp_diff_free(d);
    add_censuses(&b, &a);
    CHECK_STATUS(fp_diff_new(&d, b.t, FP_SNAPSHOT_LAST, a.t, FP_SNAPSHOT_LAST,
                             NULL), FP_OK);
    CHECK_EQ_U(fp_diff_type_count(d), 4);
    check_type(d, 0, "dict", 1, 10, 2000, 1, 30, 6000);
    check_type(d, 1, "str", 1, 50, 5000, 1, 40, 4000);
    check_type(d, 2, "set", 0, 0, 0, 1, 1, 200);
    check_type(d, 3, "list", 1, 3, 300, 0, 0, 0);
    fp_diff_free(d);
    /* neither census kept every type: what a side did not keep is not
     * known there; the types that grew, the largest growth first */
    d = NULL;
    CHECK_STATUS(fp_diff_new(&d, b.t, FP_SNAPSHOT_LAST, a.t, FP_SNAPSHOT_LAST,
                             NULL), FP_OK);
    CHECK_TRUE(fp_diff_type(d, 0)->known[0] && fp_diff_type(d, 0)->known[1]);
    CHECK_TRUE(!fp_diff_type(d, 2)->known[0] && fp_diff_type(d, 2)->known[1]);
    CHECK_TRUE(fp_diff_type(d, 3)->known[0] && !fp_diff_type(d, 3)->known[1]);
    CHECK_EQ_U(fp_diff_grown_count(d), 2);
    CHECK_TRUE(fp_diff_grown(d, 0) == fp_diff_type(d, 0)); /* dict +4000 */
    CHECK_TRUE(fp_diff_grown(d, 1) == fp_diff_type(d, 2)); /* set +200 */
    CHECK_TRUE(fp_diff_grown(d, 2) == NULL);
    fp_diff_free(d);
    /* one side without: its figures are 0, not kept */
    CHECK_STATUS(fp_diff_new(&d, b.t, 0, a.t, 1, NULL), FP_OK);
    CHECK_EQ_U(fp_diff_type_count(d), 3);
    check_type(d, 2, "set", 0, 0, 0, 1, 1, 200);
    CHECK_TRUE(!fp_diff_type(d, 2)->known[0]);
    fp_diff_free(d);
    CHECK_EQ_U(fp_diff_type_count(NULL), 0);
    CHECK_EQ_U(fp_diff_grown_count(NULL), 0);
    CHECK_TRUE(fp_diff_grown(NULL, 0) == NULL);
    side_free(&b);
    side_free(&a);
}

/* A census that kept every type knows the ones it does not hold: none. */
static void test_complete_census(void)
{
    static const char *const names[] = {"A", NULL};
    static const fp_census_entry all[] = {
        {"str", 5, 500, 0}, {"dict", 1, 100, 0}};
    static const fp_census_entry counts_only[] = {{"str", 6, 500, 0}};
    side b, a;
    fp_diff *d = NULL;

    side_new(&b, names, 12, 3, NULL);
    side_new(&a, names, 12, 2, NULL);
    add_censuses(&b, &a);
    CHECK_STATUS(fp_tracker_set_census(b.t, 1, all, 2, 6, 600), FP_OK);
    CHECK_STATUS(fp_tracker_set_census(b.t, 0, counts_only, 1, 6, 600),
                 FP_OK);
    CHECK_EQ_U(fp_tracker_census_taken(b.t, 0), 1);
    CHECK_EQ_U(fp_tracker_census_complete(b.t, 1), 1);
    CHECK_EQ_U(fp_tracker_census_complete(b.t, 2), 0);
    CHECK_EQ_U(fp_tracker_census_complete(b.t, 0), 0); /* bytes short */
    CHECK_EQ_U(fp_tracker_census_taken(a.t, 0), 0);
    CHECK_EQ_U(fp_tracker_census_complete(a.t, 0), 0);
    CHECK_EQ_U(fp_tracker_census_taken(a.t, FP_SNAPSHOT_LAST), 0);
    CHECK_EQ_U(fp_tracker_census_taken(NULL, 0), 0);
    CHECK_STATUS(fp_diff_new(&d, b.t, 1, a.t, 1, NULL), FP_OK);
    /* after's dict, str, set; "set" was not in before's: it had none */
    CHECK_EQ_U(fp_diff_type_count(d), 3);
    check_type(d, 2, "set", 0, 0, 0, 1, 1, 200);
    CHECK_EQ_U(fp_diff_type(d, 2)->known[0], 1);
    fp_diff_free(d);
    side_free(&b);
    side_free(&a);
}

static void test_alloc_failure(void)
{
    static const char *const before[] = {"A", "Gone", NULL};
    static const char *const after[] = {"A", "New", NULL};
    counting_alloc ca;
    fp_alloc hook;
    side b, a;
    size_t k;
    int done = 0;

    side_new(&b, before, 12, 3, NULL);
    side_new(&a, after, 12, 2, NULL);
    add_censuses(&b, &a);
    for (k = 1; !done && k < 100; k++) {
        fp_diff *d = NULL;
        fp_status st;
        counting_alloc_init(&ca, k);
        hook = counting_alloc_hook(&ca);
        check_set_context("fail_at %zu", k);
        st = fp_diff_new(&d, b.t, 2, a.t, 1, &hook);
        if (st == FP_OK) {
            CHECK_EQ_U(ca.failures, 0);
            CHECK_EQ_U(fp_diff_count(d), 3);
            CHECK_EQ_U(fp_diff_type_count(d), 4);
            done = 1;
        } else {
            CHECK_STATUS(st, FP_ENOMEM);
            CHECK_TRUE(d == NULL);
        }
        fp_diff_free(d);
        CHECK_EQ_U(ca.live_blocks, 0);
        CHECK_EQ_U(ca.bad_frees, 0);
    }
    CHECK_TRUE(done);
    side_free(&b);
    side_free(&a);
}

int suite_diff(void)
{
    static const check_test tests[] = {
        {"rows matched by name, in order", test_rows},
        {"no snapshot, bad arguments", test_no_snapshot_and_arguments},
        {"500 classes", test_many_classes},
        {"census types matched by name", test_types},
        {"a census that kept every type", test_complete_census},
        {"allocation failure at every point", test_alloc_failure},
        {NULL, NULL}};
    return check_add_suite("diff", tests);
}
