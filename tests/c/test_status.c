/*
 * test_status.c - status codes, their messages and names, the version,
 * the clock.
 */
#include "check.h"

#include "footprint.h"

#include <time.h>

static void test_every_code(void)
{
    /* The table itself says what each code must map to. */
    static const struct {
        int value;
        const char *name, *msg;
    } codes[] = {
#define ROW_(name, value, msg) {value, #name, msg},
        FP_STATUS_TABLE(ROW_)
#undef ROW_
    };
    size_t i, j;

    for (i = 0; i < sizeof codes / sizeof *codes; i++) {
        check_set_context("%s", codes[i].name);
        CHECK_EQ_STR(fp_strerror(codes[i].value), codes[i].msg);
        CHECK_EQ_STR(fp_status_name(codes[i].value), codes[i].name);
        CHECK_TRUE(strcmp(fp_strerror(codes[i].value), "unknown status"));
        /* Values are distinct and dense from 0: bindings index by them. */
        CHECK_EQ_U(codes[i].value, i);
        for (j = 0; j < i; j++)
            CHECK_TRUE(strcmp(codes[i].msg, codes[j].msg) != 0);
    }
    CHECK_EQ_U(FP_STATUS_COUNT_, sizeof codes / sizeof *codes);
    CHECK_EQ_U(FP_OK, 0);
}

static void test_unknown_code(void)
{
    static const int unknown[] = {-1, FP_STATUS_COUNT_, 1000, -2147483647 - 1};
    size_t i;

    check_set_context("unknown codes");
    for (i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        CHECK_EQ_STR(fp_strerror(unknown[i]), "unknown status");
        CHECK_EQ_STR(fp_status_name(unknown[i]), "FP_UNKNOWN");
    }
}

static void test_version(void)
{
    char text[32];

    check_set_context("version");
    CHECK_EQ_U(fp_version(), FP_VERSION_NUMBER);
    CHECK_EQ_U(FP_VERSION_NUMBER, FP_VERSION_MAJOR * 10000 +
                                      FP_VERSION_MINOR * 100 +
                                      FP_VERSION_PATCH);
    snprintf(text, sizeof text, "%d.%d.%d", FP_VERSION_MAJOR,
             FP_VERSION_MINOR, FP_VERSION_PATCH);
    CHECK_EQ_STR(FP_VERSION_STRING, text);
}

/* The one clock: from 0 at the first call, never back, and moving. */
static void test_clock(void)
{
    struct timespec nap = {0, 20 * 1000 * 1000};
    double first = fp_clock(), prev = first, now = first;
    int i;

    check_set_context("clock");
    CHECK_TRUE(first >= 0 && first < 3600);
    for (i = 0; i < 100000; i++) {
        now = fp_clock();
        CHECK_TRUE(now >= prev);
        prev = now;
    }
    nanosleep(&nap, NULL);
    now = fp_clock();
    CHECK_TRUE(now - first >= 0.015 && now - first < 60);
}

int suite_status(void)
{
    static const check_test tests[] = {
        {"every code in FP_STATUS_TABLE", test_every_code},
        {"unknown codes", test_unknown_code},
        {"fp_version", test_version},
        {"fp_clock", test_clock},
        {NULL, NULL},
    };

    return check_add_suite("status", tests);
}
