/*
 * utf8.c - the one reading of UTF-8 that every printer shares (the
 * console tables, the report, the command line's JSON), so a name is
 * counted, cut and replaced the same way wherever it is shown.
 */
#include "internal.h"

/* The range the second byte of a sequence led by b must fall in, and the
 * sequence's length; 0 for a byte that leads no well-formed sequence.
 * The narrowed ranges after E0, ED, F0 and F4 are what rule out overlong
 * forms, surrogates and values past U+10FFFF (RFC 3629, table 3-7 of the
 * Unicode standard). */
static size_t lead(unsigned char b, unsigned char *lo, unsigned char *hi)
{
    *lo = 0x80;
    *hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF)
        return 2;
    if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0)
            *lo = 0xA0;
        else if (b == 0xED)
            *hi = 0x9F;
        return 3;
    }
    if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0)
            *lo = 0x90;
        else if (b == 0xF4)
            *hi = 0x8F;
        return 4;
    }
    return 0;
}

/* Bytes s[1..] that continue the sequence led by s[0], at most need - 1. */
static size_t continued(const unsigned char *s, size_t n, size_t need,
                        unsigned char lo, unsigned char hi)
{
    size_t k;

    if (n < 2 || s[1] < lo || s[1] > hi)
        return 1;
    for (k = 2; k < need && k < n && (s[k] & 0xC0) == 0x80; k++)
        ;
    return k;
}

size_t fp_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char lo, hi;
    size_t len, i;
    uint32_t c;

    if (!n)
        return 0;
    if (s[0] < 0x80) {
        if (cp)
            *cp = s[0];
        return 1;
    }
    len = lead(s[0], &lo, &hi);
    if (!len || n < len || continued(s, n, len, lo, hi) != len)
        return 0;
    c = s[0] & (0x7Fu >> len);
    for (i = 1; i < len; i++)
        c = c << 6 | (s[i] & 0x3Fu);
    if (cp)
        *cp = c;
    return len;
}

size_t fp_utf8_ill_formed(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    unsigned char lo, hi;
    size_t len;

    if (!n)
        return 0;
    len = lead(s[0], &lo, &hi);
    return len ? continued(s, n, len, lo, hi) : 1;
}

/* One character's bytes: a well-formed sequence, else a single byte. */
static size_t step(const char *s, size_t n)
{
    size_t len;

    if ((unsigned char)s[0] < 0x80)
        return 1;
    len = fp_utf8_decode(s, n, NULL);
    return len ? len : 1;
}

size_t fp_utf8_count(const char *s, size_t n)
{
    size_t i = 0, c = 0;

    while (i < n) {
        i += step(s + i, n - i);
        c++;
    }
    return c;
}

size_t fp_utf8_skip(const char *s, size_t n, size_t k)
{
    size_t i = 0;

    while (i < n && k--)
        i += step(s + i, n - i);
    return i;
}
