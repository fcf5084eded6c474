/*
 * json.c - JSON text (json.h).
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

/* Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 if there is none. */
static size_t utf8_seq(const unsigned char *s)
{
    unsigned c = s[0];

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        return (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        unsigned lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 ? 3 : 0;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        unsigned lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
        return s[1] >= lo && s[1] <= hi && (s[2] & 0xC0) == 0x80 &&
                       (s[3] & 0xC0) == 0x80
                   ? 4
                   : 0;
    }
    return 0;
}

/* How many bytes one U+FFFD stands for at s, where no well-formed
 * sequence starts: the longest prefix of a sequence that could have been
 * well-formed (Unicode's "maximal subpart" practice, which Python's
 * decode(errors="replace") follows too). */
static size_t utf8_bad(const unsigned char *s)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t need, k;

    if (c >= 0xC2 && c <= 0xDF)
        need = 1;
    else if (c >= 0xE0 && c <= 0xEF)
        need = 2, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    else if (c >= 0xF0 && c <= 0xF4)
        need = 3, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    else
        return 1;
    if (!(s[1] >= lo && s[1] <= hi))
        return 1;
    for (k = 2; k < need && (s[k] & 0xC0) == 0x80; k++)
        ;
    return k;
}

void json_string(FILE *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;

    putc('"', out);
    while (*s) {
        size_t n = utf8_seq(s);
        switch (*s) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        default:
            if (n == 0) {
                fputs("\xEF\xBF\xBD", out); /* U+FFFD */
                n = utf8_bad(s);
            } else if (*s < 0x20 || *s == 0x7F) {
                fprintf(out, "\\u%04x", *s);
            } else {
                fwrite(s, 1, n, out);
            }
        }
        /* the NUL that ends the string fails every continuation test, so
         * no look-ahead reads past it */
        s += n;
    }
    putc('"', out);
}

void json_double(FILE *out, double d)
{
    char buf[40];
    int prec;

    /* the shortest text that reads back as the same double: 0.1, not
     * 0.10000000000000001 */
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    /* "1e+20" is a JSON number; "5" is too, but say it is a float */
    if (!strpbrk(buf, ".eE"))
        strcat(buf, ".0");
    fputs(buf, out);
}

void json_u64(FILE *out, uint64_t v)
{
    fprintf(out, "%llu", (unsigned long long)v);
}
