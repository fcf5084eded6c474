/*
 * test_text.c - the text buffer (appends, a dropped append remembered,
 * taking output back), the one atomic file writer (fp_text_write: the new
 * file's mode, replacement, a full disk, a missing directory, the message)
 * and the one UTF-8 reading every printer shares.
 */
#include "check.h"
#include "counting_alloc.h"

#include "footprint.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

static void test_appends(void)
{
    counting_alloc ca;
    fp_alloc hook;
    fp_text *x = NULL;

    counting_alloc_init(&ca, 0);
    hook = counting_alloc_hook(&ca);
    CHECK_STATUS(fp_text_new(&x, &hook), FP_OK);
    fp_text_put(x, "ab\0c", 4);
    fp_text_printf(x, "<%d>", 42);
    CHECK_EQ_U(fp_text_len(x), 8);
    CHECK_TRUE(memcmp(fp_text_data(x), "ab\0c<42>", 9) == 0);
    CHECK_STATUS(fp_text_status(x), FP_OK);
    /* a dropped append is remembered, and so is everything after it */
    ca.fail_at = ca.calls + 1;
    fp_text_put(x, "x", 4096);
    fp_text_put(x, "y", 1);
    CHECK_STATUS(fp_text_status(x), FP_ENOMEM);
    CHECK_EQ_U(fp_text_len(x), 8);
    /* taking output back forgets the failure */
    fp_text_truncate(x, 2);
    CHECK_STATUS(fp_text_status(x), FP_OK);
    CHECK_EQ_U(fp_text_len(x), 2);
    CHECK_EQ_STR(fp_text_data(x), "ab");
    fp_text_truncate(x, 100);
    CHECK_EQ_U(fp_text_len(x), 2);
    fp_text_clear(x);
    CHECK_EQ_STR(fp_text_data(x), "");
    CHECK_STATUS(fp_text_status(NULL), FP_EINVAL);
    fp_text_put(NULL, "x", 1);
    fp_text_truncate(NULL, 0);
    fp_text_free(x);
    CHECK_EQ_U(ca.live_blocks, 0);
}

static size_t others_in(const char *dir, const char *keep)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    if (!d)
        return (size_t)-1;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
             strcmp(e->d_name, keep);
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *b = malloc(1 << 16);

    *len = f && b ? fread(b, 1, 1 << 16, f) : 0;
    if (f)
        fclose(f);
    return b;
}

/* The page under path is whole: the old one or the new one. */
static void check_file(const char *path, const char *want, size_t n)
{
    size_t len;
    char *b = slurp(path, &len);

    CHECK_EQ_U(len, n);
    CHECK_TRUE(b && memcmp(b, want, n) == 0);
    free(b);
}

static void write_over_full_disk(fp_text *big, const char *path,
                                 const char *old, size_t oldlen)
{
    struct rlimit lim, keep;
    void (*prev)(int);
    fp_status st;

    getrlimit(RLIMIT_FSIZE, &keep);
    lim = keep;
    lim.rlim_cur = 100;
    prev = signal(SIGXFSZ, SIG_IGN);
    CHECK_TRUE(setrlimit(RLIMIT_FSIZE, &lim) == 0);
    st = fp_text_write(big, path);
    setrlimit(RLIMIT_FSIZE, &keep);
    signal(SIGXFSZ, prev);
    CHECK_STATUS(st, FP_EIO);
    CHECK_TRUE(strstr(fp_text_errmsg(big), path) != NULL);
    CHECK_TRUE(strstr(fp_text_errmsg(big), "writing") != NULL);
    CHECK_TRUE(strstr(fp_text_errmsg(big), strerror(EFBIG)) != NULL);
    check_file(path, old, oldlen);
}

static void test_write(void)
{
    char dir[] = "/tmp/fp-text-XXXXXX", path[128], other[160];
    fp_text *x = NULL, *big = NULL;
    struct stat sb;
    mode_t mask = umask(027);
    size_t i;

    CHECK_TRUE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/page.html", dir);
    fp_text_new(&x, NULL);
    fp_text_new(&big, NULL);
    fp_text_put(x, "first", 5);
    CHECK_STATUS(fp_text_write(x, path), FP_OK);
    CHECK_EQ_STR(fp_text_errmsg(x), "");
    /* the mode any new file gets: 0666 less the umask */
    CHECK_TRUE(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0640);
    for (i = 0; i < 1000; i++)
        fp_text_put(big, "0123456789", 10);
    write_over_full_disk(big, path, "first", 5);
    CHECK_EQ_U(others_in(dir, "page.html"), 0);
    /* a rename onto a directory fails and leaves nothing behind */
    snprintf(other, sizeof other, "%s/sub", dir);
    mkdir(other, 0755);
    CHECK_STATUS(fp_text_write(x, other), FP_EIO);
    CHECK_TRUE(strstr(fp_text_errmsg(x), "renaming") != NULL);
    rmdir(other);
    CHECK_EQ_U(others_in(dir, "page.html"), 0);
    /* a directory that does not exist */
    snprintf(other, sizeof other, "%s/no/such/page.html", dir);
    CHECK_STATUS(fp_text_write(x, other), FP_EIO);
    CHECK_TRUE(strstr(fp_text_errmsg(x), strerror(ENOENT)) != NULL);
    CHECK_TRUE(strstr(fp_text_errmsg(x), "cannot write file") != NULL);
    /* replacing is whole, and the message clears on success */
    CHECK_STATUS(fp_text_write(big, path), FP_OK);
    CHECK_EQ_STR(fp_text_errmsg(big), "");
    check_file(path, fp_text_data(big), fp_text_len(big));
    CHECK_STATUS(fp_text_write(x, ""), FP_EINVAL);
    CHECK_STATUS(fp_text_write(x, NULL), FP_EINVAL);
    CHECK_EQ_STR(fp_text_errmsg(NULL), "");
    unlink(path);
    CHECK_TRUE(rmdir(dir) == 0);
    umask(mask);
    fp_text_free(x);
    fp_text_free(big);
}

/* A text with a dropped append is refused: its file would be cut short. */
static void test_write_incomplete(void)
{
    char dir[] = "/tmp/fp-text-XXXXXX", path[128];
    counting_alloc ca;
    fp_alloc hook;
    fp_text *x = NULL;

    counting_alloc_init(&ca, 0);
    hook = counting_alloc_hook(&ca);
    CHECK_TRUE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/page.html", dir);
    fp_text_new(&x, &hook);
    ca.fail_at = ca.calls + 1;
    fp_text_put(x, "lost", 4);
    CHECK_STATUS(fp_text_write(x, path), FP_ENOMEM);
    CHECK_TRUE(strstr(fp_text_errmsg(x), "out of memory") != NULL);
    CHECK_TRUE(access(path, F_OK) != 0);
    /* the temporary name's allocation failing: nothing written either */
    fp_text_clear(x);
    ca.fail_at = ca.calls + 1;
    CHECK_STATUS(fp_text_write(x, path), FP_ENOMEM);
    CHECK_TRUE(access(path, F_OK) != 0);
    CHECK_EQ_U(others_in(dir, ""), 0);
    fp_text_free(x);
    CHECK_EQ_U(ca.live_blocks, 0);
    CHECK_TRUE(rmdir(dir) == 0);
}

/* Every lead byte and the second byte around its ranges, against a
 * decoder written from the table of the standard, the slow way. */
static size_t reference_len(const unsigned char *s, size_t n)
{
    static const struct {
        unsigned char lo, hi, lo2, hi2;
        size_t len;
    } rows[] = {{0x00, 0x7F, 0, 0, 1},       {0xC2, 0xDF, 0x80, 0xBF, 2},
                {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
                {0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3},
                {0xF0, 0xF0, 0x90, 0xBF, 4}, {0xF1, 0xF3, 0x80, 0xBF, 4},
                {0xF4, 0xF4, 0x80, 0x8F, 4}};
    size_t r, k;

    for (r = 0; r < sizeof rows / sizeof *rows; r++) {
        if (s[0] < rows[r].lo || s[0] > rows[r].hi)
            continue;
        if (rows[r].len > n)
            return 0;
        if (rows[r].len > 1 && (s[1] < rows[r].lo2 || s[1] > rows[r].hi2))
            return 0;
        for (k = 2; k < rows[r].len; k++)
            if ((s[k] & 0xC0) != 0x80)
                return 0;
        return rows[r].len;
    }
    return 0;
}

static void test_utf8_decode(void)
{
    unsigned char s[4];
    unsigned a, b;
    uint32_t cp;

    for (a = 0; a < 256; a++)
        for (b = 0; b < 256; b++) {
            size_t n;
            s[0] = (unsigned char)a;
            s[1] = (unsigned char)b;
            s[2] = s[3] = 0x80;
            check_set_context("%02x %02x", a, b);
            for (n = 1; n <= 4; n++)
                CHECK_EQ_U(fp_utf8_decode((const char *)s, n, NULL),
                           reference_len(s, n));
        }
    CHECK_EQ_U(fp_utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
    CHECK_EQ_U(cp, 0x1F600);
    CHECK_EQ_U(fp_utf8_decode("\xC3\xA9", 2, &cp), 2);
    CHECK_EQ_U(cp, 0xE9);
    CHECK_EQ_U(fp_utf8_decode("\xE2\x82\xAC", 3, &cp), 3);
    CHECK_EQ_U(cp, 0x20AC);
    CHECK_EQ_U(fp_utf8_decode("", 0, &cp), 0);
}

/* Where decoding fails: one U+FFFD per maximal subpart, as Python's
 * decode(errors="replace") gives (the command line's JSON). */
static void test_utf8_ill_formed(void)
{
    static const struct {
        const char *s;
        size_t n, want;
    } cases[] = {
        {"\xFF", 1, 1},          {"\x80\x80", 2, 1},
        {"\xC0\xAF", 2, 1},      {"\xE2\x82" "a", 3, 2},
        {"\xE0\x80\x80", 3, 1},  {"\xED\xA0\x80", 3, 1},
        {"\xF0\x9F\x98" "a", 4, 3}, {"\xF4\x90\x80\x80", 4, 1},
        {"\xF0\x9F", 2, 2},      {"\xE2", 1, 1},
    };
    size_t i;

    for (i = 0; i < sizeof cases / sizeof *cases; i++) {
        check_set_context("case %zu", i);
        CHECK_EQ_U(fp_utf8_decode(cases[i].s, cases[i].n, NULL), 0);
        CHECK_EQ_U(fp_utf8_ill_formed(cases[i].s, cases[i].n), cases[i].want);
    }
}

/* A character is a well-formed sequence or, where none starts, one byte:
 * Python's len() of the text as the bindings hand it over (SWIG decodes
 * with surrogateescape, one character per undecodable byte). */
static void test_utf8_count_and_skip(void)
{
    static const char s[] = "caf\xC3\xA9.\xE2\x82" "a\xF0\x9F\x98\x80\xFF";
    size_t n = sizeof s - 1;

    CHECK_EQ_U(fp_utf8_count("", 0), 0);
    CHECK_EQ_U(fp_utf8_count("plain", 5), 5);
    CHECK_EQ_U(fp_utf8_count(s, n), 10);
    CHECK_EQ_U(fp_utf8_skip(s, n, 0), 0);
    CHECK_EQ_U(fp_utf8_skip(s, n, 4), 5);  /* after the é */
    CHECK_EQ_U(fp_utf8_skip(s, n, 6), 7);  /* after E2, before 82 */
    CHECK_EQ_U(fp_utf8_skip(s, n, 9), 13); /* after the emoji */
    CHECK_EQ_U(fp_utf8_skip(s, n, 10), n);
    CHECK_EQ_U(fp_utf8_skip(s, n, 99), n);
    /* a cut never splits a character */
    CHECK_EQ_U(fp_utf8_count(s, fp_utf8_skip(s, n, 3)), 3);
}

int suite_text(void)
{
    static const check_test tests[] = {
        {"appends, failures, taking back", test_appends},
        {"fp_text_write: atomic, mode, messages", test_write},
        {"fp_text_write refuses an incomplete text", test_write_incomplete},
        {"UTF-8: decode against the standard's table", test_utf8_decode},
        {"UTF-8: maximal subparts", test_utf8_ill_formed},
        {"UTF-8: counting and cutting", test_utf8_count_and_skip},
        {NULL, NULL}};
    return check_add_suite("text", tests);
}
