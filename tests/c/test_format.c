/*
 * test_format.c - sizes and times as pympler prints them (core/format.c).
 *
 * The expected strings are what pympler.util.stringutils.pp() and
 * pp_timestamp() return for the same input (CPython 3.11); they are the
 * specification, quirks included: 1024 stays in bytes, 1048575 prints as
 * "1024.00 KB", pympler's scale goes from TB straight to EB, and 59.999 s
 * rounds to "00:00:60.00".
 */
#include "check.h"

#include "footprint.h"

#include <math.h>

#define KIB 1024.0
#define P(n) pow(KIB, n)

static void test_size_as_pympler(void)
{
    static const struct {
        double bytes;
        const char *text;
    } cases[] = {
        {0, "   0     B"},
        {0.5, "   0     B"},
        {1, "   1     B"},
        {344, " 344     B"},
        {1023, "1023     B"},
        {1023.9, "1023     B"},
        {1024, "1024     B"},
        {1024.0001, "   1.00 KB"},
        {1025, "   1.00 KB"},
        {1535, "   1.50 KB"},
        {1536, "   1.50 KB"},
        {10240, "  10.00 KB"},
        {1048575, "1024.00 KB"},
        {1048576, "1024.00 KB"},
        {1048577, "   1.00 MB"},
        {4.17 * 1024 * 1024, "   4.17 MB"},
        {4372561, "   4.17 MB"},
        {-5.7, "  -5     B"},
    };
    char buf[64];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_set_context("fp_format_size(%.17g)", cases[i].bytes);
        CHECK_EQ_U(fp_format_size(cases[i].bytes, buf, sizeof buf),
                   strlen(cases[i].text));
        CHECK_EQ_STR(buf, cases[i].text);
    }
}

static void test_size_large_scales(void)
{
    char buf[64];

    check_set_context("large sizes");
    fp_format_size(5 * P(3), buf, sizeof buf);
    CHECK_EQ_STR(buf, "   5.00 GB");
    fp_format_size(1.5 * P(4), buf, sizeof buf);
    CHECK_EQ_STR(buf, "   1.50 TB");
    fp_format_size(3 * P(5), buf, sizeof buf); /* pympler has no PB */
    CHECK_EQ_STR(buf, "   3.00 EB");
    fp_format_size(P(6), buf, sizeof buf);
    CHECK_EQ_STR(buf, "1024.00 EB");
    /* Beyond its last scale pympler raises IndexError; footprint stays in
     * EB and widens the number. */
    CHECK_EQ_U(fp_format_size(P(7), buf, sizeof buf), strlen("1048576.00 EB"));
    CHECK_EQ_STR(buf, "1048576.00 EB");
    fp_format_size((double)SIZE_MAX, buf, sizeof buf);
    CHECK_EQ_STR(buf, "16384.00 EB");
}

/* Sizes at and around every power of 1024 land on the scale whose value
 * is > 1 and <= 1024, with two decimals. */
static void test_size_boundaries(void)
{
    static const char *const scale[] = {"KB", "MB", "GB", "TB", "EB"};
    char buf[64], want[64];
    int e;

    for (e = 1; e <= 5; e++) {
        double p = P(e);
        check_set_context("around 1024^%d", e);
        fp_format_size(p, buf, sizeof buf);
        snprintf(want, sizeof want, "%7.2f %s", 1024.0,
                 e == 1 ? "B" : scale[e - 2]);
        if (e == 1)
            snprintf(want, sizeof want, "1024     B");
        CHECK_EQ_STR(buf, want);
        fp_format_size(nextafter(p, INFINITY), buf, sizeof buf);
        snprintf(want, sizeof want, "   1.00 %s", scale[e - 1]);
        CHECK_EQ_STR(buf, want);
    }
}

static void test_time_as_pympler(void)
{
    static const struct {
        double t;
        const char *text;
    } cases[] = {
        {0, "00:00:00.00"},
        {0.004, "00:00:00.00"},
        {0.005, "00:00:00.01"},
        {1.5, "00:00:01.50"},
        {59.99, "00:00:59.99"},
        {59.999, "00:00:60.00"},
        {60, "00:01:00.00"},
        {61.5, "00:01:01.50"},
        {3599.99, "00:59:59.99"},
        {3600, "01:00:00.00"},
        {3661.25, "01:01:01.25"},
        {86400 * 2 + 3661.5, "49:01:01.50"},
        {100 * 3600 + 0.125, "100:00:00.12"},
    };
    char buf[64];
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_set_context("fp_format_time(%.17g)", cases[i].t);
        CHECK_EQ_U(fp_format_time(cases[i].t, buf, sizeof buf),
                   strlen(cases[i].text));
        CHECK_EQ_STR(buf, cases[i].text);
    }
}

/* pp_timestamp is int(t / 3600), int(t / 60 % 60), t % 60 with Python's
 * float modulo, which for t >= 0 is fmod.  Random times, including ones a
 * hair below whole minutes and hours, must agree with that formula. */
static void test_time_random(void)
{
    rng r = {42};
    char got[64], want[64];
    size_t i, bad = 0;

    for (i = 0; i < 200000; i++) {
        double t;
        switch (i % 3) {
        case 0:
            t = (double)rng_below(&r, 1u << 30) / 1024.0;
            break;
        case 1:
            t = nextafter(60.0 * (double)rng_below(&r, 100000), 0.0);
            break;
        default:
            t = (double)rng_below(&r, 86400 * 1000) / 1000.0;
        }
        snprintf(want, sizeof want, "%02lld:%02lld:%05.2f",
                 (long long)(t / 3600.0), (long long)fmod(t / 60.0, 60.0),
                 fmod(t, 60.0));
        fp_format_time(t, got, sizeof got);
        if (strcmp(got, want) && !bad++)
            fprintf(stderr, "fp_format_time(%.17g) = \"%s\", want \"%s\"\n",
                    t, got, want);
    }
    check_set_context("random times");
    CHECK_EQ_U(bad, 0);
}

/* snprintf semantics: the full length is returned whatever cap is, the
 * copy is cut and NUL-terminated, nothing past cap is written. */
static void test_truncation(void)
{
    char buf[32];
    size_t cap;

    check_set_context("truncation");
    CHECK_EQ_U(fp_format_size(344, NULL, 0), 10);
    CHECK_EQ_U(fp_format_time(61.5, NULL, 0), 11);
    for (cap = 1; cap <= 12; cap++) {
        memset(buf, 'x', sizeof buf);
        CHECK_EQ_U(fp_format_size(4372561, buf, cap), 10);
        CHECK_EQ_U(strlen(buf), cap - 1 < 10 ? cap - 1 : 10);
        CHECK_TRUE(strncmp(buf, "   4.17 MB", strlen(buf)) == 0);
        CHECK_TRUE(buf[cap] == 'x');
        memset(buf, 'x', sizeof buf);
        CHECK_EQ_U(fp_format_time(3661.25, buf, cap), 11);
        CHECK_EQ_U(strlen(buf), cap - 1 < 11 ? cap - 1 : 11);
        CHECK_TRUE(strncmp(buf, "01:01:01.25", strlen(buf)) == 0);
        CHECK_TRUE(buf[cap] == 'x');
    }
    memset(buf, 'x', sizeof buf);
    CHECK_EQ_U(fp_format_size(1, buf, 0), 10);
    CHECK_TRUE(buf[0] == 'x');
}

int suite_format(void)
{
    static const check_test tests[] = {
        {"fp_format_size as pympler pp()", test_size_as_pympler},
        {"fp_format_size large scales", test_size_large_scales},
        {"fp_format_size at powers of 1024", test_size_boundaries},
        {"fp_format_time as pp_timestamp()", test_time_as_pympler},
        {"fp_format_time random vs formula", test_time_random},
        {"truncation to small buffers", test_truncation},
        {NULL, NULL},
    };

    return check_add_suite("format", tests);
}
