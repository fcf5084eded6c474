/*
 * test_procmem.c - the process's own memory (core/procmem.c), on Linux.
 */
#include "check.h"

#include "footprint.h"

#include <stdlib.h>

static void test_values_sane(void)
{
    fp_procmem m;

    check_set_context("procmem");
    CHECK_STATUS(fp_procmem_read(NULL), FP_EINVAL);
    CHECK_STATUS(fp_procmem_read(&m), FP_OK);
    CHECK_TRUE(m.vsize > 0);
    CHECK_TRUE(m.rss > 0);
    CHECK_TRUE(m.rss <= m.vsize);
    CHECK_TRUE(m.peak_rss >= m.rss);
    /* Reported in bytes, from kB lines. */
    CHECK_EQ_U(m.rss % 1024, 0);
}

static void test_rss_grows(void)
{
    const size_t big = 64u << 20;
    fp_procmem before, after;
    volatile unsigned char *p;
    size_t i;

    check_set_context("procmem growth");
    CHECK_STATUS(fp_procmem_read(&before), FP_OK);
    p = malloc(big);
    CHECK_TRUE(p != NULL);
    if (!p)
        return;
    /* Touch every page so it becomes resident. */
    for (i = 0; i < big; i += 4096)
        p[i] = (unsigned char)i;
    CHECK_STATUS(fp_procmem_read(&after), FP_OK);
    CHECK_TRUE(after.rss >= before.rss + big / 2);
    CHECK_TRUE(after.rss <= after.vsize);
    CHECK_TRUE(after.peak_rss >= after.rss);
    free((void *)p);
}

int suite_procmem(void)
{
    static const check_test tests[] = {
        {"values are sane", test_values_sane},
        {"rss grows with touched memory", test_rss_grows},
        {NULL, NULL},
    };

    return check_add_suite("procmem", tests);
}
