/*
 * strtab.h - interned strings for the tracker and its dumps (internal).
 *
 * Names of referents (".name", "[0]"), class names and reprs repeat across
 * thousands of instances: each distinct text is stored once and named by a
 * 32-bit offset, which is also how dumps refer to it.  Offset 0 is "".
 */
#ifndef FP_STRTAB_H
#define FP_STRTAB_H

#include "internal.h"

typedef struct fp_strtab {
    fp_alloc alloc;
    char *data;        /* NUL-terminated strings back to back; data[0]=0 */
    size_t len, cap;
    uint32_t *slots;   /* open addressing over offsets; 0 = empty */
    size_t nslots, count;
} fp_strtab;

fp_status fp_strtab_init(fp_strtab *t, const fp_alloc *alloc);
void fp_strtab_release(fp_strtab *t);
/* Offset of text[0..len) (added if new).  NULL text -> offset 0. */
fp_status fp_strtab_intern(fp_strtab *t, const char *text, size_t len,
                           uint32_t *off);
/* Room for `bytes` more bytes of text, so that interning that much does
 * not move the table: texts that point into it (names read back from the
 * tracker) stay valid while others are interned. */
fp_status fp_strtab_reserve(fp_strtab *t, size_t bytes);
/* Adopt a whole table read from a dump (validated by the caller: ends with
 * NUL, data[0] == 0).  Rebuilds the hash index. */
fp_status fp_strtab_adopt(fp_strtab *t, const char *data, size_t len);
static inline const char *fp_strtab_get(const fp_strtab *t, uint32_t off)
{
    return t->data + off;
}
size_t fp_strtab_memory(const fp_strtab *t);

#endif /* FP_STRTAB_H */
