/*
 * report_text.c - escaping and numbers for the HTML report.
 *
 * Everything the measured program wrote (class names, reprs, traces,
 * descriptions, referent names) passes through rp_esc: the page is read by
 * browsers and by XML parsers, so it must be both safe and well-formed
 * whatever bytes the program produced.
 */
#include "report.h"

#include <string.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Characters XML 1.0 forbids, plus DEL and the C1 controls HTML calls
 * parse errors: shown as U+FFFD rather than silently dropped. */
static int unwanted(uint32_t c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
           (c >= 0x7F && c <= 0x9F) || c == 0xFFFE || c == 0xFFFF;
}

/* Next character of s: its length in bytes (1 for an invalid byte) and
 * whether it must be replaced. */
static size_t next_char(const unsigned char *s, size_t n, int *bad)
{
    uint32_t cp;
    size_t len = fp_utf8_decode((const char *)s, n, &cp);

    *bad = !len || unwanted(cp);
    return len ? len : 1;
}

void rp_esc(fp_text *out, const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;

    /* copy clean runs in one put: this is the report's hot loop */
    while (i < n) {
        unsigned char b = p[i];
        const char *rep = NULL;
        size_t len = 1;
        int bad = 0;

        if (b >= 0x20 && b < 0x7F) {
            switch (b) {
            case '&': rep = "&amp;"; break;
            case '<': rep = "&lt;"; break;
            case '>': rep = "&gt;"; break;
            case '"': rep = "&quot;"; break;
            case '\'': rep = "&#39;"; break;
            default: i++; continue;
            }
        } else {
            len = next_char(p + i, n - i, &bad);
            if (!bad) {
                i += len;
                continue;
            }
            rep = replacement;
        }
        fp_text_put(out, s + run, i - run);
        fp_text_put(out, rep, strlen(rep));
        i += len;
        run = i;
    }
    fp_text_put(out, s + run, n - run);
}

void rp_esc_str(fp_text *out, const char *s)
{
    if (s)
        rp_esc(out, s, strlen(s));
}

void rp_esc_cut(fp_text *out, const char *s, size_t max, int tail)
{
    size_t n, chars, keep;

    if (!s)
        return;
    n = strlen(s);
    /* a string no longer than max bytes cannot have more characters */
    if (n <= max || (chars = fp_utf8_count(s, n)) <= max) {
        rp_esc(out, s, n);
        return;
    }
    keep = max > 1 ? max - 1 : 1;
    if (tail) {
        size_t from = fp_utf8_skip(s, n, chars - keep);
        fp_text_put(out, "\xE2\x80\xA6", 3);
        rp_esc(out, s + from, n - from);
    } else {
        rp_esc(out, s, fp_utf8_skip(s, n, keep));
        fp_text_put(out, "\xE2\x80\xA6", 3);
    }
}

void rp_put(fp_text *out, const char *s)
{
    fp_text_put(out, s, strlen(s));
}

void rp_fixed(fp_text *out, double v, int decimals)
{
    static const unsigned long long pow10[] = {1, 10, 100, 1000, 10000,
                                               100000, 1000000};
    unsigned long long scale, q;
    char digits[32];
    int neg = v < 0, i = 0, d;

    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    scale = pow10[decimals];
    if (neg)
        v = -v;
    /* NaN fails every comparison; huge values would overflow the scale */
    if (!(v < 1e15))
        v = v > 0 ? 1e15 : 0;
    q = (unsigned long long)(v * (double)scale + 0.5);
    if (q == 0)
        neg = 0;
    for (d = 0; d < decimals; d++) {
        digits[i++] = (char)('0' + q % 10);
        q /= 10;
    }
    if (decimals)
        digits[i++] = '.';
    do {
        digits[i++] = (char)('0' + q % 10);
        q /= 10;
    } while (q);
    if (neg)
        digits[i++] = '-';
    while (i > 0) {
        char c = digits[--i];
        fp_text_put(out, &c, 1);
    }
}

void rp_size(fp_text *out, double bytes)
{
    char buf[64], squeezed[64];
    size_t i, k = 0;

    if (bytes < 0)
        bytes = 0;
    fp_format_size(bytes, buf, sizeof buf);
    for (i = 0; buf[i] && k + 1 < sizeof squeezed; i++)
        if (buf[i] != ' ' || (k && squeezed[k - 1] != ' '))
            squeezed[k++] = buf[i];
    fp_text_put(out, squeezed, k);
}

void rp_count(fp_text *out, uint64_t n)
{
    char digits[32];
    int i = 0, g = 0;

    do {
        if (g && g % 3 == 0)
            digits[i++] = ',';
        digits[i++] = (char)('0' + n % 10);
        n /= 10;
        g++;
    } while (n);
    while (i > 0) {
        char c = digits[--i];
        fp_text_put(out, &c, 1);
    }
}

void rp_size_delta(fp_text *out, double delta)
{
    /* U+2212, the minus sign, lines up with + in tables */
    if (delta > 0)
        fp_text_put(out, "+", 1);
    else if (delta < 0)
        fp_text_put(out, "\xE2\x88\x92", 3);
    rp_size(out, delta < 0 ? -delta : delta);
}

void rp_count_delta(fp_text *out, int64_t delta)
{
    if (delta > 0)
        fp_text_put(out, "+", 1);
    else if (delta < 0)
        fp_text_put(out, "\xE2\x88\x92", 3);
    rp_count(out, delta < 0 ? (uint64_t)0 - (uint64_t)delta
                            : (uint64_t)delta);
}

void rp_pct(fp_text *out, double pct)
{
    if (pct > 0 && pct < 0.05) {
        rp_put(out, "&lt;0.1%");
        return;
    }
    rp_fixed(out, pct, 1);
    fp_text_put(out, "%", 1);
}

void rp_secs(fp_text *out, double s)
{
    rp_fixed(out, s, 2);
    rp_put(out, "\xC2\xA0s"); /* no-break space keeps "12.30 s" together */
}
