/*
 * json.c - JSON text (json.h).
 */
#include "json.h"

#include "footprint.h"

#include <stdlib.h>
#include <string.h>

void json_string(FILE *out, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t left = strlen(str);

    putc('"', out);
    while (*s) {
        size_t n = fp_utf8_decode((const char *)s, left, NULL);
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
                /* one U+FFFD per maximal subpart, as Python decodes */
                fputs("\xEF\xBF\xBD", out);
                n = fp_utf8_ill_formed((const char *)s, left);
            } else if (*s < 0x20 || *s == 0x7F) {
                fprintf(out, "\\u%04x", *s);
            } else {
                fwrite(s, 1, n, out);
            }
        }
        s += n;
        left -= n;
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
