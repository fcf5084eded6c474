/*
 * check.h - assertions that print the values they compare, a reproducible
 * random generator, and the suite registration list.
 *
 * CUnit's own CU_ASSERT_EQUAL prints only the expression text; with
 * randomized graphs the failing values (and the seed) are what a reader
 * needs to reproduce a failure, so every comparison here prints them.
 */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

#include <CUnit/CUnit.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* What the running test is doing ("seed 7, trial 3"), printed with every
 * failure so randomized cases can be replayed. */
extern char check_context[256];
void check_set_context(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

#define CHECK_EQ_U(got, want)                                               \
    do {                                                                    \
        uintmax_t got_ = (uintmax_t)(got), want_ = (uintmax_t)(want);       \
        if (got_ != want_)                                                  \
            fprintf(stderr, "%s:%d: [%s] %s = %ju, want %ju\n", __FILE__,   \
                    __LINE__, check_context, #got, got_, want_);            \
        CU_ASSERT(got_ == want_);                                           \
    } while (0)

#define CHECK_EQ_STR(got, want)                                             \
    do {                                                                    \
        const char *got_ = (got), *want_ = (want);                          \
        int same_ = (got_ == NULL && want_ == NULL) ||                      \
                    (got_ && want_ && strcmp(got_, want_) == 0);            \
        if (!same_)                                                         \
            fprintf(stderr, "%s:%d: [%s] %s = \"%s\", want \"%s\"\n",       \
                    __FILE__, __LINE__, check_context, #got,                \
                    got_ ? got_ : "(null)", want_ ? want_ : "(null)");      \
        CU_ASSERT(same_);                                                   \
    } while (0)

#define CHECK_TRUE(cond)                                                    \
    do {                                                                    \
        int ok_ = !!(cond);                                                 \
        if (!ok_)                                                           \
            fprintf(stderr, "%s:%d: [%s] not true: %s\n", __FILE__,         \
                    __LINE__, check_context, #cond);                        \
        CU_ASSERT(ok_);                                                     \
    } while (0)

/* The status names make failures readable ("FP_ENOMEM, want FP_OK"). */
#define CHECK_STATUS(got, want)                                             \
    do {                                                                    \
        int got_ = (int)(got), want_ = (int)(want);                         \
        if (got_ != want_)                                                  \
            fprintf(stderr, "%s:%d: [%s] %s = %s, want %s\n", __FILE__,     \
                    __LINE__, check_context, #got, fp_status_name(got_),    \
                    fp_status_name(want_));                                 \
        CU_ASSERT(got_ == want_);                                           \
    } while (0)

/* splitmix64: tiny, good enough, and the same sequence on every machine. */
typedef struct rng {
    uint64_t state;
} rng;

static inline uint64_t rng_next(rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Uniform in [0, n); n > 0.  The modulo bias is irrelevant here. */
static inline size_t rng_below(rng *r, size_t n)
{
    return (size_t)(rng_next(r) % n);
}

/* 1 with probability pct / 100. */
static inline int rng_pct(rng *r, unsigned pct)
{
    return rng_below(r, 100) < pct;
}

/* 1 when FP_TEST_QUICK is set: slow tools (valgrind) run the 10M chain at
 * a smaller depth; nothing else changes. */
int check_quick(void);

/* Each suite file registers itself; main.c calls these in order. */
int suite_status(void);
int suite_format(void);
int suite_procmem(void);
int suite_visited(void);
int suite_sizer(void);
int suite_detail(void);
int suite_alloc_fail(void);
int suite_deep(void);
int suite_dump(void);
int suite_tracker(void);
int suite_stats(void);
int suite_report(void);
int suite_text(void);
int suite_diff(void);
int suite_census(void);

/* Register one suite of tests; 0 on success.  tests ends with {NULL}. */
typedef struct check_test {
    const char *name;
    void (*fn)(void);
} check_test;
int check_add_suite(const char *name, const check_test *tests);

#endif /* TEST_CHECK_H */
