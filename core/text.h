/*
 * text.h - the fp_text record (internal): its functions are public
 * (footprint.h, "text output"); the core's printers and the dump writer
 * reach into the record for what those do not say.
 */
#ifndef FP_TEXT_H
#define FP_TEXT_H

#include "internal.h"

struct fp_text {
    fp_alloc alloc;
    char *data;
    size_t len, cap;
    int failed;              /* an append was dropped */
    char errmsg[FP_ERRMSG_SIZE];
};

/* Room for extra more bytes (and the NUL) in one exact allocation, for a
 * writer that knows its size (a dump); -1 (and failed set) if none. */
int fp_text_reserve(fp_text *t, size_t extra);

#endif /* FP_TEXT_H */
