/*
 * test_deep.c - a chain 10,000,000 objects deep, sized without recursion.
 *
 * A recursive walk would need ~10M C frames and overflow any default
 * stack; the core's explicit stack must take it in its stride.  The chain
 * is computed, not stored, so the test costs only the core's own memory.
 * FP_TEST_QUICK=1 (set by `make valgrind`) shortens it to 200,000.
 */
#include "check.h"

#include "footprint.h"

typedef struct chain {
    size_t n;
    size_t bad_calls;
} chain;

/* Handles 1..n spread like pointers; flat sizes vary so a wrong count or
 * a missed object changes the total. */
static fp_handle handle_of(size_t i)
{
    return (fp_handle)i * 32;
}

static size_t flat_of(size_t i)
{
    return 16 + (i % 5) * 8 + i % 3;
}

static fp_status chain_inspect(void *ctx, fp_handle obj, fp_info *info)
{
    chain *c = ctx;
    size_t i = (size_t)(obj / 32);

    if (obj % 32 || i < 1 || i > c->n) {
        c->bad_calls++;
        return FP_EINVAL;
    }
    info->flat = flat_of(i);
    info->flags = 0;
    info->cls = 0;
    return FP_OK;
}

static fp_status chain_referents(void *ctx, fp_handle obj, int want_names,
                                 fp_visit_fn visit, void *arg)
{
    chain *c = ctx;
    size_t i = (size_t)(obj / 32);

    if (i < c->n)
        visit(arg, handle_of(i + 1), want_names ? ".next" : NULL,
              want_names ? 5 : 0);
    return FP_OK;
}

static void test_chain(void)
{
    chain c;
    fp_host host;
    fp_sizer *s = NULL;
    fp_stats st;
    fp_handle root = handle_of(1);
    size_t i, want = 0, size = 0;

    c.n = check_quick() ? 200000 : 10000000;
    c.bad_calls = 0;
    check_set_context("chain of %zu", c.n);
    for (i = 1; i <= c.n; i++)
        want += (flat_of(i) + 7) / 8 * 8;
    memset(&host, 0, sizeof host);
    host.ctx = &c;
    host.inspect = chain_inspect;
    host.referents = chain_referents;
    CHECK_STATUS(fp_sizer_new(&s, &host, NULL, NULL), FP_OK);
    CHECK_STATUS(fp_sizer_size(s, &root, 1, &size), FP_OK);
    CHECK_EQ_U(size, want);
    fp_sizer_stats(s, &st);
    CHECK_EQ_U(st.total, want);
    CHECK_EQ_U(st.objects, c.n);
    CHECK_EQ_U(st.max_depth, c.n - 1);
    CHECK_EQ_U(st.revisits, 0);
    CHECK_EQ_U(st.truncated, 0);
    CHECK_TRUE(fp_sizer_seen(s, handle_of(c.n)));
    CHECK_TRUE(!fp_sizer_seen(s, handle_of(c.n + 1)));
    CHECK_EQ_U(c.bad_calls, 0);

    /* The tail, as a second root: already sized, so 0. */
    root = handle_of(c.n / 2);
    CHECK_STATUS(fp_sizer_size(s, &root, 1, &size), FP_OK);
    CHECK_EQ_U(size, 0);
    fp_sizer_free(s);
    printf("\n    %zu objects deep ", c.n);
}

int suite_deep(void)
{
    static const check_test tests[] = {
        {"10,000,000-deep chain", test_chain},
        {NULL, NULL},
    };

    return check_add_suite("deep", tests);
}
