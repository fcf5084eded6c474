/*
 * text.h - appending to an fp_text (internal).  Appends after a failed
 * allocation are dropped and remembered: a printer checks fp_text_status
 * once at the end instead of after every line.
 */
#ifndef FP_TEXT_H
#define FP_TEXT_H

#include "internal.h"

struct fp_text {
    fp_alloc alloc;
    char *data;
    size_t len, cap;
    int failed;
};

void fp_text_put(fp_text *t, const char *s, size_t n);
void fp_text_printf(fp_text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
fp_status fp_text_status(const fp_text *t);

#endif /* FP_TEXT_H */
