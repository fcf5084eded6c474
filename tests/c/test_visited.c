/*
 * test_visited.c - the visited set (core/visited.c) against a naive model.
 *
 * The model draws handles from a fixed universe of distinct values and
 * remembers membership in a byte per universe slot: trivially right, so
 * any disagreement is the set's.  Half of the universe is never inserted
 * and serves the "absent" look-ups.
 */
#include "check.h"
#include "counting_alloc.h"

#include "footprint.h"

#include <stdlib.h>

typedef struct universe {
    size_t n;
    fp_handle *h;        /* distinct, non-zero */
    unsigned char *in;   /* model: h[i] is in the set */
    size_t count;
} universe;

static int cmp_handle(const void *a, const void *b)
{
    fp_handle x = *(const fp_handle *)a, y = *(const fp_handle *)b;

    return x < y ? -1 : x > y;
}

/* kind 0: heap-like, 16-aligned, sparse over 4 GiB; 1: uniform 64-bit;
 * 2: small consecutive integers; 3: extremes of the range mixed with the
 * rest; 4: a dense heap (every 16 bytes); 5: clusters of neighbours 8 bytes
 * apart, some with tag bits.  Dense kinds put present and absent handles
 * side by side, a few bytes apart. */
#define KINDS 6
static universe *universe_new(size_t n, int kind, uint64_t seed)
{
    universe *u = calloc(1, sizeof *u);
    rng r = {seed};
    size_t i, k;
    fp_handle base = 0;

    u->h = malloc(n * sizeof *u->h);
    for (i = 0; i < n; i++) {
        switch (kind) {
        case 0:
            u->h[i] = (fp_handle)0x7f0000000000u +
                      (fp_handle)rng_below(&r, 1u << 28) * 16;
            break;
        case 1:
            u->h[i] = (fp_handle)rng_next(&r);
            break;
        case 2:
            u->h[i] = (fp_handle)(i + 1);
            break;
        case 4:
            u->h[i] = (fp_handle)0x55550000000u + (fp_handle)i * 16;
            break;
        case 5:
            if (i % 32 == 0)
                base = (fp_handle)rng_below(&r, (size_t)1 << 40) << 12;
            u->h[i] = base + (fp_handle)(i % 32) * 8 +
                      (rng_pct(&r, 20) ? (fp_handle)rng_below(&r, 8) : 0);
            break;
        default:
            u->h[i] = i % 2 ? (fp_handle)-1 - (fp_handle)(i / 2)
                            : (fp_handle)rng_next(&r);
        }
    }
    /* Distinct and non-zero, then shuffled back into a random order. */
    qsort(u->h, n, sizeof *u->h, cmp_handle);
    for (i = k = 0; i < n; i++)
        if (u->h[i] && (k == 0 || u->h[i] != u->h[k - 1]))
            u->h[k++] = u->h[i];
    for (i = k; i > 1; i--) {
        size_t j = rng_below(&r, i);
        fp_handle t = u->h[i - 1];
        u->h[i - 1] = u->h[j];
        u->h[j] = t;
    }
    u->n = k;
    u->in = calloc(k ? k : 1, 1);
    return u;
}

static void universe_free(universe *u)
{
    free(u->h);
    free(u->in);
    free(u);
}

/* Every handle of the universe: present in the set iff in the model. */
static size_t disagreements(const fp_set *s, const universe *u)
{
    size_t i, bad = 0;

    for (i = 0; i < u->n; i++)
        bad += !!fp_set_contains(s, u->h[i]) != u->in[i];
    return bad;
}

/* Insert from the first half of the universe (with repeats), look up in
 * all of it, growing through every doubling from empty to `target`. */
static void fill_and_check(fp_set *s, universe *u, size_t target, rng *r)
{
    size_t half = u->n / 2, next_full_check = 64, bad = 0;

    while (u->count < target) {
        size_t i = rng_below(r, half);
        int added = -1;
        if (fp_set_add(s, u->h[i], &added) != FP_OK) {
            CU_FAIL("fp_set_add failed");
            return;
        }
        if (added != !u->in[i] && !bad++)
            fprintf(stderr, "[%s] add(%#jx) said %d\n", check_context,
                    (uintmax_t)u->h[i], added);
        u->count += !u->in[i];
        u->in[i] = 1;
        /* A look-up of something never inserted, after every insert. */
        bad += fp_set_contains(s, u->h[half + rng_below(r, u->n - half)]);
        if (fp_set_count(s) != u->count && !bad++)
            fprintf(stderr, "[%s] count %zu, want %zu\n", check_context,
                    fp_set_count(s), u->count);
        if (u->count == next_full_check) {
            bad += disagreements(s, u);
            next_full_check *= 2;
        }
    }
    bad += disagreements(s, u);
    CHECK_EQ_U(bad, 0);
}

static void test_against_model(void)
{
    int kind;

    for (kind = 0; kind < KINDS; kind++) {
        universe *u = universe_new(200000, kind, 100 + (uint64_t)kind);
        rng r = {(uint64_t)kind};
        fp_set *s = NULL;

        check_set_context("handle kind %d", kind);
        CHECK_STATUS(fp_set_new(&s, NULL), FP_OK);
        fill_and_check(s, u, u->n / 2 * 9 / 10, &r);
        fp_set_free(s);
        universe_free(u);
    }
}

/* The table grows by doubling, fp_set_memory is exactly what the allocator
 * holds beyond the set's fixed header, and memory stays proportional to the
 * number of handles (however an entry is laid out). */
static void test_growth_and_memory(void)
{
    int kind;

    for (kind = 0; kind < KINDS; kind++) {
        universe *u = universe_new(150000, kind, 7);
        counting_alloc ca;
        fp_alloc a;
        fp_set *s = NULL;
        size_t i, header, doublings = 0, last = 0, too_big = 0, failed = 0;

        check_set_context("growth, handle kind %d", kind);
        counting_alloc_init(&ca, 0);
        a = counting_alloc_hook(&ca);
        CHECK_STATUS(fp_set_new(&s, &a), FP_OK);
        CHECK_EQ_U(fp_set_memory(s), 0);
        CHECK_EQ_U(fp_set_count(s), 0);
        header = ca.live_bytes;
        for (i = 0; i < u->n; i++) {
            size_t mem;
            failed += fp_set_add(s, u->h[i], NULL) != FP_OK;
            mem = fp_set_memory(s);
            if (mem != last) {
                doublings += last != 0;
                CHECK_TRUE(last == 0 || mem == 2 * last);
                CHECK_EQ_U(ca.live_bytes, header + mem);
                last = mem;
            }
            too_big += mem > 4096 + 64 * fp_set_count(s);
        }
        CHECK_EQ_U(failed, 0);
        CHECK_EQ_U(too_big, 0);
        CHECK_EQ_U(fp_set_count(s), u->n);
        if (kind == 0 || kind == 1 || kind == 3) /* one stretch each */
            CHECK_TRUE(doublings >= 10);
        for (i = 0; i < u->n; i++)
            u->in[i] = 1;
        CHECK_EQ_U(disagreements(s, u), 0);
        fp_set_free(s);
        CHECK_EQ_U(ca.live_blocks, 0);
        CHECK_EQ_U(ca.live_bytes, 0);
        CHECK_EQ_U(ca.bad_frees, 0);
        universe_free(u);
    }
}

/* A walk through memory inserts neighbours in ascending order: every third
 * object is left out, so each stretch of the heap holds present and absent
 * handles.  Then the same handles again, descending. */
static void test_memory_ordered_walk(void)
{
    const size_t n = 200000;
    const fp_handle base = (fp_handle)0x7fff00000000u;
    fp_set *s = NULL;
    size_t i, bad = 0, want = 0;
    int added;

    check_set_context("ordered walk");
    CHECK_STATUS(fp_set_new(&s, NULL), FP_OK);
    for (i = 0; i < n; i++) {
        fp_handle h = base + (fp_handle)i * 8;
        if (i % 3 == 0)
            continue;
        added = -1;
        bad += fp_set_add(s, h, &added) != FP_OK || added != 1;
        want++;
        bad += !fp_set_contains(s, h);
        bad += fp_set_contains(s, h + 8);        /* not yet */
        bad += i % 3 == 1 && fp_set_contains(s, h - 8); /* left out */
        bad += fp_set_count(s) != want;
    }
    CHECK_EQ_U(bad, 0);
    for (i = n; i-- > 0;) {
        fp_handle h = base + (fp_handle)i * 8;
        bad += !!fp_set_contains(s, h) != (i % 3 != 0);
        added = -1;
        bad += fp_set_add(s, h, &added) != FP_OK || added != (i % 3 == 0);
    }
    CHECK_EQ_U(bad, 0);
    CHECK_EQ_U(fp_set_count(s), n);
    /* Neighbours that were never offered: odd offsets, past either end. */
    CHECK_TRUE(!fp_set_contains(s, base + 4));
    CHECK_TRUE(!fp_set_contains(s, base - 8));
    CHECK_TRUE(!fp_set_contains(s, base + (fp_handle)n * 8));
    fp_set_free(s);
}

static void test_clear_and_reuse(void)
{
    universe *u = universe_new(200000, 1, 11);
    rng r = {5};
    fp_set *s = NULL;
    size_t mem, round;

    CHECK_STATUS(fp_set_new(&s, NULL), FP_OK);
    fp_set_clear(s); /* clearing an empty set is fine */
    CHECK_EQ_U(fp_set_count(s), 0);
    /* The handle added last, and its neighbour, are new again after a
     * clear: nothing remembered about the last insert may survive it. */
    {
        int added = -1;
        CHECK_STATUS(fp_set_add(s, 0x1000, &added), FP_OK);
        fp_set_clear(s);
        CHECK_TRUE(!fp_set_contains(s, 0x1000));
        CHECK_STATUS(fp_set_add(s, 0x1008, &added), FP_OK);
        CHECK_EQ_U(added, 1);
        CHECK_STATUS(fp_set_add(s, 0x1000, &added), FP_OK);
        CHECK_EQ_U(added, 1);
        CHECK_EQ_U(fp_set_count(s), 2);
        fp_set_clear(s);
    }
    for (round = 0; round < 4; round++) {
        check_set_context("clear, round %zu", round);
        fill_and_check(s, u, 50000, &r);
        mem = fp_set_memory(s);
        fp_set_clear(s);
        CHECK_EQ_U(fp_set_count(s), 0);
        /* Refilled to a similar size, the set keeps its table. */
        CHECK_EQ_U(fp_set_memory(s), mem);
        memset(u->in, 0, u->n);
        u->count = 0;
        CHECK_EQ_U(disagreements(s, u), 0);
        /* Small handles land in the all-zero part of the key space, as a
         * cleared table is: they must still be placed, found and counted. */
        {
            static const fp_handle small[] = {8, 1, 16, 7, 504};
            size_t k, bad = 0;
            for (k = 0; k < 5; k++) {
                int added = -1;
                bad += fp_set_add(s, small[k], &added) != FP_OK || !added;
                bad += fp_set_count(s) != k + 1;
            }
            for (k = 0; k < 5; k++)
                bad += !fp_set_contains(s, small[k]);
            bad += fp_set_contains(s, 24) + fp_set_contains(s, 2);
            CHECK_EQ_U(bad, 0);
            fp_set_clear(s);
        }
    }
    fp_set_free(s);
    universe_free(u);
}

/* A set that once held many but is cleared while holding few gives its
 * big table back (no large memset per small measurement) and still works. */
static void test_clear_shrinks(void)
{
    universe *u = universe_new(100000, 0, 13);
    rng r = {9};
    counting_alloc ca;
    fp_alloc a;
    fp_set *s = NULL;
    size_t big, i;

    check_set_context("shrink");
    counting_alloc_init(&ca, 0);
    a = counting_alloc_hook(&ca);
    CHECK_STATUS(fp_set_new(&s, &a), FP_OK);
    fill_and_check(s, u, 40000, &r);
    big = fp_set_memory(s);
    fp_set_clear(s);
    CHECK_EQ_U(fp_set_memory(s), big);
    memset(u->in, 0, u->n);
    u->count = 0;
    for (i = 0; i < 100; i++) {
        CHECK_STATUS(fp_set_add(s, u->h[i], NULL), FP_OK);
        u->in[i] = 1;
        u->count++;
    }
    fp_set_clear(s);
    CHECK_TRUE(fp_set_memory(s) < big);
    CHECK_TRUE(ca.live_bytes < big);
    {
        /* the last handle added before the table went away is new again */
        int added = -1;
        CHECK_STATUS(fp_set_add(s, u->h[99], &added), FP_OK);
        CHECK_EQ_U(added, 1);
        CHECK_EQ_U(fp_set_count(s), 1);
        fp_set_clear(s);
    }
    memset(u->in, 0, u->n);
    u->count = 0;
    CHECK_EQ_U(disagreements(s, u), 0);
    fill_and_check(s, u, 5000, &r);
    fp_set_free(s);
    CHECK_EQ_U(ca.live_blocks, 0);
    universe_free(u);
}

static void test_handle_zero_and_null(void)
{
    fp_set *s = (fp_set *)&s;
    int added = 7;

    check_set_context("handle 0");
    CHECK_STATUS(fp_set_new(NULL, NULL), FP_EINVAL);
    CHECK_STATUS(fp_set_new(&s, NULL), FP_OK);
    CHECK_STATUS(fp_set_add(s, 0, &added), FP_EINVAL);
    CHECK_EQ_U(added, 7);
    CHECK_EQ_U(fp_set_count(s), 0);
    CHECK_TRUE(!fp_set_contains(s, 0));
    CHECK_STATUS(fp_set_add(s, 1, &added), FP_OK);
    CHECK_EQ_U(added, 1);
    CHECK_STATUS(fp_set_add(s, 1, &added), FP_OK);
    CHECK_EQ_U(added, 0);
    CHECK_STATUS(fp_set_add(s, 0, NULL), FP_EINVAL);
    CHECK_TRUE(!fp_set_contains(s, 0));
    CHECK_EQ_U(fp_set_count(s), 1);
    CHECK_STATUS(fp_set_add(NULL, 1, NULL), FP_EINVAL);
    CHECK_TRUE(!fp_set_contains(NULL, 1));
    CHECK_EQ_U(fp_set_count(NULL), 0);
    CHECK_EQ_U(fp_set_memory(NULL), 0);
    fp_set_free(s);
    fp_set_free(NULL);
}

int suite_visited(void)
{
    static const check_test tests[] = {
        {"random inserts and look-ups vs model", test_against_model},
        {"growth by doubling, fp_set_memory", test_growth_and_memory},
        {"memory-ordered walk, neighbours", test_memory_ordered_walk},
        {"fp_set_clear and reuse", test_clear_and_reuse},
        {"fp_set_clear gives a big table back", test_clear_shrinks},
        {"handle 0 and NULL rejected", test_handle_zero_and_null},
        {NULL, NULL},
    };

    return check_add_suite("visited", tests);
}
