/*
 * dump.h - the dump file layout shared by the writer (dump.c) and the
 * validating reader (dump_read.c) (internal).  docs/dump-format.md is the
 * reference; every number here is a byte count of that document.
 */
#ifndef FP_DUMP_H
#define FP_DUMP_H

#include "tracker.h"

/* PNG's trick: a high byte catches 7-bit transfers, CR LF and ^Z catch
 * text-mode line-ending conversion. */
#define DUMP_MAGIC "\x89" "FPD\r\n\x1a\n"
#define DUMP_MAGIC_LEN 8
#define DUMP_HEADER_LEN 32
#define DUMP_SECTION_HEAD 12 /* tag[4], u64 length */
#define DUMP_CLASS_LEN 12
#define DUMP_OBJECT_LEN 40
#define DUMP_SNAP_LEN 80
#define DUMP_SIZED_LEN 12    /* u32 object + u64 size */
#define DUMP_DETAIL_LEN 32
#define DUMP_CENSUS_LEN 24   /* u64 total count, u64 total flat, u64 n */
#define DUMP_CENSUS_ENTRY_LEN 32
/* Version 1 had no census section; it loads as censuses not taken. */
#define DUMP_VERSION_CENSUS 2

/* Object flags as stored; mapped explicitly so the in-memory bits can
 * change without changing the format. */
#define DUMP_OBJ_DEAD 1u
#define DUMP_OBJ_DETACHED 2u

/* The sizer records detail as deep as a resolution level goes (a u8), and
 * the printers walk detail trees recursively: deeper is corrupt. */
#define DUMP_DETAIL_DEPTH_MAX 255

/* Times are seconds; beyond 2^53 a double no longer holds whole seconds
 * and the text output's integer conversions would overflow. */
#define DUMP_TIME_MAX 9007199254740992.0

typedef struct dump_section {
    char tag[5];
    const char *name;  /* for messages */
} dump_section;

enum {
    SEC_STRINGS,
    SEC_CLASSES,
    SEC_OBJECTS,
    SEC_SNAPSHOTS,
    SEC_CENSUS, /* from DUMP_VERSION_CENSUS on */
    SEC_COUNT
};
extern const dump_section fp_dump_sections[SEC_COUNT];

int fp_dump_time_ok(double t);

/* Little-endian, byte by byte: the file never depends on the host's
 * endianness or struct layout. */
static inline void dump_put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static inline void dump_put_u64(unsigned char *p, uint64_t v)
{
    dump_put_u32(p, (uint32_t)v);
    dump_put_u32(p + 4, (uint32_t)(v >> 32));
}

static inline uint32_t dump_get_u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static inline uint64_t dump_get_u64(const unsigned char *p)
{
    return (uint64_t)dump_get_u32(p) | (uint64_t)dump_get_u32(p + 4) << 32;
}

/* Doubles travel as their IEEE-754 binary64 bit pattern. */
uint64_t fp_dump_f64_bits(double d);
double fp_dump_bits_f64(uint64_t bits);

#endif /* FP_DUMP_H */
