/*
 * main.c - runs every C suite of the core and the report.
 *
 *   run_tests            all suites
 *   run_tests SUITE...   only the named suites (e.g. "visited sizer")
 *
 * Exit status is 0 only when every assertion passed and CUnit itself
 * reported no error, so make (and CI) stop on the first failing build.
 * FP_TEST_QUICK=1 shortens the deep-chain test for slow tools (valgrind).
 */
#include "check.h"

#include <CUnit/Basic.h>

#include <stdarg.h>
#include <stdlib.h>

char check_context[256];

void check_set_context(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(check_context, sizeof check_context, fmt, ap);
    va_end(ap);
}

int check_quick(void)
{
    const char *v = getenv("FP_TEST_QUICK");

    return v && *v && strcmp(v, "0") != 0;
}

int check_add_suite(const char *name, const check_test *tests)
{
    CU_pSuite s = CU_add_suite(name, NULL, NULL);

    if (!s)
        return -1;
    for (; tests->name; tests++)
        if (!CU_add_test(s, tests->name, tests->fn))
            return -1;
    return 0;
}

static int (*const suites[])(void) = {
    suite_status, suite_format,     suite_procmem, suite_visited,
    suite_sizer,  suite_detail,     suite_alloc_fail, suite_deep,
    suite_dump,   suite_tracker,    suite_stats,      suite_report,
    suite_text,   suite_diff,       suite_census,
};

int main(int argc, char **argv)
{
    unsigned failures = 0;
    size_t i;
    int rc = 0, bad = 0;

    if (CU_initialize_registry() != CUE_SUCCESS) {
        fprintf(stderr, "run_tests: %s\n", CU_get_error_msg());
        return 2;
    }
    for (i = 0; i < sizeof suites / sizeof *suites; i++)
        if (suites[i]() != 0) {
            fprintf(stderr, "run_tests: cannot register: %s\n",
                    CU_get_error_msg());
            CU_cleanup_registry();
            return 2;
        }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (argc < 2) {
        rc = CU_basic_run_tests() != CUE_SUCCESS;
        failures = CU_get_number_of_failures();
    } else {
        /* Each run clears the previous run's results: add them up. */
        for (i = 1; i < (size_t)argc; i++) {
            CU_pSuite s = CU_get_suite(argv[i]);
            if (!s) {
                fprintf(stderr, "run_tests: no suite \"%s\"\n", argv[i]);
                bad = 1;
                continue;
            }
            rc |= CU_basic_run_suite(s) != CUE_SUCCESS;
            failures += CU_get_number_of_failures();
        }
    }
    printf("\n");
    CU_cleanup_registry();
    if (rc)
        fprintf(stderr, "run_tests: CUnit error\n");
    return failures || rc || bad ? 1 : 0;
}
