/*
 * format.c - sizes and times printed exactly as pympler prints them, so
 * footprint's tables line up with the ones users already read.
 */
#include "internal.h"

#include <stdio.h>

size_t fp_format_size(double bytes, char *buf, size_t cap)
{
    static const char *const scales[] = {"B", "KB", "MB", "GB", "TB", "EB"};
    unsigned degree = 0;
    int n;

    /* pympler's pp(): "while i > base" (so 1024 itself stays in bytes) and
     * an integer pattern until the first division. */
    while (bytes > 1024.0 && degree + 1 < sizeof scales / sizeof *scales) {
        bytes /= 1024.0;
        degree++;
    }
    if (degree == 0)
        n = snprintf(buf, cap, "%4lld     %s", (long long)bytes, scales[0]);
    else
        n = snprintf(buf, cap, "%7.2f %s", bytes, scales[degree]);
    return n < 0 ? 0 : (size_t)n;
}

size_t fp_format_time(double t, char *buf, size_t cap)
{
    /* pympler's pp_timestamp: int(t/3600), int(t/60 % 60), t % 60. */
    long long h = (long long)(t / 3600.0);
    double mins = t / 60.0;
    long long m;
    double sec;
    int n;

    mins -= 60.0 * (double)(long long)(mins / 60.0);
    m = (long long)mins;
    sec = t - 60.0 * (double)(long long)(t / 60.0);
    n = snprintf(buf, cap, "%02lld:%02lld:%05.2f", h, m, sec);
    return n < 0 ? 0 : (size_t)n;
}
