/*
 * test_alloc_fail.c - every allocation of a realistic run, failed in turn.
 *
 * A scripted run (a visited set growing, then a sizer with exclusions,
 * plain and detailed sizing with names, the depth limit, repeated roots)
 * goes through a counting allocator that refuses its Nth call, for
 * N = 1, 2, ... until a run passes with nothing refused.  Each refused run
 * must report FP_ENOMEM (never crash, never a wrong answer), leave the
 * object it failed in usable - the same step retried with memory back
 * must agree with the reference - and, once everything is freed, hold no
 * block and no byte.
 */
#include "check.h"
#include "compare.h"
#include "counting_alloc.h"

#include <stdlib.h>

/* A graph big enough to grow every set and the stack several times. */
static graph *run_graph(void)
{
    graph_shape sh;

    memset(&sh, 0, sizeof sh);
    sh.nodes = 3000;
    sh.max_refs = 4;
    sh.max_flat = 200;
    sh.pct_skip = 3;
    sh.pct_leaf = 10;
    sh.pct_fail_inspect = 1;
    sh.pct_null_ref = 2;
    sh.pct_back_edge = 30;
    sh.pct_named = 60;
    return graph_random(77, &sh);
}

static void set_steps(fail_run *r)
{
    fp_set *set = NULL;
    size_t i, k;
    fp_status st;

    st = fp_set_new(&set, &r->a);
    if (fail_run_refused(r, st)) {
        CHECK_TRUE(set == NULL);
        CHECK_STATUS(fp_set_new(&set, &r->a), FP_OK);
    }
    for (i = 1; i <= 3000; i++) {
        fp_handle h = (fp_handle)i * 4096;
        st = fp_set_add(set, h, NULL);
        if (fail_run_refused(r, st)) {
            /* Unchanged: the same count, every earlier handle there. */
            CHECK_EQ_U(fp_set_count(set), i - 1);
            for (k = 1; k < i; k++)
                if (!fp_set_contains(set, (fp_handle)k * 4096))
                    break;
            CHECK_EQ_U(k, i);
            CHECK_TRUE(!fp_set_contains(set, h));
            CHECK_STATUS(fp_set_add(set, h, NULL), FP_OK);
        }
    }
    CHECK_EQ_U(fp_set_count(set), 3000);
    fp_set_free(set);
}

/* One sizing step through the twin; on FP_ENOMEM the twin has checked the
 * reset, and the step is run again with memory back. */
static void size_step(fail_run *r, twin *t, const size_t *roots, size_t n,
                      int detail)
{
    fp_status st = twin_size(t, roots, n, detail, NULL);

    if (fail_run_refused(r, st))
        CHECK_STATUS(twin_size(t, roots, n, detail, NULL), FP_OK);
}

static void sizer_steps(fail_run *r, graph *g)
{
    static const size_t roots1[] = {1, 2, 3};
    static const size_t roots2[] = {5, 40, 5, 0, 700, 1, 40, 2, 3, 4, 5};
    static const size_t roots3[] = {9, 11, 1500};
    static const size_t excl[] = {17, 23, 29, 31, 2000};
    fp_sizer_opts o;
    twin t;
    fp_status st;

    fp_sizer_opts_init(&o);
    o.count_duplicates = 1;
    o.detail = 3;
    st = twin_open(&t, g, &o, &r->a);
    if (fail_run_refused(r, st)) {
        CHECK_TRUE(t.s == NULL);
        CHECK_STATUS(twin_open(&t, g, &o, &r->a), FP_OK);
    }
    t.allow_enomem = 1;
    st = twin_exclude(&t, excl, sizeof excl / sizeof *excl);
    if (fail_run_refused(r, st)) /* what was added stays: add all again */
        CHECK_STATUS(twin_exclude(&t, excl, sizeof excl / sizeof *excl),
                     FP_OK);
    size_step(r, &t, roots1, 3, 0);
    size_step(r, &t, roots2, 11, 1);
    twin_reset(&t);
    size_step(r, &t, roots2, 11, 0);
    o.limit = 2;
    CHECK_STATUS(twin_set_opts(&t, &o), FP_OK);
    twin_reset(&t);
    size_step(r, &t, roots3, 3, 0);
    size_step(r, &t, roots1, 3, 1);
    twin_close(&t);
}

static void test_every_allocation_fails_once(void)
{
    graph *g = run_graph();
    size_t n, total_calls = 0;
    unsigned failures_before = CU_get_number_of_failures();

    for (n = 1;; n++) {
        fail_run r;
        memset(&r, 0, sizeof r);
        counting_alloc_init(&r.ca, n);
        r.a = counting_alloc_hook(&r.ca);
        check_set_context("allocation %zu fails", n);
        set_steps(&r);
        sizer_steps(&r, g);
        CHECK_EQ_U(r.ca.live_blocks, 0);
        CHECK_EQ_U(r.ca.live_bytes, 0);
        CHECK_EQ_U(r.ca.bad_frees, 0);
        CHECK_EQ_U(r.other, 0);
        if (r.ca.failures == 0) {
            total_calls = r.ca.calls;
            break;
        }
        /* The refused allocation was reported, not swallowed. */
        CHECK_EQ_U(r.enomem, 1);
        if (CU_get_number_of_failures() != failures_before)
            break; /* the first failing point says it all */
        if (n > 100000) {
            CU_FAIL("the run never completes");
            break;
        }
    }
    check_set_context("allocation failures");
    /* The run exercised a real number of allocation points. */
    CHECK_TRUE(total_calls >= 40);
    CHECK_EQ_U(n, total_calls + 1);
    printf("\n    %zu allocation points, each failed once ", total_calls);
    graph_free(g);
}

/* fp_sizer_memory is what the sizer holds: between calls, exactly the
 * bytes its allocator has given out. */
static void test_sizer_memory_accounting(void)
{
    graph *g = run_graph();
    counting_alloc ca;
    fp_alloc a;
    fp_sizer_opts o;
    twin t;
    size_t roots[] = {1, 2, 3, 100}, excl[] = {5, 6, 7};
    fp_stats st;

    check_set_context("fp_sizer_memory");
    counting_alloc_init(&ca, 0);
    a = counting_alloc_hook(&ca);
    fp_sizer_opts_init(&o);
    o.count_duplicates = 1;
    o.limit = 3;
    CHECK_STATUS(twin_open(&t, g, &o, &a), FP_OK);
    CHECK_EQ_U(fp_sizer_memory(t.s), ca.live_bytes);
    CHECK_STATUS(twin_exclude(&t, excl, 3), FP_OK);
    CHECK_STATUS(twin_size(&t, roots, 4, 0, NULL), FP_OK);
    CHECK_EQ_U(fp_sizer_memory(t.s), ca.live_bytes);
    o.limit = FP_NO_LIMIT;
    CHECK_STATUS(twin_set_opts(&t, &o), FP_OK);
    twin_reset(&t);
    CHECK_STATUS(twin_size(&t, roots, 4, 1, NULL), FP_OK);
    CHECK_EQ_U(fp_sizer_memory(t.s), ca.live_bytes);
    fp_sizer_stats(t.s, &st);
    /* the visited set alone holds two slots per object sized */
    CHECK_TRUE(st.objects > 500);
    CHECK_TRUE(fp_sizer_memory(t.s) > 2 * st.objects * sizeof(fp_handle));
    twin_close(&t);
    CHECK_EQ_U(ca.live_blocks, 0);
    graph_free(g);
}

/* A detail tree is owned by the caller: it outlives the sizer and is
 * freed on its own. */
static void test_detail_outlives_sizer(void)
{
    graph *g = run_graph();
    counting_alloc ca;
    fp_alloc a;
    fp_host host;
    fp_sizer *s = NULL;
    fp_sizer_opts o;
    fp_detail *d = NULL;
    fp_handle root = graph_handle(g, 1);
    size_t size = 0;

    check_set_context("detail ownership");
    counting_alloc_init(&ca, 0);
    a = counting_alloc_hook(&ca);
    graph_host(g, &host);
    fp_sizer_opts_init(&o);
    o.detail = 4;
    CHECK_STATUS(fp_sizer_new(&s, &host, &o, &a), FP_OK);
    CHECK_STATUS(fp_sizer_size_detail(s, &root, 1, &size, &d), FP_OK);
    fp_sizer_free(s);
    CHECK_TRUE(ca.live_blocks > 0);
    CHECK_EQ_U(fp_detail_root(d, 0)->size, size);
    fp_detail_free(d);
    CHECK_EQ_U(ca.live_blocks, 0);
    CHECK_EQ_U(ca.live_bytes, 0);
    graph_free(g);
}

int suite_alloc_fail(void)
{
    static const check_test tests[] = {
        {"every allocation point fails once", test_every_allocation_fails_once},
        {"fp_sizer_memory matches the allocator", test_sizer_memory_accounting},
        {"detail tree outlives its sizer", test_detail_outlives_sizer},
        {NULL, NULL},
    };

    return check_add_suite("alloc_fail", tests);
}
